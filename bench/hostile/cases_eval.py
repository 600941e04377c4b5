"""Hostile evaluator input: reference cycles, exponential growth from a few lines, allocation
bombs, and limits that cut declarations short. Every case ends with a diagnostic that names what
stopped evaluation (or the cycle), and what was not evaluated is `unknown`, never a pass."""
import json

from hostile import case, write, HW_RULE_CFN

HW_RULE_TF = (
    'resource "aws_config_config_rule" "hw" {\n  name = "root-hw"\n  source {\n    owner             = "AWS"\n'
    '    source_identifier = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"\n  }\n}\n'
)
POLICY_TF = 'resource "aws_organizations_policy" "p" {\n  name    = "p"\n  content = %s\n}\n'


def verdicts(**want):
    """A check: the JSON report's guardrail verdicts are those given (`root_deny_scp="unknown"`)."""

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


# 1. reference cycles ----------------------------------------------------------------------------


@case("cycle-module-boundary", "a policy document reads a module output that takes the document as input", exit=1,
      expect=["Cycle: data.aws_iam_policy_document.d, module.m.output.arn, module.m.var.doc"],
      check=verdicts(root_deny_scp="unknown"))
def _(repo):
    write(repo / "main.tf", 'module "m" {\n  source = "./mod"\n  doc    = data.aws_iam_policy_document.d.json\n}\n'
          'data "aws_iam_policy_document" "d" {\n  statement {\n    effect    = "Deny"\n    actions   = ["*"]\n'
          '    resources = [module.m.arn]\n  }\n}\n' + POLICY_TF % "data.aws_iam_policy_document.d.json")
    write(repo / "mod/main.tf", 'variable "doc" {}\noutput "arn" {\n  value = var.doc\n}\n')


@case("cycle-locals", "three locals that read each other", exit=1, expect=["Cycle: local.a, local.b, local.c"],
      check=verdicts(root_deny_scp="unknown"))
def _(repo):
    write(repo / "main.tf", 'locals {\n  a = local.b\n  b = "${local.c}x"\n  c = upper(local.a)\n}\n' + POLICY_TF % "local.a")


@case("cycle-self-local", "a local that reads itself, behind try()", exit=1, expect=["Cycle: local.a"],
      check=verdicts(root_deny_scp="unknown"))
def _(repo):
    write(repo / "main.tf", 'locals {\n  a = try(local.a, "{}")\n}\n' + POLICY_TF % "local.a")


@case("cycle-two-modules", "two modules whose inputs are each other's outputs", exit=1,
      expect=["Cycle: module.a.output.y, module.a.var.x, module.b.output.y, module.b.var.x"],
      check=verdicts(root_deny_scp="unknown"))
def _(repo):
    write(repo / "main.tf", 'module "a" {\n  source = "./m"\n  x      = module.b.y\n}\nmodule "b" {\n  source = "./m"\n'
          '  x      = module.a.y\n}\n' + POLICY_TF % "module.a.y")
    write(repo / "m/main.tf", 'variable "x" {}\noutput "y" {\n  value = var.x\n}\n')


@case("not-a-cycle", "module output A reads input X while input Y reads output B (Terraform accepts it)", exit=1,
      reject=["Cycle"], check=verdicts(root_hardware_mfa_rule="deployed"))
def _(repo):
    write(repo / "main.tf", 'module "m" {\n  source = "./mod"\n  x      = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"\n'
          '  y      = module.m.b\n}\nresource "aws_config_config_rule" "r" {\n  name = "r-${module.m.b}"\n  source {\n'
          '    owner             = "AWS"\n    source_identifier = module.m.a\n  }\n}\n')
    write(repo / "mod/main.tf", 'variable "x" {}\nvariable "y" {}\noutput "a" {\n  value = var.x\n}\n'
          'output "b" {\n  value = "hw"\n}\noutput "c" {\n  value = var.y\n}\n')


@case("cycle-conditions", "CloudFormation conditions that refer to each other", exit=1, expect=["Cycle: A, B"],
      check=verdicts(root_hardware_mfa_rule="unknown"))
