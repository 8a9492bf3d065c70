#!/usr/bin/env bash
# Starts the whole system locally: the AWS emulator, then the dev host, which creates the
# tables, bucket and queues, serves every function on http://127.0.0.1:3000 and wires the
# S3 and SQS triggers. Ctrl-C stops both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# An endpoint you run yourself (LocalStack, say) when AWS_ENDPOINT_URL names it;
# otherwise our own pinned emulator, started here and stopped on exit.
if [[ -z "${AWS_ENDPOINT_URL:-}" ]]; then
  "$root/localstack/emulator.sh" start
  trap '"$root/localstack/emulator.sh" stop' EXIT
  export AWS_ENDPOINT_URL="http://127.0.0.1:${EMULATOR_PORT:-4566}"
fi
cargo build --quiet --bin dev-host
target/debug/dev-host
