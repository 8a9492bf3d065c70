#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests against the local AWS endpoint,
# which this script starts (installing it when needed) and stops afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The printing tests rasterise PDFs with poppler (Debian's poppler-utils, as bookworm
# ships it); install it when missing and we may.
POPPLER_VERSION="22.12.0-2+deb12u3"
if ! command -v pdftoppm >/dev/null || ! command -v pdftotext >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing poppler-utils ${POPPLER_VERSION}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "poppler-utils=${POPPLER_VERSION}" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "poppler-utils=${POPPLER_VERSION}" >/dev/null; } \
      || { echo "poppler-utils ${POPPLER_VERSION} is not available; installing the release's" >&2; apt-get install -y -q --no-install-recommends poppler-utils >/dev/null; }
  else
    echo "the printing tests need pdftoppm and pdftotext (Debian: apt-get install poppler-utils)" >&2
    exit 1
  fi
fi

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