def _(repo):
    write(repo / "rule.yaml", HW_RULE_CFN.replace("    Properties:", "    Condition: A\n    Properties:")
          + "Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\n")


@case("condition-chain", "5,000 CloudFormation conditions, each negating the previous", exit=1,
      expect=["limit `depth` (200) reached"], check=verdicts(root_hardware_mfa_rule="unknown"))
def _(repo):
    y = "AWSTemplateFormatVersion: '2010-09-09'\nConditions:\n  C0: !Equals [a, a]\n"
    y += "".join(f"  C{i}: !Not [!Condition C{i - 1}]\n" for i in range(1, 5000))
    y += HW_RULE_CFN.split("\n", 1)[1].replace("    Properties:", "    Condition: C4999\n    Properties:")
    write(repo / "chain.yaml", y)


@case("locals-chain", "10,000 locals, each reading the next", exit=1, expect=["limit `depth` (200) reached"],
      check=verdicts(root_deny_scp="unknown"))
def _(repo):
    tf = "locals {\n" + "".join(f'  a{i} = "${{local.a{i + 1}}}."\n' for i in range(10000)) + '  a10000 = "{}"\n}\n'
    write(repo / "main.tf", tf + POLICY_TF % "local.a0")


# 2. growth from a few lines -----------------------------------------------------------------------


@case("doubling-lists", "a list doubled through 60 locals: [local.b, local.b]", exit=1,
      expect=["evaluation stopped after 5000000 steps"], check=verdicts(root_deny_scp="unknown"))
def _(repo):
    tf = 'locals {\n  b0 = ["x"]\n' + "".join(f"  b{i} = [local.b{i - 1}, local.b{i - 1}]\n" for i in range(1, 60)) + "}\n"
    write(repo / "main.tf", tf + POLICY_TF % "jsonencode(local.b59)")


@case("doubling-maps", "a map doubled through 60 locals", exit=1, expect=["evaluation stopped after 5000000 steps"],
      check=verdicts(root_deny_scp="unknown"))
def _(repo):
    tf = 'locals {\n  m0 = { k = "v" }\n' + "".join(
        f"  m{i} = {{ a = local.m{i - 1}, b = merge(local.m{i - 1}, {{ z = 1 }}) }}\n" for i in range(1, 60)) + "}\n"
    write(repo / "main.tf", tf + POLICY_TF % "jsonencode(local.m59)")


@case("doubling-strings", "a string doubled through 60 locals in templates", exit=1,
      expect=["limit `string-bytes` (1048576) reached"], check=verdicts(root_deny_scp="unknown"))
def _(repo):
    tf = 'locals {\n  s0 = "xxxxxxxxxxxxxxxx"\n' + "".join(
        f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"\n' for i in range(1, 60)) + "}\n"
    write(repo / "main.tf", tf + POLICY_TF % "local.s59")


@case("module-fan-out-self", "a module that calls itself (./) twice: found at the first call, never instantiated",
      exit=1, expect=["calls the module directory of the root module, which calls it"],
      check=verdicts(root_deny_scp="unknown", root_hardware_mfa_rule="unknown"))
def _(repo):
    write(repo / "main.tf", 'module "a" {\n  source = "./"\n}\nmodule "b" {\n  source = "./"\n}\n' + POLICY_TF % '"{}"')


@case("resource-objects-doubling", "60 resources, each naming the previous one's object twice", exit=1,
      expect=["evaluation stopped after 5000000 steps"], check=verdicts(root_deny_scp="unknown"))
def _(repo):
    ou = 'resource "aws_organizations_organizational_unit" "o%d" {\n  name      = %s\n  parent_id = "r-ab12"\n}\n'
    tf = ou % (0, '"x"') + "".join(
        ou % (i, f"[aws_organizations_organizational_unit.o{i - 1}, aws_organizations_organizational_unit.o{i - 1}]")
        for i in range(1, 60))
    write(repo / "main.tf", tf + POLICY_TF % "jsonencode(aws_organizations_organizational_unit.o59.name)")


