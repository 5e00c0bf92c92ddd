#!/usr/bin/env bash
# Checks the Swift sources against .swift-format's rules (no force unwraps or force tries, /// doc comments, naming,
# shorthand types, …) with the toolchain's swift-format. Layout findings (indentation, line breaks, trailing commas,
# line length, spacing) are left out: the layout is kept by hand. Exit 1 when a rule is broken.
# Usage: scripts/swift-format-check.sh [PATH...]   (default: Sources Tests Fuzz)
set -uo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || { echo "swift-format-check: no swift toolchain"; exit 2; }
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=(Sources Tests Fuzz)
layout='\[(Indentation|AddLines|RemoveLine|TrailingComma|LineLength|Spacing)\]'
findings=$(swift format lint --configuration .swift-format --recursive "${paths[@]}" 2>&1 | grep -E 'warning|error' | grep -Ev "$layout")
if [ -n "$findings" ]; then
  echo "$findings"
  echo "swift-format-check: $(echo "$findings" | wc -l) finding(s)"
  exit 1
fi
echo "swift-format-check: no rule broken"
