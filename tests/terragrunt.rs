//! Terragrunt units as deployment roots: includes, inputs, dependencies, remote sources and
//! configurations Terragrunt would stop on, with committed expected output.
//!
//! The semantics follow `/work/research/terraform-semantics.md` §1, which cites
//! <https://terragrunt.gruntwork.io/docs/reference/hcl/blocks>,
//! <https://terragrunt.gruntwork.io/docs/reference/hcl/attributes> and
//! <https://terragrunt.gruntwork.io/docs/reference/hcl/functions>.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use serde_json::Value;

const FIXTURES: [&str; 7] = [
    "terragrunt-include",
    "terragrunt-switched-off",
    "terragrunt-two-units",
    "terragrunt-dependency",
    "terragrunt-remote",
    "terragrunt-broken",
    "terragrunt-semantics",
];

#[test]
fn snapshots() {
    let mut failures = Vec::new();
    for d in FIXTURES {
        let dir = format!("testdata/terraform/{d}");
        let (out, _, _) = common::run(&["check", "--color", "never", "--fail-on", "never", &dir]);
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("testdata/terraform/{d}.expected.txt"));
        if let Err(e) = common::snapshot(&path, &out) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same output at any thread count and with every file parsed.
#[test]
fn deterministic_at_any_thread_count() {
    for d in FIXTURES {
        let dir = format!("testdata/terraform/{d}");
        let json = |extra: &[&str]| {
            let mut args = vec!["check", "--format", "json", "--fail-on", "never"];
            args.extend_from_slice(extra);
            args.push(&dir);
            common::run(&args).0
        };
        let base = json(&["-j", "1"]);
        assert_eq!(json(&["-j", "8"]), base, "{d} -j 8");
        assert_eq!(json(&["--parse-all", "-j", "3"]), base, "{d} --parse-all");
    }
}

fn guardrails(dir: &str) -> Value {
    common::check_json(&[dir])["summary"]["guardrails"].clone()
}

fn findings(v: &Value, rule: &str) -> Vec<Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .cloned()
        .collect()
}

/// `root.hcl` (found with `find_in_parent_folders`) gives the toggle through its inputs; each
/// unit deploys its module with the merged inputs. Judged alone with its defaults, neither
/// module deploys anything.
#[test]
fn included_inputs_deploy_the_guardrails() {
    let g = guardrails("testdata/terraform/terragrunt-include");
    assert_eq!(g["root-hardware-mfa-rule"]["status"], "deployed", "{g}");
    assert_eq!(g["root-deny-scp"]["status"], "enforced", "{g}");
    let (out, _, _) = common::run(&["model", "testdata/terraform/terragrunt-include"]);
    let m: Value = serde_json::from_str(&out).unwrap();
    let r = &m["config_rules"][0];
    // `name_prefix` comes from a local of root.hcl through its inputs; `frequency` from the unit
    assert_eq!(r["name"], "acme-root-account-hardware-mfa-enabled");
    assert_eq!(r["frequency"], "TwentyFour_Hours");
    assert_eq!(r["via"][0]["kind"], "Terragrunt unit");
    assert_eq!(r["via"][0]["name"], "testdata/terraform/terragrunt-include/live/config-rules");
    // the source built from `get_parent_terragrunt_dir()` (an absolute path) is the same module
    let p = &m["policies"][0];
    assert_eq!(p["targets"][0]["kind"], "root");
    assert_eq!(p["via"][0]["name"], "testdata/terraform/terragrunt-include/live/scp");
    // root.hcl is read as Terragrunt configuration
    let v = common::check_json(&["testdata/terraform/terragrunt-include"]);
    assert_eq!(v["summary"]["files"]["by_kind"]["terragrunt"], 3, "{}", v["summary"]["files"]);
}

