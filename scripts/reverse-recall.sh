#!/usr/bin/env bash
# Recall per builder of `dockerkit reverse` over history fixtures (see reverse-recall.py).
# Usage: scripts/reverse-recall.sh [CASE_DIR...]   (default: Tests/ImageHistoryTests/Fixtures/builders/*)
# Uses the release binary (built when missing) and BuildKit's parser from PyPI (dockerfile==3.4.0) in a venv
# at $ANCHORS (default /tmp/dockerkit-anchors, shared with the acceptance checks).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
anchors=${ANCHORS:-/tmp/dockerkit-anchors}
if ! "$anchors/bin/python" -c 'import dockerfile' 2>/dev/null; then
  python3 -m venv "$anchors" && "$anchors/bin/pip" install -q dockerfile==3.4.0
fi
(cd "$root" && swift build -c release --product dockerkit >/dev/null)
[ $# -gt 0 ] || set -- "$root"/Tests/ImageHistoryTests/Fixtures/builders/*/
exec "$anchors/bin/python" "$root/scripts/reverse-recall.py" "$(cd "$root" && swift build -c release --show-bin-path)/dockerkit" "$@"
