#!/usr/bin/env python3
"""Exports other tools load as they are: Kùzu (loaded into a real Kùzu and asked), Neo4j's bulk
importer (file shapes checked against its header rules), RDF as Turtle (read back by rdflib and
asked in SPARQL), GraphML with a key per qualifier slot; the same over HTTP; the errors.

    export_tools_test.py PACTGRAPH DATASETS_DIR KUZU_NODE_DIR

KUZU_NODE_DIR is where the npm package kuzu is installed (npm install kuzu@0.11.3 there when it
is missing); a Kùzu that cannot be installed is a failure, not a skip.
"""
import csv
import glob
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request



def python_with_rdflib():
    """rdflib comes from Debian's python3-rdflib, which installs into Debian's own python3. When
    the python3 first on PATH is another one (a pyenv, a venv), run this test in one that has it."""
    try:
        import rdflib  # noqa: F401
        return None
    except ModuleNotFoundError:
        pass
    seen = {os.path.realpath(sys.executable)}
    dirs = os.environ.get("PATH", "").split(os.pathsep) + ["/usr/bin", "/bin"]
    for d in dirs:
        cand = os.path.join(d, "python3")
        real = os.path.realpath(cand)
        if not d or real in seen or not os.access(cand, os.X_OK):
            continue
        seen.add(real)
        if subprocess.run([cand, "-c", "import rdflib"], capture_output=True).returncode == 0:
            return cand
    sys.exit("export_tools: no python3 here can import rdflib (apt-get install python3-rdflib)")


if __name__ == "__main__":
    _other = python_with_rdflib()
    if _other:
        os.execv(_other, [_other, os.path.abspath(__file__), *sys.argv[1:]])

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks, start_server, stop_server  # noqa: E402

PG, DATASETS, KUZU_DIR = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
HERE = os.path.dirname(os.path.abspath(__file__))
KUZU_VERSION = "0.11.3"
check = Checks()
work = tempfile.mkdtemp(prefix="pactgraph-export-tools-")
DB = os.path.join(work, "gold.db")
RHEL, HYPERV = "Red Hat Enterprise Linux", "Windows Server 2008 Hyper-V"


def run(*args, db=DB, stdin=None):
    p = subprocess.run([PG, "--db", db, *args], capture_output=True, text=True, input=stdin, timeout=120)
    return p.returncode, p.stdout, p.stderr


def stats():
    rc, out, err = run("stats", "--format", "json")
    assert rc == 0, err
    return json.loads(out)


def who_supports_rhel_on_hyperv():
    """What pactgraph itself answers: the companies that support RHEL on Windows Server 2008 Hyper-V."""
    rc, out, err = run("query", "--format", "json", "--no-evidence", f'WHO SUPPORTS "{RHEL}" ON "{HYPERV}"')
    assert rc == 0, err
    who = sorted({r["values"]["subject"] for r in json.loads(out)["rows"]})
    assert who, out
    return who


def export_folder(fmt, name):
    d = os.path.join(work, name)
    rc, out, err = run("export", "--format", fmt, "--output", d)
    assert rc == 0 and "files into" in out, out + err
    return d


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def setup():
    rc, out, err = run("import", "--quiet", *sorted(glob.glob(os.path.join(DATASETS, "gold", "*.facts.jsonl"))))
    assert rc == 0, err


# ------------------------------------------------------------------------------------ Kùzu


