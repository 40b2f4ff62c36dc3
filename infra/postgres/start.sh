#!/usr/bin/env bash
# Start a PostgreSQL server for Tashghil on 127.0.0.1:${PGPORT:-5432}, with role and database
# "tashghil" (password "tashghil"), the schema owner, and one login role per distributed service
# (tashghil_conventions, _matching, _subsidies, _reporting; each password is the role's name).
# Safe to run again: a server that already answers with those credentials is reused, and the
# service roles are refreshed. Prints DATABASE_URL=... (the owner) first, then one
# DATABASE_URL_<SERVICE>=... per service role, on stdout; everything else goes to stderr.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

HERE="$(cd "$(dirname "$0")" && pwd)"
PORT="${PGPORT:-5432}"
HOST=127.0.0.1
BASE="$STATE_DIR/postgres"
DATA="$BASE/data"
RUN="$BASE/run"
# A Unix socket path may not exceed ~107 bytes; fall back to /tmp for deep state directories.
[ "${#RUN}" -le 80 ] || RUN=/tmp
LOG="$BASE/postgres.log"
URL="postgres://tashghil:tashghil@$HOST:$PORT/tashghil"
WAIT_S="${PG_START_TIMEOUT:-60}"
t0="$(now_s)"

cd /   # the postgres OS user may not be able to enter the caller's directory

# ---- binaries --------------------------------------------------------------------------------
# Prefer the major version the data directory was made with, else the newest one installed.
find_bindir() {
  local want="" d
  [ -f "$DATA/PG_VERSION" ] && want="$(cat "$DATA/PG_VERSION")"
  if [ -n "$want" ] && [ -x "/usr/lib/postgresql/$want/bin/initdb" ]; then
    echo "/usr/lib/postgresql/$want/bin"
    return 0
  fi
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then
    echo "$d"
    return 0
  fi
  d="$(command -v initdb 2>/dev/null || true)"
  [ -n "$d" ] && dirname "$(readlink -f "$d")"
  return 0
}

BIN="$(find_bindir)"
if [ -z "$BIN" ]; then
  info "PostgreSQL server binaries not found; installing Debian's postgresql package"
  # Keep Debian from creating (and starting) its own 'main' cluster on our port.
  mkdir -p /etc/postgresql-common
  if [ ! -f /etc/postgresql-common/createcluster.conf ]; then
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
  elif ! grep -q '^[[:space:]]*create_main_cluster' /etc/postgresql-common/createcluster.conf; then
    echo "create_main_cluster = false" >>/etc/postgresql-common/createcluster.conf
  fi
  apt_install postgresql
  BIN="$(find_bindir)"
  [ -n "$BIN" ] || die "installed postgresql but found no initdb under /usr/lib/postgresql/*/bin"
fi
PSQL="$BIN/psql"; [ -x "$PSQL" ] || PSQL="$(command -v psql)"
PG_ISREADY="$BIN/pg_isready"; [ -x "$PG_ISREADY" ] || PG_ISREADY="$(command -v pg_isready)"

# Root may not run postgres: run server-side commands as the 'postgres' OS user.
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    info "creating OS user postgres"
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  as_pg() {
    if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"
    else su -s /bin/sh postgres -c "$(printf '%q ' "$@")"; fi
  }
else
  as_pg() { "$@"; }
fi

