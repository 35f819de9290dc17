#include <cstdint>
#include <nlohmann/json.hpp>

#include "server/internal/web.h"

namespace pactgraph::server {
namespace {

using json = nlohmann::json;

// Every error's body. Text that is not UTF-8 anywhere in a request (the path, a parameter's name
// or value, a POST /query body) is a 400 with code "not_utf8" and "parameter" naming where.
json Error() {
  return {{"description", "an error: {\"error\": {\"code\", \"message\", ...}}"},
          {"content",
           {{"application/json",
             {{"schema",
               {{"type", "object"},
                {"properties",
                 {{"error",
                   {{"type", "object"},
                    {"properties",
                     {{"code", {{"type", "string"}}},
                      {"message", {{"type", "string"}}},
                      {"line", {{"type", "integer"}, {"nullable", true}}},
                      {"column", {{"type", "integer"}, {"nullable", true}}},
                      {"span",
                       {{"type", "object"},
                        {"description", "the bytes of the query the error is about"},
                        {"properties", {{"offset", {{"type", "integer"}}}, {"length", {{"type", "integer"}}}}}}},
                      {"parameter",
                       {{"type", "string"},
                        {"description", "not_utf8 only: the parameter that is not UTF-8 (\"q\", \"focus\"), \"ref\" for "
                                        "/entities/{ref}, \"path\" or \"body\""}}}}}}}}}}}}}}}};
}

json Ok(const std::string& what, const std::string& type = "application/json") {
  return {{"description", what}, {"content", {{type, {{"schema", {{"type", type == "application/json" ? "object" : "string"}}}}}}}};
}

json Param(const std::string& name, const std::string& in, const std::string& what, bool required, const std::string& type = "string") {
  return {{"name", name}, {"in", in}, {"description", what}, {"required", required}, {"schema", {{"type", type}}}};
}

// A whole-number parameter within [lo, hi]: a value outside is a 400 naming it.
json Param(const std::string& name, const std::string& in, const std::string& what, int64_t lo, int64_t hi) {
  json p = Param(name, in, what, false, "integer");
  p["schema"]["minimum"] = lo;
  p["schema"]["maximum"] = hi;
  return p;
}

}  // namespace

std::string OpenApi(bool read_only) {
  json paths;
  paths["/health"]["get"] = {{"summary", "Whether the server is up, with the store's counts"}, {"responses", {{"200", Ok("ok")}}}};
  json query_body = {{"type", "object"},
                     {"required", {"query"}},
                     {"properties",
                      {{"query", {{"type", "string"}, {"example", "WHO SUPPORTS \"RHEL\" ON \"Hyper-V\""}}},
                       {"format", {{"type", "string"}, {"enum", {"json", "table", "csv"}}}},
                       {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000000000},
                                  {"description", "rows at most (the server's --max-rows is the ceiling); the bounds of query --max-rows"}}},
                       {"timeout_ms", {{"type", "integer"}, {"minimum", 1}, {"maximum", 86400000},
                                       {"description", "milliseconds at most (the server's --timeout is the ceiling); the bounds of query --timeout"}}},
                       {"candidates", {{"type", "boolean"}, {"description", "answer with candidates too (facts below the server's --min-confidence), each row marked \"candidate\""}}},
                       {"min_sources", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000000000},
                                        {"description", "WHO and WHAT: only facts stated by at least this many distinct documents (query --min-sources)"}}},
                       {"params",
                        {{"type", "object"},
                         {"additionalProperties", {{"oneOf", {{{"type", "string"}}, {{"type", "integer"}}}}}},
                         {"description", "values of the query's $parameters by name: text is a name or alias, an integer an entity's id"},
                         {"example", {{"x", "RHEL"}}}}}}}};
  paths["/query"]["post"] = {{"summary", "Answer a question or MATCH pattern, with evidence per row"},
                             {"description", "Each row's evidence items carry document, document_id, publisher, url, date, sentence, "
                                             "text (the whole sentence the fact was read from) and span [begin, end]: the byte "
                                             "offsets in text of the words that state the fact ([0, 0] when unknown or the whole text). WHO and WHAT "
                                             "rows carry sources and publishers: how many distinct documents and publishers state the fact. "
                                             "A TIMELINE or CHANGES row's evidence is the one source it tells; a CONFLICTS row's, "
                                             "its two sides, the first stated first. A row of TIMELINE, CONFLICTS, SHOW or PATH may "
                                             "carry claims: the claims said in the sentence of one of its sources that name both "
                                             "ends of its fact, a list in every statement, each {side, claim, speaker, text, source}: "
                                             "side is the CONFLICTS column of the source it shares a sentence with (\"one source\", "
                                             "\"the other\"), on a disputed SHOW or PATH row that source's reading (\"active as host\"), "
                                             "null on a TIMELINE step; claim the claim's entity id; speaker its first speaker's name or "
                                             "null; source where it was said, with the same fields as an evidence item."},
                             {"requestBody", {{"required", true}, {"content", {{"application/json", {{"schema", query_body}}}}}}},
                             {"responses", {{"200", Ok("the answer")}, {"400", Error()}, {"404", Error()}, {"413", Error()}, {"422", Error()}, {"500", Error()}}}};
  paths["/query"]["get"] = {{"summary", "Answer a question given as ?q="},
                            {"parameters",
                             {Param("q", "query", "the question", true), Param("format", "query", "json, table or csv", false),
                              Param("limit", "query", "rows at most (the server's --max-rows is the ceiling)", 1, 1000000000),
                              Param("timeout_ms", "query", "milliseconds at most (the server's --timeout is the ceiling)", 1, 86400000),
                              Param("candidates", "query", "true: answer with candidates too (facts below --min-confidence), marked", false, "boolean"),
                              Param("min_sources", "query", "WHO and WHAT: only facts stated by at least this many distinct documents", 1, 1000000000)}},
                            {"responses", {{"200", Ok("the answer")}, {"400", Error()}, {"404", Error()}}}};
  paths["/entities/{ref}"]["get"] = {{"summary", "An entity's card: names, type, relations in and out with their sources"},
                                     {"description", "Each relation has documents and publishers (how many distinct ones state it, as "
                                                     "MATCH's r.sources and r.publishers count them) and disputed (one source states it "
                                                     "as active or planned, another as denied or ended, or two publishers state it with "
                                                     "different qualifiers, as WHO's disputed column says); each source its status."},
                                     {"parameters", {Param("ref", "path", "an id (12 or #12) or a name or alias", true)}},
                                     {"responses", {{"200", Ok("the card")}, {"400", Error()}, {"404", Error()}}}};
  paths["/search"]["get"] = {{"summary", "Names and aliases that start with q, for completion"},
                             {"parameters", {Param("q", "query", "the start of a name", true), Param("limit", "query", "at most (past 100, 100)", 1, 1000000000)}},
                             {"responses", {{"200", Ok("the matches")}, {"400", Error()}}}};
  json around = {Param("focus", "query", "an entity's name, alias or #ID", true), Param("depth", "query", "hops, 1 to 4 (2)", false, "integer")};
  paths["/graph"]["get"] = {{"summary", "A neighbourhood as nodes and edges"},
                            {"description", "Each edge has documents, publishers and disputed, as a card's relations do."},
                            {"parameters", around},
                            {"responses", {{"200", Ok("nodes and edges")}, {"400", Error()}, {"404", Error()}}}};
  paths["/graph.svg"]["get"] = {{"summary", "A neighbourhood drawn by Graphviz"},
                                {"parameters", around},
                                {"responses", {{"200", Ok("the drawing", "image/svg+xml")}, {"400", Error()}, {"404", Error()}}}};
  json export_format = Param("format", "query",
                              "jsonl (default), graphml, dot, turtle (RDF), or the folder formats kuzu (CSV with schema.cypher and "
                              "load.cypher), neo4j (CSV for neo4j-admin database import, with import.sh) and csv",
                              false);
  export_format["schema"]["enum"] = {"jsonl", "graphml", "dot", "turtle", "kuzu", "neo4j", "csv"};
  paths["/export"]["get"] = {{"summary", "The whole graph, streamed; a folder format's list of files, or one of them"},
                             {"parameters", {export_format,
                                             Param("focus", "query", "all but jsonl: only this entity's neighbourhood", false),
                                             Param("depth", "query", "the neighbourhood's radius (2)", false, "integer"),
                                             Param("file", "query", "kuzu, neo4j, csv: the file to fetch (without it, the list of files)", false)}},
                             {"responses", {{"200", {{"description", "the graph, the list of files ({format, files}) or the file"},
                                                     {"content", {{"application/x-ndjson", json::object()}, {"application/graphml+xml", json::object()},
                                                                  {"text/vnd.graphviz", json::object()}, {"text/turtle", json::object()},
                                                                  {"application/json", json::object()}, {"text/csv", json::object()}}}}},
                                            {"400", Error()}, {"404", Error()}}}};
  paths["/documents"]["get"] = {
      {"summary", "A page of the documents by id: title, publisher, date, locations (URLs, files), facts each; "
                  "with the next page's offset and link"},
      {"parameters", {Param("limit", "query", "documents per page, 1 to 1000 (50)", false, "integer"),
                      Param("offset", "query", "documents skipped first (0)", false, "integer"),
                      Param("after", "query", "instead of offset: start after this document id", false, "integer")}},
      {"responses", {{"200", Ok("the page: documents, total, next_offset and next (null on the last page)")}, {"400", Error()}}}};
  paths["/documents/{id}"]["get"] = {{"summary", "A document: title, publisher, date, URL, locations, text and the facts it is a source of"},
                                     {"parameters", {Param("id", "path", "the document's id", true, "integer")}},
                                     {"responses", {{"200", Ok("the document")}, {"404", Error()}}}};
  paths["/metrics"]["get"] = {{"summary", "Prometheus metrics: requests, latencies, errors, store size"},
                              {"responses", {{"200", Ok("metrics", "text/plain")}}}};
  if (!read_only) {
    json secured = json::array({{{"token", json::array()}}});
    paths["/documents"]["post"] = {
        {"summary", "Import a press release or article (text with a Title:/Date: header, plain text, or HTML)"},
        {"security", secured},
        {"parameters", {Param("name", "query", "a name for it in messages (the document is its URL, else its text)", false),
                        Param("replaces", "query", "the stored document (its key or #ID) this article is a new version of", false)}},
        {"requestBody", {{"required", true}, {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}, {"text/html", {{"schema", {{"type", "string"}}}}}}}}},
        {"responses", {{"201", Ok("imported: the counts")}, {"200", Ok("already imported")}, {"400", Error()}, {"401", Error()}, {"403", Error()}, {"413", Error()}, {"422", Error()}}}};
    paths["/facts"]["post"] = {
        {"summary", "Import facts as JSON lines"},
        {"security", secured},
        {"parameters", {Param("lenient", "query", "true: skip lines the schema rejects", false)}},
        {"requestBody", {{"required", true}, {"content", {{"application/x-ndjson", {{"schema", {{"type", "string"}}}}}}}}},
        {"responses", {{"201", Ok("imported: the counts")}, {"400", Error()}, {"401", Error()}, {"403", Error()}, {"413", Error()}, {"422", Error()}}}};
  }
  json doc = {{"openapi", "3.0.3"},
              {"info", {{"title", "pactgraph"}, {"version", "1"}, {"description", "Questions over a graph of interoperability agreements, answered with the sentences they came from."}}},
              {"paths", paths},
              {"components", {{"securitySchemes", {{"token", {{"type", "http"}, {"scheme", "bearer"}}}}}}}};
  return doc.dump(2) + "\n";
}

}  // namespace pactgraph::server
