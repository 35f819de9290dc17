#!/usr/bin/env python3
"""Time and disagreement as a user meets them (issue 20), on the dated releases of
datasets/timeline: a support announced, shipped and ended, a partnership that ends, a denial, two
sources that tell a qualifier differently, one story carried twice.

    time_test.py PACTGRAPH DATASETS_DIR

Each check prints "ok NAME" or "FAIL NAME: why"; the exit status is the number of failures.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks, start_server, stop_server  # noqa: E402

PG, DATASETS = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="pactgraph-time-")
db = os.path.join(work, "db")
check = Checks()
AGREEMENT = "Kestrel Systems\u2013Fjordsoft agreement"


def pg(*args, code=0):
    r = subprocess.run([PG, "--db", db, *args], capture_output=True, text=True, timeout=120)
    assert r.returncode == code, (args, r.returncode, r.stdout, r.stderr)
    return r


def answer(statement):
    return json.loads(pg("query", "--format", "json", statement).stdout)


def rows(statement):
    return [r["values"] for r in answer(statement)["rows"]]


pg("import", "--quiet", "--gazetteer", os.path.join(DATASETS, "timeline-names.jsonl"), os.path.join(DATASETS, "timeline"))


def test_the_agreement_has_three_dated_steps_from_different_documents():
    steps = rows('TIMELINE "%s"' % AGREEMENT)
    kestrel = [s for s in steps if s["fact"].startswith("Kestrel Systems PARTY_TO")]
    assert [(s["date"], s["step"], s["status"]) for s in kestrel] == [
        ("2018-03-05", "stated", "active"), ("2018-09-10", "restated", "active"),
        ("2021-06-30", "changed", "active -> ended")], kestrel
    assert len({s["source"] for s in kestrel}) == 3, kestrel


def test_an_ended_support_is_never_plain_support():
    # The 2021 release says "will no longer support": the fact's last word is ended, from that
    # release, with its sentence.
    steps = [s for s in rows('TIMELINE "Quill OS"') if s["fact"] == "Kestrel Systems SUPPORTS Quill OS (on Vega, as guest)"]
    assert [s["status"] for s in steps] == ["planned", "planned -> active", "active -> ended"], steps
    assert steps[-1]["sentence"] == "Kestrel Systems will no longer support Quill OS as a guest on Vega.", steps[-1]


def test_the_syndicated_copy_is_one_document_with_two_addresses():
    docs = json.loads(pg("documents", "--format", "json").stdout)
    items = docs["documents"] if isinstance(docs, dict) else docs
    same = [d for d in items if d.get("title") == "Quill OS guests are supported on Vega from today"]
    assert len(same) == 1, same
    urls = [loc for loc in same[0]["locations"] if loc.startswith("https://")]
    assert sorted(urls) == ["https://kestrel.example/press/quill-os-on-vega",
                            "https://newswire.example/kestrel-systems/2018/09/10/quill-os-on-vega"], same[0]["locations"]
    # ... so the shipped support has one telling on 2018-09-10, not two.
    steps = [s for s in rows('TIMELINE "Quill OS"')
             if s["date"] == "2018-09-10" and s["fact"] == "Kestrel Systems SUPPORTS Quill OS (on Vega, as guest)"]
    assert len(steps) == 1, steps


def test_changes_and_conflicts():
    window = rows("CHANGES BETWEEN 2022-01-01 AND 2022-12-31")
    assert [(c["change"], c["fact"]) for c in window] == [("ended", "Orca Networks SUPPORTS Quill OS (on Tern Cloud)")], window
    conflicts = rows("CONFLICTS")
    dates = [c["date"] for c in conflicts]
    assert dates == sorted(dates, reverse=True), dates
    denied = [c for c in conflicts if c["conflict"] == "denied"]
    assert len(denied) == 1 and "Fjordsoft Newsroom 2018-03-05" in denied[0]["one source"] \
        and "Cloud Ledger 2019-04-02" in denied[0]["the other"], denied
    assert any(c["conflict"] == "qualifier" and "as host" in c["the other"] for c in conflicts), conflicts


def test_the_shell_and_http_give_the_same_rows():
    statement = 'CONFLICTS ABOUT "Lumen DB"'
    cli = pg("query", "--format", "csv", statement).stdout
    shell = subprocess.run([PG, "--db", db, "shell"], input=statement + ";\n", capture_output=True, text=True, timeout=60)
    assert shell.returncode == 0 and "denied" in shell.stdout and "Brightwave Labs" in shell.stdout, shell.stdout + shell.stderr
    server, port = start_server(PG, db, "t0ken")
    try:
        req = urllib.request.Request("http://127.0.0.1:%d/query" % port, data=json.dumps({"query": statement}).encode(),
                                     headers={"Content-Type": "application/json"})
        body = json.loads(urllib.request.urlopen(req, timeout=60).read())
        assert [r["values"] for r in body["rows"]] == rows(statement), body
    finally:
        stop_server(server)
    assert "Cloud Ledger 2019-04-02" in cli, cli


def test_a_bad_window_is_an_error_and_changes_nothing():
    before = pg("stats").stdout
    r = pg("query", "CHANGES BETWEEN 2022-01-01 AND 2021-01-01", code=2)
    assert "line 1, column 32" in r.stderr and "ends before it begins" in r.stderr, r.stderr
    assert pg("stats").stdout == before


def test_corroboration_counts_documents_and_a_bad_minimum_is_refused():
    got = rows("MATCH (c)-[s:SUPPORTS]->(p:Product {name: 'Quill OS'}) RETURN c.name, s.sources, s.publishers ORDER BY s.sources DESC")
    # Four documents (the newswire copy is the 2018 release itself), three publishers.
    assert got[0] == {"c.name": "Kestrel Systems", "s.sources": 4, "s.publishers": 3}, got
    assert [r["subject"] for r in rows('WHO SUPPORTS "Quill OS"')] == ["Kestrel Systems", "Orca Networks"]
    r = pg("query", "--min-sources", "3", "--format", "json", 'WHO SUPPORTS "Quill OS"')
    assert [x["values"]["subject"] for x in json.loads(r.stdout)["rows"]] == ["Kestrel Systems"], r.stdout
    bad = pg("query", "--min-sources", "0", 'WHO SUPPORTS "Quill OS"', code=2)
    assert "--min-sources needs a number from 1" in bad.stderr, bad.stderr


def test_an_export_and_import_keeps_each_sources_status():
    out = os.path.join(work, "export.jsonl")
    pg("export", "--output", out)
    copy = os.path.join(work, "copy")
    r = subprocess.run([PG, "--db", copy, "import", "--quiet", out], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    again = subprocess.run([PG, "--db", copy, "query", "--format", "json", 'TIMELINE "Quill OS"'], capture_output=True, text=True, timeout=60)
    assert [x["values"] for x in json.loads(again.stdout)["rows"]] == rows('TIMELINE "Quill OS"'), again.stdout


check("the agreement's timeline has three dated steps from different documents",
      test_the_agreement_has_three_dated_steps_from_different_documents)
check("an ended support is never plain support", test_an_ended_support_is_never_plain_support)
check("the syndicated copy is one document with two addresses, told once",
      test_the_syndicated_copy_is_one_document_with_two_addresses)
check("CHANGES lists the ended support; CONFLICTS the denial and the qualifier, newest first", test_changes_and_conflicts)
check("the shell and POST /query give the same rows", test_the_shell_and_http_give_the_same_rows)
check("a window that ends before it begins is an error and changes nothing", test_a_bad_window_is_an_error_and_changes_nothing)
check("corroboration counts distinct documents and publishers; --min-sources 0 is refused",
      test_corroboration_counts_documents_and_a_bad_minimum_is_refused)
check("an export imported elsewhere keeps each source's status (the same TIMELINE)",
      test_an_export_and_import_keeps_each_sources_status)
shutil.rmtree(work, ignore_errors=True)
check.finish()
