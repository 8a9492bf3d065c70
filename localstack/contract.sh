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

# shellcheck source=system.sh
source "$root/localstack/system.sh"
trap stop_started EXIT
use_emulator
url="http://127.0.0.1:3077"
start_dev_host "${url#http://}" target/contract-dev-host.log
"$venv/bin/schemathesis" run "$url/openapi.json" \
  --checks not_a_server_error,status_code_conformance,response_schema_conformance \
  --max-examples "${CONTRACT_EXAMPLES:-5}" --seed 1 --workers 1 --no-color
