#!/usr/bin/env python3
"""The load test: 64 concurrent HTTP clients ask a mix of questions, patterns and paths of
`pactgraph serve` for a bounded time while another client imports documents (press releases as
text and facts files). It must show no 5xx, no failed request, no torn read (a document's facts
are counted all or none by every reader), every imported document present at the end, and the
server's memory bounded; it prints throughput and latency percentiles. Then a query built to
explode (a variable-length pattern over a dense graph) is stopped by the time limit with a clear
error while other clients are still answered.

    load_test.py PACTGRAPH DATASETS_DIR [SECONDS]      (default 5; the long mode is 60)
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import http.client

PG, DATASETS = sys.argv[1], sys.argv[2]
SECONDS = float(sys.argv[3]) if len(sys.argv) > 3 else float(os.environ.get("PG_LOAD_SECONDS", "5"))
CLIENTS = 64
PER_DOC = 25
TOKEN = "load-token"
work = tempfile.mkdtemp(prefix="pactgraph-load-")
db = os.path.join(work, "db")
failures = []

# A dense corner for the exploding query: 120 companies, each partner of every other.
dense = os.path.join(work, "dense.jsonl")
with open(dense, "w") as f:
    for i in range(120):
        f.write(json.dumps({"kind": "entity", "name": "Densco %d" % i, "type": "Company"}) + "\n")
    for i in range(120):
        for j in range(i + 1, 120):
            f.write(json.dumps({"kind": "relation", "type": "PARTNERS_WITH", "subject": "Densco %d" % i, "object": "Densco %d" % j}) + "\n")
subprocess.run([PG, "--db", db, "import", "--quiet", os.path.join(DATASETS, "press"), dense], check=True, capture_output=True)
server = subprocess.Popen([PG, "--db", db, "serve", "--port", "0", "--token", TOKEN, "--threads", str(CLIENTS + 8), "--timeout", "2"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
port = int(re.search(r":(\d+)/", server.stdout.readline()).group(1))


def rss_mb():
    with open("/proc/%d/status" % server.pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


QUESTIONS = [
    ("POST", "/query", {"query": 'WHO SUPPORTS "RHEL" ON "Hyper-V"'}),
    ("POST", "/query", {"query": "WHAT DOES Microsoft SUPPORT"}),
    ("POST", "/query", {"query": "MATCH (c:Company)-[:DEVELOPS]->(p:Product) RETURN c.name, count(*) AS n ORDER BY n DESC LIMIT 5"}),
    ("POST", "/query", {"query": 'PATH Oracle TO "Red Hat"'}),
    ("POST", "/query", {"query": "RANK Company BY DEGREE LIMIT 5"}),
    ("GET", "/entities/RHEL", None),
    ("GET", "/search?q=Red", None),
    ("GET", "/graph?focus=Microsoft&depth=1", None),
]
imported = []            # (company, relations) the importer finished
releases = [0]           # press releases the importer posted
imported_lock = threading.Lock()
latencies = []
lat_lock = threading.Lock()
stop = threading.Event()
errors = {"5xx": 0, "failed": 0, "torn": 0}
samples = []             # the first few failures, to say what they were


def request(conn, method, path, body=None, headers=None):
    data = json.dumps(body) if isinstance(body, dict) else body
    for attempt in (1, 2):
        try:
            conn.request(method, path, body=data, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.read()
        except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
            # A kept-alive connection the server closed meanwhile (its idle timeout): like any
            # HTTP client, open a new one and send again, once.
            conn.close()
            if attempt == 2:
                raise


def client(seed):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    mine = []
    while not stop.is_set():
        try:
            if rng.random() < 0.2:
                with imported_lock:
                    pick = rng.choice(imported) if imported else None
                if pick:
                    name, n = pick
                    t0 = time.perf_counter()
                    q = "MATCH (c:Company)-[:DEVELOPS]->(p) WHERE c.name = '%s' RETURN count(*) AS n" % name
                    status, body = request(conn, "POST", "/query", {"query": q})
                    mine.append(time.perf_counter() - t0)
                    got = json.loads(body)["rows"][0]["values"]["n"] if status == 200 else -1
                    if status >= 500:
                        errors["5xx"] += 1
                    elif got != n:
                        errors["torn"] += 1
                    continue
            method, path, body = rng.choice(QUESTIONS)
            t0 = time.perf_counter()
            status, answer = request(conn, method, path, body)
            mine.append(time.perf_counter() - t0)
            if status >= 500:
                errors["5xx"] += 1
            elif status != 200:
                errors["failed"] += 1
            if status != 200 and len(samples) < 5:
                samples.append("%s %s -> %d %s" % (method, path, status, answer[:160]))
        except (OSError, http.client.HTTPException) as e:
            errors["failed"] += 1
            if len(samples) < 5:
                samples.append("connection: %r" % (e,))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.close()
    with lat_lock:
        latencies.extend(mine)


def importer():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    auth = {"Authorization": "Bearer " + TOKEN}
    k = 0
    while not stop.is_set():
        k += 1
        name = "Loadco %d" % k
        if k % 2:
            lines = [json.dumps({"kind": "entity", "name": name, "type": "Company"})]
            lines += [json.dumps({"kind": "relation", "type": "DEVELOPS", "subject": name, "object": "Load product %d-%d" % (k, i)})
                      for i in range(PER_DOC)]
            status, body = request(conn, "POST", "/facts", "\n".join(lines) + "\n", auth)
            n = PER_DOC
        else:
            text = "Title: %s news\nDate: 2024-05-06\n\n%s Inc. develops %s Cloud. %s Inc. will support %s Cloud on Fjord OS.\n" % (name, name, name, name, name)
            status, body = request(conn, "POST", "/documents?name=load-%d.txt" % k, text, auth)
            n = None
            releases[0] += 1
        if status not in (200, 201):
            failures.append("import %d answered %d: %s" % (k, status, body[:200]))
            return
        if n:
            with imported_lock:
                imported.append((name, n))
    conn.close()


rss_start = rss_mb()
threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)] + [threading.Thread(target=importer)]
t_start = time.time()
for t in threads:
    t.start()
peak = rss_start
while time.time() - t_start < SECONDS:
    time.sleep(0.5)
    peak = max(peak, rss_mb())
stop.set()
for t in threads:
    t.join()
elapsed = time.time() - t_start

# Every imported document is there at the end.
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
lost = 0
for name, n in imported:
    q = "MATCH (c:Company)-[:DEVELOPS]->(p) WHERE c.name = '%s' RETURN count(*) AS n" % name
    status, body = request(conn, "POST", "/query", {"query": q})
    if status != 200 or json.loads(body)["rows"][0]["values"]["n"] != n:
        lost += 1

latencies.sort()
pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0
print("load: %d clients for %.0f s: %d requests, %.0f requests/s, p50 %.2f ms, p99 %.1f ms; %d facts documents and %d "
      "press releases imported meanwhile; 5xx %d, failed %d, torn %d, lost %d; server memory %.0f MB at the start, %.0f MB at peak"
      % (CLIENTS, elapsed, len(latencies), len(latencies) / elapsed, pct(0.5), pct(0.99), len(imported), releases[0],
         errors["5xx"], errors["failed"], errors["torn"], lost, rss_start, peak))
for sample in samples:
    print("  " + sample)
for key in ("5xx", "failed", "torn"):
    if errors[key]:
        failures.append("%d %s requests" % (errors[key], key))
if lost:
    failures.append("%d imported documents missing at the end" % lost)
if not imported:
    failures.append("the importer imported nothing")
if peak > rss_start + 1024:
    failures.append("memory grew from %.0f MB to %.0f MB" % (rss_start, peak))


def stopped_while_others_answered(what, query, want):
    """Sends `query` from its own connection; while it runs, a simple question on another must be
    answered within 1.5 s; the query must end in a 422 whose message contains `want`."""
    heavy = {}

    def run():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        t0 = time.time()
        status, body = request(c, "POST", "/query", {"query": query})
        heavy.update(status=status, body=json.loads(body), s=time.time() - t0)

    th = threading.Thread(target=run)
    th.start()
    time.sleep(0.3)
    t0 = time.time()
    status, _ = request(conn, "POST", "/query", {"query": "WHO SUPPORTS RHEL"})
    beside_s = time.time() - t0
    th.join()
    message = heavy["body"]["error"]["message"] if heavy.get("status") == 422 else ""
    if heavy.get("status") != 422 or want not in message or status != 200 or beside_s > 1.5:
        failures.append("%s was not stopped (%r), or a query beside it was not answered (%d in %.2f s)" % (what, heavy, status, beside_s))
    else:
        print("limits: %s stopped after %.1f s with 422: %s; a simple query beside it took %.0f ms"
              % (what, heavy["s"], message[:100], beside_s * 1000))


# A variable-length pattern over the clique explodes (the path count or the time limit stops it);
# a four-way cross product runs into the time limit (2 s here).
stopped_while_others_answered("a variable-length pattern over a clique",
                              "MATCH (a:Company)-[:PARTNERS_WITH*1..8]-(b:Company) RETURN count(*)", "")
stopped_while_others_answered("a four-way cross product",
                              "MATCH (a:Company), (b:Company), (c:Company), (d:Company) RETURN count(*)", "time limit")
huge = {"query": "MATCH (a:Company)-[:PARTNERS_WITH]-(b:Company) RETURN a.name, b.name", "limit": 100000}
status, body = request(conn, "POST", "/query", huge)
rows = json.loads(body)["rows"] if status == 200 else []
if status != 200 or len(rows) > 1000 or "row limit" not in json.loads(body).get("notice", ""):
    failures.append("the row limit did not hold: %d, %d rows" % (status, len(rows)))
conn.close()
server.terminate()
server.wait(timeout=60)
shutil.rmtree(work, ignore_errors=True)
for f in failures:
    print("FAIL " + f)
print("%d failures" % len(failures))
sys.exit(len(failures))
