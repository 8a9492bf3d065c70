#!/usr/bin/env bash
# Writes docs/packages.md: for every function, the arm64 package's zip and unzipped
# size, and its cold start (process start to first event handled, `cold-start`) natively
# on x86_64 and as the arm64 bootstrap under qemu-user, each answering its sample from
# events/ against the local AWS endpoint.
#
#   ./infra/build.sh --arm64 && ./infra/build.sh --x86_64 && ./infra/measure.sh
#
# RUNS (default 20) cold starts per function and architecture; the table gives medians.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-20}"

for arch in arm64 x86_64; do
  [[ -d "target/lambda/$arch" ]] || {
    echo "no $arch packages: run ./infra/build.sh --$arch first" >&2
    exit 1
  }
done
if ! command -v qemu-aarch64-static >/dev/null || [[ ! -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -qq qemu-user-static libc6-arm64-cross libgcc-s1-arm64-cross >/dev/null
  else
    echo "needs qemu-user-static, libc6-arm64-cross and libgcc-s1-arm64-cross (Debian)" >&2
    exit 1
  fi
fi
export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu

# Stops what this script started, and only that: the dev host, the emulator when it
# started one, and its scratch directory.
host="" own_emulator="" work="$(mktemp -d)"
cleanup() {
  [[ -n "$host" ]] && kill "$host" 2>/dev/null
  rm -rf "$work"
  [[ -n "$own_emulator" ]] && ./localstack/emulator.sh stop
  return 0
}
trap cleanup EXIT

if [[ -z "${AWS_ENDPOINT_URL:-}" ]]; then
  ./localstack/emulator.sh start
  own_emulator=1
  export AWS_ENDPOINT_URL="http://127.0.0.1:${EMULATOR_PORT:-4566}"
fi
cargo build --quiet --bin dev-host --bin cold-start

# A dev host of its own provisions the resources under its prefix.
prefix=mig-measure
export SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
DEV_HOST_ADDR=127.0.0.1:3078 RESOURCE_PREFIX=$prefix target/debug/dev-host \
  > target/measure-dev-host.log 2>&1 &
host=$!
for _ in $(seq 1 120); do
  curl -sf http://127.0.0.1:3078/health >/dev/null && break
  sleep 1
done
curl -sf http://127.0.0.1:3078/health >/dev/null || {
  echo "the dev host did not start; its log: target/measure-dev-host.log" >&2
  exit 1
}
kill "$host"
wait "$host" 2>/dev/null || true
host=""

# What every function's main reads, as the template sets it.
queue="$AWS_ENDPOINT_URL/123456789012/$prefix"
export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export TABLE_ACCOUNTS=$prefix-accounts TABLE_TOKENS=$prefix-tokens \
  TABLE_NOTIFICATIONS=$prefix-notifications TABLE_DOCUMENTS=$prefix-documents \
  TABLE_REGISTRY=$prefix-property_registry TABLE_HOUSING=$prefix-housing \
  TABLE_STAYS=$prefix-stays TABLE_AUDIT=$prefix-audit TABLE_PAYMENTS=$prefix-payments \
  TABLE_APPLICATIONS=$prefix-applications TABLE_MESSAGES=$prefix-messages \
  TABLE_BORDER=$prefix-border BUCKET_UPLOADS=$prefix-uploads \
  QUEUE_URL_NOTIFICATIONS=$queue-notifications QUEUE_URL_IMAGE_CHECK=$queue-image-check \
  QUEUE_URL_MRZ_EXTRACT=$queue-mrz-extract QUEUE_URL_PAYMENTS=$queue-payments \
  MAIL_FROM=no-reply@migration.local PUBLIC_URL=http://127.0.0.1:3078 RUST_LOG=info \
  PAYMENT_WEBHOOK_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(24))')" \
  PRINT_SIGNING_KEY="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"

# A function's sample with its test-time placeholders filled: an object that is not
# there, an order nobody placed, a signature that does not hold. Each is still handled.
sample() {
  local file
  file="$(ls events/"$1"/*.json | head -1)"
  mkdir -p "$work/samples/$1"
  sed -e "s/{{BUCKET}}/$prefix-uploads/g" -e 's#{{KEY}}#photo/absent#g' \
    -e 's/{{SIZE}}/1000/g' -e 's/{{ORDER_NUMBER}}/PAY-20261123-000001/g' \
    -e "s/{{OCCURRED_AT}}/$(date +%s)/g" -e "s/{{TIMESTAMP}}/$(date +%s)/g" \
    -e 's/{{SIGNATURE}}/0000/g' "$file" > "$work/samples/$1/$(basename "$file")"
  echo "$work/samples/$1/$(basename "$file")"
}

