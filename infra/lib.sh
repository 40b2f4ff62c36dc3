# Shared helpers for the infra/ scripts. Source it; do not run it.
# shellcheck shell=bash

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_DIR/.." && pwd)"
# shellcheck disable=SC2034  # used by the scripts that source this file
STATE_DIR="${TASHGHIL_STATE:-$REPO_ROOT/.state}"

# Prefix every message with the script's name so mixed CI logs stay readable.
_tag="${TAG:-$(basename "$(dirname "$0")")/$(basename "$0")}"

info() { printf '[%s] %s\n' "$_tag" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "$_tag" "$*" >&2; }
die() {
  printf '[%s] ERROR: %s\n' "$_tag" "$*" >&2
  exit 1
}

# port_open HOST PORT: true when a TCP connection to HOST:PORT succeeds within 2 s.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# now_s: seconds since the epoch, with fractions when date supports them.
now_s() { date +%s.%N 2>/dev/null || date +%s; }

# elapsed START: seconds since START (from now_s), one decimal.
elapsed() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }'; }

# apt_install PKG...: install Debian packages non-interactively (root only).
_apt_updated=""
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* by hand"
  [ "$(id -u)" = 0 ] || die "need root to apt-get install $*"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$_apt_updated" ]; then
    info "apt-get update"
    retry 3 apt-get update -qq >/dev/null || die "apt-get update failed"
    _apt_updated=1
  fi
  info "apt-get install $*"
  retry 3 apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold "$@" >/dev/null </dev/null \
    || die "apt-get install $* failed"
}

# retry N COMMAND...: run COMMAND up to N times, 5 s, 10 s... apart, for the mirror that drops a
# connection or is caught mid-sync; the last try's status is returned.
retry() {
  local tries=$1 n=1
  shift
  until "$@"; do
    [ "$n" -lt "$tries" ] || return 1
    warn "$1 failed (try $n of $tries); trying again in $((n * 5)) s"
    sleep "$((n * 5))"
    n=$((n + 1))
  done
}

# proc_alive PID: true while PID runs (a zombie waiting for its parent counts as gone).
proc_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# pid_alive PIDFILE: true when PIDFILE names a live process.
pid_alive() {
  local pid
  [ -s "$1" ] || return 1
  pid="$(head -n1 "$1")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  proc_alive "$pid"
}
