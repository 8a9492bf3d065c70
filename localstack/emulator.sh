#!/usr/bin/env bash
# The no-Docker local AWS endpoint: moto server, pinned in requirements.txt, installed
# into localstack/.venv (git-ignored), listening on 127.0.0.1:4566 only; emulator.py
# runs it with two cheap views of the email and SMS it sent (/_aws/ses, /_aws/sns/...).
#
#   localstack/emulator.sh install   create or update the virtualenv
#   localstack/emulator.sh start     install if needed, start, wait until it answers
#   localstack/emulator.sh stop      stop the emulator this script started (and nothing else)
#   localstack/emulator.sh status
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
run="$here/.run"
pidfile="$run/moto.pid"
logfile="$run/moto.log"
host="127.0.0.1"
port="${EMULATOR_PORT:-4566}"
url="http://$host:$port"

answers() { curl -fsS -o /dev/null --max-time 2 "$url/_aws/ses?to=-" 2>/dev/null; }

install() {
  local stamp="$venv/.requirements.sha256"
  local want
  want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
  if [[ -x "$venv/bin/moto_server" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  echo "Installing the local AWS emulator into localstack/.venv ..."
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$here/requirements.txt"
  echo "$want" > "$stamp"
}

ours_running() { [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

start() {
  if ours_running && answers; then
    echo "Emulator already running at $url (pid $(cat "$pidfile"))."
    return 0
  fi
  if answers; then
    echo "Something else already answers at $url; stop it, or set AWS_ENDPOINT_URL to use it on purpose." >&2
    return 1
  fi
  install
  mkdir -p "$run"
  nohup "$venv/bin/python" "$here/emulator.py" "$host" "$port" > "$logfile" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 100); do
    if answers; then
      echo "Emulator running at $url (pid $(cat "$pidfile"), log localstack/.run/moto.log)."
      return 0
    fi
    if ! ours_running; then break; fi
    sleep 0.2
  done
  echo "The emulator did not start; its log:" >&2
  tail -n 30 "$logfile" >&2 || true
  stop
  return 1
}

stop() {
  if ours_running; then
    local pid
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    echo "Emulator stopped."
  fi
  rm -f "$pidfile"
}

status() {
  if ours_running && answers; then echo "running at $url (pid $(cat "$pidfile"))";
  elif answers; then echo "something else answers at $url";
  else echo "not running"; return 1; fi
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
