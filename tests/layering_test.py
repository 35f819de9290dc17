#!/usr/bin/env python3
"""Fails when a module includes a header of a module above it: graph <- storage <- ingest <- app.
A module's internal/ headers are for that module (and tests) only."""
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
for b in bad:
    print(b)
print(f"layering: {len(bad)} violations")
sys.exit(1 if bad else 0)
