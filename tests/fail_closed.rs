//! Fail closed: whatever a repository holds, a guardrail that cannot be proven never makes the
//! run pass where a missing one would fail.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rootguard-fail-closed-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// `rootguard ARGS` in `dir`: (JSON report, stderr, exit code).
fn run_in(dir: &Path, args: &[&str]) -> (Value, String, i32) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ROOTGUARD_TODAY", "2026-06-01")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (v, err, out.status.code().unwrap_or(-1))
}

fn rules_of(v: &Value, rule: &str) -> Vec<Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .cloned()
        .collect()
}

const PACK_IN_S3: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Pack:\n    Type: AWS::Config::ConformancePack\n    Properties:\n      ConformancePackName: root-mfa\n      TemplateS3Uri: s3://example-config-packs/root-mfa.yaml\n";

/// An `unknown` verdict fails the run wherever `missing` would: by the severity of the
/// guardrail's `missing` rule, configured or not; RG012's own severity wins; a waiver with
/// owner and expiry accepts it.
#[test]
fn unknown_fails_wherever_missing_would() {
    let d = scratch("gate");
    write(&d.join("pack.yaml"), PACK_IN_S3);
    // only the two Config-rule guardrails are judged
    let only_rules = "rules:\n  ignore: [RG201, RG401, RG501]\n";
    write(&d.join(".rootguard.yml"), only_rules);
    let (v, err, code) = run_in(&d, &["check", "--format", "json", "."]);
    assert_eq!(v["summary"]["guardrails"]["root-hardware-mfa-rule"]["status"], "unknown", "{err}");
    assert_eq!(code, 1, "an unknown hardware-MFA rule must fail like a missing one: {v}");
    let gate = rules_of(&v, "RG012");
    assert_eq!(gate.len(), 2, "{gate:?}");
    let hw = gate.iter().find(|f| f["guardrail"] == "root-hardware-mfa-rule").unwrap();
    assert_eq!(hw["severity"], "high");
    assert_eq!(hw["start"]["line"], 7, "{hw}");
    let msg = hw["message"].as_str().unwrap();
    assert!(
        msg.contains("conformance pack `root-mfa`") && msg.contains("s3://example-config-packs/root-mfa.yaml"),
        "{msg}"
    );
    assert!(hw["help"].as_str().unwrap().contains("`templates:`"), "{hw}");
    // the root-MFA rule's missing rule is medium: so is its unknown verdict
    let mfa = gate.iter().find(|f| f["guardrail"] == "root-mfa-rule").unwrap();
    assert_eq!(mfa["severity"], "medium");

    // missing would not fail (RG101 lowered): neither does unknown
    write(&d.join(".rootguard.yml"), &format!("{only_rules}  severity: {{RG101: low}}\n"));
    let (v, _, code) = run_in(&d, &["check", "--format", "json", "."]);
    assert_eq!(code, 0, "{v}");
    assert!(rules_of(&v, "RG012").iter().all(|f| f["severity"] != "high"));

    // a severity configured for RG012 itself is kept
    write(
        &d.join(".rootguard.yml"),
        &format!("{only_rules}  severity: {{RG101: low, RG012: critical}}\n"),
    );
    let (v, _, code) = run_in(&d, &["check", "--format", "json", "."]);
    assert_eq!(code, 1, "{v}");
    assert!(rules_of(&v, "RG012").iter().all(|f| f["severity"] == "critical"));

    // the guardrail's missing rule not selected: the guardrail is not judged at all
    write(&d.join(".rootguard.yml"), "rules:\n  ignore: [RG101, RG102, RG201, RG401, RG501]\n");
    let (v, _, code) = run_in(&d, &["check", "--format", "json", "."]);
    assert_eq!(code, 0, "{v}");
    assert!(rules_of(&v, "RG012").is_empty());

    // an accepted gap: a waiver with owner and expiry
    write(
        &d.join(".rootguard.yml"),
        &format!(
            "{only_rules}waivers:\n  - rule: RG012\n    path: pack.yaml\n    reason: pack deployed by the config pipeline\n    owner: platform-security\n    expires: 2027-01-31\n"
        ),
    );
    let (v, _, code) = run_in(&d, &["check", "--format", "json", "."]);
    assert_eq!(code, 0, "{v}");
    assert!(
        rules_of(&v, "RG012")
            .iter()
            .all(|f| f["suppressed"]["owner"] == "platform-security")
    );
}

