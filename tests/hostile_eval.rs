//! Hostile input for the evaluators: reference cycles, exponential growth, limits that cut
//! declarations short, and the evaluation budget, which belongs to one file (or to the
//! Terraform configuration) of one scan. Whatever the input, the run ends quickly with a
//! diagnostic, what cannot be evaluated is `unknown` (never good, never `missing`), and the
//! output is the same at any thread count and in any scan of the process.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Generous for a debug build on a loaded machine; the release figures are the hostile suite's
/// (`bench/hostile/cases_eval.py`: each case under 1 s and 200 MB).
const BOUND: Duration = Duration::from_secs(30);

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rootguard-hostile-eval-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// `check --format json` on `dir` with `extra` arguments: the report, and the exit code (a
/// crash or an abort fails here).
fn check(dir: &Path, extra: &[&str]) -> Value {
    let start = Instant::now();
    let d = dir.to_string_lossy().into_owned();
    let mut args = vec!["check", "--format", "json", "--fail-on", "never"];
    args.extend_from_slice(extra);
    args.push(&d);
    let (out, err, code) = common::run(&args);
    let took = start.elapsed();
    assert!(took < BOUND, "{d}: took {took:?}\n{err}");
    assert_eq!(code, 0, "{d}: exit {code}\n{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{d}: {e}\n{out}\n{err}"))
}

fn findings(v: &Value) -> Vec<(String, String, String, u64)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
                f["file"].as_str().unwrap_or("").to_owned(),
                f["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// The first finding of `rule` whose message holds `text`.
fn finding(v: &Value, rule: &str, text: &str) -> Option<(String, String, String, u64)> {
    findings(v).into_iter().find(|(r, m, _, _)| r == rule && m.contains(text))
}

fn status<'a>(v: &'a Value, guardrail: &str) -> &'a str {
    v["summary"]["guardrails"][guardrail]["status"].as_str().unwrap()
}

const HW_RULE_TF: &str = "resource \"aws_config_config_rule\" \"hw\" {\n  name = \"root-hw\"\n  source {\n    owner             = \"AWS\"\n    source_identifier = \"ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\"\n  }\n}\n";

const HW_RULE_CFN: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      Source:\n        Owner: AWS\n        SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\n";

// 1. reference cycles -------------------------------------------------------------------------

/// A policy document reads a module's output while the module takes that document as an
/// input: rootguard recursed without bound (a stack overflow, exit 134). Now the cycle is a
/// finding naming the chain, like Terraform's `Cycle: …`, and its values are unknown.
#[test]
fn a_cycle_across_a_module_boundary_is_a_finding() {
    let d = scratch("cycle-module");
    write(
        &d,
        "main.tf",
        "module \"m\" {\n  source = \"./mod\"\n  doc    = data.aws_iam_policy_document.d.json\n}\n\ndata \"aws_iam_policy_document\" \"d\" {\n  statement {\n    effect    = \"Deny\"\n    actions   = [\"*\"]\n    resources = [module.m.arn]\n  }\n}\n\nresource \"aws_organizations_policy\" \"p\" {\n  name    = \"p\"\n  content = data.aws_iam_policy_document.d.json\n}\n",
    );
    write(&d, "mod/main.tf", "variable \"doc\" {}\n\noutput \"arn\" {\n  value = var.doc\n}\n");
    let v = check(&d, &[]);
    let (_, msg, file, line) = finding(&v, "RG001", "Cycle: ").unwrap_or_else(|| panic!("{:?}", findings(&v)));
    // from the first value read, to the reference that closes the cycle (the module input)
    assert!(
        msg.contains("Cycle: data.aws_iam_policy_document.d, module.m.output.arn, module.m.var.doc"),
        "{msg}"
    );
    assert!(
        file.ends_with("/main.tf") && !file.ends_with("mod/main.tf") && line == 3,
        "{file}:{line}"
    );
    // the document is in the cycle: the policy built from it is not known, never missing
    assert_eq!(status(&v, "root-deny-scp"), "unknown", "{:?}", findings(&v));
    assert!(finding(&v, "RG011", "a reference cycle (Cycle: ").is_some(), "{:?}", findings(&v));
}

