#!/usr/bin/env python3
"""More of `pactgraph shell` through a pseudo-terminal: answers sent to a file (\\o, .output),
scripts read from a file (\\i, .read), the expanded display (\\x), and tables fitted to a narrow
terminal without cutting names.

    shell_more_test.py PACTGRAPH DATASETS_DIR

Each check prints "ok NAME" or "FAIL NAME: why"; the exit status is the number of failures.
"""
import fcntl
import glob
import json
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import time

from pty_shell import PROMPT, PtyShell  # beside this file

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks  # noqa: E402

PG, DATASETS = os.path.abspath(sys.argv[1]), sys.argv[2]
work = tempfile.mkdtemp(prefix="pactgraph-shell-more-")
db = os.path.join(work, "db")
check = Checks()


def Session(columns=120):
    """The shell over the test's store, without history, `columns` wide."""
    env = dict(os.environ, TERM="xterm", COLUMNS=str(columns), LINES="40", HOME=work)
    return PtyShell([PG, "--db", db, "shell", "--no-history"], env, cwd=work, columns=columns)



def setup():
    files = sorted(glob.glob(os.path.join(DATASETS, "*.facts.jsonl")))
    subprocess.run([PG, "--db", db, "import", *files], check=True, capture_output=True)
    # A product with a long name, supported by a company, with a long sentence as its source.
    sentence = ("Contoso Virtualisation Partners will support Windows Server 2008 R2 guests on every one of its "
                "hosted platforms, the companies said on Thursday in a joint statement about interoperability.")
    fact = "\n".join(json.dumps(x) for x in [
        {"kind": "document", "key": "contoso-2009", "type": "article", "date": "2009-10-01",
         "title": "Contoso and Microsoft widen their interoperability agreement", "text": sentence},
        {"kind": "entity", "name": "Contoso Virtualisation Partners", "type": "Company"},
        {"kind": "entity", "name": "Windows Server 2008 R2", "type": "Product"},
        {"kind": "relation", "type": "SUPPORTS", "subject": "Contoso Virtualisation Partners",
         "object": "Windows Server 2008 R2", "source": {"doc": "contoso-2009", "sentence": 1}, "evidence": sentence},
    ]) + "\n"
    path = os.path.join(work, "long.facts.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        f.write(fact)
    r = subprocess.run([PG, "--db", db, "import", path], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def in_session(fn, columns=120):
    def run():
        s = Session(columns)
        try:
            s.expect(PROMPT)
            fn(s)
        finally:
            s.close()
    return run


def output_goes_to_a_file_and_back(s):
    out_file = os.path.join(work, "answers.txt")
    s.ask(f"\\o {out_file}")
    shown = s.ask('WHO SUPPORTS RHEL ON "Hyper-V Server 2008";')
    assert "Microsoft" not in shown, shown
    shown = s.ask("WHO SUPORTS RHEL;")  # errors still come to the terminal
    assert "line 1, column 5" in shown, shown
    s.ask("\\o")
    written = open(out_file, encoding="utf-8").read()
    assert "Microsoft" in written and "source:" in written, written
    assert "SUPORTS" not in written, written
    shown = s.ask("WHO WORKS FOR Microsoft;")
    assert "subject" in shown, shown
    assert open(out_file, encoding="utf-8").read() == written, "an answer went to the file after \\o"


def dot_output_is_the_same_and_a_bad_file_is_an_error(s):
    out_file = os.path.join(work, "dot-answers.txt")
    s.ask(f".output {out_file}")
    s.ask('WHAT DOES "Red Hat" SUPPORT;')
    shown = s.ask(".output /no/such/directory/answers.txt")
    assert "error" in shown and "/no/such/directory/answers.txt" in shown, shown
    s.ask('WHO SUPPORTS RHEL ON "Hyper-V Server 2008";')  # still to the file
    s.ask(".output")
    shown = s.ask('WHAT DOES "Red Hat" SUPPORT;')
    assert "Windows Server 2008" in shown, shown
    written = open(out_file, encoding="utf-8").read()
    assert "Windows Server 2008" in written and "Microsoft" in written, written


def a_script_runs_statement_by_statement(s):
    script = os.path.join(work, "script.pg")
    with open(script, "w", encoding="utf-8") as f:
        f.write('WHO SUPPORTS RHEL ON "Hyper-V Server 2008";\nWHO SUPORTS RHEL;\nWHAT DOES "Red Hat" SUPPORT;\n')
    shown = s.ask(f"\\i {script}")
    assert "Microsoft" in shown and "Windows Server 2008" in shown, shown
    assert "error: query 2: line 2, column 5" in shown, shown
    shown = s.ask(f".read {script}")
    assert "error: query 2:" in shown and "Windows Server 2008" in shown, shown
    shown = s.ask("\\i no-such-script.pg")
    assert "error" in shown and "no-such-script.pg" in shown, shown
    shown = s.ask(".read")
    assert "error" in shown and "file" in shown, shown


def expanded_display_shows_one_block_per_row(s):
    shown = s.ask("\\x on")
    assert "expanded display: on" in shown, shown
    shown = s.ask('WHO SUPPORTS RHEL ON "Hyper-V Server 2008";')
    assert re.search(r"^-\[ RECORD 1 \]-+$", shown, re.M), shown
    assert re.search(r"^subject +\| Microsoft$", shown, re.M), shown
    assert "source:" in shown, shown
    shown = s.ask("\\x off")
    shown = s.ask('WHO SUPPORTS RHEL ON "Hyper-V Server 2008";')
    assert "RECORD" not in shown and re.search(r"^subject +", shown, re.M), shown
    shown = s.ask("\\x")  # alone: toggles
    assert "expanded display: on" in shown, shown
    shown = s.ask("\\x sideways")
    assert "error" in shown, shown


def expanded_auto_is_vertical_only_when_the_table_is_too_wide(s):
    s.ask("\\x auto")
    shown = s.ask("WHO WORKS FOR Microsoft;")
    assert "RECORD" not in shown, shown
    shown = s.ask("MATCH (c:Company)-[s:SUPPORTS]->(p:Product) RETURN c.name, p.name, s.on, s.as, "
                  "c.name AS again, p.name AS product_again, s.on AS on_again ORDER BY c.name;")
    assert "-[ RECORD 1 ]-" in shown, shown


def narrow_tables_keep_names_whole(s):
    shown = s.ask('WHO SUPPORTS "Windows Server 2008 R2";')
    assert "Windows Server 2008 R2" in shown, shown
    assert "Contoso Virtualisation Partners" in shown, shown
    lines = shown.splitlines()
    assert all(len(line) <= 80 for line in lines), "\n".join(line for line in lines if len(line) > 80)
    # The evidence wraps at word boundaries under an indent: each word is whole on some line.
    words = set(re.findall(r"[A-Za-z]+", "\n".join(lines)))
    for word in ["interoperability", "Thursday", "statement", "hosted", "platforms"]:
        assert word in words, (word, shown)
    # A table wider than the terminal: cells wrap between words, no name is cut with "...".
    shown = s.ask("MATCH (c:Company)-[s:SUPPORTS]->(p:Product) RETURN c.name, p.name, s.on, s.as ORDER BY c.name;")
    # The answer starts at its header: under load, libedit may redraw the typed line (wider than
    # the terminal) once more before it, and the echo is not the table.
    if "c.name" in shown:
        shown = shown[shown.index("c.name"):]
    lines = shown.splitlines()
    assert all(len(line) <= 80 for line in lines), "\n".join(line for line in lines if len(line) > 80)
    assert "..." not in shown, shown
    words = set(re.findall(r"[A-Za-z0-9-]+", shown))
    for word in ["Contoso", "Virtualisation", "Partners", "Windows", "Server", "2008", "R2", "Hyper-V"]:
        assert word in words, (word, shown)


def ctrl_c_stops_a_script(s):
    script = os.path.join(work, "slow.pg")
    with open(script, "w", encoding="utf-8") as f:
        # A cross product of six patterns: far longer than we wait; then a quick question.
        f.write("MATCH (a), (b), (c), (d), (e), (f) RETURN count(*);\nWHO WORKS FOR Microsoft;\n")
    s.send(f"\\i {script}\r")
    s.expect("slow.pg\n")
    time.sleep(0.7)
    s.send("\x03")
    out = s.expect(PROMPT, timeout=20)
    assert "query 1: cancelled; the statements after it were not run" in out, out
    assert "subject" not in out, out


def query_at_a_terminal_wraps_and_at_a_pipe_does_not():
    statement = 'WHO SUPPORTS "Windows Server 2008 R2"'
    env = dict(os.environ, COLUMNS="80")
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execve(PG, [PG, "--db", db, "query", statement], env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 80, 0, 0))
    seen = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.waitpid(pid, 0)
    os.close(fd)
    shown = seen.decode(errors="replace").replace("\r", "")
    assert all(len(line) <= 80 for line in shown.splitlines()), shown
    assert "Thursday" in shown and "interoperability" in shown, shown
    piped = subprocess.run([PG, "--db", db, "query", statement], env=env, capture_output=True, text=True).stdout
    assert any(len(line) > 80 for line in piped.splitlines()), piped  # a pipe: one line per source, as before


try:
    setup()
    check("\\o sends answers to a file, errors still to the terminal; \\o alone brings them back",
          in_session(output_goes_to_a_file_and_back))
    check(".output does the same; a file that cannot be opened is an error and output stays",
          in_session(dot_output_is_the_same_and_a_bad_file_is_an_error))
    check("\\i and .read run a script statement by statement, a failing one named by its number",
          in_session(a_script_runs_statement_by_statement))
    check("\\x on shows one block per row, \\x off a table", in_session(expanded_display_shows_one_block_per_row))
    check("\\x auto is vertical only when the table does not fit",
          in_session(expanded_auto_is_vertical_only_when_the_table_is_too_wide, columns=80))
    check("at 80 columns names stay whole and evidence wraps at words",
          in_session(narrow_tables_keep_names_whole, columns=80))
    check("Ctrl-C during \\i stops the script", in_session(ctrl_c_stops_a_script))
    check("pactgraph query wraps at a terminal and not at a pipe", query_at_a_terminal_wraps_and_at_a_pipe_does_not)
finally:
    shutil.rmtree(work, ignore_errors=True)
check.finish()
