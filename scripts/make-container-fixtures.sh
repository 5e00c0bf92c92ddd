#!/usr/bin/env bash
# Makes the fixture `reverse --container` is tested with offline: a container of local/debian:12 where apt installed
# and purged packages, pip installed a pinned package and files were written and removed. Saves what the reverser
# reads (the engine's diff, the package databases, the added dpkg lists and pip RECORDs) and the Dockerfile it
# writes today, under Tests/ImageHistoryTests/Fixtures/containers/NAME/.
# Needs an engine with local/debian:12 (scripts/engine.sh) and the network (apt and pip through the host's; pip trusts
# PyPI's hosts by name, for networks whose proxy re-signs TLS).
set -euo pipefail
cd "$(dirname "$0")/.."
docker=${DOCKERKIT_ENGINE:-docker}
out=Tests/ImageHistoryTests/Fixtures/containers/apt-pip-files
name=dockerkit-fixture-$$
"$docker" run -d --name "$name" --network host local/debian:12 sleep 900 > /dev/null
trap '"$docker" rm -f "$name" > /dev/null' EXIT
"$docker" exec "$name" sh -c 'set -e
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends file python3-pip > /dev/null
  rm -rf /var/lib/apt/lists/*
  pip install -q --break-system-packages --no-cache-dir --trusted-host pypi.org --trusted-host files.pythonhosted.org six==1.16.0
  dpkg --purge tzdata > /dev/null
  mkdir -p /opt/tool && printf "#!/bin/sh\necho tool\n" > /opt/tool/run && chmod 755 /opt/tool/run
  echo changed >> /etc/issue && rm -f /usr/share/doc/apt/copyright'
rm -rf "$out" && mkdir -p "$out/container" "$out/image"
"$docker" diff "$name" > "$out/changes.txt"
# Each changed path's type, mode and owner as the export has them ("d 0:0 etc/ssl").
"$docker" export "$name" | tar -tv --numeric-owner | awk 'NR == FNR { want[$0]; next }
  { owner = $2; sub("/", ":", owner); path = $6; sub("/$", "", path); if (path in want) print substr($1, 1, 1), owner, path }' \
  <(sed 's|^. /||' "$out/changes.txt") - > "$out/entries.txt"
copy() { mkdir -p "$out/container/$(dirname "$1")"; "$docker" cp "$name:/$1" - | tar -xO > "$out/container/$1"; }
copy var/lib/dpkg/status
copy var/lib/apt/extended_states
grep -E '^A /var/lib/dpkg/info/.*\.list$' "$out/changes.txt" | cut -c4- | while read -r path; do copy "$path"; done
grep -E '^A .*\.dist-info$' "$out/changes.txt" | cut -c4- | while read -r path; do copy "$path/RECORD"; done
mkdir -p "$out/image/var/lib/dpkg/info"
"$docker" run --rm --entrypoint cat local/debian:12 /var/lib/dpkg/status > "$out/image/var/lib/dpkg/status"
"$docker" run --rm --entrypoint cat local/debian:12 /var/lib/dpkg/info/tzdata.list > "$out/image/var/lib/dpkg/info/tzdata.list"
swift build -q && .build/debug/dockerkit reverse --container "$name" > "$out/Dockerfile"
echo "wrote $out"
