#!/usr/bin/env python3
"""The bad-input catalogue: every entry point (the command line, facts files, articles as text and
HTML, queries, HTTP requests) fed input that is truncated, oversized, wrongly encoded, deeply
nested, empty, binary, unknown or hostile. Each case must fail with a clear message naming where
and why (a non-zero exit status, or a 4xx status with a JSON error), leak no path of this machine,
and leave the store exactly as it was (its export and its counts are compared after every case).

    bad_input_test.py PACTGRAPH DATASETS_DIR

Prints "ok N: what" or "FAIL N: what: why" per case; the exit status is the number of failures.
"""
import hashlib
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

PG, DATASETS = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="pactgraph-bad-")
db = os.path.join(work, "db")
TOKEN = "bad-input-token"
failures = 0
count = 0


def pg(*args, stdin=None):
    return subprocess.run([PG, "--db", db] + list(args), input=stdin, capture_output=True, timeout=120)


def state():
    """The store's content: its export and its counts (not its bytes on disk, which a writer's
    log may change without changing a fact)."""
    e = pg("export")
    s = json.loads(pg("stats", "--format", "json").stdout)
    s.pop("disk_bytes", None)
    return hashlib.sha256(e.stdout).hexdigest(), json.dumps(s, sort_keys=True)


def write(name, data):
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


subprocess.run([PG, "--db", db, "import", "--quiet", os.path.join(DATASETS, "press")], check=True, capture_output=True)
before = state()


def case(what, fn):
    global failures, count
    count += 1
    try:
        fn()
        now = state()
        if now != before:
            raise AssertionError("the store changed")
        print("ok %d: %s" % (count, what))
    except Exception as e:  # noqa: BLE001
        failures += 1
        print("FAIL %d: %s: %r" % (count, what, e))


def no_leak(text):
    for p in (work, os.path.dirname(os.path.abspath(PG)), "/root", "/home/"):
        assert p not in text, "a machine path leaks: " + p


def cli(args, want, stdin=None, code=2):
    def run():
        r = pg(*args, stdin=stdin)
        err = r.stderr.decode(errors="replace") + r.stdout.decode(errors="replace")
        assert r.returncode == code, (r.returncode, err[-400:])
        for w in want if isinstance(want, (list, tuple)) else [want]:
            assert re.search(w, err, re.I), (w, err[-400:])
    return run