def kuzu_installed():
    """The npm package kuzu in KUZU_DIR, installed when missing; raises when it cannot be."""
    module = os.path.join(KUZU_DIR, "node_modules", "kuzu", "package.json")
    if os.path.exists(module) and json.load(open(module))["version"] == KUZU_VERSION:
        return
    assert shutil.which("node") and shutil.which("npm"), "node and npm are needed to install kuzu (scripts/install-deps.sh)"
    os.makedirs(KUZU_DIR, exist_ok=True)
    p = subprocess.run(["npm", "install", "--no-audit", "--no-fund", f"kuzu@{KUZU_VERSION}"], cwd=KUZU_DIR,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0 and os.path.exists(module), "npm install kuzu failed: " + p.stdout[-2000:] + p.stderr[-2000:]


def kuzu(folder, *queries):
    """Loads the folder into a new Kùzu database; the rows of each query."""
    db = os.path.join(work, "kuzu-" + os.path.basename(folder))
    p = subprocess.run(["node", os.path.join(HERE, "kuzu_load.js"), KUZU_DIR, db, folder, *queries],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, "Kuzu refused the export: " + p.stderr[-3000:]
    return [json.loads(line) for line in p.stdout.splitlines()]


def test_kuzu_loads_the_export_and_answers_as_pactgraph_does():
    kuzu_installed()
    d = export_folder("kuzu", "kuzu")
    for f in ("schema.cypher", "load.cypher", "Company.csv", "Claim.csv", "Document.csv", "Source.csv", "STATED_IN.csv"):
        assert os.path.exists(os.path.join(d, f)), (f, sorted(os.listdir(d)))
    s = stats()
    supports, entities, said, sources, quoted = kuzu(
        d,
        f"MATCH (a)-[s:SUPPORTS]->(b) WHERE b.name = '{RHEL}' AND s.on_name = '{HYPERV}' RETURN DISTINCT a.name AS who ORDER BY who",
        "MATCH (n) RETURN count(*) AS n",
        "MATCH (p)-[:SAID]->(c:Claim) RETURN count(*) AS n",
        f"MATCH (a)-[s:SUPPORTS]->(b), (src:Source)-[:STATED_IN]->(d:Document) WHERE b.name = '{RHEL}' AND src.relation = s.id "
        "RETURN src.evidence AS evidence, d.key AS doc",
        "MATCH (p)-[:SAID]->(c:Claim)-[:ABOUT]->(x) RETURN c.name AS text, x.name AS about LIMIT 1")
    assert [r["who"] for r in supports] == who_supports_rhel_on_hyperv(), supports
    documents = len(read_csv(os.path.join(d, "Document.csv"))) - 1
    sources_rows = len(read_csv(os.path.join(d, "Source.csv"))) - 1
    assert entities[0]["n"] == s["entities"] + documents + sources_rows, (entities, s)
    assert said[0]["n"] == s["relations_by_type"]["SAID"], (said, s)
    assert sources and all(r["evidence"] and r["doc"] for r in sources), sources
    assert quoted and quoted[0]["text"], quoted


def test_kuzu_tables_have_a_column_per_slot():
    d = os.path.join(work, "kuzu")
    schema = open(os.path.join(d, "schema.cypher")).read()
    supports = re.search(r"CREATE REL TABLE `SUPPORTS`\((.*)\);", schema).group(1)
    for column in ("id INT64", "`on_name` STRING", "`on_id` INT64", "`as` STRING", "`status` STRING", "`date` STRING"):
        assert column in supports, supports
    load = open(os.path.join(d, "load.cypher")).read().splitlines()
    first_rel = min(i for i, line in enumerate(load) if re.match(r"COPY `[A-Z_]+` ", line))
    assert all(not re.match(r"COPY `[A-Z_]+` ", line) for line in load[:first_rel]), load
    assert all(re.match(r"COPY (`\w+`|Document|Source|STATED_IN) FROM '[^'/]+\.csv' \(header=true", line) for line in load), load


# ------------------------------------------------------------------------------------ Neo4j

# The header rules of neo4j-admin database import: a field is NAME, NAME:TYPE, :ID / NAME:ID with
# an optional (GROUP), :LABEL, :START_ID(GROUP), :END_ID(GROUP), :TYPE, :IGNORE; TYPE is one of
# these, with [] for arrays.
NEO4J_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point", "date",
               "localtime", "time", "localdatetime", "datetime", "duration"}
FIELD = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)?(?::(?P<kind>ID|START_ID|END_ID|LABEL|TYPE|IGNORE|[a-z]+(?:\[\])?)"
                   r"(?:\((?P<group>[A-Za-z]+)\))?)?$")


