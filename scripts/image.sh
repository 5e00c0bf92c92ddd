#!/usr/bin/env bash
# Builds the dockerkit container image (dockerkit:VERSION and dockerkit:latest) from the release binary, offline:
# scripts/release.sh, then `docker build --build-arg BINARY_FROM=release`, then a smoke test that lints a Dockerfile
# from standard input. With a registry at hand, `docker build .` builds from source in a Swift 6 image instead.
set -euo pipefail
cd "$(dirname "$0")/.."
docker=${DOCKER:-docker}
bash scripts/release.sh >/dev/null
version=$(sed -n 's/^let dockerkitVersion = "\(.*\)"$/\1/p' Sources/dockerkit/Version.swift)
DOCKER_BUILDKIT=1 "$docker" build -q --network none --build-arg BINARY_FROM=release -t "dockerkit:$version" -t dockerkit:latest . >/dev/null
output=$(printf 'FROM debian:12\nMAINTAINER me\n' | "$docker" run --rm -i --network none "dockerkit:$version" lint --format gnu - || true)
case "$output" in
  *DL4000*) echo "image.sh: dockerkit:$version built; it lints a Dockerfile from standard input" ;;
  *) echo "image.sh: dockerkit:$version does not lint from standard input: $output" >&2; exit 1 ;;
esac
