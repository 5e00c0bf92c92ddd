#!/usr/bin/env bash
# Builds each reverse fixture case with the four builders a lab meets and records what each wrote:
#   classic, buildkit  the engine's classic builder and BuildKit: docker history (JSON lines) and docker image inspect
#   buildah            buildah bud with its defaults (one layer, OCI config): podman history --format json, podman image inspect,
#                      and buildah inspect --type image (config and history in one file) as buildah.buildah-inspect.json
#   podman             podman build with its defaults (a layer per step, OCI config): the same two
# A builder that refuses a case leaves BUILDER.refused.txt with its last lines instead.
# With VIEW=docker, buildah and podman images are handed to the engine (podman save | docker load) and recorded with
# docker history and docker image inspect, as a lab whose images are moved to a Docker host would see them.
# Usage: scripts/make-reverse-fixtures.sh [CASE_DIR...]   (default: every case under Tests/ImageHistoryTests/Fixtures/builders)
# Needs the private engine (scripts/engine.sh up), Debian's buildah and podman, and local/busybox:1 in both stores.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
export DOCKER_HOST=${DOCKER_HOST:-unix:///tmp/dockerkit-engine/docker.sock}
docker=/usr/bin/docker
[ $# -gt 0 ] || set -- "$root"/Tests/ImageHistoryTests/Fixtures/builders/*/
for tool in buildah podman; do command -v $tool >/dev/null || { echo "make-reverse-fixtures: $tool is not installed (apt-get install $tool)" >&2; exit 1; }; done
"$docker" version >/dev/null 2>&1 || { echo "make-reverse-fixtures: no engine at $DOCKER_HOST (scripts/engine.sh up)" >&2; exit 1; }
# podman and buildah resolve local/busybox:1 as docker.io/local/busybox:1: give them the engine's base under that name.
if ! podman image exists docker.io/local/busybox:1; then
  "$docker" save local/busybox:1 | podman load >/dev/null && podman tag local/busybox:1 docker.io/local/busybox:1 2>/dev/null \
    || podman tag localhost/local/busybox:1 docker.io/local/busybox:1
fi
log=$(mktemp); trap 'rm -f "$log"' EXIT
for case in "$@"; do
  case=${case%/}; name=dkfix/$(basename "$case")
  for builder in classic buildkit buildah podman; do
    rm -f "$case/$builder".*
    case $builder in
      classic)  DOCKER_BUILDKIT=0 "$docker" build -q --network none -t "$name:$builder" "$case" ;;
      buildkit) DOCKER_BUILDKIT=1 "$docker" build -q --network none -t "$name:$builder" "$case" ;;
      buildah)  buildah bud -q --pull=never --network none -t "$name:$builder" "$case" ;;
      podman)   podman build -q --pull=never --network none -t "$name:$builder" "$case" ;;
    esac >"$log" 2>&1
    if [ $? -ne 0 ]; then tail -n 5 "$log" > "$case/$builder.refused.txt"; echo "$case: $builder refused"; continue; fi
    case $builder in
      classic|buildkit)
        "$docker" history --no-trunc --format '{{json .}}' "$name:$builder" > "$case/$builder.history.jsonl"
        "$docker" image inspect "$name:$builder" > "$case/$builder.inspect.json" ;;
      *)
        if [ "${VIEW:-}" = docker ]; then
          podman save -q --format docker-archive "localhost/$name:$builder" | "$docker" load -q >/dev/null
          "$docker" history --no-trunc --format '{{json .}}' "localhost/$name:$builder" > "$case/$builder.history.jsonl"
          "$docker" image inspect "localhost/$name:$builder" > "$case/$builder.inspect.json"
        else
          podman history --no-trunc --format json "$name:$builder" > "$case/$builder.history.json"
          podman image inspect "$name:$builder" > "$case/$builder.inspect.json"
          [ $builder = buildah ] && buildah inspect --type image "$name:$builder" > "$case/$builder.buildah-inspect.json"
        fi ;;
    esac
    echo "$case: $builder"
  done
done
