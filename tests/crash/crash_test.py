#!/usr/bin/env python3
"""The crash test: imports run in a child `pactgraph import` that is killed with SIGKILL — at a
random moment, or at a chosen point inside the write path (PACTGRAPH_FAULT, compiled into test
builds only: before-write, after-write, spill, before-ingest, after-ingest). After every kill the
store is reopened and must pass `pactgraph check`; every facts file must be in it wholly (all its
relations, each with its source) or not at all; every file whose import finished before must
still be there; an article must re-import cleanly.

    crash_test.py PACTGRAPH DATASETS_DIR [KILLS]      (default 100; the long mode is 1000)

A fresh store every 100 kills keeps each check quick. Prints one line per 50 kills, then "ok ..." or "FAIL ..." lines; exits with the number of failures.
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PG, DATASETS = sys.argv[1], sys.argv[2]
KILLS = int(sys.argv[3]) if len(sys.argv) > 3 else int(os.environ.get("PG_CRASH_KILLS", "100"))
work = tempfile.mkdtemp(prefix="pactgraph-crash-")
db = os.path.join(work, "db")
rng = random.Random(20261125)
failures = []
POINTS = ["before-write", "after-write", "spill", "before-ingest", "after-ingest"]


def facts_file(n, relations):
    """A facts file: one document, one company, `relations` products it develops."""
    path = os.path.join(work, "f%04d.jsonl" % n)
    with open(path, "w") as f:
        key = "crash-doc-%d" % n
        f.write(json.dumps({"kind": "document", "key": key, "title": "Crash document %d" % n, "date": "2020-01-01"}) + "\n")
        f.write(json.dumps({"kind": "entity", "name": "Crashco %d" % n, "type": "Company"}) + "\n")
        for i in range(relations):
            f.write(json.dumps({"kind": "relation", "type": "DEVELOPS", "subject": "Crashco %d" % n,
                                "object": "Crash product %d-%d" % (n, i), "doc": key,
                                "evidence": "Crashco %d develops product %d" % (n, i)}) + "\n")
    return path


def pg(*args, env=None, timeout=300):
    return subprocess.run([PG, "--db", db] + list(args), capture_output=True, text=True, timeout=timeout, env=env)


def counts():
    """Relations of each Crashco in the store."""
    q = "MATCH (c:Company)-[:DEVELOPS]->(p) WHERE c.name STARTS WITH 'Crashco ' RETURN c.name AS c, count(*) AS n"
    r = pg("query", "--format", "json", "--max-rows", "1000000", q)
    if r.returncode != 0:
        raise RuntimeError("query failed: " + r.stderr)
    return {row["values"]["c"]: row["values"]["n"] for row in json.loads(r.stdout)["rows"]}


articles = sorted(os.path.join(DATASETS, "press", f) for f in os.listdir(os.path.join(DATASETS, "press")))
sizes = {}          # file number -> relations in it
done = set()        # files whose import finished (exit 0) before a later kill
kills = 0
n = 0
runs = 0           # imports started
at_points = 0      # children that died at a fault point
mid_flight = 0     # children killed at a random moment before they finished
started = time.time()
subprocess.run([PG, "--db", db, "import", "--quiet", facts_file(0, 5)], check=True, capture_output=True)
sizes[0] = 5
done.add(0)
EPOCH = 100  # runs per store: a fresh store after each epoch keeps `check` and the counts quick
while kills < KILLS:
    if runs and runs % EPOCH == 0:
        # A new store for the next epoch (the old one passed every check of its epoch).
        shutil.rmtree(db, ignore_errors=True)
        sizes.clear()
        done.clear()
        subprocess.run([PG, "--db", db, "import", "--quiet", facts_file(0, 5)], check=True, capture_output=True)
        sizes[0] = 5
        done.add(0)
    n += 1
    # Mostly small documents; every tenth one large enough for the SST-ingest path.
    big = n % 10 == 0
    size = 45000 if big else rng.choice([1, 10, 100, 1000])
    files = [facts_file(n, size)]
    sizes[n] = size
    article = rng.choice(articles) if rng.random() < 0.3 else None
    env = dict(os.environ)
    mode = rng.random()
    if mode < 0.5:
        points = ["before-ingest", "after-ingest", "spill"] if big else ["before-write", "after-write"]
        env["PACTGRAPH_FAULT"] = rng.choice(points)
    # Half the large ones with a small memory budget: their writes are set aside on disk as
    # sorted runs by a second thread while the import goes on, so a kill can land mid-spill.
    budget = ["--memory-budget", "16M"] if big and rng.random() < 0.5 else []
    args = [PG, "--db", db, "import", "--quiet"] + budget + files + ([article] if article else [])
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    if "PACTGRAPH_FAULT" not in env:
        time.sleep(rng.uniform(0, 0.6 if big else 0.05))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
    try:
        child.wait(timeout=300)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    runs += 1
    if child.returncode == 0:
        done.add(n)
    elif child.returncode == -signal.SIGKILL:
        if "PACTGRAPH_FAULT" in env:
            at_points += 1
        else:
            mid_flight += 1
        kills += 1  # only a run that was killed counts toward KILLS
    # The store after the crash.
    c = pg("check")
    if c.returncode != 0:
        failures.append("kill %d: check failed: %s%s" % (kills, c.stdout[-500:], c.stderr[-500:]))
        break
    have = counts()
    for k, size in sizes.items():
        got = have.get("Crashco %d" % k, 0)
        if got not in (0, size):
            failures.append("kill %d: document %d is torn: %d of %d relations" % (kills, k, got, size))
        if k in done and got != size:
            failures.append("kill %d: document %d, imported before, has %d of %d relations" % (kills, k, got, size))
        if got == size:
            done.add(k)
    if failures:
        break
    # A killed article imports again cleanly (or was already whole).
    if article and child.returncode != 0:
        r = pg("import", "--quiet", article)
        if r.returncode != 0:
            failures.append("kill %d: re-importing %s failed: %s" % (kills, os.path.basename(article), r.stderr[-300:]))
            break
    for f in files:
        os.remove(f)
    if runs % 50 == 0:
        print("%d runs, %d kills, %d documents whole in this store, %.0f s" % (runs, kills, len(done), time.time() - started), flush=True)

if failures:
    for f in failures:
        print("FAIL " + f)
else:
    print("ok %d kills in %d runs (%d at a fault point, %d mid-flight; the other runs finished first): none torn, none lost, "
          "check clean after every run (%.0f s)" % (kills, runs, at_points, mid_flight, time.time() - started))
shutil.rmtree(work, ignore_errors=True)
sys.exit(len(failures))
