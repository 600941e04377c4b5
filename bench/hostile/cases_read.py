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


# ---- one confined reader -----------------------------------------------------------------------

MODULE_CALL = 'module "org" {\n  source  = "acme/scp/aws"\n  version = "~> 1.2"\n}\n'


def installed(repo, entry=None, body=HW_RULE_TF):
    """A root module calling `acme/scp/aws`, installed in `.terraform/modules/org`."""
    write(repo / "main.tf", MODULE_CALL)
    entry = entry or {"Key": "org", "Source": "registry.terraform.io/acme/scp/aws", "Version": "1.2.5",
                      "Dir": ".terraform/modules/org"}
    write(repo / ".terraform/modules/modules.json",
          json.dumps({"Modules": [{"Key": "", "Source": "", "Dir": "."}, entry]}))
    write(repo / ".terraform/modules/org/main.tf", body)


def passwd_first_line():
    with open("/etc/passwd") as f:
        return f.readline().strip()


def never_prints_passwd(stdout, stderr, _code):
    line = passwd_first_line()
    return f"the output shows {line!r} from /etc/passwd" if line and line in stdout + stderr else None


def fifo(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


def link(target, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


@case("fifo-main-tf", "a FIFO named main.tf in the tree", exit=1,
      expect=["the file is a FIFO, not a regular file"], check=status("root-deny-scp", "unknown"))
def _(repo):
    write(repo / "rule.tf", HW_RULE_TF)
    fifo(repo / "main.tf")


@case("fifo-terraform-modules", "a FIFO named main.tf in .terraform/modules", exit=1,
      expect=["the file is a FIFO, not a regular file"], check=status("root-deny-scp", "unknown"))
def _(repo):
    installed(repo)
    fifo(repo / ".terraform/modules/org/pipe.tf")


@case("socket-tf", "a Unix socket named sock.tf", exit=1, expect=["the file is a socket, not a regular file"])
def _(repo):
    import socket
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(repo / "sock.tf"))
    s.close()


@case("dev-zero-link", "x.tf -> /dev/zero", exit=1, expect=["is a symlink that leads outside the scanned tree"],
      check=status("root-mfa-rule", "unknown"))
def _(repo):
    link("/dev/zero", repo / "x.tf")


@case("sparse-10gb", "a 10 GB sparse big.tf", exit=1, expect=["the file is larger than 20971520 bytes"])
def _(repo):
    with open(repo / "big.tf", "wb") as f:
        f.truncate(10 << 30)


@case("passwd-link-root", "passwd.tf -> /etc/passwd, human output", args=["check", "{repo}"], exit=1,
      expect=["is a symlink that leads outside the scanned tree"], check=never_prints_passwd)
def _(repo):
    link("/etc/passwd", repo / "passwd.tf")


@case("passwd-link-modules", "passwd.tf -> /etc/passwd in .terraform/modules/m/, human output",
      args=["check", "{repo}"], exit=1, expect=["is a symlink that leads outside the scanned tree"],
      check=never_prints_passwd)
def _(repo):
    installed(repo)
    link("/etc/passwd", repo / ".terraform/modules/org/passwd.tf")


@case("dir-named-tf", "a directory named x.tf in the tree and in .terraform/modules", exit=1,
      expect=["the file is a directory, not a regular file"])
def _(repo):
    installed(repo)
    (repo / "x.tf").mkdir()
    (repo / ".terraform/modules/org/y.tf").mkdir()


def unreadable_check(stdout, stderr, code):
    if os.geteuid() == 0:
        return None  # root reads whatever the mode says
    return None if "the file could not be read" in stdout else "no finding for the unreadable file"


@case("chmod-000", "an unreadable (mode 000) template", exit=1, check=unreadable_check)
def _(repo):
    write(repo / "t.yaml", HW_RULE_CFN)
    os.chmod(repo / "t.yaml", 0)


PACK_BY_URI = ("Resources:\n  P:\n    Type: AWS::Config::ConformancePack\n    Properties:\n"
               "      ConformancePackName: p\n      TemplateS3Uri: s3://b/pack.yaml\n")


def templates_entry(repo):
    write(repo / "packs.yaml", PACK_BY_URI)
    write(repo / ".rootguard.yml", 'templates:\n  "s3://b/pack.yaml": pack-template.yaml\n')


@case("template-fifo", "a configured template that is a FIFO", exit=1, expect=["is a FIFO, not a regular file"],
      check=status("root-hardware-mfa-rule", "unknown"))
def _(repo):
    templates_entry(repo)
    fifo(repo / "pack-template.yaml")


@case("template-device", "a configured template linked to /dev/zero", exit=1,
      expect=["is a symlink that leads outside the scanned tree"], check=status("root-hardware-mfa-rule", "unknown"))
def _(repo):
    templates_entry(repo)
    link("/dev/zero", repo / "pack-template.yaml")


@case("template-outside", "a configured template linked out of the tree", exit=1,
      expect=["is a symlink that leads outside the scanned tree"], check=status("root-hardware-mfa-rule", "unknown"))
def _(repo):
    templates_entry(repo)
    write(repo.parent / "outside.yaml", HW_RULE_CFN)
    link(repo.parent / "outside.yaml", repo / "pack-template.yaml")


@case("file-fifo", "file() of a FIFO", exit=1, expect=["is a FIFO, not a regular file"],
      check=status("root-deny-scp", "unknown"))
def _(repo):
    fifo(repo / "policies/pipe")
    write(repo / "main.tf", 'resource "aws_organizations_policy" "p" {\n  name    = "p"\n'
                            '  content = file("${path.module}/policies/pipe")\n}\n')


@case("fifo-gitignore", "a FIFO .gitignore at the root", exit=1, expect=[".gitignore` is a FIFO"])
def _(repo):
    write(repo / "main.tf", HW_RULE_TF)
    fifo(repo / ".gitignore")


@case("gitignore-dev-zero", ".gitignore -> /dev/zero in a subdirectory", exit=1,
      expect=["is a symlink that leads outside the scanned tree; the directory is not scanned"])
def _(repo):
    write(repo / "main.tf", HW_RULE_TF)
    write(repo / "sub/x.tf", "")
    link("/dev/zero", repo / "sub/.gitignore")


@case("fifo-tfvars", "a FIFO terraform.tfvars that could switch the rule off", exit=1,
      check=status("root-hardware-mfa-rule", "unknown"))
def _(repo):
    write(repo / "main.tf", HW_RULE_TF.replace("  name = ", "  count = var.on ? 1 : 0\n  name = ")
          + 'variable "on" {\n  default = true\n}\n')
    fifo(repo / "terraform.tfvars")


@case("modules-json-fifo", "a FIFO .terraform/modules/modules.json", exit=1,
      expect=["`modules.json` is a FIFO, not a regular file"])
def _(repo):
    write(repo / "main.tf", MODULE_CALL)
    fifo(repo / ".terraform/modules/modules.json")


@case("fifo-config", "a FIFO .rootguard.yml", exit=2, expect=["the configuration file is a FIFO"])
def _(repo):
    write(repo / "main.tf", HW_RULE_TF)
    fifo(repo / ".rootguard.yml")


@case("fifo-var-file", "--var-file naming a FIFO", args=["check", "--var-file", "{repo}/v.tfvars", "{repo}"], exit=2,
      expect=["--var-file is a FIFO, not a regular file"])
def _(repo):
    write(repo / "main.tf", HW_RULE_TF)
    fifo(repo / "v.tfvars")


# ---- module directories by real path ---------------------------------------------------------


@case("module-symlink", "a symlinked module directory with a default that outvotes the call", exit=1,
      check=status("root-hardware-mfa-rule", "switched-off"))
def _(repo):
    write(repo / "modules/rule/main.tf", HW_RULE_TF.replace("  name = ", "  count = var.on ? 1 : 0\n  name = ")
          + 'variable "on" {\n  default = true\n}\n')
    link("../modules/rule", repo / "live/rule")
    write(repo / "live/main.tf", 'module "rule" {\n  source = "./rule"\n  on     = false\n}\n')


@case("module-symlink-outside", "a module directory symlinked out of the tree", exit=1,
      expect=["leads outside the scanned tree"], check=status("root-hardware-mfa-rule", "unknown"))
def _(repo):
    write(repo.parent / "outside/main.tf", HW_RULE_TF)
    link(repo.parent / "outside", repo / "live/ext")
    write(repo / "live/main.tf", 'module "ext" {\n  source = "./ext"\n}\n')


@case("installed-from-dot", "an installed module, scanned as `.`", args=["check", "--format", "json", "."],
      cwd="repo", exit=1, check=status("root-hardware-mfa-rule", "deployed"))
def _(repo):
    installed(repo)


# ---- `.terraform/modules` copies checked against the calls ------------------------------------


@case("modules-json-source", "a committed copy recorded from another source", exit=1,
      expect=["records module `org` as installed from"], check=status("root-hardware-mfa-rule", "unknown"))
def _(repo):
    installed(repo, {"Key": "org", "Source": "registry.terraform.io/evil/scp/aws", "Version": "1.2.5",
                     "Dir": ".terraform/modules/org"})


@case("modules-json-version", "a committed copy whose version breaks the constraint", exit=1,
      expect=["does not satisfy the call's"], check=status("root-hardware-mfa-rule", "unknown"))
def _(repo):
    installed(repo, {"Key": "org", "Source": "registry.terraform.io/acme/scp/aws", "Version": "2.0.0",
                     "Dir": ".terraform/modules/org"})


@case("modules-json-dir", "a modules.json Dir outside .terraform/modules", exit=1,
      expect=["is not below `.terraform/modules`"], check=status("root-hardware-mfa-rule", "unknown"))
def _(repo):
    installed(repo, {"Key": "org", "Source": "registry.terraform.io/acme/scp/aws", "Version": "1.2.5",
                     "Dir": "../outside"})
    write(repo.parent / "outside/main.tf", HW_RULE_TF)