def neo4j_header(header):
    fields = []
    for h in header:
        m = FIELD.match(h)
        assert m and (m.group("name") or m.group("kind")), f"not a neo4j-admin header field: {h!r}"
        kind = m.group("kind")
        if kind and kind not in ("ID", "START_ID", "END_ID", "LABEL", "TYPE", "IGNORE"):
            assert kind.rstrip("[]") in NEO4J_TYPES, f"unknown type in {h!r}"
        fields.append((m.group("name"), kind, m.group("group")))
    return fields


def test_neo4j_files_follow_the_import_header_rules():
    d = export_folder("neo4j", "neo4j")
    script = open(os.path.join(d, "import.sh")).read()
    assert "neo4j-admin database import full" in script, script
    named = re.findall(r"--(nodes|relationships)=(\S+)", script)
    csvs = sorted(f for f in os.listdir(d) if f.endswith(".csv"))
    assert sorted(f for _, f in named) == csvs, (named, csvs)
    ids = {}  # group -> ids
    edges = []
    for kind, name in named:
        rows = read_csv(os.path.join(d, name))
        fields = neo4j_header(rows[0])
        for row in rows[1:]:
            assert len(row) == len(fields), (name, row)
        kinds = [k for _, k, _ in fields]
        if kind == "nodes":
            assert kinds.count("ID") == 1 and "LABEL" in kinds, (name, rows[0])
            col = kinds.index("ID")
            group = fields[col][2]
            for row in rows[1:]:
                assert row[col] not in ids.setdefault(group, set()), ("duplicate id", name, row)
                ids[group].add(row[col])
        else:
            assert {"START_ID", "END_ID", "TYPE"} <= set(kinds), (name, rows[0])
            edges.append((name, fields, rows[1:]))
    for name, fields, rows in edges:
        start = [i for i, f in enumerate(fields) if f[1] == "START_ID"][0]
        end = [i for i, f in enumerate(fields) if f[1] == "END_ID"][0]
        for row in rows:
            assert row[start] in ids[fields[start][2]] and row[end] in ids[fields[end][2]], (name, row)
    supports = read_csv(os.path.join(d, "edges_SUPPORTS.csv"))
    header = supports[0]
    for field in ("id:long", "on", "on_id:long", "as"):
        assert field in header, header
    on, who = header.index("on"), header.index(":START_ID(Entity)")
    names = {}
    for f in csvs:
        if f.startswith("nodes_"):
            for row in read_csv(os.path.join(d, f))[1:]:
                names[row[0]] = row[1]
    rhel_ids = {i for i, n in names.items() if n == RHEL}
    answer = sorted({names[r[who]] for r in supports[1:] if r[on] == HYPERV and r[1] in rhel_ids})
    assert answer == who_supports_rhel_on_hyperv(), answer


# ------------------------------------------------------------------------------------ RDF

SPARQL_WHO = """
PREFIX pg: <urn:pactgraph:vocab:>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?who WHERE {
  ?s a rdf:Statement ; rdf:predicate pg:SUPPORTS ; rdf:subject ?a ; rdf:object ?b ; pg:on ?on .
  ?a rdfs:label ?who . ?b rdfs:label "%s" . ?on rdfs:label "%s" .
} ORDER BY ?who
"""


def parse_turtle(text):
    import rdflib
    g = rdflib.Graph()
    g.parse(data=text, format="turtle")
    return g


