//! SARIF (validated against the official 2.1.0 schema), GitHub workflow commands and step
//! summary, Markdown and JUnit, and several outputs from one run.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use serde_json::Value;

fn sarif(dir: &str) -> Value {
    let (out, err, _) = common::run(&["check", "--format", "sarif", "--fail-on", "never", dir]);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"))
}

#[test]
fn sarif_validates_against_the_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/schemas/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft7::new(&schema).expect("the schema compiles");
    for dir in [
        "testdata/landing-zone",
        "testdata/terraform/org-baseline",
        "testdata/rules/RG001/fail",
        "testdata/terraform/plan",
    ] {
        let doc = sarif(dir);
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{dir}: {}", errors.join("\n"));
    }
}

#[test]
fn sarif_carries_what_code_scanning_needs() {
    let doc = sarif("testdata/landing-zone");
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 27);
    for r in rules {
        for k in ["id", "name", "shortDescription", "fullDescription", "help", "helpUri", "properties"] {
            assert!(!r[k].is_null(), "rule without {k}: {}", r["id"]);
        }
        assert!(r["properties"]["security-severity"].as_str().unwrap().parse::<f64>().is_ok());
    }
    let rg104 = rules.iter().find(|r| r["id"] == "RG104").unwrap();
    assert!(
        rg104["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t.as_str().unwrap().contains("CIS")),
        "{rg104}"
    );
    for res in run["results"].as_array().unwrap() {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(!loc["artifactLocation"]["uri"].as_str().unwrap().starts_with('/'));
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(res["partialFingerprints"]["rootguard/v1"].is_string());
    }
    // the via chain of a finding inside a conformance pack
    let rg104 = run["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "RG104").unwrap();
    assert!(
        rg104["relatedLocations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["message"]["text"].as_str().unwrap().contains("conformance-pack"))
    );
}

#[test]
fn fingerprints_do_not_move_with_unrelated_lines() {
    let dir = std::env::temp_dir().join(format!("rootguard-fp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules/RG104/fail/bad-frequency.yaml"))
            .unwrap();
    let fp = |text: &str| {
        std::fs::write(dir.join("t.yaml"), text).unwrap();
        let doc = sarif(dir.to_str().unwrap());
        let r = doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == "RG104")
            .cloned()
            .unwrap();
        (
            r["partialFingerprints"]["rootguard/v1"].clone(),
            r["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
        )
    };
    let (a, la) = fp(&src);
    let (b, lb) = fp(&format!("# a comment\n# another\n{src}"));
    assert_ne!(la, lb, "the finding moved");
    assert_eq!(a, b, "the fingerprint did not");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn github_annotations_and_step_summary() {
    let summary = std::env::temp_dir().join(format!("rootguard-summary-{}.md", std::process::id()));
    let _ = std::fs::remove_file(&summary);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(["check", "--format", "github", "testdata/landing-zone"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text.lines().find(|l| l.starts_with("::error ")).expect("an error annotation");
    assert!(line.starts_with("::error file=testdata/landing-zone/config/conformance-pack.yaml,line=21,endLine=21,col=42,endColumn=49,title=RG104 root-mfa-rule-invalid-frequency (high)::"), "{line}");
    assert!(line.contains("%0A%0Ahelp: "), "newlines are escaped: {line}");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("| `root-deny-scp` | ✅ `enforced` |"), "{md}");
    std::fs::remove_file(&summary).unwrap();
    assert_eq!(rootguard::report::github::escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
}

#[test]
fn markdown_junit_and_several_outputs_in_one_run() {
    let dir = std::env::temp_dir().join(format!("rootguard-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (sarif_p, junit_p, md_p) = (dir.join("r.sarif"), dir.join("r.xml"), dir.join("r.md"));
    let (human, _, code) = common::run(&[
        "check",
        "--color",
        "never",
        "--output",
        &format!("sarif={}", sarif_p.display()),
        "--output",
        &format!("junit={}", junit_p.display()),
        "--output",
        &format!("markdown={}", md_p.display()),
        "testdata/landing-zone",
    ]);
    assert_eq!(code, 1);
    assert!(human.contains("Guardrails"));
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&sarif_p).unwrap()).unwrap();
    assert_eq!(s["version"], "2.1.0");
    let junit = std::fs::read_to_string(&junit_p).unwrap();
    assert!(junit.starts_with("<?xml"));
    assert!(
        junit.contains(r#"<testcase classname="rootguard.guardrails" name="centralized-root-access"><failure type="missing""#),
        "{junit}"
    );
    let md = std::fs::read_to_string(&md_p).unwrap();
    assert!(md.contains("### Findings (6)"), "{md}");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(common::run(&["check", "--output", "nope=x", "testdata/landing-zone"]).2, 2);
}