/// An unreadable registry module makes the guardrails it could declare unknown, and the run
/// fails with the remedy for that cause.
#[test]
fn an_unreadable_module_fails_with_its_remedy() {
    let d = scratch("module");
    write(
        &d.join("main.tf"),
        "module \"org\" {\n  source  = \"example-org/scp/aws\"\n  version = \"2.1.0\"\n}\n",
    );
    let (v, _, code) = run_in(&d, &["check", "--format", "json", "."]);
    assert_eq!(code, 1, "{v}");
    let scp = rules_of(&v, "RG012")
        .into_iter()
        .find(|f| f["guardrail"] == "root-deny-scp")
        .unwrap();
    assert_eq!(scp["severity"], "high");
    assert!(scp["help"].as_str().unwrap().contains("terraform init"), "{scp}");
    assert!(scp["help"].as_str().unwrap().contains("known-modules"), "{scp}");
    // a known module decides nothing: the verdicts are missing, not unknown
    let (v, _, _) = run_in(&d, &["check", "--format", "json", "--known-module", "example-org/*", "."]);
    assert_eq!(v["summary"]["guardrails"]["root-deny-scp"]["status"], "missing");
    assert!(rules_of(&v, "RG012").is_empty());
}

const DISABLE_IAM6: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Cis12:\n    Type: AWS::SecurityHub::Standard\n    Properties:\n      StandardsArn: arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0\n      DisabledStandardsControls:\n        - StandardsControlArn: arn:aws:securityhub:eu-west-1:111111111111:control/cis-aws-foundations-benchmark/v/1.2.0/1.14\n          Reason: handled elsewhere\n";

/// In a git work tree every tracked file is scanned, even one an ignore file matches (it was
/// force-added, and it deploys); ignore files hide untracked files only.
#[test]
fn tracked_files_are_scanned_whatever_ignore_files_say() {
    let d = scratch("tracked");
    write(&d.join(".gitignore"), "hidden/\n*.local.yaml\n");
    write(&d.join(".ignore"), "also-hidden.yaml\n");
    write(&d.join("hidden/securityhub.yaml"), DISABLE_IAM6);
    write(&d.join("also-hidden.yaml"), DISABLE_IAM6);
    common::git(&d, &["init", "-q", "-b", "main"]);
    common::git(&d, &["add", "-A"]);
    common::git(&d, &["add", "-f", "hidden/securityhub.yaml", "also-hidden.yaml"]);
    common::git(&d, &["commit", "-q", "-m", "force-added"]);
    let (v, err, _) = run_in(&d, &["check", "--format", "json", "."]);
    assert_eq!(
        v["summary"]["guardrails"]["securityhub-root-mfa-controls"]["status"], "disabled",
        "{err}{v}"
    );
    let files: Vec<String> = rules_of(&v, "RG301")
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        files.iter().any(|f| f == "hidden/securityhub.yaml") && files.iter().any(|f| f == "also-hidden.yaml"),
        "{files:?}"
    );

    // an untracked file that an ignore file matches is not scanned
    let u = scratch("untracked");
    write(&u.join(".gitignore"), "*.local.yaml\n");
    write(&u.join("dev.local.yaml"), DISABLE_IAM6);
    write(&u.join("README.md"), "x\n");
    common::git(&u, &["init", "-q", "-b", "main"]);
    common::git(&u, &["add", "-A"]);
    common::git(&u, &["commit", "-q", "-m", "base"]);
    let (v, _, _) = run_in(&u, &["check", "--format", "json", "."]);
    assert_eq!(
        v["summary"]["guardrails"]["securityhub-root-mfa-controls"]["status"], "not-declared",
        "{v}"
    );
    // outside a git work tree, ignore files are honoured as before
    let plain = scratch("plain");
    write(&plain.join(".gitignore"), "*.local.yaml\n");
    write(&plain.join("dev.local.yaml"), DISABLE_IAM6);
    let (v, _, _) = run_in(&plain, &["check", "--format", "json", "."]);
    assert_eq!(
        v["summary"]["guardrails"]["securityhub-root-mfa-controls"]["status"], "not-declared",
        "{v}"
    );
}

