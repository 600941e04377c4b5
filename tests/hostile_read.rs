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

/// Run the binary in `cwd` with `args`: (stdout, stderr, exit code). A run past [`BOUND`] (a
/// read that blocks) is killed and fails the test.
fn run_in(cwd: &Path, args: &[&str]) -> (String, String, i32) {
    use std::io::Read as _;
    let start = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(args)
        .current_dir(cwd)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // drain the pipes while waiting, so a large report cannot block the child
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > BOUND {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?}: still running after {BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    (
        String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        status.code().unwrap_or(-1),
    )
}

/// Run `check --format json --fail-on never EXTRA… DIR`; panics past [`BOUND`].
fn check(dir: &Path, extra: &[&str]) -> (Value, String) {
    let mut args = vec!["check", "--format", "json", "--fail-on", "never"];
    args.extend_from_slice(extra);
    let d = dir.to_string_lossy().into_owned();
    args.push(&d);
    let (out, err, code) = run_in(Path::new(env!("CARGO_MANIFEST_DIR")), &args);
    assert_eq!(code, 0, "{d}: {err}");
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{d}: {e}\n{out}\n{err}"));
    (v, err)
}

fn findings(v: &Value) -> Vec<(String, String)> {
    common::rule_messages(v)
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

// ---- one confined reader ---------------------------------------------------------------------

#[cfg(unix)]
fn mkfifo(p: &Path) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    let ok = std::process::Command::new("mkfifo").arg(p).status().unwrap().success();
    assert!(ok, "mkfifo {}", p.display());
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: &Path) {
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

const HW_RULE_TF: &str = "resource \"aws_config_config_rule\" \"hw\" {\n  name = \"root-hw-mfa\"\n  source {\n    owner             = \"AWS\"\n    source_identifier = \"ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\"\n  }\n}\n";

/// A root module calling the registry module `acme/scp/aws` (version constraint `version`),
/// installed by `modules.json` entry `entry` with `HW_RULE_TF` in its copy.
fn installed_module(d: &Path, version: Option<&str>, entry: &str) {
    let v = version.map(|v| format!("  version = \"{v}\"\n")).unwrap_or_default();
    std::fs::write(
        d.join("main.tf"),
        format!("module \"org\" {{\n  source  = \"acme/scp/aws\"\n{v}}}\n"),
    )
    .unwrap();
    let m = d.join(".terraform/modules");
    std::fs::create_dir_all(m.join("org")).unwrap();
    std::fs::write(m.join("org/main.tf"), HW_RULE_TF).unwrap();
    std::fs::write(
        m.join("modules.json"),
        format!("{{\"Modules\": [{{\"Key\": \"\", \"Source\": \"\", \"Dir\": \".\"}}, {entry}]}}"),
    )
    .unwrap();
}

const GOOD_ENTRY: &str =
    r#"{"Key": "org", "Source": "registry.terraform.io/acme/scp/aws", "Version": "1.2.5", "Dir": ".terraform/modules/org"}"#;

#[cfg(unix)]
#[test]
fn fifos_in_the_tree_and_in_terraform_modules_are_refused_not_waited_on() {
    let d = scratch("fifo");
    installed_module(&d, None, GOOD_ENTRY);
    mkfifo(&d.join("main.yaml"));
    mkfifo(&d.join(".terraform/modules/org/pipe.tf"));
    let (v, _) = check(&d, &[]);
    assert!(has(&v, "RG001", "the file is a FIFO, not a regular file"), "{:?}", findings(&v));
    assert_eq!(count(&v, "RG001"), 2, "{:?}", findings(&v));
    // what the FIFOs could declare is unknown; what is read stays proven
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "deployed");
    assert_eq!(status(&v, "root-deny-scp"), "unknown");
}

#[cfg(unix)]
#[test]
fn a_fifo_ignore_file_does_not_hang_the_walk() {
    let d = scratch("fifo-gitignore");
    std::fs::write(d.join("main.tf"), HW_RULE_TF).unwrap();
    // below the root: the directory is not walked
    mkfifo(&d.join("sub/.ignore"));
    std::fs::write(d.join("sub/x.tf"), "").unwrap();
    let (v, _) = check(&d, &[]);
    assert!(
        has(&v, "RG001", ".ignore` is a FIFO, not a regular file; the directory is not scanned"),
        "{:?}",
        findings(&v)
    );
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "deployed");
    assert_eq!(status(&v, "root-deny-scp"), "unknown");
    // at the root: no ignore file is read for the walk
    mkfifo(&d.join(".gitignore"));
    let (v, _) = check(&d, &[]);
    assert!(
        has(&v, "RG001", ".gitignore` is a FIFO, not a regular file; no ignore file is read"),
        "{:?}",
        findings(&v)
    );
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "deployed");
}

