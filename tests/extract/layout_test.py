#!/usr/bin/env python3
"""The extractor's word lists are data compiled into the program.

    layout_test.py SOURCE_ROOT PACTGRAPH

Each ingest/extract/lexicon/*.txt opens with a comment saying what the list is for and holds
distinct lower-case words or phrases (the extractor compares lower-cased words, so a capital in a
list would never match); every list the code asks for (LexiconText in lexicon.cc) has its file,
and every file is asked for. The program carries the lists inside it, and extracts the same facts
from whatever directory it runs in.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks  # noqa: E402

ROOT, PG = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
EXTRACT = os.path.join(ROOT, "ingest", "extract")
LISTS = sorted(glob.glob(os.path.join(EXTRACT, "lexicon", "*.txt")))
checks = Checks()


def entries(path):
    out = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        word = line.split("#", 1)[0].strip()
        if word:
            out.append((n, word))
    return out


def each_list_says_what_it_is_for():
    assert LISTS, "no lists in ingest/extract/lexicon"
    for path in LISTS:
        first = open(path, encoding="utf-8").readline()
        assert first.startswith("# ") and len(first) > 20, f"{os.path.basename(path)}: no header comment"


def entries_are_distinct_and_lower_case():
    for path in LISTS:
        name = os.path.basename(path)
        words = entries(path)
        assert words, f"{name}: empty"
        seen = {}
        for n, w in words:
            assert w == w.lower(), f"{name}:{n}: {w!r} is not in lower case"
            assert w not in seen, f"{name}:{n}: {w!r} again (line {seen[w]})"
            seen[w] = n


def every_list_asked_for_has_its_file_and_back():
    asked = set(re.findall(r'LexiconText\("([a-z_]+)"\)', open(os.path.join(EXTRACT, "lexicon.cc"), encoding="utf-8").read()))
    files = {os.path.splitext(os.path.basename(p))[0] for p in LISTS}
    assert asked - files == set(), f"asked for, no file: {sorted(asked - files)}"
    assert files - asked == set(), f"a file nothing asks for: {sorted(files - asked)}"


def the_program_carries_the_lists():
    binary = open(PG, "rb").read()
    for path in LISTS:
        header = open(path, encoding="utf-8").readline().rstrip("\n").encode()
        assert header in binary, f"{os.path.basename(path)} is not compiled into {PG}"


ARTICLE = """Title: Acme and Globex sign a partnership

Acme Corp. and Globex Inc. today announced a partnership agreement. Acme will support Globex Server on Acme Linux. "We are glad to work with Globex on this for all of our customers," said Jane Roe, chief executive of Acme. Analysts think the deal could lead to a merger.
"""


def facts_are_the_same_from_any_directory():
    work = tempfile.mkdtemp(prefix="pactgraph-layout-")
    with open(os.path.join(work, "a.txt"), "w", encoding="utf-8") as f:
        f.write(ARTICLE)
    outs = []
    try:
        for cwd in (work, ROOT, "/"):
            r = subprocess.run([PG, "extract", "--no-gazetteer", os.path.join(work, "a.txt")], cwd=cwd, capture_output=True,
                               text=True, timeout=60)
            assert r.returncode == 0, f"from {cwd}: exit {r.returncode}: {r.stderr}"
            outs.append(r.stdout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    assert outs[0] == outs[1] == outs[2], "the facts depend on the directory the program runs in"
    lines = [json.loads(line) for line in outs[0].splitlines()]
    relations = {(x["type"], x["subject"], x["object"]) for x in lines if x["kind"] == "relation"}
    # Found through the lists: corporate suffixes and joint verbs, first names and title words,
    # partnership cues, speech verbs; the analysts' guess is hedged and gives nothing.
    for want in [("PARTNERS_WITH", "Acme", "Globex"), ("WORKS_FOR", "Jane Roe", "Acme"),
                 ("SUPPORTS", "Acme", "Globex Server")]:
        assert want in relations, f"{want} not among {sorted(relations)}"
    assert not any("merger" in x.get("evidence", "") for x in lines if x["kind"] == "relation"), "a hedged sentence gave a fact"
    claims = [x for x in lines if x["kind"] == "claim"]
    assert [c["speaker"] for c in claims] == ["Jane Roe"], claims


checks("each list says what it is for", each_list_says_what_it_is_for)
checks("entries are distinct and in lower case", entries_are_distinct_and_lower_case)
checks("every list asked for has its file, and every file is asked for", every_list_asked_for_has_its_file_and_back)
checks("the program carries the lists", the_program_carries_the_lists)
checks("facts are the same from any directory", facts_are_the_same_from_any_directory)
checks.finish()
