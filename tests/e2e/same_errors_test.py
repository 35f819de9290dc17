#!/usr/bin/env python3
"""One query, one error, whichever door it comes in by: `pactgraph query`, `pactgraph shell` and
POST /query give the same message with the same line and column (the terminals with the line
and carets under the span, the server as JSON fields).

    same_errors_test.py PACTGRAPH DATASETS_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks, start_server, stop_server  # noqa: E402

PG, DATASETS = sys.argv[1], sys.argv[2]
check = Checks()
work = tempfile.mkdtemp(prefix="pactgraph-errors-")
db = os.path.join(work, "db")
subprocess.run([PG, "--db", db, "import", "--quiet", os.path.join(DATASETS, "gold")], check=True, capture_output=True)

CASES = {
    "a misspelt verb": "WHO SUPORTS RHEL",
    "a misspelt name": 'WHO SUPPORTS "Red Hat Enterprize Linux"',
    "a name of the wrong type": "WHO SUPPORTS Microsoft",
    "an unbound parameter": "WHO SUPPORTS $x ON EXACTLY $y",
    "an unknown variable on the second line": "MATCH (c:Company)\nRETURN dd.name",
    "a path longer than the limit": "PATH RHEL TO Novell MAX 99",
}
PLACE = re.compile(r"^error: line (\d+), column (\d+): (.*)$", re.M)
# A limit's hint is said in each door's terms (LimitHints): a flag at a terminal, the server's
# bound over HTTP. The rest of the message is the same.
HINT = re.compile(r"; (--max-hops to change|fixed on this server)\)$")


def from_query(text):
    p = subprocess.run([PG, "--db", db, "query", text], capture_output=True, text=True, timeout=60)
    assert p.returncode == 2, (p.returncode, p.stderr)
    return p.stderr


def from_shell(text):
    # Not a terminal: the shell reads statements from standard input, ended by ';'.
    p = subprocess.run([PG, "--db", db, "shell"], input=text + ";\n", capture_output=True, text=True, timeout=60)
    return p.stderr


server, port = start_server(PG, db, "t0ken")


def from_server(text):
    req = urllib.request.Request("http://127.0.0.1:%d/query" % port, data=json.dumps({"query": text}).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req, timeout=60)
    except urllib.error.HTTPError as e:
        return json.loads(e.read())["error"]
    raise AssertionError("the server answered an erroneous query")


def same(text):
    def run():
        cli = from_query(text)
        m = PLACE.search(cli)
        assert m, cli
        line, column, message = int(m.group(1)), int(m.group(2)), m.group(3)
        assert "^" in cli.splitlines()[-1], "no caret under the query: " + cli
        shell = from_shell(text)
        # The shell shows the statement as typed, with the ';' that ended it.
        assert shell.replace(";\n", "\n") == cli, "shell:\n%s\nquery:\n%s" % (shell, cli)
        e = from_server(text)
        assert (e["line"], e["column"], HINT.sub(")", e["message"])) == (line, column, HINT.sub(")", message)), \
            (e, line, column, message)
        assert e["span"]["length"] >= 1 and text.encode()[e["span"]["offset"]:][:1] != b" ", e
    return run


for name, text in CASES.items():
    check(name + ": the same message, line and column in query, shell and POST /query", same(text))
stop_server(server)
shutil.rmtree(work, ignore_errors=True)
check.finish()