#[test]
fn a_cycle_among_locals_is_a_finding() {
    let d = scratch("cycle-locals");
    write(
        &d,
        "main.tf",
        "locals {\n  a = local.b\n  b = \"${local.c}x\"\n  c = upper(local.a)\n}\n\nresource \"aws_config_config_rule\" \"r\" {\n  name = \"r\"\n  source {\n    owner             = \"AWS\"\n    source_identifier = local.a\n  }\n}\n",
    );
    let v = check(&d, &[]);
    let (_, msg, _, line) = finding(&v, "RG001", "Cycle: ").unwrap_or_else(|| panic!("{:?}", findings(&v)));
    assert!(msg.contains("Cycle: local.a, local.b, local.c"), "{msg}");
    assert_eq!(line, 4, "{msg}");
    // the identifier is in the cycle: the rule may be either root MFA rule
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "unknown");
    assert_eq!(status(&v, "root-mfa-rule"), "unknown");
    // `try` does not turn a cycle into its fallback
    write(
        &d,
        "main.tf",
        "locals {\n  a = try(local.b, \"ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\")\n  b = local.a\n}\n\nresource \"aws_config_config_rule\" \"r\" {\n  name = \"r\"\n  source {\n    owner             = \"AWS\"\n    source_identifier = local.a\n  }\n}\n",
    );
    let v = check(&d, &[]);
    assert!(finding(&v, "RG001", "Cycle: local.a, local.b").is_some(), "{:?}", findings(&v));
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "unknown");
}

/// Output `a` of a module reads input `x`, and input `y` reads output `b`: a cycle only when a
/// module is taken as one whole; Terraform (which evaluates per attribute) accepts it, and so
/// does rootguard.
#[test]
fn a_non_cycle_between_a_modules_inputs_and_outputs_evaluates() {
    let d = scratch("not-a-cycle");
    write(
        &d,
        "main.tf",
        "module \"m\" {\n  source = \"./mod\"\n  x      = \"ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\"\n  y      = module.m.b\n}\n\nresource \"aws_config_config_rule\" \"r\" {\n  name = module.m.named\n  source {\n    owner             = \"AWS\"\n    source_identifier = module.m.a\n  }\n}\n",
    );
    write(
        &d,
        "mod/main.tf",
        "variable \"x\" {}\nvariable \"y\" {}\n\noutput \"a\" {\n  value = var.x\n}\n\noutput \"b\" {\n  value = \"root-hw\"\n}\n\noutput \"named\" {\n  value = \"rule-${var.y}\"\n}\n",
    );
    let v = check(&d, &[]);
    assert!(!findings(&v).iter().any(|(_, m, _, _)| m.contains("Cycle")), "{:?}", findings(&v));
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "deployed", "{:?}", findings(&v));
    let model = model_of(&d);
    assert!(model.contains("\"rule-root-hw\""), "{model}");
}

fn model_of(dir: &Path) -> String {
    let d = dir.to_string_lossy().into_owned();
    let (out, err, code) = common::run(&["model", &d]);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn a_cycle_of_cloudformation_conditions_is_a_finding() {
    let d = scratch("cycle-conditions");
    write(
        &d,
        "rule.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nConditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Condition: A\n    Properties:\n      Source:\n        Owner: AWS\n        SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\n",
    );
    let v = check(&d, &[]);
    let (_, msg, file, _) = finding(&v, "RG001", "Cycle: ").unwrap_or_else(|| panic!("{:?}", findings(&v)));
    assert!(msg.contains("Cycle: A, B"), "{msg}");
    assert!(file.ends_with("rule.yaml"), "{file}");
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "unknown", "{:?}", findings(&v));
}

/// A chain of 5,000 conditions, each the negation of the previous one: bounded by the `depth`
/// limit (the evaluation recursed once per condition).
#[test]
fn a_long_chain_of_conditions_stops_at_the_depth_limit() {
    let d = scratch("condition-chain");
    let mut y = String::from("AWSTemplateFormatVersion: '2010-09-09'\nConditions:\n  C0: !Equals [a, a]\n");
    for i in 1..5000 {
        writeln!(y, "  C{i}: !Not [!Condition C{}]", i - 1).unwrap();
    }
    y.push_str("Resources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Condition: C4999\n    Properties:\n      Source:\n        Owner: AWS\n        SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\n");
    write(&d, "chain.yaml", &y);
    let v = check(&d, &[]);
    assert!(finding(&v, "RG003", "limit `depth` (200) reached").is_some(), "{:?}", findings(&v));
    assert!(finding(&v, "RG003", "raise --limit depth=N").is_some());
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "unknown");
}

