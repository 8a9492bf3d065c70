#!/usr/bin/env bash
# Runs every test: unit tests, integration tests and the web portal's browser tests
# (web/e2e/run.sh), against the local AWS endpoint, which this script starts
# (installing it when needed) and stops afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The printing tests rasterise PDFs with poppler: Debian's poppler-utils, pinned to the
# bookworm build below. As root on Debian that build is installed over any other;
# elsewhere the tools must be there.
POPPLER_VERSION="22.12.0-2+deb12u3"
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  if [[ "$(dpkg-query -W -f='${Version}' poppler-utils 2>/dev/null)" != "$POPPLER_VERSION" ]]; then
    echo "installing poppler-utils ${POPPLER_VERSION}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends --allow-downgrades \
      "poppler-utils=${POPPLER_VERSION}" "libpoppler126=${POPPLER_VERSION}" >/dev/null
  fi
elif ! command -v pdftoppm >/dev/null || ! command -v pdftotext >/dev/null; then
  echo "the printing tests need pdftoppm and pdftotext: apt-get install poppler-utils=${POPPLER_VERSION}" >&2
  exit 1
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
cargo test --workspace --locked --no-fail-fast "$@"

# The web portal in a real browser, against a dev host of its own on the same endpoint.
"$root/web/e2e/run.sh"