@case("module-fan-out-dirs", "16 module directories, each calling the next twice", exit=1,
      expect=["evaluation stopped after 5000000 steps"], check=verdicts(root_deny_scp="unknown"))
def _(repo):
    write(repo / "main.tf", 'module "m" {\n  source = "./m0"\n}\n')
    for i in range(16):
        write(repo / f"m{i}/main.tf", f'module "a" {{\n  source = "../m{i + 1}"\n}}\nmodule "b" {{\n  source = "../m{i + 1}"\n}}\n')
    write(repo / "m16/main.tf", POLICY_TF % '"{}"' + HW_RULE_TF)


@case("million-local", "a local of a million elements read a thousand times", exit=1,
      expect=["evaluation stopped after 5000000 steps"], check=verdicts(root_deny_scp="unknown"))
def _(repo):
    tf = "locals {\n  big = [for i in range(1000) : range(1000)]\n"
    tf += "".join(f"  r{i} = length(local.big)\n" for i in range(1000))
    tf += "  all = [" + ", ".join(f"local.r{i}" for i in range(1000)) + "]\n}\n"
    write(repo / "main.tf", tf + POLICY_TF % "jsonencode(local.all)")


@case("large-local-reads", "a local of 100,000 elements read a thousand times (built, then copied)", exit=1,
      expect=["evaluation stopped after 5000000 steps"], check=verdicts(root_deny_scp="unknown"))
def _(repo):
    tf = "locals {\n  big = [for i in range(100) : range(1000)]\n"
    tf += "".join(f"  r{i} = length(local.big)\n" for i in range(1000))
    tf += "  all = [" + ", ".join(f"local.r{i}" for i in range(1000)) + "]\n}\n"
    write(repo / "main.tf", tf + POLICY_TF % "jsonencode(local.all)")


@case("deep-jsonencode", "a value 20,000 levels deep built through cached locals, then encoded", exit=1,
      expect=["limit `depth` (200) reached"], check=verdicts(root_deny_scp="unknown"))
def _(repo):
    tf = 'locals {\n  a0 = "x"\n' + "".join(f"  a{i} = [local.a{i - 1}]\n" for i in range(1, 20000))
    tf += "  all = [" + ",".join(f"local.a{i}" for i in range(20000)) + "]\n}\n"
    write(repo / "main.tf", tf + POLICY_TF % "jsonencode([local.all, local.a19999])")


@case("deep-path-reads", "a path 100 keys long read 1,000 times through a value with a list at every level", exit=1,
      expect=["evaluation stopped after 5000000 steps"], check=verdicts(root_deny_scp="unknown"))
def _(repo):
    tf = "locals {\n  big = range(100)\n  n0  = {}\n"
    tf += "".join(f"  n{i} = {{ a = local.n{i - 1}, big = local.big }}\n" for i in range(1, 101))
    # read in order, so that each level is built from the one kept before it (no recursion)
    tf += "  warm = [" + ", ".join(f"length(local.n{i})" for i in range(1, 101)) + "]\n"
    path = "local.n100" + ".a" * 99 + ".big"
    tf += f"  reads = [for k in range(1000) : length({path})]\n}}\n"
    write(repo / "main.tf", tf + POLICY_TF % "jsonencode([local.warm, local.reads])")


@case("wide-maps", "maps of 20,000 keys merged and rebuilt by for expressions (each key once: linear)", exit=1,
      reject=["evaluation stopped", "limit `"])
def _(repo):
    tf = ('locals {\n  m = merge([for a in range(20) : {for b in range(1000) : "k${a}_${b}" => b}]...)\n'
          '  f = {for k, v in local.m : k => v}\n  g = {for k, v in local.m : "${v % 10}" => k...}\n'
          "  h = merge(local.m, local.f)\n}\n")
    write(repo / "main.tf", tf + POLICY_TF % "jsonencode([length(local.m), length(local.f), length(local.g), length(local.h)])")


# 4. allocations bounded before they are made -----------------------------------------------------


@case("range-1e12", "range(1e12) and a for expression over it", exit=1, expect=["`range` produces more than 1024 elements"],
      check=verdicts(root_deny_scp="unknown"))
