#!/usr/bin/env bash
# Builds the libFuzzer targets (with AddressSanitizer) and runs each for SECONDS, seeded from the corpus.
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
swiftc "${flags[@]}" -I "$out/obj" -L "$out/obj" -lLint -lTemplates -lDockerfileSyntax \
  Fuzz/DockerfileFuzzer.swift -o "$out/fuzz-dockerfile" >>"$build_log" 2>&1 || { tail -n 20 "$build_log"; exit 1; }

# Seeds: our corpus cases, and the shared corpus when it is there.
cp Tests/Corpus/parser/*/Dockerfile "$out/corpus/" 2>/dev/null || true
for f in Tests/Corpus/parser/*/Dockerfile; do cp "$f" "$out/corpus/$(basename "$(dirname "$f")")"; done
if [ -d ../shared/corpus/real ]; then ls ../shared/corpus/real | awk 'NR % 10 == 0' | while read -r f; do cp "../shared/corpus/real/$f" "$out/corpus/"; done; fi

"$out/fuzz-dockerfile" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$out/crashes/" "$out/corpus" 2>&1 | tee "$out/fuzz-dockerfile.log" | grep -E '^(#[0-9]+ +(DONE|pulse)|Done|==|SUMMARY|ERROR)' || true
tail -n 3 "$out/fuzz-dockerfile.log"
runs=$(grep -Eo 'Done [0-9]+ runs' "$out/fuzz-dockerfile.log" | tail -n 1)
if [ -n "$(find "$out/crashes" -type f)" ]; then echo "fuzz: crashes found in $out/crashes ($runs)"; exit 1; fi
echo "fuzz: no crash in ${seconds}s (${runs:-no runs})"
