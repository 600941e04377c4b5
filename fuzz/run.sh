#!/usr/bin/env bash
# Run the fuzz targets: bash fuzz/run.sh [SECONDS] [TARGET...]
# Each target runs for SECONDS (default 600) on one core with its seed corpus: the project's
# testdata/ (and ../shared/corpus when it is beside the project, read from there, never copied).
# Findings land in fuzz/artifacts/<target>/; turn each into a regression input under
# testdata/hostile/ (tests/hostile.rs runs them all in CI). A summary line per target goes to
# fuzz/runs.log.
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(yaml json hcl scp plan config evidence)
root=..
shared=../../shared/corpus
seeds() { # target → seed files
  local globs
  case "$1" in
    yaml) globs='*.yaml *.yml *.template' ;;
    json|scp|plan) globs='*.json' ;;
    hcl) globs='*.tf *.tfvars' ;;
    config) globs='.rootguard.yml *.rootguard.yml config*.yml' ;;
    evidence) globs='*.json *.csv' ;;
  esac
  for d in "$root/testdata" "$shared"; do
    [ -d "$d" ] || continue
    for g in $globs; do find "$d" -type f -name "$g" -size -256k; done
  done | sort -u
}
# build once, then run the binaries (edits to the project during a run do not rebuild)
[ "${ROOTGUARD_FUZZ_NO_BUILD:-}" = 1 ] || cargo +nightly fuzz build >/dev/null
bin=target/$(rustc -vV | sed -n 's/^host: //p')/release
for t in "${targets[@]}"; do
  corpus=corpus/$t
  mkdir -p "$corpus" "artifacts/$t"
  seed=$(mktemp -d)
  i=0
  while read -r f; do cp "$f" "$seed/$i"; i=$((i + 1)); done < <(seeds "$t")
  log=$(mktemp)
  "$bin/$t" "$corpus" "$seed" -artifact_prefix="artifacts/$t/" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=1048576 2>&1 | tee "$log" | grep -E "DONE|ERROR|SUMMARY|crash-|timeout-|oom-|Test unit written" || true
  execs=$(grep -oE "^#[0-9]+" "$log" | tail -1 | tr -d '#')
  crashes=$(find "artifacts/$t" -type f | wc -l)
  echo "$(date -u +%Y-%m-%dT%H:%MZ) $t ${secs}s seeds=$i executions=${execs:-0} artifacts=$crashes" | tee -a runs.log
  rm -rf "$seed" "$log"
done
