#!/usr/bin/env bash
# Builds the libFuzzer targets (with AddressSanitizer) and runs each for SECONDS: parse → print → lint → fmt over
# Dockerfiles, and the history/inspect/archive decoders with the reverser.
# Usage: scripts/fuzz.sh [SECONDS]   (default 60). Crashes are written to .build-fuzz/crashes/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=.build-fuzz
mkdir -p "$out/obj" "$out/crashes" "$out/corpus"
# Crashes of earlier runs are kept as regression tests in Tests/Corpus/regressions; this run reports its own.
rm -f "$out"/crashes/*
flags=(-O -sanitize=fuzzer,address -parse-as-library -swift-version 6)
build_log="$out/build.log"
: > "$build_log"

# Each library module is compiled with coverage instrumentation, then linked into the fuzzer binary.
swiftc "${flags[@]}" -emit-module -emit-library -static -module-name DockerfileSyntax \
  -emit-module-path "$out/obj/DockerfileSyntax.swiftmodule" -o "$out/obj/libDockerfileSyntax.a" Sources/DockerfileSyntax/*.swift >>"$build_log" 2>&1
swiftc "${flags[@]}" -I "$out/obj" -emit-module -emit-library -static -module-name Templates \
  -emit-module-path "$out/obj/Templates.swiftmodule" -o "$out/obj/libTemplates.a" $(find Sources/Templates -name '*.swift') >>"$build_log" 2>&1
swiftc "${flags[@]}" -I "$out/obj" -emit-module -emit-library -static -module-name Lint \
  -emit-module-path "$out/obj/Lint.swiftmodule" -o "$out/obj/libLint.a" $(find Sources/Lint -name '*.swift') >>"$build_log" 2>&1
swiftc "${flags[@]}" -I "$out/obj" -emit-module -emit-library -static -module-name ImageHistory \
  -emit-module-path "$out/obj/ImageHistory.swiftmodule" -o "$out/obj/libImageHistory.a" Sources/ImageHistory/*.swift >>"$build_log" 2>&1
swiftc "${flags[@]}" -I "$out/obj" -L "$out/obj" -lLint -lTemplates -lDockerfileSyntax \
  Fuzz/DockerfileFuzzer.swift -o "$out/fuzz-dockerfile" >>"$build_log" 2>&1 || { tail -n 20 "$build_log"; exit 1; }
swiftc "${flags[@]}" -I "$out/obj" -L "$out/obj" -lImageHistory -lDockerfileSyntax \
  Fuzz/ImageHistoryFuzzer.swift -o "$out/fuzz-image-history" >>"$build_log" 2>&1 || { tail -n 20 "$build_log"; exit 1; }

# Seeds for the Dockerfile target: our corpus cases, and the shared corpus when it is there.
mkdir -p "$out/corpus/dockerfile" "$out/corpus/image-history"
for f in Tests/Corpus/parser/*/Dockerfile; do cp "$f" "$out/corpus/dockerfile/$(basename "$(dirname "$f")")"; done
if [ -d ../shared/corpus/real ]; then ls ../shared/corpus/real | awk 'NR % 10 == 0' | while read -r f; do cp "../shared/corpus/real/$f" "$out/corpus/dockerfile/"; done; fi
# Seeds for the decoder target: the selector byte, then our history samples and, when present, the shared engine fixtures.
seed() { { printf "\\$(printf %03o "$1")"; cat "$2"; } > "$out/corpus/image-history/$3"; }
for f in Tests/ImageHistoryTests/Fixtures/*.jsonl; do [ -f "$f" ] && seed 0 "$f" "h-$(basename "$f")"; done
if [ -d ../shared/fixtures/engine ]; then
  for d in ../shared/fixtures/engine/*/; do
    c=$(basename "$d")
    [ -f "$d/buildkit.history.jsonl" ] && seed 0 "$d/buildkit.history.jsonl" "h-bk-$c"
    [ -f "$d/classic.history.jsonl" ] && seed 0 "$d/classic.history.jsonl" "h-cl-$c"
    [ -f "$d/buildkit.inspect.json" ] && seed 1 "$d/buildkit.inspect.json" "i-$c"
    [ -f "$d/buildkit.tar" ] && [ "$(stat -c %s "$d/buildkit.tar")" -lt 3000000 ] && seed 3 "$d/buildkit.tar" "a-$c"
  done
fi

status=0
for target in dockerfile image-history; do
  "$out/fuzz-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=$([ $target = dockerfile ] && echo 65536 || echo 4194304) \
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
