"""Hostile parser input: nesting, aliases, encodings, sizes."""
from hostile import case, write, HW_RULE_CFN

N = 1 << 19  # 1 MB of brackets


@case("deep-json", "1 MB of nested JSON arrays", exit=1, expect=["JSON nested deeper than 200"])
def _(repo):
    write(repo / "deep.json", '{"Statement": ' + "[" * N + "]" * N + "}")


@case("deep-yaml", "1 MB of nested YAML flow sequences", exit=1, expect=["RG001"])
def _(repo):
    write(repo / "deep.yaml", "# AWS::Config\nResources: " + "[" * N + "]" * N + "\n")


@case("deep-yaml-blocks", "400 nested YAML block mappings", exit=1, expect=["YAML nested deeper than 200"])
def _(repo):
    y = "# AWS::Config\nAWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
    y += "".join(f"{' ' * (2 * i + 2)}k{i}:\n" for i in range(400))
    write(repo / "block.yaml", y)


@case("deep-hcl", "1 MB of nested HCL parentheses", exit=1, expect=["HCL nested deeper than 200"])
def _(repo):
    write(repo / "main.tf", 'resource "aws_config_config_rule" "r" {\n  name = ' + "(" * N + "1" + ")" * N + "\n}\n")


@case("yaml-alias-bomb", "a billion laughs in YAML aliases", exit=1, expect=["alias"])
def _(repo):
    y = "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  a0: &a0 [" + ", ".join(["lol"] * 10) + "]\n"
    for i in range(1, 30):
        y += f"  a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]\n"
    y += "Resources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      Source: *a29\n"
    write(repo / "laughs.yaml", y + "#" * (1 << 20))


@case("invalid-utf8", "invalid UTF-8 bytes in a template", exit=1, expect=["byte 50"])
def _(repo):
    write(repo / "bad.yaml", b"Resources:\n  R:\n    Type: AWS::Config::ConfigRule \xff\xfe\n")


@case("bom-crlf", "UTF-8 BOM and CRLF line ends", exit=1, expect=['"deployed"'])
def _(repo):
    write(repo / "rule.yaml", b"\xef\xbb\xbf" + HW_RULE_CFN.replace("\n", "\r\n").encode())


@case("utf16", "a UTF-16 template with BOM", exit=1, expect=['"deployed"'])
def _(repo):
    write(repo / "rule.yaml", HW_RULE_CFN.encode("utf-16"))


@case("tabs-yaml", "tab indentation in YAML", exit=1, expect=["RG001"])
def _(repo):
    write(repo / "tabs.yaml", "Resources:\n\tR:\n\t\tType: AWS::Config::ConfigRule\n")


@case("nul-bytes", "NUL bytes in a Terraform file", exit=1, expect=["RG001"])
def _(repo):
    write(repo / "main.tf", b'resource "aws_organizations_policy" "p" {\x00\x00\n  name = "p"\n}\n')


@case("over-size-limit", "a file over --max-file-size", args=["check", "--format", "json", "--max-file-size", "100", "{repo}"],
      exit=1, expect=["larger than 100 bytes"])
def _(repo):
    write(repo / "big.yaml", "a: b\n" * 1000)


@case("long-line", "a 4 MB single-line JSON policy", exit=1)
def _(repo):
    write(repo / "scp.json", '{"Version": "2012-10-17", "Statement": [' + ",".join(
        '{"Effect": "Deny", "Action": "s3:x%d", "Resource": "*"}' % i for i in range(80000)) + "]}")


@case("terraform-doubling", "strings and lists doubled through 40 locals, count = 1e9", exit=1,
      expect=["larger than the limit"])
def _(repo):
    tf = 'locals {\n  s0 = "xxxxxxxxxxxxxxxx"\n' + "".join(
        f'  s{i} = "${{local.s{i-1}}}${{local.s{i-1}}}"\n' for i in range(1, 40))
    tf += "  l0 = [1, 2]\n" + "".join(f"  l{i} = concat(local.l{i-1}, local.l{i-1})\n" for i in range(1, 40)) + "}\n"
    tf += 'resource "aws_organizations_policy" "s" {\n  name = "s"\n  count = 1000000000\n  content = jsonencode([local.s39, local.l39])\n}\n'
    write(repo / "main.tf", tf)
