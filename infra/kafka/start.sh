#!/usr/bin/env bash
# Start a single-node Apache Kafka broker (KRaft, broker and controller in one JVM) on
# 127.0.0.1:${KAFKA_PORT:-9092}, built from Maven Central jars kept in a cache directory.
# Safe to run again: a broker that already answers is reused. Prints KAFKA_BROKERS=... on stdout;
# everything else goes to stderr.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

HERE="$INFRA_DIR/kafka"
HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
VERSION="${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")}"
[ -n "$VERSION" ] || die "cannot read kafka.version from $HERE/pom.xml"
HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
CACHE="${KAFKA_CACHE:-$HOME/.cache/tashghil/kafka-$VERSION}"
BASE="$STATE_DIR/kafka"
DATA="$BASE/data"
LOGS="$BASE/logs"
PROPS="$BASE/server.properties"
PIDFILE="$BASE/kafka.pid"
OFFSETFILE="$BASE/log.offset"
WAIT_S="${KAFKA_START_TIMEOUT:-180}"
HEAP="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
# Fixed cluster id: base64url of the 16 bytes "tashghil-kafka-1" (docker-compose.yml uses it too).
CLUSTER_ID="${KAFKA_CLUSTER_ID:-dGFzaGdoaWwta2Fma2EtMQ}"
BROKERS="$HOST:$PORT"
t0="$(now_s)"

started_line='Kafka Server started'

# True while the pid file names a live broker: a pid file left by an earlier machine or run may name
# a process that reused the number, and waiting on that one would only end in a timeout.
broker_alive() {
  pid_alive "$PIDFILE" || return 1
  tr '\0' ' ' <"/proc/$(head -n1 "$PIDFILE")/cmdline" 2>/dev/null | grep -c 'kafka\.Kafka' >/dev/null
}

# True once the broker logged that it started, counting only what this run wrote to server.log.
# A start that logs a lot (thousands of partitions) may roll the log over (at 20 MB) before or after
# the line: then the rolled file is read from the offset, and the new one whole.
broker_started() {
  local log="$LOGS/server.log" off=0 size
  [ -f "$log" ] || return 1
  [ -s "$OFFSETFILE" ] && off="$(cat "$OFFSETFILE")"
  size="$(stat -c %s "$log")"
  if [ "$size" -lt "$off" ] || [ "$log.1" -nt "$OFFSETFILE" ]; then
    { tail -c +"$((off + 1))" "$log.1" 2>/dev/null || true; cat "$log"; } | grep -c "$started_line" >/dev/null
    return
  fi
  # grep -c reads all input: grep -q could stop early and, under pipefail, fail on tail's SIGPIPE.
  tail -c +"$((off + 1))" "$log" | grep -c "$started_line" >/dev/null
}

wait_ready() {
  local deadline=$(( $(date +%s) + WAIT_S ))
  while :; do
    if port_open "$HOST" "$PORT" && broker_started; then
      return 0
    fi
    if ! broker_alive; then
      warn "the broker process exited; last lines of $LOGS/server.log and kafka.out:"
      tail -n 30 "$LOGS/server.log" >&2 2>/dev/null || true
      tail -n 30 "$LOGS/kafka.out" >&2 2>/dev/null || true
      die "Kafka failed to start"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 30 "$LOGS/server.log" >&2 2>/dev/null || true
      die "Kafka not ready after ${WAIT_S} s (pid $(cat "$PIDFILE"), logs in $LOGS)"
    fi
    sleep 0.5
  done
}

done_ok() {
  info "$1"
  echo "KAFKA_BROKERS=$BROKERS"
  exit 0
}

# ---- already running? ------------------------------------------------------------------------
if broker_alive; then
  if port_open "$HOST" "$PORT" && broker_started; then
    done_ok "already running on $BROKERS (pid $(cat "$PIDFILE"))"
  fi
  info "broker process $(cat "$PIDFILE") exists but is not ready yet; waiting"
  wait_ready
  done_ok "ready in $(elapsed "$t0") s"
fi
if [ -s "$PIDFILE" ]; then
  warn "removing the stale pid file $PIDFILE (pid $(head -n1 "$PIDFILE") is not a Kafka broker)"
  rm -f "$PIDFILE"
fi
if port_open "$HOST" "$PORT"; then
  done_ok "something already listens on $BROKERS (not started by this script); reusing it as the broker"
fi

# ---- Java and the jars -----------------------------------------------------------------------
command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless
java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[ "${java_major%%.*}" -ge 11 ] 2>/dev/null || die "Kafka $VERSION needs Java 11 or newer (found ${java_major:-none})"