def _(repo):
    write(repo / "main.tf", 'locals {\n  r = [for x in range(1000000000000) : x]\n}\n' + POLICY_TF % "jsonencode(local.r)")


@case("for-cubed", "a for expression nested three deep over range(1024): a billion elements", exit=1,
      expect=["evaluation stopped after 5000000 steps"], check=verdicts(root_deny_scp="unknown"))
def _(repo):
    write(repo / "main.tf", "locals {\n  c = [for a in range(1024) : [for b in range(1024) : [for c in range(1024) : c]]]\n}\n"
          + POLICY_TF % "jsonencode(local.c)")


@case("setproduct-flatten", "setproduct of three ranges, flatten of a nested for", exit=1,
      expect=["evaluation stopped after 5000000 steps"],
      check=verdicts(root_deny_scp="unknown"))
def _(repo):
    write(repo / "main.tf", "locals {\n  p = setproduct(range(1000), range(1000), range(1000))\n"
          "  f = flatten([for a in range(1024) : [for b in range(1024) : [a, b]]])\n}\n"
          + POLICY_TF % "jsonencode([local.p, local.f])")


@case("string-bombs", "join with a 512 KiB separator, replace by 4 KiB, a template loop, format", exit=1,
      expect=["`join` produces a value larger than", "`replace` produces a value larger than",
              "this template builds a string of more than"],
      check=verdicts(root_deny_scp="unknown"))
def _(repo):
    tf = 'locals {\n  s0 = "xxxxxxxxxxxxxxxx"\n' + "".join(
        f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"\n' for i in range(1, 16))
    tf += '  j = join(local.s15, [for i in range(1000) : "x"])\n'
    tf += '  r = replace(local.s15, "x", local.s8)\n'
    tf += '  t = "%{ for i in range(1000) }${local.s15}%{ endfor }"\n'
    tf += '  f = format("%s%s%s", local.s15, local.s15, local.s15)\n}\n'
    write(repo / "main.tf", tf + POLICY_TF % "jsonencode([local.j, local.r, local.t, local.f])")


@case("cfn-ref-copies", "a CloudFormation list parameter of 20,000 items joined 1,000 times", exit=1,
      expect=["evaluation stopped after 5000000 steps"], check=verdicts(root_mfa_rule="unknown"))
def _(repo):
    y = "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Big:\n    Type: CommaDelimitedList\n    Default: \""
    y += ",".join(["x"] * 20000) + "\"\nResources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties:\n"
    y += "      InputParameters:\n" + "".join(f"        p{i}: !Join [',', !Ref Big]\n" for i in range(1000))
    y += "      Source:\n        Owner: AWS\n        SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED\n"
    write(repo / "big.yaml", y)


# 5. limits that cut declarations -------------------------------------------------------------------


@case("count-1e9", "count = 1000000000 on an SCP", exit=1,
      expect=["limit `instances` (256) reached: `count` makes 1000000000 instances of `aws_organizations_policy.p`",
              "raise --limit instances=N"],
      check=verdicts(root_deny_scp="unknown"))
def _(repo):
    write(repo / "main.tf", 'resource "aws_organizations_policy" "p" {\n  count   = 1000000000\n  name    = "p-${count.index}"\n'
          '  content = "{}"\n}\n')


@case("for-each-hides-iam6", "IAM.6 disabled by the 300th element of a for_each", exit=1,
      expect=["`for_each` makes 300 instances"],
      check=verdicts(securityhub_root_mfa_controls="disabled", root_hardware_mfa_rule="unknown"))
def _(repo):
    write(repo / "main.tf",
          'locals {\n  fsbp = "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0"\n'
          '  controls = concat([for i in range(299) : "Noisy.${i}"], ["IAM.6"])\n}\n'
          'resource "aws_securityhub_standards_subscription" "fsbp" {\n  standards_arn = local.fsbp\n}\n'
          'resource "aws_securityhub_standards_control_association" "off" {\n  for_each            = toset(local.controls)\n'
          '  standards_arn       = local.fsbp\n  security_control_id = each.value\n  association_status  = "DISABLED"\n'
          '  updated_reason      = "noise"\n}\n')


@case("module-for-each-over-limit", "a module instantiated 300 times with for_each", exit=1,
      expect=["`for_each` makes 300 instances of `module.accounts`"],
      check=verdicts(root_hardware_mfa_rule="deployed", root_deny_scp="unknown"))
def _(repo):
    write(repo / "main.tf", 'module "accounts" {\n  source   = "./account"\n  for_each = toset([for i in range(300) : "a${i}"])\n'
          '  name     = each.key\n}\n')
    write(repo / "account/main.tf", 'variable "name" {}\n' + HW_RULE_TF)


@case("deep-module-nesting", "40 module directories nested in a chain", exit=1,
      expect=["limit `module-depth` (16) reached", "raise --limit module-depth=N"],
      check=verdicts(root_deny_scp="unknown"))
def _(repo):
    write(repo / "main.tf", 'module "m" {\n  source = "./m0"\n}\n')
    for i in range(40):
        write(repo / f"m{i}/main.tf", f'module "next" {{\n  source = "../m{i + 1}"\n}}\n')
    write(repo / "m40/main.tf", POLICY_TF % '"{}"')


@case("nested-stacksets", "a Config rule inside StackSet templates embedded 10 levels deep", exit=1,
      expect=["templates embedded more than 8 levels deep"], check=verdicts(root_hardware_mfa_rule="unknown"))
def _(repo):
    t = HW_RULE_CFN
    for _ in range(10):
        body = "".join(f"        {line}\n" for line in t.rstrip("\n").split("\n"))
        t = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  S:\n    Type: AWS::CloudFormation::StackSet\n"
             "    Properties:\n      StackSetName: s\n      TemplateBody: |\n" + body)
    write(repo / "nested.yaml", t)


