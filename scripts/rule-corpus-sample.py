#!/usr/bin/env python3
"""Counts a rule's findings over a folder of Dockerfiles and draws a fixed random sample of them for a hand check.
  python3 scripts/rule-corpus-sample.py CODE[,CODE...] [DIR] [--sample N]
Prints, per code, the number of findings and files, then the sampled findings with the line they point at.
The sample is seeded with the code, so the same corpus gives the same sample (docs/rules.md records the verdicts).
"""
import json, os, random, subprocess, sys

args = [a for a in sys.argv[1:] if not a.startswith("--")]
size = int(sys.argv[sys.argv.index("--sample") + 1]) if "--sample" in sys.argv else 20
codes = args[0].split(",")
root = args[1] if len(args) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus", "real")
dk = os.environ.get("DOCKERKIT") or os.path.join(os.path.dirname(__file__), "..", ".build", "release", "dockerkit")
files = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs if not f.endswith((".tsv", ".md")))
found = []
for i in range(0, len(files), 400):
    out = subprocess.run([dk, "lint", "--no-config", "--format", "json", "--failure-threshold", "none"] + files[i:i + 400],
                         cwd=root, capture_output=True).stdout
    found += [f for f in json.loads(out or b"[]") if f["code"] in codes]
for code in codes:
    mine = [f for f in found if f["code"] == code]
    print(f"{code}: {len(mine)} findings in {len(set(f['file'] for f in mine))} files")
    for f in sorted(random.Random(code).sample(mine, min(size, len(mine))), key=lambda f: (f["file"], f["line"])):
        lines = open(os.path.join(root, f["file"]), encoding="utf-8", errors="replace").read().splitlines()
        text = lines[f["line"] - 1].strip() if f["line"] <= len(lines) else ""
        print(f"  {f['file']}:{f['line']}: {text[:150]}")