# Medians in ms, tab-separated: cold start, the same event warm, the start alone (cold
# minus warm); FAILED with what the function said.
cold() {
  local out
  out="$(target/debug/cold-start "$@" --runs "$runs" 2>&1)" || { printf 'FAILED\tFAILED\tFAILED'; return; }
  if grep -q ' ERROR ' <<<"$out"; then printf 'FAILED\tFAILED\tFAILED'; grep -m1 ' ERROR ' <<<"$out" >&2; return; fi
  sed -n 's/.* median \([0-9.]*\) ms, p95.*warm: median \([0-9.]*\) ms;.*alone.*median \([0-9.]*\) ms$/\1\t\2\t\3/p' <<<"$out"
}

rows="$work/rows.tsv"
for dir in functions/*/; do
  f="$(basename "$dir")"
  zip="target/lambda/arm64/$f/bootstrap.zip"
  mkdir -p "$work/arm64/$f" "$work/x86_64/$f"
  unzip -q -o "$zip" -d "$work/arm64/$f"
  unzip -q -o "target/lambda/x86_64/$f/bootstrap.zip" -d "$work/x86_64/$f"
  event="$(sample "$f")"
  x86="$(cold --bin "$work/x86_64/$f/bootstrap" --event "$event")"
  arm="$(cold --bin "$work/arm64/$f/bootstrap" --event "$event" --runner "$(command -v qemu-aarch64-static)")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$f" "$(stat -c %s "$zip")" \
    "$(stat -c %s "$work/arm64/$f/bootstrap")" "$x86" "$arm" "$f/$(basename "$event")" >> "$rows"
  echo "$f: x86_64 $x86, arm64 under qemu $arm (cold, warm, start alone; ms)"
done

# The price of reading a secret from Secrets Manager at the cold start: the authorizer
# with its key in the variable, then by its id.
id="$(localstack/.venv/bin/python - <<'EOF'
import os, secrets, boto3
client = boto3.client("secretsmanager", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1")
print(client.create_secret(Name="measure/" + secrets.token_hex(4), SecretString=secrets.token_hex(32))["ARN"])
EOF
)"
event="$(sample authorizer)"
with_value="$(cold --bin "$work/x86_64/authorizer/bootstrap" --event "$event" | cut -f3)"
by_id="$(export SECRET_KEY_SECRET_ID="$id"; unset SECRET_KEY
  cold --bin "$work/x86_64/authorizer/bootstrap" --event "$event" | cut -f3)"

python3 - "$rows" "$runs" "$with_value" "$by_id" <<'EOF' > docs/packages.md
import sys, platform, subprocess
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
runs, with_value, by_id = sys.argv[2], sys.argv[3], sys.argv[4]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
qemu = subprocess.run(["qemu-aarch64-static", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
mb = lambda n: f"{int(n) / 1e6:.2f}"
print("# Lambda packages: size and cold start\n")
print("Written by `infra/measure.sh` from the packages `infra/build.sh` builds; do not edit")
print("by hand. Sizes are of the arm64 package the template deploys (MB of 10^6 bytes).")
print(f"Times are medians of {runs} processes per function, each answering its sample from")
print("`events/` against the local AWS endpoint (`cold-start`): **cold** is process start to")
print("the first event handled; **warm** is the same event handled again by that process;")
print("**start** is cold minus warm, the cost of starting alone. Natively on x86_64, and the")
print("arm64 bootstrap under " + qemu.split(",")[0] + ", which proves each arm64 package starts and")
print(f"answers (emulation makes it several times slower than Graviton). Machine: {cpu}, 2 cores.\n")
print("| function | zip | unzipped | x86_64 cold | warm | start | arm64 (qemu) cold | warm | start | sample |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for f, z, u, xc, xw, xs, ac, aw, as_, e in rows:
    print(f"| {f} | {mb(z)} | {mb(u)} | {xc} | {xw} | {xs} | {ac} | {aw} | {as_} | `{e}` |")
num = lambda v: float(v) if v != "FAILED" else float("inf")
largest = max(rows, key=lambda r: int(r[1]))
slowest = max(rows, key=lambda r: num(r[5]))
print(f"\nLargest zip: {largest[0]}, {mb(largest[1])} MB. Slowest start on x86_64: {slowest[0]}, {slowest[5]} ms.")
over = [r[0] for r in rows if num(r[3]) >= 25]
if over:
    print(f"Cold at or over 25 ms on x86_64, the event's own work included: {', '.join(over)}.")
print("\nThe notifications sample sends two emails and an SMS through the endpoint. Sent once,")
print("they are not sent again (the ledger claims each notification id), so its warm run only")
print("finds them claimed: its cold time is mostly the sending, not the start.")
print("\nReading the hashing key from Secrets Manager instead of a variable (the authorizer,")
print(f"x86_64, one `GetSecretValue` against the local endpoint): start {with_value} ms with the")
print(f"value in the variable, {by_id} ms by its id. On AWS the call is one HTTPS round trip")
print("inside the region, once per cold start; a function with two secrets reads them at once.")
EOF
echo "wrote docs/packages.md"