# ---------------------------------------------------------------------------- command line
nested = "[" * 100000
cases = [
    ("import: a file that does not exist", ["import", os.path.join(work, "missing.jsonl")], "no such file"),
    ("import: an empty file", ["import", write("empty.txt", b"")], "empty"),
    ("import: a binary file", ["import", write("bin.txt", b"PK\x03\x04\x00\x00\x14\x00" * 10)], "binary"),
    ("import: invalid UTF-8", ["import", write("latin1.txt", b"Title: caf\xe9\n\nCaf\xe9 text here.\n")], "UTF-8"),
    ("import: a 17 MB article", ["import", write("big.txt", b"Title: big\n\n" + b"word " * (17 << 18))], "larger than"),
    ("import: HTML with no article", ["import", write("menu.html", "<html><body><nav>Home</nav><script>x()</script></body></html>")], "no article"),
    ("facts: a truncated line", ["import", write("t1.jsonl", '{"kind":"entity","name":"Trunc Co","type":"Com')], [r"t1\.jsonl:1:", "nothing"]),
    ("facts: a line that is not an object", ["import", write("t2.jsonl", "[1, 2, 3]\n")], r"t2\.jsonl:1"),
    ("facts: an unknown kind", ["import", write("t3.jsonl", '{"kind":"gadget","name":"X"}\n')], "unknown kind"),
    ("facts: an unknown entity type", ["import", write("t4.jsonl", '{"kind":"entity","name":"X Co","type":"Spaceship"}\n')], "Spaceship"),
    ("facts: an unknown relation type", ["import", write("t5.jsonl", '{"kind":"entity","name":"X Co","type":"Company"}\n{"kind":"relation","type":"BUYS","subject":"X Co","object":"X Co"}\n')], [r":2:", "BUYS"]),
    ("facts: an id no entity line declares", ["import", write("t6.jsonl", '{"kind":"relation","type":"DEVELOPS","subject":{"id":"e9"},"object":"Y"}\n')], r"t6\.jsonl"),
    ("facts: a subject of the wrong type", ["import", write("t7.jsonl", '{"kind":"entity","name":"Pat Q","type":"Person"}\n{"kind":"relation","type":"DEVELOPS","subject":"Pat Q","object":"Pat OS"}\n')], "Person"),
    ("facts: a qualifier the relation does not take", ["import", write("t8.jsonl", '{"kind":"entity","name":"Q Co","type":"Company"}\n{"kind":"relation","type":"DEVELOPS","subject":"Q Co","object":"Q OS","qualifiers":{"title":"x"}}\n')], "qualifier"),
    ("facts: JSON nested 100,000 deep", ["import", write("t9.jsonl", nested + "\n")], r"t9\.jsonl:1"),
    ("facts: an empty name", ["import", write("t10.jsonl", '{"kind":"entity","name":"","type":"Company"}\n')], "name"),
    ("facts: invalid UTF-8 inside a string", ["import", write("t11.jsonl", b'{"kind":"entity","name":"Caf\xe9 Co","type":"Company"}\n')], "UTF-8"),
    ("facts: a number where a name goes", ["import", write("t12.jsonl", '{"kind":"entity","name":5,"type":"Company"}\n')], "name"),
    ("facts: a good line then a broken one", ["import", write("t13.jsonl", '{"kind":"entity","name":"Half Co","type":"Company"}\n{"kind":"entity",\n')], [r":2:", "nothing"]),
    ("facts: standard input that is not JSON", ["import", "-"], "", b"{not json at all\n"),
    ("import: a folder that does not exist", ["import", os.path.join(work, "nowhere")], "no such file"),
    ("command: unknown", ["frobnicate"], "unknown command"),
    ("command: an unknown flag", ["import", "--frobnicate", "x"], "frobnicate"),
    ("query: a syntax error", ["query", "WHO SUPORTS RHEL"], [r"line 1, column 5", "SUPORTS"]),
    ("query: an unknown entity", ["query", 'WHO SUPPORTS "Zorblax 9000"'], "Zorblax"),
    ("query: an unterminated string", ["query", 'WHO SUPPORTS "RHEL'], "line 1"),
    ("query: MAX beyond the limit", ["query", "PATH RHEL TO Oracle MAX 999"], "MAX"),
    ("query: a LIMIT too large for 64 bits", ["query", "WHO SUPPORTS RHEL LIMIT 99999999999999999999999"], "LIMIT|number"),
    ("query: a NUL byte", ["query", "WHO SUPPORTS\x01RHEL"], "line 1"),
    ("query: nothing", ["query", ""], "query|expected"),
    ("query: parentheses 5,000 deep", ["query", "MATCH (a) WHERE " + "(" * 5000 + "a.name = 'x'" + ")" * 5000 + " RETURN a"], "line 1|deep|nest"),
    ("query: a parameter with no value", ["query", "SHOW $x"], r"\$x|x"),
    ("query: an unknown relation type in a pattern", ["query", "MATCH (a)-[:BUYS]->(b) RETURN a"], "BUYS"),
    ("query: RANK an unknown type", ["query", "RANK Spaceship BY PAGERANK"], "entity type"),
    ("export: an unknown format", ["export", "--format", "xml"], "xml"),
    ("export: csv without a folder", ["export", "--format", "csv"], "--output"),
    ("export: a focus nobody has", ["export", "--format", "dot", "--focus", "Nobody At All"], "Nobody At All"),
    ("show: an unknown name", ["show", "Zorblax 9000"], "Zorblax"),
    ("show: an id past 64 bits", ["show", "#123456789012345678901234567"], r'"#123456789012345678901234567" is not an entity id'),
    ("show: an id no entity has", ["show", "#18446744073709551615"], "no entity has the id #18446744073709551615"),
    ("export: a focus id past 64 bits", ["export", "--format", "dot", "--focus", "#123456789012345678901234567"], "not an entity id"),
    ("query: an id past 64 bits", ["query", "SHOW #123456789012345678901234567"], [r"line 1, column 7", r"below 2\^64"]),
    ("schema: a malformed extension", ["schema", "--add", write("schema.json", "{\"entity_types\": [")], "schema|JSON|json"),
]
for c in cases:
    what, args, want = c[0], c[1], c[2]
    stdin = c[3] if len(c) > 3 else None
    code = c[4] if len(c) > 4 and c[4] is not None else 2
    case(what, cli(args, want, stdin, code))

# ---------------------------------------------------------------------------- HTTP
proc = subprocess.Popen([PG, "--db", db, "serve", "--port", "0", "--token", TOKEN], stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True)
m = re.search(r":(\d+)/", proc.stdout.readline())
port = int(m.group(1))


def over_http(method, path, body=None, headers=None, want=400, text=None):
    def run():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read().decode(errors="replace")
        finally:
            c.close()
        assert r.status == want, (r.status, data[:300])
        err = json.loads(data)["error"]
        assert err["message"] and err["code"], data
        if text:
            assert re.search(text, err["message"], re.I), (text, err["message"])
        no_leak(data)
    return run


