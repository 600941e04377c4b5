"""Hostile Terragrunt units: configurations that read themselves, chains of
`read_terragrunt_config`, cycles among locals, includes that lead outside the scanned tree.
Each ends with a diagnostic where Terragrunt would stop (or the limit reached), and what the
unit deploys is `unknown`, never a pass."""
import json
import os

from hostile import case, write

TOGGLE_TF = (
    'variable "enabled" {\n  type    = bool\n  default = true\n}\n'
    'resource "aws_config_config_rule" "hw" {\n  count = var.enabled ? 1 : 0\n  name  = "root-hw"\n'
    '  source {\n    owner             = "AWS"\n    source_identifier = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"\n  }\n}\n'
)
SOURCE = 'terraform {\n  source = "../modules//toggle"\n}\n'


def verdicts(**want):
    """A check: the JSON report's guardrail verdicts are those given."""

    def check(stdout, stderr, code):
        try:
            got = json.loads(stdout)["summary"]["guardrails"]
        except (ValueError, KeyError) as e:
            return f"no JSON report: {e}"
        for k, v in want.items():
            g = k.replace("_", "-")
            if got.get(g, {}).get("status") != v:
                return f"{g} is {got.get(g, {}).get('status')!r}, expected {v!r}"
        return None

    return check


@case("tg-read-config-self", "a unit that reads itself with read_terragrunt_config", exit=1,
      expect=["reads itself through `read_terragrunt_config`"], check=verdicts(root_hardware_mfa_rule="unknown"))
def _(repo):
    write(repo / "modules/toggle/main.tf", TOGGLE_TF)
    write(repo / "unit/terragrunt.hcl", 'locals {\n  me = read_terragrunt_config("terragrunt.hcl")\n}\n' + SOURCE
          + 'inputs = {\n  enabled = local.me.inputs.enabled\n}\n')


@case("tg-read-config-chain", "200 configurations, each reading the next twice", exit=1,
      expect=["`read_terragrunt_config` nests more than 16 files deep"], check=verdicts(root_hardware_mfa_rule="unknown"))
def _(repo):
    write(repo / "modules/toggle/main.tf", TOGGLE_TF)
    for i in range(200):
        write(repo / f"unit/c{i}.hcl", f'locals {{\n  a = read_terragrunt_config("c{i + 1}.hcl")\n'
              f'  b = read_terragrunt_config("c{i + 1}.hcl")\n  v = try(local.a.locals.v, false)\n}}\n')
    write(repo / "unit/c200.hcl", 'locals {\n  v = false\n}\n')
    write(repo / "unit/terragrunt.hcl", 'locals {\n  c = read_terragrunt_config("c0.hcl")\n}\n' + SOURCE
          + 'inputs = {\n  enabled = local.c.locals.v\n}\n')


@case("tg-locals-cycle", "three Terragrunt locals that read each other", exit=1,
      expect=["Cycle: local.a, local.b, local.c"], check=verdicts(root_hardware_mfa_rule="unknown"))
def _(repo):
    write(repo / "modules/toggle/main.tf", TOGGLE_TF)
    write(repo / "unit/terragrunt.hcl", 'locals {\n  a = local.b\n  b = local.c\n  c = !local.a\n}\n' + SOURCE
          + 'inputs = {\n  enabled = local.a\n}\n')


@case("tg-include-outside", "an include whose path climbs out of the scanned tree", exit=1,
      expect=["is outside the scanned tree"], check=verdicts(root_hardware_mfa_rule="unknown"))
def _(repo):
    write(repo / "modules/toggle/main.tf", TOGGLE_TF)
    write(repo / "unit/terragrunt.hcl", 'include "root" {\n  path = "../../../../../../../../etc/hostname"\n}\n' + SOURCE)


@case("tg-include-symlink-out", "an include through a symlink to a file outside the tree", exit=1,
      expect=["outside the scanned tree"], check=verdicts(root_hardware_mfa_rule="unknown"))
def _(repo):
    write(repo / "modules/toggle/main.tf", TOGGLE_TF)
    write(repo / "unit/terragrunt.hcl", 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n' + SOURCE)
    os.symlink("/etc/hostname", repo / "root.hcl")
