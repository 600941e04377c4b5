#!/usr/bin/env bash
# rootguard benchmark: generated monorepos of several sizes, rootguard beside a `cat` of the same
# tree, peak memory, the verdicts against the generator's EXPECTED.json, a landing-zone run, and
# (with --peers) cfn-guard, cfn-lint and Checkov on the same trees when they are installed.
#
#   bench/run.sh                      # 1k, 10k and 50k files
#   bench/run.sh --sizes "1000 10000" --runs 5
#   bench/run.sh --peers              # also time the peer tools (slow)
#   bench/run.sh --install-peers      # pip install cfn-lint checkov; cargo install cfn-guard
#
# Needs hyperfine (Debian: apt-get install hyperfine), python3 and GNU time (/usr/bin/time).
# Trees go to $ROOTGUARD_BENCH_DIR (default /tmp/rootguard-bench) and are reused across runs.
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES="1000 10000 50000"
RUNS=10
PEERS=0
INSTALL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --peers) PEERS=1; shift ;;
    --install-peers) INSTALL=1; PEERS=1; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
GEN=../shared/tools/gen-monorepo.py
WORK=${ROOTGUARD_BENCH_DIR:-/tmp/rootguard-bench}
mkdir -p "$WORK"
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time" >&2; exit 2; }
[ -f "$GEN" ] || { echo "$GEN not found (../shared beside the project)" >&2; exit 2; }
if [ "$INSTALL" = 1 ]; then
  pip install -q cfn-lint checkov || true
  cargo install -q cfn-guard || true
fi

cargo build --release -q
RG=$PWD/target/release/rootguard
# the generator plants registry and git module sources that no static scanner can read
KNOWN=(--known-module 'terraform-aws-modules/*' --known-module 'git::ssh://git@git.example.internal/**')

peak_kb() { # peak RSS in KB of a command, best of 3
  local best=0 kb
  for _ in 1 2 3; do
    /usr/bin/time -f '%M' -o "$WORK/time.txt" "$@" >/dev/null 2>&1 || true
    kb=$(tail -1 "$WORK/time.txt")
    [ "$kb" -gt "$best" ] && best=$kb
  done
  echo "$best"
}
mean_s() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(' '.join('%.3f' % x['mean'] for x in r))" "$1"; }

echo "# rootguard benchmark"
echo
echo "$(date -u +%Y-%m-%d), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB;"
echo "rootguard $($RG --version | cut -d' ' -f2), hyperfine $RUNS runs after 2 warm-ups (warm page cache)."
echo
echo "| files | MB | cat (s) | rootguard check (s) | ratio | peak RSS (MB) | verdicts |"
echo "|---:|---:|---:|---:|---:|---:|---|"
for n in $SIZES; do
  tree=$WORK/mono-$n
  [ -f "$tree/EXPECTED.json" ] || python3 "$GEN" --files "$n" --seed 1 --out "$tree" --force >/dev/null
  mb=$(du -sm --apparent-size "$tree" | cut -f1)
  json=$WORK/hyperfine-$n.json
  hyperfine -N --style none --warmup 2 --runs "$RUNS" -i --export-json "$json" \
    "find $tree -type f -exec cat {} +" \
    "$RG check $tree --format json ${KNOWN[*]}" >/dev/null 2>&1
  read -r cat_s rg_s <<<"$(mean_s "$json")"
  ratio=$(python3 -c "print('%.2f' % ($rg_s / $cat_s))")
  kb=$(peak_kb "$RG" check "$tree" --format json "${KNOWN[@]}")
  got=$("$RG" check "$tree" --format json --fail-on never "${KNOWN[@]}" | python3 -c "
import json, sys
got = {k: v['status'] for k, v in json.load(sys.stdin)['summary']['guardrails'].items()}
want = json.load(open(sys.argv[1]))['expected_guardrails']
bad = [f'{k}: {got.get(k)} (expected {v})' for k, v in want.items() if got.get(k) != v]
print('as expected' if not bad else 'WRONG: ' + '; '.join(bad))" "$tree/EXPECTED.json")
  echo "| $n | $mb | $cat_s | $rg_s | $ratio | $((kb / 1024)) | $got |"
done
echo
lz=testdata/landing-zone
json=$WORK/hyperfine-lz.json
hyperfine -N --style none --warmup 3 --runs 30 -i --export-json "$json" "$RG check $lz --format json" >/dev/null 2>&1
echo "Landing zone ($lz, $(find $lz -type f | wc -l) files), process start included: $(python3 -c "import json; print('%.1f ms' % (json.load(open('$json'))['results'][0]['mean'] * 1000))")"
echo
echo "Phases of the largest tree (\`--timings\`):"
echo
echo '```'
last=$(echo "$SIZES" | awk '{print $NF}')
"$RG" check "$WORK/mono-$last" --format json --fail-on never --timings "${KNOWN[@]}" 2>&1 >/dev/null
echo '```'

if [ "$PEERS" = 1 ]; then
  tree=$WORK/mono-1000
  [ -f "$tree/EXPECTED.json" ] || python3 "$GEN" --files 1000 --seed 1 --out "$tree" --force >/dev/null
  echo
  echo "Peers on the 1,000-file tree (one run each; GNU time):"
  echo
  echo "| tool | what | wall (s) | peak RSS (MB) |"
  echo "|---|---|---:|---:|"
  peer() { # name, what, command...
    local name=$1 what=$2; shift 2
    local out
    /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$@" >/dev/null 2>&1 || true
    out=$(tail -1 "$WORK/time.txt")
    echo "| $name | $what | ${out% *} | $(( ${out#* } / 1024 )) |"
  }
  peer rootguard "all formats, all rules" "$RG" check "$tree" --format json "${KNOWN[@]}"
  if command -v cfn-guard >/dev/null; then
    rule=$WORK/root-mfa.guard
    printf 'let r = Resources.*[ Type == "AWS::Config::ConfigRule" ]\nrule root_mfa when %%r !empty { %%r.Properties.Source.SourceIdentifier == "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED" }\n' >"$rule"
    peer cfn-guard "CloudFormation only, one rule" cfn-guard validate -r "$rule" -d "$tree/cloudformation"
  fi
  if command -v cfn-lint >/dev/null; then
    peer cfn-lint "CloudFormation only" cfn-lint "$tree/cloudformation/**/*.yaml" "$tree/cloudformation/**/*.json"
  fi
  if command -v checkov >/dev/null; then
    peer checkov "Terraform + CloudFormation, one check" checkov -d "$tree" --framework terraform,cloudformation --check CKV_AWS_18 --quiet --compact
  fi
fi
