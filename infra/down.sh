#!/usr/bin/env bash
# Stop Kafka and PostgreSQL started by infra/up.sh (both idempotent). Kafka goes first so its
# clients see a broker shutdown rather than a database one.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
status=0
"$here/kafka/stop.sh" || status=1
"$here/postgres/stop.sh" || status=1
exit "$status"
