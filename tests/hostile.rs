//! Hostile input: whatever a pull request holds, rootguard finishes quickly with a clear
//! diagnostic, reads nothing outside the scanned tree, and gives the same bytes every time.
//! The 1 MB inputs are generated here (deterministically), not committed; the inputs the fuzzers
//! found are in `testdata/hostile/`.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rootguard-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Run `check --format json` on `dir`; panics past `limit` (a generous bound for a debug build
/// on a loaded CI machine: the release figures are in the issue notes).
fn check_within(dir: &Path, extra: &[&str], limit: Duration) -> (Value, String, i32) {
    let start = Instant::now();
    let mut args = vec!["check", "--format", "json", "--fail-on", "never"];
    args.extend_from_slice(extra);
    let d = dir.to_string_lossy().into_owned();
    args.push(&d);
    let (out, err, code) = common::run(&args);
    let took = start.elapsed();
    assert!(took < limit, "{d}: took {took:?}\n{err}");
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{d}: {e}\n{out}\n{err}"));
    (v, err, code)
}

fn findings(v: &Value) -> Vec<(String, String)> {
    common::rule_messages(v)
}

fn has(v: &Value, rule: &str, text: &str) -> bool {
    findings(v).iter().any(|(r, m)| r == rule && m.contains(text))
}

const BOUND: Duration = Duration::from_secs(20);

#[test]
fn deep_nesting_is_refused_with_a_diagnostic() {
    let d = scratch("deep");
    let n = 1 << 19; // 1 MB of brackets
    std::fs::write(
        d.join("deep.json"),
        format!("{{\"Statement\": {}{}}}", "[".repeat(n), "]".repeat(n)),
    )
    .unwrap();
    // (a marker in a comment, so that the files are parsed)
    std::fs::write(
        d.join("deep.yaml"),
        format!("# AWS::Config\nResources: {}{}\n", "[".repeat(n), "]".repeat(n)),
    )
    .unwrap();
    let mut block = String::from("# AWS::Config\nAWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    for i in 0..400 {
        block.push_str(&format!("{}k{i}:\n", " ".repeat(2 * i + 2)));
    }
    std::fs::write(d.join("block.yaml"), block).unwrap();
    std::fs::write(
        d.join("main.tf"),
        format!(
            "resource \"aws_config_config_rule\" \"r\" {{\n  name = {}1{}\n}}\n",
            "(".repeat(n),
            ")".repeat(n)
        ),
    )
    .unwrap();
    let (v, err, code) = check_within(&d, &[], BOUND);
    assert_eq!(code, 0, "{err}");
    for f in [
        "JSON nested deeper than 200",
        "YAML nested deeper than 200",
        "HCL nested deeper than 200",
    ] {
        assert!(has(&v, "RG001", f), "{f}: {:?}", findings(&v));
    }
    // (saphyr stops flow collections at its own recursion limit)
    let deep = findings(&v)
        .iter()
        .filter(|(r, m)| r == "RG001" && (m.contains("nested deeper") || m.contains("recursion limit")))
        .count();
    assert_eq!(deep, 4, "{:?}", findings(&v));
    // the limit is configurable
    let (v, _, _) = check_within(&d, &["--limit", "depth=1000"], BOUND);
    assert!(
        findings(&v).iter().any(|(_, m)| m.contains("nested deeper than 1000")),
        "{:?}",
        findings(&v)
    );
}

