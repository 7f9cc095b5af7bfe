#!/usr/bin/env bash
# `make run`: the agent on this machine (simulated attestation) with a development identity that
# survives restarts. A dev-kms stand-in for AWS KMS (keys in SCRATCH/dev-kms) seals the agent's key
# and state in SCRATCH/state, so the address, variables, nonces and audit log are the same after a
# restart. NEW_IDENTITY=1 starts a fresh identity on purpose (the old files stay as *.replaced);
# removing SCRATCH/state forgets it. The development key's policy is not locked to any code, so the
# identity survives rebuilds too; /config says so (identity.custody.locked: false).
#
#   scripts/run-local.sh SCRATCH PORT TEE_NAME OPERATOR_ADDRESS [NEW_IDENTITY]
#
# Both processes stop together (Ctrl-C, or either one ending).
set -euo pipefail

if [ "$#" -lt 4 ] || [ "$#" -gt 5 ]; then
  echo "usage: $0 SCRATCH PORT TEE_NAME OPERATOR_ADDRESS [NEW_IDENTITY]" >&2
  exit 2
fi
scratch=$1
port=$2
tee_name=$3
operator=$4
new_identity=${5:-}
root=$(cd "$(dirname "$0")/.." && pwd)
kms_dir=$scratch/dev-kms
state_dir=$scratch/state

die() {
  echo "run-local: $*" >&2
  exit 1
}
case "$new_identity" in
  "" | 0) new_identity= ;;
  1) ;;
  *) die "NEW_IDENTITY must be 1 (or empty), got '$new_identity'" ;;
esac

mkdir -p "$kms_dir" "$state_dir"
rm -f "$kms_dir/endpoint"
"$root/tee-agent" dev-kms --port 0 --data-dir "$kms_dir" \
  --simulated-ca "$state_dir/simulated-ca.properties" \
  --dev-key-out "$kms_dir/key-id" --endpoint-out "$kms_dir/endpoint" &
kms_pid=$!
trap 'kill "$kms_pid" 2>/dev/null || true' EXIT

waited=0
until [ -s "$kms_dir/endpoint" ]; do
  kill -0 "$kms_pid" 2>/dev/null || die "dev-kms did not start (see above)"
  [ "$waited" -lt 600 ] || die "dev-kms did not listen within 60s"
  sleep 0.1
  waited=$((waited + 1))
done

flags=()
if [ -n "$new_identity" ]; then
  flags+=(--new-identity)
  echo "run-local: NEW_IDENTITY=1: a new key and empty state replace the identity in $state_dir" >&2
fi
# dev-kms accepts any credentials (it does not check SigV4); the SDK only needs some.
AWS_ACCESS_KEY_ID=dev-kms AWS_SECRET_ACCESS_KEY=dev-kms "$root/tee-agent" serve \
  --port "$port" --tee-name "$tee_name" --operator "$operator" --attestation simulated \
  --simulated-root-out "$scratch/simulated-root.pem" --simulated-pcrs-out "$scratch/pcrs.json" \
  --state-dir "$state_dir" --kms-key-id "$(cat "$kms_dir/key-id")" --kms-region us-east-1 \
  --kms-endpoint "$(cat "$kms_dir/endpoint")" ${flags[@]+"${flags[@]}"}
