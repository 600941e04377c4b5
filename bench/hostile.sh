#!/usr/bin/env bash
# The hostile-input suite on a release build: every case must end in under 1 s and 200 MB with
# the diagnostics and exit code it names. bash bench/hostile.sh [--table] [--filter TEXT]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
exec python3 bench/hostile/run.py --binary target/release/rootguard "$@"