/// The only unit of a module that is on by default sets its toggle to `false`: switched off,
/// the deciding value being the unit's input.
#[test]
fn a_unit_input_switches_a_guardrail_off() {
    let v = common::check_json(&["testdata/terraform/terragrunt-switched-off"]);
    let g = &v["summary"]["guardrails"];
    assert_eq!(g["root-hardware-mfa-rule"]["status"], "switched-off");
    assert_eq!(g["root-mfa-rule"]["status"], "switched-off");
    let off = findings(&v, "RG010");
    assert_eq!(off.len(), 2);
    for f in &off {
        assert!(
            f["message"].as_str().unwrap().contains("`var.enable_root_mfa_rules` is `false`"),
            "{f}"
        );
        let decided = f["related"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["message"] == "the value that decides it")
            .unwrap_or_else(|| panic!("{f}"));
        assert_eq!(
            decided["file"],
            "testdata/terraform/terragrunt-switched-off/live/audit/terragrunt.hcl"
        );
        assert_eq!(decided["start"]["line"], 8);
    }
}

/// One module, two units: on in one, off in the other. The verdict is the best of the two; the
/// unit that switches it off is reported, and only that one.
#[test]
fn each_unit_is_judged_with_its_own_inputs() {
    let v = common::check_json(&["testdata/terraform/terragrunt-two-units"]);
    assert_eq!(v["summary"]["guardrails"]["root-hardware-mfa-rule"]["status"], "deployed");
    let off = findings(&v, "RG010");
    assert_eq!(off.len(), 1, "{off:?}");
    assert_eq!(off[0]["via"][0]["name"], "testdata/terraform/terragrunt-two-units/live/dev");
    let (out, _, _) = common::run(&["model", "testdata/terraform/terragrunt-two-units"]);
    let m: Value = serde_json::from_str(&out).unwrap();
    // once per unit, never as a bare root with its defaults
    let units: Vec<&str> = m["config_rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["via"][0]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        units,
        [
            "testdata/terraform/terragrunt-two-units/live/dev",
            "testdata/terraform/terragrunt-two-units/live/prod"
        ]
    );
}

/// `dependency.org.outputs.root_id` is the mock output (allowed for `plan`): the SCP is
/// attached to that root. Without `mock_outputs` the target is not known.
#[test]
fn mock_outputs_feed_the_target_id() {
    let v = common::check_json(&["testdata/terraform/terragrunt-dependency"]);
    assert_eq!(v["summary"]["guardrails"]["root-deny-scp"]["status"], "enforced");
    let (out, _, _) = common::run(&["model", "testdata/terraform/terragrunt-dependency"]);
    let m: Value = serde_json::from_str(&out).unwrap();
    let by_unit = |unit: &str| {
        m["policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["via"][0]["name"].as_str().is_some_and(|n| n.ends_with(unit)))
            .cloned()
            .unwrap_or_else(|| panic!("{unit}"))
    };
    let mocked = by_unit("live/scp");
    assert_eq!(mocked["targets"][0]["id"], "r-mock1");
    let unmocked = by_unit("live/scp-no-mocks");
    assert_eq!(unmocked["targets"][0]["kind"], "unknown", "{unmocked}");
}

/// A unit whose module Terragrunt downloads: every guardrail it could declare is unknown, shown
/// at the unit's `source`; a registry module known to declare none is not.
#[test]
fn remote_sources_are_unknown_unless_known() {
    let v = common::check_json(&["testdata/terraform/terragrunt-remote"]);
    let g = &v["summary"]["guardrails"];
    for name in ["root-hardware-mfa-rule", "root-mfa-rule", "root-deny-scp", "root-usage-alarm"] {
        assert_eq!(g[name]["status"], "unknown", "{name}");
    }
    let unread = findings(&v, "RG011");
    assert_eq!(unread.len(), 1, "{unread:?}");
    assert_eq!(
        unread[0]["file"],
        "testdata/terraform/terragrunt-remote/live/guardrails/terragrunt.hcl"
    );
    assert_eq!(unread[0]["start"]["line"], 3);
    // declared clean: missing again
    let v = common::check_json(&[
        "--known-module",
        "git::https://github.com/acme/*",
        "testdata/terraform/terragrunt-remote",
    ]);
    assert_eq!(v["summary"]["guardrails"]["root-hardware-mfa-rule"]["status"], "missing");
}

/// A syntax error, a missing include and a `find_in_parent_folders` that finds nothing: each is
/// RG001 at its file, line and column, and the unit's guardrails are unknown, not deployed (the
/// module alone would deploy the rule by default).
#[test]
fn configurations_terragrunt_stops_on_are_errors_and_unknown() {
    let v = common::check_json(&["testdata/terraform/terragrunt-broken"]);
    let errors: Vec<(String, u64, u64)> = findings(&v, "RG001")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().rsplit("live/").next().unwrap().to_owned(),
                f["start"]["line"].as_u64().unwrap(),
                f["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("missing-include/terragrunt.hcl".to_owned(), 2, 10),
            ("no-parent/terragrunt.hcl".to_owned(), 2, 10),
            ("syntax/terragrunt.hcl".to_owned(), 5, 1)
        ]
    );
    assert_eq!(v["summary"]["guardrails"]["root-hardware-mfa-rule"]["status"], "unknown");
    let (_, _, code) = common::run(&["check", "testdata/terraform/terragrunt-broken"]);
    assert_ne!(code, 0);
}