def test_turtle_reads_back_and_answers_in_sparql():
    rc, out, err = run("export", "--format", "turtle")
    assert rc == 0, err
    g = parse_turtle(out)
    who = [str(r[0]) for r in g.query(SPARQL_WHO % (RHEL, HYPERV))]
    assert who == who_supports_rhel_on_hyperv(), who
    evidence = list(g.query("""PREFIX pg: <urn:pactgraph:vocab:>
        SELECT ?text ?key WHERE { ?s pg:source ?src . ?src pg:evidence ?text ; pg:document ?d . ?d pg:key ?key } LIMIT 1"""))
    assert evidence and str(evidence[0][0]), evidence
    said = list(g.query("PREFIX pg: <urn:pactgraph:vocab:> SELECT (COUNT(*) AS ?n) WHERE { ?p pg:SAID ?c . ?c a pg:Claim }"))
    assert int(said[0][0]) == stats()["relations_by_type"]["SAID"], said


def test_turtle_escapes_quotes_line_breaks_and_control_characters():
    import rdflib
    db = os.path.join(work, "odd.db")
    name = 'The "Odd"\\Product\ttab\x01bell\x7f'
    facts = "\n".join(json.dumps(x) for x in [
        {"kind": "entity", "name": "Odd Co", "type": "Company", "aliases": []},
        {"kind": "entity", "name": name, "type": "Product", "aliases": ["<angle> & 'quote'"]},
        {"kind": "relation", "type": "SUPPORTS", "subject": "Odd Co", "object": name, "qualifiers": {"as": 'a "guest"'},
         "evidence": 'line one\nline "two"\r\n\x02end'}]) + "\n"
    rc, out, err = run("import", "-", db=db, stdin=facts)
    assert rc == 0, err
    rc, out, err = run("export", db=db)
    assert rc == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    stored = [x["name"] for x in lines if x.get("type") == "Product"][0]
    evidence = [x for x in lines if x["kind"] == "relation"][0]["sources"][0]["evidence"]
    assert "\x01" in stored and "\n" in evidence, (stored, evidence)
    rc, out, err = run("export", "--format", "turtle", db=db)
    assert rc == 0, err
    g = parse_turtle(out)
    # Control characters come out as visible escapes; quotes, backslashes and line breaks as they were.
    visible = lambda s: s.replace("\x01", "\\x01").replace("\x02", "\\x02")  # noqa: E731
    labels = {str(o) for o in g.objects(None, rdflib.RDFS.label)}
    assert visible(stored) in labels, (stored, labels)
    assert {str(o) for o in g.objects(None, rdflib.URIRef("urn:pactgraph:vocab:alias"))} == {"<angle> & 'quote'"}
    assert {str(o) for o in g.objects(None, rdflib.URIRef("urn:pactgraph:vocab:as"))} == {'a "guest"'}
    assert {str(o) for o in g.objects(None, rdflib.URIRef("urn:pactgraph:vocab:evidence"))} == {visible(evidence)}


# ------------------------------------------------------------------------------------ GraphML, DOT


def test_graphml_has_a_key_per_qualifier_slot():
    import xml.etree.ElementTree as ET
    rc, out, err = run("export", "--format", "graphml")
    assert rc == 0, err
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.fromstring(out)
    keys = {k.get("attr.name"): k.get("id") for k in root.findall("g:key", ns) if k.get("for") == "edge"}
    assert {"relation", "on", "as"} <= set(keys) and "qualifiers" not in keys, keys
    names = {n.get("id"): {d.get("key"): d.text for d in n.findall("g:data", ns)} for n in root.findall(".//g:node", ns)}
    name_key = [k.get("id") for k in root.findall("g:key", ns) if k.get("attr.name") == "name"][0]
    who = set()
    for e in root.findall(".//g:edge", ns):
        data = {d.get("key"): d.text for d in e.findall("g:data", ns)}
        if data.get(keys["relation"]) == "SUPPORTS" and data.get(keys["on"]) == HYPERV and \
                names[e.get("target")].get(name_key) == RHEL:
            who.add(names[e.get("source")][name_key])
    assert sorted(who) == who_supports_rhel_on_hyperv(), who
    rc, out, err = run("export", "--format", "dot", "--focus", RHEL, "--depth", "1")
    assert rc == 0 and f'"on"="{HYPERV}"' in out and '"as"="guest"' in out, out[:2000]


