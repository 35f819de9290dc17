// The whole graph for other tools: GraphML (yEd, Gephi, NetworkX) and DOT (Graphviz), both
// written by Boost.Graph (write_graphml, write_graphviz) from a projection read off one snapshot.
// Entities are vertices with their name, type and aliases; relations are edges with their type
// and one attribute per qualifier slot. Claims are left out (they are evidence, not things).
// Loader formats beside them: CSV for Kùzu and for Neo4j, and RDF as Turtle, which carry claims
// and sources too.
#ifndef PACTGRAPH_INGEST_GRAPH_EXPORT_H_
#define PACTGRAPH_INGEST_GRAPH_EXPORT_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "graph/status.h"
#include "storage/store.h"

namespace pactgraph::ingest {

// The entities within `depth` relations of `focus` (either direction; claims' SAID and ABOUT
// left out), at most `max_entities` of them (the focus first, then breadth-first), with every
// relation among them that the walk passed.
struct Neighbourhood {
  std::vector<Entity> entities;
  std::vector<int> depths;  // of each entity, in relations from the focus
  std::vector<Relation> relations;
  bool truncated = false;   // cut at max_entities
};
Result<Neighbourhood> NeighbourhoodOf(const storage::Store& store, const storage::Snapshot& snap, EntityId focus, int depth,
                                      size_t max_entities = SIZE_MAX);

struct GraphExportOptions {
  // When set, only the neighbourhood of this entity (a name, an alias or "#ID", resolved by
  // storage::ResolveEntity: an ambiguous name is an error listing the candidates): the entities
  // within `depth` relations of it, either direction, and the relations among them.
  std::string focus;
  int depth = 2;
};

// `format` is "graphml" or "dot". Each qualifier slot that some exported relation uses is an
// edge attribute of its own (GraphML: a <key> per slot), valued with the entity's name for a
// node-valued slot. kNotFound when the focus names no entity, kInvalidArgument when
// it names several.
Status ExportGraph(const storage::Store& store, const std::string& format, std::ostream& out, const GraphExportOptions& options = {});

// CSV files for bulk loaders, generic: one file of nodes per entity type, `nodes_<Type>.csv`
// with the header `id:ID,name,aliases,:LABEL`, and one file of relations per relation type and
// pair of end types, `edges_<TYPE>_<From>_<To>.csv` with
// `:START_ID,:END_ID,:TYPE,relation,qualifiers` (the qualifiers joined into one string). Kept for
// the scripts that read it; ExportKuzu and ExportNeo4j write what those loaders take as it is.
// `open` is called once per file, in name order, before that file is written.
using OpenFile = std::function<std::ostream&(const std::string& file)>;
Status ExportCsv(const storage::Store& store, const OpenFile& open, const GraphExportOptions& options = {});

// The export formats, for messages and help: jsonl, graphml, dot, csv, kuzu, neo4j, turtle.
const std::vector<std::string>& ExportFormats();
// True for the formats that write several files into a folder (csv, kuzu, neo4j).
bool IsFolderFormat(const std::string& format);

// Files Kùzu loads as they are: a CSV per entity type (`<Type>.csv`: id, name, aliases), per
// relation type and pair of end types (`<TYPE>_<From>_<To>.csv`: from, to, id, then one column
// per qualifier slot the schema gives the type: a node-valued slot as `<slot>_name` and
// `<slot>_id`, a literal one as `<slot>`, STRING), the documents the sources cite
// (`Document.csv`), the sources (`Source.csv`: the relation's id, sentence, span, line, rule,
// confidence, evidence) and which document each is in (`STATED_IN.csv`); then `schema.cypher`
// (CREATE NODE TABLE / CREATE REL TABLE) and, last, `load.cypher` (COPY FROM, nodes before
// relations, file names relative to the folder). Claims are a node table like any entity type,
// SAID and ABOUT rel tables like any relation type. kFailedPrecondition when an entity type is
// named Document or Source (the tables would clash).
Status ExportKuzu(const storage::Store& store, const OpenFile& open, const GraphExportOptions& options = {});

// Files `neo4j-admin database import full` reads as they are: `nodes_<Type>.csv`
// (`id:ID(Entity),name,aliases:string[],:LABEL`), `edges_<TYPE>.csv`
// (`:START_ID(Entity),:END_ID(Entity),:TYPE,id:long`, then per slot `<slot>` and for node-valued
// slots `<slot>_id:long`), `documents.csv` (`id:ID(Document)`...), `sources.csv`
// (`id:ID(Source),relation:long,`...) and `edges_STATED_IN.csv` (Source to Document); last,
// `import.sh` with the command line that loads them.
Status ExportNeo4j(const storage::Store& store, const OpenFile& open, const GraphExportOptions& options = {});

// RDF as Turtle. Entities are <urn:pactgraph:entity:ID> with rdf:type pg:<Type> and rdfs:label
// (aliases as pg:alias); each relation is the triple (subject pg:<TYPE> object) and a reified
// statement <urn:pactgraph:relation:ID> (rdf:Statement, rdf:subject/predicate/object) carrying
// pg:<slot> per qualifier and a pg:source node per source (pg:document, pg:sentence,
// pg:evidence, pg:rule, pg:confidence); documents are <urn:pactgraph:document:ID>. pg: is
// <urn:pactgraph:vocab:>. Text that is not UTF-8 gets U+FFFD, control characters visible escapes.
Status ExportTurtle(const storage::Store& store, std::ostream& out, const GraphExportOptions& options = {});

}  // namespace pactgraph::ingest

#endif  // PACTGRAPH_INGEST_GRAPH_EXPORT_H_
