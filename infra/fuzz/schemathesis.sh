#!/usr/bin/env bash
# Fuzz every operation of the embedded platform's OpenAPI document with Schemathesis: a platform of
# its own (fresh PGlite directory, no demo data, a free port), a small seeded world
# (seeds.json), an admin token, a bounded budget, then the platform stopped. Exits 0 when every
# check passed, 1 when Schemathesis found a failure or an error, 2 when the set-up failed.
#
# Schemathesis lives in a cached virtualenv, installed on the first run (PyPI) and reused after.
# Reports (JUnit XML, the platform's log, Schemathesis' example database) go to $FUZZ_REPORT_DIR.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

HERE="$INFRA_DIR/fuzz"
VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
VENV="${SCHEMATHESIS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/tashghil/schemathesis-venv}"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-20}"
WORKERS="${FUZZ_WORKERS:-2}"
# positive_data_acceptance is left out: the deciders refuse much that the document cannot say
# (cross-field dates, a past effective date, a stale If-Match, path parameters it types as strings),
# so it reports the document, not the service. unsupported_method too: Express answers a method no
# route has with 404, not 405.
CHECKS="${FUZZ_CHECKS:-not_a_server_error,status_code_conformance,negative_data_rejection,ignored_auth,use_after_free,ensure_resource_availability,content_type_conformance,response_schema_conformance}"
REPORT_DIR="${FUZZ_REPORT_DIR:-$STATE_DIR/fuzz}"
START_WAIT_S="${FUZZ_START_TIMEOUT:-120}"
t0="$(now_s)"

command -v node >/dev/null 2>&1 || { warn "node not found"; exit 2; }
command -v curl >/dev/null 2>&1 || { warn "curl not found"; exit 2; }

# Hypothesis describes lambdas by parsing their source, which trips a CPython 3.11 bug ("AST
# constructor recursion depth mismatch") deep in Schemathesis' coverage phase: prefer 3.12 or later.
pick_python() {
  local candidate
  if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
  for candidate in python3.13 python3.12 "$HOME"/.pyenv/versions/3.13*/bin/python3 "$HOME"/.pyenv/versions/3.12*/bin/python3 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  return 1
}

install_schemathesis() {
  if "$VENV/bin/schemathesis" --version 2>/dev/null | grep -qF "version $VERSION"; then
    return
  fi
  local py
  if ! py="$(pick_python)"; then
    # A bare Debian has python3 without its venv module's pip bootstrap: install both.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then apt_install python3 python3-venv; fi
    py="$(pick_python)" || { warn "no Python 3.10 or later with venv found; set PYTHON"; exit 2; }
  fi
  "$py" -c 'import sys; sys.exit(sys.version_info >= (3, 12))' && warn "$py is older than 3.12; Schemathesis' coverage phase may stop on a CPython bug"
  info "installing schemathesis $VERSION into $VENV with $py"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  if ! "$py" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then apt_install python3-venv; fi
    "$py" -m venv "$VENV" || { warn "cannot create a virtualenv with $py (install python3-venv)"; exit 2; }
  fi
  retry 3 "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$VERSION" >&2 || { warn "pip install schemathesis==$VERSION failed"; exit 2; }
}

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

install_schemathesis
REPORT_DIR="$(mkdir -p "$REPORT_DIR" && cd "$REPORT_DIR" && pwd)"
DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/tashghil-fuzz-XXXXXX")"
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
LOG="$REPORT_DIR/platform.log"
PID=""

cleanup() {
  if [ -n "$PID" ] && proc_alive "$PID"; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 1 50); do proc_alive "$PID" || break; sleep 0.2; done
    if proc_alive "$PID"; then kill -KILL "$PID" 2>/dev/null || true; fi
  fi
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

info "starting the embedded platform on $BASE (data in $DATA_DIR, log in $LOG)"
# The rate limit on tokenless requests is off by default here: Schemathesis' auth checks send
# hundreds of them from one address, and a 429 would say nothing about the operation fuzzed.
(
  cd "$REPO_ROOT"
  exec env TASHGHIL_RATE_LIMIT="${FUZZ_RATE_LIMIT:-0}" TASHGHIL_MODE=embedded TASHGHIL_DATA_DIR="$DATA_DIR" TASHGHIL_DEMO=false HOST=127.0.0.1 PORT="$PORT" \
    LOG_LEVEL="${LOG_LEVEL:-warn}" MATCHING_STREAMING=false node -r @swc-node/register services/platform/src/main.ts
) >"$LOG" 2>&1 &
PID=$!

deadline=$(( $(date +%s) + START_WAIT_S ))
until curl -sf "$BASE/health/ready" >/dev/null 2>&1; do
  if ! proc_alive "$PID"; then
    tail -n 30 "$LOG" >&2 || true
    warn "the platform exited before it was ready"
    exit 2
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    warn "the platform was not ready after ${START_WAIT_S} s"
    exit 2
  fi
  sleep 0.5
done
info "platform ready after $(elapsed "$t0") s"

TOKEN="$(cd "$REPO_ROOT" && node -r @swc-node/register libs/service-kit/src/token-cli.ts --role admin)"
seeded="$(node "$HERE/seed.js" "$BASE" "$TOKEN")" || { warn "seeding failed"; exit 2; }
export FUZZ_PLACEMENT_ID="${seeded#FUZZ_PLACEMENT_ID=}"

info "schemathesis $VERSION: checks $CHECKS, $MAX_EXAMPLES examples per operation, $WORKERS workers"
set +e
# From the report directory, so that Schemathesis keeps its database of found examples there.
cd "$REPORT_DIR"
"$VENV/bin/schemathesis" --config-file "$HERE/schemathesis.toml" run "$BASE/docs/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks "$CHECKS" \
  --max-examples "$MAX_EXAMPLES" \
  --workers "$WORKERS" \
  --request-timeout 60 \
  --report junit --report-dir "$REPORT_DIR" \
  --no-color ${FUZZ_SEED:+--seed "$FUZZ_SEED"} "$@"
status=$?
set -e

# Schemathesis' own report is long; end with one line per failing operation and its check codes.
report="$(ls -t "$REPORT_DIR"/junit-*.xml 2>/dev/null | head -n1 || true)"
if [ "$status" != 0 ] && [ -n "$report" ]; then
  "$VENV/bin/python" - "$report" <<'PY' >&2 || true
import re, sys, xml.etree.ElementTree as ET
cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
failed = [(c.get("name"), [f for f in c if f.tag in ("failure", "error")]) for c in cases]
failed = [(name, found) for name, found in failed if found]
print(f"[fuzz/schemathesis.sh] {len(failed)} operations failed:")
for name, found in failed:
    codes = sorted({code for f in found for code in re.findall(r"- (ST\d+ [^\n]+)", f.text or "")} or {f.get("message") or f.tag for f in found})
    print(f"  {name}: {'; '.join(codes)}")
PY
fi

errors="$(grep -c '"level":50' "$LOG" || true)"
[ "$errors" = 0 ] || warn "the platform logged $errors errors; see $LOG"
if ! proc_alive "$PID"; then
  warn "the platform died during the run; see $LOG"
  status=1
fi
info "done in $(elapsed "$t0") s (schemathesis exit $status; JUnit report in $REPORT_DIR)"
[ "$status" = 0 ] || exit 1
