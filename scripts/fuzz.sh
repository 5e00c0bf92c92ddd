#!/usr/bin/env bash
# Builds the libFuzzer targets (with AddressSanitizer) and runs each for SECONDS:
#   dockerfile     parse → print → lint → fmt over Dockerfiles
#   lint           the shell reader and every rule (all opt-in rules on), and the safe fixes
#   image-history  the history/inspect/config decoders and the reverser
#   archive        tar and gzip readers, and docker save archives reversed with a build context written
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (default 60, every target). The build is kept in .build-fuzz and
# made again only for what changed. Crashes are written to .build-fuzz/crashes/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(dockerfile lint image-history archive)
out=.build-fuzz
mkdir -p "$out/obj" "$out/crashes" "$out/corpus"
# Crashes of earlier runs are kept as regression tests in Tests/Corpus/regressions; this run reports its own.
rm -f "$out"/crashes/*
flags=(-O -sanitize=fuzzer,address -parse-as-library -swift-version 6 -package-name dockerkit)
build_log="$out/build.log"

# Each module and target is compiled again only when its sources, the modules before it, or the flags changed:
# a stamp holds the hash of all of them.
stamp_chain=""
changed() {
  local stamp_file=$1; shift
  local stamp
  stamp=$( { echo "${flags[*]} $stamp_chain"; cat "$@"; } | sha256sum | cut -c1-64)
  stamp_chain="$stamp_chain $stamp"
  [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp" ] && return 1
  echo "$stamp" > "$stamp_file.new"
  return 0
}
module() {
  local name=$1; shift
  changed "$out/obj/$name.stamp" "$@" || return 0
  # An archive is added to, not replaced: objects of files since removed would stay in it.
  rm -f "$out/obj/lib$name.a"
  swiftc "${flags[@]}" -I "$out/obj" -emit-module -emit-library -static -module-name "$name" \
    -emit-module-path "$out/obj/$name.swiftmodule" -o "$out/obj/lib$name.a" "$@" >>"$build_log" 2>&1 \
    || { tail -n 20 "$build_log"; echo "fuzz: building $name failed"; exit 1; }
  mv "$out/obj/$name.stamp.new" "$out/obj/$name.stamp"
}
target() {
  local name=$1 source=$2; shift 2
  local saved=$stamp_chain
  changed "$out/fuzz-$name.stamp" "$source" || { stamp_chain=$saved; return 0; }
  stamp_chain=$saved
  swiftc "${flags[@]}" -I "$out/obj" -L "$out/obj" "$@" "$source" -o "$out/fuzz-$name" >>"$build_log" 2>&1 \
    || { tail -n 20 "$build_log"; echo "fuzz: building $name failed"; exit 1; }
  mv "$out/fuzz-$name.stamp.new" "$out/fuzz-$name.stamp"
}
: > "$build_log"
started=$(date +%s)
module Support Sources/Support/*.swift
module Shell Sources/Shell/*.swift
module DockerfileSyntax Sources/DockerfileSyntax/*.swift
module Knowledge Sources/Knowledge/*.swift
module Formatting $(find Sources/Formatting -name '*.swift')
module Lint $(find Sources/Lint -name '*.swift')
module Engine Sources/Engine/*.swift
module ImageHistory Sources/ImageHistory/*.swift
target dockerfile Fuzz/DockerfileFuzzer.swift -lFormatting -lLint -lKnowledge -lDockerfileSyntax -lShell -lSupport
target lint Fuzz/LintFuzzer.swift -lLint -lKnowledge -lDockerfileSyntax -lShell -lSupport
target image-history Fuzz/ImageHistoryFuzzer.swift -lImageHistory -lEngine -lDockerfileSyntax -lShell -lSupport
target archive Fuzz/ArchiveFuzzer.swift -lImageHistory -lEngine -lDockerfileSyntax -lShell -lSupport
echo "fuzz: build took $(( $(date +%s) - started ))s"

# Seeds: our corpus cases and regressions, the shared corpus and engine fixtures when present, and the
# structure-aware seeds of Fuzz/make-seeds.py (edge tar sizes, pax records, gzip members, deep shell nesting).
mkdir -p "$out/corpus/dockerfile" "$out/corpus/image-history"
for f in Tests/Corpus/parser/*/Dockerfile; do cp "$f" "$out/corpus/dockerfile/$(basename "$(dirname "$f")")"; done
for f in Tests/Corpus/regressions/*.Dockerfile; do cp "$f" "$out/corpus/dockerfile/"; done
if [ -d ../shared/corpus/real ]; then ls ../shared/corpus/real | awk 'NR % 10 == 0' | while read -r f; do cp "../shared/corpus/real/$f" "$out/corpus/dockerfile/"; done; fi
python3 Fuzz/make-seeds.py "$out/corpus"
for f in "$out"/corpus/dockerfile/*; do { printf '\001'; cat "$f"; } > "$out/corpus/lint/d-$(basename "$f")"; done
seed() { { printf "\\$(printf %03o "$1")"; cat "$2"; } > "$out/corpus/image-history/$3"; }
for f in Tests/ImageHistoryTests/Fixtures/*.jsonl; do [ -f "$f" ] && seed 0 "$f" "h-$(basename "$f")"; done
if [ -d ../shared/fixtures/engine ]; then
  for d in ../shared/fixtures/engine/*/; do
    c=$(basename "$d")
    [ -f "$d/buildkit.history.jsonl" ] && seed 0 "$d/buildkit.history.jsonl" "h-bk-$c"
    [ -f "$d/classic.history.jsonl" ] && seed 0 "$d/classic.history.jsonl" "h-cl-$c"
    [ -f "$d/buildkit.inspect.json" ] && seed 1 "$d/buildkit.inspect.json" "i-$c"
    if [ -f "$d/buildkit.tar" ] && [ "$(stat -c %s "$d/buildkit.tar")" -lt 3000000 ]; then
      seed 3 "$d/buildkit.tar" "a-$c"
      { printf '\002'; cat "$d/buildkit.tar"; } > "$out/corpus/archive/save-$c"
    fi
  done
fi

status=0
for target in "${targets[@]}"; do
  case $target in dockerfile|lint) max_len=65536 ;; *) max_len=4194304 ;; esac
  "$out/fuzz-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=$max_len \
    -artifact_prefix="$out/crashes/$target-" "$out/corpus/$target" > "$out/fuzz-$target.log" 2>&1 || true
  runs=$(grep -Eo 'Done [0-9]+ runs' "$out/fuzz-$target.log" | tail -n 1)
  if [ -n "$(find "$out/crashes" -name "$target-*" -type f)" ]; then
    grep -E '^(==|SUMMARY|Fatal)' "$out/fuzz-$target.log" | head -n 5
    echo "fuzz $target: crashes found in $out/crashes (${runs:-no runs})"
    status=1
  else
    echo "fuzz $target: no crash in ${seconds}s (${runs:-no runs})"
  fi
done
exit $status
