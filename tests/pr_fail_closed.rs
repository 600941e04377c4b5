//! Every way a pull request was seen to weaken a guardrail while the run passed, run as the
//! GitHub Action runs rootguard: `check --format github --output sarif=… --base main
//! --trust-base-config`.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A repository with `files` committed on `main`, then on a `pr` branch.
fn repo(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rootguard-pr-fc-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    for (p, t) in files {
        write(&d.join(p), t);
    }
    common::git(&d, &["init", "-q", "-b", "main"]);
    common::git(&d, &["add", "-A", "-f"]);
    common::git(&d, &["commit", "-q", "-m", "base"]);
    common::git(&d, &["checkout", "-q", "-b", "pr"]);
    d
}

fn commit(d: &Path, force: &[&str]) {
    common::git(d, &["add", "-A"]);
    for f in force {
        common::git(d, &["add", "-f", f]);
    }
    common::git(d, &["commit", "-q", "-m", "pr"]);
}

/// The action's command line: (annotations on standard output, the JSON report, exit code).
fn action(d: &Path) -> (String, Value, i32) {
    let json = d.join("..").join(format!("{}.json", d.file_name().unwrap().to_string_lossy()));
    let sarif = d.join("..").join(format!("{}.sarif", d.file_name().unwrap().to_string_lossy()));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(["check", "--format", "github"])
        .arg("--output")
        .arg(format!("sarif={}", sarif.display()))
        .arg("--output")
        .arg(format!("json={}", json.display()))
        .args(["--base", "main", "--trust-base-config", "--", "."])
        .current_dir(d)
        .env("ROOTGUARD_TODAY", "2026-06-01")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    let v = std::fs::read(&json).map_or(Value::Null, |b| serde_json::from_slice(&b).unwrap());
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        v,
        out.status.code().unwrap_or(-1),
    )
}