/// One module deployed by units that each exercise one rule of the spec; whether each unit
/// creates the rule, and its name (`tags` keys), says the rule was followed.
#[test]
fn units_follow_terragrunt_semantics() {
    // the environment holds the opposite of `get_env`'s default: it must not matter
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rootguard"))
        .args(["model", "testdata/terraform/terragrunt-semantics"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ENABLE_ROOT_MFA", "true")
        .output()
        .unwrap();
    let m: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, String, String)> = m["config_rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let unit = r["via"][0]["name"].as_str().unwrap();
            (
                unit.rsplit_once("/live/").unwrap().1.to_owned(),
                r["created"].as_str().unwrap().to_owned(),
                r["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        // root.hcl's `tags` and the unit's, merged key by key; root.hcl's `enabled = true`
        ("deep", "true", "root-mfa-a-b"),
        // `no_merge`: root.hcl's `enabled = true` is not merged; its exposed local is false
        ("expose", "false", "root-mfa-"),
        // the `required_var_files` file beats the inputs; the missing optional one is skipped
        ("extra-args", "false", "root-mfa-"),
        ("generate", "false", "root-mfa-"),
        // `get_env("ENABLE_ROOT_MFA", "false")` is its default, whatever the environment says
        ("get-env", "false", "root-mfa-"),
        // the deprecated root `terragrunt.hcl` gives the source; it is not a unit of its own
        ("legacy/child", "false", "root-mfa-"),
        ("on", "true", "root-mfa-"),
        // `read_terragrunt_config` of common.hcl: its locals
        ("read-config", "false", "root-mfa-"),
        // `skip = true`: Terragrunt does not run the unit
        ("skip", "false", "root-mfa-"),
        // the unit directory's terraform.tfvars beats the inputs
        ("tfvars-wins", "false", "root-mfa-"),
    ];
    let want: Vec<(String, String, String)> = want.iter().map(|(a, b, c)| ((*a).into(), (*b).into(), (*c).into())).collect();
    assert_eq!(got, want);
    // the generated Terraform code is unknown; the stale copy under .terragrunt-cache is never read
    let opaque: Vec<&str> = m["opaque_templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["reference"].as_str().unwrap())
        .collect();
    assert_eq!(opaque.len(), 1, "{opaque:?}");
    assert!(opaque[0].starts_with("`generate \"guardrail\"`"), "{opaque:?}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(".terragrunt-cache"));
}
