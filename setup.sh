#!/usr/bin/env bash
# One-time (and idempotent) set-up of an Amazon Linux 2023 EC2 instance launched with Nitro
# Enclaves enabled, for building and running the agent's enclave:
#
#   sudo ./setup.sh
#
# Installs nitro-cli, Docker, the build tools (make, git, jq), tmux and a JDK 25 (Amazon Corretto:
# ./tee-agent runs the host's state store with it), makes the state store's folder
# /var/lib/tee-agent/state (for images built with KMS_KEY_ID), reserves enclave memory
# and CPUs (enclave/allocator.yaml; ENCLAVE_MEMORY_MIB / ENCLAVE_CPU_COUNT override it), enables the
# services, adds the invoking user to the ne and docker groups, and installs gvproxy from a pinned
# release after checking its SHA-256. Running it again changes nothing that is already right.
# It refuses to run anywhere but on Amazon Linux 2023 with a Nitro Enclaves device.
set -euo pipefail
cd "$(dirname "$0")"

GVPROXY_VERSION=v0.8.9
GVPROXY_SHA256=3011c5629c9138d2050fb23c510e09ae53e30ec52e6a9ab85632bc1550e8ef63
GVPROXY_URL=https://github.com/containers/gvisor-tap-vsock/releases/download/$GVPROXY_VERSION/gvproxy-linux-amd64
GVPROXY_BIN=/usr/local/bin/gvproxy
ALLOCATOR=/etc/nitro_enclaves/allocator.yaml
STATE_DIR=${STATE_DIR:-/var/lib/tee-agent/state}
# Where the checks look; tests point them at fakes.
OS_RELEASE=${OS_RELEASE:-/etc/os-release}
PCI_DEVICES=${PCI_DEVICES:-/sys/bus/pci/devices}

log() { printf 'setup: %s\n' "$*"; }
die() {
  printf 'setup: %s\n' "$*" >&2
  exit 1
}

# ---- refuse early, before changing anything -------------------------------------------------------
os_field() { sed -n "s/^$1=//p" "$OS_RELEASE" 2>/dev/null | tr -d '"'; }
[ "$(os_field ID):$(os_field VERSION_ID)" = "amzn:2023" ] ||
  die "this script sets up Amazon Linux 2023 hosts; this is $(os_field PRETTY_NAME)"
[ "$(uname -m)" = x86_64 ] || die "the enclave image is built for x86_64; this machine is $(uname -m)"

# The Nitro Enclaves PCI device (Amazon vendor 0x1d0f, device 0xe4c1) exists only on instances
# launched with enclave support (EnclaveOptions.Enabled=true).
has_enclave_device() {
  local dev
  for dev in "$PCI_DEVICES"/*; do
    if [ "$(cat "$dev/vendor" 2>/dev/null)" = 0x1d0f ] && [ "$(cat "$dev/device" 2>/dev/null)" = 0xe4c1 ]; then
      return 0
    fi
  done
  [ -e /dev/nitro_enclaves ]
}
has_enclave_device || die "this instance has no Nitro Enclaves support. Stop it and enable enclaves
  (aws ec2 modify-instance-attribute is not enough: launch with --enclave-options Enabled=true, on a
  type that supports them, e.g. m5.xlarge or c6i.xlarge, with at least 4 vCPUs)"
[ "$(id -u)" -eq 0 ] || die "run it as root: sudo ./setup.sh"

# ---- packages ----------------------------------------------------------------------------------------
log "installing nitro-cli, docker and build tools"
# (curl is already there as curl-minimal, which conflicts with the full curl package.)
dnf install -q -y aws-nitro-enclaves-cli aws-nitro-enclaves-cli-devel docker make git jq tmux \
  java-25-amazon-corretto-devel

# ---- enclave resources -------------------------------------------------------------------------------
memory=${ENCLAVE_MEMORY_MIB:-$(sed -n 's/^memory_mib: *//p' enclave/allocator.yaml)}
cpus=${ENCLAVE_CPU_COUNT:-$(sed -n 's/^cpu_count: *//p' enclave/allocator.yaml)}
[[ $memory =~ ^[1-9][0-9]*$ ]] || die "ENCLAVE_MEMORY_MIB must be a number of MiB, got '$memory'"
[[ $cpus =~ ^[1-9][0-9]*$ ]] || die "ENCLAVE_CPU_COUNT must be a positive integer, got '$cpus'"
wanted=$(sed -e "s/^memory_mib: .*/memory_mib: $memory/" -e "s/^cpu_count: .*/cpu_count: $cpus/" enclave/allocator.yaml)
allocator_changed=0
if [ "$(cat "$ALLOCATOR" 2>/dev/null)" != "$wanted" ]; then
  log "reserving ${memory} MiB and ${cpus} vCPUs for enclaves in $ALLOCATOR"
  printf '%s\n' "$wanted" >"$ALLOCATOR"
  allocator_changed=1
fi

# ---- services and groups -----------------------------------------------------------------------------
systemctl enable --now docker.service
systemctl enable nitro-enclaves-allocator.service
if [ "$allocator_changed" = 1 ]; then
  systemctl restart nitro-enclaves-allocator.service
else
  systemctl start nitro-enclaves-allocator.service
fi
user=${SUDO_USER:-ec2-user}
if id "$user" >/dev/null 2>&1; then
  usermod -aG ne,docker "$user"
  log "$user is in the ne and docker groups (log in again for it to take effect)"
fi

# ---- the state store's folder: the sealed identity lives here across enclave and host restarts ------
# Only sealed blobs are kept in it; it is still the one copy of the agent's identity: back it up.
install -d -m 0700 "$STATE_DIR"
if id "$user" >/dev/null 2>&1; then
  chown "$user" "$STATE_DIR"
fi

# ---- gvproxy -----------------------------------------------------------------------------------------
if [ -x "$GVPROXY_BIN" ] && echo "$GVPROXY_SHA256  $GVPROXY_BIN" | sha256sum --check --status; then
  log "gvproxy $GVPROXY_VERSION already installed"
else
  log "installing gvproxy $GVPROXY_VERSION"
  download=$(mktemp)
  trap 'rm -f "$download"' EXIT
  curl --fail --silent --show-error --location --output "$download" "$GVPROXY_URL"
  echo "$GVPROXY_SHA256  $download" | sha256sum --check --status ||
    die "gvproxy download does not match its pinned SHA-256 ($GVPROXY_SHA256): not installed"
  install -m 0755 "$download" "$GVPROXY_BIN"
fi

log "done. Next: make eif OPERATOR_ADDRESS=0x… [KMS_KEY_ID=… KMS_REGION=…]; tmux new-session -d -s gvproxy ./gvproxy.sh; tmux new-session -d -s state-store './tee-agent state-store --dir $STATE_DIR'; sudo ./run-enclave.sh build/tee-agent.eif"
