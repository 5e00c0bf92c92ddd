#!/usr/bin/env python3
"""`dockerkit lint --fix` over a folder of Dockerfiles (default ../shared/corpus/real), judged by BuildKit's parser.

For every file that has a fixable finding it checks that the fix
  - re-parses (BuildKit's parser, PyPI `dockerfile`, accepts the fixed file when it accepted the original),
  - is idempotent (a second --fix changes nothing),
  - leaves every instruction it did not touch identical under BuildKit's parser (command, flags, values, JSON form),
  - removes the findings it fixed (no finding that carried a fix is left),
and prints the number of fixed findings per rule. Usage:
  python3 scripts/fix-corpus.py [--unsafe] [DIR]      (DOCKERKIT=path/to/dockerkit, PYTHON with `dockerfile` installed)
Exit status 0 when every file holds.
"""
import difflib, json, os, shutil, subprocess, sys, tempfile
from collections import Counter

import dockerfile  # BuildKit's parser (PyPI `dockerfile`)

args = [a for a in sys.argv[1:] if a != "--unsafe"]
unsafe = "--unsafe" in sys.argv
root = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus", "real")
dk = os.environ.get("DOCKERKIT") or os.path.join(os.path.dirname(__file__), "..", ".build", "release", "dockerkit")
fix_flags = ["--fix", "--unsafe-fixes"] if unsafe else ["--fix"]

def lint(path):
    out = subprocess.run([dk, "lint", "--no-config", "--format", "json", "--failure-threshold", "none", path],
                         capture_output=True, timeout=60).stdout
    try:
        return json.loads(out or b"[]")
    except ValueError:
        return []

def parsed(path):
    try:
        return [(c.cmd.lower(), c.sub_cmd, c.json, tuple(c.flags), tuple(c.value), c.start_line, c.end_line) for c in dockerfile.parse_file(path)]
    except dockerfile.GoParseError:
        return None

wanted = {"safe", "unsafe"} if unsafe else {"safe"}
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if not f.endswith((".tsv", ".md")))
fixed_counts, problems, touched = Counter(), [], 0
work = tempfile.mkdtemp()
for path in files:
    before = lint(path)
    fixable = [f for f in before if f.get("fix") in wanted]
    if not fixable:
        continue
    copy = os.path.join(work, "Dockerfile")
    shutil.copyfile(path, copy)
    subprocess.run([dk, "lint", "--no-config", "--failure-threshold", "none"] + fix_flags + [copy], capture_output=True, timeout=60)
    original, fixed = open(path, "rb").read(), open(copy, "rb").read()
    touched += 1
    name = os.path.relpath(path, root)
    once = parsed(copy)
    if parsed(path) is not None and once is None:
        problems.append(f"{name}: the fixed file does not parse"); continue
    subprocess.run([dk, "lint", "--no-config", "--failure-threshold", "none"] + fix_flags + [copy], capture_output=True, timeout=60)
    if open(copy, "rb").read() != fixed:
        problems.append(f"{name}: a second --fix changed the file again")
    # Untouched instructions: the original's instructions on lines the diff did not change must come back the same.
    old_lines, new_lines = original.decode("utf-8", "replace").splitlines(), fixed.decode("utf-8", "replace").splitlines()
    changed = set()
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag != "equal":
            changed.update(range(i1 + 1, i2 + 2))
    old_parse = parsed(path) or []
    new_set = Counter(p[:5] for p in (once or []))
    for instruction in old_parse:
        if not any(line in changed for line in range(instruction[5], instruction[6] + 1)):
            if new_set[instruction[:5]] == 0:
                problems.append(f"{name}: untouched line {instruction[5]} reads differently after the fix"); break
            new_set[instruction[:5]] -= 1
    shutil.copyfile(copy, os.path.join(work, "fixed"))
    after = lint(os.path.join(work, "fixed"))
    left = Counter(f["code"] for f in after if f.get("fix") in wanted)
    gone = Counter(f["code"] for f in fixable) - left
    fixed_counts.update(gone)
    if left:
        problems.append(f"{name}: fixable findings left after --fix: {dict(left)}")
shutil.rmtree(work)
for problem in problems[:40]:
    print(problem)
print("fixed findings per rule:", ", ".join(f"{code} {count}" for code, count in sorted(fixed_counts.items())))
print(f"fix corpus{' (with unsafe fixes)' if unsafe else ''}: {touched - len(set(p.split(':')[0] for p in problems))}/{touched} fixed files hold")
sys.exit(0 if not problems else 1)
