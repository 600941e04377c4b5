//! Pull-request mode: `--base REF` reports only what the change brings (new findings and
//! guardrails whose verdict got worse), and `--trust-base-config` keeps the gate of the base.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rootguard-pr-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/landing-zone");
    for sub in ["organization", "config", "security", "logging"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for e in std::fs::read_dir(src.join(sub)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.join(sub).join(e.file_name())).unwrap();
        }
    }
    common::git(&dir, &["init", "-q", "-b", "main"]);
    common::git(&dir, &["add", "-A"]);
    common::git(&dir, &["commit", "-q", "-m", "base"]);
    dir
}

fn check(dir: &Path, extra: &[&str]) -> (Value, i32) {
    let mut args = vec!["check", "--format", "json", "--base", "main"];
    args.extend(extra);
    args.push(".");
    let out = Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(&args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr))),
        out.status.code().unwrap_or(-1),
    )
}

fn detach(dir: &Path) {
    let f = dir.join("organization/service-control-policies.yaml");
    let text = std::fs::read_to_string(&f).unwrap();
    let text = text.replacen("      TargetIds:\n        - !GetAtt Organization.RootId\n", "", 1);
    std::fs::write(&f, text).unwrap();
}

#[test]
fn only_new_findings_and_regressions() {
    let dir = repo("new");
    // nothing changed: nothing to report, whatever the tree's own findings
    let (v, code) = check(&dir, &[]);
    assert_eq!(v["findings"].as_array().unwrap().len(), 0, "{}", v["findings"]);
    assert_eq!(code, 0);
    // the change detaches the root-deny SCP
    detach(&dir);
    let (v, code) = check(&dir, &[]);
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["RG701", "RG202"], "{}", v["findings"]);
    let r = &v["findings"][0];
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .contains("`root-deny-scp` got worse: `enforced` at main, `unattached` now"),
        "{r}"
    );
    assert_eq!(r["file"], "organization/service-control-policies.yaml");
    assert_eq!(code, 1);
    // the working tree is untouched
    assert!(!std::fs::read_to_string(dir.join("organization/service-control-policies.yaml")).unwrap().contains("TargetIds:\n        - !GetAtt Organization.RootId\n      Content:\n        Version: \"2012-10-17\"\n        Statement:\n          - Sid: DenyRootExcept"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn trust_base_config_keeps_the_base_gate() {
    let dir = repo("trust");
    detach(&dir);
    // the pull request also adds a waiver for what it breaks
    std::fs::write(
        dir.join(".rootguard.yml"),
        "waivers:\n  - rule: RG202\n    path: \"organization/*.yaml\"\n    reason: \"temporarily\"\n    owner: \"me@example.com\"\n    expires: 2999-01-01\n",
    )
    .unwrap();
    let (v, _) = check(&dir, &[]);
    let rg202 = v["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "RG202").unwrap();
    assert_eq!(
        rg202["suppressed"]["kind"], "config",
        "the pull request's own waiver applies without --trust-base-config"
    );
    let (v, code) = check(&dir, &["--trust-base-config"]);
    let rg202 = v["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "RG202").unwrap();
    assert!(
        rg202["suppressed"].is_null(),
        "with --trust-base-config the base has no such waiver: {rg202}"
    );
    assert_eq!(code, 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_base_is_a_tool_error() {
    let dir = repo("bad");
    let out = Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(["check", "--base", "no-such-ref", "."])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--trust-base-config`: deleting, moving or breaking the configuration in the pull request
/// does not change the gate; the base's configuration is found in the base tree.
#[test]
fn trust_base_config_survives_a_deleted_or_moved_configuration() {
    let dir = repo("trust-deleted");
    // the base gates at medium
    std::fs::write(dir.join(".rootguard.yml"), "fail-on: medium\n").unwrap();
    common::git(&dir, &["add", "-A"]);
    common::git(&dir, &["commit", "-q", "-m", "gate"]);
    // the pull request brings a new medium finding (RG105)...
    let rg105 = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules/RG105/fail/parameters.yaml");
    std::fs::copy(&rg105, dir.join("config/extra-rule.yaml")).unwrap();
    let (v, code) = check(&dir, &["--trust-base-config"]);
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "RG105"), "{v}");
    assert_eq!(code, 1);
    // ...and deletes the configuration: the base's still applies
    std::fs::remove_file(dir.join(".rootguard.yml")).unwrap();
    let (v, code) = check(&dir, &["--trust-base-config"]);
    assert_eq!(code, 1, "the base's configuration still applies: {v}");
    // without trust, the pull request's own (absent) configuration applies
    let (_, code) = check(&dir, &[]);
    assert_eq!(code, 0);
    // or it moves one with a catch-all waiver below the scanned path, where it is found first
    std::fs::write(
        dir.join("config/.rootguard.yml"),
        "fail-on: critical\nwaivers:\n  - rule: \"*\"\n    path: \"**\"\n    reason: r\n    owner: o\n    expires: 2999-01-01\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(["check", "--format", "json", "--base", "main", "--trust-base-config", "config"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["findings"].as_array().unwrap().iter().all(|f| f["suppressed"].is_null()), "{v}");
    assert_eq!(out.status.code(), Some(1), "{v}");
    std::fs::remove_dir_all(&dir).unwrap();
}
