#!/usr/bin/env bash
# What storing the sealed state costs per accepted change (serve --state-dir), vs signing one
# answer in the same run. Usage: bench/sealed-state.sh [rounds] [folder]   (default 9, target/)
exec "$(dirname "$0")/run-java.sh" dev.teeagent.bench.SealedStateBench "$@"
