#!/usr/bin/env python3
"""Candidates end to end: an article of our own whose facts include a weak one (the gazetteer's
maker of a product named beside it, confidence 0.4) is imported; the CLI, the shell and the HTTP
server leave that fact out of answers unless asked (--candidates, WITH CANDIDATES, \\candidates
on, "candidates": true, ?candidates=true), mark it when they include it, and a facts file that
states it surely lifts it out. Bad thresholds and bad option values get clear errors.

    candidates_test.py PACTGRAPH

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

PG = sys.argv[1]
work = tempfile.mkdtemp(prefix="pactgraph-candidates-")
db = os.path.join(work, "db")
check = Checks()
TOKEN = "candidates-token"

# A fictional harbour-tech company. Glowbase is only named beside Lanternfish Systems: the
# gazetteer says Lanternfish makes it, which gives a DEVELOPS of confidence 0.4 (a candidate);
# "develops Tidepool" is a verb's fact of 0.6.
GAZETTEER = """\
{"name": "Lanternfish Systems", "type": "Company", "kind": "software"}
{"name": "Kelpworks", "type": "Company", "kind": "software"}
{"name": "Glowbase", "type": "Product", "kind": "database", "maker": "Lanternfish Systems"}
{"name": "Tidepool", "type": "Product", "kind": "platform", "maker": "Lanternfish Systems"}
"""
ARTICLE = """\
Title: Lanternfish Systems and Kelpworks team up on Tidepool
Publisher: Harbour Wire
Date: 2031-03-14

