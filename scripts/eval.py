#!/usr/bin/env python3
"""The evaluation beside the tests: the extractor scored against the shared corpus.

    python3 scripts/eval.py PACTGRAPH [SHARED_DIR]      (or `make eval`)

SHARED_DIR (default: ../shared beside the repository) holds `corpus/` (dev and dev2 articles with
their gold facts, score.py and ask.py) and `peers/` (the rival engines' graph generator). For each
set — dev, dev2, the bundled releases (datasets/press against datasets/gold) and the bundled
articles in other styles (datasets/news against datasets/news-gold) — it extracts the
facts from the texts alone, scores them with score.py (entities, relations loosely, claims) and
asks ask.py's questions of a store imported from the texts, then prints one line per set. It also
imports the peers' generated graph and checks that every node and relation arrives.

The exit status is 1 when a set falls below its floor (the figures reached when the floor was set,
less a margin, so a change that loses what the rules find is noticed), 0 otherwise; without the
shared directory it says so and exits 0, so CI can run it on any clone.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (set, texts, gold, floors: entities F1, relations F1, claims F1, share of questions answered)
FLOORS = {
    "dev": (0.89, 0.80, 0.80, 0.78),
    "dev2": (0.88, 0.78, 0.90, 0.78),
    "datasets": (0.90, 0.80, 0.95, 0.80),
    "news": (0.80, 0.55, 0.58, 0.50),
}


def score(scorer, gold, out):
    p = subprocess.run([sys.executable, scorer, gold, out], capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        raise RuntimeError("score.py failed: " + p.stderr[-300:])
    got = {}
    for key, pattern in (("entities", r"^\s*entities\s.*?F1 ([0-9.]+)"), ("relations", r"^\s*relations loose\s.*?F1 ([0-9.]+)"),
                         ("claims", r"^\s*claims\s.*?F1 ([0-9.]+)")):
        m = re.search(pattern, p.stdout, re.M)
        got[key] = float(m.group(1)) if m else 0.0
    return got


def ask(asker, pg, gold, texts):
    argv = [sys.executable, asker, pg, gold] + (["--texts", texts] if texts else [])
    p = subprocess.run(argv, capture_output=True, text=True, timeout=1200)
    m = re.search(r"questions answered right: (\d+)/(\d+)", p.stdout)
    if not m:
        raise RuntimeError("ask.py printed no result: " + (p.stdout + p.stderr)[-300:])
    return int(m.group(1)), int(m.group(2))


def peers_graph(pg, gen, work):
    """The peers' generated graph imports with every node and relation (PARTNERS_WITH pairs once)."""
    out = os.path.join(work, "peers")
    p = subprocess.run([sys.executable, gen, "--sf", "0.05", "--out", out, "--quiet"], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        return "the generator failed: " + p.stderr[-200:]
    with open(os.path.join(out, "counts.json")) as f:
        counts = json.load(f)
    db = os.path.join(work, "peers.db")
    p = subprocess.run([pg, "--db", db, "import", "--quiet", os.path.join(out, "graph.jsonl")], capture_output=True, text=True)
    if p.returncode != 0:
        return "import failed: " + p.stderr[-200:]
    stats = json.loads(subprocess.run([pg, "--db", db, "stats", "--format", "json"], capture_output=True, text=True).stdout)
    if stats["entities"] != counts["total_nodes"]:
        return "entities %d, generated %d" % (stats["entities"], counts["total_nodes"])
    pairs = set()
    with open(os.path.join(out, "graph.jsonl")) as f:
        for line in f:
            if '"PARTNERS_WITH"' in line:
                o = json.loads(line)
                pairs.add(frozenset((o["subject"], o["object"])))
    for rtype, n in counts["edges"].items():
        want = len(pairs) if rtype == "PARTNERS_WITH" else n
        got = stats["relations_by_type"].get(rtype, 0)
        if got != want:
            return "%s: %d relations, generated %d" % (rtype, got, want)
    p = subprocess.run([pg, "--db", db, "check"], capture_output=True, text=True)
    return None if p.returncode == 0 else "check failed: " + (p.stdout + p.stderr)[-200:]


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    pg = os.path.abspath(argv[1])
    shared = os.path.abspath(argv[2] if len(argv) > 2 else os.path.join(ROOT, "..", "shared"))
    corpus = os.path.join(shared, "corpus")
    if not os.path.isfile(os.path.join(corpus, "score.py")):
        print("eval: no shared corpus at %s; nothing to evaluate" % corpus)
        return 0
    sets = [("dev", os.path.join(corpus, "dev"), os.path.join(corpus, "dev"), None),
            ("dev2", os.path.join(corpus, "dev2"), os.path.join(corpus, "dev2"), None),
            ("datasets", os.path.join(ROOT, "datasets", "press"), os.path.join(ROOT, "datasets", "gold"), os.path.join(ROOT, "datasets", "press")),
            ("news", os.path.join(ROOT, "datasets", "news"), os.path.join(ROOT, "datasets", "news-gold"), os.path.join(ROOT, "datasets", "news"))]
    work = tempfile.mkdtemp(prefix="pg-eval-")
    below = 0
    try:
        print("%-9s %9s %10s %7s %s" % ("set", "entities", "relations", "claims", "questions answered with evidence"))
        for name, texts, gold, ask_texts in sets:
            out = os.path.join(work, name)
            p = subprocess.run([pg, "extract", "--out", out, texts], capture_output=True, text=True, timeout=1200)
            if p.returncode not in (0, 1):
                print("%-9s extract failed (%d): %s" % (name, p.returncode, p.stderr[-300:]))
                below += 1
                continue
            s = score(os.path.join(corpus, "score.py"), gold, out)
            right, asked = ask(os.path.join(corpus, "ask.py"), pg, gold, ask_texts)
            share = right / asked if asked else 0.0
            floor = FLOORS[name]
            low = [what for what, got, want in zip(("entities", "relations", "claims", "questions"),
                                                   (s["entities"], s["relations"], s["claims"], share), floor) if got < want]
            below += bool(low)
            print("%-9s %9.3f %10.3f %7.3f %d of %d (%.0f %%)%s" % (
                name, s["entities"], s["relations"], s["claims"], right, asked, 100 * share,
                "   BELOW THE FLOOR: " + ", ".join(low) if low else ""))
        gen = os.path.join(shared, "peers", "gen.py")
        if os.path.isfile(gen):
            why = peers_graph(pg, gen, work)
            print("peers graph: " + ("imports as generated" if why is None else "FAIL " + why))
            below += why is not None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("eval: %s" % ("every set at or above its floor" if not below else "%d below the floor" % below))
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
