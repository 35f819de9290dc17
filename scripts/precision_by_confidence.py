#!/usr/bin/env python3
"""Precision and recall of extracted relations by confidence threshold.

Usage:
    python3 scripts/precision_by_confidence.py --score SCORE_PY GOLD_DIR OUT_DIR [GOLD_DIR OUT_DIR ...]
        [--thresholds 0.4,0.5,0.6,0.7]

OUT_DIR holds what `pactgraph extract --sources --out OUT_DIR ARTICLES` wrote (the sources carry
each relation's confidence); GOLD_DIR the gold NAME.facts.jsonl files. SCORE_PY is the corpus's
scorer (score.py): its name normalisation, alias mapping and agreement naming are used as they
are, so that the figures here agree with its "relations loose" line when no threshold is applied.

A predicted relation (type, subject, object) counts at a threshold when its best source's
confidence is at least the threshold: the same rule the query engine uses to tell facts from
candidates. Prints, per pair of folders and over all of them, the relations kept, those that
match the gold, precision, recall and F1 for every relation and for each threshold.
"""

import argparse
import importlib.util
import os
import sys


def load_scorer(path):
    spec = importlib.util.spec_from_file_location("corpus_score", path)
    if spec is None or spec.loader is None:
        sys.exit(f"error: {path} cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def relation_keys(sc, items, canon):
    """(type, subject, object) -> the best confidence among the lines that state it."""
    best = {}
    for it in items:
        if str(it.get("kind", "")).strip().lower() != "relation":
            continue
        rtype = str(it.get("type", "")).strip().upper()
        if rtype in sc.IGNORED_RELATIONS:
            continue
        s, o = canon(it.get("subject")), canon(it.get("object"))
        if not rtype or not s or not o:
            continue
        if rtype in sc.SYMMETRIC and o < s:
            s, o = o, s
        source = it.get("source") if isinstance(it.get("source"), dict) else {}
        conf = source.get("confidence", 1.0)
        conf = float(conf) if isinstance(conf, (int, float)) else 1.0
        key = (rtype, s, o)
        best[key] = max(best.get(key, 0.0), conf)
    return best


def score_pair(sc, gold_dir, out_dir, thresholds):
    """Per threshold (None: all): [kept, matched, gold] summed over the folder's articles."""
    totals = {t: [0, 0, 0] for t in [None] + thresholds}
    names = sorted(f[: -len(".facts.jsonl")] for f in os.listdir(gold_dir) if f.endswith(".facts.jsonl"))
    if not names:
        sys.exit(f"error: no *.facts.jsonl files in {gold_dir}")
    problems = []
    for name in names:
        gold_items = sc.read_jsonl(os.path.join(gold_dir, name + ".facts.jsonl"), problems)
        pred_items = sc.read_jsonl(os.path.join(out_dir, name + ".facts.jsonl"), problems)
        alias = sc.AliasMap([i for i in gold_items if str(i.get("kind", "")).lower() == "entity"])
        gold = sc.Facts(gold_items, alias).loose
        # Agreements are named by their parties over all the predicted lines, whatever the
        # threshold, so that leaving out a weak PARTY_TO does not rename the agreement.
        by_parties = sc.agreement_keys(pred_items, alias)

        def canon(n):
            a = alias(n)
            return by_parties.get(a, a)

        pred = relation_keys(sc, pred_items, canon)
        for t in totals:
            kept = {k for k, c in pred.items() if t is None or c >= t - 1e-6}
            totals[t][0] += len(kept)
            totals[t][1] += len(kept & gold)
            totals[t][2] += len(gold)
    for p in problems:
        print("warning: " + p, file=sys.stderr)
    return totals


def line(label, t, kept, matched, gold):
    p = matched / kept if kept else 0.0
    r = matched / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    shown = "all" if t is None else f">= {t:.2f}"
    return f"{label:<12} {shown:<8} {kept:>6} {matched:>8} {gold:>6}  {p:.3f}  {r:.3f}  {f:.3f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--score", required=True, help="the corpus's score.py")
    ap.add_argument("--thresholds", default="0.4,0.5,0.6,0.7")
    ap.add_argument("dirs", nargs="+", help="GOLD_DIR OUT_DIR pairs")
    args = ap.parse_args()
    if len(args.dirs) % 2:
        ap.error("give folders in pairs: GOLD_DIR OUT_DIR")
    try:
        thresholds = [float(x) for x in args.thresholds.split(",")]
    except ValueError:
        ap.error("--thresholds wants numbers separated by commas, such as 0.4,0.5")
    if any(not 0 <= t <= 1 for t in thresholds):
        ap.error("thresholds are from 0 to 1")
    sc = load_scorer(args.score)
    print(f"{'set':<12} {'conf':<8} {'kept':>6} {'matched':>8} {'gold':>6}  P      R      F1")
    overall = {t: [0, 0, 0] for t in [None] + thresholds}
    for gold_dir, out_dir in zip(args.dirs[::2], args.dirs[1::2]):
        label = os.path.basename(os.path.normpath(out_dir))
        totals = score_pair(sc, gold_dir, out_dir, thresholds)
        for t, (k, m, g) in totals.items():
            print(line(label, t, k, m, g))
            overall[t][0] += k
            overall[t][1] += m
            overall[t][2] += g
    if len(args.dirs) > 2:
        for t, (k, m, g) in overall.items():
            print(line("all", t, k, m, g))
    return 0


if __name__ == "__main__":
    sys.exit(main())
