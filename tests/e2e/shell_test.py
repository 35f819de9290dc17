#!/usr/bin/env python3
"""`pactgraph shell` through a pseudo-terminal, as a person uses it: type a question, read the
answer, recall it from the history after a restart, complete a word with Tab, discard a line
with Ctrl-C, stop a long query with Ctrl-C, survive errors, leave with \\quit.

    shell_test.py PACTGRAPH DATASETS_DIR

Each check prints "ok NAME" or "FAIL NAME: why"; the exit status is the number of failures.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

from pty_shell import PROMPT, PtyShell  # beside this file

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks  # noqa: E402

PG, DATASETS = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="pactgraph-shell-")
db = os.path.join(work, "db")
history = os.path.join(work, "history")
check = Checks()


def Session():
    """The shell over the test's store, with its history file, 120 columns wide."""
    env = dict(os.environ, TERM="xterm", COLUMNS="120", LINES="40", HOME=work)
    return PtyShell([PG, "--db", db, "shell", "--history", history], env)



def setup():
    files = sorted(glob.glob(os.path.join(DATASETS, "*.facts.jsonl")))
    subprocess.run([PG, "--db", db, "import", *files], check=True, capture_output=True)


def ask_over_two_lines_then_quit():
    s = Session()
    try:
        s.expect(PROMPT)
        s.send("WHO SUPPORTS RHEL\r")
        s.expect(r"\.\.> ")  # the statement goes on until ';'
        s.send('ON "Hyper-V Server 2008";\r')
        out = s.expect(PROMPT)
        assert "Microsoft" in out and "source:" in out, out
        s.send("\\quit\r")
        assert s.wait_exit() == 0
    except BaseException:
        s.close()
        raise
    saved = open(history, encoding="utf-8", errors="replace").read()
    assert "Hyper-V" in saved, saved


def history_survives_a_restart():
    s = Session()
    try:
        s.expect(PROMPT)
        s.send("\x1b[A")  # up: the last entry of the previous session (\quit), then the question
        s.send("\x1b[A")
        s.send("\r")
        out = s.expect(PROMPT)
        assert "Microsoft" in out and "Hyper-V Server 2008" in out, out
    finally:
        s.close()


def errors_do_not_end_the_session():
    s = Session()
    try:
        s.expect(PROMPT)
        s.send("WHO SUPORTS RHEL;\r")
        out = s.expect(PROMPT)
        assert "line 1, column 5" in out and "did you mean" in out, out
        s.send('WHO SUPPORTS "Red Hat Enterprize Linux";\r')
        out = s.expect(PROMPT)
        assert 'did you mean "Red Hat Enterprise Linux"' in out, out
        s.send("\\nosuch\r")
        out = s.expect(PROMPT)
        assert "unknown command" in out, out
        s.send('WHAT DOES "Red Hat" SUPPORT;\r')
        out = s.expect(PROMPT)
        assert "Windows Server 2008" in out, out
    finally:
        s.close()


def tab_completes_keywords_and_names():
    s = Session()
    try:
        s.expect(PROMPT)
        s.send("WHO SUPP\t")
        s.expect("SUPPORTS ")
        s.send('"Red Hat Ent\t')
        s.expect('Red Hat Enterprise Linux" ')
        s.send(";\r")
        out = s.expect(PROMPT)
        assert "Microsoft" in out, out
    finally:
        s.close()


def ctrl_c_never_ends_the_shell():
    s = Session()
    try:
        s.expect(PROMPT)
        time.sleep(0.5)
        s.send("\x03")  # on an empty line: it says how to leave, and stays
        s.expect(r"\\q or Ctrl-D leaves")
        s.expect(PROMPT)
        s.send("WHO SUPPORTS RHEL\r")  # a statement's first line, not ended
        s.expect(r"\.\.> ")
        time.sleep(0.5)
        s.send("\x03")  # drops the statement, stays
        s.expect(PROMPT)
        s.send("WHO WORKS FOR Microsoft;\r")
        out = s.expect(PROMPT)
        assert "subject" in out, out
        time.sleep(0.3)
        s.send("\\q\r")
        assert s.wait_exit() == 0
    except BaseException:
        s.close()
        raise


def ctrl_c_discards_the_line_and_stops_a_query():
    s = Session()
    try:
        s.expect(PROMPT)
        s.send("WHO SUPPORTS")
        # Control keys typed ahead of the prompt meet the terminal's line discipline before
        # libedit takes the terminal (README, Limitations): type them as a person would, after.
        s.expect("WHO SUPPORTS")
        time.sleep(0.5)
        s.send("\x03")
        s.expect(PROMPT)
        # A cross product of six patterns: tens of millions of rows, far longer than we wait.
        s.send("MATCH (a), (b), (c), (d), (e), (f) RETURN count(*);\r")
        time.sleep(0.7)
        started = time.time()
        s.send("\x03")
        out = s.expect(PROMPT, timeout=20)
        assert "cancelled" in out, out
        assert time.time() - started < 10, "the query did not stop promptly"
        s.send("\\format json\r")
        s.expect(PROMPT)
        s.send("WHO WORKS FOR Microsoft;\r")
        out = s.expect(PROMPT)
        assert '"columns"' in out, out
        time.sleep(0.5)
        s.send("\x04")  # Ctrl-D on an empty line leaves
        assert s.wait_exit() == 0
    except BaseException:
        s.close()
        raise


try:
    setup()
    check("ask a question over two lines; \\quit; history saved", ask_over_two_lines_then_quit)
    check("history survives a restart", history_survives_a_restart)
    check("errors do not end the session", errors_do_not_end_the_session)
    check("Tab completes keywords and names", tab_completes_keywords_and_names)
    check("Ctrl-C discards a line and stops a query", ctrl_c_discards_the_line_and_stops_a_query)
    check("Ctrl-C never ends the shell, on an empty line or after a statement's first line", ctrl_c_never_ends_the_shell)
finally:
    shutil.rmtree(work, ignore_errors=True)
check.finish()
