#!/usr/bin/env bash
# The enclave's network, on the parent EC2 host (DESIGN §6): gvproxy listens on vsock port 1024 for
# the enclave's gvforwarder and on a unix socket for its HTTP API, through which the enclave's ports
# 7047 (plain HTTP) and 7443 (HTTPS terminated inside the enclave) are exposed on this host. gvproxy
# is restarted whenever it dies, and the ports exposed again.
# Keep it running, e.g. in tmux (setup.sh installs it):  tmux new-session -d -s gvproxy ./gvproxy.sh
#
# Settings, from the environment: EXPOSE_PORTS (space-separated, default "7047 7443"), EXPOSE_HOST
# (the host address to listen on, default all), GVPROXY (default /usr/local/bin/gvproxy, installed
# by setup.sh), GVPROXY_SOCKET (default /tmp/network.sock), VSOCK_PORT (default 1024).
set -euo pipefail

GVPROXY=${GVPROXY:-/usr/local/bin/gvproxy}
SOCKET=${GVPROXY_SOCKET:-/tmp/network.sock}
VSOCK_PORT=${VSOCK_PORT:-1024}
EXPOSE_PORTS=${EXPOSE_PORTS:-7047 7443}
EXPOSE_HOST=${EXPOSE_HOST:-}
ENCLAVE_IP=192.168.127.2
RESTART_DELAY=${RESTART_DELAY:-2}

log() { printf '%s gvproxy.sh: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
die() {
  log "$*" >&2
  exit 1
}

[ -x "$GVPROXY" ] || die "$GVPROXY not found or not executable: run sudo ./setup.sh first"
command -v curl >/dev/null || die "curl not found"
for port in $EXPOSE_PORTS; do
  if ! [[ $port =~ ^[1-9][0-9]{0,4}$ ]] || [ "$port" -gt 65535 ]; then
    die "EXPOSE_PORTS: '$port' is not a TCP port"
  fi
done

gvproxy_pid=
stop() {
  log "stopping"
  if [ -n "$gvproxy_pid" ]; then
    kill "$gvproxy_pid" 2>/dev/null || true
    wait "$gvproxy_pid" 2>/dev/null || true
  fi
  rm -f "$SOCKET"
  exit 0
}
trap stop INT TERM

# Waits for gvproxy's API socket, then asks it to forward each port to the enclave.
expose_ports() {
  local waited=0
  until [ -S "$SOCKET" ]; do
    kill -0 "$gvproxy_pid" 2>/dev/null || return 1
    [ "$waited" -lt 100 ] || {
      log "no API socket at $SOCKET after 10s"
      return 1
    }
    sleep 0.1
    waited=$((waited + 1))
  done
  for port in $EXPOSE_PORTS; do
    local body="{\"local\":\"$EXPOSE_HOST:$port\",\"remote\":\"$ENCLAVE_IP:$port\",\"protocol\":\"tcp\"}"
    if curl --silent --show-error --fail --unix-socket "$SOCKET" \
      -X POST -H 'Content-Type: application/json' -d "$body" \
      http://gvproxy/services/forwarder/expose; then
      log "exposed $EXPOSE_HOST:$port -> $ENCLAVE_IP:$port"
    else
      log "could not expose port $port"
      return 1
    fi
  done
}

while true; do
  rm -f "$SOCKET"
  log "starting $GVPROXY on vsock://:$VSOCK_PORT and unix://$SOCKET"
  "$GVPROXY" -listen "vsock://:$VSOCK_PORT" -listen "unix://$SOCKET" &
  gvproxy_pid=$!
  if ! expose_ports; then
    log "port forwarding failed; restarting gvproxy"
    kill "$gvproxy_pid" 2>/dev/null || true
  fi
  status=0
  wait "$gvproxy_pid" || status=$?
  gvproxy_pid=
  log "gvproxy exited with status $status; restarting in ${RESTART_DELAY}s"
  sleep "$RESTART_DELAY"
done
