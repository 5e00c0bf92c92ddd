#!/usr/bin/env bash
# Runs the three pre-commit hooks with the real pre-commit client (PyPI) on a bad and a clean Dockerfile:
#   dockerkit-lint (language: swift, builds dockerkit from this repository; ../shared/checks/lint-precommit.sh too),
#   dockerkit-lint-docker (language: docker_image, the image scripts/image.sh builds),
#   dockerkit-lint-system (language: system, the release binary on PATH).
# Needs pre-commit (PRE_COMMIT, default /tmp/dockerkit-anchors/bin/pre-commit) and, for the image, an engine.
set -uo pipefail
cd "$(dirname "$0")/.."
project=$(pwd)
pre_commit=${PRE_COMMIT:-/tmp/dockerkit-anchors/bin/pre-commit}
[ -x "$pre_commit" ] || { echo "test-hooks.sh: no pre-commit at $pre_commit (pip install pre-commit)"; exit 1; }
bash scripts/image.sh || exit 1
version=$(sed -n 's/^let dockerkitVersion = "\(.*\)"$/\1/p' Sources/dockerkit/Version.swift)
bin_dir=$(mktemp -d)
cp "dist/dockerkit-$version-linux-x86_64" "$bin_dir/dockerkit"
export PATH="$bin_dir:$PATH" PRE_COMMIT_HOME=${PRE_COMMIT_HOME:-/tmp/dockerkit-pre-commit-cache}
rev=$(git rev-parse HEAD)
failed=0
for hook in dockerkit-lint dockerkit-lint-docker dockerkit-lint-system; do
  work=$(mktemp -d)
  (
    cd "$work" && git init -q . && git config user.email t@example.com && git config user.name t
    printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: %s\n' "$project" "$rev" "$hook" > .pre-commit-config.yaml
    printf 'FROM ubuntu:latest\nMAINTAINER x\n' > Dockerfile
    git add -A
    timeout 900 "$pre_commit" run --all-files > bad.txt 2>&1 && { echo "$hook: passed a bad Dockerfile"; exit 1; }
    grep -q DL4000 bad.txt || { echo "$hook: no DL4000 in its output"; tail -n 5 bad.txt; exit 1; }
    printf 'FROM scratch\nCOPY app /app\nUSER 1000\nENTRYPOINT ["/app"]\n' > Dockerfile
    git add -A
    timeout 900 "$pre_commit" run --all-files > good.txt 2>&1 || { echo "$hook: failed a clean Dockerfile"; tail -n 5 good.txt; exit 1; }
    echo "$hook: fails the bad file, passes the clean one"
  ) || failed=1
  rm -rf "$work"
done
rm -rf "$bin_dir"
exit $failed
