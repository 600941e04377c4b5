"""Hostile reading: wide and long documents, and files that are not what they seem (FIFOs,
devices, sparse files, symlinks out of the tree), in the tree, in `.terraform/modules`, in the
configuration's `templates:` and behind `file()`."""
import json
import os

from hostile import case, write, HW_RULE_CFN

HW_RULE_TF = (
    'resource "aws_config_config_rule" "hw" {\n  name = "root-hw-mfa"\n  source {\n    owner             = "AWS"\n'
    '    source_identifier = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"\n  }\n}\n'
)


def status(guardrail, want):
    """A check: the JSON report's verdict for `guardrail` is `want`."""

    def check(stdout, _stderr, _code):
        try:
            got = json.loads(stdout)["summary"]["guardrails"][guardrail]["status"]
        except (ValueError, KeyError) as e:
            return f"no verdict for {guardrail}: {e}"
        return None if got == want else f"{guardrail} is {got!r}, expected {want!r}"

    return check


# ---- linear-time reading ---------------------------------------------------------------------


@case("wide-json-map", "a 3.5 MB flat JSON map (200,000 keys)", exit=1,
      expect=["199900 more unexpected top-level elements"])
def _(repo):
    write(repo / "wide.json", '{"Statement": [], ' + ", ".join('"key%06d": %d' % (i, i) for i in range(200000)) + "}")


@case("wide-yaml-map", "a 3.5 MB flat YAML map (200,000 keys)", exit=1)
def _(repo):
    write(repo / "wide.yaml", "# AWS::Config\n" + "".join("key%06d: %d\n" % (i, i) for i in range(200000)))


@case("resources-100k-yaml", "a YAML template with 100,000 resources", exit=1,
      check=status("root-hardware-mfa-rule", "deployed"))
def _(repo):
    t = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
    t += "".join("  B%d:\n    Type: AWS::S3::Bucket\n" % i for i in range(100000))
    write(repo / "t.yaml", t + HW_RULE_CFN[HW_RULE_CFN.index("  R:"):])


@case("resources-100k-json", "a JSON template with 100,000 resources", exit=1,
      check=status("root-hardware-mfa-rule", "deployed"))
def _(repo):
    res = ",".join('"B%d": {"Type": "AWS::S3::Bucket"}' % i for i in range(100000))
    rule = ('"R": {"Type": "AWS::Config::ConfigRule", "Properties": {"Source": {"Owner": "AWS", '
            '"SourceIdentifier": "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"}}}')
    write(repo / "t.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {' + res + "," + rule + "}}")


@case("statements-100k", "an SCP with 100,000 statements, the root deny last", exit=1,
      expect=["the policy has 100000 statements"], check=status("root-deny-scp", "ineffective"))
def _(repo):
    st = ['{"Effect": "Deny", "Action": "s3:x%d", "Resource": "*"}' % i for i in range(99999)]
    st.append('{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": '
              '{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}}')
    policy = '{"Version": "2012-10-17", "Statement": [' + ",\n".join(st) + "]}"
    write(repo / "scp.json", policy)


@case("duplicate-keys-json", "100,000 duplicate keys in a JSON policy", exit=1,
      expect=["99899 more `duplicate-key` problem(s)"])
def _(repo):
    write(repo / "d.json", '{"Statement": [], ' + ", ".join('"k": %d' % i for i in range(100000)) + "}")


@case("duplicate-keys-yaml", "100,000 duplicate keys in a YAML template", exit=1,
      expect=["99899 more `duplicate-key` problem(s)"])
def _(repo):
    y = "AWSTemplateFormatVersion: '2010-09-09'\nDescription: AWS::Config\nResources: {}\n"
    write(repo / "d.yaml", y + "".join("k: %d\n" % i for i in range(100000)))


@case("long-string", "a 10 MB string value in a template", exit=1, check=status("root-hardware-mfa-rule", "deployed"))
def _(repo):
    write(repo / "t.yaml", HW_RULE_CFN.replace("      Source:", "      Description: " + "x" * (10 << 20) + "\n      Source:"))
