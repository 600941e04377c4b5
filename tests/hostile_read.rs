//! Hostile input, reading: large and wide documents are read in linear time and memory, with
//! their per-element problems bounded; every file is read through one confined, size-limited,
//! regular-file-only reader; module directories are resolved once, by real path; a committed
//! `.terraform/modules` copy is trusted only when `modules.json` matches the module call.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rootguard-read-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A generous bound for a debug build on a loaded machine: what these tests guard against
/// (quadratic reading, a read that blocks) takes minutes or forever.
const BOUND: Duration = Duration::from_secs(30);

/// Run `check --format json --fail-on never EXTRA… DIR`; panics past [`BOUND`].
fn check(dir: &Path, extra: &[&str]) -> (Value, String) {
    let start = Instant::now();
    let mut args = vec!["check", "--format", "json", "--fail-on", "never"];
    args.extend_from_slice(extra);
    let d = dir.to_string_lossy().into_owned();
    args.push(&d);
    let (out, err, code) = common::run(&args);
    let took = start.elapsed();
    assert!(took < BOUND, "{d}: took {took:?}\n{err}");
    assert_eq!(code, 0, "{d}: {err}");
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{d}: {e}\n{out}\n{err}"));
    (v, err)
}

fn findings(v: &Value) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_owned(), f["message"].as_str().unwrap().to_owned()))
        .collect()
}

fn count(v: &Value, rule: &str) -> usize {
    findings(v).iter().filter(|(r, _)| r == rule).count()
}

fn has(v: &Value, rule: &str, text: &str) -> bool {
    findings(v).iter().any(|(r, m)| r == rule && m.contains(text))
}

fn status(v: &Value, guardrail: &str) -> String {
    v["summary"]["guardrails"][guardrail]["status"].as_str().unwrap_or("").to_owned()
}

const HW_RULE: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      Source:\n        Owner: AWS\n        SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\n";

// ---- linear-time reading -------------------------------------------------------------------

#[test]
fn wide_maps_are_read_in_linear_time() {
    let d = scratch("wide");
    let n = 200_000;
    let mut json = String::from("{\"Statement\": []");
    let mut yaml = String::from("# AWS::Config\n");
    for i in 0..n {
        write!(json, ", \"key{i:06}\": {i}").unwrap();
        writeln!(yaml, "key{i:06}: {i}").unwrap();
    }
    json.push('}');
    std::fs::write(d.join("wide.json"), json).unwrap();
    std::fs::write(d.join("wide.yaml"), yaml).unwrap();
    let (v, err) = check(&d, &[]);
    // 200,000 stray policy keys: the first 100 one by one, then one finding for the rest (and
    // the missing version, the size)
    assert_eq!(count(&v, "RG207"), 101 + 2, "{:?}\n{err}", findings(&v));
    assert!(has(&v, "RG207", "199900 more unexpected top-level elements"), "{:?}", findings(&v));
}

#[test]
fn many_duplicate_keys_are_found_in_linear_time_and_bounded() {
    let d = scratch("dups");
    let n = 100_000;
    let mut json = String::from("{\"Statement\": []");
    let mut yaml = String::from("AWSTemplateFormatVersion: '2010-09-09'\nDescription: AWS::Config\nResources: {}\n");
    for i in 0..n {
        write!(json, ", \"k\": {i}").unwrap();
        writeln!(yaml, "k: {i}").unwrap();
    }
    json.push('}');
    std::fs::write(d.join("dups.json"), json).unwrap();
    std::fs::write(d.join("dups.yaml"), yaml).unwrap();
    let (v, _) = check(&d, &[]);
    // per file: 100 duplicate-key findings, then one that counts the rest
    assert_eq!(count(&v, "RG001"), 2 * 101, "{:?}", findings(&v));
    let more = findings(&v)
        .iter()
        .filter(|(r, m)| r == "RG001" && m.starts_with("99899 more `duplicate-key` problem(s)"))
        .count();
    assert_eq!(more, 2, "{:?}", findings(&v));
}

#[test]
fn a_template_with_100000_resources_is_read_in_linear_time() {
    let d = scratch("resources");
    let mut t = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    for i in 0..100_000 {
        write!(t, "  B{i}:\n    Type: AWS::S3::Bucket\n").unwrap();
    }
    t.push_str(&HW_RULE[HW_RULE.find("  R:").unwrap()..]);
    std::fs::write(d.join("t.yaml"), t).unwrap();
    let (v, _) = check(&d, &[]);
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "deployed");
}

#[test]
fn a_one_line_policy_with_80000_statements_is_bounded_and_rejected() {
    let d = scratch("statements");
    let n = 80_000;
    let stmts: Vec<String> = (0..n)
        .map(|i| format!("{{\"Effect\": \"Deny\", \"Action\": \"s3:x{i}\", \"Resource\": \"*\"}}"))
        .collect();
    let text = format!("{{\"Version\": \"2012-10-17\", \"Statement\": [{}]}}", stmts.join(","));
    std::fs::write(d.join("scp.json"), &text).unwrap();
    let (v, _) = check(&d, &[]);
    assert!(has(&v, "RG207", "the policy has 80000 statements"), "{:?}", findings(&v));
    assert_ne!(status(&v, "root-deny-scp"), "enforced");
    // the column of a finding far along the one line is its character position
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains("80000 statements"))
        .unwrap();
    let at = text.find("{\"Effect\": \"Deny\", \"Action\": \"s3:x1000\"").unwrap();
    assert_eq!(f["start"]["line"], 1);
    assert_eq!(f["start"]["column"], at + 1);
}

#[test]
fn a_long_string_is_read() {
    let d = scratch("long-string");
    let long = "é".repeat(2 << 20);
    let t = HW_RULE.replace("      Source:", &format!("      Description: {long}\n      Source:"));
    std::fs::write(d.join("t.yaml"), t).unwrap();
    let (v, _) = check(&d, &[]);
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "deployed");
}
