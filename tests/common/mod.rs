//! Helpers shared by the integration tests: running the binary and comparing snapshots.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Run git in `dir` with a fixed identity; the test fails if git does.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Run the built binary; returns (stdout, stderr, exit code).
pub fn run(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// `rootguard check --format json --fail-on never ARGS…`, parsed.
pub fn check_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["check", "--format", "json", "--fail-on", "never"];
    all.extend_from_slice(args);
    let (out, err, _) = run(&all);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"))
}

/// Compare `actual` with the committed snapshot at `path`; `ROOTGUARD_BLESS=1` rewrites it.
pub fn snapshot(path: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("ROOTGUARD_BLESS").is_some() {
        std::fs::write(path, actual).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expected =
        std::fs::read_to_string(path).map_err(|e| format!("{}: {e} (run with ROOTGUARD_BLESS=1 to create it)", path.display()))?;
    if expected == actual {
        return Ok(());
    }
    let (el, al): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let i = el.iter().zip(&al).position(|(a, b)| a != b).unwrap_or(el.len().min(al.len()));
    Err(format!(
        "{} differs at line {}:\n  expected: {:?}\n  actual:   {:?}\n(run with ROOTGUARD_BLESS=1 to accept the new output)",
        path.display(),
        i + 1,
        el.get(i).unwrap_or(&"<end>"),
        al.get(i).unwrap_or(&"<end>")
    ))
}

/// Fixture files of a directory (not the `*.expected.*` snapshots), sorted.
pub fn fixtures(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && !p.file_name().and_then(|n| n.to_str()).unwrap_or("").contains(".expected."))
        .collect();
    v.sort();
    v
}

/// `dir/name.yaml` → `dir/name.yaml.expected.<ext>`.
pub fn expected_path(fixture: &Path, ext: &str) -> PathBuf {
    let name = fixture.file_name().and_then(|s| s.to_str()).unwrap_or("x");
    fixture.with_file_name(format!("{name}.expected.{ext}"))
}

/// Path relative to the crate root, with `/`.
pub fn rel(p: &Path) -> String {
    p.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// (rule, message) of every finding of a JSON report.
pub fn rule_messages(v: &serde_json::Value) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_owned(), f["message"].as_str().unwrap().to_owned()))
        .collect()
}
