//! Discovery and the model over ../shared/corpus (when it is beside the checkout): every file
//! is classified as its MANIFEST row says and parsed; the malformed one gives a parse diagnostic.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use rootguard::discover::Kind;
use rootguard::scan::{Options, scan};

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    p.join("MANIFEST.tsv").is_file().then_some(p)
}

#[test]
fn every_corpus_file_is_classified_and_parsed() {
    let Some(dir) = corpus() else {
        eprintln!("../shared/corpus is not beside the checkout; skipping");
        return;
    };
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let mut rows = 0;
    let mut problems = Vec::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (path, format) = (cols[0], cols[5]);
        let want = match format {
            "cfn-yaml" | "cfn-json" => Kind::CloudFormation,
            "conformance-pack" => Kind::ConformancePack,
            "scp-json" | "other-json" => Kind::PolicyDocument,
            "plan-json" => Kind::TerraformPlan,
            "invalid-json" => Kind::Unreadable,
            other => panic!("unknown format {other}"),
        };
        let s = scan(&Options {
            paths: vec![dir.join(path)],
            ..Options::default()
        })
        .unwrap();
        rows += 1;
        let got = s.files.first().map(|f| f.kind);
        if got != Some(want) {
            problems.push(format!("{path}: classified {got:?}, expected {want:?}"));
        }
        let errors: Vec<_> = s
            .model
            .diagnostics
            .iter()
            .filter(|d| d.diag.level == rootguard::parse::Level::Error)
            .collect();
        if want == Kind::Unreadable {
            if !errors.iter().any(|d| d.diag.code == "syntax" && d.relevant) {
                problems.push(format!("{path}: no syntax diagnostic"));
            }
        } else if !errors.is_empty() {
            problems.push(format!(
                "{path}: unexpected diagnostics {:?}",
                errors.iter().map(|d| &d.diag.message).collect::<Vec<_>>()
            ));
        }
    }
    assert!(rows > 200, "only {rows} rows read");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
