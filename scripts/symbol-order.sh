#!/usr/bin/env bash
# Writes scripts/symbol-order.txt: the functions a short run of dockerkit executes and the data it reads or writes
# (one-file lint with and without findings, JSON, fmt, parse, --version): first the functions of a one-file lint
# without findings, then those only the other runs call, then data, each group sorted by name. Release builds link
# with it (`--symbol-ordering-file`, Package.swift), and compile with function sections, so what every run needs lies
# together instead of spread over 12 MB of code and 3 MB of data: a one-file lint takes about 130 page faults
# instead of 210. A name defined by more than one object (a local helper the compiler emitted in each) is left out
# unless the package's objects define every copy: the linker moves every section that defines it, and a copy in a
# library had moved half a megabyte of regex parser among the start-up code. Symbols renamed since the file was
# written are skipped by the linker without a word, so a stale file costs speed, never a build; run this again
# after large changes (it needs valgrind).
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
# A lint with findings exits 1: its runs count all the same.
# shellcheck disable=SC2086  # each run is a list of arguments
for run in "${runs[@]}"; do
  index=$((index + 1))
  (cd "$work" && valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/calls.$index" "$bin" $run >/dev/null 2>&1) || true
  (cd "$work" && valgrind --tool=lackey --trace-mem=yes --log-file="$work/memory.$index" "$bin" $run >/dev/null 2>&1) || true
done
nm -n -S --defined-only "$bin" > "$work/symbols"
# The functions the package's own objects define: each in a section of its own (function sections).
nm --defined-only "$(dirname "$bin")"/*.build/*.o 2>/dev/null | awk 'NF == 3 && $2 ~ /^[tTwW]$/ { print $3 }' > "$work/own"
readelf -lW "$bin" > "$work/segments"
python3 - "$work" "$index" > "$work/order" <<'PY'
import bisect, re, sys
work, count = sys.argv[1], int(sys.argv[2])
functions, data, definitions = set(), [], {}
for line in open(f"{work}/symbols"):
    fields = line.split()
    if len(fields) < 3:
        continue
    kind, name = fields[-2], fields[-1]
    if kind in "tTwW":
        functions.add(name)
        definitions[name] = definitions.get(name, 0) + 1
    elif kind in "dDbBrRvV":
        data.append((int(fields[0], 16), name))
starts = [address for address, _ in data]
# The binary's data: its loaded segments that are not executable (the stack and the heap lie elsewhere).
ranges = []
for line in open(f"{work}/segments"):
    fields = line.split()
    if fields and fields[0] == "LOAD" and "E" not in fields[6:-1]:
        ranges.append((int(fields[2], 16), int(fields[2], 16) + int(fields[5], 16)))
# Sorted by name within each group: what matters is that they lie together, and a sorted file changes little from
# one run of this script to the next.
# A name several objects define (a local helper the compiler emitted in each) is kept only when the package's own
# objects define every copy, each in a small section of its own; a copy in a library's object would move the whole
# object's code.
own = {}
for line in open(f"{work}/own"):
    own[line.strip()] = own.get(line.strip(), 0) + 1
functions = {name for name in functions if definitions[name] == 1 or own.get(name, 0) >= definitions[name]}
called, first_run, touched = set(), set(), set()
for index in range(1, count + 1):
    for line in open(f"{work}/calls.{index}", errors="replace"):
        match = re.match(r"c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
        if match and match.group(1) in functions:
            called.add(match.group(1))
            if index == 1:
                first_run.add(match.group(1))
for index in range(1, count + 1):
    for line in open(f"{work}/memory.{index}", errors="replace"):
        fields = line.split()
        if len(fields) != 2 or fields[0] not in ("L", "S", "M"):
            continue
        address = int(fields[1].split(",")[0], 16)
        if not any(low <= address < high for low, high in ranges):
            continue
        position = bisect.bisect_right(starts, address) - 1
        if position >= 0:
            touched.add(data[position][1])
print("\n".join(sorted(first_run) + sorted(called - first_run) + sorted(touched - called)))
PY
mv "$work/order" scripts/symbol-order.txt
echo "symbol-order.sh: $(wc -l < scripts/symbol-order.txt) symbols in scripts/symbol-order.txt" >&2
