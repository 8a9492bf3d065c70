#!/usr/bin/env bash
# The portal's end-to-end tests: Playwright (pinned in package-lock.json) drives Debian's
# Chromium through the whole system. It installs Chromium when missing and we are root,
# starts the emulator (unless AWS_ENDPOINT_URL names one) and a dev host of its own on
# 127.0.0.1:3078, and stops both. Extra arguments go to `playwright test`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

# Debian's security archive keeps only the current Chromium build: the one we tested
# with while it is offered, otherwise the current one (Playwright drives both). As root
# on Debian it is installed over any other build; elsewhere a chromium must be there.
CHROMIUM_VERSION="156.0.8078.129-1~deb12u1"
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  if [[ "$(dpkg-query -W -f='${Version}' chromium 2>/dev/null)" != "$CHROMIUM_VERSION" ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    package="chromium"
    if apt-cache madison chromium | grep -qF " ${CHROMIUM_VERSION} "; then
      package="chromium=${CHROMIUM_VERSION} chromium-common=${CHROMIUM_VERSION}"
    else
      echo "chromium ${CHROMIUM_VERSION} is no longer offered; installing the current build" >&2
    fi
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends --allow-downgrades $package >/dev/null
  fi
elif ! command -v chromium >/dev/null; then
  echo "the portal tests need Debian's chromium: apt-get install chromium" >&2
  exit 1
fi
command -v npm >/dev/null || { echo "the portal tests need Node.js 20 and npm" >&2; exit 1; }
# The talon's QR code is read off its PDF as drawn by poppler (localstack/test.sh installs it).
command -v pdftoppm >/dev/null || { echo "the portal tests need pdftoppm: apt-get install poppler-utils" >&2; exit 1; }
echo "portal tests: $(chromium --version 2>/dev/null | head -1)"

# Exactly what the lock file names, installed again when it changes; no browser
# download (there is none to make).
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
stamp="web/e2e/node_modules/.lock.sha256"
want="$(sha256sum web/e2e/package-lock.json | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  (cd web/e2e && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi

# shellcheck source=../../localstack/system.sh
source "$root/localstack/system.sh"
trap stop_started EXIT
use_emulator
export PORTAL_URL="http://127.0.0.1:${PORTAL_PORT:-3078}"
export ADMIN_PASSWORD="Adm-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')-K7"
RESOURCE_PREFIX="mig-e2e-$$" WEB_ROOT="$root/web" start_dev_host "${PORTAL_URL#http://}" target/portal-dev-host.log
cd web/e2e
npx playwright test "$@"
