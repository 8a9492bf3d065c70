# Sourced by the scripts that run a system of their own (contract.sh, web/e2e/run.sh):
# the emulator unless AWS_ENDPOINT_URL names one, a dev host on an address of the
# script's, and one cleanup that stops only what the script started. `root` must be set.

host_pid=""
own_emulator=""

# Stops the dev host and the emulator if this script started them.
stop_started() {
  if [[ -n "$host_pid" ]]; then
    # It ends by the signal, and `wait` says so: not this script's failure.
    kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null || true
  fi
  if [[ -n "$own_emulator" ]]; then
    "$root/localstack/emulator.sh" stop
  fi
  return 0
}

# Starts the pinned emulator unless AWS_ENDPOINT_URL names an endpoint already.
use_emulator() {
  if [[ -z "${AWS_ENDPOINT_URL:-}" ]]; then
    "$root/localstack/emulator.sh" start
    own_emulator=1
    export AWS_ENDPOINT_URL="http://127.0.0.1:${EMULATOR_PORT:-4566}"
  fi
}

# Builds the dev host and starts it on $1 (address:port), logging to $2, with the
# environment as it is; returns once /health answers.
start_dev_host() {
  cargo build --quiet --locked --bin dev-host
  DEV_HOST_ADDR="$1" "$root/target/debug/dev-host" > "$2" 2>&1 &
  host_pid=$!
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null --max-time 2 "http://$1/health" 2>/dev/null && return 0
    kill -0 "$host_pid" 2>/dev/null || break
    sleep 1
  done
  echo "the dev host did not answer on http://$1; the end of its log ($2):" >&2
  tail -20 "$2" >&2
  return 1
}