// 2. exponential growth -----------------------------------------------------------------------

#[test]
fn doubling_through_locals_is_bounded_by_the_budget() {
    let d = scratch("doubling");
    let mut tf = String::from("locals {\n  b0 = [\"x\"]\n  m0 = { k = \"v\" }\n");
    for i in 1..60 {
        let p = i - 1;
        writeln!(tf, "  b{i} = [local.b{p}, local.b{p}]").unwrap();
        writeln!(tf, "  m{i} = {{ a = local.m{p}, b = local.m{p} }}").unwrap();
    }
    tf.push_str(
        "}\n\nresource \"aws_organizations_policy\" \"p\" {\n  name    = \"p\"\n  content = jsonencode([local.b59, local.m59])\n}\n",
    );
    write(&d, "main.tf", &tf);
    let v = check(&d, &[]);
    let (_, msg, file, _) = finding(&v, "RG003", "evaluation stopped after 5000000 steps").unwrap_or_else(|| panic!("{:?}", findings(&v)));
    assert!(msg.contains("raise --limit eval-steps=N"), "{msg}");
    assert!(file.ends_with("main.tf"));
    assert_eq!(status(&v, "root-deny-scp"), "unknown");
}

/// Modules that each call the next one twice: 2^16 instances at the module-depth limit, in a
/// few lines per directory.
#[test]
fn a_module_fan_out_is_bounded() {
    let d = scratch("fan-out");
    write(&d, "main.tf", "module \"a\" {\n  source = \"./m0\"\n}\n");
    for i in 0..20 {
        write(
            &d,
            &format!("m{i}/main.tf"),
            &format!(
                "module \"a\" {{\n  source = \"../m{n}\"\n}}\n\nmodule \"b\" {{\n  source = \"../m{n}\"\n}}\n\nresource \"aws_organizations_policy\" \"p\" {{\n  name    = \"p\"\n  content = \"{{}}\"\n}}\n",
                n = i + 1
            ),
        );
    }
    let v = check(&d, &[]);
    assert!(
        finding(&v, "RG003", "evaluation stopped after").is_some() || finding(&v, "RG003", "limit `module-depth`").is_some(),
        "{:?}",
        findings(&v)
    );
    // what the instances not read declare is unknown, never missing
    for g in ["root-hardware-mfa-rule", "root-mfa-rule", "root-deny-scp", "root-usage-alarm"] {
        assert_eq!(status(&v, g), "unknown", "{g}");
    }
    assert!(findings(&v).len() < 500, "{} findings", findings(&v).len());
}

/// One large local read a thousand times: each read is a copy, charged by its size (a local of
/// a million elements read a thousand times took two minutes, and no budget, before).
#[test]
fn a_large_local_read_many_times_is_charged_by_size() {
    let d = scratch("million");
    let mut tf = String::from("locals {\n  big = [for i in range(100) : range(1000)]\n");
    for i in 0..1000 {
        writeln!(tf, "  r{i} = length(local.big)").unwrap();
    }
    tf.push_str("  all = [");
    for i in 0..1000 {
        write!(tf, "local.r{i}, ").unwrap();
    }
    tf.push_str("]\n}\n\nresource \"aws_organizations_policy\" \"p\" {\n  name    = \"p\"\n  content = jsonencode(local.all)\n}\n");
    write(&d, "main.tf", &tf);
    let v = check(&d, &[]);
    let (_, _, _, line) = finding(&v, "RG003", "evaluation stopped after").unwrap_or_else(|| panic!("{:?}", findings(&v)));
    // the local itself is built; its reads spend the budget
    assert!((3..1000).contains(&line), "stopped at line {line}");
    assert_eq!(status(&v, "root-deny-scp"), "unknown");
}