auth = {"Authorization": "Bearer " + TOKEN}
http_cases = [
    ("http: POST /query with malformed JSON", "POST", "/query", '{"query": ', None, 400, "JSON"),
    ("http: POST /query with a JSON array", "POST", "/query", "[1,2]", None, 400, "object"),
    ("http: POST /query without a query", "POST", "/query", "{}", None, 400, "query"),
    ("http: POST /query with a syntax error", "POST", "/query", '{"query":"WHO SUPORTS RHEL"}', None, 400, "SUPORTS"),
    ("http: POST /query with a limit that is text", "POST", "/query", '{"query":"WHO SUPPORTS RHEL","limit":"ten"}', None, 400, "limit"),
    ("http: GET /query without q", "GET", "/query", None, None, 400, "query"),
    ("http: an unknown entity", "GET", "/entities/Zorblax%209000", None, None, 404, "Zorblax"),
    ("http: a hostile entity path", "GET", "/entities/..%2F..%2F..%2Fetc%2Fpasswd", None, None, 404, None),
    ("http: an entity id past 64 bits", "GET", "/entities/%23123456789012345678901234567", None, None, 400, "not an entity id"),
    ("http: an entity name that is not UTF-8", "GET", "/entities/%FF", None, None, 400, "entity reference .* not UTF-8"),
    ("http: a path that is not UTF-8", "GET", "/%FF%FE", None, None, 400, "path is not UTF-8"),
    ("http: a focus that is not UTF-8", "GET", "/graph?focus=%FF", None, None, 400, "focus is not UTF-8"),
    ("http: an export focus that is not UTF-8", "GET", "/export?format=graphml&focus=%FF", None, None, 400, "focus is not UTF-8"),
    ("http: a CSV file name that is not UTF-8", "GET", "/export?format=csv&file=%FF", None, None, 400, "file is not UTF-8"),
    ("http: a query naming a non-UTF-8 entity", "GET", "/query?q=SHOW%20%22%FF%22", None, None, 400, "q is not UTF-8"),
    ("http: a query that is not UTF-8", "GET", "/query?q=%FF%FE", None, None, 400, "q is not UTF-8"),
    ("http: a search that is not UTF-8", "GET", "/search?q=%FF", None, None, 400, "q is not UTF-8"),
    ("http: a parameter name that is not UTF-8", "GET", "/search?q=R&%C3=1", None, None, 400, "name is not UTF-8"),
    ("http: a POST /query body that is not UTF-8", "POST", "/query", b'{"query": "SHOW \xff"}', None, 400, "body is not UTF-8.*byte 17"),
    ("http: a document name that is not UTF-8", "POST", "/documents?name=%FF", "Title: x\n\nSome text here.\n", auth, 400, "name is not UTF-8"),
    ("http: a limit past the CLI's --max-rows bound", "POST", "/query", '{"query":"WHO SUPPORTS RHEL","limit":1000000001}', None, 400, "limit must be a whole number from 1 to 1000000000"),
    ("http: a timeout_ms past the CLI's --timeout bound", "GET", "/query?q=SHOW%20RHEL&timeout_ms=86400001", None, None, 400, "timeout_ms must be a whole number from 1 to 86400000"),
    ("http: a search limit of 0", "GET", "/search?q=R&limit=0", None, None, 400, "limit must be a whole number from 1"),
    ("http: a hostile document path", "GET", "/documents/..%2F..%2Fetc%2Fpasswd", None, None, 404, None),
    ("http: a document that does not exist", "GET", "/documents/999999", None, None, 404, None),
    ("http: a graph without a focus", "GET", "/graph", None, None, 400, "focus"),
    ("http: a graph 99 deep", "GET", "/graph?focus=RHEL&depth=99", None, None, 400, "depth"),
    ("http: an unknown export format", "GET", "/export?format=xml", None, None, 400, "format"),
    ("http: a hostile CSV file name", "GET", "/export?format=csv&file=..%2F..%2Fetc%2Fpasswd", None, None, 404, None),
    ("http: a write without the token", "POST", "/documents", "Title: x\n\nSome text here.\n", None, 401, "token"),
    ("http: a write with a wrong token", "POST", "/documents", "Title: x\n\nSome text here.\n", {"Authorization": "Bearer nope"}, 403, "token"),
    ("http: a binary document", "POST", "/documents", b"PK\x03\x04\x00\x00" * 20, auth, 422, "binary"),
    ("http: an empty document", "POST", "/documents", "", auth, 422, "empty"),
    ("http: facts with a broken line", "POST", "/facts", '{"kind":"entity","name":"H Co","type":"Company"}\n{"kind":', auth, 422, None),
    ("http: facts with an unknown type", "POST", "/facts", '{"kind":"entity","name":"H Co","type":"Spaceship"}\n', auth, 422, "Spaceship"),
    ("http: a 20 MB body", "POST", "/documents", b"a" * (20 << 20), auth, 413, None),
    ("http: an endpoint that does not exist", "GET", "/admin/shutdown", None, None, 404, None),
    ("http: PUT on /query", "PUT", "/query", "{}", None, 405, None),
    ("http: a search without q", "GET", "/search", None, None, 400, None),
]
for what, method, path, body, headers, want, text in http_cases:
    case(what, over_http(method, path, body, headers, want, text))


def huge_header():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request("GET", "/health", headers={"X-Filler": "a" * 200000})
        r = c.getresponse()
        r.read()
        assert 400 <= r.status < 500, r.status
    except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
        pass  # refusing the connection is an answer too
    finally:
        c.close()


case("http: a 200 KB header", huge_header)
proc.terminate()
proc.wait(timeout=30)
shutil.rmtree(work, ignore_errors=True)
print("%d cases, %d failures" % (count, failures))
sys.exit(failures)
