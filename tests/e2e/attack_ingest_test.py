#!/usr/bin/env python3
"""Hostile facts files, schemas and names against the importer, the schema and the exports:
numbers too large for any type, schemas at and past their bounds, control characters in names
(in GraphML, on the terminal) and documents that state no relation (in a round trip).

    attack_ingest_test.py PACTGRAPH DATASETS_DIR

Each check prints "ok NAME" or "FAIL NAME: why"; the exit status is the number of failures.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks  # noqa: E402

PG, DATASETS = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="pactgraph-attack-ingest-")
check = Checks()


def run(*args, db="main.db", stdin=None, timeout=120):
    p = subprocess.run([PG, "--db", os.path.join(work, db), *args], capture_output=True, input=stdin,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def write(name, text):
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode())
    return path


def state(db):
    """The store's content: its export and its counts (not its bytes on disk)."""
    rc, out, err = run("export", db=db)
    assert rc == 0, err
    rc, counts, err = run("stats", "--format", "json", db=db)
    assert rc == 0, err
    s = json.loads(counts)
    s.pop("disk_bytes", None)
    return hashlib.sha256(out).hexdigest(), json.dumps(s, sort_keys=True)


def stats(db):
    rc, out, err = run("stats", "--format", "json", db=db)
    assert rc == 0, err
    return json.loads(out)


def base_store(db):
    rc, _, err = run("import", "--quiet", os.path.join(DATASETS, "rhel-hyperv.facts.jsonl"), db=db)
    assert rc == 0, err


HUGE = "88" + "0" * 548  # 550 digits: no integer type holds it, and no double either


def test_huge_numbers_are_refused_with_their_place():
    db = "huge.db"
    base_store(db)
    before = state(db)
    good = '{"kind":"entity","name":"Acme","type":"Company"}\n'
    lines = [
        '{"kind":"relation","type":%s}' % HUGE,
        '{"kind":"relation","type":"SUPPORTS","subject":%s,"object":"RHEL"}' % HUGE,
        '{"kind":"entity","id":%s,"name":"X","type":"Company"}' % HUGE,
        '{"kind":"entity","name":"X","type":"Company","properties":{"n":%s}}' % HUGE,
        '{"kind":"relation","type":"SUPPORTS","subject":"Acme","object":"RHEL","source":{"sentence":%s}}' % HUGE,
        '{"kind":"relation","type":"SUPPORTS","subject":"Acme","object":"RHEL","source":{"confidence":-%s}}' % HUGE,
        '{"kind":"relation","type":"SUPPORTS","subject":"Acme","object":"RHEL","qualifiers":{"as":%s}}' % HUGE,
        '{"kind":"relation","type":"SUPPORTS","subject":"Acme","object":"RHEL","qualifiers":{"as":1e999}}',
    ]
    for i, bad in enumerate(lines):
        path = write(f"huge{i}.facts.jsonl", good + good + bad + "\n" + good)
        rc, out, err = run("import", path, db=db)
        assert rc == 2, (i, rc, err[-300:])
        assert f"huge{i}.facts.jsonl:3:" in err, (i, err[-300:])
        assert "number" in err, (i, err[-300:])
        assert state(db) == before, f"line {i}: the store changed"
        # --lenient skips what the schema rejects, not what cannot be read.
        rc, out, err = run("import", "--lenient", path, db=db)
        assert rc == 2 and state(db) == before, (i, rc, err[-300:])
    # An entity id past any integer on the command line: an error, not an abort.
    rc, out, err = run("show", "#" + HUGE, db=db)
    assert rc in (1, 2) and "error" in err, (rc, err[-300:])
    rc, out, err = run("export", "--format", "dot", "--focus", "#" + HUGE, db=db)
    assert rc in (1, 2) and "error" in err, (rc, err[-300:])


def schema_file(name, entity_types=0, relation_types=0, slots=0, prefix="T"):
    doc = {
        "entity_types": [{"name": f"{prefix}E{i}"} for i in range(entity_types)],
        "slots": [{"name": f"{prefix.lower()}s{i}", "kind": "literal"} for i in range(slots)],
        "relation_types": [{"name": f"{prefix}R{i}", "subject": ["Company"], "object": [f"{prefix}E{i % max(entity_types, 1)}"] if entity_types else [],
                            "slots": [f"{prefix.lower()}s{i % max(slots, 1)}"] if slots else []} for i in range(relation_types)],
    }
    return write(name, json.dumps(doc))