Lanternfish Systems and Kelpworks announced a partnership on Tuesday.
Lanternfish Systems develops Tidepool, a platform for marine sensor data.
Visitors to the Lanternfish Systems stand could also try Glowbase on a tablet.
"""
# A later, surer source of the same fact.
SURE = """\
{"kind":"document","key":"harbour-wire-glowbase","title":"Glowbase 2 ships","date":"2031-06-01","text":"Lanternfish Systems released Glowbase 2."}
{"kind":"entity","name":"Lanternfish Systems","type":"Company"}
{"kind":"entity","name":"Glowbase","type":"Product"}
{"kind":"relation","type":"DEVELOPS","subject":"Lanternfish Systems","object":"Glowbase","source":{"doc":"harbour-wire-glowbase","sentence":1,"confidence":0.9}}
"""


def write(name, text):
    path = os.path.join(work, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def pg(*args, stdin=None):
    return subprocess.run([PG, "--db", db, *args], input=stdin, capture_output=True, text=True, timeout=120)


def query(*args):
    r = pg("query", "--format", "json", *args)
    assert r.returncode == 0, (args, r.returncode, r.stderr)
    return json.loads(r.stdout)


def objects(answer):
    return sorted(row["values"]["object"] for row in answer["rows"])


def marked(answer):
    return sorted(row["values"]["object"] for row in answer["rows"] if row.get("candidate"))


Q = "WHAT DOES Lanternfish Systems DEVELOP"
subprocess.run([PG, "--db", db, "import", "--quiet", "--gazetteer", write("harbour.jsonl", GAZETTEER),
                write("lanternfish.txt", ARTICLE)], check=True, timeout=120)


def test_a_weak_fact_is_left_out_and_the_answer_says_so():
    a = query(Q)
    assert objects(a) == ["Tidepool"], a
    assert "1 candidate fact (confidence below 0.5) left out" in a.get("notice", ""), a
    assert a["with_candidates"] is False and a["min_confidence"] == 0.5, a
    table = pg("query", Q)
    assert table.returncode == 0 and "Glowbase" not in table.stdout and "WITH CANDIDATES shows it" in table.stdout, table.stdout


def test_the_flag_and_the_clause_bring_it_back_marked_with_its_rule_and_confidence():
    for a in (query("--candidates", Q), query(Q + " WITH CANDIDATES")):
        assert objects(a) == ["Glowbase", "Tidepool"], a
        assert marked(a) == ["Glowbase"], a
        weak = [row for row in a["rows"] if row["candidate"]][0]
        ev = weak["evidence"][0]
        assert ev["rule"] == "gazetteer-maker" and ev["confidence"] == 0.4, ev
        assert "Glowbase" in ev["text"], ev
    table = pg("query", "--candidates", Q).stdout
    assert "candidate" in table and "1 resting on a candidate below confidence 0.5" in table, table
    assert "rule gazetteer-maker, confidence 0.4" in table, table
    csv = pg("query", "--format", "csv", "--candidates", Q).stdout
    assert csv.splitlines()[0].endswith(",candidate,evidence"), csv


def test_the_entity_card_shows_the_candidate_marked():
    r = pg("show", "Glowbase")
    assert r.returncode == 0 and "DEVELOPS  Glowbase  [candidate: confidence 0.4]" in r.stdout, r.stdout
    r = pg("show", "--min-confidence", "0.4", "Glowbase")
    assert r.returncode == 0 and "candidate" not in r.stdout, r.stdout
    r = pg("show", "--min-confidence", "1.01", "Glowbase")
    assert r.returncode == 2 and "from 0 to 1" in r.stderr, r.stderr


def test_the_threshold_is_a_flag():
    assert objects(query("--min-confidence", "0.4", Q)) == ["Glowbase", "Tidepool"]
    assert objects(query("--min-confidence", "0", Q)) == ["Glowbase", "Tidepool"]
    assert objects(query("--min-confidence", "0.7", Q)) == []  # the verb's 0.6 is a candidate too
    assert objects(query("--min-confidence", "0.6", Q)) == ["Tidepool"]  # at the threshold is kept


def test_bad_thresholds_and_a_doubled_clause_are_clear_errors():
    for bad in ("1.5", "-0.2", "nan", "half", ""):
        for cmd in ("query", "shell"):
            r = pg(cmd, "--min-confidence", bad, *([Q] if cmd == "query" else []), stdin="")
            assert r.returncode == 2, (cmd, bad, r.returncode, r.stderr)
            assert "--min-confidence" in r.stderr and "from 0 to 1" in r.stderr, r.stderr
    r = pg("serve", "--port", "0", "--min-confidence", "2")
    assert r.returncode == 2 and "from 0 to 1" in r.stderr, r.stderr
    r = pg("query", Q + " WITH CANDIDATES WITH CANDIDATES")
    assert r.returncode == 2 and "one WITH CANDIDATES" in r.stderr, r.stderr
    # A number flag never takes NaN.
    r = pg("query", "--max-rows", "nan", Q)
    assert r.returncode == 2 and "--max-rows" in r.stderr, r.stderr


def test_the_shell_switches_candidates_on_and_off():
    script = "\n".join([Q + ";", "\\candidates on", Q + ";", "\\candidates maybe", "\\confidence 2",
                        "\\confidence 0.3", "\\candidates off", Q + ";", ""])
    r = pg("shell", "--no-history", "--format", "csv", stdin=script)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    answers = [block for block in out.split("subject,object") if block.strip()]
    assert "candidates: on" in out, out
    assert "error: \\candidates takes on or off" in r.stderr, r.stderr
    assert "error: \\confidence:" in r.stderr and "from 0 to 1" in r.stderr, r.stderr
    assert "facts below confidence 0.3 are candidates" in out, out
    assert len(answers) == 3, out
    assert "Glowbase" not in answers[0] and "Glowbase,,yes" not in answers[0], answers[0]
    assert "Glowbase" in answers[1] and ",yes," in answers[1], answers[1]
    assert "Glowbase" in answers[2] and ",yes," not in answers[2], answers[2]  # 0.4 >= 0.3


def test_http_asks_for_candidates_by_body_and_parameter():
    proc, port = start_server(PG, db, TOKEN, "--read-only")
    base = f"http://127.0.0.1:{port}"

    def call(method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(base + path, data=data, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read().decode())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read().decode())

    try:
        status, a = call("POST", "/query", {"query": Q})
        assert status == 200 and objects(a) == ["Tidepool"], (status, a)
        status, a = call("POST", "/query", {"query": Q, "candidates": True})
        assert status == 200 and marked(a) == ["Glowbase"], (status, a)
        status, a = call("POST", "/query", {"query": Q + " WITH CANDIDATES", "candidates": False})
        assert status == 200 and marked(a) == ["Glowbase"], (status, a)  # the clause asks by itself
        status, a = call("GET", "/query?" + urllib.parse.urlencode({"q": Q, "candidates": "true"}))
        assert status == 200 and marked(a) == ["Glowbase"], (status, a)
        status, a = call("GET", "/query?" + urllib.parse.urlencode({"q": Q}))
        assert status == 200 and objects(a) == ["Tidepool"], (status, a)
        for bad in ("yes", 1, None, "true"):
            status, e = call("POST", "/query", {"query": Q, "candidates": bad})
            assert status == 400 and "candidates must be true or false" in e["error"]["message"], (bad, status, e)
        status, e = call("GET", "/query?" + urllib.parse.urlencode({"q": Q, "candidates": "1"}))
        assert status == 400 and "candidates must be true or false" in e["error"]["message"], (status, e)
        status, card = call("GET", "/entities/Glowbase")
        assert status == 200, card
        weak = card["incoming"][0]
        assert weak["candidate"] is True and weak["confidence"] == 0.4 and weak["evidence"][0]["confidence"] == 0.4, weak
        status, card = call("GET", "/entities/Tidepool")
        assert status == 200 and card["incoming"][0]["candidate"] is False, card
        status, spec = call("GET", "/openapi.json")
        assert "candidates" in json.dumps(spec["paths"]["/query"]), spec["paths"]["/query"]
    finally:
        stop_server(proc)
    proc, port = start_server(PG, db, TOKEN, "--read-only", "--min-confidence", "0.35")
    base = f"http://127.0.0.1:{port}"
    try:
        status, a = call("POST", "/query", {"query": Q})
        assert status == 200 and objects(a) == ["Glowbase", "Tidepool"] and a["min_confidence"] == 0.35, (status, a)
    finally:
        stop_server(proc)


def test_a_surer_source_lifts_the_candidate_out_and_the_store_checks():
    r = pg("import", "--quiet", write("glowbase.facts.jsonl", SURE))
    assert r.returncode == 0, r.stderr
    a = query(Q)
    assert objects(a) == ["Glowbase", "Tidepool"], a
    assert "left out" not in a.get("notice", ""), a
    glow = [row for row in a["rows"] if row["values"]["object"] == "Glowbase"][0]
    assert sorted(e["confidence"] for e in glow["evidence"]) == [0.4, 0.9], glow  # both sources kept
    assert "candidate" not in pg("show", "Glowbase").stdout
    r = pg("check")
    assert r.returncode == 0, (r.stdout, r.stderr)


check("a weak fact is left out and the answer says so", test_a_weak_fact_is_left_out_and_the_answer_says_so)
check("the flag and the clause bring it back, marked with its rule and confidence",
      test_the_flag_and_the_clause_bring_it_back_marked_with_its_rule_and_confidence)
check("the threshold is a flag", test_the_threshold_is_a_flag)
check("the entity card shows the candidate, marked", test_the_entity_card_shows_the_candidate_marked)
check("bad thresholds and a doubled clause are clear errors", test_bad_thresholds_and_a_doubled_clause_are_clear_errors)
check("the shell switches candidates on and off", test_the_shell_switches_candidates_on_and_off)
check("HTTP asks for candidates by body and parameter", test_http_asks_for_candidates_by_body_and_parameter)
check("a surer source lifts the candidate out, and the store checks", test_a_surer_source_lifts_the_candidate_out_and_the_store_checks)
shutil.rmtree(work, ignore_errors=True)
check.finish()
