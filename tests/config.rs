//! `.rootguard.yml`: discovery, validation with positions, rule selection and severities,
//! waivers from the configuration and inline, expiry, unsuppressible rules; `init`, completions.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use serde_json::Value;

fn run_today(args: &[&str], today: &str) -> (Value, i32) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ROOTGUARD_TODAY", today)
        .output()
        .unwrap();
    (
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr))),
        out.status.code().unwrap_or(-1),
    )
}

fn by_rule<'a>(v: &'a Value, rule: &str) -> Vec<&'a Value> {
    v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule).collect()
}

#[test]
fn waivers_suppress_expire_and_respect_unsuppressible_rules() {
    let (v, code) = run_today(&["check", "--format", "json", "testdata/waivers"], "2026-01-15");
    // a config waiver by path glob
    assert_eq!(by_rule(&v, "RG104")[0]["suppressed"]["kind"], "config");
    // an inline waiver on the declaration covers its findings...
    assert_eq!(by_rule(&v, "RG203")[0]["suppressed"]["kind"], "inline");
    // ...except for an unsuppressible rule
    assert!(by_rule(&v, "RG204")[0]["suppressed"].is_null());
    // the RG403 waiver expired on 2025-06-30: it suppresses nothing and is reported itself
    assert!(by_rule(&v, "RG403")[0]["suppressed"].is_null());
    let expired = by_rule(&v, "RG901");
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["file"], "testdata/waivers/.rootguard.yml");
    assert_eq!(expired[0]["start"]["line"], 12);
    // an inline waiver without owner and expiry is reported and suppresses nothing
    let invalid = by_rule(&v, "RG902");
    assert_eq!(invalid.len(), 1);
    assert!(
        invalid[0]["message"].as_str().unwrap().contains("lacks owner, expires"),
        "{}",
        invalid[0]
    );
    // severity override from the configuration
    assert_eq!(by_rule(&v, "RG501")[0]["severity"], "medium");
    // RG204 (high, unsuppressible) fails the run
    assert_eq!(code, 1);

    // before the expiry date, the RG403 waiver still holds
    let (v, _) = run_today(&["check", "--format", "json", "testdata/waivers"], "2025-06-01");
    assert_eq!(by_rule(&v, "RG403")[0]["suppressed"]["kind"], "config");
    assert!(by_rule(&v, "RG901").is_empty());
}

#[test]
fn waived_findings_are_suppressions_in_sarif() {
    let (v, _) = run_today(&["check", "--format", "sarif", "testdata/waivers"], "2026-01-15");
    let results = v["runs"][0]["results"].as_array().unwrap();
    let r = results.iter().find(|r| r["ruleId"] == "RG104").unwrap();
    assert_eq!(r["suppressions"][0]["kind"], "external");
    let r = results.iter().find(|r| r["ruleId"] == "RG203").unwrap();
    assert_eq!(r["suppressions"][0]["kind"], "inSource");
}

