#!/usr/bin/env bash
# What a sealed identity costs where it shows: a start with unseal and a first sealed start vs a
# start without --state-dir; an accepted batch and a signed transaction with the snapshot stored
# before the 200 vs without (dev-kms and the agents in one JVM, anvil beside). Needs npm ci (anvil).
# Usage: bench/sealed-boot.sh [rounds]   (default 7)
exec "$(dirname "$0")/run-java.sh" dev.teeagent.bench.SealedBootBench "$@"
