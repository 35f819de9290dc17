#!/usr/bin/env python3
"""Long articles against the extractor: press releases of 100 KB to 3 MB made of sentences written
here, and texts shaped to make its passes blow up (one sentence without a period, thousands of
distinct names, one name a hundred thousand times, one line without a sentence end). Each must
be extracted well inside the default time bound (the extractor is linear in the text; a 600 KB
article once took 43 s and 3 MB did not finish), and a bound that runs out must skip the article
with a clear warning while the others are still extracted or imported.

    attack_extract_test.py PACTGRAPH

Prints "ok N: what" or "FAIL N: what: why" per case; the exit status is the number of failures.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

PG = sys.argv[1]
work = tempfile.mkdtemp(prefix="pactgraph-attack-extract-")
failures = 0
count = 0

PREFIX = ["Acme", "Brightwater", "Cobalt", "Delmare", "Ember", "Fjordline", "Granite", "Harbor", "Indigo", "Juniper",
          "Kestrel", "Lumen", "Meridian", "Nimbus", "Onyx", "Pioneer", "Quartz", "Raven", "Summit", "Tundra"]
SUFFIX = ["Systems", "Software", "Networks", "Labs", "Corp.", "Inc.", "Technologies", "Computing"]
PRODUCT = ["Server", "Cloud", "Studio", "Engine", "Gateway", "Suite", "Platform", "Desktop", "Runtime", "Analytics"]
FIRST = ["Jane", "John", "Maria", "David", "Susan", "Mark", "Laura", "Paul", "Anna", "Peter"]
LAST = ["Roe", "Doe", "Smith", "Novak", "Evans", "Keller", "Brandt", "Okafor", "Lindqvist", "Moreau"]
HEADER = "Title: Acme Systems and Brightwater Software announce an interoperability agreement\nDate: 2020-01-01\n\n"


def release(size, seed=1):
    """A press release of about `size` bytes: varied sentences over numbered (so distinct) names."""
    r = random.Random(seed)
    out, n, i = [], 0, 0
    while n < size:
        i += 1
        a, b = r.choice(PREFIX) + str(i), r.choice(PREFIX) + str(i + 7)
        ca, cb = a + " " + r.choice(SUFFIX), b + " " + r.choice(SUFFIX)
        p, q = f"{a} {r.choice(PRODUCT)} {2000 + i % 30}", b + " " + r.choice(PRODUCT)
        person = f"{r.choice(FIRST)} {r.choice(LAST)}"
        s = r.choice([
            f"{ca} and {cb} today announced an agreement to make {p} and {q} interoperable.",
            f"{a} will support {q} on {p}, and {b} will validate {p} as a guest on {q}.",
            f"\"Customers asked us to make this simpler, and we listened,\" said {person}, vice president of engineering at {ca}.",
            f"The agreement covers three areas: joint support, shared research and coordinated marketing between {a} and {b}.",
            f"{cb}'s {q}, the company's new platform, runs on {p} and on Windows Server {2000 + i % 20}.",
            f"{person}, chief executive of {ca}, said that the partnership will help customers run mixed data centers.",
            f"{a} joins the {b} Partner Program, and {b} becomes a member of the {a} Certification Program.",
            f"The two companies plan to release {p}, {q} and {a} Studio in the second half of {2010 + i % 10}.",
        ])
        out.append(s + ("\n\n" if i % 5 == 0 else " "))
        n += len(s) + 1
    return HEADER + "".join(out)


def repeat(size, make):
    parts, n, i = [], 0, 0
    while n < size:
        s = make(i)
        parts.append(s)
        n += len(s) + 1
        i += 1
    return " ".join(parts)


SHAPES = {
    "one sentence without a period": lambda size: HEADER + repeat(size, lambda i: f"Acme{i} will support Beta{i} Server on Gamma{i} Cloud and") + ".\n",
    "thousands of distinct names": lambda size: HEADER + repeat(size, lambda i: f"Zorg{i} Qux{i} Corp. and Blip{i} Server {i} met Wex{i} Plonk{i}."),
    "one name a hundred thousand times": lambda size: HEADER + repeat(size, lambda i: "Acme Server runs Acme Server on Acme."),
    "one line without a sentence end": lambda size: HEADER + repeat(size, lambda i: f"acme{i} supports beta on gamma. then"),
    "one capitalised run": lambda size: HEADER + repeat(size, lambda i: f"Word{i}") + ".\n",
}


def write(name, text):
    path = os.path.join(work, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def pg(*args, timeout=100):
    return subprocess.run([PG] + list(args), capture_output=True, timeout=timeout)


def case(what, fn):
    global failures, count
    count += 1
    try:
        fn()
        print(f"ok {count}: {what}", flush=True)
    except subprocess.TimeoutExpired as e:
        failures += 1
        print(f"FAIL {count}: {what}: did not finish in {e.timeout} s", flush=True)
    except AssertionError as e:
        failures += 1
        print(f"FAIL {count}: {what}: {e}", flush=True)


def extracts_in_time(path, min_lines):
    def run():
        t = time.monotonic()
        r = pg("extract", path)
        seconds = time.monotonic() - t
        err = r.stderr.decode(errors="replace")
        assert r.returncode == 0, f"exit {r.returncode}: {err.strip()[:300]}"
        assert "stopped" not in err, err.strip()[:300]
        lines = r.stdout.count(b"\n")
        assert lines >= min_lines, f"{lines} facts, expected at least {min_lines}"
        # The default bound (20 s) would have skipped it; an older extractor without a bound was
        # held to the same.
        assert seconds < 20, f"{seconds:.1f} s"
        print(f"  {os.path.getsize(path) // 1024} KB: {lines} facts in {seconds:.1f} s", flush=True)
    return run


for size, facts in ((100_000, 1_000), (600_000, 5_000), (3_000_000, 30_000)):
    path = write(f"release-{size // 1000}k.txt", release(size))
    case(f"a {size // 1000} KB press release is extracted inside the time bound", extracts_in_time(path, facts))

for i, (shape, make) in enumerate(SHAPES.items()):
    path = write(f"shape-{i}.txt", make(1_000_000))
    case(f"1 MB of {shape} is extracted inside the time bound", extracts_in_time(path, 0))

big = write("big.txt", release(2_000_000, seed=2))
small = write("small.txt", release(1_500, seed=3))


def extract_skips_what_runs_out_of_time():
    r = pg("extract", "--extract-timeout", "0.5", big, small)
    err = r.stderr.decode(errors="replace")
    assert r.returncode == 1, f"exit {r.returncode}"
    assert f"warning: skipped {big}: extraction stopped after 0.5 s (" in err and " KB)" in err, err
    assert b"\"kind\":\"relation\"" in r.stdout, "the small article's facts are missing"


def import_skips_what_runs_out_of_time():
    db = os.path.join(work, "db")
    r = pg("--db", db, "import", "--extract-timeout", "0.5", big, small)
    err, out = r.stderr.decode(errors="replace"), r.stdout.decode(errors="replace")
    assert r.returncode == 2, f"exit {r.returncode}: {err}"
    assert f"{big}: extraction stopped after 0.5 s (" in err and " KB); skipped" in err, err
    assert f"nothing from {big} was stored" in err, err
    assert f"skipped 1 file: {big}" in err, err
    assert f"{small}: " in out and "imported 1 of 2 files" in out, out
    export = pg("--db", db, "export").stdout
    # One article document: the small one (its text is there, none of the big one's is).
    docs = [json.loads(l) for l in export.splitlines() if b'"kind":"document"' in l]
    articles = [d for d in docs if d.get("type") == "article"]
    assert len(articles) == 1, "the store should hold the small article only: %r" % [d.get("key") for d in docs]
    with open(small) as f:
        assert articles[0]["text"] in f.read(), "the stored article is not the small one"


def bad_timeouts_are_refused():
    for bad in ("-1", "soon", ""):
        r = pg("extract", "--extract-timeout", bad, small)
        assert r.returncode == 2 and b"--extract-timeout" in r.stderr, (bad, r.returncode, r.stderr[:200])


case("extract skips an article whose time bound runs out, with the reason, and reads the others", extract_skips_what_runs_out_of_time)
case("import skips an article whose time bound runs out, stores nothing of it, imports the others", import_skips_what_runs_out_of_time)
case("--extract-timeout takes a number of seconds", bad_timeouts_are_refused)

shutil.rmtree(work, ignore_errors=True)
print(f"{count - failures} of {count} cases passed")
sys.exit(failures)