/// Pull-request mode: a tracked, ignored file is the same in both trees, so it is no new
/// finding; one the pull request adds is.
#[test]
fn tracked_ignored_files_count_in_both_trees_of_a_pull_request() {
    let d = scratch("tracked-pr");
    write(&d.join(".gitignore"), "hidden/\n");
    write(&d.join("hidden/securityhub.yaml"), DISABLE_IAM6);
    common::git(&d, &["init", "-q", "-b", "main"]);
    common::git(&d, &["add", "-A"]);
    common::git(&d, &["add", "-f", "hidden/securityhub.yaml"]);
    common::git(&d, &["commit", "-q", "-m", "base"]);
    common::git(&d, &["checkout", "-q", "-b", "pr"]);
    let (v, err, _) = run_in(&d, &["check", "--format", "json", "--base", "main", "."]);
    assert!(rules_of(&v, "RG301").is_empty(), "{err}{v}");
    write(&d.join("hidden/more.yaml"), &DISABLE_IAM6.replace("Cis12", "Cis12b"));
    common::git(&d, &["add", "-f", "hidden/more.yaml"]);
    common::git(&d, &["commit", "-q", "-m", "more"]);
    let (v, _, _) = run_in(&d, &["check", "--format", "json", "--base", "main", "."]);
    assert!(rules_of(&v, "RG301").iter().any(|f| f["file"] == "hidden/more.yaml"), "{v}");
}

fn scp(name: &str, waiver: &str) -> String {
    format!(
        "  {name}: {waiver}\n    Type: AWS::Organizations::Policy\n    Properties:\n      Name: {name}\n      Type: SERVICE_CONTROL_POLICY\n      Content:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Deny\n            Action: '*'\n            Resource: '*'\n            Condition:\n              ArnLike:\n                aws:PrincipalArn: arn:aws:iam::*:root\n"
    )
}

/// An inline waiver is bound to the code it trails or precedes: the same comment copied next to
/// other code is a new waiver, reported in pull-request mode and not applied with
/// `--trust-base-config`.
#[test]
fn a_copied_inline_waiver_is_a_new_waiver() {
    let d = scratch("copied-waiver");
    let w = "# rootguard:ignore[RG202] reason=\"attached by the pipeline\" owner=platform@example.com expires=2030-01-01";
    write(
        &d.join("scps.yaml"),
        &format!("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n{}", scp("DenyRootA", w)),
    );
    common::git(&d, &["init", "-q", "-b", "main"]);
    common::git(&d, &["add", "-A"]);
    common::git(&d, &["commit", "-q", "-m", "base"]);
    common::git(&d, &["checkout", "-q", "-b", "pr"]);
    // the pull request adds a second unattached SCP with a copy of the waiver line
    write(
        &d.join("scps.yaml"),
        &format!(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n{}{}",
            scp("DenyRootA", w),
            scp("DenyRootB", w)
        ),
    );
    let rg202 = |v: &Value, name: &str| {
        rules_of(v, "RG202")
            .into_iter()
            .find(|f| f["message"].as_str().unwrap().contains(name))
            .unwrap_or_else(|| panic!("no RG202 on {name}: {v}"))
    };
    let (v, err, code) = run_in(&d, &["check", "--format", "json", "--base", "main", "--trust-base-config", "."]);
    assert!(rg202(&v, "DenyRootB")["suppressed"].is_null(), "{err}{v}");
    let added = rules_of(&v, "RG903");
    assert_eq!(added.len(), 1, "{v}");
    assert_eq!(added[0]["start"]["line"], 17);
    assert!(added[0]["message"].as_str().unwrap().contains("suppresses nothing"), "{}", added[0]);
    assert_eq!(code, 1);
    // without trust the new waiver applies, and is reported
    let (v, _, _) = run_in(&d, &["check", "--format", "json", "--base", "main", "."]);
    assert_eq!(rg202(&v, "DenyRootB")["suppressed"]["kind"], "inline", "{v}");
    assert!(rules_of(&v, "RG903")[0]["message"].as_str().unwrap().contains("from now on"));
    // the base's own waiver is unchanged: not reported
    assert_eq!(rules_of(&v, "RG903").len(), 1, "{v}");
}

