#!/usr/bin/env python3
"""Corroboration over HTTP, on the dated releases of datasets/timeline: /query takes min_sources
(GET and POST) as `query --min-sources` does, refuses a bad one with a 400 naming it, and every
WHO/WHAT row carries its fact's sources and publishers; GET /entities and /graph say a relation is
disputed when SHOW does.

    time_more_test.py PACTGRAPH DATASETS_DIR

Each check prints "ok NAME" or "FAIL NAME: why"; the exit status is the number of failures.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks, start_server, stop_server  # noqa: E402

PG, DATASETS = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="pactgraph-time-more-")
db = os.path.join(work, "db")
check = Checks()
WHO = 'WHO SUPPORTS "Quill OS"'

r = subprocess.run([PG, "--db", db, "import", "--quiet", "--gazetteer", os.path.join(DATASETS, "timeline-names.jsonl"),
                    os.path.join(DATASETS, "timeline")], capture_output=True, text=True, timeout=120)
assert r.returncode == 0, r.stderr


def release(key, publisher, date, subject):
    """One dated document from one publisher in which `subject` supports Widget OS."""
    sentence = "%s supports Widget OS." % subject
    return [{"kind": "document", "key": key, "title": "Widget OS news", "publisher": publisher, "date": date,
             "text": "%s Posted by %s on %s." % (sentence, publisher, date)},
            {"kind": "entity", "name": subject, "type": "Company"},
            {"kind": "entity", "name": "Widget OS", "type": "Product"},
            {"kind": "relation", "type": "SUPPORTS", "subject": subject, "object": "Widget OS",
             "source": {"doc": key, "sentence": 1, "evidence": sentence}}]


# Widget OS: Acme's support is told once, Bolt's twice by two publishers, so that the natural
# order (Acme, Bolt) is not the order by sources (Bolt, Acme).
widgets = os.path.join(work, "widgets.facts.jsonl")
with open(widgets, "w") as f:
    for record in (release("w-1", "Alpha Wire", "2030-01-10", "Acme") + release("w-2", "Alpha Wire", "2030-01-11", "Bolt")
                   + release("w-3", "Beta News", "2030-02-11", "Bolt")):
        f.write(json.dumps(record) + "\n")
r = subprocess.run([PG, "--db", db, "import", "--quiet", widgets], capture_output=True, text=True, timeout=120)
assert r.returncode == 0, r.stderr
server, port = start_server(PG, db, "t0ken")


def get(**params):
    """GET /query with these parameters: (status, body as JSON)."""
    url = "http://127.0.0.1:%d/query?%s" % (port, urllib.parse.urlencode(params))
    try:
        with urllib.request.urlopen(url, timeout=60) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def post(body):
    """POST /query with this JSON body: (status, body as JSON)."""
    req = urllib.request.Request("http://127.0.0.1:%d/query" % port, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def subjects(body):
    return [row["values"]["subject"] for row in body["rows"]]


def test_min_sources_keeps_the_facts_enough_documents_state():
    status, every = get(q=WHO)
    assert status == 200 and subjects(every) == ["Kestrel Systems", "Orca Networks"], every
    status, got = get(q=WHO, min_sources="3")
    assert status == 200 and subjects(got) == ["Kestrel Systems"], got
    status, got = post({"query": WHO, "min_sources": 3})
    assert status == 200 and subjects(got) == ["Kestrel Systems"], got
    # Five documents state nothing here; one keeps every fact.
    assert subjects(post({"query": WHO, "min_sources": 5})[1]) == []
    assert subjects(get(q=WHO, min_sources="1")[1]) == ["Kestrel Systems", "Orca Networks"]


def test_rows_carry_their_sources_and_publishers():
    status, got = post({"query": WHO})
    assert status == 200, got
    assert [(r["sources"], r["publishers"]) for r in got["rows"]] == [(4, 3), (2, 1)], got["rows"]
    # ORDER BY SOURCES over HTTP: the same counts as columns too.
    status, got = get(q=WHO + " ORDER BY SOURCES")
    assert status == 200 and got["columns"][-2:] == ["sources", "publishers"], got
    assert [(r["values"]["sources"], r["values"]["publishers"]) for r in got["rows"]] == [(4, 3), (2, 1)], got["rows"]
    # Facts whose natural order is not the order by sources: the best corroborated comes first.
    status, plain = get(q='WHO SUPPORTS "Widget OS"')
    assert status == 200 and subjects(plain) == ["Acme", "Bolt"], plain
    status, got = get(q='WHO SUPPORTS "Widget OS" ORDER BY SOURCES')
    assert status == 200 and subjects(got) == ["Bolt", "Acme"], got
    assert [(r["values"]["sources"], r["values"]["publishers"]) for r in got["rows"]] == [(2, 2), (1, 1)], got["rows"]


def fetch(path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=60) as resp:
        return json.loads(resp.read())


def test_the_card_and_the_graph_mark_a_qualifier_dispute_as_show_does():
    # Quill OS RUNS_ON Vega: as guest (Kestrel Systems Newsroom), as host (Cloud Ledger).
    status, shown = get(q='SHOW "Quill OS"')
    assert status == 200, shown
    vega = [r for r in shown["rows"] if r["values"]["relation"] == "RUNS_ON" and r["values"]["object"] == "Vega"]
    assert len(vega) == 1 and "as host" in vega[0]["values"]["disputed"], shown["rows"]
    card = fetch("/entities/" + urllib.parse.quote("Quill OS"))
    runs = [r for r in card["outgoing"] if r["type"] == "RUNS_ON" and r["object"] == "Vega"]
    assert len(runs) == 1 and runs[0]["disputed"] is True, runs
    graph = fetch("/graph?focus=" + urllib.parse.quote("Quill OS"))
    names = {n["id"]: n["name"] for n in graph["nodes"]}
    edges = [e for e in graph["edges"] if e["type"] == "RUNS_ON" and names.get(e["target"]) == "Vega"]
    assert len(edges) == 1 and edges[0]["disputed"] is True, edges


def test_a_bad_min_sources_is_a_400_naming_it():
    for value in ["0", "-1", "abc", "2.5", "", "99999999999999999999"]:
        status, body = get(q=WHO, min_sources=value)
        assert status == 400, (value, status, body)
        message = body["error"]["message"]
        assert message.startswith("min_sources must be a whole number from 1 to 1000000000"), (value, message)
    for value in [0, -1, "3", 2.5, True, None, 10 ** 20]:
        status, body = post({"query": WHO, "min_sources": value})
        assert status == 400, (value, status, body)
        message = body["error"]["message"]
        assert message.startswith("min_sources must be a whole number from 1 to 1000000000, not "), (value, message)


try:
    check("min_sources on GET and POST /query keeps the facts enough documents state",
          test_min_sources_keeps_the_facts_enough_documents_state)
    check("every WHO row carries its sources and publishers; ORDER BY SOURCES shows them as columns",
          test_rows_carry_their_sources_and_publishers)
    check("GET /entities and /graph mark a relation disputed by another publisher's qualifier, as SHOW does",
          test_the_card_and_the_graph_mark_a_qualifier_dispute_as_show_does)
    check("min_sources of 0, below 0 or not a whole number is a 400 that names it", test_a_bad_min_sources_is_a_400_naming_it)
finally:
    stop_server(server)
    shutil.rmtree(work, ignore_errors=True)
check.finish()