def test_schema_file_may_use_the_types_already_there():
    db = "schema-uses.db"
    base_store(db)
    path = write("implements.json", json.dumps({
        "entity_types": [{"name": "Standard"}],
        "relation_types": [{"name": "IMPLEMENTS", "subject": ["Company"], "object": ["Standard", "Product"],
                            "slots": ["since", "as"], "verb": "implements"}]}))
    rc, out, err = run("schema", "--add", path, db=db)
    assert rc == 0, err
    # Adding the same file again changes nothing.
    rc, out, err = run("schema", "--add", path, db=db)
    assert rc == 0, err
    facts = write("implements.facts.jsonl",
                  '{"kind":"entity","name":"ODF","type":"Standard"}\n'
                  '{"kind":"relation","type":"IMPLEMENTS","subject":"Microsoft","object":"ODF","qualifiers":{"as":"reader"}}\n')
    rc, out, err = run("import", facts, db=db)
    assert rc == 0, err
    assert stats(db)["relations_by_type"]["IMPLEMENTS"] == 1
    # A file naming a type nobody defined is still refused, and changes nothing.
    before = state(db)
    rc, schema_before, _ = run("schema", db=db)
    bad = write("funds.json", json.dumps({"relation_types": [{"name": "FUNDS", "subject": ["Bank"], "object": ["Company"]}]}))
    rc, out, err = run("schema", "--add", bad, db=db)
    assert rc == 2 and "Bank" in err and "funds.json" in err, (rc, err)
    assert state(db) == before and run("schema", db=db)[1] == schema_before


def test_schema_is_bounded_and_cheap_at_its_bound():
    db = "schema-big.db"
    base_store(db)
    # Up to the bound: 1,000 entity types, relation types and slots in all, in one file.
    path = schema_file("big.json", entity_types=1000 - 8, relation_types=1000 - 18, slots=1000 - 11)
    t = time.monotonic()
    rc, out, err = run("schema", "--add", path, db=db)
    add_s = time.monotonic() - t
    assert rc == 0, err[-300:]
    assert "1000 entity types, 1000 relation types, 1000 qualifier slots" in out.decode(), out
    assert add_s < 10, f"adding the schema took {add_s:.1f} s"
    # Commands after it pay nothing much for it.
    t = time.monotonic()
    for _ in range(3):
        rc, out, err = run("stats", db=db)
        assert rc == 0, err
    open_s = (time.monotonic() - t) / 3
    assert open_s < 1.5, f"stats took {open_s:.2f} s with a schema at the bound"
    print(f"  schema at the bound: --add {add_s:.2f} s, stats {open_s:.3f} s")
    # One more of any kind is refused, clearly, and changes nothing.
    before = state(db)
    rc, schema_before, _ = run("schema", db=db)
    for what, kw in (("entity types", {"entity_types": 1}), ("relation types", {"relation_types": 1}),
                     ("qualifier slots", {"slots": 1})):
        extra = schema_file("one-more.json", prefix="X", **kw)
        rc, out, err = run("schema", "--add", extra, db=db)
        assert rc == 2 and what in err and "1000" in err.replace(",", ""), (what, rc, err[-300:])
        assert state(db) == before and run("schema", db=db)[1] == schema_before, what
    # A single file past the bound is refused before it is stored.
    fresh = "schema-over.db"
    base_store(fresh)
    over = schema_file("over.json", entity_types=5000)
    t = time.monotonic()
    rc, out, err = run("schema", "--add", over, db=fresh)
    assert rc == 2 and "entity types" in err, (rc, err[-300:])
    assert time.monotonic() - t < 10
    assert len(stats(fresh)["entities_by_type"]) == 8