#[cfg(unix)]
#[test]
fn devices_and_files_outside_the_tree_are_never_read_or_printed() {
    let d = scratch("outside");
    std::fs::write(d.join("main.tf"), HW_RULE_TF).unwrap();
    symlink("/dev/zero", &d.join("x.tf"));
    symlink("/etc/passwd", &d.join("passwd.tf"));
    installed_module(&d, None, GOOD_ENTRY);
    symlink("/etc/passwd", &d.join(".terraform/modules/org/passwd.tf"));
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    let first = passwd.lines().next().unwrap();
    let path = d.to_string_lossy().into_owned();
    let (out, err, code) = run_in(&d, &["check", "--fail-on", "never", &path]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains(first) && !err.contains(first), "{out}");
    assert_eq!(
        out.matches("[RG001]: the file is a symlink that leads outside the scanned tree")
            .count(),
        3,
        "{out}"
    );
    let (v, _) = check(&d, &[]);
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "deployed");
    assert_eq!(status(&v, "root-mfa-rule"), "unknown");
}

#[cfg(unix)]
#[test]
fn a_sparse_10_gb_file_and_a_directory_named_like_a_file_are_refused() {
    let d = scratch("sparse");
    std::fs::write(d.join("main.tf"), HW_RULE_TF).unwrap();
    let f = std::fs::File::create(d.join("big.tf")).unwrap();
    f.set_len(10 << 30).unwrap();
    // a directory named `x.tf` is walked as a directory in the tree, refused in a module copy
    std::fs::create_dir_all(d.join("x.tf")).unwrap();
    installed_module(&d, None, GOOD_ENTRY);
    std::fs::create_dir_all(d.join(".terraform/modules/org/y.tf")).unwrap();
    let (v, _) = check(&d, &[]);
    assert!(has(&v, "RG001", "the file is larger than 20971520 bytes"), "{:?}", findings(&v));
    assert!(
        has(&v, "RG001", "the file is a directory, not a regular file"),
        "{:?}",
        findings(&v)
    );
    assert_eq!(count(&v, "RG001"), 2, "{:?}", findings(&v));
    assert_eq!(status(&v, "root-usage-alarm"), "unknown");
}

#[cfg(unix)]
#[test]
fn configured_templates_must_be_regular_files_inside_the_tree() {
    let d = scratch("templates");
    let pack = "Resources:\n  P:\n    Type: AWS::Config::ConformancePack\n    Properties:\n      ConformancePackName: p\n      TemplateS3Uri: s3://b/pack.yaml\n";
    for (name, make) in [("fifo", 0), ("device", 1), ("outside", 2)] {
        let t = d.join(name);
        std::fs::create_dir_all(&t).unwrap();
        std::fs::write(t.join("packs.yaml"), pack).unwrap();
        std::fs::write(t.join(".rootguard.yml"), "templates:\n  \"s3://b/pack.yaml\": pack-template\n").unwrap();
        match make {
            0 => mkfifo(&t.join("pack-template")),
            1 => symlink("/dev/zero", &t.join("pack-template")),
            _ => symlink("/etc/passwd", &t.join("pack-template")),
        }
        let (v, _) = check(&t, &[]);
        let why = if make == 0 {
            "is a FIFO"
        } else {
            "is a symlink that leads outside the scanned tree"
        };
        assert!(has(&v, "RG001", why), "{name}: {:?}", findings(&v));
        assert_eq!(status(&v, "root-hardware-mfa-rule"), "unknown", "{name}");
    }
}

