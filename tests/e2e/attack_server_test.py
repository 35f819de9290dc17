#!/usr/bin/env python3
"""`pactgraph serve` under the attacks an outsider made on it: idle and slow connections that
must not starve the workers, bodies at both sides of --max-body (sent the way curl sends them),
requests pipelined on one connection, POST /query fields out of range, and a store whose files
break under a running server (a 500 that names no file of this machine).

    attack_server_test.py PACTGRAPH DATASETS_DIR

Prints "ok NAME" or "FAIL NAME: why" per check; the exit status is the number of failures.
"""
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks, start_server, stop_server  # noqa: E402

PG, DATASETS = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="pactgraph-attack-")
db = os.path.join(work, "db")
TOKEN = "attack-token"
MAX_BODY = 200000
check = Checks()


def start(directory, *flags):
    return start_server(PG, directory, TOKEN, *flags)


def stop(proc):
    return stop_server(proc)


def request(port, method, path, body=None, headers=None, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read().decode(errors="replace"), dict(r.getheaders())
    finally:
        c.close()


def no_leak(text):
    for p in (work, os.path.realpath(work), os.path.dirname(os.path.abspath(PG)), "/tmp/", "/root", "/home/", ".sst"):
        assert p not in text, "a machine path leaks (%s): %s" % (p, text[:300])


def read_response(sock, buf):
    """One response off a raw socket: (status, body, rest of the bytes read)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("the connection closed before a response; got %r" % buf[:200])
        buf += chunk
    head, _, buf = buf.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for h in lines[1:]:
        k, _, v = h.partition(":")
        if k.strip().lower() == "content-length":
            length = int(v.strip())
    while len(buf) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("the connection closed inside a body")
        buf += chunk
    return status, buf[:length].decode(errors="replace"), buf[length:]


subprocess.run([PG, "--db", db, "import", "--quiet", os.path.join(DATASETS, "press")], check=True, capture_output=True)
broken_db = os.path.join(work, "broken")
shutil.copytree(db, broken_db)
proc, port = start(db, "--max-body", str(MAX_BODY))
QUERY = "/query?q=" + urllib.parse.quote("WHO SUPPORTS RHEL")


def timed_queries():
    """A GET and a POST query, each answered within a second."""
    for method, path, body in (("GET", QUERY, None), ("POST", "/query", json.dumps({"query": "WHO SUPPORTS RHEL"}))):
        t0 = time.monotonic()
        status, text, _ = request(port, method, path, body, {"Content-Type": "application/json"}, timeout=5)
        took = time.monotonic() - t0
        assert status == 200, (method, status, text[:200])
        assert json.loads(text)["rows"], text[:200]
        assert took < 1.0, "%s /query took %.2f s" % (method, took)


def open_idle(n, first_bytes=b""):
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        if first_bytes:
            s.sendall(first_bytes)
        socks.append(s)
    time.sleep(0.3)  # let the server accept them all
    return socks


def close_all(socks):
    for s in socks:
        s.close()


# ---------------------------------------------------------------------------- finding 7
def idle_connections_do_not_starve_queries():
    socks = open_idle(20)
    try:
        timed_queries()
    finally:
        close_all(socks)


def slow_headers_do_not_starve_queries():
    # Each has begun a request and stalls inside its headers (a slowloris).
    socks = open_idle(20, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    try:
        timed_queries()
    finally:
        close_all(socks)


def three_hundred_idle_connections_do_not_stop_the_server():
    socks = open_idle(300)
    try:
        timed_queries()
    finally:
        close_all(socks)


def an_idle_connection_is_closed_after_the_idle_timeout():
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    try:
        t0 = time.monotonic()
        data = s.recv(100)  # the server closes it: an empty read
        assert data == b"", data
        took = time.monotonic() - t0
        assert took < 10, "closed after %.1f s" % took
    finally:
        s.close()


check("20 idle connections do not stop a query being answered within 1 s", idle_connections_do_not_starve_queries)
check("20 connections stalled inside their headers do not stop a query within 1 s", slow_headers_do_not_starve_queries)
check("300 idle connections do not stop a query within 1 s", three_hundred_idle_connections_do_not_stop_the_server)
check("a connection that sends nothing is closed within the idle timeout", an_idle_connection_is_closed_after_the_idle_timeout)


# ---------------------------------------------------------------------------- finding 10
def article(name, size):
    """A press release of about `size` bytes naming a company of its own."""
    head = "Title: %s announces support\nDate: 2021-03-04\nPublisher: Attack Wire\n\n" % name
    sentence = "%s will support Red Hat Enterprise Linux on Hyper-V for its customers. " % name
    filler = "The companies said the work would continue through the year with more products. "
    body = sentence
    while len(head) + len(body) < size:
        body += filler
    return (head + body + "\n").encode()


auth = {"Authorization": "Bearer " + TOKEN}
FORM = dict(auth, **{"Content-Type": "application/x-www-form-urlencoded"})  # what curl -d sends


def body_just_under_the_limit_is_imported():
    for i, (name, headers) in enumerate((("Quuxcorp", FORM), ("Zentrix", dict(auth, **{"Content-Type": "text/plain"})))):
        a = article(name, 100000 + i)
        assert 90000 < len(a) < MAX_BODY
        status, text, _ = request(port, "POST", "/documents?name=" + name.lower() + ".txt", a, headers)
        assert status == 201, (name, status, text[:300])
        s, t, _ = request(port, "GET", "/search?q=" + name)
        assert name in t, t[:300]
    # The limit itself: a body of exactly --max-body bytes is taken.
    a = article("Limitron", MAX_BODY)[:MAX_BODY]
    status, text, _ = request(port, "POST", "/documents?name=limitron.txt", a, FORM)
    assert status == 201, (status, text[:300])


def body_just_over_the_limit_is_413():
    a = article("Overcorp", MAX_BODY + 1)[:MAX_BODY + 1]
    for headers in (FORM, dict(auth, **{"Content-Type": "text/plain"})):
        status, text, _ = request(port, "POST", "/documents?name=over.txt", a, headers)
        assert status == 413, (status, text[:300])
        assert json.loads(text)["error"]["code"] == "too_large", text
    # The same sent in chunks, with no Content-Length to refuse it by.
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        head = "POST /documents?name=over.txt HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nTransfer-Encoding: chunked\r\n\r\n" % TOKEN
        s.sendall(head.encode())
        try:
            for i in range(0, len(a), 16384):
                piece = a[i:i + 16384]
                s.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            s.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may stop reading once it has answered
        status, text, _ = read_response(s, b"")
        assert status == 413, (status, text[:300])
        assert json.loads(text)["error"]["code"] == "too_large", text
    finally:
        s.close()
    _, t, _ = request(port, "GET", "/search?q=Overcorp")
    assert json.loads(t)["matches"] == [], t


def a_large_query_body_sent_as_a_form_is_read():
    # A POST /query body over 8 KiB, with the content type curl -d gives it.
    body = json.dumps({"query": "WHO SUPPORTS RHEL", "padding": "x" * 20000})
    status, text, _ = request(port, "POST", "/query", body, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200, (status, text[:300])


check("a 100 KB article just under --max-body 200000 is imported (as a form and as text)", body_just_under_the_limit_is_imported)
check("a body one byte over --max-body is 413 with a JSON error (also chunked)", body_just_over_the_limit_is_413)
check("a 20 KB POST /query body sent as a form is answered", a_large_query_body_sent_as_a_form_is_read)


# ---------------------------------------------------------------------------- finding 13a
def pipelined_requests_get_every_answer():
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        post = json.dumps({"query": "WHO SUPPORTS RHEL"})
        s.sendall(("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                   "GET %s HTTP/1.1\r\nHost: x\r\n\r\n"
                   "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                   "GET /search?q=Micro HTTP/1.1\r\nHost: x\r\n\r\n" % (QUERY, len(post), post)).encode())
        rest = b""
        bodies = []
        for _ in range(4):
            status, body, rest = read_response(s, rest)
            assert status == 200, (status, body[:200])
            bodies.append(json.loads(body))
        assert bodies[0]["status"] == "ok"
        assert bodies[1]["rows"] and bodies[2]["rows"]
        assert bodies[3]["matches"]
    finally:
        s.close()


check("four requests pipelined in one write get four answers, in order", pipelined_requests_get_every_answer)


# ---------------------------------------------------------------------------- finding 13c
def post_query(body):
    status, text, _ = request(port, "POST", "/query", json.dumps(body), {"Content-Type": "application/json"})
    return status, json.loads(text)


def bad_limits_are_refused_by_name():
    for field, value in (("limit", -1), ("limit", 0), ("limit", 2.5), ("limit", "5"), ("limit", 2**64),
                         ("timeout_ms", -5), ("timeout_ms", 0), ("timeout_ms", 1.5), ("timeout_ms", None)):
        status, j = post_query({"query": "WHO SUPPORTS RHEL", field: value})
        assert status == 400, (field, value, status, j)
        assert field in j["error"]["message"], (field, value, j)
    for path in (QUERY + "&limit=-1", QUERY + "&timeout_ms=-1", QUERY + "&limit=0"):
        status, text, _ = request(port, "GET", path)
        assert status == 400, (path, status, text)
    status, j = post_query({"query": "WHO SUPPORTS RHEL", "limit": 1})
    assert status == 200 and len(j["rows"]) == 1, (status, j)


def params_are_used():
    status, plain = post_query({"query": "WHO SUPPORTS RHEL"})
    assert status == 200, plain
    status, j = post_query({"query": "WHO SUPPORTS $x", "params": {"x": "RHEL"}})
    assert status == 200, (status, j)
    assert j["rows"] == plain["rows"], (j["rows"][:2], plain["rows"][:2])
    status, j = post_query({"query": "WHO SUPPORTS $x"})
    assert status == 400 and "$x" in j["error"]["message"], (status, j)
    for bad in ([1, 2], {"x": [1]}, {"x": None}, "RHEL"):
        status, j = post_query({"query": "WHO SUPPORTS $x", "params": bad})
        assert status == 400 and "params" in j["error"]["message"], (bad, status, j)


def limits_have_the_command_lines_bounds():
    for field, value in (("limit", 10**9 + 1), ("limit", 2**62), ("timeout_ms", 86400001)):
        status, j = post_query({"query": "WHO SUPPORTS RHEL", field: value})
        assert status == 400, (field, value, status, j)
        assert "%s must be a whole number from" % field in j["error"]["message"], (field, value, j)
    status, j = post_query({"query": "WHO SUPPORTS RHEL", "limit": 10**9, "timeout_ms": 86400000})
    assert status == 200, (status, j)
    for path in (QUERY + "&limit=1000000001", QUERY + "&timeout_ms=86400001", "/search?q=R&limit=0",
                 "/search?q=R&limit=-5", "/search?q=R&limit=1000000001"):
        status, text, _ = request(port, "GET", path)
        assert status == 400, (path, status, text)
        field = "timeout_ms" if "timeout_ms" in path else "limit"
        assert "%s must be a whole number from" % field in json.loads(text)["error"]["message"], (path, text)
    status, text, _ = request(port, "GET", "/openapi.json")
    spec = json.loads(text)
    limit = spec["paths"]["/query"]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]["limit"]
    assert limit["minimum"] == 1 and limit["maximum"] == 10**9, limit
    assert "not_utf8" in text, "the OpenAPI document does not say how text that is not UTF-8 is refused"


def limit_messages_speak_in_the_requests_terms():
    # Each limit met over HTTP is said with the request's fields and the server's bounds, never a
    # command-line flag a client cannot pass.
    status, j = post_query({"query": "PATH Novell TO \"Red Hat\" MAX 99"})
    assert status == 400 and "MAX must be from 1 to 12" in j["error"]["message"], (status, j)
    assert "--max-hops" not in j["error"]["message"] and "fixed on this server" in j["error"]["message"], j
    status, j = post_query({"query": "MATCH (a)-[*1..40]->(b) RETURN a.name"})
    assert status == 400 and "--max-hops" not in j["error"]["message"], (status, j)
    status, j = post_query({"query": "WHO SUPPORTS RHEL", "limit": 1})
    assert status == 200 and len(j["rows"]) == 1, (status, j)
    assert "with limit" in j["notice"] and "--max-rows to change" not in j["notice"], j


def text_that_is_not_utf8_is_400_naming_the_parameter():
    for path, parameter in (("/query?q=%FF%FE", "q"), ("/query?q=SHOW%20%22%FF%22", "q"), ("/search?q=%FF", "q"),
                            ("/entities/%FF", "ref"), ("/entities/Red%20Hat%C3", "ref"), ("/graph?focus=%FF", "focus"),
                            ("/graph.svg?focus=R%FF", "focus"), ("/export?format=dot&focus=%FF", "focus"),
                            ("/export?format=csv&file=%FF", "file"), ("/search?q=R&%FF=1", "\ufffd"), ("/%FF%FE", "path")):
        status, text, _ = request(port, "GET", path)
        assert status == 400, (path, status, text)
        err = json.loads(text)["error"]
        assert err["code"] == "not_utf8" and "not UTF-8" in err["message"], (path, err)
        assert err["parameter"] == parameter, (path, err)
    for body in (b'{"query": "SHOW \xff"}', b'{"query": "WHO SUPPORTS RHEL", "format": "js\xc3"}'):
        status, text, _ = request(port, "POST", "/query", body, {"Content-Type": "application/json"})
        assert status == 400, (body, status, text)
        err = json.loads(text)["error"]
        assert err["parameter"] == "body" and "byte " in err["message"], (body, err)
    status, text, _ = request(port, "POST", "/documents?name=%FF", "Title: x\n\nSome text here.\n",
                              {"Authorization": "Bearer " + TOKEN})
    assert status == 400 and json.loads(text)["error"]["parameter"] == "name", (status, text)
    status, text, _ = request(port, "GET", QUERY)  # the server goes on answering
    assert status == 200, (status, text)


check("POST /query refuses a negative, zero or fractional limit or timeout_ms, naming the field", bad_limits_are_refused_by_name)
check("limit and timeout_ms take the bounds of query --max-rows and --timeout, over GET and POST and on /search",
      limits_have_the_command_lines_bounds)
check("a limit met over HTTP is said with the request's fields, not a command-line flag",
      limit_messages_speak_in_the_requests_terms)
check("text that is not UTF-8 anywhere in a request is a 400 naming the parameter, never a 500",
      text_that_is_not_utf8_is_400_naming_the_parameter)
check("POST /query uses \"params\" for $parameters, and says which is missing", params_are_used)
server_log = stop(proc)


# ---------------------------------------------------------------------------- finding 13b
def storage_errors_are_500_without_a_path():
    proc2, port2 = start(broken_db)
    try:
        ssts = [os.path.join(broken_db, f) for f in os.listdir(broken_db) if f.endswith(".sst")]
        assert ssts, os.listdir(broken_db)
        for f in ssts:  # the data blocks, not the footer the open table already holds
            size = os.path.getsize(f)
            with open(f, "r+b") as out:
                out.write(b"\0" * (size // 2))
        seen = 0
        for path in ("/graph?focus=RHEL", "/graph.svg?focus=RHEL", "/entities/RHEL", "/search?q=RH", QUERY,
                     "/documents/1", "/export?format=csv", "/export?format=dot&focus=RHEL"):
            status, text, _ = request(port2, "GET", path)
            no_leak(text)
            assert not 400 <= status < 500, (path, status, text[:300])
            if status == 500:
                seen += 1
                assert json.loads(text)["error"]["code"] == "storage", (path, text[:300])
        assert seen >= 4, "only %d endpoints saw the broken store" % seen
        # The streamed export: its status line went before the failure, so the transfer must break
        # off rather than end as if the export were whole.
        try:
            status, text, _ = request(port2, "GET", "/export")
            assert status == 500, (status, text[-200:])
            no_leak(text)
        except http.client.IncompleteRead:
            pass
        status, text, _ = request(port2, "POST", "/query", json.dumps({"query": "WHO SUPPORTS RHEL"}))
        no_leak(text)
        assert status in (200, 500), (status, text)
    finally:
        log = stop(proc2)
    # The whole message, path and all, is in the server's log for its operator.
    assert ".sst" in log or "Corruption" in log, log[-500:]


check("a store that fails under the server gives 500 naming no file, and logs the whole error", storage_errors_are_500_without_a_path)

shutil.rmtree(work, ignore_errors=True)
check.finish()
