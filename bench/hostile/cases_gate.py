"""Hostile repositories that try to turn a weakened guardrail into a passing run: unknown
verdicts, ignore files, globs, waivers, configuration deletion, injected names."""
import os
import subprocess

from hostile import case, write, HW_RULE_CFN

GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=GIT_ENV,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def commit_all(repo, msg="c", force=()):
    if not (repo / ".git").exists():
        git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    for f in force:
        git(repo, "add", "-f", f)
    git(repo, "commit", "-q", "-m", msg)


DISABLE_IAM6 = (
    "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Cis12:\n    Type: AWS::SecurityHub::Standard\n"
    "    Properties:\n      StandardsArn: arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0\n"
    "      DisabledStandardsControls:\n        - StandardsControlArn: arn:aws:securityhub:eu-west-1:111111111111:"
    "control/cis-aws-foundations-benchmark/v/1.2.0/1.14\n          Reason: x\n"
)

SCP = (
    "  {name}: {waiver}\n    Type: AWS::Organizations::Policy\n    Properties:\n      Name: {name}\n"
    "      Type: SERVICE_CONTROL_POLICY\n      Content:\n        Version: '2012-10-17'\n        Statement:\n"
    "          - Effect: Deny\n            Action: '*'\n            Resource: '*'\n            Condition:\n"
    "              ArnLike:\n                aws:PrincipalArn: arn:aws:iam::*:root\n"
)

WAIVER = '# rootguard:ignore[RG202] reason="attached later" owner=me@example.com expires=2030-01-01'


@case("unknown-registry-module", "guardrails only behind an unreadable registry module", exit=1,
      expect=['"rule": "RG012"', "terraform init"])
def _(repo):
    write(repo / "main.tf", 'module "org" {\n  source  = "example-org/scp/aws"\n  version = "2.1.0"\n}\n')


@case("unknown-s3-pack", "the hardware rule only in a pack behind an S3 URI", exit=1,
      expect=['"rule": "RG012"', "templates:"])
def _(repo):
    write(repo / "pack.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  P:\n    Type: AWS::Config::ConformancePack\n"
          "    Properties:\n      ConformancePackName: p\n      TemplateS3Uri: s3://b/p.yaml\n")
    write(repo / ".rootguard.yml", "rules:\n  ignore: [RG201, RG401, RG501]\n")


@case("unknown-self-calling-module", "a module that calls itself, unknown verdicts", exit=1, expect=["RG012"])
def _(repo):
    write(repo / "loop/main.tf", 'module "again" {\n  source = "../loop"\n}\nresource "aws_organizations_policy" "p" {\n  name    = "p"\n  content = "{}"\n}\n')
    write(repo / "root.tf", 'module "loop" {\n  source = "./loop"\n}\n')


@case("gitignored-tracked-disable", "a force-added, gitignored file disables IAM.6", exit=1,
      expect=['"rule": "RG301"', "hidden/securityhub.yaml"])
def _(repo):
    write(repo / ".gitignore", "hidden/\n")
    write(repo / "hidden/securityhub.yaml", DISABLE_IAM6)
    commit_all(repo, force=["hidden/securityhub.yaml"])


@case("dot-ignore-tracked-disable", "a tracked file that an .ignore file matches disables IAM.6", exit=1,
      expect=['"rule": "RG301"'])
def _(repo):
    write(repo / ".ignore", "*.yaml\n")
    write(repo / "securityhub.yaml", DISABLE_IAM6)
    commit_all(repo)


@case("exclude-everything", "the repository's configuration excludes every file", exit=1,
      expect=['"rule": "RG004"', "securityhub.yaml"])
def _(repo):
    write(repo / "securityhub.yaml", DISABLE_IAM6)
    write(repo / ".rootguard.yml", 'exclude: ["**"]\n')


@case("exclude-cli", "--exclude leaves out the file that disables IAM.6",
      args=["check", "--format", "json", "--exclude", "org/**", "{repo}"], exit=1, expect=['"rule": "RG004"'])
def _(repo):
    write(repo / "org/securityhub.yaml", DISABLE_IAM6)


@case("copied-inline-waiver", "a pull request copies a base waiver next to a new unattached SCP",
      args=["check", "--format", "json", "--base", "main", "--trust-base-config", "."], cwd="repo", exit=1,
      expect=['"rule": "RG903"', "suppresses nothing"])
