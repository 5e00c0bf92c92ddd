#!/usr/bin/env bash
# Builds a release of dockerkit from the committed HEAD into dist/:
#   dist/dockerkit-VERSION-linux-ARCH          the static, stripped binary (runs without Swift on any Linux)
#   dist/dockerkit-VERSION-linux-ARCH.tar.gz   the binary with LICENSE and README.md
#   dist/SHA256SUMS                            sha256sum of both (check with: cd dist && sha256sum -c SHA256SUMS)
# The commit goes into `dockerkit --version` ("dockerkit 0.2.0 (abc1234)"). The build runs in .build/dist-src, a copy
# of HEAD, so the working tree is left as it is and a second release rebuilds only what changed.
# aarch64 needs a Swift cross toolchain (a static Linux SDK for aarch64); without one only x86_64 is built, and the
# script says so.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
commit=$(git rev-parse --short=7 HEAD)
version=$(sed -n 's/^let dockerkitVersion = "\(.*\)"$/\1/p' Sources/dockerkit/Version.swift)
[ -n "$version" ] || { echo "release.sh: no version in Sources/dockerkit/Version.swift" >&2; exit 1; }
[ -z "$(git status --porcelain --untracked-files=no)" ] || echo "release.sh: the working tree has uncommitted changes; building HEAD ($commit) without them" >&2
source_copy=$root/.build/dist-src
mkdir -p "$source_copy" dist
# Files that left HEAD are removed from the copy; tar keeps HEAD's timestamps, so unchanged files stay built.
find "$source_copy" -mindepth 1 -maxdepth 1 ! -name .build -exec rm -rf {} +
git archive HEAD | tar -x -C "$source_copy"
sed -i "s/^let dockerkitCommit: String? = nil$/let dockerkitCommit: String? = \"$commit\"/" "$source_copy/Sources/dockerkit/Version.swift"
grep -q "\"$commit\"" "$source_copy/Sources/dockerkit/Version.swift" || { echo "release.sh: could not write the commit into Version.swift" >&2; exit 1; }

build() { # arch, extra swift build arguments...
  local arch=$1; shift
  swift build -c release --product dockerkit --package-path "$source_copy" "$@" >&2
  local bin
  bin=$(swift build -c release --product dockerkit --package-path "$source_copy" "$@" --show-bin-path)/dockerkit
  local name=dockerkit-$version-linux-$arch
  cp "$bin" "dist/$name.tmp"
  strip "dist/$name.tmp"
  mv "dist/$name.tmp" "dist/$name"
  local staging
  staging=$(mktemp -d)
  mkdir "$staging/$name"
  cp "dist/$name" "$staging/$name/dockerkit"
  cp LICENSE README.md "$staging/$name/"
  tar -C "$staging" -czf "dist/$name.tar.gz.tmp" "$name"
  mv "dist/$name.tar.gz.tmp" "dist/$name.tar.gz"
  rm -rf "$staging"
  echo "dist/$name" "dist/$name.tar.gz"
}

built=$(build x86_64)
if swift sdk list 2>/dev/null | grep -q aarch64; then
  built="$built $(build aarch64 --swift-sdk "$(swift sdk list | grep aarch64 | head -n 1)")"
else
  echo "release.sh: no aarch64 Swift SDK here (swift sdk list); built x86_64 only" >&2
fi
(cd dist && sha256sum $(for f in $built; do basename "$f"; done) > SHA256SUMS.tmp && mv SHA256SUMS.tmp SHA256SUMS)
echo "release.sh: dockerkit $version ($commit):"
ls -l $built dist/SHA256SUMS
