//! Override files (`override.tf`, `*_override.tf`): merged into the primary blocks with the
//! same header, files in lexicographic order, then by position.
//! Spec: <https://developer.hashicorp.com/terraform/language/files/override>
//! (`internal/configs/module.go` `mergeFile`, `mergebody.go`).
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use serde_json::Value;

const DIRS: [&str; 7] = [
    "policy-document",
    "count-zero",
    "policy-content",
    "orphan",
    "nested-block",
    "variable-default",
    "output-value",
];

#[test]
fn snapshots() {
    let mut failures = Vec::new();
    for d in DIRS {
        let dir = format!("testdata/terraform/overrides/{d}");
        let (out, _, _) = common::run(&["check", "--color", "never", "--fail-on", "never", &dir]);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("testdata/terraform/overrides/{d}.expected.txt"));
        if let Err(e) = common::snapshot(&path, &out) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn status(v: &Value, g: &str) -> String {
    v["summary"]["guardrails"][g]["status"].as_str().unwrap().to_owned()
}

/// "Attribute in override replaces same-named attribute": an override `count = 0` switches the
/// rule off, and the finding points at the override file. A local is replaced by name, and
/// `override.tf` applies before `zz_override.tf`.
#[test]
fn an_override_count_switches_a_guardrail_off() {
    let v = common::check_json(&["testdata/terraform/overrides/count-zero"]);
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "switched-off");
    assert_eq!(status(&v, "root-mfa-rule"), "deployed");
    let f: Vec<&Value> = v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "RG010").collect();
    assert_eq!(f.len(), 1, "{f:?}");
    let at = f[0].to_string();
    assert!(at.contains("zz_override.tf"), "{at}");
    // without the override files, the rule is deployed
    let v = common::check_json(&["testdata/terraform/overrides/count-zero/main.tf"]);
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "deployed");
}

/// A variable's `default` replaced by an override: the rule is switched off, and the value that
/// decides it is the override's.
#[test]
fn an_override_variable_default_replaces_the_primary_one() {
    let v = common::check_json(&["testdata/terraform/overrides/variable-default"]);
    assert_eq!(status(&v, "root-mfa-rule"), "switched-off");
    let f: Vec<&Value> = v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "RG010").collect();
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].to_string().contains("variable-default/override.tf"), "{}", f[0]);
}

/// An output's `value` replaced by an override of the called module: the policy's content is
/// the override's, which denies nothing to the root user.
#[test]
fn an_override_output_value_replaces_the_primary_one() {
    let v = common::check_json(&["testdata/terraform/overrides/output-value"]);
    assert_eq!(status(&v, "root-deny-scp"), "missing");
}

/// A policy document's `statement` blocks replaced by those of an override.
#[test]
fn an_override_replaces_the_statements_of_a_policy_document() {
    let v = common::check_json(&["testdata/terraform/overrides/policy-document"]);
    assert_eq!(status(&v, "root-deny-scp"), "missing");
    let v = common::check_json(&["testdata/terraform/overrides/policy-document/main.tf"]);
    assert_eq!(status(&v, "root-deny-scp"), "enforced");
}

/// An attribute of a policy replaced by an override: the merged content is the override's.
#[test]
fn an_override_replaces_the_content_of_a_policy() {
    let v = common::check_json(&["testdata/terraform/overrides/policy-content"]);
    assert_ne!(status(&v, "root-deny-scp"), "enforced");
    let v = common::check_json(&["testdata/terraform/overrides/policy-content/main.tf"]);
    assert_eq!(status(&v, "root-deny-scp"), "enforced");
}

/// "Any nested block type present in the override replaces all blocks of that type".
#[test]
fn an_override_nested_block_replaces_the_original_ones() {
    let v = common::check_json(&["testdata/terraform/overrides/nested-block"]);
    assert_eq!(status(&v, "root-mfa-rule"), "missing");
}

/// An override block with no primary block is an error (`Missing resource to override`), and
/// so is an override of `depends_on` (`Unsupported override`).
#[test]
fn an_override_without_an_original_is_an_error_at_its_position() {
    let v = common::check_json(&["testdata/terraform/overrides/orphan"]);
    let f: Vec<&Value> = v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "RG001").collect();
    assert_eq!(f.len(), 2, "{f:?}");
    let at = f[0].to_string();
    assert!(
        at.contains("main_override.tf") && at.contains("Missing resource to override"),
        "{at}"
    );
    let at = f[1].to_string();
    assert!(at.contains("zz_override.tf") && at.contains("depends_on"), "{at}");
}

/// `OpenTofu`: `.tofu` files are read as Terraform files, and `foo.tofu` hides `foo.tf` in the
/// same directory (<https://opentofu.org/docs/language/files/>).
#[test]
fn tofu_files_are_read_and_hide_the_tf_file_of_the_same_name() {
    let dir = "testdata/terraform/tofu";
    let v = common::check_json(&[dir]);
    assert_eq!(status(&v, "root-mfa-rule"), "deployed");
    // `main.tf`'s hardware MFA rule is not read
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "missing");
    assert_eq!(v["summary"]["files"]["by_kind"]["terraform"], 2, "{}", v["summary"]["files"]);
    let (out, _, _) = common::run(&["check", "--color", "never", "--fail-on", "never", dir]);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/terraform/tofu.expected.txt");
    common::snapshot(&path, &out).unwrap();
}

/// An unparsable file without a guardrail marker or module call declares nothing: it is not an
/// unread declaration source, but what the module reads from it is unknown, whether or not the
/// prefilter runs (`--parse-all`).
#[test]
fn an_unparsable_file_without_a_marker_leaves_what_it_defines_unknown() {
    let dir = "testdata/terraform/unparsable-locals";
    for extra in [None, Some("--parse-all")] {
        let mut args = vec![dir];
        args.extend(extra);
        let v = common::check_json(&args);
        assert_eq!(status(&v, "root-mfa-rule"), "unknown", "{extra:?}");
        assert_eq!(status(&v, "root-hardware-mfa-rule"), "missing", "{extra:?}");
        assert!(v["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "RG001"));
    }
}