/// Values nested deeper through cached locals than any expression is: 20,000 levels, read in
/// order so that no evaluation recurses (the value itself would overflow the stack when it is
/// encoded or dropped).
#[test]
fn a_value_nested_deeper_than_the_limit_is_unknown() {
    let d = scratch("deep-value");
    let mut tf = String::from("locals {\n  a0 = \"x\"\n");
    for i in 1..20_000 {
        writeln!(tf, "  a{i} = [local.a{}]", i - 1).unwrap();
    }
    tf.push_str("  all = [");
    for i in 0..20_000 {
        write!(tf, "local.a{i},").unwrap();
    }
    tf.push_str("]\n}\n\nresource \"aws_organizations_policy\" \"p\" {\n  name    = \"p\"\n  content = jsonencode(local.a19999)\n}\n\nresource \"aws_organizations_policy\" \"q\" {\n  name    = \"q\"\n  content = jsonencode(local.all)\n}\n");
    write(&d, "main.tf", &tf);
    let v = check(&d, &[]);
    assert!(finding(&v, "RG003", "limit `depth` (200) reached").is_some(), "{:?}", findings(&v));
    assert_eq!(status(&v, "root-deny-scp"), "unknown");
}

// 4. allocations bounded before they are made ---------------------------------------------------

#[test]
fn functions_and_templates_check_sizes_before_building() {
    let d = scratch("allocations");
    let mut tf = String::from("locals {\n  s0 = \"xxxxxxxxxxxxxxxx\"\n");
    for i in 1..17 {
        writeln!(tf, "  s{i} = \"${{local.s{}}}${{local.s{}}}\"", i - 1, i - 1).unwrap();
    }
    tf.push_str(concat!(
        "  joined   = join(local.s15, [for i in range(1000) : \"x\"])\n",
        "  replaced = replace(local.s15, \"x\", local.s12)\n",
        "  looped   = \"%{ for i in range(1000) }${local.s15}%{ endfor }\"\n",
        "  cubed    = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]\n",
        "  ranged   = range(1000000000000)\n",
        "  product  = setproduct(range(1000), range(1000), range(1000))\n",
        "}\n",
    ));
    for (i, l) in ["joined", "replaced", "looped", "cubed", "ranged", "product"].iter().enumerate() {
        writeln!(
            tf,
            "resource \"aws_organizations_policy\" \"p{i}\" {{\n  name    = \"p{i}\"\n  content = jsonencode(local.{l})\n}}"
        )
        .unwrap();
    }
    write(&d, "main.tf", &tf);
    let v = check(&d, &[]);
    assert!(
        finding(&v, "RG003", "limit `string-bytes` (1048576) reached").is_some(),
        "{:?}",
        findings(&v)
    );
    assert!(
        finding(&v, "RG003", "`join` produces a value larger than").is_some(),
        "{:?}",
        findings(&v)
    );
    assert!(
        finding(&v, "RG003", "`replace` produces a value larger than").is_some(),
        "{:?}",
        findings(&v)
    );
    assert!(
        finding(&v, "RG003", "this template builds a string of more than").is_some(),
        "{:?}",
        findings(&v)
    );
    assert!(finding(&v, "RG003", "evaluation stopped after").is_some(), "{:?}", findings(&v));
    assert_eq!(status(&v, "root-deny-scp"), "unknown");
}

// 5. limits that cut declarations ----------------------------------------------------------------

#[test]
fn instances_past_the_limit_are_a_finding_and_unknown() {
    let d = scratch("instances");
    write(
        &d,
        "main.tf",
        "resource \"aws_organizations_policy\" \"p\" {\n  count   = 1000000000\n  name    = \"p-${count.index}\"\n  content = \"{}\"\n}\n",
    );
    let v = check(&d, &[]);
    let (_, msg, file, line) = finding(&v, "RG003", "limit `instances` (256) reached").unwrap_or_else(|| panic!("{:?}", findings(&v)));
    assert!(
        msg.contains("`count` makes 1000000000 instances of `aws_organizations_policy.p`"),
        "{msg}"
    );
    assert!(msg.contains("raise --limit instances=N"), "{msg}");
    assert!(file.ends_with("main.tf") && line == 2, "{file}:{line}");
    // the policies past the limit may deny root: unknown, not a proven failure
    assert_eq!(status(&v, "root-deny-scp"), "unknown", "{:?}", findings(&v));
    assert!(
        finding(&v, "RG011", "those past the first 256 are not read").is_some(),
        "{:?}",
        findings(&v)
    );
}

