#!/usr/bin/env bash
# The shared scenarios (scenarios.json) through the Python client (esdbclient, in a virtual
# environment of its own: it pins its grpcio) and the Go client (a module of its own), each against
# a gateway started for it by src/judges/serve.ts. Over PGlite, and over the PostgreSQL server too
# when JUDGE_BACKENDS includes postgres (the server must be running, as for the integration run).
# Then the cross-client scenarios (one client appends, the other two read) through src/judges/cross.ts.
# Usage: bash services/kurrent-gateway/judges/run.sh [python|go|cross|all]   (JUDGE_BACKENDS=pglite,postgres)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
which="${1:-all}"

prepare_python() {
  local venv="$here/python/.venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  # esdbclient 1.1.7, the release the judge was written against.
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'esdbclient==1.1.7'
}

prepare_go() {
  (cd "$here/go" && go build -o "$here/go/.judge" .)
}

# The cross-client scenarios need both agents (python/agent.py, go's --agent); cross.ts serves itself.
prepare_cross() {
  [ -n "${prepared_python:-}" ] || prepare_python
  [ -n "${prepared_go:-}" ] || prepare_go
}

# Starts a gateway for one backend, runs one judge against it, stops the gateway.
judge() {
  local language="$1" backend="$2" dir line grpc control server status=0
  dir="$(mktemp -d)"
  mkfifo "$dir/in"
  (cd "$root" && JUDGE_BACKEND="$backend" LOG_LEVEL=silent exec node -r @swc-node/register \
    services/kurrent-gateway/src/judges/serve.ts <"$dir/in" >"$dir/out") &
  server=$!
  # The gateway stops when its standard input closes; this script holds the fifo's writing end.
  exec 3>"$dir/in"
  for _ in $(seq 1 600); do
    [ -s "$dir/out" ] && break
    sleep 0.1
  done
  line="$(head -n 1 "$dir/out")"
  grpc="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["grpc"])' "$line")"
  control="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["control"])' "$line")"
  case "$language" in
    python) "$here/python/.venv/bin/python" "$here/python/judge.py" "$grpc" "$control" "$backend" || status=1 ;;
    go) (cd "$here/go" && ./.judge "$grpc" "$control" "$backend") || status=1 ;;
  esac
  exec 3>&-
  wait "$server" || true
  rm -rf "$dir"
  return $status
}

# One Node process, one gateway and store per backend, the three clients against it (src/judges/cross.ts).
cross() {
  (cd "$root" && JUDGE_BACKENDS="${JUDGE_BACKENDS:-pglite}" LOG_LEVEL=silent node -r @swc-node/register \
    services/kurrent-gateway/src/judges/cross.ts)
}

status=0
languages=(python go cross)
[ "$which" = all ] || languages=("$which")
for language in "${languages[@]}"; do
  "prepare_$language"
  declare "prepared_$language=1"
  if [ "$language" = cross ]; then
    cross || status=1
    continue
  fi
  for backend in $(echo "${JUDGE_BACKENDS:-pglite}" | tr ',' ' '); do
    judge "$language" "$backend" || status=1
  done
done
exit $status
