//! Terraform landing zones: modules, variables and tfvars, `count/for_each` toggles, policy
//! documents and functions, with committed expected output.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use serde_json::Value;

fn verdicts(dir: &str) -> Value {
    common::check_json(&[dir])["summary"]["guardrails"].clone()
}

#[test]
fn snapshots() {
    let mut failures = Vec::new();
    for d in [
        "landing-zone",
        "toggled-off",
        "functions",
        "plan",
        "org-baseline",
        "pruning",
        "typed-variables",
    ] {
        let dir = format!("testdata/terraform/{d}");
        let (out, _, _) = common::run(&["check", "--color", "never", "--fail-on", "never", &dir]);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("testdata/terraform/{d}.expected.txt"));
        if let Err(e) = common::snapshot(&path, &out) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn modules_tfvars_and_policy_documents() {
    let g = verdicts("testdata/terraform/landing-zone");
    // the SCP is rendered from data.aws_iam_policy_document inside module.org, and attached
    // because terraform.tfvars switches the attachment on
    assert_eq!(g["root-deny-scp"]["status"], "enforced");
    assert_eq!(
        g["root-deny-scp"]["evidence"][0]["path"],
        "module.org.aws_organizations_policy.deny_root"
    );
    assert_eq!(g["root-hardware-mfa-rule"]["status"], "deployed");
    assert_eq!(g["root-usage-alarm"]["status"], "deployed");
    assert_eq!(g["centralized-root-access"]["status"], "enabled");
    // the IAM.6 disable has count = 0 by default
    assert_eq!(g["securityhub-root-mfa-controls"]["status"], "enabled");
}

/// Module directories without a guardrail marker are not parsed, but a module the SCP takes its
/// content or its target from is, and a skipped module call is not an unreadable module.
#[test]
fn modules_without_markers_are_skipped_unless_a_guardrail_reads_them() {
    let v = common::check_json(&["testdata/terraform/pruning"]);
    let g = &v["summary"]["guardrails"];
    assert_eq!(g["root-deny-scp"]["status"], "enforced", "{g}");
    assert_eq!(g["root-deny-scp"]["evidence"][0]["path"], "aws_organizations_policy.deny_root");
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(!rules.contains(&"RG011"), "{rules:?}");
    assert!(!rules.contains(&"RG204"), "{rules:?}");
    assert_eq!(v["summary"]["files"]["by_kind"]["terraform"], 5);
}

#[test]
fn toggles_are_switched_off_and_name_the_variable() {
    let v = common::check_json(&["testdata/terraform/toggled-off"]);
    assert_eq!(v["summary"]["guardrails"]["root-hardware-mfa-rule"]["status"], "switched-off");
    assert_eq!(v["summary"]["guardrails"]["root-mfa-rule"]["status"], "switched-off");
    let f: Vec<&Value> = v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "RG010").collect();
    assert_eq!(f.len(), 2);
    assert!(
        f.iter()
            .all(|f| f["message"].as_str().unwrap().contains("`var.enable_root_mfa_rules` is `false`"))
    );
}

