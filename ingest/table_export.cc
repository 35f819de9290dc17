// The loader exports: CSV for Kùzu, CSV for Neo4j, RDF as Turtle. Unlike GraphML and DOT they
// carry claims and sources, and each qualifier slot is a column (a predicate) of its own, so that
// a user of the other tool asks for `s.on_name` as we ask for ON.
#include <cstdio>
#include <map>
#include <ostream>
#include <set>
#include <unordered_map>
#include <vector>

#include "graph/text.h"
#include "ingest/graph_export.h"
#include "ingest/jsonl.h"
#include "storage/resolve.h"

namespace pactgraph::ingest {
namespace {

// What a loader export covers, read off one snapshot: every entity and relation (claims, SAID
// and ABOUT included), or a neighbourhood; their sources and the documents those cite.
struct Facts {
  std::vector<Entity> entities;
  std::vector<Relation> relations;
  std::map<RelationId, std::vector<Provenance>> sources;
  std::vector<Document> documents;                    // the cited ones, in id order
  std::unordered_map<EntityId, std::string> names;    // every entity named, qualifiers' too
  std::unordered_map<EntityId, std::string> type_of;  // of the exported entities
};

Result<Facts> Collect(const storage::Store& store, const storage::Snapshot& snap, const GraphExportOptions& o) {
  Facts f;
  if (o.focus.empty()) {
    PG_RETURN_IF_ERROR(store.ForEachEntity(snap, [&](const Entity& e) {
      f.entities.push_back(e);
      return true;
    }));
    PG_RETURN_IF_ERROR(store.ForEachRelation(snap, [&](const Relation& r) {
      f.relations.push_back(r);
      return true;
    }));
  } else {
    PG_ASSIGN_OR_RETURN(EntityId start, storage::ResolveEntity(store, snap, o.focus));
    PG_ASSIGN_OR_RETURN(Neighbourhood n, NeighbourhoodOf(store, snap, start, o.depth));
    f.entities = std::move(n.entities);
    f.relations = std::move(n.relations);
  }
  for (const Entity& e : f.entities) {
    f.names[e.id] = e.name;
    f.type_of[e.id] = e.type;
  }
  std::set<DocumentId> cited;
  for (const Relation& r : f.relations) {
    for (const Qualifier& q : r.qualifiers) {
      if (!q.is_node() || f.names.count(q.node)) continue;
      Result<Entity> e = store.GetEntity(snap, q.node);
      f.names[q.node] = e.ok() ? e->name : "#" + std::to_string(q.node);
    }
    PG_ASSIGN_OR_RETURN(std::vector<Provenance> sources, store.GetProvenance(snap, r.id));
    for (const Provenance& p : sources) cited.insert(p.document);
    if (!sources.empty()) f.sources[r.id] = std::move(sources);
  }
  PG_RETURN_IF_ERROR(store.ForEachDocument(snap, [&](const Document& d) {
    if (cited.count(d.id)) f.documents.push_back(d);
    return true;
  }));
  return f;
}

// One column per qualifier slot a relation type takes (by the schema: its own slots and the
// universal ones) or that one of its relations uses, in the schema's slot order.
struct SlotColumn {
  std::string slot;
  bool node = false;  // node-valued: written as a name and an id
};

std::vector<SlotColumn> SlotColumns(const Schema& schema, const std::string& type, const std::vector<const Relation*>& rels) {
  std::set<std::string> used;
  for (const Relation* r : rels) {
    for (const Qualifier& q : r->qualifiers) used.insert(q.slot);
  }
  const RelationTypeDef* def = schema.FindRelationType(type);
  std::vector<SlotColumn> cols;
  for (const SlotDef& s : schema.slots()) {
    const bool takes = def != nullptr && schema.AllowsSlot(*def, s.name);
    const bool uses = used.erase(s.name) > 0;
    if (takes || uses) cols.push_back({s.name, s.kind == SlotKind::kNode});
  }
  for (const std::string& s : used) cols.push_back({s, false});  // a slot the schema lacks
  return cols;
}

// A value other tools' parsers take: UTF-8 (other bytes become U+FFFD) without control
// characters (visible escapes instead, as XmlText writes them).
std::string Clean(std::string_view s) { return XmlText(s); }

// A CSV field for Kùzu: its parallel reader splits rows at line breaks, even quoted ones, so
// those become spaces.
std::string KuzuField(std::string_view s) {
  std::string v = Clean(s);
  for (char& c : v) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return CsvField(v);
}

std::string Joined(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// A count or position the store keeps as 0 when not known: empty (NULL to the loader) then.
std::string Known(uint32_t v) { return v ? std::to_string(v) : std::string(); }

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// The value of `col` in `r`: the name (or literal) and, for a node, its id.
void SlotValue(const Relation& r, const SlotColumn& col, const Facts& f, std::string* text, std::string* id) {
  text->clear();
  id->clear();
  const Qualifier* q = r.Find(col.slot);
  if (q == nullptr) return;
  if (!q->is_node()) {
    *text = q->literal;
    return;
  }
  auto n = f.names.find(q->node);
  *text = n != f.names.end() ? n->second : "#" + std::to_string(q->node);
  *id = std::to_string(q->node);
}

Status Written(std::ostream& out, const std::string& file) {
  out.flush();
  if (!out) return Status::IoError("writing " + file + " failed");
  return Status::OK();
}

// Relations grouped by type, then by (subject type, object type).
using ByPair = std::map<std::pair<std::string, std::string>, std::vector<const Relation*>>;
std::map<std::string, ByPair> GroupRelations(const Facts& f) {
  std::map<std::string, ByPair> out;
  for (const Relation& r : f.relations) {
    auto s = f.type_of.find(r.subject), o = f.type_of.find(r.object);
    if (s == f.type_of.end() || o == f.type_of.end()) continue;
    out[r.type][{s->second, o->second}].push_back(&r);
  }
  return out;
}

std::map<std::string, std::vector<const Entity*>> GroupEntities(const Facts& f) {
  std::map<std::string, std::vector<const Entity*>> out;
  for (const Entity& e : f.entities) out[e.type].push_back(&e);
  return out;
}

// A backquoted Cypher name: slot and type names are identifiers, but some are keywords (ON,
// WITH).
std::string Quoted(const std::string& name) { return "`" + name + "`"; }

// Each source as a numbered row (id, relation, sentence, span, line, rule, confidence, evidence),
// `field` escaping text for the loader's CSV, and `row_end` ending the row; `stated` gets the
// row's edge to its document, "id,document" and `edge_end`. The Kùzu and Neo4j files share it.
// Returns how many rows it wrote.
template <typename Field>
uint64_t SourceRows(const Facts& f, std::ostream& out, const Field& field, const std::string& row_end, std::string* stated,
                const std::string& edge_end) {
  uint64_t n = 0;
  for (const auto& [rel, list] : f.sources) {
    for (const Provenance& p : list) {
      ++n;
      const bool span = p.span_begin || p.span_end;
      out << n << "," << rel << "," << Known(p.sentence) << "," << (span ? std::to_string(p.span_begin) : "") << ","
          << (span ? std::to_string(p.span_end) : "") << "," << Known(p.line) << "," << field(p.extractor) << ","
          << Number(p.confidence) << "," << field(p.evidence) << row_end << "\n";
      *stated += std::to_string(n) + "," + std::to_string(p.document) + edge_end + "\n";
    }
  }
  return n;
}

}  // namespace

const std::vector<std::string>& ExportFormats() {
  static const std::vector<std::string> kFormats = {"jsonl", "graphml", "dot", "csv", "kuzu", "neo4j", "turtle"};
  return kFormats;
}

bool IsFolderFormat(const std::string& format) { return format == "csv" || format == "kuzu" || format == "neo4j"; }

Status ExportKuzu(const storage::Store& store, const OpenFile& open, const GraphExportOptions& options) {
  const storage::Snapshot snap = store.GetSnapshot();
  PG_ASSIGN_OR_RETURN(Facts f, Collect(store, snap, options));
  const auto nodes = GroupEntities(f);
  for (const char* own : {"Document", "Source"}) {
    if (nodes.count(own)) {
      return Status::FailedPrecondition(std::string("the entity type ") + own + " has the name of the export's own " + own +
                                        " table: Kuzu cannot hold both");
    }
  }
  std::string schema, load;
  for (const auto& [type, list] : nodes) {
    const std::string file = type + ".csv";
    schema += "CREATE NODE TABLE " + Quoted(type) + "(id INT64, name STRING, aliases STRING, PRIMARY KEY (id));\n";
    load += "COPY " + Quoted(type) + " FROM '" + file + "' (header=true);\n";
    std::ostream& out = open(file);
    out << "id,name,aliases\n";
    for (const Entity* e : list) out << e->id << "," << KuzuField(e->name) << "," << KuzuField(Joined(e->aliases, "; ")) << "\n";
    PG_RETURN_IF_ERROR(Written(out, file));
  }
  schema += "CREATE NODE TABLE Document(id INT64, key STRING, kind STRING, title STRING, publisher STRING, `date` STRING, "
            "url STRING, PRIMARY KEY (id));\n";
  {
    std::ostream& out = open("Document.csv");
    out << "id,key,kind,title,publisher,date,url\n";
    for (const Document& d : f.documents) {
      out << d.id << "," << KuzuField(d.key) << "," << KuzuField(d.kind) << "," << KuzuField(d.title) << "," << KuzuField(d.publisher)
          << "," << KuzuField(d.date) << "," << KuzuField(d.url) << "\n";
    }
    PG_RETURN_IF_ERROR(Written(out, "Document.csv"));
    if (!f.documents.empty()) load += "COPY Document FROM 'Document.csv' (header=true);\n";
  }
  // A source is a node of its own, numbered here, pointing at its relation by id: a Kùzu
  // relationship cannot point at another relationship.
  schema += "CREATE NODE TABLE Source(id INT64, relation INT64, sentence INT64, span_begin INT64, span_end INT64, line INT64, "
            "rule STRING, confidence DOUBLE, evidence STRING, PRIMARY KEY (id));\n";
  schema += "CREATE REL TABLE STATED_IN(FROM Source TO Document);\n";
  {
    std::ostream& out = open("Source.csv");
    out << "id,relation,sentence,span_begin,span_end,line,rule,confidence,evidence\n";
    std::string stated = "from,to\n";
    const uint64_t n = SourceRows(f, out, KuzuField, "", &stated, "");
    PG_RETURN_IF_ERROR(Written(out, "Source.csv"));
    std::ostream& in = open("STATED_IN.csv");
    in << stated;
    PG_RETURN_IF_ERROR(Written(in, "STATED_IN.csv"));
    if (n > 0) load += "COPY Source FROM 'Source.csv' (header=true);\n";
    if (n > 0) load += "COPY STATED_IN FROM 'STATED_IN.csv' (header=true);\n";
  }
  for (const auto& [type, pairs] : GroupRelations(f)) {
    std::vector<const Relation*> all;
    for (const auto& [pair, list] : pairs) all.insert(all.end(), list.begin(), list.end());
    const std::vector<SlotColumn> cols = SlotColumns(store.schema(), type, all);
    std::string ddl = "CREATE REL TABLE " + Quoted(type) + "(";
    for (const auto& [pair, list] : pairs) ddl += "FROM " + Quoted(pair.first) + " TO " + Quoted(pair.second) + ", ";
    ddl += "id INT64";
    std::string header = "from,to,id";
    for (const SlotColumn& c : cols) {
      if (c.node) {
        ddl += ", " + Quoted(c.slot + "_name") + " STRING, " + Quoted(c.slot + "_id") + " INT64";
        header += "," + c.slot + "_name," + c.slot + "_id";
      } else {
        ddl += ", " + Quoted(c.slot) + " STRING";
        header += "," + c.slot;
      }
    }
    schema += ddl + ");\n";
    for (const auto& [pair, list] : pairs) {
      const std::string file = type + "_" + pair.first + "_" + pair.second + ".csv";
      // A table with several pairs of end types needs to be told which pair a file holds.
      load += "COPY " + Quoted(type) + " FROM '" + file + "' (header=true" +
              (pairs.size() > 1 ? ", from='" + pair.first + "', to='" + pair.second + "'" : std::string()) + ");\n";
      std::ostream& out = open(file);
      out << header << "\n";
      std::string text, id;
      for (const Relation* r : list) {
        out << r->subject << "," << r->object << "," << r->id;
        for (const SlotColumn& c : cols) {
          SlotValue(*r, c, f, &text, &id);
          out << "," << KuzuField(text);
          if (c.node) out << "," << id;
        }
        out << "\n";
      }
      PG_RETURN_IF_ERROR(Written(out, file));
    }
  }
  std::ostream& s = open("schema.cypher");
  s << schema;
  PG_RETURN_IF_ERROR(Written(s, "schema.cypher"));
  // Last: a folder with load.cypher in it is a whole export.
  std::ostream& l = open("load.cypher");
  l << load;
  return Written(l, "load.cypher");
}

Status ExportNeo4j(const storage::Store& store, const OpenFile& open, const GraphExportOptions& options) {
  const storage::Snapshot snap = store.GetSnapshot();
  PG_ASSIGN_OR_RETURN(Facts f, Collect(store, snap, options));
  std::vector<std::string> node_files, rel_files;
  for (const auto& [type, list] : GroupEntities(f)) {
    const std::string file = "nodes_" + type + ".csv";
    node_files.push_back(file);
    std::ostream& out = open(file);
    out << "id:ID(Entity),name,aliases:string[],:LABEL\n";
    for (const Entity* e : list) {
      // The array delimiter is ';': an alias holding one would be split, so it becomes ','.
      std::vector<std::string> aliases;
      for (std::string a : e->aliases) {
        for (char& c : a) c = c == ';' ? ',' : c;
        aliases.push_back(std::move(a));
      }
      out << e->id << "," << CsvField(Clean(e->name)) << "," << CsvField(Clean(Joined(aliases, ";"))) << "," << type << "\n";
    }
    PG_RETURN_IF_ERROR(Written(out, file));
  }
  {
    node_files.push_back("documents.csv");
    std::ostream& out = open("documents.csv");
    out << "id:ID(Document),key,kind,title,publisher,date,url,:LABEL\n";
    for (const Document& d : f.documents) {
      out << d.id << "," << CsvField(Clean(d.key)) << "," << CsvField(Clean(d.kind)) << "," << CsvField(Clean(d.title)) << ","
          << CsvField(Clean(d.publisher)) << "," << CsvField(Clean(d.date)) << "," << CsvField(Clean(d.url)) << ",Document\n";
    }
    PG_RETURN_IF_ERROR(Written(out, "documents.csv"));
  }
  {
    node_files.push_back("sources.csv");
    rel_files.push_back("edges_STATED_IN.csv");
    std::ostream& out = open("sources.csv");
    out << "id:ID(Source),relation:long,sentence:int,span_begin:int,span_end:int,line:int,rule,confidence:double,evidence,:LABEL\n";
    std::string stated = ":START_ID(Source),:END_ID(Document),:TYPE\n";
    SourceRows(f, out, [](const std::string& s) { return CsvField(Clean(s)); }, ",Source", &stated, ",STATED_IN");
    PG_RETURN_IF_ERROR(Written(out, "sources.csv"));
    std::ostream& in = open("edges_STATED_IN.csv");
    in << stated;
    PG_RETURN_IF_ERROR(Written(in, "edges_STATED_IN.csv"));
  }
  for (const auto& [type, pairs] : GroupRelations(f)) {
    std::vector<const Relation*> all;
    for (const auto& [pair, list] : pairs) all.insert(all.end(), list.begin(), list.end());
    const std::vector<SlotColumn> cols = SlotColumns(store.schema(), type, all);
    const std::string file = "edges_" + type + ".csv";
    rel_files.push_back(file);
    std::ostream& out = open(file);
    out << ":START_ID(Entity),:END_ID(Entity),:TYPE,id:long";
    for (const SlotColumn& c : cols) out << "," << c.slot << (c.node ? "," + c.slot + "_id:long" : std::string());
    out << "\n";
    std::string text, id;
    for (const Relation* r : all) {
      out << r->subject << "," << r->object << "," << type << "," << r->id;
      for (const SlotColumn& c : cols) {
        SlotValue(*r, c, f, &text, &id);
        out << "," << CsvField(Clean(text));
        if (c.node) out << "," << id;
      }
      out << "\n";
    }
    PG_RETURN_IF_ERROR(Written(out, file));
  }
  std::ostream& sh = open("import.sh");
  sh << "#!/bin/sh\n"
        "# Loads this folder into a Neo4j 5 database (default \"neo4j\"), replacing it: stop the database first.\n"
        "#   sh import.sh [DATABASE]\n"
        "set -e\n"
        "cd \"$(dirname \"$0\")\"\n"
        "neo4j-admin database import full --overwrite-destination=true --id-type=integer --multiline-fields=true";
  for (const std::string& n : node_files) sh << " \\\n  --nodes=" << n;
  for (const std::string& r : rel_files) sh << " \\\n  --relationships=" << r;
  sh << " \\\n  \"${1:-neo4j}\"\n";
  return Written(sh, "import.sh");
}

namespace {

// A Turtle string literal: only UTF-8 and no control characters (Clean), escaped as JSON escapes
// strings; Turtle reads every JSON escape (\" \\ \n \r \t \b \f and \uXXXX).
std::string TurtleString(std::string_view s) { return JsonQuote(Clean(s)); }

}  // namespace

Status ExportTurtle(const storage::Store& store, std::ostream& out, const GraphExportOptions& options) {
  const storage::Snapshot snap = store.GetSnapshot();
  PG_ASSIGN_OR_RETURN(Facts f, Collect(store, snap, options));
  out << "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
         "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
         "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
         "@prefix pg: <urn:pactgraph:vocab:> .\n"
         "@prefix e: <urn:pactgraph:entity:> .\n"
         "@prefix r: <urn:pactgraph:relation:> .\n"
         "@prefix d: <urn:pactgraph:document:> .\n\n";
  for (const Document& d : f.documents) {
    out << "d:" << d.id << " a pg:Document ;\n  pg:key " << TurtleString(d.key);
    for (auto [pred, value] : {std::pair<const char*, const std::string*>{"rdfs:label", &d.title}, {"pg:kind", &d.kind},
                               {"pg:publisher", &d.publisher}, {"pg:date", &d.date}, {"pg:url", &d.url}}) {
      if (!value->empty()) out << " ;\n  " << pred << " " << TurtleString(*value);
    }
    out << " .\n";
  }
  for (const Entity& e : f.entities) {
    out << "e:" << e.id << " a pg:" << e.type << " ;\n  rdfs:label " << TurtleString(e.name);
    for (const std::string& a : e.aliases) out << " ;\n  pg:alias " << TurtleString(a);
    out << " .\n";
  }
  for (const Relation& r : f.relations) {
    out << "e:" << r.subject << " pg:" << r.type << " e:" << r.object << " .\n";
    out << "r:" << r.id << " a rdf:Statement ;\n  rdf:subject e:" << r.subject << " ;\n  rdf:predicate pg:" << r.type
        << " ;\n  rdf:object e:" << r.object;
    for (const Qualifier& q : r.qualifiers) {
      out << " ;\n  pg:" << q.slot << " " << (q.is_node() ? "e:" + std::to_string(q.node) : TurtleString(q.literal));
    }
    auto src = f.sources.find(r.id);
    if (src != f.sources.end()) {
      for (const Provenance& p : src->second) {
        out << " ;\n  pg:source [ pg:document d:" << p.document;
        if (p.sentence) out << " ; pg:sentence " << p.sentence;
        if (p.span_begin || p.span_end) out << " ; pg:spanBegin " << p.span_begin << " ; pg:spanEnd " << p.span_end;
        if (p.line) out << " ; pg:line " << p.line;
        out << " ; pg:rule " << TurtleString(p.extractor) << " ; pg:confidence \"" << Number(p.confidence) << "\"^^xsd:double";
        if (!p.evidence.empty()) out << " ; pg:evidence " << TurtleString(p.evidence);
        out << " ]";
      }
    }
    out << " .\n";
  }
  out.flush();
  if (!out) return Status::IoError("writing the export failed");
  return Status::OK();
}

}  // namespace pactgraph::ingest