@case("hcl-object-50k-keys", "an HCL object literal with 50,000 keys (its parser is quadratic in keys)", exit=1,
      expect=["more than 10000 lines or entries in one object literal"])
def _(repo):
    write(repo / "main.tf", "locals {\n  big = {\n" + "".join(f"    k{i} = {i}\n" for i in range(50000))
          + "  }\n}\nresource \"aws_config_config_rule\" \"r\" {\n  name = length(local.big)\n}\n")


# 6. variable type constraints ---------------------------------------------------------------------


@case("typed-any-wide", "a list(any) of 20,000 objects with distinct keys, unified to one map type (linear)", exit=1,
      reject=["evaluation stopped", "limit `", "Invalid value"])
def _(repo):
    items = ", ".join(f"{{ k{i} = {i} }}" for i in range(20000))
    write(repo / "main.tf", f'variable "v" {{\n  type    = list(any)\n  default = [{items}]\n}}\n'
          + POLICY_TF % "jsonencode({ n = length(var.v) })")


@case("typed-set-duplicates", "a set(string) given 20,000 copies of one string, a list of 20,000 objects filled by optional() defaults",
      exit=1, reject=["evaluation stopped", "limit `", "Invalid value"])
def _(repo):
    dups = ", ".join('"a"' for _ in range(20000))
    objs = ", ".join("{}" for _ in range(20000))
    write(repo / "main.tf", f'variable "s" {{\n  type    = set(string)\n  default = [{dups}]\n}}\n'
          f'variable "o" {{\n  type    = list(object({{ on = optional(bool, true), n = optional(number, 1) }}))\n'
          f'  default = [{objs}]\n}}\n'
          + POLICY_TF % "jsonencode({ s = length(var.s), o = length(var.o) })")


@case("typed-deep-type", "a type 150 levels deep, list(list(...)), and a value as deep converted to it", exit=1,
      reject=["evaluation stopped", "Invalid value"])
def _(repo):
    ty = "list(" * 150 + "string" + ")" * 150
    val = "[" * 150 + "1" + "]" * 150
    write(repo / "main.tf", f'variable "d" {{\n  type    = {ty}\n  default = {val}\n}}\n'
          + POLICY_TF % "jsonencode({ d = length(var.d) })")
