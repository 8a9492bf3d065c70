#!/usr/bin/env bash
# The API contract, tried against the running system: Schemathesis (pinned in
# contract-requirements.txt, installed into localstack/.contract-venv) generates requests
# from the dev host's /openapi.json for every operation and fails on a server error, a
# status the document does not declare, or an answer that breaks its schema. It starts
# the emulator (unless AWS_ENDPOINT_URL names one) and a dev host on 127.0.0.1:3077, and
# stops both. CONTRACT_EXAMPLES (5) bounds the cases per operation; the seed is fixed.
# One worker: with several, a fresh install's first run races its own lazy imports.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="$root/localstack/.contract-venv"
stamp="$venv/.requirements.sha256"
want="$(sha256sum localstack/contract-requirements.txt | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/schemathesis" || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "Installing Schemathesis into localstack/.contract-venv ..."
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r localstack/contract-requirements.txt
  echo "$want" > "$stamp"
fi

host_pid=""
stop() {
  [[ -n "$host_pid" ]] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null || true
  [[ -n "${own_emulator:-}" ]] && "$root/localstack/emulator.sh" stop
}
trap stop EXIT
if [[ -z "${AWS_ENDPOINT_URL:-}" ]]; then
  "$root/localstack/emulator.sh" start
  own_emulator=1
  export AWS_ENDPOINT_URL="http://127.0.0.1:${EMULATOR_PORT:-4566}"
fi
cargo build --quiet --bin dev-host
url="http://127.0.0.1:3077"
DEV_HOST_ADDR="127.0.0.1:3077" target/debug/dev-host > target/contract-dev-host.log 2>&1 &
host_pid=$!
healthy=""
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null --max-time 2 "$url/health" 2>/dev/null && { healthy=1; break; }
  sleep 1
done
if [[ -z "$healthy" ]]; then
  echo "the dev host did not answer on $url; its log: target/contract-dev-host.log" >&2
  exit 1
fi
"$venv/bin/schemathesis" run "$url/openapi.json" \
  --checks not_a_server_error,status_code_conformance,response_schema_conformance \
  --max-examples "${CONTRACT_EXAMPLES:-5}" --seed 1 --workers 1 --no-color
