#!/usr/bin/env bash
# A private Docker engine for dockerkit's tests and for trying dockerkit out on a Debian machine where you are root.
#   scripts/engine.sh up            start it (installs Debian's docker.io and busybox-static when missing),
#                                   import local/busybox:1, and print the export lines to use it:
#                                   eval "$(scripts/engine.sh up)"
#   scripts/engine.sh debian-base [IMAGE]
#                                   also make IMAGE (default local/debian:12) with debootstrap from the Debian
#                                   mirror this machine's apt already uses (for builds that need apt)
#   scripts/engine.sh down          stop the daemon this script started, and only that one
# The daemon keeps its data, exec root and socket under $DOCKERKIT_ENGINE_DIR (default /tmp/dockerkit-engine),
# with no bridge network and no iptables changes, so builds and containers use --network host or none.
set -u
dir=${DOCKERKIT_ENGINE_DIR:-/tmp/dockerkit-engine}
sock=$dir/docker.sock
client=/usr/bin/docker   # Debian's 20.10 client: it can build with BuildKit, unlike a newer client without buildx
export DOCKER_HOST=unix://$sock
log() { echo "engine.sh: $*" >&2; }

install_packages() {
  local missing=()
  [ -x /usr/sbin/dockerd ] && [ -x "$client" ] || missing+=(docker.io)
  [ -x /bin/busybox ] || missing+=(busybox-static)
  for package in "$@"; do missing+=("$package"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  mkdir -p "$dir"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$dir/apt.log" 2>&1; then
    tail -n 20 "$dir/apt.log" >&2; log "apt-get install failed"; return 1
  fi
}

answers() { "$client" version >/dev/null 2>&1; }

up() {
  install_packages || return 1
  mkdir -p "$dir"
  if [ -f "$dir/dockerd.pid" ] && kill -0 "$(cat "$dir/dockerd.pid")" 2>/dev/null && answers; then
    log "already running (pid $(cat "$dir/dockerd.pid"))"
  else
    rm -f "$sock" "$dir/dockerd.pid"
    setsid /usr/sbin/dockerd --data-root "$dir/root" --exec-root "$dir/exec" --host "$DOCKER_HOST" \
      --pidfile "$dir/dockerd.pid" --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
      --userland-proxy=true \
      >"$dir/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 60); do answers && break; sleep 1; done
    answers || { tail -n 20 "$dir/dockerd.log" >&2; log "dockerd did not answer within 60 s"; return 1; }
    log "started (pid $(cat "$dir/dockerd.pid"))"
  fi
  if ! "$client" image inspect local/busybox:1 >/dev/null 2>&1; then
    local root
    root=$(mktemp -d)
    mkdir -p "$root/bin" "$root/tmp" "$root/etc" && cp /bin/busybox "$root/bin/busybox"
    for applet in sh ls cat echo mkdir rm touch chmod cp mv sed test sleep id env true false; do
      ln -s busybox "$root/bin/$applet"
    done
    tar -C "$root" -c . | "$client" import -c 'CMD ["/bin/sh"]' - local/busybox:1 >/dev/null
    rm -rf "$root"
    log "imported local/busybox:1"
  fi
  echo "export DOCKER_HOST=$DOCKER_HOST"
  echo "export DOCKER=$client"
  echo "export DOCKERKIT_ENGINE=$client"
}

debian_base() {
  local image=${1:-local/debian:12}
  "$client" image inspect "$image" >/dev/null 2>&1 && { log "$image exists"; return 0; }
  command -v debootstrap >/dev/null || install_packages debootstrap || return 1
  local mirror root
  mirror=$(grep -hoE '^(URIs:|deb) +[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | awk '{print $2}' | grep -v security | head -n 1)
  mirror=${mirror:-http://deb.debian.org/debian}
  root=$(mktemp -d /tmp/dockerkit-rootfs.XXXXXX)
  if ! debootstrap --variant=minbase bookworm "$root" "$mirror" >"$dir/debootstrap.log" 2>&1; then
    tail -n 20 "$dir/debootstrap.log" >&2; rm -rf "$root"; log "debootstrap failed"; return 1
  fi
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
  tar -C "$root" -c . | "$client" import -c 'CMD ["/bin/bash"]' \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$image" >/dev/null
  rm -rf "$root"
  log "$image imported from $mirror"
}

down() {
  [ -f "$dir/dockerd.pid" ] || { log "not running"; return 0; }
  local pid
  pid=$(cat "$dir/dockerd.pid")
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  rm -f "$dir/dockerd.pid" "$sock"
  log "stopped"
}

case "${1:-}" in
  up) up ;;
  debian-base) up >/dev/null && debian_base "${2:-}" ;;
  down) down ;;
  *) echo "usage: scripts/engine.sh up|debian-base [IMAGE]|down" >&2; exit 2 ;;
esac