/// A waiver alone on its line applies to the next code line (comments and blank lines between
/// are skipped), and to nothing further down.
#[test]
fn an_inline_waiver_binds_to_the_next_code_line() {
    let d = scratch("bind");
    let w = "# rootguard:ignore[RG202] reason=\"attached by the pipeline\" owner=platform@example.com expires=2030-01-01";
    write(
        &d.join("scps.yaml"),
        &format!(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  {w}\n\n  # the root deny\n{}{}",
            scp("DenyRootA", ""),
            scp("DenyRootB", "")
        ),
    );
    let (v, _, _) = run_in(&d, &["check", "--format", "json", "."]);
    let rg202 = rules_of(&v, "RG202");
    assert_eq!(rg202.len(), 2, "{v}");
    let a = rg202.iter().find(|f| f["message"].as_str().unwrap().contains("DenyRootA")).unwrap();
    let b = rg202.iter().find(|f| f["message"].as_str().unwrap().contains("DenyRootB")).unwrap();
    assert_eq!(a["suppressed"]["kind"], "inline", "{a}");
    assert!(b["suppressed"].is_null(), "{b}");
    // a waiver followed by no code is invalid
    write(
        &d.join("tail.yaml"),
        &format!("AWSTemplateFormatVersion: '2010-09-09'\nResources: {{}}\n{w}\n"),
    );
    let (v, _, _) = run_in(&d, &["check", "--format", "json", "."]);
    assert!(
        rules_of(&v, "RG902")
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("no code line")),
        "{v}"
    );
}

/// A configuration that excludes every file is never silent: the files that could declare a
/// guardrail are named, in every output format.
#[test]
fn excluding_guardrail_files_is_reported() {
    let d = scratch("exclude-all");
    write(&d.join("org/securityhub.yaml"), DISABLE_IAM6);
    write(&d.join("docs/notes.yaml"), "title: notes\n");
    write(&d.join(".rootguard.yml"), "exclude: [\"**\"]\n");
    let (v, _, _) = run_in(&d, &["check", "--format", "json", "."]);
    let ex = rules_of(&v, "RG004");
    assert_eq!(ex.len(), 1, "{v}");
    assert_eq!(ex[0]["file"], "org/securityhub.yaml");
    assert!(
        ex[0]["message"].as_str().unwrap().starts_with("excluded files: 1 file"),
        "{}",
        ex[0]
    );
    for format in ["human", "sarif", "github", "markdown", "junit"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootguard"))
            .args(["check", "--format", format, "."])
            .current_dir(&d)
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_STEP_SUMMARY")
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains("RG004"), "{format}");
    }
}

fn run_format(dir: &Path, args: &[&str]) -> (String, i32) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    (String::from_utf8_lossy(&out.stdout).into_owned(), out.status.code().unwrap_or(-1))
}