/// IAM.6 disabled by the 300th element of a `for_each`: past the instance limit it was not seen,
/// and the Security Hub verdict stayed `enabled`.
#[test]
fn a_control_disabled_past_the_instance_limit_is_not_enabled_by_omission() {
    let d = scratch("instances-securityhub");
    write(
        &d,
        "main.tf",
        concat!(
            "locals {\n",
            "  fsbp     = \"arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0\"\n",
            "  controls = concat([for i in range(299) : \"Noisy.${i}\"], [\"IAM.6\"])\n",
            "}\n\n",
            "resource \"aws_securityhub_standards_subscription\" \"fsbp\" {\n  standards_arn = local.fsbp\n}\n\n",
            "resource \"aws_securityhub_standards_control_association\" \"off\" {\n",
            "  for_each            = toset(local.controls)\n",
            "  standards_arn       = local.fsbp\n",
            "  security_control_id = each.value\n",
            "  association_status  = \"DISABLED\"\n",
            "  updated_reason      = \"noise\"\n",
            "}\n",
        ),
    );
    let v = check(&d, &[]);
    assert!(
        finding(&v, "RG003", "`for_each` makes 300 instances").is_some(),
        "{:?}",
        findings(&v)
    );
    assert_eq!(status(&v, "securityhub-root-mfa-controls"), "disabled", "{:?}", findings(&v));
    // the standard runs the managed rule unless the unread instances switch IAM.6 off
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "unknown", "{:?}", findings(&v));
    // raised, the limit shows what the instances do
    let v = check(&d, &["--limit", "instances=300"]);
    assert!(finding(&v, "RG003", "limit `instances`").is_none(), "{:?}", findings(&v));
    assert!(finding(&v, "RG301", "IAM.6").is_some(), "{:?}", findings(&v));
    assert_eq!(status(&v, "securityhub-root-mfa-controls"), "disabled");
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "switched-off");
}

#[test]
fn module_instances_past_the_limit_are_unknown() {
    let d = scratch("instances-module");
    write(
        &d,
        "main.tf",
        "module \"accounts\" {\n  source   = \"./account\"\n  for_each = toset([for i in range(300) : \"a${i}\"])\n  name     = each.key\n}\n",
    );
    write(&d, "account/main.tf", &format!("variable \"name\" {{}}\n\n{HW_RULE_TF}"));
    let v = check(&d, &[]);
    assert!(
        finding(&v, "RG003", "`for_each` makes 300 instances of `module.accounts`").is_some(),
        "{:?}",
        findings(&v)
    );
    // the instances read deploy the rule; those not read may do anything
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "deployed");
    assert_eq!(status(&v, "root-deny-scp"), "unknown");
}

#[test]
fn module_depth_past_the_limit_is_a_finding() {
    let d = scratch("module-depth");
    write(&d, "main.tf", "module \"chain\" {\n  source = \"./m0\"\n}\n");
    for i in 0..8 {
        write(
            &d,
            &format!("m{i}/main.tf"),
            &format!(
                "module \"next\" {{\n  source = \"../m{}\"\n}}\n\nresource \"aws_organizations_policy\" \"p\" {{\n  name    = \"p\"\n  content = \"{{}}\"\n}}\n",
                i + 1
            ),
        );
    }
    let v = check(&d, &["--limit", "module-depth=5"]);
    let (_, msg, _, _) = finding(&v, "RG003", "limit `module-depth` (5) reached").unwrap_or_else(|| panic!("{:?}", findings(&v)));
    assert!(msg.contains("raise --limit module-depth=N"), "{msg}");
    assert_eq!(status(&v, "root-deny-scp"), "unknown");
}

