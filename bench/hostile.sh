#!/usr/bin/env bash
# Time and peak memory of a release build on 1 MB hostile files (the limits of README's Security
# section): bash bench/hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
RG=$PWD/target/release/rootguard
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
python3 - "$W" <<'PY'
import os, sys
w = sys.argv[1]
n = 1 << 19
def put(name, text):
    d = os.path.join(w, name.split('/')[0])
    os.makedirs(d, exist_ok=True)
    open(os.path.join(w, name), 'w').write(text)
put('json/deep.json', '{"Statement": ' + '[' * n + ']' * n + '}')
put('yaml/deep.yaml', '# AWS::Config\nResources: ' + '[' * n + ']' * n + '\n')
put('hcl/main.tf', 'resource "aws_config_config_rule" "r" {\n  name = ' + '(' * n + '1' + ')' * n + '\n}\n')
y = "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  a0: &a0 [" + ', '.join(['lol'] * 10) + ']\n'
for i in range(1, 30):
    y += f'  a{i}: &a{i} [' + ', '.join([f'*a{i-1}'] * 10) + ']\n'
y += 'Resources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      Source: *a29\n'
put('aliases/laughs.yaml', y + '#' * (1 << 20))
tf = 'locals {\n  s0 = "xxxxxxxxxxxxxxxx"\n' + ''.join(f'  s{i} = "${{local.s{i-1}}}${{local.s{i-1}}}"\n' for i in range(1, 40))
tf += '  l0 = [1, 2]\n' + ''.join(f'  l{i} = concat(local.l{i-1}, local.l{i-1})\n' for i in range(1, 40)) + '}\n'
tf += 'resource "aws_organizations_policy" "s" {\n  name = "s"\n  count = 1000000000\n  content = jsonencode([local.s39, local.l39])\n}\n'
put('terraform/main.tf', tf + '#' * (1 << 20))
big = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n' + ''.join(
    f'  R{i}:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      Source: {{Owner: AWS, SourceIdentifier: !Sub "${{AWS::Region}}-{i}"}}\n' for i in range(9000))
put('wide/many-rules.yaml', big)
PY
echo "| input | bytes | wall (s) | peak RSS (MB) | exit |"
echo "|---|---:|---:|---:|---:|"
for d in "$W"/*/; do
  f=$(find "$d" -type f | head -1)
  set +e
  /usr/bin/time -f '%e %M' -o "$W/t" "$RG" check "$d" --format json >/dev/null 2>&1
  code=$?
  set -e
  read -r s kb < <(tail -1 "$W/t")
  echo "| $(basename "$d")/$(basename "$f") | $(stat -c %s "$f") | $s | $((kb / 1024)) | $code |"
done