/// Markdown text with its code spans (`CommonMark`: a run of N backticks up to the next run of
/// exactly N) and backslash-escaped characters (which render literally) replaced by `_`.
fn without_code_spans(md: &str) -> String {
    let b: Vec<char> = md.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == '\\' && i + 1 < b.len() {
            out.push('_');
            i += 2;
            continue;
        }
        if b[i] == '`' {
            let n = b[i..].iter().take_while(|c| **c == '`').count();
            let mut j = i + n;
            let mut closed = None;
            while j < b.len() {
                if b[j] == '`' {
                    let m = b[j..].iter().take_while(|c| **c == '`').count();
                    if m == n {
                        closed = Some(j + m);
                        break;
                    }
                    j += m;
                } else {
                    j += 1;
                }
            }
            if let Some(end) = closed {
                out.push('_');
                i = end;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// File names and values from the repository cannot forge report lines, drive the terminal, or
/// become Markdown links, images, HTML or mentions.
#[cfg(unix)]
#[test]
fn hostile_names_and_values_are_escaped_in_every_format() {
    let d = scratch("inject");
    let name = "x\n\x1b[32mpassing: no finding at or above `critical`\x1b[0m @admins ![p](https:t.example:p.png).yaml";
    let body = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Policy:\n    Type: AWS::Organizations::Policy\n    Properties:\n      Name: \"<img src=x onerror=alert(1)> [click](https://e.example) @org/team `tick` | pipe \\e[2J\"\n      Type: SERVICE_CONTROL_POLICY\n      Content: {Version: '2012-10-17', Statement: [{Effect: Deny, Action: '*', Resource: '*', Condition: {ArnLike: {'aws:PrincipalArn': 'arn:aws:iam::*:root'}}}]}\n";
    std::fs::write(d.join(name), body).unwrap();
    let (human, _) = run_format(&d, &["check", "--format", "human", "--color", "never", "."]);
    assert!(!human.contains('\x1b'), "{human}");
    assert!(!human.lines().any(|l| l.starts_with("passing")), "{human}");
    assert!(human.contains("x\\n\\u{1b}[32mpassing"), "{human}");
    let (md, _) = run_format(&d, &["check", "--format", "markdown", "."]);
    assert!(!md.contains('\x1b'), "{md}");
    // outside code spans (where Markdown renders nothing) no construct survives
    let text = without_code_spans(&md);
    for bad in ["![p](", "[click](", "<img", "@admins", "@org/team"] {
        assert!(!text.contains(bad), "{bad} in {text}");
    }
    for line in md.lines().filter(|l| l.starts_with('|')) {
        // every table row keeps its columns: no unescaped pipe from a value
        let cells = line.replace("\\|", "").matches('|').count();
        assert!(cells == 4 || cells == 5, "{line}");
    }
    let (gh, _) = run_format(&d, &["check", "--format", "github", "."]);
    for line in gh.lines() {
        assert!(line.starts_with("::") || line.starts_with("rootguard:"), "a forged line: {line}");
    }
}

/// `--fail-on never` never says "failing", in any format; the exit code is 0.
#[test]
fn fail_on_never_is_not_failing() {
    let d = scratch("never");
    write(&d.join("pack.yaml"), PACK_IN_S3);
    let (human, code) = run_format(&d, &["check", "--fail-on", "never", "--color", "never", "."]);
    assert_eq!(code, 0);
    assert!(!human.contains("failing"), "{human}");
    assert!(human.contains("not gating (`--fail-on never`)"), "{human}");
    let (md, _) = run_format(&d, &["check", "--fail-on", "never", "--format", "markdown", "."]);
    assert!(!md.contains("Failing"), "{md}");
    let (junit, _) = run_format(&d, &["check", "--fail-on", "never", "--format", "junit", "."]);
    assert!(!junit.contains("<failure type=\"high\""), "{junit}");
    let (json, _) = run_format(&d, &["check", "--fail-on", "never", "--format", "json", "."]);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"]["fail_on"], "never");
    assert_eq!(v["summary"]["failed"], false);
}

/// A path named on the command line that cannot be read is a tool error (exit 2), not a finding.
#[cfg(unix)]
#[test]
fn an_unreadable_command_line_path_is_exit_2() {
    let d = scratch("cli-path");
    let fifo = d.join("pipe.yaml");
    let ok = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success();
    assert!(ok);
    std::os::unix::fs::symlink(d.join("nowhere.yaml"), d.join("dangling.yaml")).unwrap();
    for p in ["pipe.yaml", "dangling.yaml", "missing.yaml", "/dev/null"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootguard"))
            .args(["check", p])
            .current_dir(&d)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{p}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"), "{p}");
    }
}

/// Every format agrees on which statuses are good: a compliant account is no JUnit failure and
/// no ❌ in Markdown.
#[test]
fn a_compliant_account_is_good_in_every_format() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (junit, _) = run_format(root, &["evidence", "--format", "junit", "testdata/evidence/hardware"]);
    assert!(junit.contains("failures=\"0\""), "{junit}");
    let (md, _) = run_format(root, &["evidence", "--format", "markdown", "testdata/evidence/hardware"]);
    assert!(!md.contains('❌'), "{md}");
    assert!(md.contains("✅ `none`"), "{md}");
    // and a bad one is bad everywhere
    let (junit, _) = run_format(root, &["evidence", "--format", "junit", "testdata/evidence/none"]);
    assert!(junit.contains("<failure type=\"none\""), "{junit}");
}