/// A module that calls itself, directly or through another: Terraform has no message for it
/// (`terraform init` recurses until a path is too long,
/// <https://github.com/hashicorp/terraform/issues/31557>,
/// <https://github.com/hashicorp/terraform/issues/22648>); rootguard reports it at the call that
/// closes the loop, before any limit, and what it would declare is unknown.
#[test]
fn a_module_that_calls_itself_is_invalid() {
    let d = scratch("module-cycle");
    write(
        &d,
        "main.tf",
        "module \"self\" {\n  source = \"./\"\n}\n\nresource \"aws_organizations_policy\" \"p\" {\n  name    = \"p\"\n  content = \"{}\"\n}\n",
    );
    let v = check(&d, &[]);
    let (_, msg, file, line) = finding(
        &v,
        "RG001",
        "module `module.self` calls the module directory of the root module, which calls it",
    )
    .unwrap_or_else(|| panic!("{:?}", findings(&v)));
    assert!(msg.contains("Terraform cannot install a module that calls itself"), "{msg}");
    assert!(file.ends_with("main.tf") && line == 1, "{file}:{line}");
    assert!(finding(&v, "RG003", "module-depth").is_none(), "{:?}", findings(&v));
    assert_eq!(status(&v, "root-deny-scp"), "unknown");

    let d = scratch("module-cycle-through");
    write(&d, "main.tf", "module \"a\" {\n  source = \"./a\"\n}\n");
    write(&d, "a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n");
    write(
        &d,
        "b/main.tf",
        "module \"back\" {\n  source = \"../a\"\n}\n\nresource \"aws_organizations_policy\" \"p\" {\n  name    = \"p\"\n  content = \"{}\"\n}\n",
    );
    let v = check(&d, &[]);
    let (_, _, file, line) = finding(
        &v,
        "RG001",
        "module `module.a.module.b.module.back` calls the module directory of `module.a`, which calls it",
    )
    .unwrap_or_else(|| panic!("{:?}", findings(&v)));
    assert!(file.ends_with("b/main.tf") && line == 1, "{file}:{line}");
    assert_eq!(status(&v, "root-deny-scp"), "unknown");
}

// 3. one budget per file and per Terraform configuration ---------------------------------------------

/// A template that spends its budget, beside templates that need little: each file has a budget
/// of its own, so the others are read in full, and the output is the same at any thread count
/// (a shared budget ran out in an order that depended on the threads).
#[test]
fn the_budget_is_per_file_and_the_same_at_any_thread_count() {
    let d = scratch("per-file");
    let mut big =
        String::from("AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Big:\n    Type: CommaDelimitedList\n    Default: \"");
    big.push_str(&vec!["x"; 2000].join(","));
    big.push_str("\"\nResources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      InputParameters:\n");
    for i in 0..50 {
        writeln!(big, "        p{i}: !Join [',', !Ref Big]").unwrap();
    }
    big.push_str("      Source:\n        Owner: AWS\n        SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED\n");
    write(&d, "a-big.yaml", &big);
    for i in 0..12 {
        write(&d, &format!("rule-{i:02}.yaml"), HW_RULE_CFN);
    }
    let run = |j: &str| {
        let dd = d.to_string_lossy().into_owned();
        let (out, err, code) = common::run(&[
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "-j",
            j,
            "--limit",
            "eval-steps=20000",
            &dd,
        ]);
        assert_eq!(code, 0, "{err}");
        out
    };
    let one = run("1");
    for j in ["2", "8"] {
        assert!(run(j) == one, "-j {j} differs from -j 1");
    }
    let v: Value = serde_json::from_str(&one).unwrap();
    let spent: Vec<_> = findings(&v)
        .into_iter()
        .filter(|(r, m, _, _)| r == "RG003" && m.contains("evaluation stopped after 20000 steps"))
        .collect();
    assert_eq!(spent.len(), 1, "{spent:?}");
    assert!(spent[0].2.ends_with("a-big.yaml"), "{spent:?}");
    // every other template is read in full
    let rules = v["summary"]["guardrails"]["root-hardware-mfa-rule"]["evidence"].to_string();
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "deployed", "{rules}");
    let model = {
        let dd = d.to_string_lossy().into_owned();
        let (out, _, _) = common::run(&["model", "--limit", "eval-steps=20000", "-j", "8", &dd]);
        serde_json::from_str::<Value>(&out).unwrap()
    };
    let deployed = model["config_rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["guardrail_status"]["root_hardware_mfa_rule"] == "deployed")
        .count();
    assert_eq!(deployed, 12, "{}", model["config_rules"]);
    // the spent template's rule is unknown, not missing
    assert_eq!(status(&v, "root-mfa-rule"), "unknown", "{:?}", findings(&v));
}

