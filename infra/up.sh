#!/usr/bin/env bash
# Start PostgreSQL and Kafka for the distributed mode (both idempotent). Prints DATABASE_URL=... (the
# schema owner), DATABASE_URL_<SERVICE>=... (each service's own role) and KAFKA_BROKERS=... on
# stdout, so a caller can do:  export $(infra/up.sh)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/postgres/start.sh"
"$here/kafka/start.sh"
