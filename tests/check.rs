//! `rootguard check` end to end: exact human and JSON output on the landing-zone example, exit
//! codes, user policies, and the report contract.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

const CONTRACT: &[(&str, &[&str])] = &[
    (
        "root-hardware-mfa-rule",
        &["deployed", "misconfigured", "switched-off", "unknown", "missing"],
    ),
    (
        "root-mfa-rule",
        &["deployed", "misconfigured", "switched-off", "unknown", "missing"],
    ),
    (
        "root-deny-scp",
        &[
            "enforced",
            "unattached",
            "partial",
            "ineffective",
            "switched-off",
            "unknown",
            "missing",
        ],
    ),
    ("securityhub-root-mfa-controls", &["enabled", "disabled", "not-declared"]),
    ("root-usage-alarm", &["deployed", "incomplete", "unknown", "missing"]),
    ("centralized-root-access", &["enabled", "missing"]),
];

fn e2e(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/e2e").join(name)
}

#[test]
fn landing_zone_human_output() {
    let (out, err, code) = common::run(&["check", "--color", "never", "testdata/landing-zone"]);
    assert_eq!(code, 1, "{err}");
    common::snapshot(&e2e("landing-zone.expected.txt"), &out).unwrap();
}

#[test]
fn landing_zone_json_output_follows_the_contract() {
    let (out, err, code) = common::run(&["check", "--format", "json", "testdata/landing-zone"]);
    assert_eq!(code, 1, "{err}");
    common::snapshot(&e2e("landing-zone.expected.json"), &out).unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    let g = &v["summary"]["guardrails"];
    for (name, statuses) in CONTRACT {
        let s = g[name]["status"].as_str().unwrap_or_else(|| panic!("{name} has no status"));
        assert!(statuses.contains(&s), "{name}: {s}");
        assert!(g[name]["evidence"].is_array(), "{name}: no evidence");
    }
    assert_eq!(g["root-deny-scp"]["status"], "enforced");
    assert_eq!(g["root-usage-alarm"]["status"], "incomplete");
    for f in v["findings"].as_array().unwrap() {
        for k in ["rule", "severity", "message", "file", "help"] {
            assert!(f[k].is_string(), "finding without {k}: {f}");
        }
        assert!(f["start"]["line"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn fail_on_sets_the_exit_code() {
    let dir = "testdata/landing-zone";
    assert_eq!(common::run(&["check", "--fail-on", "never", dir]).2, 0);
    assert_eq!(common::run(&["check", "--fail-on", "critical", dir]).2, 0);
    assert_eq!(common::run(&["check", "--fail-on", "high", dir]).2, 1);
    assert_eq!(
        common::run(&["check", "--fail-on", "info", "testdata/rules/RG202/pass/attached-to-ou.yaml"]).2,
        1
    );
    // a clean tree for every guardrail but the low-severity ones passes at the default level
    let (_, _, code) = common::run(&["check", "testdata/rules/RG401/pass/filter-and-alarm.yaml", "--fail-on", "critical"]);
    assert_eq!(code, 0);
}

#[test]
fn the_default_command_is_check() {
    let (a, _, ca) = common::run(&["--fail-on", "never", "testdata/landing-zone"]);
    let (b, _, cb) = common::run(&["check", "--fail-on", "never", "testdata/landing-zone"]);
    assert_eq!((a, ca), (b, cb));
}

#[test]
fn tool_errors_exit_2() {
    let (_, err, code) = common::run(&["check", "testdata/no-such-dir"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read testdata/no-such-dir"), "{err}");
    let (_, err, code) = common::run(&["check", "--policy", "testdata/policies/broken.guard", "testdata/landing-zone"]);
    assert_eq!(code, 2);
    assert!(err.contains("broken.guard"), "{err}");
    let (_, _, code) = common::run(&["check", "--exclude", "[", "testdata/landing-zone"]);
    assert_eq!(code, 2);
    let (_, _, code) = common::run(&["check", "--no-such-flag"]);
    assert_eq!(code, 2);
}

#[test]
fn a_malformed_relevant_file_fails_the_check() {
    let (out, _, code) = common::run(&["check", "--format", "json", "testdata/rules/RG001/fail/trailing-comma.json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "RG001" && f["start"]["line"] == 4)
    );
}

#[test]
fn user_policies_are_reported_like_built_in_rules() {
    let (out, err, _) = common::run(&[
        "check",
        "--format",
        "json",
        "--policy",
        "testdata/policies/org-rules.guard",
        "testdata/landing-zone",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ORG_LEVEL_ROOT_MFA_RULES")
        .expect("the user rule fired");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["file"], "testdata/landing-zone/config/conformance-pack.yaml");
    assert!(f["message"].as_str().unwrap().contains("must be an organization rule"), "{f}");
}

#[test]
fn rules_and_explain() {
    let (out, _, code) = common::run(&["rules"]);
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l.starts_with("RG101")));
    let (out, _, code) = common::run(&["explain", "RG202"]);
    assert_eq!(code, 0);
    for s in rootguard::rules::SECTIONS {
        assert!(out.contains(&format!("## {s}")), "explain lacks {s}");
    }
    assert_eq!(common::run(&["explain", "RG999"]).2, 2);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(["check", "--fail-on", "never", "testdata/landing-zone"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(status.code(), Some(0), "{err}");
}

#[test]
fn quiet_keeps_the_verdict_and_the_exit_code() {
    let (out, _, code) = common::run(&["check", "-q", "--color", "never", "testdata/hooks/fail"]);
    assert_eq!(code, 1);
    assert!(!out.contains("high[RG202]"), "{out}");
    assert!(
        out.contains("Guardrails") && out.contains("failing: a finding at or above `high`"),
        "{out}"
    );
}

/// `--select` and `--ignore` pick rules by id or glob, like the configuration's `rules:`; an id
/// that matches no rule is a usage error.
#[test]
fn select_and_ignore_on_the_command_line() {
    let ids = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["--select"];
        a.extend_from_slice(args);
        let v = common::check_json(&a);
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect()
    };
    let only = ids(&["RG2*", "testdata/landing-zone"]);
    assert!(!only.is_empty() && only.iter().all(|r| r.starts_with("RG2")), "{only:?}");
    let (out, _, _) = common::run(&[
        "check",
        "--format",
        "json",
        "--fail-on",
        "never",
        "--ignore",
        "RG204,RG210",
        "testdata/landing-zone",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] != "RG204" && f["rule"] != "RG210"),
        "{v}"
    );
    let (_, err, code) = common::run(&["check", "--select", "RG999", "testdata/landing-zone"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no rule matches `RG999`"), "{err}");
}
