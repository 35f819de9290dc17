#!/usr/bin/env python3
"""Fails when a module includes a header of a module above it: graph <- storage <- ingest <- app.
A module's internal/ headers are for that module (and tests) only, and a header no other module
(and no test) includes is private to its module: it must live in the module's internal/ folder."""
import os
import re
import sys

root = sys.argv[1]
LEVEL = {"graph": 0, "storage": 1, "query": 2, "ingest": 2, "server": 3, "shell": 3, "app": 4, "bench": 4}
bad = []
for module, level in LEVEL.items():
    top = os.path.join(root, module)
    for dirpath, _, files in os.walk(top):
        for name in files:
            if not name.endswith((".h", ".cc")):
                continue
            path = os.path.join(dirpath, name)
            for n, line in enumerate(open(path, encoding="utf-8"), 1):
                m = re.match(r'\s*#include\s+"([a-z_]+)/(internal/)?', line)
                if not m:
                    continue
                target = m.group(1)
                if target in LEVEL and (LEVEL[target] > level or (LEVEL[target] == level and target != module)):
                    bad.append(f"{os.path.relpath(path, root)}:{n}: {module} must not include {target}/")
                if m.group(2) and target != module:
                    bad.append(f"{os.path.relpath(path, root)}:{n}: {target}/internal/ is private to {target}")
# Which headers each header is included from: a public header has a user outside its module.
users = {}
for top in list(LEVEL) + ["tests"]:
    for dirpath, _, files in os.walk(os.path.join(root, top)):
        for name in files:
            if not name.endswith((".h", ".cc")):
                continue
            path = os.path.join(dirpath, name)
            for line in open(path, encoding="utf-8"):
                m = re.match(r'\s*#include\s+"([a-z_]+/[a-z_/]+\.h)"', line)
                if m:
                    users.setdefault(m.group(1), set()).add(os.path.relpath(path, root).replace(os.sep, "/"))
# Public: included from outside its module, or by a public header of its own (ast.h through
# parser.h), to a fixed point.
headers = {}
for module in LEVEL:
    for dirpath, _, files in os.walk(os.path.join(root, module)):
        for name in files:
            rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
            if name.endswith(".h") and "/internal/" not in rel:
                headers[rel] = module
public = {h for h, module in headers.items() if any(u.split("/")[0] != module for u in users.get(h, ()))}
grown = True
while grown:
    more = {h for h in headers if h not in public and any(u in public for u in users.get(h, ()))}
    public |= more
    grown = bool(more)
for h, module in sorted(headers.items()):
    if h not in public:
        bad.append(f"{h}: included only inside {module}/, so private to it: move it to {module}/internal/")
for b in bad:
    print(b)
print(f"layering: {len(bad)} violations")
sys.exit(1 if bad else 0)
