//! The GitHub Action's steps, run locally with the environment GitHub provides, over a fixture
//! repository: the annotations, the step summary, the outputs, the SARIF file and the final
//! exit code.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use rootguard::parse::tree::Node;

fn action() -> Node {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    rootguard::parse::yaml::parse(rootguard::source::FileId(0), &text, 0)
        .root
        .expect("action.yml parses")
}

fn step<'a>(a: &'a Node, name: &str) -> &'a Node {
    a.at(&["runs", "steps"])
        .and_then(Node::as_seq)
        .unwrap()
        .iter()
        .find(|s| s.get("name").and_then(Node::as_str) == Some(name))
        .unwrap_or_else(|| panic!("no step {name}"))
}

/// Replace `${{ … }}` the way the runner would for these steps.
fn expand(s: &str, inputs: &[(&str, &str)], root: &Path, code: &str) -> String {
    let a = action();
    let mut out = s.to_owned();
    for e in a.get("inputs").and_then(Node::as_map).unwrap() {
        let v = inputs.iter().find(|(k, _)| *k == e.key).map_or_else(
            || {
                e.value
                    .get("default")
                    .and_then(Node::as_scalar_str)
                    .map(std::borrow::Cow::into_owned)
                    .unwrap_or_default()
            },
            |(_, v)| (*v).to_owned(),
        );
        out = out.replace(&format!("${{{{ inputs.{} }}}}", e.key), &v);
    }
    out.replace("${{ steps.key.outputs.root }}", &root.display().to_string())
        .replace("${{ steps.run.outputs.exit-code }}", code)
}

fn run_step(name: &str, inputs: &[(&str, &str)], ws: &Path, env: &[(&str, &Path)], root: &Path, code: &str) -> (String, i32) {
    let a = action();
    let s = step(&a, name);
    let script = s.get("run").and_then(Node::as_str).unwrap();
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(script)
        .current_dir(ws)
        .env("GITHUB_WORKSPACE", ws)
        .env_remove("GITHUB_BASE_REF");
    for e in s.get("env").and_then(Node::as_map).unwrap_or_default() {
        cmd.env(&e.key, expand(e.value.as_scalar_str().unwrap().as_ref(), inputs, root, code));
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (String::from_utf8_lossy(&out.stdout).into_owned(), out.status.code().unwrap_or(-1))
}

fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rootguard-action-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("root/bin")).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_rootguard"), dir.join("root/bin/rootguard")).unwrap();
    std::fs::create_dir_all(dir.join("ws")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/hooks/pass/guardrails.yaml"),
        dir.join("ws/guardrails.yaml"),
    )
    .unwrap();
    dir
}

#[test]
fn the_run_step_annotates_summarizes_and_reports() {
    let dir = workspace("plain");
    let ws = dir.join("ws");
    // a change that detaches the SCP
    let f = ws.join("guardrails.yaml");
    let text = std::fs::read_to_string(&f)
        .unwrap()
        .replace("      TargetIds:\n        - !GetAtt Organization.RootId\n", "");
    std::fs::write(&f, text).unwrap();
    let (output, summary) = (dir.join("output"), dir.join("summary.md"));
    let env = [("GITHUB_OUTPUT", output.as_path()), ("GITHUB_STEP_SUMMARY", summary.as_path())];
    let (stdout, code) = run_step("Run rootguard", &[], &ws, &env, &dir.join("root"), "");
    assert_eq!(code, 0, "the run step records the exit code instead of failing: {stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("::error file=guardrails.yaml,") && l.contains("RG202")),
        "{stdout}"
    );
    let outputs = std::fs::read_to_string(&output).unwrap();
    assert!(
        outputs.contains("exit-code=1\n") && outputs.contains("sarif-file=rootguard.sarif\n"),
        "{outputs}"
    );
    let sarif: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(ws.join("rootguard.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(
        std::fs::read_to_string(&summary)
            .unwrap()
            .contains("| `root-deny-scp` | ❌ `unattached` |")
    );
    // the last step fails the job with rootguard's exit code
    let (_, code) = run_step("Fail when rootguard did", &[], &ws, &env, &dir.join("root"), "1");
    assert_eq!(code, 1);
    let (_, code) = run_step("Fail when rootguard did", &[], &ws, &env, &dir.join("root"), "0");
    assert_eq!(code, 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_run_step_uses_pull_request_mode_on_pull_requests() {
    let dir = workspace("pr");
    let ws = dir.join("ws");
    let git = |a: &[&str]| common::git(&ws, a);
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "base"]);
    // `origin/main`, as actions/checkout leaves it for a pull request's base branch
    git(&["update-ref", "refs/remotes/origin/main", "HEAD"]);
    let (output, summary) = (dir.join("output"), dir.join("summary.md"));
    let env = [("GITHUB_OUTPUT", output.as_path()), ("GITHUB_STEP_SUMMARY", summary.as_path())];
    let mut cmd_env: Vec<(&str, &Path)> = env.to_vec();
    let base = PathBuf::from("main");
    cmd_env.push(("GITHUB_BASE_REF", base.as_path()));
    let (stdout, _) = run_step("Run rootguard", &[], &ws, &cmd_env, &dir.join("root"), "");
    // nothing changed against the base: no annotation at all, and a clean exit code
    assert!(!stdout.contains("::error") && !stdout.contains("::warning"), "{stdout}");
    assert!(std::fs::read_to_string(&output).unwrap().contains("exit-code=0"));
    std::fs::remove_dir_all(&dir).unwrap();
}
