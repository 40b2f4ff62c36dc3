#!/usr/bin/env bash
# Stop the Kafka broker that infra/kafka/start.sh started: SIGTERM (a clean, controlled shutdown),
# then SIGKILL if it is still there after ${KAFKA_STOP_TIMEOUT:-30} s. Safe to run when it is not
# running; a broker this script did not start is left alone.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

BASE="$STATE_DIR/kafka"
PIDFILE="$BASE/kafka.pid"
WAIT_S="${KAFKA_STOP_TIMEOUT:-30}"

if ! pid_alive "$PIDFILE"; then
  rm -f "$PIDFILE"
  if port_open 127.0.0.1 "${KAFKA_PORT:-9092}"; then
    info "not started by this script (no live $PIDFILE), but 127.0.0.1:${KAFKA_PORT:-9092} is in use; leaving it alone"
  else
    info "not running"
  fi
  exit 0
fi

pid="$(cat "$PIDFILE")"
# Guard against a pid file that outlived its broker and now names some other process.
if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'; then
  warn "pid $pid from $PIDFILE is not a Kafka broker; removing the stale pid file"
  rm -f "$PIDFILE"
  exit 0
fi

info "stopping Kafka (pid $pid)"
kill -TERM "$pid" 2>/dev/null || true
deadline=$(( $(date +%s) + WAIT_S ))
while proc_alive "$pid"; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    warn "still running after ${WAIT_S} s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
    break
  fi
  sleep 0.5
done
rm -f "$PIDFILE"
info "stopped"