/// Variable type constraints (<https://developer.hashicorp.com/terraform/language/expressions/type-constraints>):
/// `optional()` defaults fill what `terraform.tfvars` leaves out, module arguments are converted
/// to the child's variable types (`"true"` to a bool, an attribute the type does not name
/// dropped, nested defaults applied).
#[test]
fn variable_types_convert_values_and_module_arguments() {
    let g = verdicts("testdata/terraform/typed-variables");
    assert_eq!(g["root-deny-scp"]["status"], "enforced", "{g}");
    assert_eq!(g["root-usage-alarm"]["status"], "deployed", "{g}");
    // a `--var` of an object type is an HCL expression, converted like any other value
    let v = common::check_json(&["--var", "scp={deny_root = false}", "testdata/terraform/typed-variables"]);
    assert_eq!(v["summary"]["guardrails"]["root-deny-scp"]["status"], "unattached");
    // one that does not convert is Terraform's error, at the value on the command line, and the
    // variable is unknown
    let v = common::check_json(&["--var", r#"scp={deny_root = "maybe"}"#, "testdata/terraform/typed-variables"]);
    assert_eq!(v["summary"]["guardrails"]["root-deny-scp"]["status"], "unknown");
    let f: Vec<&Value> = v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "RG001").collect();
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0]["message"]
            .as_str()
            .unwrap()
            .contains(r#"attribute "deny_root": a bool is required"#),
        "{f:?}"
    );
    assert_eq!(f[0]["file"], "(command line)", "{f:?}");
    // `scp=` is 4 characters: the value `"maybe"` starts at column 18
    assert_eq!(
        (f[0]["start"]["line"].as_u64(), f[0]["start"]["column"].as_u64()),
        (Some(1), Some(18)),
        "{f:?}"
    );
    // a value of a primitive type is taken literally: no expression is parsed
    let v = common::check_json(&["--var", "security_topic_arn={not hcl", "testdata/terraform/typed-variables"]);
    assert!(!v["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "RG001"), "{v}");
}

#[test]
fn functions_and_heredocs() {
    let (out, _, _) = common::run(&["model", "testdata/terraform/functions"]);
    let m: Value = serde_json::from_str(&out).unwrap();
    let r = &m["config_rules"][0];
    assert_eq!(r["name"], "org-org-hardware-a,b,c,d");
    assert_eq!(r["owner"], "AWS");
    assert_eq!(r["identifier"], "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED");
    assert_eq!(r["frequency"], "TwentyFour_Hours");
    assert_eq!(m["policies"][0]["root_deny"], "full");
    assert_eq!(m["policies"][0]["targets"][0]["kind"], "root");
    assert_eq!(m["policies"][1]["root_deny"], "ineffective");
}

#[test]
fn unreadable_module_sources_make_absent_guardrails_unknown() {
    let g = verdicts("testdata/terraform/registry-module");
    for name in ["root-hardware-mfa-rule", "root-mfa-rule", "root-deny-scp", "root-usage-alarm"] {
        assert_eq!(g[name]["status"], "unknown", "{name}");
    }
    // the contract has no `unknown` for these two
    assert_eq!(g["centralized-root-access"]["status"], "missing");
    // declared clean: back to missing
    let v = common::check_json(&["--known-module", "acme/*", "testdata/terraform/registry-module"]);
    assert_eq!(v["summary"]["guardrails"]["root-hardware-mfa-rule"]["status"], "missing");
    assert!(!v["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "RG210"));
}

#[test]
fn modules_installed_by_terraform_init_are_read() {
    let (out, _, _) = common::run(&["model", "testdata/terraform/installed-module"]);
    let m: Value = serde_json::from_str(&out).unwrap();
    let r = &m["config_rules"][0];
    assert_eq!(r["id"], "module.root_mfa_rules.aws_config_config_rule.hardware");
    // the argument of the module call reaches the installed module
    assert_eq!(r["frequency"], "Twelve_Hours");
    assert_eq!(r["via"][0]["kind"], "module");
}

#[test]
fn variables_from_the_command_line_file_and_environment() {
    for args in [
        vec!["--var", "enable_root_mfa_rules=true"],
        vec!["--var-file", "testdata/terraform/var-files/enable.tfvars"],
    ] {
        let mut a = vec!["check", "--format", "json", "--fail-on", "never"];
        a.extend(args.iter().copied());
        a.push("testdata/terraform/toggled-off");
        let (out, _, _) = common::run(&a);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v["summary"]["guardrails"]["root-hardware-mfa-rule"]["status"], "deployed",
            "{args:?}"
        );
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(["check", "--format", "json", "--fail-on", "never", "testdata/terraform/toggled-off"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TF_VAR_enable_root_mfa_rules", "true")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["guardrails"]["root-mfa-rule"]["status"], "deployed");
    assert_eq!(
        common::run(&["check", "--var", "no-equals-sign", "testdata/terraform/toggled-off"]).2,
        2
    );
}

#[test]
fn plan_json_values_unknowns_attachments_and_deletes() {
    let v = common::check_json(&["testdata/terraform/plan"]);
    let g = &v["summary"]["guardrails"];
    assert_eq!(g["root-hardware-mfa-rule"]["status"], "deployed");
    // the attachment's policy_id is unknown in the plan; `configuration` links it, and its
    // target is the organization root
    assert_eq!(g["root-deny-scp"]["status"], "enforced");
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // one removal of a root MFA rule; the unrelated S3 rule's removal is not a guardrail
    assert_eq!(rules.iter().filter(|r| **r == "RG601").count(), 1);
    // content known only after apply is unknown, not a pass or a failure
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "RG011" && f["message"].as_str().unwrap().contains("known after apply"))
    );
}

#[test]
fn plan_findings_point_at_the_tf_source_when_it_is_scanned() {
    let v = common::check_json(&["testdata/terraform/plan-with-source"]);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "RG107")
        .expect("excluded accounts reported");
    assert_eq!(f["file"], "testdata/terraform/plan-with-source/main.tf");
    assert_eq!(f["start"]["line"], 8);
    assert!(f["message"].as_str().unwrap().contains("222222222222"), "the plan's value: {f}");
    // one declaration, not one per input
    assert_eq!(
        v["summary"]["guardrails"]["root-hardware-mfa-rule"]["evidence"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn plan_format_2_is_refused_clearly() {
    let (out, _, code) = common::run(&["check", "--format", "json", "testdata/terraform/plan-format-2.json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "RG001")
        .expect("refused");
    assert!(f["message"].as_str().unwrap().contains("`format_version` 2.0"), "{f}");
}

#[test]
fn nested_modules_for_each_attachments_templatefile_and_packs_read_with_file() {
    let v = common::check_json(&["testdata/terraform/org-baseline"]);
    let g = &v["summary"]["guardrails"];
    assert_eq!(g["root-deny-scp"]["status"], "enforced");
    assert_eq!(
        g["root-deny-scp"]["evidence"][0]["path"],
        "module.organization.module.scps.aws_organizations_policy.deny_root"
    );
    // the pack read with file() is the module's declaration, with the pack file's positions
    let e = &g["root-hardware-mfa-rule"]["evidence"];
    assert_eq!(e.as_array().unwrap().len(), 1, "{e}");
    assert_eq!(
        e[0]["file"],
        "testdata/terraform/org-baseline/modules/config/packs/cis-level-2.yaml"
    );
    assert_eq!(e[0]["start"]["line"], 8);
    let (out, _, _) = common::run(&["model", "testdata/terraform/org-baseline"]);
    let m: Value = serde_json::from_str(&out).unwrap();
    let targets = &m["policies"][0]["targets"];
    assert_eq!(targets.as_array().unwrap().len(), 2, "{targets}");
    assert!(targets.as_array().unwrap().iter().all(|t| t["kind"] == "ou"));
}

#[test]
fn file_reads_stay_inside_the_scanned_tree() {
    let dir = std::env::temp_dir().join(format!("rootguard-confine-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("scan")).unwrap();
    std::fs::write(dir.join("secret.json"), r#"{"Version":"2012-10-17","Statement":[]}"#).unwrap();
    std::fs::write(
        dir.join("scan/main.tf"),
        "resource \"aws_organizations_policy\" \"p\" {\n  name    = \"p\"\n  content = file(\"../secret.json\")\n}\n",
    )
    .unwrap();
    let scan = dir.join("scan");
    let (out, _, _) = common::run(&["model", scan.to_str().unwrap()]);
    let m: Value = serde_json::from_str(&out).unwrap();
    assert!(
        m["policies"][0]["content_unknown"]
            .as_str()
            .unwrap()
            .contains("outside the scanned tree"),
        "{}",
        m["policies"][0]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A reusable module scanned on its own attaches its SCP to a required variable: the policy is
/// attached to whatever root, OU or account the caller passes, and says so in a note: on the
/// target in the model document, on the declaration in the report, and on the policy's
/// findings.
#[test]
fn a_required_target_is_the_callers_choice() {
    let d = std::env::temp_dir().join(format!("rootguard-terraform-{}-caller", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    // a root deny that also tests MFA with `Bool` (RG208, a warning on the policy)
    std::fs::write(
        d.join("main.tf"),
        r#"variable "target_id" {
  type = string
}

resource "aws_organizations_policy" "deny_root" {
  name = "deny-root"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Action    = "*"
      Resource  = "*"
      Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::*:root" }, Bool = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

resource "aws_organizations_policy_attachment" "this" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = var.target_id
}
"#,
    )
    .unwrap();
    let dir = d.to_string_lossy().into_owned();
    let note = "the target is supplied by the module's caller: variable `target_id` has no default and no value is given";
    let v = common::check_json(&[&dir]);
    let g = &v["summary"]["guardrails"]["root-deny-scp"];
    // attached (the MFA test makes it partial, not unattached or unknown)
    assert_eq!(g["status"], "partial", "{g}");
    assert_eq!(g["evidence"][0]["notes"], serde_json::json!([note]), "{g}");
    for rule in ["RG203", "RG208"] {
        let f: Vec<&Value> = v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule).collect();
        assert_eq!(f.len(), 1, "{rule}: {v}");
        assert_eq!(f[0]["notes"], serde_json::json!([note]), "{rule}");
    }
    let (out, _, _) = common::run(&["model", &dir]);
    let m: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        m["policies"][0]["targets"],
        serde_json::json!([{"kind": "reference", "id": "var.target_id", "note": note}])
    );
    // given a value, the variable is not the caller's choice any more: no note
    let v = common::check_json(&["--var", "target_id=ou-ab12-11111111", &dir]);
    let g = &v["summary"]["guardrails"]["root-deny-scp"];
    assert_eq!(g["status"], "partial");
    assert!(g["evidence"][0].get("notes").is_none(), "{g}");
    let _ = std::fs::remove_dir_all(&d);
}

/// A reference to a resource reads the attributes its configuration decides (the AWS provider
/// exports every argument as an attribute, a metric filter's `id` is its name, a policy's
/// `type` defaults to `SERVICE_CONTROL_POLICY`), in 0.11-style interpolation too; an attribute
/// the provider computes (`aws_sns_topic.x.arn`) stays unknown.
/// <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_metric_filter>
#[test]
fn configured_attributes_are_known_computed_ones_are_not() {
    let d = std::env::temp_dir().join(format!("rootguard-terraform-{}-attributes", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(
        d.join("main.tf"),
        r#"resource "aws_config_config_rule" "hw" {
  name = "root-hardware-mfa"
  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"
  }
}

resource "aws_config_config_rule" "copy" {
  name = "${aws_config_config_rule.hw.name}-copy"
  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_MFA_ENABLED"
  }
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_organizations_policy" "typed" {
  name    = "p-${aws_organizations_policy.named.type}"
  content = "{}"
}

resource "aws_organizations_policy" "named" {
  name    = aws_sns_topic.alerts.arn
  content = "{}"
}

resource "aws_cloudwatch_log_metric_filter" "root" {
  name           = "root-usage"
  log_group_name = "trail"
  pattern        = "{ $.userIdentity.type = \"Root\" }"
  metric_transformation {
    name      = "RootUsage"
    namespace = "CIS"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "by_id" {
  alarm_name    = "by-id"
  metric_name   = aws_cloudwatch_log_metric_filter.root.id
  namespace     = "${aws_cloudwatch_log_metric_filter.root.metric_transformation.0.namespace}"
  alarm_actions = [aws_sns_topic.alerts.arn]
}
"#,
    )
    .unwrap();
    let (out, _, _) = common::run(&["model", &d.to_string_lossy()]);
    let m: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(m["config_rules"][1]["name"], "root-hardware-mfa-copy");
    assert_eq!(m["policies"][0]["name"], "p-SERVICE_CONTROL_POLICY");
    assert_eq!(
        m["policies"][1]["name"],
        serde_json::json!({"unknown": "`aws_sns_topic.alerts.arn` is known after apply"})
    );
    assert_eq!(m["metric_alarms"][0]["metric_name"], "root-usage");
    assert_eq!(m["metric_alarms"][0]["namespace"], "CIS");
    let _ = std::fs::remove_dir_all(&d);
}