/// Two scans in one process (the library API, as `check --base` runs the base and the head):
/// the second has its own budget, so the results are the same.
#[test]
fn two_scans_in_one_process_give_the_same_result() {
    use clap::Parser as _;
    let d = scratch("two-scans");
    let mut tf = String::from("locals {\n");
    for i in 0..30 {
        writeln!(tf, "  v{i} = [for x in range(1000) : x * {i}]").unwrap();
    }
    tf.push_str("}\n\nresource \"aws_organizations_policy\" \"p\" {\n  name    = \"p\"\n  content = jsonencode([");
    for i in 0..30 {
        write!(tf, "local.v{i}, ").unwrap();
    }
    tf.push_str("])\n}\n");
    write(&d, "main.tf", &tf);
    write(&d, "rule.yaml", HW_RULE_CFN);
    let dd = d.to_string_lossy().into_owned();
    // (`each_input_of_the_fuzz_entry_point_gets_a_budget_of_its_own` sets the same limit: the
    // first setting of the process wins)
    let cli = rootguard::cli::Cli::try_parse_from(["rootguard", "check", "--limit", "eval-steps=20000", "-j", "2", &dd]).unwrap();
    let rootguard::cli::Command::Check(a) = cli.command else {
        panic!("not a check")
    };
    let cfg = rootguard::config::Config::default();
    let once = || {
        let (scan, facts, doc, _) = rootguard::run::analyze(&a.scan, &cfg).unwrap();
        let verdicts: Vec<(String, String)> = facts
            .verdicts
            .iter()
            .map(|v| (v.guardrail.to_owned(), v.status.to_owned()))
            .collect();
        let diags: Vec<String> = scan.model.diagnostics.iter().map(|d| d.diag.message.clone()).collect();
        (verdicts, diags, doc.to_string())
    };
    let first = once();
    assert!(
        first.1.iter().any(|m| m.contains("evaluation stopped after 20000 steps")),
        "{:?}",
        first.1
    );
    assert!(
        first.0.contains(&("root-hardware-mfa-rule".into(), "deployed".into())),
        "{:?}",
        first.0
    );
    for _ in 0..3 {
        assert!(once() == first, "a later scan in the same process differs");
    }
}

/// The fuzz targets' entry point (`fuzzing::one_text`) evaluates each input on a budget of its own:
/// after an input that spends its budget, the next is evaluated in full (a process-global
/// budget stopped exercising the evaluators after the first inputs).
#[test]
fn each_input_of_the_fuzz_entry_point_gets_a_budget_of_its_own() {
    // the same setting as `two_scans_in_one_process_give_the_same_result` (the first call wins)
    rootguard::limits::set(rootguard::limits::parse(&["eval-steps=20000".into()]).unwrap());
    let mut heavy = String::from("locals {\n");
    for i in 0..30 {
        writeln!(heavy, "  v{i} = [for x in range(1000) : x * {i}]").unwrap();
    }
    heavy.push_str(
        "}\n\nresource \"aws_organizations_policy\" \"p\" {\n  name    = \"p\"\n  content = jsonencode([local.v0, local.v29])\n}\n",
    );
    for _ in 0..3 {
        let (s, _) = rootguard::fuzzing::one_text("main.tf", heavy.clone());
        assert!(
            s.model.diagnostics.iter().any(|d| d.diag.code == "eval-budget"),
            "{:?}",
            s.model.diagnostics
        );
        let (_, facts) = rootguard::fuzzing::one_text("rule.yaml", HW_RULE_CFN.to_owned());
        let hw = facts.verdicts.iter().find(|v| v.guardrail == "root-hardware-mfa-rule").unwrap();
        assert_eq!(hw.status, "deployed");
    }
}

/// Templates embedded in templates (`StackSet`s) past the nesting rootguard reads were dropped
/// without a word: what the deepest one declared was `missing`.
#[test]
fn templates_nested_past_the_limit_are_unknown_not_missing() {
    let d = scratch("nested-stacksets");
    let mut t = HW_RULE_CFN.to_owned();
    for _ in 0..10 {
        let mut body = String::new();
        for l in t.lines() {
            writeln!(body, "        {l}").unwrap();
        }
        t = format!(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  S:\n    Type: AWS::CloudFormation::StackSet\n    Properties:\n      StackSetName: s\n      TemplateBody: |\n{body}"
        );
    }
    write(&d, "nested.yaml", &t);
    let v = check(&d, &[]);
    assert!(
        finding(&v, "RG003", "templates embedded more than 8 levels deep").is_some(),
        "{:?}",
        findings(&v)
    );
    assert_eq!(status(&v, "root-hardware-mfa-rule"), "unknown", "{:?}", findings(&v));
}