#[test]
fn yaml_aliases_are_never_expanded() {
    let d = scratch("laughs");
    let mut y =
        String::from("AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..30 {
        let p = i - 1;
        y.push_str(&format!(
            "  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    y.push_str("Resources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      Source: *a29\n");
    std::fs::write(d.join("laughs.yaml"), y).unwrap();
    let (v, _, _) = check_within(&d, &[], BOUND);
    assert!(has(&v, "RG001", "alias"), "{:?}", findings(&v));
}

#[test]
fn terraform_blowups_are_bounded() {
    let d = scratch("tf");
    // a string doubled through 40 locals is 2^40 bytes
    let mut tf = String::from("locals {\n  s0 = \"xxxxxxxxxxxxxxxx\"\n");
    for i in 1..40 {
        tf.push_str(&format!("  s{i} = \"${{local.s{}}}${{local.s{}}}\"\n", i - 1, i - 1));
    }
    tf.push_str("  l0 = [1, 2]\n");
    for i in 1..40 {
        tf.push_str(&format!("  l{i} = concat(local.l{}, local.l{})\n", i - 1, i - 1));
    }
    tf.push_str("}\n\nresource \"aws_config_config_rule\" \"r\" {\n  count = 1000000000\n  name  = local.s39\n  source {\n    owner             = \"AWS\"\n    source_identifier = \"ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\"\n  }\n}\n");
    tf.push_str("resource \"aws_organizations_policy\" \"s\" {\n  name    = \"s\"\n  content = local.s39\n}\n");
    tf.push_str("resource \"aws_organizations_policy\" \"l\" {\n  name    = \"l\"\n  content = jsonencode(local.l39)\n}\n");
    std::fs::write(d.join("main.tf"), tf).unwrap();
    // a module that calls itself
    std::fs::create_dir_all(d.join("loop")).unwrap();
    std::fs::write(d.join("loop/main.tf"), "module \"again\" {\n  source = \"../loop\"\n}\nresource \"aws_organizations_policy\" \"p\" {\n  name    = \"p\"\n  content = \"{}\"\n}\n").unwrap();
    std::fs::write(d.join("root.tf"), "module \"loop\" {\n  source = \"./loop\"\n}\n").unwrap();
    // modules nested deeper than the limit, each in a directory of its own
    for i in 0..20 {
        let dir = d.join(format!("deep/m{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("main.tf"),
            format!("module \"next\" {{\n  source = \"../m{}\"\n}}\n", i + 1),
        )
        .unwrap();
    }
    std::fs::create_dir_all(d.join("deep/m20")).unwrap();
    std::fs::write(
        d.join("deep/m20/main.tf"),
        "resource \"aws_organizations_policy\" \"p\" {\n  name    = \"p\"\n  content = \"{}\"\n}\n",
    )
    .unwrap();
    std::fs::write(d.join("deep.tf"), "module \"deep\" {\n  source = \"./deep/m0\"\n}\n").unwrap();
    let (v, err, code) = check_within(&d, &[], BOUND);
    assert_eq!(code, 0, "{err}");
    let text = v.to_string();
    // the doubled string stops at the limit, so the policy built from it is not known
    assert!(text.contains("policy `s`: the policy content is not known statically"), "{text}");
    assert!(text.contains("produces a value larger than the limit"), "{text}");
    // count = 1000000000 is cut to the instance limit, with a finding that names the limit, the
    // value and how to raise it; the instances past it are unknown, never a silent omission
    assert!(text.contains("aws_config_config_rule.r[255]") && !text.contains("aws_config_config_rule.r[256]"));
    assert!(
        has(
            &v,
            "RG003",
            "limit `instances` (256) reached: `count` makes 1000000000 instances of `aws_config_config_rule.r`"
        ),
        "{:?}",
        findings(&v)
    );
    assert!(has(&v, "RG003", "(raise --limit instances=N)"), "{:?}", findings(&v));
    assert!(has(&v, "RG011", "those past the first 256 are not read"), "{:?}", findings(&v));
    // a module that calls itself is Terraform's error (`terraform init` never ends), found at
    // once (https://github.com/hashicorp/terraform/issues/31557); a deep chain meets the limit
    assert!(
        has(
            &v,
            "RG001",
            "module `module.loop.module.again` calls the module directory of `module.loop`, which calls it"
        ),
        "{:?}",
        findings(&v)
    );
    assert!(text.contains("module nesting deeper than 16"), "{text}");
    assert!(has(&v, "RG003", "limit `module-depth` (16) reached"), "{:?}", findings(&v));
}

#[test]
fn the_evaluation_budget_stops_with_a_warning() {
    let d = scratch("budget");
    let mut tf = String::from("locals {\n");
    for i in 0..200 {
        tf.push_str(&format!("  v{i} = [for x in range(1000) : x * {i}]\n"));
    }
    tf.push_str("}\nresource \"aws_config_config_rule\" \"r\" {\n  name = length(local.v199)\n}\n");
    std::fs::write(d.join("main.tf"), tf).unwrap();
    let (v, _, _) = check_within(&d, &["--limit", "eval-steps=500"], BOUND);
    assert!(has(&v, "RG003", "evaluation stopped after 500 steps"), "{:?}", findings(&v));
}

#[test]
fn a_file_over_the_size_limit_is_a_finding() {
    let d = scratch("size");
    std::fs::write(d.join("big.yaml"), "a: b\n".repeat(1000)).unwrap();
    let (v, _, _) = check_within(&d, &["--max-file-size", "100"], BOUND);
    assert!(has(&v, "RG001", "larger than 100 bytes"), "{:?}", findings(&v));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_tree_and_loops_are_not_followed() {
    let d = scratch("links");
    let outside = scratch("links-outside");
    std::fs::write(
        outside.join("secret.yaml"),
        "Resources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      Source: {Owner: AWS, SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED}\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.join("secret.yaml"), d.join("link.yaml")).unwrap();
    std::os::unix::fs::symlink(&outside, d.join("dirlink")).unwrap();
    std::os::unix::fs::symlink(&d, d.join("loop")).unwrap();
    std::fs::write(
        d.join("main.tf"),
        "resource \"aws_organizations_policy\" \"p\" {\n  name    = \"p\"\n  content = file(\"${path.module}/dirlink/secret.yaml\")\n}\nresource \"aws_organizations_policy\" \"q\" {\n  name    = \"q\"\n  content = file(\"/etc/hostname\")\n}\n",
    )
    .unwrap();
    let (v, err, code) = check_within(&d, &[], BOUND);
    assert_eq!(code, 0, "{err}");
    // `link.yaml` is refused with a finding; what it could declare is unknown, not missing
    assert_eq!(v["summary"]["guardrails"]["root-hardware-mfa-rule"]["status"], "unknown");
    assert!(
        has(&v, "RG001", "symlink that leads outside the scanned tree"),
        "{:?}",
        findings(&v)
    );
    let text = v.to_string();
    assert!(!text.contains("ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\",\"file\""), "{text}");
    assert!(text.contains("goes through a symlink"), "{text}");
    assert!(
        text.contains("absolute path; rootguard reads only inside the scanned tree"),
        "{text}"
    );
}

#[test]
fn a_configured_template_outside_the_tree_is_refused() {
    let d = scratch("templates");
    let tree = d.join("tree");
    std::fs::create_dir_all(&tree).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/s3-templates");
    std::fs::copy(src.join("packs.yaml"), tree.join("packs.yaml")).unwrap();
    std::fs::copy(src.join("packs/cis-level-2.yaml"), d.join("outside.yaml")).unwrap();
    std::fs::write(
        tree.join(".rootguard.yml"),
        "templates:\n  \"s3://conformance-packs/cis-level-2.yaml\": ../outside.yaml\n",
    )
    .unwrap();
    let (v, err, code) = check_within(&tree, &[], BOUND);
    assert_eq!(code, 0, "{err}");
    assert!(has(&v, "RG001", "outside the scanned tree"), "{:?}", findings(&v));
    assert_ne!(v["summary"]["guardrails"]["root-hardware-mfa-rule"]["status"], "deployed");
}

#[test]
fn encodings_bom_crlf_invalid_utf8_and_tabs() {
    let d = scratch("enc");
    let rule = "Resources:\r\n  R:\r\n    Type: AWS::Config::ConfigRule\r\n    Properties:\r\n      Source:\r\n        Owner: AWS\r\n        SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\r\n";
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(rule.as_bytes());
    std::fs::write(d.join("bom-crlf.yaml"), bom).unwrap();
    std::fs::write(
        d.join("bad.yaml"),
        b"Resources:\n  R:\n    Type: AWS::Config::ConfigRule \xff\xfe\n",
    )
    .unwrap();
    std::fs::write(d.join("tabs.yaml"), "Resources:\n\tR:\n\t\tType: AWS::Config::ConfigRule\n").unwrap();
    let (v, _, _) = check_within(&d, &[], BOUND);
    assert_eq!(v["summary"]["guardrails"]["root-hardware-mfa-rule"]["status"], "deployed", "{v}");
    let f = findings(&v);
    assert!(f.iter().any(|(r, m)| r == "RG001" && m.contains("byte 50")), "{f:?}");
    let tabs: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["file"].as_str().is_some_and(|p| p.ends_with("tabs.yaml")))
        .collect();
    assert_eq!(tabs.len(), 1, "{f:?}");
    assert_eq!(tabs[0]["start"]["line"], 2, "{}", tabs[0]);
}

/// Identical bytes for any thread count and any order in which the file system lists files.
#[test]
fn output_bytes_are_the_same_for_any_threads_and_creation_order() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/terraform/landing-zone");
    let mut files = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let e = e.unwrap().path();
            if e.is_dir() {
                stack.push(e);
            } else {
                files.push(e);
            }
        }
    }
    files.sort();
    let copy = |name: &str, order: &[PathBuf]| {
        let d = scratch(name).join("tree");
        for f in order {
            let to = d.join(f.strip_prefix(&src).unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(f, &to).unwrap();
        }
        d
    };
    let a = copy("order-a", &files);
    let mut rev = files.clone();
    rev.reverse();
    let b = copy("order-b", &rev);
    let run = |dir: &Path, j: &str, format: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootguard"))
            .args(["check", "--format", format, "--fail-on", "never", "-j", j, "tree"])
            .current_dir(dir.parent().unwrap())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        out.stdout
    };
    for format in ["json", "human", "sarif"] {
        let base = run(&a, "1", format);
        assert!(!base.is_empty());
        for (dir, j) in [(&a, "8"), (&b, "1"), (&b, "3")] {
            assert!(run(dir, j, format) == base, "{format}: -j {j} in {} differs", dir.display());
        }
    }
}

#[test]
fn a_panic_is_an_internal_error_naming_the_file() {
    // debug builds only: ROOTGUARD_TEST_PANIC_ON makes reading that file panic
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(["check", "testdata/landing-zone"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ROOTGUARD_TEST_PANIC_ON", "service-control-policies.yaml")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("internal error while reading `testdata/landing-zone/organization/service-control-policies.yaml`"),
        "{err}"
    );
}

/// Inputs the fuzzers found: each must give a clean run (exit 0 or 1, JSON on standard output).
#[test]
fn fuzzer_regressions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/hostile");
    let mut n = 0;
    for e in std::fs::read_dir(&root).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            continue;
        }
        n += 1;
        let rel = p.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().to_string_lossy().into_owned();
        let evidence = rel.contains("evidence");
        let args: Vec<&str> = if evidence {
            vec!["evidence", "--format", "json", &rel]
        } else {
            vec!["check", "--format", "json", &rel]
        };
        let start = Instant::now();
        let (out, err, code) = common::run(&args);
        assert!(start.elapsed() < BOUND, "{rel}");
        assert!(code == 0 || code == 1, "{rel}: exit {code}\n{err}");
        assert!(serde_json::from_str::<Value>(&out).is_ok(), "{rel}: {out}");
    }
    assert!(n > 0, "no regression inputs in testdata/hostile");
}
