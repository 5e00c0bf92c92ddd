#!/usr/bin/env bash
# Rebuild equivalence per builder: each case is built by the engine's classic builder, BuildKit, buildah bud and
# podman build (buildah and podman images are handed to the engine with podman save | docker load), then
# `dockerkit reverse IMAGE --context DIR --build` rebuilds it with BuildKit and judges the two images (config fields
# and final filesystem), with --no-cache so every RUN runs again. Prints the cases that are not equivalent, then one line per builder.
# Usage: scripts/reverse-rebuild.sh [CASE_DIR...]   (default: every case under Tests/ImageHistoryTests/Fixtures/builders)
# Needs the private engine (scripts/engine.sh up) and Debian's buildah and podman.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
export DOCKER_HOST=${DOCKER_HOST:-unix:///tmp/dockerkit-engine/docker.sock} DOCKERKIT_ENGINE=${DOCKERKIT_ENGINE:-/usr/bin/docker}
docker=$DOCKERKIT_ENGINE
[ $# -gt 0 ] || set -- "$root"/Tests/ImageHistoryTests/Fixtures/builders/*/
(cd "$root" && swift build -c release --product dockerkit >/dev/null) || exit 1
dockerkit=$(cd "$root" && swift build -c release --show-bin-path)/dockerkit
podman image exists docker.io/local/busybox:1 || podman tag localhost/local/busybox:1 docker.io/local/busybox:1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
declare -A equivalent total
for case in "$@"; do
  case=${case%/}; name=dkrt/$(basename "$case")
  for builder in classic buildkit buildah podman; do
    image=$name:$builder
    case $builder in
      classic)  DOCKER_BUILDKIT=0 "$docker" build -q --network none -t "$image" "$case" ;;
      buildkit) DOCKER_BUILDKIT=1 "$docker" build -q --network none -t "$image" "$case" ;;
      buildah)  buildah bud -q --pull=never --network none -t "$image" "$case" && podman save -q --format docker-archive "$image" | "$docker" load -q ;;
      podman)   podman build -q --pull=never --network none -t "$image" "$case" && podman save -q --format docker-archive "$image" | "$docker" load -q ;;
    esac >"$work/build.log" 2>&1 || continue   # a builder that refuses the case is not scored
    [ $builder = buildah ] || [ $builder = podman ] && "$docker" tag "localhost/$image" "$image" 2>/dev/null
    total[$builder]=$(( ${total[$builder]:-0} + 1 ))
    context=$work/$(basename "$case")-$builder
    if "$dockerkit" reverse "$image" --context "$context" --build --no-cache --network none -t "$image-rebuilt" >"$work/out.txt" 2>"$work/err.txt"; then
      equivalent[$builder]=$(( ${equivalent[$builder]:-0} + 1 ))
    else
      echo "$(basename "$case")/$builder: $(grep -E '^ +/|NO|error' "$work/out.txt" "$work/err.txt" | head -n 6 | cut -c1-160 | tr '\n' ' ')"
    fi
  done
done
for builder in classic buildkit buildah podman; do
  [ -n "${total[$builder]:-}" ] && echo "$builder: ${equivalent[$builder]:-0}/${total[$builder]} rebuilds equivalent"
done
