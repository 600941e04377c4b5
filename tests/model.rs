//! `rootguard model` on every fixture of testdata/model, against the committed expected JSON.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

#[test]
fn model_snapshots() {
    let mut failures = Vec::new();
    for f in common::fixtures("testdata/model") {
        let (out, err, code) = common::run(&["model", &common::rel(&f)]);
        assert_eq!(code, 0, "{}: {err}", f.display());
        if let Err(e) = common::snapshot(&common::expected_path(&f, "json"), &out) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn model_is_byte_identical_across_runs() {
    // a directory no other test writes to
    let (a, _, _) = common::run(&["model", "testdata/landing-zone"]);
    let (b, _, _) = common::run(&["model", "testdata/landing-zone"]);
    assert_eq!(a, b);
    assert!(a.contains("\"schema\": \"rootguard-model/1\""));
}
