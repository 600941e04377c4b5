//! `rootguard evidence`: AWS CLI exports judged per account, with committed expected output.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use serde_json::Value;

const CASES: [&str; 14] = [
    "access-keys",
    "credential-report-json",
    "disagree",
    "hardware",
    "mfa-unknown",
    "no-mfa-credentials-unproven",
    "password-used",
    "mixed",
    "no-root-credentials",
    "none",
    "truncated",
    "truncated-list",
    "unrelated-csv",
    "virtual-only",
];

fn evidence_json(dir: &str) -> Value {
    let (out, err, code) = common::run(&["evidence", "--format", "json", "--fail-on", "never", dir]);
    assert_eq!(code, 0, "{dir}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{dir}: {e}\n{out}"))
}

/// (account id, root-hardware-mfa, root-access-keys) of each account.
fn accounts(v: &Value) -> Vec<(String, String, String)> {
    let g = &v["summary"]["guardrails"];
    let mfa = g["root-hardware-mfa"]["evidence"].as_array().unwrap();
    let keys = g["root-access-keys"]["evidence"].as_array().unwrap();
    mfa.iter()
        .zip(keys)
        .map(|(m, k)| {
            (
                m["declaration"].as_str().unwrap().to_owned(),
                m["status"].as_str().unwrap().to_owned(),
                k["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn rules(v: &Value) -> Vec<(String, String, u64)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["file"].as_str().unwrap_or("").to_owned(),
                f["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn snapshots() {
    let mut failures = Vec::new();
    for case in CASES {
        let dir = format!("testdata/evidence/{case}");
        let (out, _, _) = common::run(&["evidence", "--color", "never", "--fail-on", "never", &dir]);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("testdata/evidence/{case}.expected.txt"));
        if let Err(e) = common::snapshot(&path, &out) {
            failures.push(e);
        }
        let v = evidence_json(&dir);
        let mut json = serde_json::to_string_pretty(&v).unwrap();
        json.push('\n');
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("testdata/evidence/{case}.expected.json"));
        if let Err(e) = common::snapshot(&path, &json) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A root user without MFA fails unless it is proven to have no credentials; a root password
/// that was used is one it has or had.
#[test]
fn no_mfa_fails_unless_no_credentials_are_proven() {
    let a = |id: &str, m: &str, k: &str| (id.to_owned(), m.to_owned(), k.to_owned());
    let v = evidence_json("testdata/evidence/no-mfa-credentials-unproven");
    assert_eq!(accounts(&v), [a("account 616161616161", "none", "none")]);
    assert!(rules(&v).iter().any(|r| r.0 == "RG801"), "{:?}", rules(&v));
    let (_, _, code) = common::run(&["evidence", "testdata/evidence/no-mfa-credentials-unproven"]);
    assert_eq!(code, 1);
    let v = evidence_json("testdata/evidence/password-used");
    assert_eq!(accounts(&v), [a("account 626262626262", "none", "none")]);
    let text = v.to_string();
    assert!(text.contains("its password was used"), "{text}");
}

#[test]
fn every_verdict() {
    let a = |id: &str, m: &str, k: &str| (id.to_owned(), m.to_owned(), k.to_owned());
    let v = evidence_json("testdata/evidence/hardware");
    assert_eq!(accounts(&v), [a("account 111111111111", "hardware", "none")]);
    assert!(rules(&v).is_empty(), "{:?}", rules(&v));

    let v = evidence_json("testdata/evidence/virtual-only");
    assert_eq!(accounts(&v), [a("account 222222222222", "virtual-only", "none")]);
    assert_eq!(
        rules(&v),
        [("RG802".into(), "testdata/evidence/virtual-only/virtual-mfa-devices.json".into(), 4)]
    );

    // a hardware device (the report says MFA is on) and a virtual root device with a custom name
    let v = evidence_json("testdata/evidence/mixed");
    assert_eq!(accounts(&v), [a("account 333333333333", "virtual-only", "none")]);
    assert_eq!(rules(&v)[0].2, 10);

    let v = evidence_json("testdata/evidence/none");
    assert_eq!(accounts(&v), [a("account 444444444444", "none", "none")]);
    assert_eq!(rules(&v)[0].0, "RG801");
    assert_eq!(v["summary"]["guardrails"]["root-hardware-mfa"]["status"], "none");

    let v = evidence_json("testdata/evidence/access-keys");
    assert_eq!(accounts(&v), [a("account 555555555555", "hardware", "present")]);
    assert_eq!(rules(&v)[0].0, "RG803");

    // a member account without root credentials passes; the management account is judged
    let v = evidence_json("testdata/evidence/no-root-credentials");
    assert_eq!(
        accounts(&v),
        [
            a("account 666666666666 (member)", "no-root-credentials", "none"),
            a("account 999999999999 (management)", "hardware", "none"),
        ]
    );
    assert!(rules(&v).is_empty(), "{:?}", rules(&v));

    // the base64 `Content` of `aws iam get-credential-report`
    let v = evidence_json("testdata/evidence/credential-report-json");
    assert_eq!(accounts(&v), [a("account 121212121212", "none", "present")]);

    let v = evidence_json("testdata/evidence/mfa-unknown");
    assert_eq!(accounts(&v)[0].1, "unknown");
    assert_eq!(rules(&v)[0].0, "RG804");

    // the account summary says MFA is on, the credential report that it is off
    let v = evidence_json("testdata/evidence/disagree");
    assert_eq!(accounts(&v), [a("account 131313131313", "unknown", "none")]);
    let msg = v["findings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("`mfa_active` false in the IAM credential report"), "{msg}");

    // a device list cut short proves no hardware device
    let v = evidence_json("testdata/evidence/truncated-list");
    assert_eq!(accounts(&v), [a("account 141414141414", "unknown", "none")]);
    assert_eq!(
        rules(&v)[0],
        (
            "RG804".into(),
            "testdata/evidence/truncated-list/141414141414/virtual-mfa-devices.json".into(),
            10
        )
    );
}

#[test]
fn malformed_exports_are_findings_never_a_pass() {
    let v = evidence_json("testdata/evidence/truncated");
    let g = &v["summary"]["guardrails"];
    assert_eq!(g["root-hardware-mfa"]["status"], "unknown");
    assert_eq!(g["root-access-keys"]["status"], "unknown");
    let r = rules(&v);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].0, "RG805");
    let (_, _, code) = common::run(&["evidence", "testdata/evidence/truncated"]);
    assert_eq!(code, 1);

    let v = evidence_json("testdata/evidence/unrelated-csv");
    let r = rules(&v);
    assert!(
        r.contains(&("RG805".into(), "testdata/evidence/unrelated-csv/888888888888/owners.csv".into(), 1)),
        "{r:?}"
    );
}

#[test]
fn evidence_joins_a_check_and_a_missing_directory_is_an_error() {
    let v = common::check_json(&["testdata/landing-zone", "--evidence", "testdata/evidence/none"]);
    let g = &v["summary"]["guardrails"];
    assert_eq!(g["root-deny-scp"]["status"], "enforced");
    assert_eq!(g["root-hardware-mfa"]["status"], "none");
    assert_eq!(v["summary"]["files"]["by_kind"]["evidence"], 1);
    // without --evidence, the account guardrails are not in the report
    let v = common::check_json(&["testdata/landing-zone"]);
    assert!(v["summary"]["guardrails"].get("root-hardware-mfa").is_none());
    let (_, err, code) = common::run(&["evidence", "testdata/evidence/does-not-exist"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("does-not-exist"), "{err}");
}

/// A credential report whose base64 `Content` is damaged proves nothing: a finding at the
/// character at fault (at the whole string when the source writes it with escapes).
#[test]
fn damaged_base64_is_a_finding_at_the_character() {
    let dir = std::env::temp_dir().join(format!("rootguard-b64-{}", std::process::id()));
    let report = |content: &str| format!("{{\n    \"Content\": \"{content}\",\n    \"ReportFormat\": \"text/csv\"\n}}\n");
    for (account, content) in [
        ("101010101010", "dXNl*cixhcm4K"),
        ("202020202020", "dXNl\\u002acixhcm4K"),
        ("303030303030", "/w=="),
        ("404040404040", "dXNlcixhcm4K="),
    ] {
        std::fs::create_dir_all(dir.join(account)).unwrap();
        std::fs::write(dir.join(account).join("report.json"), report(content)).unwrap();
    }
    let v = evidence_json(dir.to_str().unwrap());
    let found: Vec<(String, u64, u64, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["start"]["line"].as_u64().unwrap_or(0),
                f["start"]["column"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    let at = |line: u64, column: u64, part: &str| {
        assert!(
            found
                .iter()
                .any(|f| f.0 == "RG805" && (f.1, f.2) == (line, column) && f.3.contains(part)),
            "{part}: {found:#?}"
        );
    };
    at(
        2,
        21,
        "`Content` is not base64 of a UTF-8 CSV: `*` (character 5) is not in the base64 alphabet",
    );
    at(2, 16, "`*` (character 5) is not in the base64 alphabet");
    at(2, 16, "`Content` is not base64 of a UTF-8 CSV: decoded byte 0 is not UTF-8");
    at(2, 29, "`=` (character 13) is padding out of place");
    let g = &v["summary"]["guardrails"];
    assert_eq!(g["root-hardware-mfa"]["status"], "unknown", "{g}");
    assert_eq!(g["root-access-keys"]["status"], "unknown", "{g}");
}
