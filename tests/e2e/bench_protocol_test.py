#!/usr/bin/env python3
"""pactgraph-bench speaks the peers' adapter protocol: `load DATA DB` and `query DATA DB` print one
JSON object each, the query half with every query's timings, answers and PROFILE per operator.
The data is the bench's own generated graph at a small scale, with parameter sets this test draws.

    bench_protocol_test.py PACTGRAPH_BENCH
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks  # noqa: E402

BENCH = sys.argv[1]
check = Checks()
work = tempfile.mkdtemp(prefix="pactgraph-bench-protocol-")
DATA = os.path.join(work, "data")
DB = os.path.join(work, "db")
os.makedirs(DATA)


def bench(*args, env=None):
    p = subprocess.run([BENCH, *args], capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})
    assert p.returncode == 0, "%s: exit %d: %s" % (args, p.returncode, p.stderr[-600:])
    return p


def make_data():
    graph = os.path.join(DATA, "graph.jsonl")
    bench("gen", "--sf", "0.01", "--out", graph)
    entities, supports = [], []
    with open(graph, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if o["kind"] == "entity":
                entities.append(o)
            elif o["type"] == "SUPPORTS" and isinstance(o.get("qualifiers", {}).get("on"), int):
                supports.append(o)  # the generator names entities by id
    with open(os.path.join(DATA, "nodes.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "type", "name", "aliases"])
        for e in entities:
            w.writerow([e["id"], e["type"], e["name"], "|".join(e.get("aliases", []))])
    companies = [e["id"] for e in entities if e["type"] == "Company"]
    products = [e["id"] for e in entities if e["type"] == "Product"]
    q1 = [{"x": s["object"], "y": s["qualifiers"]["on"]} for s in supports[:5]]
    params = {"seed": 1, "Q1": q1, "Q2": q1, "Q3": [{"y": p} for p in products[:5]], "Q4": [{"a": c} for c in companies[:3]],
              "Q5": [{"a": companies[0], "b": companies[-1]}], "Q6": [{}], "Q7": [{"s": entities[5]["name"]}]}
    with open(os.path.join(DATA, "params.json"), "w", encoding="utf-8") as f:
        json.dump(params, f)
    return len(entities)


n_entities = make_data()


def test_load_prints_the_protocols_object():
    out = json.loads(bench("load", DATA, DB).stdout)
    for k in ("system", "version", "load_s", "nodes", "edges", "edges_per_s", "disk_bytes", "peak_rss_mb"):
        assert k in out, (k, out)
    assert out["system"] == "pactgraph" and out["nodes"] == n_entities and out["edges"] > 0, out


def test_query_times_answers_and_profiles_every_query():
    p = bench("query", DATA, DB, env={"BUDGET_S": "5", "WARMUP": "2", "WARMUP_BUDGET_S": "2"})
    out = json.loads(p.stdout)
    assert set(out["queries"]) == {"Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7"}, out["queries"].keys()
    for name, q in out["queries"].items():
        assert q["n"] == q["of"] and q["n"] == len(q["answers"]) and q["p50_us"] > 0, (name, q)
        # Where the time goes: PROFILE's operators, each with its rows and time.
        assert q["profile"] and any("us]" in line or "ms]" in line for line in q["profile"]), (name, q["profile"])
    # Q1's first parameter set is a support the graph states: its subject is found.
    assert out["queries"]["Q1"]["answers"][0] >= 1, out["queries"]["Q1"]
    assert "Q1 per operator (PROFILE, parameter set 1):" in p.stderr, p.stderr[-800:]


def test_profile_0_leaves_the_profiles_out():
    out = json.loads(bench("query", DATA, DB, env={"BUDGET_S": "2", "WARMUP": "1", "PROFILE": "0", "ONLY": "Q1"}).stdout)
    assert list(out["queries"]) == ["Q1"] and out["queries"]["Q1"]["profile"] == [], out["queries"]


check("load prints the protocol's object", test_load_prints_the_protocols_object)
check("query times, answers and profiles every query", test_query_times_answers_and_profiles_every_query)
check("PROFILE=0 leaves the profiles out", test_profile_0_leaves_the_profiles_out)
shutil.rmtree(work, ignore_errors=True)
check.finish()
