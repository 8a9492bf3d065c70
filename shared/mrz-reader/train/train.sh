#!/usr/bin/env bash
# Trains the glyph classifier from nothing but this crate, Debian's fonts and PyPI:
# prints synthetic documents in the fonts of fonts.txt, cuts their cells as the reader
# does, trains the perceptron and writes model/glyphs.bin. About 15 minutes and 9 GB
# on two cores. Run from anywhere. WORK (default a new temporary folder, printed) keeps
# the cells, about 300 MB; DOCUMENTS (default 4500) sets how many are printed. Needs
# python3 with venv; installs the fonts itself when run as root.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
crate="$(dirname "$here")"
root="$(cd "$crate/../.." && pwd)"
work="${WORK:-$(mktemp -d)}"
documents="${DOCUMENTS:-4500}"

# The fonts, as Debian 12 packages them.
packages=(fonts-freefont-ttf=20120503-10 fonts-courier-prime=0+git20190115-3
  fonts-dejavu-core=2.37-6 fonts-liberation=1:1.07.4-11 fonts-noto-mono=20201225-1
  fonts-inconsolata=001.010-6)
missing=()
while read -r font; do
  case "$font" in '#'* | '') continue ;; /*) [ -f "$font" ] || missing+=("$font") ;; esac
done < "$here/fonts.txt"
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q && apt-get install -y -q "${packages[@]}"
  else
    echo "missing fonts (install ${packages[*]}): ${missing[*]}" >&2
    exit 1
  fi
fi

venv="$here/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q -r "$here/requirements.txt"

echo "cells in $work"
started=$(date +%s)
cargo build --release --manifest-path "$root/Cargo.toml" -p mrz-reader --example glyph-cells
fonts=()
while read -r font; do
  case "$font" in '#'* | '') continue ;; /*) fonts+=(--font "$font") ;; *) fonts+=(--font "$crate/$font") ;; esac
done < "$here/fonts.txt"
cells="${CARGO_TARGET_DIR:-$root/target}/release/examples/glyph-cells"
# Training and validation documents come from seeds no measurement or test uses
# (`mrz-synth --seed K` draws from K × 1,000,003, the tests from below 1,000).
"$cells" --out "$work/train.bin" --documents "$documents" --first-seed 5000000000 "${fonts[@]}"
"$cells" --out "$work/validate.bin" --documents $((documents / 10)) --first-seed 6000000000 "${fonts[@]}"
"$venv/bin/python" "$here/train.py" --train "$work/train.bin" --validate "$work/validate.bin" \
  --out "$crate/model/glyphs.bin"
echo "trained in $(($(date +%s) - started)) s"
