#!/usr/bin/env bash
# Writes scripts/symbol-order.txt: the functions a short run of dockerkit executes (one-file lint with and without
# findings, each report format's common path, fmt, parse, --version), in the order they first run. Release builds
# link with it (`--symbol-ordering-file`, Package.swift), so the code every run needs lies together at the start of
# the text instead of spread over 12 MB: a one-file lint maps about 30 fewer pages of code (page faults), about 7% of
# its time here. Functions renamed since the file was written are skipped by the linker without a word, so a stale
# file costs speed, never a build; run this again after large changes (it needs valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "symbol-order.sh: valgrind is needed" >&2; exit 1; }
# The release link reads the file: an empty one orders nothing.
[ -f scripts/symbol-order.txt ] || : > scripts/symbol-order.txt
swift build -c release --static-swift-stdlib --product dockerkit >&2
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)/dockerkit
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.81.0-1 && rm -rf /var/lib/apt/lists/*\nUSER 1000\nCMD ["curl"]\n' > "$work/clean.Dockerfile"
printf 'FROM ubuntu\nRUN apt-get update && apt-get install -y curl\nRUN cd /tmp && wget http://x/y\nADD foo.tar.gz /opt/\nMAINTAINER me\nCMD curl x\n' > "$work/findings.Dockerfile"
runs=("lint --no-config $work/clean.Dockerfile" "lint --no-config $work/findings.Dockerfile"
      "lint --no-config --format json $work/findings.Dockerfile" "lint $work/findings.Dockerfile"
      "fmt $work/findings.Dockerfile" "parse $work/clean.Dockerfile" "--version")
index=0
for run in "${runs[@]}"; do
  index=$((index + 1))
  # shellcheck disable=SC2086  # each run is a list of arguments
  (cd "$work" && valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/run.$index" "$bin" $run >/dev/null 2>&1) || true
done
nm --defined-only "$bin" | awk '{print $3}' > "$work/symbols"
python3 - "$work" "$index" > scripts/symbol-order.txt <<'PY'
import re, sys
work, count = sys.argv[1], int(sys.argv[2])
defined = set(open(f"{work}/symbols").read().split())
seen = set()
for index in range(1, count + 1):
    for line in open(f"{work}/run.{index}", errors="replace"):
        match = re.match(r"c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
        if match and match.group(1) in defined and match.group(1) not in seen:
            seen.add(match.group(1))
            print(match.group(1))
PY
echo "symbol-order.sh: $(wc -l < scripts/symbol-order.txt) functions in scripts/symbol-order.txt" >&2
