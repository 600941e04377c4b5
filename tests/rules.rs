//! Every rule: docs in fixed sections, a pass and a fail fixture; fail fixtures carry inline
//! expectations (`# expect: RG103` on the line the finding points at); the human output of
//! every fixture, for its rule alone (`--select`), is committed beside it
//! (`<file>.expected.txt`): the excerpt's carets pin each finding's exact span.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn dir_files(d: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(d)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| {
        let s = p.to_string_lossy();
        p.is_file() && !s.contains(".expected.") && !s.contains(".base.") && !s.ends_with(".args")
    });
    v.sort();
    v
}

fn markers(text: &str) -> BTreeSet<(u64, String)> {
    let mut out = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        if let Some((_, ids)) = line.split_once("# expect:") {
            for id in ids.split(',') {
                out.insert((i as u64 + 1, id.trim().to_owned()));
            }
        }
    }
    out
}

/// `name.base.ext` beside `name.ext`: the fixture is a pull request from the base file to it.
fn base_of(f: &Path) -> Option<PathBuf> {
    let name = f.file_name()?.to_str()?;
    let (stem, ext) = name.rsplit_once('.')?;
    let b = f.with_file_name(format!("{stem}.base.{ext}"));
    b.is_file().then_some(b)
}

/// Run `check` on a fixture; a pull-request fixture runs in a scratch git repository with
/// `--base main`.
fn run_fixture(f: &Path, args: &[&str]) -> (String, String, i32) {
    // `<fixture>.args`: extra arguments the fixture needs, one per line
    // (a first line `evidence` runs `rootguard evidence` on the fixture instead of `check`)
    let extra = std::fs::read_to_string(format!("{}.args", f.display())).unwrap_or_default();
    let mut args = args.to_vec();
    let mut lines = extra.lines().map(str::trim).filter(|l| !l.is_empty()).peekable();
    if lines.peek() == Some(&"evidence") {
        lines.next();
        if let Some(first) = args.first_mut() {
            *first = "evidence";
        }
    }
    args.extend(lines);
    let args = args.as_slice();
    let Some(base) = base_of(f) else {
        let mut a = args.to_vec();
        let rel = common::rel(f);
        a.push(&rel);
        return common::run(&a);
    };
    let dir = std::env::temp_dir().join(format!(
        "rootguard-fixture-{}-{}",
        std::process::id(),
        f.file_name().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let name = f.file_name().unwrap();
    let git = |a: &[&str]| common::git(&dir, a);
    // `<stem>.base.d/` and `<stem>.d/` beside the fixture: more files of the base and of the
    // change (a tree such as `.terraform/modules/…`)
    let stem = name.to_str().unwrap().rsplit_once('.').map_or("", |(s, _)| s).to_owned();
    let tree = |suffix: &str| {
        let from = f.with_file_name(format!("{stem}{suffix}"));
        if from.is_dir() {
            copy_tree(&from, &dir);
        }
    };
    std::fs::copy(&base, dir.join(name)).unwrap();
    tree(".base.d");
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A", "-f"]);
    git(&["commit", "-q", "-m", "base"]);
    std::fs::copy(f, dir.join(name)).unwrap();
    tree(".d");
    git(&["add", "-A", "-f"]);
    let mut a = args.to_vec();
    a.extend(["--base", "main", name.to_str().unwrap()]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(&a)
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn copy_tree(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap().path();
        let target = to.join(e.file_name().unwrap());
        if e.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&e, &target);
        } else {
            std::fs::copy(&e, &target).unwrap();
        }
    }
}

fn findings(f: &Path) -> Vec<(String, u64)> {
    let file = common::rel(f);
    let (out, err, code) = run_fixture(f, &["check", "--format", "json", "--fail-on", "never"]);
    assert_eq!(code, 0, "{file}: {err}");
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{file}: {e}\n{out}"));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_owned(), f["start"]["line"].as_u64().unwrap_or(0)))
        .collect()
}

#[test]
fn every_rule_has_sections_and_fixtures() {
    let rules = rootguard::rules::builtin().expect("rule files parse");
    assert!(rules.len() >= 20);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    let mut missing = Vec::new();
    for r in &rules {
        for kind in ["pass", "fail"] {
            if dir_files(&root.join(&r.id).join(kind)).is_empty() {
                missing.push(format!("{} has no {kind} fixture in testdata/rules/{}/{kind}/", r.id, r.id));
            }
        }
        assert!(
            r.fix_hcl.is_some() && r.fix_yaml.is_some(),
            "{}: `How to fix` needs an hcl and a yaml snippet",
            r.id
        );
        assert!(!r.references.is_empty(), "{}: no references", r.id);
        assert!(
            r.file.ends_with(&format!("{}-{}.md", r.id, r.name)),
            "{}: file name must be <id>-<name>.md",
            r.file
        );
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn rule_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    let mut problems = Vec::new();
    for r in rootguard::rules::builtin().unwrap() {
        for kind in ["pass", "fail"] {
            for f in dir_files(&root.join(&r.id).join(kind)) {
                let rel = common::rel(&f);
                let text = std::fs::read_to_string(&f).unwrap();
                let got = findings(&f);
                let mine: Vec<u64> = got.iter().filter(|(id, _)| *id == r.id).map(|(_, l)| *l).collect();
                if kind == "pass" {
                    if !mine.is_empty() {
                        problems.push(format!("{rel}: {} fired at lines {mine:?} in a pass fixture", r.id));
                    }
                } else {
                    if mine.is_empty() {
                        problems.push(format!("{rel}: {} did not fire", r.id));
                    }
                    let marks = markers(&text);
                    for (line, id) in &marks {
                        if !got.iter().any(|(g, l)| g == id && l == line) {
                            problems.push(format!("{rel}:{line}: expected {id} here; got {got:?}"));
                        }
                    }
                    if marks.iter().any(|(_, id)| *id == r.id) {
                        for l in &mine {
                            if !marks.contains(&(*l, r.id.clone())) {
                                problems.push(format!("{rel}:{l}: {} fired on a line without `# expect: {}`", r.id, r.id));
                            }
                        }
                    }
                }
                // the snapshot holds the rule under test only (and the verdicts), so that a change
                // of another rule's message rewrites no other rule's snapshots
                // (RG012 is reported with the `missing` rules of its guardrails, whose severity it takes)
                let select = if r.id == "RG012" {
                    std::iter::once("RG012")
                        .chain(rootguard::rules::MISSING_RULES.iter().map(|(_, id)| *id))
                        .collect::<Vec<_>>()
                        .join(",")
                } else {
                    r.id.clone()
                };
                let (human, _, _) = run_fixture(&f, &["check", "--color", "never", "--fail-on", "never", "--select", &select]);
                if let Err(e) = common::snapshot(&common::expected_path(&f, "txt"), &human) {
                    problems.push(e);
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Findings and verdicts of a run, without the syntax diagnostics that only `--parse-all` can
/// add (of files that carry no guardrail marker).
fn answer(out: &str) -> (Value, Vec<Value>) {
    let v: Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let findings = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !matches!(f["rule"].as_str(), Some("RG001" | "RG002")))
        .cloned()
        .collect();
    (v["summary"]["guardrails"].clone(), findings)
}

/// Skipping files without markers, threads and the cut model document are only speed-ups: on
/// every fixture, the verdicts and findings are those of parsing every file on one thread and
/// evaluating the full document.
#[test]
fn prefilter_and_threads_never_change_an_answer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut targets: Vec<PathBuf> = Vec::new();
    for r in rootguard::rules::builtin().unwrap() {
        for kind in ["pass", "fail"] {
            targets.extend(
                dir_files(&root.join("rules").join(&r.id).join(kind))
                    .into_iter()
                    .filter(|f| base_of(f).is_none()),
            );
        }
    }
    targets.push(root.join("landing-zone"));
    let mut tf: Vec<PathBuf> = std::fs::read_dir(root.join("terraform"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    tf.sort();
    targets.extend(tf);
    assert!(targets.len() > 40, "{targets:?}");
    let mut problems = Vec::new();
    for t in &targets {
        let rel = common::rel(t);
        let run = |extra: &[&str]| {
            let mut a = vec!["check", "--format", "json", "--fail-on", "never"];
            a.extend_from_slice(extra);
            a.push(&rel);
            let (out, err, code) = common::run(&a);
            assert_eq!(code, 0, "{rel}: {err}");
            answer(&out)
        };
        let fast = run(&["-j", "1"]);
        if run(&["--parse-all", "-j", "1"]) != fast {
            problems.push(format!("{rel}: --parse-all changes the answer"));
        }
        if run(&["-j", "8"]) != fast {
            problems.push(format!("{rel}: -j 8 changes the answer"));
        }
        // a user policy makes cfn-guard read the full model document instead of its cut
        if run(&["--policy", "testdata/policies/schema-only.guard"]) != fast {
            problems.push(format!("{rel}: the full model document changes the answer"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
