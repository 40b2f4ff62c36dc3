#!/usr/bin/env bash
# Stop the PostgreSQL server that infra/postgres/start.sh started. Safe to run when it is not
# running; a server this script did not start (another data directory) is left alone.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

DATA="$STATE_DIR/postgres/data"
cd /

if [ ! -f "$DATA/postmaster.pid" ]; then
  info "not running (no $DATA/postmaster.pid)"
  exit 0
fi

ver="$(cat "$DATA/PG_VERSION" 2>/dev/null || true)"
PG_CTL="/usr/lib/postgresql/$ver/bin/pg_ctl"
[ -x "$PG_CTL" ] || PG_CTL="$(command -v pg_ctl || true)"
[ -n "$PG_CTL" ] || die "pg_ctl not found"

if [ "$(id -u)" = 0 ]; then
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

if ! as_pg "$PG_CTL" -D "$DATA" status >/dev/null 2>&1; then
  info "not running (stale postmaster.pid in $DATA)"
  exit 0
fi

info "stopping PostgreSQL ($DATA)"
as_pg "$PG_CTL" -D "$DATA" -m fast -w -t 60 stop >/dev/null
info "stopped"