#[cfg(unix)]
#[test]
fn file_of_a_fifo_is_refused_and_unknown() {
    let d = scratch("file-fifo");
    mkfifo(&d.join("policies/pipe"));
    std::fs::write(
        d.join("main.tf"),
        "resource \"aws_organizations_policy\" \"p\" {\n  name    = \"p\"\n  content = file(\"${path.module}/policies/pipe\")\n}\n",
    )
    .unwrap();
    let (v, _) = check(&d, &[]);
    assert!(v.to_string().contains("is a FIFO, not a regular file"), "{:?}", findings(&v));
    assert_eq!(status(&v, "root-deny-scp"), "unknown");
}

#[cfg(unix)]
#[test]
fn an_unreadable_tfvars_makes_the_variables_unknown() {
    let d = scratch("tfvars");
    std::fs::write(
        d.join("main.tf"),
        HW_RULE_TF.replace("  name = ", "  count = var.on ? 1 : 0\n  name = ") + "variable \"on\" {\n  default = true\n}\n",
    )
    .unwrap();
    let (v, _) = check(&d, &[]);
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "deployed");
    // `terraform.tfvars` may set `on = false`: not readable, so not known
    mkfifo(&d.join("terraform.tfvars"));
    let (v, _) = check(&d, &[]);
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "unknown");
    std::fs::remove_file(d.join("terraform.tfvars")).unwrap();
    std::fs::write(d.join("terraform.tfvars"), "on = \n").unwrap();
    let (v, _) = check(&d, &[]);
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "unknown");
}