tashghil_ok() {
  PGPASSWORD=tashghil PGCONNECT_TIMEOUT=3 "$PSQL" -X -h "$HOST" -p "$PORT" -U tashghil -d tashghil \
    -Atqc 'select 1' >/dev/null 2>&1
}
ours_running() {
  [ -f "$DATA/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

# Create or refresh role and database over the server's own socket (trust auth for local users).
provision() {
  as_pg "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$RUN" -p "$PORT" -U postgres -d postgres >/dev/null <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tashghil') THEN
    CREATE ROLE tashghil LOGIN SUPERUSER PASSWORD 'tashghil';
  ELSE
    ALTER ROLE tashghil LOGIN SUPERUSER PASSWORD 'tashghil';
  END IF;
END
$$;
SELECT 'CREATE DATABASE tashghil OWNER tashghil'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'tashghil') \gexec
SQL
}

# The service roles, over TCP as tashghil: a reused server may not be ours, and tashghil may create
# roles there only if it is a superuser or has CREATEROLE. Without them the distributed services
# cannot log in, but the embedded mode and the owner still work, so this only warns.
provision_service_roles() {
  PGPASSWORD=tashghil PGCONNECT_TIMEOUT=3 "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U tashghil -d tashghil \
    -f "$HERE/service-roles.sql" >/dev/null 2>&1 \
    || warn "could not create the service roles (tashghil_conventions, ...) as tashghil; the distributed services cannot log in"
}

print_urls() {
  echo "DATABASE_URL=$URL"
  local s
  for s in conventions matching subsidies reporting; do
    echo "DATABASE_URL_$(echo "$s" | tr '[:lower:]' '[:upper:]')=postgres://tashghil_$s:tashghil_$s@$HOST:$PORT/tashghil"
  done
}

finish() {
  tashghil_ok || die "server is up but refuses tashghil/tashghil on $HOST:$PORT (see $LOG)"
  provision_service_roles
  info "ready in $(elapsed "$t0") s"
  print_urls
  exit 0
}

# ---- already running? ------------------------------------------------------------------------
if port_open "$HOST" "$PORT"; then
  if tashghil_ok; then
    if ours_running; then info "already running on $HOST:$PORT ($DATA)"
    else info "a PostgreSQL server on $HOST:$PORT already accepts tashghil/tashghil; reusing it"; fi
    provision_service_roles
    print_urls
    exit 0
  fi
  if ours_running; then
    info "our server is running but lacks the tashghil role or database; creating them"
    provision
    finish
  fi
  die "$HOST:$PORT is taken by another server that rejects tashghil/tashghil (stop it, or set PGPORT to a free port)"
fi

# ---- data directory --------------------------------------------------------------------------
mkdir -p "$BASE"
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$BASE"
  if ! as_pg test -w "$BASE"; then
    die "OS user postgres cannot write $BASE (a parent directory is closed to it); set TASHGHIL_STATE to a directory it can reach, e.g. /var/tmp/tashghil"
  fi
fi
if [ "$RUN" != /tmp ]; then
  as_pg mkdir -p "$RUN"
  as_pg chmod 0755 "$RUN"
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  if [ -d "$DATA" ] && [ -n "$(ls -A "$DATA" 2>/dev/null)" ]; then
    die "$DATA exists but is not a PostgreSQL data directory; remove it and run again"
  fi
  info "initdb $DATA ($("$BIN/postgres" --version 2>/dev/null || echo postgres))"
  as_pg "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --no-locale \
    --auth-local=trust --auth-host=md5 >"$BASE/initdb.log" 2>&1 \
    || { tail -n 20 "$BASE/initdb.log" >&2; die "initdb failed (full log: $BASE/initdb.log)"; }
  echo "include_if_exists = 'tashghil.conf'" | as_pg tee -a "$DATA/postgresql.conf" >/dev/null
fi

# Rewritten at every start so PGPORT and the tuning here always apply.
# Single quotes in the socket path would break the setting; the state dir never has them.
as_pg tee "$DATA/tashghil.conf" >/dev/null <<EOF
# Written by infra/postgres/start.sh at every start; edits here are lost.
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$RUN'
max_connections = 200
fsync = on
# A server for a national store, not Debian's defaults (128 MB of buffers, 1 GB of WAL between
# checkpoints): the seeker pool a published offer is ranked from (q.seekers, about 500 MB at a
# million seekers) stays in the server's own cache, and a bulk import or a run's recording does not
# checkpoint every minute. docker-compose.yml starts its server with the same three settings.
shared_buffers = 1GB
max_wal_size = 4GB
checkpoint_timeout = 15min
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF

# ---- start -----------------------------------------------------------------------------------
if ours_running; then
  info "our server is running but not reachable on $HOST:$PORT yet; waiting"
else
  info "starting PostgreSQL on $HOST:$PORT (log: $LOG)"
  as_pg touch "$LOG"
  if ! as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t "$WAIT_S" start >/dev/null; then
    tail -n 20 "$LOG" >&2 || true
    die "pg_ctl start failed (log: $LOG)"
  fi
fi

deadline=$(( $(date +%s) + WAIT_S ))
until "$PG_ISREADY" -q -h "$HOST" -p "$PORT" -t 1; do
  [ "$(date +%s)" -lt "$deadline" ] || { tail -n 20 "$LOG" >&2 || true; die "PostgreSQL not ready after ${WAIT_S} s (log: $LOG)"; }
  sleep 0.5
done

provision
finish
