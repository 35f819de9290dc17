#!/usr/bin/env python3
"""The pactgraph command end to end, as a user runs it: import, show, stats, check, export.

    cli_test.py PACTGRAPH DATASETS_DIR

Each check prints "ok NAME" or "FAIL NAME: why"; the exit status is the number of failures.
Everything it reads is in the repository: the bundled releases (datasets/press) and their gold
facts (datasets/gold).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks  # noqa: E402

PG, DATASETS = sys.argv[1], sys.argv[2]
GOLD = os.path.join(DATASETS, "gold")
PRESS = os.path.join(DATASETS, "press")
check = Checks()
work = tempfile.mkdtemp(prefix="pactgraph-e2e-")


def run(*args, db="main.db", stdin=None):
    p = subprocess.run([PG, "--db", os.path.join(work, db), *args], capture_output=True, text=True,
                       input=stdin, timeout=120)
    return p.returncode, p.stdout, p.stderr


def stats(db="main.db"):
    rc, out, err = run("stats", "--format", "json", db=db)
    assert rc == 0, err
    counts = json.loads(out)
    counts.pop("disk_bytes", None)  # compaction may change it; the facts are what must not
    return counts


def seed_file():
    return os.path.join(GOLD, "redhat-microsoft-2009.facts.jsonl")


def test_show_rhel():
    rc, out, err = run("import", seed_file())
    assert rc == 0, err
    rc, out, err = run("show", "RHEL")
    assert rc == 0, err
    assert out.startswith("Red Hat Enterprise Linux\n"), out[:200]
    assert "aliases  RHEL" in out, out[:300]
    for platform in ("Windows Server 2008 Hyper-V", "Hyper-V Server 2008"):
        line = f"  Microsoft  SUPPORTS  Red Hat Enterprise Linux  on: {platform} · as: guest"
        assert line in out, f"missing: {line}"
    assert 'source: redhat-microsoft-2009.facts.jsonl, line 24: "Microsoft will validate and support' in out


def test_same_file_twice_changes_nothing():
    before = stats()
    rc, out, err = run("import", seed_file())
    assert rc == 0, err
    assert "already imported" in out, out
    assert stats() == before


def test_broken_line_7():
    before = stats()
    broken = os.path.join(work, "broken.facts.jsonl")
    with open(os.path.join(GOLD, "microsoft-novell-2006.facts.jsonl")) as f:
        lines = f.readlines()
    lines[6] = lines[6].replace('"type":', '"type"', 1)
    with open(broken, "w") as f:
        f.writelines(lines)
    rc, out, err = run("import", broken)
    assert rc == 2, f"exit {rc}"
    assert f"error: {broken}:7:" in err, err
    assert "malformed JSON" in err and "nothing from" in err, err
    assert stats() == before


def test_missing_database_is_not_created():
    rc, out, err = run("stats", db="nowhere.db")
    assert rc == 2, f"exit {rc}"
    assert "no database at" in err, err
    assert not os.path.exists(os.path.join(work, "nowhere.db"))


def test_unknown_name_suggests():
    rc, out, err = run("show", "Mike Nell")
    assert rc == 2, f"exit {rc}"
    assert 'no entity is named "Mike Nell"; did you mean "Mike Neil"' in err, err


def test_all_gold_facts():
    files = sorted(os.path.join(GOLD, f) for f in os.listdir(GOLD) if f.endswith(".facts.jsonl"))
    rc, out, err = run("import", *files, db="dev.db")
    assert rc == 0, err
    s = stats("dev.db")
    assert s["relations_by_type"]["SAID"] == 24, s["relations_by_type"]
    assert s["entities_by_type"]["Company"] >= 10, s
    rc, out, err = run("check", db="dev.db")
    assert rc == 0 and out.startswith("ok: "), out + err
    rc, out, err = run("show", "Novell", db="dev.db")
    assert "Novell  PARTNERS_WITH  Microsoft" in out or "Microsoft  PARTNERS_WITH  Novell" in out, out
    rc, out, err = run("show", "Oracle", db="dev.db")
    assert "Oracle  PARTNERS_WITH  Microsoft" in out or "Microsoft  PARTNERS_WITH  Oracle" in out, out


def test_export_round_trip():
    rc, first, err = run("export", db="dev.db")
    assert rc == 0, err
    path = os.path.join(work, "export.jsonl")
    with open(path, "w") as f:
        f.write(first)
    rc, out, err = run("import", path, db="copy.db")
    assert rc == 0, err
    rc, second, err = run("export", db="copy.db")
    assert rc == 0, err
    assert first == second, "second export differs"
    assert stats("copy.db")["relations"] == stats("dev.db")["relations"]


def test_lenient():
    path = os.path.join(work, "lenient.jsonl")
    with open(path, "w") as f:
        f.write('{"kind":"entity","name":"Acme","type":"Company"}\n')
        f.write('{"kind":"relation","type":"BUYS","subject":"Acme","object":"Acme"}\n')
        f.write('{"kind":"entity","name":"Acme Cloud","type":"Product"}\n')
        f.write('{"kind":"relation","type":"DEVELOPS","subject":"Acme","object":"Acme Cloud"}\n')
    rc, out, err = run("import", path, db="lenient.db")
    assert rc == 2 and ":2:" in err and 'unknown relation type "BUYS"' in err, err
    rc, out, err = run("import", "--lenient", path, db="lenient.db")
    assert rc == 0, err
    assert "warning: " in err and "(line skipped)" in err, err
    assert "1 line skipped" in out, out
    assert stats("lenient.db")["relations"] == 1


def test_demo_from_press_release_texts():
    # What `make demo` does: the bundled press releases' text alone, no facts files.
    press = os.path.join(DATASETS, "press")
    assert not any(f.endswith(".jsonl") for f in os.listdir(press)), "the press folder holds texts only"
    rc, out, err = run("import", press, db="press.db")
    assert rc == 0, err
    assert "imported 12 of 12 files" in out, out
    rc, out, err = run("query", "--format", "json", 'WHO SUPPORTS "RHEL" ON "Hyper-V"', db="press.db")
    assert rc == 0, err
    rows = json.loads(out)["rows"]
    ms = [r for r in rows if r["values"]["subject"] == "Microsoft"]
    assert ms, rows
    assert all(r["evidence"] for r in ms), ms
    assert any("Microsoft will validate and support Red Hat Enterprise Linux" in e["text"] for r in ms for e in r["evidence"]), ms
    rc, out, err = run("check", db="press.db")
    assert rc == 0, out + err


def test_graph_exports():
    # The bundled releases' graph as GraphML (read back with an XML parser: a node per entity
    # that is not a claim, an edge per relation between them), a neighbourhood as DOT, and CSV
    # files for bulk loaders.
    import xml.etree.ElementTree as ET
    rc, out, err = run("import", "--quiet", os.path.join(DATASETS, "press"), db="graphs.db")
    assert rc == 0, err
    rc, out, err = run("export", "--format", "graphml", db="graphs.db")
    assert rc == 0, err
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.fromstring(out)
    nodes = len(root.findall(".//g:node", ns))
    edges = len(root.findall(".//g:edge", ns))
    s = stats("graphs.db")
    claims = s["entities_by_type"].get("Claim", 0)
    said_about = s["relations_by_type"].get("SAID", 0) + s["relations_by_type"].get("ABOUT", 0)
    assert nodes == s["entities"] - claims, (nodes, s)
    assert edges == s["relations"] - said_about, (edges, s)
    rc, out, err = run("export", "--format", "dot", "--focus", "RHEL", "--depth", "1", db="graphs.db")
    assert rc == 0 and out.startswith("digraph G {") and "Red Hat Enterprise Linux" in out, out[:300] + err
    csv_dir = os.path.join(work, "csv")
    rc, out, err = run("export", "--format", "csv", "--output", csv_dir, db="graphs.db")
    assert rc == 0 and "files into" in out, out + err
    rows = 0
    for name in os.listdir(csv_dir):
        if name.startswith("nodes_"):
            with open(os.path.join(csv_dir, name)) as f:
                rows += sum(1 for _ in f) - 1
    assert rows == nodes, (rows, nodes)
    rc, out, err = run("export", "--format", "csv", db="graphs.db")
    assert rc == 2 and "--output DIR" in err, err
    rc, out, err = run("export", "--format", "dot", "--focus", "Nobody Inc", db="graphs.db")
    assert rc == 2 and "Nobody Inc" in err, err


def test_new_version_of_an_article():
    d = os.path.join(work, "versions")
    os.makedirs(d, exist_ok=True)
    a, b = os.path.join(d, "a.txt"), os.path.join(d, "b.txt")
    v1 = ("Title: Acme news\nDate: 2020-01-01\n\nAcme Corp. will support Fjord Server 2008 as a guest on Quill OS. "
          "Beta Inc. will support Fjord Server 2008 on Quill OS.\n")
    with open(a, "w") as f:
        f.write(v1)
    with open(b, "w") as f:
        f.write("Title: Beta news\nDate: 2020-01-02\n\nBeta Inc. will support Fjord Server 2008 on Quill OS.\n")
    db = "versions.db"

    def who(product):
        rc, out, err = run("query", "--format", "json", 'WHO SUPPORTS "%s"' % product, db=db)
        assert rc == 0, err
        return sorted(r["values"]["subject"] for r in json.loads(out)["rows"])

    rc, out, err = run("import", a, b, db=db)
    assert rc == 0, err
    m = re.search(r"a\.txt: document #(\d+);", out)
    assert m, out
    first = "#" + m.group(1)
    assert who("Fjord Server 2008") == ["Acme", "Beta"], who("Fjord Server 2008")
    # The article is corrected: Acme now supports the 2012 release. Under the same file name but
    # without --replaces it is another document: nothing of the first goes.
    v2 = "Title: Acme news\nDate: 2020-01-01\n\nAcme Corp. will support Fjord Server 2012 as a guest on Quill OS.\n"
    c = os.path.join(d, "corrected")
    os.makedirs(c, exist_ok=True)
    with open(os.path.join(c, "a.txt"), "w") as f:
        f.write(v2)
    rc, out, err = run("import", os.path.join(c, "a.txt"), db="versions-kept.db")
    rc, out, err = run("import", a, b, os.path.join(c, "a.txt"), db="versions-kept.db")
    assert rc == 0 and "new version" not in out, out + err
    # With --replaces, Acme's 2008 support goes with the old text; Beta's stays, since the other
    # article states it too; the summary counts what went.
    rc, out, err = run("import", "--replaces", first, os.path.join(c, "a.txt"), db=db)
    assert rc == 0 and "a new version of a document" in out, out + err
    assert "document %s;" % first in out, out
    assert who("Fjord Server 2008") == ["Beta"], who("Fjord Server 2008")
    assert who("Fjord Server 2012") == ["Acme"]
    gone = int(re.search(r"(\d+) relations only it stated removed", out).group(1))
    assert gone >= 1, out
    rc, out, err = run("check", db=db)
    assert rc == 0, out + err
    # Importing the same version again changes nothing; going back to the first version restores it.
    rc, out, err = run("import", os.path.join(c, "a.txt"), db=db)
    assert "already imported" in out, out
    rc, out, err = run("import", "--replaces", first, a, db=db)
    assert rc == 0, err
    assert who("Fjord Server 2008") == ["Acme", "Beta"]
    assert who("Fjord Server 2012") == []
    rc, out, err = run("check", db=db)
    assert rc == 0, out + err
    # --replaces names a stored document, and one article.
    rc, out, err = run("import", "--replaces", "#999", a, db=db)
    assert rc == 2 and "no document has the id 999" in err, err
    rc, out, err = run("import", "--replaces", first, a, b, db=db)
    assert rc == 2 and "one article" in err, err


def test_documents_without_a_url_keep_their_facts():
    """Two different articles from standard input, and two files named alike in two folders, are
    four documents: every fact of each stays."""
    texts = ["Title: Acme news\n\nAcme Corp will support Fjord Server on Quill OS.\n",
             "Title: Beta news\n\nBeta Inc will support Lumen DB on Quill OS.\n",
             "Title: Gamma news\n\nGamma Ltd will support Orbit Cache on Quill OS.\n",
             "Title: Delta news\n\nDelta Corp will support Pylon Store on Quill OS.\n"]
    db = "identity.db"
    for t in texts[:2]:
        rc, out, err = run("import", "-", db=db, stdin=t)
        assert rc == 0 and "new version" not in out, out + err
    for i, t in enumerate(texts[2:]):
        folder = os.path.join(work, "news", "ab"[i])
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "release.txt"), "w") as f:
            f.write(t)
    rc, out, err = run("import", os.path.join(work, "news"), db=db)
    assert rc == 0 and "new version" not in out, out + err
    for company, product in (("Acme Corp", "Fjord Server"), ("Beta Inc", "Lumen DB"), ("Gamma Ltd", "Orbit Cache"),
                             ("Delta Corp", "Pylon Store")):
        rc, out, err = run("query", "--format", "json", 'WHAT DOES "%s" SUPPORT' % company, db=db)
        assert rc == 0, err
        got = [r["values"]["object"] for r in json.loads(out)["rows"]]
        assert got == [product], (company, got)
    assert stats(db)["relations_by_type"]["SUPPORTS"] == 4, stats(db)


def test_memory_budget():
    """A large facts file imported within a small memory budget (its writes set aside on disk as
    sorted runs, written by a second thread) stores what an import with the default stores; a
    budget that is not a size, or below 16M, is refused before anything is created."""
    path = os.path.join(work, "budget.jsonl")
    with open(path, "w") as f:
        f.write(json.dumps({"kind": "document", "key": "budget-doc", "title": "Budget", "date": "2021-03-04"}) + "\n")
        for c in range(40):
            f.write(json.dumps({"kind": "entity", "name": "Budgetco %d" % c, "type": "Company"}) + "\n")
        for i in range(60000):
            f.write(json.dumps({"kind": "relation", "type": "DEVELOPS", "subject": "Budgetco %d" % (i % 40),
                                "object": "Budget product %d" % i, "doc": "budget-doc",
                                "evidence": "Budgetco %d makes product %d" % (i % 40, i)}) + "\n")
    for bad in ("1M", "lots", "-5G"):
        rc, out, err = run("import", "--memory-budget", bad, path, db="budget-bad.db")
        assert rc == 2 and "--memory-budget" in err and bad in err, (rc, err)
        assert not os.path.exists(os.path.join(work, "budget-bad.db")), "a refused import created the store"
    rc, out, err = run("import", "--memory-budget", "16M", path, db="budget-small.db")
    assert rc == 0, err
    rc, out, err = run("import", path, db="budget-default.db")
    assert rc == 0, err
    small, default = stats("budget-small.db"), stats("budget-default.db")
    assert small == default, (small, default)
    assert default["relations"] == 60000, default
    rc, out, err = run("check", db="budget-small.db")
    assert rc == 0, out + err
    assert not os.path.exists(os.path.join(work, "budget-small.db", "ingest.tmp")), "runs left on disk"


def test_help():
    for cmd in ("import", "export", "stats", "check", "show", "schema"):
        rc, out, err = run(cmd, "--help")
        assert rc == 0 and out.startswith("usage: pactgraph"), cmd
    rc, out, err = run("frobnicate")
    assert rc == 2 and 'unknown command "frobnicate"' in err
    # A near miss says what was meant; `help COMMAND` is the command's help.
    rc, out, err = run("qeury", "SHOW RHEL")
    assert rc == 2 and 'did you mean "query"' in err, err
    rc, out, err = run("query", "--fromat", "json", "SHOW RHEL")
    assert rc == 2 and "did you mean --format?" in err, err
    rc, out, err = run("help", "query")
    assert rc == 0 and out.startswith("usage: pactgraph [--db DIR] query"), out[:80]


def test_two_quoted_statements_are_two():
    rc, _, err = run("import", "--quiet", os.path.join(GOLD, "ibm-redhat-2019.facts.jsonl"), db="two.db")
    assert rc == 0, err
    rc, out, err = run("query", "--no-evidence", "SHOW Red Hat", 'WHO ACQUIRES "Red Hat"', db="two.db")
    assert rc == 0 and out.startswith("Red Hat (Company") and "IBM      Red Hat" in out, (rc, out, err)
    rc, out, err = run("query", "--no-evidence", "WHO", "ACQUIRES", "Red", "Hat", db="two.db")  # words: one statement
    assert rc == 0 and "IBM" in out, (rc, out, err)


def test_datasets():
    files = sorted(os.path.join(DATASETS, f) for f in os.listdir(DATASETS) if f.endswith(".facts.jsonl"))
    assert files, "no datasets"
    rc, out, err = run("import", *files, db="datasets.db")
    assert rc == 0, err
    rc, out, err = run("check", db="datasets.db")
    assert rc == 0, out


def test_query_seed():
    db = "query.db"
    rc, _, err = run("import", "--quiet", seed_file(), db=db)
    assert rc == 0, err
    rc, out, err = run("query", "--format", "json", 'WHO SUPPORTS "RHEL" ON "Hyper-V"', db=db)
    assert rc == 0, err
    answer = json.loads(out)
    who = {r["values"]["subject"] for r in answer["rows"]}
    assert "Microsoft" in who, who
    ms = [r for r in answer["rows"] if r["values"]["subject"] == "Microsoft"]
    assert all(r["evidence"] and r["evidence"][0]["text"] for r in ms), ms
    assert any("Microsoft will validate and support" in e["text"] for r in ms for e in r["evidence"])
    # The table shows the evidence under each row.
    rc, out, err = run("query", 'WHO SUPPORTS "RHEL" ON "Hyper-V"', db=db)
    assert rc == 0 and "    source: " in out, out + err
    # A misspelt name gets "did you mean"; exit status 2.
    rc, out, err = run("query", 'WHO SUPPORTS "Red Hat Enterprize Linux"', db=db)
    assert rc == 2 and 'did you mean "Red Hat Enterprise Linux"' in err, err
    # A syntax error gets its line and column and a caret.
    rc, out, err = run("query", "WHO SUPPORTS RHEL\nON", db=db)
    assert rc == 2 and "line 2, column 3" in err and "\n    ^" in err, err
    # Queries from standard input, one per line; CSV.
    rc, out, err = run("query", "--format", "csv", "--no-evidence", db=db,
                       stdin="WHO WORKS FOR Microsoft\nWHAT RUNS ON RHEL\n")
    assert rc == 0, err
    assert out.splitlines()[0].startswith("subject,object,title") and "Mike Neil,Microsoft" in out, out
    assert "Windows Server 2003,Red Hat Enterprise Linux" in out, out
    # One failing query of a script does not stop the others.
    rc, out, err = run("query", "--no-evidence", db=db, stdin="SHOW Nobody; WHO WORKS FOR Microsoft")
    assert rc == 2 and "Mike Neil" in out and "query 1" in err, out + err
    # Parameters from the command line, for the same statement with other values.
    rc, out, err = run("query", "--format", "csv", "--no-evidence", "--param", "x=RHEL", "--param", 'y=Hyper-V',
                       "WHO SUPPORTS $x ON $y", db=db)
    assert rc == 0 and "Microsoft" in out, out + err
    rc, out, err = run("query", "--param", "x=RHEL", "WHO SUPPORTS $x ON $y", db=db)
    assert rc == 2 and "parameter $y has no value" in err, err
    rc, out, err = run("query", "--param", "=3", "SHOW $x", db=db)
    assert rc == 2 and "NAME=VALUE" in err, err
    # Bad flags.
    rc, _, err = run("query", "--format", "xml", "SHOW RHEL", db=db)
    assert rc == 2 and "table, json or csv" in err, err

def test_articles_folder():
    # A folder of articles with files that are not articles among them: the articles are
    # imported, the others reported and listed, the exit status is 2 and nothing is lost.
    folder = os.path.join(work, "articles")
    os.makedirs(os.path.join(folder, "sub"), exist_ok=True)
    shutil.copy(os.path.join(PRESS, "redhat-microsoft-2009.txt"), folder)
    with open(os.path.join(folder, "sub", "binary.txt"), "wb") as f:
        f.write(b"PK\x03\x04\x00\x00\x00")
    open(os.path.join(folder, "empty.txt"), "w").close()
    with open(os.path.join(folder, "latin1.txt"), "wb") as f:
        f.write(b"Title: caf\xe9\n\nSome text.\n")
    with open(os.path.join(folder, "menu.html"), "w") as f:
        f.write("<html><body><nav><p>Home, news and all the other parts of the site.</p></nav></body></html>")
    with open(os.path.join(folder, "huge.txt"), "w") as f:  # 50 MB of text
        f.write("Title: A very long article\n\n")
        line = "Acme Corp. will support Fjord Server 2008 on Quill OS, and much more besides. " * 10 + "\n"
        for _ in range(50 * 1024 * 1024 // len(line)):
            f.write(line)
    db = "articles.db"
    rc, out, err = run("import", folder, db=db)
    assert rc == 2, (rc, out, err)
    assert "redhat-microsoft-2009.txt: " in out and "imported 1 of 6 files" in out, out
    for name, why in (("binary.txt", "binary"), ("empty.txt", "empty"), ("latin1.txt", "invalid UTF-8"),
                      ("menu.html", "no article text"), ("huge.txt", "larger than")):
        assert name in err and why in err, (name, err)
    assert "skipped 5 files" in err, err
    # The seed article's text alone answers the question, with its sentence as evidence.
    rc, out, err = run("query", "--format", "json", 'WHO SUPPORTS "RHEL" ON "Hyper-V"', db=db)
    assert rc == 0, err
    answer = json.loads(out)
    ms = [r for r in answer["rows"] if r["values"]["subject"] == "Microsoft"]
    assert ms and all(r["evidence"] for r in ms), answer
    assert any("Microsoft will validate and support" in e["text"] and e["date"] == "2009-02-16" for r in ms for e in r["evidence"]), ms
    # Importing it again changes nothing; extract prints the same facts without a database.
    rc, out, err = run("import", os.path.join(folder, "redhat-microsoft-2009.txt"), db=db)
    assert rc == 0 and "already imported" in out, out + err
    rc, out, err = run("extract", os.path.join(folder, "redhat-microsoft-2009.txt"))
    assert rc == 0, err
    kinds = {json.loads(l)["kind"] for l in out.splitlines()}
    assert kinds == {"entity", "relation", "claim"}, kinds
    rc, out, err = run("extract", folder)
    assert rc == 1 and "5 of 6 files skipped" in err, (rc, err)
    os.remove(os.path.join(folder, "huge.txt"))

def test_a_script_with_a_syntax_error_runs_the_rest():
    # Statement 3 of 5 misspelt: the four others answer, the third is reported with its number
    # and its line in the script, and the exit status says one failed; `shell < script` the same.
    db = "script.db"
    rc, _, err = run("import", "--quiet", os.path.join(GOLD, "ibm-redhat-2019.facts.jsonl"),
                     os.path.join(GOLD, "sap-google-2017.facts.jsonl"), db=db)
    assert rc == 0, err
    script = ('WHO ACQUIRES "Red Hat";\nWHO VALIDATES "SAP HANA";\nWHO SUPORTS RHEL;\n'
              'WHAT RUNS ON "Google Cloud Platform";\nRANK Company BY DEGREE LIMIT 1;\n')
    rc, out, err = run("query", "--no-evidence", db=db, stdin=script)
    assert rc == 2, (rc, out, err)
    assert "IBM" in out and "SAP" in out and "SAP HANA" in out and "rank" in out, out
    assert "query 3: line 3, column 5" in err and "^^^^^^^" in err, err
    rc, out, err = run("shell", db=db, stdin=script)
    assert rc == 2 and "IBM" in out and "rank" in out, (rc, out, err)
    rc, out, err = run("shell", db=db, stdin='WHO ACQUIRES "Red Hat";\n')
    assert rc == 0, (rc, err)
    # sqlite's dot-commands do what their backslash twins do; "quit" and "\q" leave at once,
    # "\q" even in the middle of a statement (the rest of the input is not run).
    rc, out, err = run("shell", db=db, stdin='.mode json\nWHO ACQUIRES "Red Hat";\n.tables\nquit\nWHO VALIDATES "SAP HANA";\n')
    assert rc == 0 and '"subject":"IBM"' in out and "SAP" not in out, (rc, out, err)
    assert "unknown command .tables" in err and "\\help" in err, err
    # \timing (or .timer) off leaves the time out of the table's last line.
    rc, out, err = run("shell", "--no-evidence", db=db, stdin='.timer off\nWHO ACQUIRES "Red Hat";\n')
    assert rc == 0 and "timing: off" in out and "(1 row)" in out, (rc, out, err)
    rc, out, err = run("shell", db=db, stdin='WHO ACQUIRES\n\\q\nWHO VALIDATES "SAP HANA";\n')
    assert rc == 0 and "SAP" not in out and not err, (rc, out, err)
    # \explain on shows each answer's plan once, after the answer.
    rc, out, err = run("shell", db=db, stdin='\\explain on\nWHO ACQUIRES "Red Hat";\n')
    assert rc == 0 and out.count("Project subject") == 1, out


check("help and unknown command", test_help)
check("two quoted statements are two statements; unquoted words one", test_two_quoted_statements_are_two)
check("a script with a syntax error in statement 3 runs the other four; exit 2", test_a_script_with_a_syntax_error_runs_the_rest)
check("bundled datasets import and check", test_datasets)
check("the demo's store from the press releases' texts answers with the sentence", test_demo_from_press_release_texts)
check("a new version of an article replaces its own facts only", test_new_version_of_an_article)
check("documents without a URL keep their facts (stdin twice, same file name in two folders)",
      test_documents_without_a_url_keep_their_facts)
check("GraphML reads back with the same counts; DOT neighbourhood; CSV files", test_graph_exports)
check("lenient import skips and counts", test_lenient)
check("an import within a 16M memory budget stores what the default stores; bad budgets refused", test_memory_budget)
check("missing database is reported and not created", test_missing_database_is_not_created)
check("import seed, show RHEL with Microsoft's SUPPORTS", test_show_rhel)
check("query: who supports RHEL on Hyper-V, with evidence; errors; scripts", test_query_seed)
check("articles: a folder with bad files, the seed's text answers the question", test_articles_folder)
check("same file twice leaves stats unchanged", test_same_file_twice_changes_nothing)
check("file broken at line 7 names line 7, stats unchanged", test_broken_line_7)
check("unknown name suggests the nearest", test_unknown_name_suggests)
check("every gold facts file imports and checks", test_all_gold_facts)
check("export, import, export gives the same lines", test_export_round_trip)
shutil.rmtree(work, ignore_errors=True)
check.finish()