def _(repo):
    write(repo / "scps.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + SCP.format(name="A", waiver=WAIVER))
    commit_all(repo)
    write(repo / "scps.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
          + SCP.format(name="A", waiver=WAIVER) + SCP.format(name="B", waiver=WAIVER))


@case("new-inline-waiver", "a pull request adds a waiver: it applies, and reviewers are told",
      args=["check", "--format", "json", "--base", "main", "."], cwd="repo", exit=0,
      expect=['"rule": "RG903"', "from now on"])
def _(repo):
    write(repo / "scps.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + SCP.format(name="A", waiver=""))
    commit_all(repo)
    write(repo / "scps.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + SCP.format(name="A", waiver=WAIVER))


@case("trust-config-deleted", "a pull request deletes the base's stricter configuration",
      args=["check", "--format", "json", "--base", "main", "--trust-base-config", "."], cwd="repo", exit=1,
      expect=['"rule": "RG105"'])
def _(repo):
    write(repo / ".rootguard.yml", "fail-on: medium\n")
    write(repo / "rules.yaml", HW_RULE_CFN)
    commit_all(repo)
    os.remove(repo / ".rootguard.yml")
    write(repo / "more.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  M:\n    Type: AWS::Config::ConfigRule\n"
          "    Properties:\n      InputParameters: {a: b}\n      Source:\n        Owner: AWS\n        SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED\n")


@case("vendored-copy-edited", "a pull request edits a vendored module copy to declare a root deny",
      args=["check", "--format", "json", "--base", "main", "."], cwd="repo", exit=1, expect=['"rule": "RG702"'])
def _(repo):
    write(repo / "main.tf", 'module "org" {\n  source  = "example-org/scp/aws"\n  version = "2.1.0"\n}\n')
    write(repo / ".terraform/modules/modules.json", '{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"org","Source":'
          '"registry.terraform.io/example-org/scp/aws","Version":"2.1.0","Dir":".terraform/modules/org"}]}\n')
    write(repo / ".terraform/modules/org/main.tf", "variable \"x\" {\n  default = 1\n}\n")
    commit_all(repo, force=[".terraform"])
    write(repo / ".terraform/modules/org/main.tf", 'resource "aws_organizations_policy" "p" {\n  name = "p"\n  content = jsonencode({'
          'Version = "2012-10-17", Statement = [{Effect = "Deny", Action = "*", Resource = "*", Condition = {ArnLike = '
          '{"aws:PrincipalArn" = "arn:aws:iam::*:root"}}}]})\n}\nresource "aws_organizations_policy_attachment" "a" {\n'
          '  policy_id = aws_organizations_policy.p.id\n  target_id = "r-ab12"\n}\n')


def no_forged_lines(stdout, stderr, code):
    if "\x1b" in stdout:
        return "an escape character reached the terminal output"
    if any(line.startswith("passing") for line in stdout.splitlines()):
        return "a file name forged a 'passing' line"
    return None


INJECT = "x\n\x1b[32mpassing: no finding at or above `critical`\x1b[0m @admins ![p](https:e.example:p.png).yaml"


@case("injected-file-name-human", "a file name with a newline and ANSI escapes, human output",
      args=["check", "--color", "never", "{repo}"], exit=1, check=no_forged_lines)
def _(repo):
    write(repo / INJECT, SCP.format(name="A", waiver="").join(["AWSTemplateFormatVersion: '2010-09-09'\nResources:\n", ""]))


def markdown_clean(stdout, stderr, code):
    text = stdout
    for bad in ["<img", "@admins", "[click]("]:
        # outside code spans only: escaped or fenced text renders literally
        plain = "".join(part for i, part in enumerate(text.split("`")) if i % 2 == 0)
        if bad in plain.replace("\\<", "").replace("\\[", ""):
            return f"{bad!r} renders as Markdown"
    return None


@case("injected-values-markdown", "HTML, links and mentions in an SCP name, markdown output",
      args=["check", "--format", "markdown", "{repo}"], exit=1, check=markdown_clean)
def _(repo):
    write(repo / "scp.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
          + SCP.format(name="A", waiver="").replace("Name: A", 'Name: "<img src=x> [click](https://e.example) @admins"'))


@case("injected-workflow-command", "a `::` workflow command in a value, github output",
      args=["check", "--format", "github", "{repo}"], exit=1,
      check=lambda out, err, code: next((f"forged line {l!r}" for l in out.splitlines()
                                         if not (l.startswith("::error") or l.startswith("::warning")
                                                 or l.startswith("::notice") or l.startswith("rootguard:"))), None))
def _(repo):
    write(repo / "scp.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
          + SCP.format(name="A", waiver="").replace("Name: A", 'Name: "x\\n::add-mask::secret\\n::error::forged"'))


@case("fifo-on-command-line", "a FIFO named on the command line", args=["check", "{repo}/pipe.yaml"], exit=2,
      expect=["not a regular file or a directory"])
def _(repo):
    os.mkfifo(repo / "pipe.yaml")


@case("fail-on-never", "--fail-on never prints no 'failing'", args=["check", "--fail-on", "never", "{repo}"], exit=0,
      reject=["failing"])
def _(repo):
    write(repo / "main.tf", 'module "org" {\n  source = "example-org/scp/aws"\n}\n')


@case("evidence-no-mfa-unproven-credentials", "a member root user without MFA whose credentials are not shown",
      args=["evidence", "--format", "json", "{repo}"], exit=1, expect=['"rule": "RG801"'])
def _(repo):
    head = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,"
            "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,"
            "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
            "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,"
            "cert_2_last_rotated\n")
    row = ("<root_account>,arn:aws:iam::616161616161:root,2019-03-04T10:11:12+00:00,not_supported,N/A,not_supported,"
           "not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n")
    write(repo / "616161616161/credential-report.csv", head + row)