#[cfg(unix)]
#[test]
fn named_files_must_be_regular_files() {
    let d = scratch("named");
    std::fs::write(d.join("main.tf"), HW_RULE_TF).unwrap();
    mkfifo(&d.join("vars.tfvars"));
    let path = d.to_string_lossy().into_owned();
    let var_file = d.join("vars.tfvars").to_string_lossy().into_owned();
    let (_, err, code) = run_in(&d, &["check", "--var-file", &var_file, &path]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--var-file is a FIFO, not a regular file"), "{err}");
    // a configuration file found in the tree
    mkfifo(&d.join(".rootguard.yml"));
    let (_, err, code) = run_in(&d, &["check", &path]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("the configuration file is a FIFO"), "{err}");
    // `--config /dev/null` still means no configuration
    let (_, err, code) = run_in(&d, &["check", "--config", "/dev/null", "--fail-on", "never", &path]);
    assert_eq!(code, 0, "{err}");
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_the_tree_is_its_target_read_once() {
    let d = scratch("inside-link");
    std::fs::write(d.join("rule.yaml"), HW_RULE).unwrap();
    symlink("rule.yaml", &d.join("same.yaml"));
    // a link to a file the walk does not find (ignored) is read through the link
    std::fs::write(d.join(".gitignore"), "hidden/\n").unwrap();
    std::fs::create_dir_all(d.join("hidden")).unwrap();
    std::fs::write(d.join("hidden/t.yaml"), HW_RULE.replace("HARDWARE_", "")).unwrap();
    symlink("hidden/t.yaml", &d.join("mfa.yaml"));
    let (v, _) = check(&d, &[]);
    let g = &v["summary"]["guardrails"]["root-hardware-mfa-rule"];
    assert_eq!(g["status"], "deployed");
    assert_eq!(g["evidence"].as_array().unwrap().len(), 1, "read once: {g}");
    assert_eq!(status(&v, "root-mfa-rule"), "deployed");
    assert_eq!(v["summary"]["files"]["by_kind"]["symlink"], 1, "{}", v["summary"]["files"]);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_a_finding() {
    use std::os::unix::fs::PermissionsExt;
    let d = scratch("chmod");
    std::fs::write(d.join("main.tf"), HW_RULE_TF).unwrap();
    std::fs::write(d.join("locked.yaml"), HW_RULE).unwrap();
    std::fs::set_permissions(d.join("locked.yaml"), std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(d.join("locked.yaml")).is_ok() {
        // running as root: permissions do not stop reads, so there is nothing to refuse
        return;
    }
    let (v, _) = check(&d, &[]);
    assert!(has(&v, "RG001", "the file could not be read"), "{:?}", findings(&v));
    assert_eq!(status(&v, "root-mfa-rule"), "unknown");
}

// ---- module directories by real path -------------------------------------------------------

/// Verdicts and (rule, message) of the findings, with `prefix` (how the root was spelled)
/// taken out of the messages.
fn outcome(v: &Value, prefix: &str) -> (Value, Vec<(String, String)>) {
    let verdicts: serde_json::Map<String, Value> = v["summary"]["guardrails"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, g)| (k.clone(), g["status"].clone()))
        .collect();
    let mut f: Vec<(String, String)> = findings(v)
        .into_iter()
        .map(|(r, m)| if prefix.is_empty() { (r, m) } else { (r, m.replace(prefix, "")) })
        .collect();
    f.sort();
    (Value::Object(verdicts), f)
}

/// `check` from inside `d` as `.`, as its absolute path and as `./sub/..`: the same verdicts
/// and findings.
fn same_whichever_way(d: &Path) -> (Value, Vec<(String, String)>) {
    let abs = d.canonicalize().unwrap().to_string_lossy().into_owned();
    let mut seen = Vec::new();
    for (spelling, prefix) in [
        (".", String::new()),
        (abs.as_str(), format!("{abs}/")),
        ("./live/..", "live/../".to_owned()),
    ] {
        let (out, err, code) = run_in(d, &["check", "--format", "json", "--fail-on", "never", spelling]);
        assert_eq!(code, 0, "{spelling}: {err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        seen.push((spelling.to_owned(), outcome(&v, &prefix)));
    }
    for w in seen.windows(2) {
        assert_eq!(w[0].1, w[1].1, "`check {}` and `check {}` differ", w[0].0, w[1].0);
    }
    seen.remove(0).1
}

#[cfg(unix)]
#[test]
fn a_symlinked_module_directory_is_its_target_not_a_second_root() {
    let d = scratch("module-link");
    std::fs::create_dir_all(d.join("modules/rule")).unwrap();
    std::fs::write(
        d.join("modules/rule/main.tf"),
        HW_RULE_TF.replace("  name = ", "  count = var.on ? 1 : 0\n  name = ") + "variable \"on\" {\n  default = true\n}\n",
    )
    .unwrap();
    // the only call switches the rule off, through a symlink to the module
    symlink("../modules/rule", &d.join("live/rule"));
    std::fs::write(
        d.join("live/main.tf"),
        "module \"rule\" {\n  source = \"./rule\"\n  on     = false\n}\n",
    )
    .unwrap();
    let (verdicts, _) = same_whichever_way(&d);
    assert_eq!(verdicts["root-hardware-mfa-rule"], "switched-off", "{verdicts}");
}

#[cfg(unix)]
#[test]
fn a_module_symlink_out_of_the_tree_is_refused() {
    let d = scratch("module-out");
    let outside = scratch("module-out-target");
    std::fs::write(outside.join("main.tf"), HW_RULE_TF).unwrap();
    symlink(&outside, &d.join("live/ext"));
    std::fs::write(d.join("live/main.tf"), "module \"ext\" {\n  source = \"./ext\"\n}\n").unwrap();
    let (verdicts, f) = same_whichever_way(&d);
    assert_eq!(verdicts["root-hardware-mfa-rule"], "unknown", "{verdicts}");
    assert!(
        f.iter()
            .any(|(r, m)| r == "RG011" && m.contains("module source `./ext` leads outside the scanned tree")),
        "{f:?}"
    );
    assert!(
        f.iter()
            .any(|(r, m)| r == "RG001" && m.contains("the directory symlink is a symlink that leads outside")),
        "{f:?}"
    );
}

#[test]
fn installed_modules_are_found_whichever_way_the_root_is_spelled() {
    let d = scratch("installed-spelling");
    installed_module(&d, Some("~> 1.2"), GOOD_ENTRY);
    std::fs::create_dir_all(d.join("live")).unwrap();
    let (verdicts, _) = same_whichever_way(&d);
    assert_eq!(verdicts["root-hardware-mfa-rule"], "deployed", "{verdicts}");
}

// ---- `.terraform/modules` copies are checked against the calls -----------------------------

#[test]
fn an_installed_copy_must_match_the_call_source_and_version() {
    let entry = |source: &str, version: Option<&str>, dir: &str| {
        let v = version.map(|v| format!(", \"Version\": \"{v}\"")).unwrap_or_default();
        format!("{{\"Key\": \"org\", \"Source\": \"{source}\"{v}, \"Dir\": \"{dir}\"}}")
    };
    let reg = "registry.terraform.io/acme/scp/aws";
    let dir = ".terraform/modules/org";
    let cases: [(&str, Option<&str>, String, &str); 9] = [
        ("exact", Some("1.2.5"), entry(reg, Some("1.2.5"), dir), "deployed"),
        ("pessimistic", Some("~> 1.2"), entry(reg, Some("1.9.0"), dir), "deployed"),
        ("range", Some(">= 1.0, < 2.0, != 1.5.0"), entry(reg, Some("1.4.0"), dir), "deployed"),
        ("no constraint", None, entry(reg, Some("7.0.0"), dir), "deployed"),
        (
            "other source",
            None,
            entry("registry.terraform.io/evil/scp/aws", Some("1.2.5"), dir),
            "records module `org` as installed from",
        ),
        (
            "version too new",
            Some("~> 1.2.0"),
            entry(reg, Some("1.3.0"), dir),
            "which does not satisfy the call's `version = \"~> 1.2.0\"`",
        ),
        (
            "excluded version",
            Some(">= 1.0, != 1.5.0"),
            entry(reg, Some("1.5.0"), dir),
            "does not satisfy",
        ),
        (
            "no version",
            Some("1.2.5"),
            entry(reg, None, dir),
            "records no version for module `org`",
        ),
        (
            "dir elsewhere",
            None,
            entry(reg, Some("1.2.5"), "vendor/org"),
            "is not below `.terraform/modules`",
        ),
    ];
    for (name, constraint, e, want) in cases {
        let d = scratch(&format!("installed-{}", name.replace(' ', "-")));
        installed_module(&d, constraint, &e);
        std::fs::create_dir_all(d.join("vendor/org")).unwrap();
        std::fs::write(d.join("vendor/org/main.tf"), HW_RULE_TF).unwrap();
        let (v, _) = check(&d, &[]);
        if want == "deployed" {
            assert_eq!(status(&v, "root-hardware-mfa-rule"), "deployed", "{name}: {:?}", findings(&v));
            assert_eq!(count(&v, "RG011"), 0, "{name}: {:?}", findings(&v));
        } else {
            // a mismatch: a finding, and the call's guardrails unknown (the copy is not read)
            assert!(has(&v, "RG011", want), "{name}: {:?}", findings(&v));
            assert_eq!(status(&v, "root-mfa-rule"), "unknown", "{name}");
        }
    }
}

#[cfg(unix)]
#[test]
fn an_installed_directory_symlinked_elsewhere_is_refused() {
    let d = scratch("installed-link");
    installed_module(&d, None, &GOOD_ENTRY.replace(".terraform/modules/org", ".terraform/modules/link"));
    // inside the tree, but not a copy `terraform init` made
    std::fs::create_dir_all(d.join("decoy")).unwrap();
    std::fs::write(d.join("decoy/main.tf"), HW_RULE_TF).unwrap();
    symlink("../../decoy", &d.join(".terraform/modules/link"));
    let (v, _) = check(&d, &[]);
    assert!(has(&v, "RG011", "leads outside `.terraform/modules`"), "{:?}", findings(&v));
}