#[test]
fn bad_configuration_is_an_error_with_its_position() {
    let dir = std::env::temp_dir().join(format!("rootguard-cfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(".rootguard.yml"), "fail-on: high\nrules:\n  selekt: [RG1*]\n").unwrap();
    let (_, err, code) = common::run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains(".rootguard.yml:3:3: unknown key `selekt` in `rules`"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rule_selection_and_fail_on_from_the_configuration() {
    let dir = std::env::temp_dir().join(format!("rootguard-sel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules/RG202/fail/no-targets.yaml"),
        dir.join("t.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.join(".rootguard.yml"),
        "fail-on: never\nrules:\n  select: [\"RG2*\"]\n  ignore: [RG210]\n",
    )
    .unwrap();
    let (out, _, code) = common::run(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "fail-on: never from the configuration");
    let v: Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"RG202") && !rules.contains(&"RG210") && !rules.iter().any(|r| r.starts_with("RG1")),
        "{rules:?}"
    );
    // the command line wins over the configuration
    assert_eq!(common::run(&["check", "--fail-on", "high", dir.to_str().unwrap()]).2, 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn init_writes_a_starter_that_parses_and_completions_print() {
    let dir = std::env::temp_dir().join(format!("rootguard-init-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run_in = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rootguard"))
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    assert!(run_in(&["init"]).status.success());
    assert_eq!(run_in(&["init"]).status.code(), Some(2), "no overwrite without --force");
    assert!(run_in(&["init", "--force"]).status.success());
    let text = std::fs::read_to_string(dir.join(".rootguard.yml")).unwrap();
    rootguard::config::parse(&dir.join(".rootguard.yml"), &text).expect("the starter parses");
    // the starter is used from then on
    assert!(run_in(&["check", "--format", "json", "."]).status.code().is_some());
    std::fs::remove_dir_all(&dir).unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let (out, _, code) = common::run(&["completions", shell]);
        assert_eq!(code, 0);
        assert!(out.contains("rootguard"), "{shell}");
    }
}

#[test]
fn s3_templates_kept_in_the_repository_are_read() {
    let v = common::check_json(&["testdata/s3-templates"]);
    let g = &v["summary"]["guardrails"]["root-hardware-mfa-rule"];
    assert_eq!(g["status"], "deployed");
    assert_eq!(g["evidence"].as_array().unwrap().len(), 1, "read once: {g}");
    assert_eq!(g["evidence"][0]["file"], "testdata/s3-templates/packs/cis-level-2.yaml");
    // without the mapping the pack is behind an S3 URI: unknown
    let v = common::check_json(&["--config", "/dev/null", "testdata/s3-templates/packs.yaml"]);
    assert_eq!(v["summary"]["guardrails"]["root-hardware-mfa-rule"]["status"], "unknown");
}

/// A waiver's `expires` is a real calendar date `YYYY-MM-DD`: in the configuration a bad one is
/// an error at the value (exit 2), inline it is RG902 and suppresses nothing.
#[test]
fn waiver_expiry_is_a_real_calendar_date() {
    let dir = std::env::temp_dir().join(format!("rootguard-dates-{}", std::process::id()));
    for (date, ok) in [
        ("2028-02-29", true),
        ("2027-02-29", false),
        ("2100-02-29", false),
        ("2030-13-01", false),
        ("2030-01-00", false),
        ("2030-2-1", false),
        ("2030-02-31", false),
    ] {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let d = dir.to_str().unwrap();
        std::fs::write(
            dir.join(".rootguard.yml"),
            format!("waivers:\n  - rule: RG202\n    path: x\n    reason: r\n    owner: o\n    expires: {date}\n"),
        )
        .unwrap();
        let (_, err, code) = common::run(&["check", "--fail-on", "never", d]);
        if ok {
            assert_eq!(code, 0, "{date}: {err}");
        } else {
            assert_eq!(code, 2, "{date}: {err}");
            let want = format!(".rootguard.yml:6:14: `expires` must be a date YYYY-MM-DD, not `{date}`");
            assert!(err.contains(&want), "{date}: {err}");
        }
        std::fs::remove_file(dir.join(".rootguard.yml")).unwrap();
        std::fs::write(
            dir.join("t.yaml"),
            format!("# rootguard:ignore[RG202] reason=\"r\" owner=o expires={date}\nAWSTemplateFormatVersion: '2010-09-09'\n"),
        )
        .unwrap();
        let (v, _) = run_today(&["check", "--format", "json", "--fail-on", "never", d], "2026-01-15");
        let invalid = by_rule(&v, "RG902");
        if ok {
            assert!(invalid.is_empty(), "{date}: {invalid:?}");
        } else {
            assert_eq!(invalid.len(), 1, "{date}: {v}");
            let msg = invalid[0]["message"].as_str().unwrap();
            assert!(msg.contains(&format!("`expires={date}` is not a date YYYY-MM-DD")), "{date}: {msg}");
            assert_eq!(
                (&invalid[0]["start"]["line"], &invalid[0]["start"]["column"]),
                (&1.into(), &3.into())
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
