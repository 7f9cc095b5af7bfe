#!/usr/bin/env bash
# Starts the agent's enclave on this EC2 host (after `sudo ./setup.sh` and `make eif`):
#
#   sudo ./run-enclave.sh build/tee-agent.eif [--debug] [--terminate-running]
#
# A running enclave of the same name is never terminated unless --terminate-running says so: without
# a sealed identity its agent key, its state and the funds at its address die with it. An image
# built with KMS_KEY_ID keeps them in the host's state store (`./tee-agent state-store`, reached by
# the enclave through gvproxy; docs/deploy-ec2.md), which this script checks before starting.
# Settings, from the environment: CPU_COUNT (default 2), MEMORY_MIB (default 2048; at most what
# /etc/nitro_enclaves/allocator.yaml reserves), ENCLAVE_CID (default 16), ENCLAVE_NAME (default
# tee-agent), STATE_STORE_URL (default http://127.0.0.1:7048). --debug starts a debug-mode enclave whose console you can read
# (`nitro-cli console --enclave-name tee-agent`), but whose attestation PCRs are all zeros.
set -euo pipefail

NITRO_CLI=${NITRO_CLI:-nitro-cli}
CPU_COUNT=${CPU_COUNT:-2}
MEMORY_MIB=${MEMORY_MIB:-2048}
ENCLAVE_CID=${ENCLAVE_CID:-16}
ENCLAVE_NAME=${ENCLAVE_NAME:-tee-agent}
STATE_STORE_URL=${STATE_STORE_URL:-http://127.0.0.1:7048}
STATE_DIR_HINT=/var/lib/tee-agent/state

usage() {
  echo "usage: $0 <image.eif> [--debug] [--terminate-running]" >&2
  echo "  --terminate-running  terminate a running enclave of the same name first: its agent key, its" >&2
  echo "                       variables and the funds at its address are lost for good" >&2
  echo "  env: CPU_COUNT=$CPU_COUNT MEMORY_MIB=$MEMORY_MIB ENCLAVE_CID=$ENCLAVE_CID ENCLAVE_NAME=$ENCLAVE_NAME" >&2
  exit "${1:-2}"
}
die() {
  echo "run-enclave: $*" >&2
  exit 1
}
is_count() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }

eif=
debug=0
terminate_running=0
for arg in "$@"; do
  case "$arg" in
    --debug) debug=1 ;;
    --terminate-running) terminate_running=1 ;;
    -h | --help) usage 0 ;;
    -*) echo "run-enclave: unknown option $arg" >&2 && usage ;;
    *)
      [ -z "$eif" ] || { echo "run-enclave: only one image, got '$eif' and '$arg'" >&2 && usage; }
      eif=$arg
      ;;
  esac
done
[ -n "$eif" ] || usage
[ -f "$eif" ] || die "no such image: $eif (build it with: make eif OPERATOR_ADDRESS=0x…)"
[ -r "$eif" ] || die "cannot read $eif"
is_count "$CPU_COUNT" || die "CPU_COUNT must be a positive integer, got '$CPU_COUNT'"
is_count "$MEMORY_MIB" || die "MEMORY_MIB must be a positive integer (MiB), got '$MEMORY_MIB'"
# CIDs 0-2 are reserved (3 is the parent instance); the enclave's must be 4 or more.
if ! is_count "$ENCLAVE_CID" || [ "$ENCLAVE_CID" -lt 4 ]; then
  die "ENCLAVE_CID must be an integer >= 4, got '$ENCLAVE_CID'"
fi
[[ $ENCLAVE_NAME =~ ^[A-Za-z0-9._-]+$ ]] || die "ENCLAVE_NAME may hold letters, digits, '.', '_' and '-', got '$ENCLAVE_NAME'"
command -v "$NITRO_CLI" >/dev/null || die "$NITRO_CLI not found: run sudo ./setup.sh first"
command -v jq >/dev/null || die "jq not found: run sudo ./setup.sh first"
command -v curl >/dev/null || die "curl not found"

# What the host's state store holds: a sealed identity (HTTP 200), none yet (404), or no store.
store_status=$(curl --silent --output /dev/null --max-time 5 --write-out '%{http_code}' \
  "$STATE_STORE_URL/v1/blobs/identity.sealed" 2>/dev/null) || store_status=unreachable

running=$("$NITRO_CLI" describe-enclaves | jq -r --arg name "$ENCLAVE_NAME" '.[] | select(.EnclaveName == $name) | .EnclaveID')
ids=$(echo "$running" | tr '\n' ' ' | sed 's/ $//')
if [ -n "$running" ] && [ "$terminate_running" != 1 ]; then
  if [ "$store_status" = 200 ]; then
    echo "run-enclave: enclave $ENCLAVE_NAME is running ($ids). Its identity is sealed in the state store at $STATE_STORE_URL, so an image built with the same KMS key and code comes back with the same address and state; an image with other code cannot open it (its key policy names this code's PCR0). Nothing was changed. To restart it, run again with --terminate-running." >&2
  else
    echo "run-enclave: enclave $ENCLAVE_NAME is running ($ids): terminating it destroys its agent key, its variables and the funds at its address for good. Nothing was changed. To replace it anyway, move the funds out first, then run again with --terminate-running (or choose another ENCLAVE_NAME and ENCLAVE_CID)." >&2
  fi
  exit 1
fi
for id in $running; do
  if [ "$store_status" = 200 ]; then
    echo "run-enclave: terminating running enclave $ENCLAVE_NAME ($id): its sealed identity stays in the state store"
  else
    echo "run-enclave: terminating running enclave $ENCLAVE_NAME ($id): its key and state are lost"
  fi
  "$NITRO_CLI" terminate-enclave --enclave-id "$id" >/dev/null
done
case "$store_status" in
  200) echo "run-enclave: the state store at $STATE_STORE_URL holds a sealed identity: an image built with its KMS key restores it" ;;
  404) echo "run-enclave: the state store at $STATE_STORE_URL is empty: an image built with KMS_KEY_ID creates its identity there at this start" ;;
  *)
    echo "run-enclave: no state store answers at $STATE_STORE_URL: an image built with KMS_KEY_ID will refuse to start (one without it makes a new identity, as always). Start the store first: tmux new-session -d -s state-store './tee-agent state-store --dir $STATE_DIR_HINT'" >&2
    ;;
esac

args=(run-enclave --eif-path "$eif" --cpu-count "$CPU_COUNT" --memory "$MEMORY_MIB"
  --enclave-cid "$ENCLAVE_CID" --enclave-name "$ENCLAVE_NAME")
if [ "$debug" = 1 ]; then
  args+=(--debug-mode)
  cat >&2 <<'WARNING'
##########################################################################################
#  DEBUG MODE: this enclave's attestation documents carry ALL-ZERO PCRs.                 #
#  They prove nothing about the code: verifiers refuse them (unless told to accept        #
#  debug mode), and the host can read the console. Use it only to develop and debug.      #
##########################################################################################
WARNING
fi

echo "run-enclave: $NITRO_CLI ${args[*]}"
"$NITRO_CLI" "${args[@]}"
"$NITRO_CLI" describe-enclaves
if [ "$debug" = 1 ]; then
  echo "run-enclave: DEBUG MODE, PCRs are zero. Console: $NITRO_CLI console --enclave-name $ENCLAVE_NAME" >&2
fi
echo "run-enclave: with ./gvproxy.sh running, the agent answers at http://127.0.0.1:7047/api/v1/config"
echo "run-enclave: and over HTTPS terminated in the enclave at https://127.0.0.1:7443 (pin: tee-agent verify --url https://127.0.0.1:7443 ...)"