def test_graphml_with_control_characters_is_xml():
    db = "controls.db"
    names = ["Bell\u0007Corp", "Esc\u001b[31mRed", "Start\u0001Of", "Del\u007fX", "Tab\tAnd\nLine",
             "C1\u009bCsi", "Amp & <angle> \"q\""]
    facts = "".join(json.dumps({"kind": "entity", "name": n, "type": "Company", "aliases": [n + " Inc"]}) + "\n"
                    for n in names)
    facts += json.dumps({"kind": "relation", "type": "PARTNERS_WITH", "subject": names[0], "object": names[1],
                         "qualifiers": {"status": "st\u0002atus"}}) + "\n"
    rc, _, err = run("import", write("controls.facts.jsonl", facts), db=db)
    assert rc == 0, err
    rc, out, err = run("export", "--format", "graphml", db=db)
    assert rc == 0, err
    try:
        root = ET.fromstring(out)
    except ET.ParseError as e:
        raise AssertionError(f"GraphML does not parse: {e}")
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == len(names)
    assert len(root.findall(".//g:edge", ns)) == 1
    texts = [d.text or "" for d in root.findall(".//g:data", ns)]
    assert "Amp & <angle> \"q\"" in texts, texts
    assert any(t.startswith("Esc") and "Red" in t for t in texts), texts
    # DOT carries them too, quoted.
    rc, out, err = run("export", "--format", "dot", db=db)
    assert rc == 0 and b"\x1b" not in out and b"\x07" not in out, out[:300]


def test_control_characters_do_not_reach_the_terminal():
    db = "controls.db"  # made by the GraphML check
    rc, out, err = run("show", "Esc\u001b[31mRed", db=db)
    assert rc == 0, err
    for raw in (b"\x1b", b"\x07", b"\x01", b"\x7f", "\u009b".encode()):
        assert raw not in out, (raw, out)
    assert b"Esc\\x1b[31mRed" in out and b"Bell\\x07Corp" in out, out
    rc, out, err = run("query", "MATCH (a)-[r:PARTNERS_WITH]->(b) RETURN a, b, r.status", db=db)
    assert rc == 0, err
    assert b"\x1b" not in out and b"\x07" not in out and b"\x02" not in out, out
    assert b"Esc\\x1b[31mRed" in out and b"Bell\\x07Corp" in out, out
    # JSON keeps the names as they are, JSON-escaped.
    rc, out, err = run("query", "--format", "json", "MATCH (a)-[r:PARTNERS_WITH]->(b) RETURN a, b", db=db)
    assert rc == 0, err
    assert b"\x1b" not in out, out
    row = json.loads(out)["rows"][0]["values"]
    assert set(row.values()) == {"Bell\u0007Corp", "Esc\u001b[31mRed"}, row
    # A name the store suggests in an error message is escaped as well.
    rc, out, err = run("show", "Esc[31mRed", db=db)
    assert "\x1b" not in err and "\x07" not in err, err


def test_documents_without_facts_round_trip():
    db, again = "docs.db", "docs-again.db"
    facts = write("docs.facts.jsonl",
                  '{"kind":"document","key":"press-2020-01-01","type":"article","title":"Nothing happened","date":"2020-01-01"}\n'
                  '{"kind":"document","key":"memo-7","title":"A memo"}\n'
                  '{"kind":"entity","name":"Acme","type":"Company"}\n')
    rc, _, err = run("import", facts, db=db)
    assert rc == 0, err
    rc, out, err = run("export", db=db)
    assert rc == 0, err
    keys = [json.loads(l).get("key") for l in out.decode().splitlines() if json.loads(l)["kind"] == "document"]
    assert "press-2020-01-01" in keys and "memo-7" in keys, out
    exported = write("docs-export.facts.jsonl", out)
    rc, _, err = run("import", exported, db=again)
    assert rc == 0, err
    assert stats(again)["documents"] == stats(db)["documents"], (stats(again), stats(db))
    rc, out2, err = run("export", db=again)
    assert rc == 0 and out2 == out, (out, out2)


check("numbers no type holds are refused with file, line and why; store unchanged", test_huge_numbers_are_refused_with_their_place)
check("a schema file may use the types already in the schema", test_schema_file_may_use_the_types_already_there)
check("the schema is bounded, and cheap at its bound", test_schema_is_bounded_and_cheap_at_its_bound)
check("GraphML with control characters in names is XML", test_graphml_with_control_characters_is_xml)
check("control characters in names do not reach the terminal", test_control_characters_do_not_reach_the_terminal)
check("documents that state no relation are exported and re-imported", test_documents_without_facts_round_trip)
shutil.rmtree(work, ignore_errors=True)
check.finish()
