#!/usr/bin/env python3
"""Hostile queries through `pactgraph query`, as a user or a script would send them.

    attack_query_test.py PACTGRAPH DATASETS_DIR

Each check prints "ok NAME" or "FAIL NAME: why"; the exit status is the number of failures.
A hostile query gets an answer or a positioned error (exit 2), never a crash, and its cost grows
with its length, not with its length squared; one that would hold more memory than its budget
is stopped with a clear error.
"""
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
failures = 0
work = tempfile.mkdtemp(prefix="pactgraph-attack-query-")
DB = os.path.join(work, "db")


def query(text, *flags, timeout=300):
    """Runs one query text read from standard input (an argument is limited to 128 KiB)."""
    p = subprocess.run([PG, "--db", DB, "query", "--no-evidence", *flags, "-"], input=text, capture_output=True,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def check(name, fn):
    global failures
    try:
        fn()
        print(f"ok {name}")
    except (AssertionError, subprocess.TimeoutExpired) as e:
        failures += 1
        print(f"FAIL {name}: {str(e)[:600]}")


def chain(term, op, n, last=None):
    return f" {op} ".join([term] * (n - 1) + [last or term])


def rows(out):
    """The table's cells below the header rule, one list per row."""
    lines = out.splitlines()
    rule = next(i for i, l in enumerate(lines) if l.startswith("---"))
    body = []
    for l in lines[rule + 1:]:
        if l.startswith("("):
            break
        body.append(re.split(r"\s{2,}", l.strip()))
    return body


def test_eight_thousand_terms_of_or_and_xor_answer():
    where = "MATCH (c:Company) WHERE {} RETURN c.name ORDER BY c.name"
    rc, out, err = query(where.format(chain("c.name = 'nobody'", "OR", 8000, "c.name = 'Oracle'")))
    assert rc == 0, f"OR in WHERE: exit {rc}: {err[:300]}"
    assert rows(out) == [["Oracle"]], out[-300:]
    rc, out, err = query(where.format(chain("c.name <> 'nobody'", "AND", 8000, "c.name <> 'Oracle'")))
    assert rc == 0, f"AND in WHERE: exit {rc}: {err[:300]}"
    assert rows(out) == [["Microsoft"], ["Red Hat"]], out[-300:]
    rc, out, err = query(where.format(chain("c.name = 'Oracle'", "XOR", 7999)))
    assert rc == 0, f"XOR in WHERE: exit {rc}: {err[:300]}"
    assert rows(out) == [["Oracle"]], out[-300:]
    term = "c.name = 'Red Hat'"
    for op, n, want in (("OR", 8000, "true"), ("AND", 8000, "true"), ("XOR", 8000, "false"), ("XOR", 7999, "true")):
        rc, out, err = query(f"MATCH (c:Company) WHERE c.name = 'Red Hat' RETURN {chain(term, op, n)} AS t")
        assert rc == 0, f"{op} in RETURN: exit {rc}: {err[:300]}"
        assert rows(out) == [[want]], f"{op} in RETURN: {out[-300:]}"
        rc, out, err = query(f"MATCH (c:Company) RETURN c.name ORDER BY {chain(term, op, n)} DESC, c.name")
        assert rc == 0, f"{op} in ORDER BY: exit {rc}: {err[:300]}"
        # true first when Red Hat's key is true
        first = "Red Hat" if want == "true" else "Microsoft"
        assert rows(out) and rows(out)[0] == [first], f"{op} in ORDER BY: {out[-300:]}"


def test_eight_thousand_terms_nested_to_the_left_are_a_positioned_error():
    for place, text in (("WHERE", f"MATCH (c:Company) WHERE {chain('c.name', '=', 8000)} RETURN c.name"),
                        ("RETURN", f"MATCH (c:Company) RETURN {chain('1', '=', 8000)}"),
                        ("ORDER BY", f"MATCH (c:Company) RETURN c.name ORDER BY {chain('c.name', '=', 8000)}")):
        rc, out, err = query(text)
        assert rc == 2, f"{place}: exit {rc} (139 is a crash): {err[:300]}"
        m = re.search(r"line 1, column (\d+): expression nested too deeply", err)
        assert m, f"{place}: {err[:300]}"
        # The caret line points at an "=".
        caret = err.splitlines()[2]
        assert text[len(caret) - 3] == "=", f"{place}: the caret is not under an operator"


def test_long_statements_cost_linear_time():
    # Each kind of statement at 10,000 and 100,000 parts: ten times the text may take ten times
    # as long, not a hundred (the slack covers start-up time and a loaded machine).
    kinds = {
        "OR terms": lambda n: "MATCH (c:Company) WHERE " + chain("c.name = 'x'", "OR", n) + " RETURN c.name",
        "RETURN columns": lambda n: "MATCH (c:Company) RETURN " + ", ".join(f"c.name AS a{i}" for i in range(n)),
        "ORDER BY keys": lambda n: "MATCH (c:Company) RETURN c.name ORDER BY " + ", ".join(f"c.name = 'x{i}'" for i in range(n)),
        "statements": lambda n: "; ".join(["MATCH (c:Company) WHERE c.name = 'Oracle' RETURN c.name"] * (n // 10)),
        "parameters": lambda n: "MATCH (c:Company) WHERE " + " OR ".join(f"c.name = $p{i}" for i in range(n)) + " RETURN c",
        "list items": lambda n: "MATCH (c:Company) WHERE c.name IN [" + ", ".join(f"'n{i}'" for i in range(n)) + "] RETURN c",
    }
    for kind, make in kinds.items():
        times = []
        for n in (10_000, 100_000):
            text = make(n)
            t0 = time.monotonic()
            rc, out, err = query(text, "--format", "json" if kind == "RETURN columns" else "table", timeout=120)
            times.append(time.monotonic() - t0)
            assert rc in (0, 2), f"{kind}, {n} parts: exit {rc}: {err[:300]}"
            if rc == 2:
                assert re.search(r"line \d+, column \d+", err), f"{kind}: {err[:300]}"
        print(f"  {kind}: {times[0]:.2f} s for 10,000 parts, {times[1]:.2f} s for 100,000")
        assert times[1] < 40 * max(times[0], 0.05), f"{kind}: {times[0]:.2f} s, then {times[1]:.2f} s"


def test_a_statement_of_several_megabytes_answers():
    text = f"MATCH (c:Company) WHERE {chain('c.name <> ' + repr('y' * 20), 'AND', 150_000)} RETURN c.name ORDER BY c.name"
    assert len(text) > 5_000_000
    rc, out, err = query(text, timeout=120)
    assert rc == 0, f"exit {rc}: {err[:300]}"
    assert rows(out) == [["Microsoft"], ["Oracle"], ["Red Hat"]], out[-300:]


def test_an_impossible_date_is_a_positioned_error():
    for date in ("2009-02-30", "2009-13-01", "2010-02-29"):
        rc, out, err = query(f"WHO SUPPORTS RHEL AS OF {date}")
        assert rc == 2, f"{date}: exit {rc}: {out[:200]}"
        assert f"line 1, column 25: expected a date YYYY-MM-DD after AS OF, found date {date}; there is no such day" in err, err
    rc, out, err = query("WHO SUPPORTS RHEL AS OF 2008-02-29")
    assert rc == 0, err


def test_a_negative_or_absurd_limit_is_a_positioned_error():
    for text, column in (("MATCH (c:Company) RETURN c.name LIMIT -1", 39), ("MATCH (c:Company) RETURN c.name SKIP -1", 38),
                         ("MATCH (c:Company) RETURN c.name SKIP 99999999999999999999999", 38)):
        rc, out, err = query(text)
        assert rc == 2, f"{text}: exit {rc}: {out[:200]}"
        assert f"line 1, column {column}: expected a whole number of at most 18 digits" in err, err


# A cross product of the sample's entities, sorted by 300 keys: some 2,700 rows of 300 values.
HEAVY = "MATCH (a), (b), (c) RETURN a.name, b.name, c.name ORDER BY " + ", ".join(["c.name"] * 300)
MEMORY_MESSAGE = ("the query needs more than 1 MB of memory for the rows ORDER BY sorts; "
                  "narrow it or raise --max-query-memory")


def test_a_query_past_its_memory_budget_is_stopped():
    rc, out, err = query(HEAVY, "--max-query-memory", "1048576")
    assert rc == 2, f"exit {rc}: {out[-200:]}"
    assert f"error: {MEMORY_MESSAGE}" in err, err
    rc, out, err = query(HEAVY + " LIMIT 1")
    assert rc == 0, f"under the default budget: exit {rc}: {err[:300]}"
    rc, out, err = query("SHOW Oracle", "--max-query-memory", "1000")
    assert rc == 2 and "--max-query-memory needs a number from 1048576" in err, err


def test_the_server_answers_422_past_the_memory_budget():
    server = subprocess.Popen([PG, "--db", DB, "serve", "--port", "0", "--read-only", "--max-query-memory", "1048576"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = int(re.search(r":(\d+)/", server.stdout.readline()).group(1))
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        c.request("POST", "/query", json.dumps({"query": HEAVY}), {"Content-Type": "application/json"})
        r = c.getresponse()
        body = json.loads(r.read())
        assert r.status == 422, f"{r.status}: {body}"
        # The same limit, said in the request's terms: the server's flag bounds it.
        assert body["error"]["message"] == MEMORY_MESSAGE.replace(
            "narrow it or raise --max-query-memory", "narrow it (the server's --max-query-memory bounds each query)"), body
        c.request("POST", "/query", json.dumps({"query": "SHOW Oracle"}), {"Content-Type": "application/json"})
        r = c.getresponse()
        assert r.status == 200, r.read()[:300]
        r.read()
    finally:
        server.terminate()
        server.wait(timeout=60)


rc = subprocess.run([PG, "--db", DB, "import", os.path.join(DATASETS, "cloud-alliances.facts.jsonl")],
                    capture_output=True, text=True).returncode
assert rc == 0, "the sample data did not import"
check("8,000 terms of OR, AND, XOR in WHERE, RETURN, ORDER BY answer", test_eight_thousand_terms_of_or_and_xor_answer)
check("8,000 terms of = nested to the left are a positioned error",
      test_eight_thousand_terms_nested_to_the_left_are_a_positioned_error)
check("long statements cost linear time", test_long_statements_cost_linear_time)
check("a statement of several megabytes answers", test_a_statement_of_several_megabytes_answers)
check("AS OF an impossible date is a positioned error", test_an_impossible_date_is_a_positioned_error)
check("a negative or absurd LIMIT or SKIP is a positioned error", test_a_negative_or_absurd_limit_is_a_positioned_error)
check("a query past its memory budget is stopped (--max-query-memory)", test_a_query_past_its_memory_budget_is_stopped)
check("the server answers 422 past the memory budget", test_the_server_answers_422_past_the_memory_budget)
shutil.rmtree(work, ignore_errors=True)
print(f"{failures} failures")
sys.exit(failures)