fn rules(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|f| f["suppressed"].is_null())
                .map(|f| f["rule"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

const CONFIG_RULES: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Hw:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      Source:\n        Owner: AWS\n        SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\n  Mfa:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      Source:\n        Owner: AWS\n        SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED\n";

fn scp(name: &str, attached: bool, waiver: &str) -> String {
    format!(
        "  {name}: {waiver}\n    Type: AWS::Organizations::Policy\n    Properties:\n      Name: {name}\n      Type: SERVICE_CONTROL_POLICY\n{}      Content:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Deny\n            Action: '*'\n            Resource: '*'\n            Condition:\n              ArnLike:\n                aws:PrincipalArn: arn:aws:iam::*:root\n",
        if attached { "      TargetIds: [r-ab12]\n" } else { "" }
    )
}

fn scps(body: &str) -> String {
    format!("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n{body}")
}

const DISABLE_IAM6: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Cis12:\n    Type: AWS::SecurityHub::Standard\n    Properties:\n      StandardsArn: arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0\n      DisabledStandardsControls:\n        - StandardsControlArn: arn:aws:securityhub:eu-west-1:111111111111:control/cis-aws-foundations-benchmark/v/1.2.0/1.14\n          Reason: handled elsewhere\n";

/// 1. Moving the root deny into a module rootguard cannot read makes it `unknown`: the run fails.
#[test]
fn moving_the_guardrail_out_of_sight_fails() {
    let d = repo(
        "unknown",
        &[("rules.yaml", CONFIG_RULES), ("scps.yaml", &scps(&scp("DenyRoot", true, "")))],
    );
    std::fs::remove_file(d.join("scps.yaml")).unwrap();
    write(
        &d.join("main.tf"),
        "module \"org\" {\n  source  = \"example-org/scp/aws\"\n  version = \"2.1.0\"\n}\n",
    );
    commit(&d, &[]);
    let (_, v, code) = action(&d);
    assert_eq!(code, 1, "{v}");
    let r = rules(&v);
    assert!(r.contains(&"RG012".to_owned()) && r.contains(&"RG701".to_owned()), "{r:?}");
}

/// 2. A force-added file that `.gitignore` matches disables IAM.6: it is scanned.
#[test]
fn a_force_added_ignored_file_is_scanned() {
    let d = repo("ignored", &[("rules.yaml", CONFIG_RULES), (".gitignore", "local/\n")]);
    write(&d.join("local/securityhub.yaml"), DISABLE_IAM6);
    commit(&d, &["local/securityhub.yaml"]);
    let (_, v, code) = action(&d);
    assert_eq!(code, 1, "{v}");
    assert!(rules(&v).contains(&"RG301".to_owned()), "{v}");
}

/// 4. An edited vendored module copy declares a root deny the real module does not.
#[test]
fn an_edited_vendored_copy_is_reported() {
    let modules = "{\"Modules\":[{\"Key\":\"\",\"Source\":\"\",\"Dir\":\".\"},{\"Key\":\"org\",\"Source\":\"registry.terraform.io/example-org/scp/aws\",\"Version\":\"2.1.0\",\"Dir\":\".terraform/modules/org\"}]}\n";
    let d = repo(
        "vendored",
        &[
            ("rules.yaml", CONFIG_RULES),
            (
                "main.tf",
                "module \"org\" {\n  source  = \"example-org/scp/aws\"\n  version = \"2.1.0\"\n}\n",
            ),
            (".terraform/modules/modules.json", modules),
            (".terraform/modules/org/main.tf", "variable \"x\" {\n  default = 1\n}\n"),
        ],
    );
    write(
        &d.join(".terraform/modules/org/main.tf"),
        "resource \"aws_organizations_policy\" \"p\" {\n  name    = \"p\"\n  content = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Deny\", Action = \"*\", Resource = \"*\", Condition = { ArnLike = { \"aws:PrincipalArn\" = \"arn:aws:iam::*:root\" } } }] })\n}\nresource \"aws_organizations_policy_attachment\" \"a\" {\n  policy_id = aws_organizations_policy.p.id\n  target_id = \"r-ab12\"\n}\n",
    );
    commit(&d, &[".terraform"]);
    let (_, v, code) = action(&d);
    assert_eq!(code, 1, "{v}");
    assert!(rules(&v).contains(&"RG702".to_owned()), "{v}");
}

/// 6. Deleting the base's configuration does not remove its gate.
#[test]
fn deleting_the_configuration_keeps_the_base_gate() {
    let d = repo(
        "config-deleted",
        &[
            ("rules.yaml", CONFIG_RULES),
            ("scps.yaml", &scps(&scp("DenyRoot", true, ""))),
            (".rootguard.yml", "fail-on: medium\n"),
        ],
    );
    std::fs::remove_file(d.join(".rootguard.yml")).unwrap();
    // a new medium finding: the root MFA rule given parameters it does not take (RG105)
    write(
        &d.join("more.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  M:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      InputParameters: {a: b}\n      Source:\n        Owner: AWS\n        SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED\n",
    );
    commit(&d, &[]);
    let (_, v, code) = action(&d);
    assert!(rules(&v).contains(&"RG105".to_owned()), "{v}");
    assert_eq!(code, 1, "{v}");
}

/// 7. A waiver line copied next to a new unattached SCP does not suppress its finding.
#[test]
fn a_copied_waiver_suppresses_nothing() {
    let w = "# rootguard:ignore[RG202] reason=\"attached later\" owner=me@example.com expires=2030-01-01";
    let d = repo(
        "copied",
        &[
            ("rules.yaml", CONFIG_RULES),
            ("scps.yaml", &scps(&(scp("A", true, "") + &scp("B", false, w)))),
        ],
    );
    write(
        &d.join("scps.yaml"),
        &scps(&(scp("A", true, "") + &scp("B", false, w) + &scp("C", false, w))),
    );
    commit(&d, &[]);
    let (_, v, code) = action(&d);
    assert_eq!(code, 1, "{v}");
    let r = rules(&v);
    assert!(r.contains(&"RG202".to_owned()) && r.contains(&"RG903".to_owned()), "{r:?}");
}

/// 8. Excluding everything in the pull request's own configuration changes nothing under the
///    base's configuration.
#[test]
fn excluding_everything_hides_nothing() {
    let d = repo(
        "exclude",
        &[("rules.yaml", CONFIG_RULES), ("scps.yaml", &scps(&scp("DenyRoot", true, "")))],
    );
    write(&d.join(".rootguard.yml"), "exclude: [\"**\"]\n");
    write(&d.join("scps.yaml"), &scps(&scp("DenyRoot", false, "")));
    commit(&d, &[]);
    let (_, v, code) = action(&d);
    assert_eq!(code, 1, "{v}");
    assert!(rules(&v).contains(&"RG202".to_owned()), "{v}");
}

/// 9. A file name or value cannot forge a workflow command or an annotation.
#[test]
fn injected_names_forge_no_workflow_command() {
    let d = repo(
        "inject",
        &[("rules.yaml", CONFIG_RULES), ("scps.yaml", &scps(&scp("DenyRoot", true, "")))],
    );
    write(
        &d.join("x\n::error file=ok.tf::all clear\n.yaml"),
        &scps(&scp("Evil", false, "").replace("Name: Evil", "Name: \"a\\n::notice::forged\\n\"")),
    );
    commit(&d, &[]);
    let (out, _, code) = action(&d);
    assert_eq!(code, 1);
    for line in out.lines() {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice ")
                || line.starts_with("rootguard:"),
            "forged: {line:?}\n{out}"
        );
        assert!(!line.contains("::error file=ok.tf"), "{line}");
    }
}

/// 3. A symlink to a module directory is that module, not a second root module whose own
///    defaults outvote the real call.
#[cfg(unix)]
#[test]
fn a_symlinked_module_directory_does_not_outvote_the_call() {
    let module = "variable \"enabled\" {\n  type    = bool\n  default = true\n}\nresource \"aws_organizations_policy\" \"deny_root\" {\n  count   = var.enabled ? 1 : 0\n  name    = \"deny-root\"\n  content = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Deny\", Action = \"*\", Resource = \"*\", Condition = { ArnLike = { \"aws:PrincipalArn\" = \"arn:aws:iam::*:root\" } } }] })\n}\nresource \"aws_organizations_policy_attachment\" \"root\" {\n  count     = var.enabled ? 1 : 0\n  policy_id = aws_organizations_policy.deny_root[0].id\n  target_id = \"r-ab12\"\n}\n";
    let d = repo(
        "symlinked-module",
        &[
            ("rules.yaml", CONFIG_RULES),
            ("modules/scp/main.tf", module),
            ("main.tf", "module \"scp\" {\n  source  = \"./modules/scp\"\n  enabled = true\n}\n"),
        ],
    );
    write(
        &d.join("main.tf"),
        "module \"scp\" {\n  source  = \"./modules/scp\"\n  enabled = false\n}\n",
    );
    std::os::unix::fs::symlink("modules/scp", d.join("scp-alias")).unwrap();
    commit(&d, &[]);
    let (_, v, code) = action(&d);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["summary"]["guardrails"]["root-deny-scp"]["status"], "switched-off", "{v}");
    assert!(rules(&v).contains(&"RG701".to_owned()), "{v}");
}

/// 5. Instances past the `instances` limit are not dropped: a control disabled by the 300th
///    instance leaves the Security Hub controls `disabled`, a regression.
#[test]
fn instances_past_the_limit_are_not_dropped() {
    let tf = |n: usize| {
        format!(
            "resource \"aws_securityhub_standards_subscription\" \"fsbp\" {{\n  standards_arn = \"arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0\"\n}}\nresource \"aws_securityhub_standards_control\" \"off\" {{\n  count                 = {n}\n  standards_control_arn = count.index == 299 ? \"arn:aws:securityhub:eu-west-1:111111111111:control/aws-foundational-security-best-practices/v/1.0.0/IAM.6\" : \"arn:aws:securityhub:eu-west-1:111111111111:control/aws-foundational-security-best-practices/v/1.0.0/S3.${{count.index}}\"\n  control_status        = \"DISABLED\"\n  disabled_reason       = \"not used\"\n}}\n"
        )
    };
    let d = repo("instances", &[("rules.yaml", CONFIG_RULES), ("securityhub.tf", &tf(10))]);
    write(&d.join("securityhub.tf"), &tf(300));
    commit(&d, &[]);
    let (_, v, code) = action(&d);
    assert_eq!(code, 1, "{v}");
    assert_eq!(
        v["summary"]["guardrails"]["securityhub-root-mfa-controls"]["status"], "disabled",
        "{v}"
    );
    assert!(rules(&v).contains(&"RG701".to_owned()), "{v}");
}
