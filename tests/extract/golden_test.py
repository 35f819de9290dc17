#!/usr/bin/env python3
"""Golden tests of the relation rules: one file per rule, tests/extract/<rule>.txt.

A golden file is an article (an optional Title:/Publisher:/Date: header, a blank line, the text)
followed by a line "--- expect" and the facts the extractor must give for it, one JSON object a
line in the shape `pactgraph extract` prints ({"type", "subject", "object", "qualifiers", and
"rule", the rule that must have found it}); after an optional "--- absent" line, facts it must
not give (a relation with only "type" matches any of that type). A line with "name" (and
optionally "type") is an entity the extractor must (or must not) give, by its name; one with
"speaker" (and optionally "text", matched as a part of the claim's text) a claim. A line "# options: ..." before
the text passes options to `pactgraph extract` (paths relative to the golden file's folder).

Every rule of the shipped rule file must have its golden file; golden files in subfolders test
rule files of their own (tests/extract/new-relation/: a relation type added from files alone).

usage: golden_test.py PACTGRAPH SOURCE_DIR
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile


def parse_golden(path):
    text = open(path, encoding="utf-8").read()
    options = []
    article, expect, absent = [], [], []
    section = article
    for line in text.splitlines():
        if line.startswith("# options:"):
            options = shlex.split(line[len("# options:"):])
            continue
        if line.startswith("#") and section is article:
            continue
        if line.strip() == "--- expect":
            section = expect
            continue
        if line.strip() == "--- absent":
            section = absent
            continue
        if section is article:
            article.append(line)
        elif line.strip():
            section.append(json.loads(line))
    return options, "\n".join(article).strip() + "\n", expect, absent


def matches(want, got):
    for key in ("type", "subject", "object"):
        if key in want and want[key] != got.get(key):
            return False
    if "rule" in want and want["rule"] != got.get("source", {}).get("extractor"):
        return False
    for k, v in want.get("qualifiers", {}).items():
        if got.get("qualifiers", {}).get(k) != v:
            return False
    return True


def run_one(pactgraph, path):
    options, article, expect, absent = parse_golden(path)
    if not expect and not absent:
        return ["no facts to expect or to refuse (a \"--- expect\" line mistyped?)"]
    base = os.path.dirname(path)
    resolved = []
    for i, opt in enumerate(options):
        if i > 0 and options[i - 1] in ("--rules", "--schema", "--gazetteer"):
            opt = os.path.join(base, opt)
        resolved.append(opt)
    with tempfile.TemporaryDirectory() as tmp:
        art = os.path.join(tmp, "article.txt")
        with open(art, "w", encoding="utf-8") as f:
            f.write(article)
        r = subprocess.run([pactgraph, "extract", "--sources", *resolved, art], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        return ["extract failed (%d): %s" % (r.returncode, r.stderr.strip())]
    got = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    rels = [g for g in got if g.get("kind") == "relation"]
    ents = [g for g in got if g.get("kind") == "entity"]
    claims = [g for g in got if g.get("kind") == "claim"]

    def claim_matches(want, g):
        return want["speaker"] == g.get("speaker") and want.get("text", "") in g.get("text", "")

    def entity_matches(want, g):
        return want["name"] == g.get("name") and want.get("type", g.get("type")) == g.get("type")

    problems = []
    for want in expect:
        if "speaker" in want:
            found = any(claim_matches(want, g) for g in claims)
        elif "name" in want:
            found = any(entity_matches(want, g) for g in ents)
        else:
            found = any(matches(want, g) for g in rels)
        if not found:
            problems.append("missing %s" % json.dumps(want))
    for bad in absent:
        if "speaker" in bad:
            problems.extend("unwanted claim %s" % json.dumps(bad) for g in claims if claim_matches(bad, g))
            continue
        if "name" in bad:
            problems.extend("unwanted entity %s" % json.dumps(bad) for g in ents if entity_matches(bad, g))
            continue
        for g in rels:
            if matches(bad, g):
                problems.append("unwanted %s (from %s)" % (json.dumps(bad), g.get("source", {}).get("extractor")))
    if problems:
        problems.append("extracted:\n    " + "\n    ".join(json.dumps({k: g[k] for k in g if k != "evidence"}) for g in ents + rels + claims))
    return problems


def new_relation_in_a_store(pactgraph, folder):
    options, article, _, _ = parse_golden(os.path.join(folder, "integrates-with.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "db")
        art = os.path.join(tmp, "article.txt")
        with open(art, "w", encoding="utf-8") as f:
            f.write(article)
        steps = [
            [pactgraph, "--db", db, "import", os.path.join(folder, "..", "seed.facts.jsonl")],
            [pactgraph, "--db", db, "schema", "--add", os.path.join(folder, "schema.json")],
            [pactgraph, "--db", db, "import", "--gazetteer", os.path.join(folder, "..", "names.jsonl"),
             "--rules", os.path.join(folder, "integrates.rules"), art],
        ]
        for cmd in steps:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
            if r.returncode != 0:
                return ["%s failed (%d): %s" % (" ".join(cmd[3:5]), r.returncode, r.stderr.strip())]
        # Without the schema, the rule file is refused where it names the type.
        bare = os.path.join(tmp, "bare")
        r = subprocess.run([pactgraph, "--db", bare, "import", "--rules", os.path.join(folder, "integrates.rules"), art],
                           capture_output=True, text=True, timeout=120)
        problems = []
        if r.returncode != 2 or "integrates.rules:4: unknown relation type \"INTEGRATES_WITH\"" not in r.stderr:
            problems.append("a rule naming an unknown type: exit %d, %s" % (r.returncode, r.stderr.strip()))
        if os.path.exists(bare):
            problems.append("a refused rule file left a new store behind at %s" % bare)
        q = subprocess.run([pactgraph, "--db", db, "query", "--format", "json",
                            "MATCH (a:Product)-[:INTEGRATES_WITH]->(b:Product) RETURN a.name, b.name"],
                           capture_output=True, text=True, timeout=60)
        if q.returncode != 0 or "Lumen DB" not in q.stdout or "Quill OS" not in q.stdout:
            problems.append("MATCH ... INTEGRATES_WITH: exit %d, %s %s" % (q.returncode, q.stdout.strip(), q.stderr.strip()))
        return problems


def main():
    pactgraph, source_dir = sys.argv[1], sys.argv[2]
    golden_dir = os.path.join(source_dir, "tests", "extract")
    rules_file = os.path.join(source_dir, "ingest", "extract", "rules", "relations.rules")
    rule_names = re.findall(r"^\s*rule\s+(\S+)", open(rules_file, encoding="utf-8").read(), re.M)
    failures = 0
    checks = 0
    for name in rule_names:
        if not os.path.exists(os.path.join(golden_dir, name + ".txt")):
            print("FAIL rule %s has no golden test (tests/extract/%s.txt)" % (name, name))
            failures += 1
    files = []
    for root, _, names in os.walk(golden_dir):
        files += [os.path.join(root, n) for n in sorted(names) if n.endswith(".txt")]
    for path in sorted(files):
        checks += 1
        problems = run_one(pactgraph, path)
        rel = os.path.relpath(path, golden_dir)
        if problems:
            failures += 1
            print("FAIL %s\n  %s" % (rel, "\n  ".join(problems)))
        else:
            print("ok   %s" % rel)
    # The new relation type end to end: the schema extended, the rule given to import, and the
    # relation asked for by its name.
    checks += 1
    problems = new_relation_in_a_store(pactgraph, os.path.join(golden_dir, "new-relation"))
    if problems:
        failures += 1
        print("FAIL new-relation in a store\n  %s" % "\n  ".join(problems))
    else:
        print("ok   new-relation in a store (schema --add, import --rules, MATCH)")
    print("%d golden checks, %d rules, %d failed" % (checks, len(rule_names), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
