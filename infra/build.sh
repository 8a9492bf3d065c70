#!/usr/bin/env bash
# Builds one Lambda package per function: target/lambda/<arch>/<function>/bootstrap.zip.
#
#   ./infra/build.sh                 # arm64, as the template deploys
#   ./infra/build.sh --x86_64        # the same for x86_64 (measuring here)
#   ./infra/build.sh --arm64 authorizer printing   # only these functions
#
# Each function is built on its own, so it links only the AWS clients its crate turns
# on in `adapters` (a workspace-wide build would give every function every client).
# cargo-lambda and zig come pinned from infra/requirements.txt into infra/.venv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

arch=arm64
if [[ "${1:-}" == --arm64 || "${1:-}" == --x86_64 ]]; then
  arch="${1#--}"
  shift
fi
case "$arch" in
  arm64) target=aarch64-unknown-linux-gnu flag=--arm64 ;;
  x86_64) target=x86_64-unknown-linux-gnu flag=--x86-64 ;;
esac

venv="$root/infra/.venv"
if ! cmp -s infra/requirements.txt "$venv/.installed" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r infra/requirements.txt
  cp infra/requirements.txt "$venv/.installed"
fi
# cargo-lambda finds zig through the venv's python (the ziglang package).
export PATH="$venv/bin:$PATH"
rustup target list --installed | grep -qx "$target" || rustup target add "$target"

functions=("$@")
if [[ ${#functions[@]} -eq 0 ]]; then
  for dir in functions/*/; do functions+=("$(basename "$dir")"); done
fi

out="target/lambda/$arch"
started=$SECONDS
for function in "${functions[@]}"; do
  echo "building $function ($arch)"
  cargo lambda build --quiet --release "$flag" --output-format zip \
    --package "$function" --bin "$function" --lambda-dir "$out"
done
echo "built ${#functions[@]} packages in $((SECONDS - started)) s: $out/<function>/bootstrap.zip"