# The cache is valid for this exact pom.xml and version; anything else is rebuilt from scratch.
stamp="$(sha256sum <"$HERE/pom.xml" | cut -c1-16)-$VERSION"
if [ "$(cat "$CACHE/.complete" 2>/dev/null || true)" != "$stamp" ]; then
  command -v mvn >/dev/null 2>&1 || apt_install maven
  info "fetching Kafka $VERSION jars from Maven Central into $CACHE (first start only)"
  mkdir -p "$(dirname "$CACHE")"
  tmp="$(mktemp -d "$CACHE.tmp.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  # A registry that drops a connection now and then should not fail a start: three tries, and
  # Maven's own retries within each.
  for try in 1 2 3; do
    if mvn -q -B -f "$HERE/pom.xml" -Dkafka.version="$VERSION" -Dmaven.wagon.http.retryHandler.count=3 \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/libs" \
        >"$tmp/mvn.log" 2>&1 </dev/null; then
      break
    fi
    tail -n 30 "$tmp/mvn.log" >&2
    [ "$try" -lt 3 ] || die "mvn could not fetch the Kafka jars in three tries (is Maven Central reachable?)"
    warn "mvn failed (try $try of 3); trying again in $((try * 5)) s"
    sleep "$((try * 5))"
  done
  ls "$tmp/libs"/kafka_2.13-*.jar >/dev/null 2>&1 || die "mvn ran but kafka_2.13 is missing from $tmp/libs"
  echo "$stamp" >"$tmp/.complete"
  rm -rf "$CACHE"
  mv "$tmp" "$CACHE"
  trap - EXIT
  info "cached $(ls "$CACHE/libs" | wc -l) jars in $(elapsed "$t0") s"
fi
CP="$CACHE/libs/*"

# ---- configuration ---------------------------------------------------------------------------
mkdir -p "$DATA" "$LOGS"
sed -e "s|@PORT@|$PORT|g" -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" -e "s|@LOG_DIRS@|$DATA|g" \
  "$HERE/server.properties.in" >"$PROPS"

# Broker logs go to files (rolled at 20 MB), not to the terminal.
cat >"$BASE/log4j.properties" <<'EOF'
# Written by infra/kafka/start.sh at every start.
log4j.rootLogger=INFO, server
log4j.appender.server=org.apache.log4j.RollingFileAppender
log4j.appender.server.File=${kafka.logs.dir}/server.log
log4j.appender.server.MaxFileSize=20MB
log4j.appender.server.MaxBackupIndex=3
log4j.appender.server.layout=org.apache.log4j.PatternLayout
log4j.appender.server.layout.ConversionPattern=[%d] %p %m (%c)%n

log4j.appender.state=org.apache.log4j.RollingFileAppender
log4j.appender.state.File=${kafka.logs.dir}/state-change.log
log4j.appender.state.MaxFileSize=20MB
log4j.appender.state.MaxBackupIndex=1
log4j.appender.state.layout=org.apache.log4j.PatternLayout
log4j.appender.state.layout.ConversionPattern=[%d] %p %m (%c)%n

log4j.logger.org.apache.zookeeper=WARN
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.authorizer.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.state.change.logger=INFO, state
log4j.additivity.state.change.logger=false
EOF
# Command-line tools (StorageTool, console producer/consumer) log warnings to stderr only.
cat >"$BASE/tools-log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF

# KAFKA_FRESH=1 (CI) starts with no topics: a data directory kept from earlier runs holds every
# topic their tests made, and a broker loads each partition as it starts (8,292 of them took a
# start from 18 s to 60 s here, 2026-12-07).
if [ "${KAFKA_FRESH:-0}" = 1 ] && [ -d "$DATA" ]; then
  info "KAFKA_FRESH=1: removing the topics of earlier runs in $DATA"
  rm -rf "$DATA"
  mkdir -p "$DATA"
fi
if [ ! -f "$DATA/meta.properties" ]; then
  info "formatting $DATA (cluster id $CLUSTER_ID)"
  java -Xmx256m -cp "$CP" -Dlog4j.configuration="file:$BASE/tools-log4j.properties" \
    kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$PROPS" --ignore-formatted \
    >"$LOGS/format.log" 2>&1 </dev/null \
    || { cat "$LOGS/format.log" >&2; die "kafka storage format failed"; }
fi

# ---- start -----------------------------------------------------------------------------------
stat -c %s "$LOGS/server.log" 2>/dev/null >"$OFFSETFILE" || echo 0 >"$OFFSETFILE"
rm -f "$PIDFILE"   # stale after a crash; the launcher writes the new one
info "starting Kafka $VERSION on $BROKERS, controller on $HOST:$CONTROLLER_PORT (logs: $LOGS)"
# shellcheck disable=SC2206  # HEAP holds several options, split on purpose
java_cmd=(java $HEAP -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20
  -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true
  -Dkafka.logs.dir="$LOGS" -Dlog4j.configuration="file:$BASE/log4j.properties"
  -cp "$CP" kafka.Kafka "$PROPS")
# New session, so the broker outlives the shell (and CI step) that started it; the child writes
# its own pid before it becomes the JVM.
# shellcheck disable=SC2016  # expanded by the child shell, not here
launcher=(bash -c 'echo $$ >"$0"; exec "$@"' "$PIDFILE" "${java_cmd[@]}")
cd "$BASE"   # not the caller's directory, which may go away (a CI checkout); crash files land here
if command -v setsid >/dev/null 2>&1; then
  setsid "${launcher[@]}" >"$LOGS/kafka.out" 2>&1 </dev/null &
else
  nohup "${launcher[@]}" >"$LOGS/kafka.out" 2>&1 </dev/null &
fi
# The launcher writes the pid file as its first step; on a busy machine that may take a while, and
# wait_ready must not read a missing pid file as a broker that died.
for _ in $(seq 600); do [ -s "$PIDFILE" ] && break; sleep 0.1; done
[ -s "$PIDFILE" ] || { tail -n 30 "$LOGS/kafka.out" >&2 2>/dev/null || true; die "the broker launcher wrote no pid file in 60 s"; }

wait_ready
done_ok "ready in $(elapsed "$t0") s (pid $(cat "$PIDFILE"))"