# ------------------------------------------------------------------------------------ HTTP


def get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8")


def test_http_serves_the_same_exports():
    proc, port = start_server(PG, DB, "secret-token", "--read-only")
    try:
        for fmt, expected in (("kuzu", os.path.join(work, "kuzu")), ("neo4j", os.path.join(work, "neo4j"))):
            status, _, body = get(port, f"/export?format={fmt}")
            assert status == 200, body
            files = json.loads(body)["files"]
            assert sorted(files) == sorted(os.listdir(expected)), (files, os.listdir(expected))
        status, ctype, body = get(port, "/export?format=kuzu&file=schema.cypher")
        assert status == 200 and body == open(os.path.join(work, "kuzu", "schema.cypher")).read(), body[:300]
        status, ctype, body = get(port, "/export?format=neo4j&file=edges_SUPPORTS.csv")
        assert status == 200 and ctype.startswith("text/csv") and body.startswith(":START_ID(Entity)"), (ctype, body[:300])
        status, _, body = get(port, "/export?format=neo4j&file=nothing.csv")
        assert status == 404 and "nothing.csv" in body, body
        status, ctype, body = get(port, "/export?format=turtle")
        assert status == 200 and ctype.startswith("text/turtle"), ctype
        assert [str(r[0]) for r in parse_turtle(body).query(SPARQL_WHO % (RHEL, HYPERV))] == who_supports_rhel_on_hyperv()
        status, _, body = get(port, "/export?format=rdf")
        assert status == 400 and "turtle" in body and "kuzu" in body, body
        status, _, body = get(port, "/openapi.json")
        formats = [p for p in json.loads(body)["paths"]["/export"]["get"]["parameters"] if p["name"] == "format"][0]
        assert {"kuzu", "neo4j", "turtle"} <= set(formats["schema"]["enum"]), formats
    finally:
        stop_server(proc)


# ------------------------------------------------------------------------------------ errors


def test_an_unknown_format_lists_the_formats():
    rc, out, err = run("export", "--format", "kuzo", "--output", os.path.join(work, "never"))
    assert rc == 2 and 'unknown export format "kuzo" (did you mean kuzu?)' in err, err
    assert "jsonl, graphml, dot, csv, kuzu, neo4j, turtle" in err, err
    assert not os.path.exists(os.path.join(work, "never"))


def test_an_unwritable_output_is_a_clear_error():
    blocker = os.path.join(work, "a-file")
    open(blocker, "w").close()
    for fmt in ("kuzu", "neo4j", "turtle"):
        rc, out, err = run("export", "--format", fmt, "--output", os.path.join(blocker, "inside"))
        assert rc == 2 and "error: --output " + os.path.join(blocker, "inside") in err, (fmt, rc, err)
    rc, out, err = run("export", "--format", "kuzu", "--output", blocker)
    assert rc == 2 and "cannot create the folder" in err, err


def test_a_failed_export_leaves_no_files_behind():
    d = os.path.join(work, "failed")
    rc, out, err = run("export", "--format", "kuzu", "--focus", "Nobody Inc", "--output", d)
    assert rc == 2 and "Nobody Inc" in err, err
    assert os.listdir(d) == [], os.listdir(d)


def main():
    try:
        setup()
    except AssertionError as e:
        check.fail(f"setup: {e}")
        check.finish()
    for name, fn in list(globals().items()):
        if name.startswith("test_"):
            check(name[5:].replace("_", " "), fn)
    shutil.rmtree(work, ignore_errors=True)
    check.finish()


if __name__ == "__main__":
    main()
