#!/usr/bin/env python3
"""`pactgraph serve` as a user runs it: started on a free loopback port over a store built from the
bundled press releases, asked with plain HTTP (the README's curl examples), its page opened in
headless Chromium (which must show the answer table with evidence and the drawn neighbourhood),
then stopped with SIGTERM: it must say so, exit 0, and leave a store that `pactgraph check` passes.

    serve_test.py PACTGRAPH DATASETS_DIR

Each check prints "ok NAME" or "FAIL NAME: why"; the exit status is the number of failures.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks  # noqa: E402

PG, DATASETS = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="pactgraph-serve-")
db = os.path.join(work, "db")
check = Checks()
TOKEN = "e2e-token"


def request(method, path, body=None, headers=None):
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


subprocess.run([PG, "--db", db, "import", "--quiet", os.path.join(DATASETS, "press")], check=True)
proc = subprocess.Popen([PG, "--db", db, "serve", "--port", "0", "--token", TOKEN], stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True)
line = proc.stdout.readline()
m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
if not m:
    print("FAIL start: %r %r" % (line, proc.stderr.read()))
    sys.exit(1)
base = "http://127.0.0.1:%s" % m.group(1)


def test_query_answers_with_evidence():
    status, body = request("POST", "/query", json.dumps({"query": 'WHO SUPPORTS "RHEL" ON "Hyper-V"'}).encode())
    assert status == 200, body
    rows = json.loads(body)["rows"]
    ms = [r for r in rows if r["values"]["subject"].startswith("Microsoft")]
    assert ms and all(r["evidence"] for r in ms), rows
    assert any("Microsoft will validate and support" in e["text"] for r in ms for e in r["evidence"])


def test_write_needs_token_and_limits():
    status, body = request("POST", "/documents", b"Title: x\n\nQuillware Corp. will support Fjord OS.\n")
    assert status == 401 and json.loads(body)["error"]["code"] == "unauthorized", (status, body)
    status, body = request("POST", "/documents", b"a" * (20 << 20), {"Authorization": "Bearer " + TOKEN})
    assert status == 413, (status, body[:200])
    status, body = request("POST", "/query", json.dumps({"query": "WHO SUPPORTS RHEL ON"}).encode())
    err = json.loads(body)["error"]
    assert status == 400 and err["line"] == 1 and err["column"], (status, body)


def test_page_in_headless_chromium():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is not installed (apt-get install chromium)"
    url = base + "/?q=" + urllib.request.quote('WHO SUPPORTS "RHEL" ON "Hyper-V"') + "&focus=RHEL"
    p = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--user-data-dir=" + os.path.join(work, "chromium"), "--virtual-time-budget=10000", "--dump-dom", url],
                       capture_output=True, text=True, timeout=120)
    dom = p.stdout
    assert '<table class="answer">' in dom, dom[-2000:] + p.stderr[-2000:]
    assert re.search(r'<td class="entity">Microsoft', dom), "no Microsoft row"
    assert "Microsoft will validate and support" in dom, "no evidence under the rows"
    svg = dom[dom.find('id="graph"'):]
    assert "<svg" in svg and "Red Hat Enterprise Linux" in svg, "no neighbourhood drawn"


def test_a_port_in_use_is_refused():
    # A second server on the port the first listens on must not share it (with SO_REUSEPORT both
    # listened and requests went to either store): exit 1, saying the port is in use.
    other = os.path.join(work, "other.db")
    subprocess.run([PG, "--db", other, "import", "--quiet", os.path.join(DATASETS, "rhel-hyperv.facts.jsonl")], check=True)
    p = subprocess.run([PG, "--db", other, "serve", "--port", base.rsplit(":", 1)[1]], capture_output=True, text=True, timeout=30)
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    assert "cannot bind" in p.stderr and "in use" in p.stderr, p.stderr
    # The first still answers from its own store, every time.
    for _ in range(8):
        status, body = request("POST", "/query", json.dumps({"query": "RANK Company BY DEGREE LIMIT 1"}).encode())
        assert status == 200 and json.loads(body)["rows"][0]["values"]["Company"] == "Microsoft", body


check("POST /query answers Microsoft with evidence", test_query_answers_with_evidence)
check("a second server on a port in use is refused, exit 1", test_a_port_in_use_is_refused)
check("POST /documents needs the token; 20 MB gets 413; a broken query 400 with its place", test_write_needs_token_and_limits)
check("the page answers and draws in headless Chromium", test_page_in_headless_chromium)

proc.send_signal(signal.SIGTERM)
try:
    out, err = proc.communicate(timeout=30)
    if proc.returncode == 0 and "stopped" in out:
        print("ok SIGTERM stops the server cleanly")
    else:
        check.fail("SIGTERM: %r %r %r" % (proc.returncode, out, err))
except subprocess.TimeoutExpired:
    proc.kill()
    check.fail("SIGTERM: still running after 30 s")
c = subprocess.run([PG, "--db", db, "check"], capture_output=True, text=True)
if c.returncode == 0:
    print("ok the store checks clean after the stop")
else:
    check.fail("check after stop: " + c.stdout + c.stderr)
shutil.rmtree(work, ignore_errors=True)
check.finish()
