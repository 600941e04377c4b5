//! One directory per fixed bug in testdata/regressions: the verdicts in its `EXPECTED` file
//! (`guardrail=status` per line) are what rootguard must say for it.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

#[test]
fn regressions() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/regressions");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 20);
    let mut problems = Vec::new();
    for d in dirs {
        let expected = std::fs::read_to_string(d.join("EXPECTED")).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        let rel = common::rel(&d);
        let (out, err, _) = common::run(&["check", "--format", "json", "--fail-on", "never", &rel]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{rel}: {e} {err}"));
        for line in expected.lines().filter(|l| !l.trim().is_empty()) {
            let (g, want) = line.split_once('=').unwrap();
            let got = v["summary"]["guardrails"][g]["status"].as_str().unwrap_or("none");
            if got != want {
                problems.push(format!("{rel}: {g} is {got}, expected {want}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
