#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests against the local AWS endpoint,
# which this script starts (installing it when needed) and stops afterwards.
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
# Plain `cargo test`, whatever else the machine has installed. Integration tests mostly
# wait on the emulator, so they run eight at a time even on two cores.
export RUST_TEST_THREADS="${RUST_TEST_THREADS:-8}"
cargo test --workspace --no-fail-fast "$@"
