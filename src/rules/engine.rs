//! Evaluating the rules: every policy, built-in and user, in one cfn-guard call over the model
//! document; each failure path is mapped back to a model element and so to source locations.

use std::collections::BTreeMap;

use serde_json::Value as J;

use super::Rule;
use super::document::{Index, guardrail_key};
use crate::analyze::Code;
use crate::error::Error;
use crate::finding::Finding;
use crate::model::{Format, Loc, Model};
use crate::scan::Scan;

/// cfn-guard's structured report of one data file (its `FileReport`), read field by field: a
/// report of another shape is an error, never an empty result that would pass.
#[derive(serde::Deserialize)]
#[cfg_attr(not(feature = "guard"), allow(dead_code))]
struct GuardReport {
    status: String,
    not_compliant: Vec<NotCompliant>,
    not_applicable: Vec<String>,
    compliant: Vec<String>,
}

/// A failed rule of the report.
#[derive(serde::Deserialize)]
struct NotCompliant {
    #[serde(rename = "Rule")]
    rule: RuleReport,
}

/// A failed rule: its name, and the checks that failed (walked for their data paths).
#[derive(serde::Deserialize)]
struct RuleReport {
    name: String,
    #[serde(flatten)]
    rest: serde_json::Map<String, J>,
}

/// Why cfn-guard gave no report rootguard can trust.
#[derive(Debug)]
pub enum GuardError {
    /// This build has no cfn-guard (`--no-default-features`).
    NotBuilt,
    /// cfn-guard refused the policies or the data (its message).
    Engine(String),
    /// cfn-guard's report is not of the shape rootguard reads.
    Shape(serde_json::Error),
    /// The report does not hold exactly one data file.
    NotOneReport,
    /// cfn-guard says a rule failed but names none.
    NoneNamed {
        /// The report's status.
        status: String,
    },
}

impl std::fmt::Display for GuardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GuardError::NotBuilt => f.write_str(
                "this rootguard was built without the `guard` feature, so it cannot run Guard policies (`--policy`, `policies:`)",
            ),
            GuardError::Engine(m) => f.write_str(m),
            GuardError::Shape(e) => write!(f, "cfn-guard's report is not of the shape rootguard reads: {e}"),
            GuardError::NotOneReport => f.write_str("cfn-guard's report does not hold exactly one data file"),
            GuardError::NoneNamed { status } => write!(f, "cfn-guard says a rule failed (status {status}), but its report names none"),
        }
    }
}

impl std::error::Error for GuardError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            GuardError::Shape(e) => Some(e),
            _ => None,
        }
    }
}

/// Run cfn-guard over `data` with `policies`; returns its structured report.
#[cfg(not(feature = "guard"))]
#[allow(clippy::unnecessary_wraps)]
fn guard(_policies: &[&str], _data: &str) -> Result<GuardReport, GuardError> {
    Err(GuardError::NotBuilt)
}

/// Run cfn-guard over `data` with `policies`; returns its structured report.
#[cfg(feature = "guard")]
fn guard(policies: &[&str], data: &str) -> Result<GuardReport, GuardError> {
    use cfn_guard::commands::Executable;
    use cfn_guard::commands::validate::{OutputFormatType, ShowSummaryType};
    use cfn_guard::utils::reader::{ReadBuffer, Reader};
    use cfn_guard::utils::writer::{WriteBuffer, Writer};
    use cfn_guard::{CommandBuilder, ValidateBuilder};

    let payload = serde_json::json!({ "rules": policies, "data": [data] }).to_string();
    let mut reader = Reader::new(ReadBuffer::Cursor(std::io::Cursor::new(payload.into_bytes())));
    let mut writer =
        Writer::new_with_err(WriteBuffer::Vec(Vec::new()), WriteBuffer::Vec(Vec::new())).map_err(|e| GuardError::Engine(e.to_string()))?;
    let cmd = ValidateBuilder::default()
        .payload(true)
        .structured(true)
        .output_format(OutputFormatType::JSON)
        .show_summary(vec![ShowSummaryType::None])
        .try_build()
        .map_err(|e| GuardError::Engine(e.to_string()))?;
    let rc = cmd
        .execute(&mut writer, &mut reader)
        .map_err(|e| GuardError::Engine(e.to_string()))?;
    if rc != 0 && rc != 19 {
        let err = writer.err_to_stripped().unwrap_or_default();
        return Err(GuardError::Engine(if err.trim().is_empty() {
            format!("cfn-guard exited with {rc}")
        } else {
            err.trim().to_owned()
        }));
    }
    let out = writer.stripped().unwrap_or_default();
    let mut reports: Vec<GuardReport> = serde_json::from_str(&out).map_err(GuardError::Shape)?;
    let (Some(report), true) = (reports.pop(), reports.is_empty()) else {
        return Err(GuardError::NotOneReport);
    };
    if rc == 19 && report.not_compliant.is_empty() {
        return Err(GuardError::NoneNamed {
            status: report.status.clone(),
        });
    }
    Ok(report)
}

/// Check that a user policy file is valid Guard.
///
/// # Errors
/// The parser's message.
pub fn validate_policy(rule: &Rule) -> Result<(), Error> {
    guard(&[&rule.policy], "{}").map(|_| ()).map_err(|e| Error::PolicyFile {
        file: rule.file.clone(),
        source: Box::new(e),
    })
}

/// Collect the data paths of every failed check below `v`, in order.
fn paths(v: &J, out: &mut Vec<String>) {
    match v {
        J::Object(m) => {
            if let Some(r) = m.get("Resolved") {
                let p = r
                    .get("from")
                    .and_then(|f| f.get("path"))
                    .or_else(|| r.get("value").and_then(|f| f.get("path")));
                if let Some(p) = p.and_then(J::as_str) {
                    out.push(p.to_owned());
                }
            }
            if let Some(u) = m.get("UnResolved")
                && let Some(p) = u.pointer("/value/traversed_to/path").and_then(J::as_str)
            {
                out.push(p.to_owned());
            }
            for (k, x) in m {
                if k != "Resolved" && k != "UnResolved" {
                    paths(x, out);
                }
            }
        }
        J::Array(a) => a.iter().for_each(|x| paths(x, out)),
        _ => {}
    }
}

fn custom_messages(v: &J, out: &mut Vec<String>) {
    match v {
        J::Object(m) => {
            if let Some(s) = m.get("custom_message").and_then(J::as_str) {
                let s = s.trim();
                if !s.is_empty() && !out.iter().any(|x| x == s) {
                    out.push(s.to_owned());
                }
            }
            m.values().for_each(|x| custom_messages(x, out));
        }
        J::Array(a) => a.iter().for_each(|x| custom_messages(x, out)),
        _ => {}
    }
}

/// Where to point when a guardrail is absent.
fn anchor(m: &Model, guardrail: &str) -> Option<Loc> {
    let a = &m.anchors;
    match guardrail {
        "root-hardware-mfa-rule" | "root-mfa-rule" => a.config.clone().or_else(|| a.securityhub.clone()),
        "root-deny-scp" | "centralized-root-access" => a.organizations.clone(),
        "securityhub-root-mfa-controls" => a.securityhub.clone(),
        "root-usage-alarm" => a.logging.clone(),
        _ => None,
    }
    .or_else(|| a.any.clone())
}

fn searched(scan: &Scan) -> String {
    let c = scan.counts();
    let n = |k: &str| c.get(k).copied().unwrap_or(0);
    let read = n("cloudformation") + n("conformance-pack") + n("policy-document") + n("terraform") + n("terraform-plan") + n("terragrunt");
    let mut parts = Vec::new();
    for (k, label) in [
        ("cloudformation", "CloudFormation template"),
        ("conformance-pack", "conformance pack"),
        ("policy-document", "policy document"),
        ("terraform", "Terraform file"),
        ("terraform-plan", "Terraform plan"),
        ("terragrunt", "Terragrunt configuration"),
        ("no-guardrail-marker", "YAML or JSON file with no guardrail resource type"),
    ] {
        let v = n(k);
        if v > 0 {
            parts.push(format!("{v} {label}{}", if v == 1 { "" } else { "s" }));
        }
    }
    let unreadable = n("unreadable");
    let mut text = if read + n("no-guardrail-marker") == 0 {
        format!(
            "none of the {} scanned files is infrastructure-as-code rootguard reads",
            scan.files.len()
        )
    } else {
        format!("searched {}", parts.join(", "))
    };
    if unreadable > 0 {
        text.push_str(&format!(
            "; {unreadable} file{} could not be read",
            if unreadable == 1 { "" } else { "s" }
        ));
    }
    text
}

fn fix_for(rule: &Rule, loc: Option<&Loc>, format: Option<Format>, scan: &Scan) -> Option<(&'static str, String)> {
    let hcl = matches!(format, Some(Format::Terraform | Format::TerraformPlan))
        || loc.is_some_and(|l| scan.sources.get(l.span.file).display.ends_with(".tf"));
    if hcl {
        rule.fix_hcl.clone().map(|s| ("hcl", s))
    } else {
        rule.fix_yaml.clone().map(|s| ("yaml", s))
    }
}

/// Evaluate `rules` over the model document and produce findings: the built-in rules by their
/// [`Check`](super::checks::Check), the user's policies with cfn-guard over the whole document.
///
/// # Errors
/// A built-in rule without a check, or user policies cfn-guard cannot evaluate.
pub fn evaluate(rules: &[Rule], doc: &J, index: &Index, scan: &Scan) -> Result<Vec<Finding>, Error> {
    let mut findings = Vec::new();
    for rule in rules.iter().filter(|r| !r.user) {
        let check = super::checks::of(&rule.id).ok_or_else(|| Error::Policy {
            file: rule.file.clone(),
            reason: format!("built-in rule `{}` has no check", rule.id),
        })?;
        for path in failing(check, doc) {
            map_path(rule, &path, &J::Null, doc, index, scan, &mut findings);
        }
    }
    let user: Vec<Rule> = rules.iter().filter(|r| r.user).cloned().collect();
    if !user.is_empty() {
        findings.extend(evaluate_user(&user, doc, index, scan)?);
    }
    findings.sort_by_key(|a| sort_key(a, scan));
    findings.dedup();
    Ok(findings)
}

/// The document paths at which `check` fails, in document order.
fn failing(check: &super::checks::Check, doc: &J) -> Vec<String> {
    use super::checks::Check;
    let items = |coll: &str| doc.get(coll).and_then(J::as_array).map(Vec::as_slice).unwrap_or_default();
    match check {
        Check::Problems(_) => check
            .pairs()
            .flat_map(|(coll, code)| {
                let (coll, code) = (coll.key(), code.key());
                items(coll)
                    .iter()
                    .enumerate()
                    .filter(move |(_, e)| e.get("problems").and_then(|p| p.get(code)).is_some())
                    .map(move |(i, _)| format!("/{coll}/{i}/problems/{code}"))
            })
            .collect(),
        Check::Diagnostics { relevant, level } => items("diagnostics")
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.get("relevant").and_then(J::as_bool) == Some(*relevant) && e.get("level").and_then(J::as_str) == Some(*level)
            })
            .map(|(i, _)| format!("/diagnostics/{i}/level"))
            .collect(),
        Check::Verdict { status, guardrails } => guardrails
            .iter()
            .map(|g| guardrail_key(g))
            .filter(|k| doc.pointer(&format!("/guardrails/{k}/status")).and_then(J::as_str) == Some(*status))
            .map(|k| format!("/guardrails/{k}/status"))
            .collect(),
        Check::Note(n) => doc
            .pointer(&format!("/notes/{n}"))
            .map(|_| vec![format!("/notes/{n}")])
            .unwrap_or_default(),
    }
}

/// The user's Guard policies (`--policy`, `policies:`), in one cfn-guard call over the whole
/// model document; each failure path is mapped back to a model element.
fn evaluate_user(rules: &[Rule], doc: &J, index: &Index, scan: &Scan) -> Result<Vec<Finding>, Error> {
    let policies: Vec<&str> = rules.iter().filter(|r| !r.policy.is_empty()).map(|r| r.policy.as_str()).collect();
    if policies.is_empty() {
        return Ok(Vec::new());
    }
    let report = guard(&policies, &doc.to_string()).map_err(|e| Error::PolicyFile {
        file: rules.first().map_or_else(String::new, |r| r.file.clone()),
        source: Box::new(e),
    })?;
    let by_id: BTreeMap<&str, &Rule> = rules.iter().map(|r| (r.id.as_str(), r)).collect();
    // every declared rule is accounted for once: compliant, failed or not applicable
    for r in rules {
        let n = report.compliant.iter().filter(|x| **x == r.id).count()
            + report.not_applicable.iter().filter(|x| **x == r.id).count()
            + report.not_compliant.iter().filter(|x| x.rule.name == r.id).count();
        if n == 0 {
            return Err(Error::Policy {
                file: r.file.clone(),
                reason: format!("cfn-guard's report does not say whether rule `{}` passed", r.id),
            });
        }
    }
    let mut findings = Vec::new();
    for f in &report.not_compliant {
        let name = f.rule.name.as_str();
        let Some(rule) = by_id.get(name) else {
            return Err(Error::Policy {
                file: rules.first().map_or_else(String::new, |r| r.file.clone()),
                reason: format!("cfn-guard reported a rule `{name}` that no policy file declares"),
            });
        };
        let failure = serde_json::to_value(&f.rule.rest).unwrap_or(J::Null);
        let mut ps = Vec::new();
        paths(&failure, &mut ps);
        let before = findings.len();
        let mut seen = std::collections::BTreeSet::new();
        for p in ps {
            if seen.insert(p.clone()) {
                map_path(rule, &p, &failure, doc, index, scan, &mut findings);
            }
        }
        // a failed rule is a finding even when its report names no path rootguard can map
        if findings.len() == before {
            map_path(rule, "", &failure, doc, index, scan, &mut findings);
        }
    }
    Ok(findings)
}

fn sort_key(f: &Finding, scan: &Scan) -> (String, u32, String, String) {
    match &f.loc {
        Some(l) => (
            scan.sources.get(l.span.file).display.clone(),
            l.span.start,
            f.rule.clone(),
            f.message.clone(),
        ),
        None => (String::new(), 0, f.rule.clone(), f.message.clone()),
    }
}

fn base(rule: &Rule) -> Finding {
    Finding {
        rule: rule.id.clone(),
        name: rule.name.clone(),
        severity: rule.severity,
        guardrail: rule.guardrails.first().filter(|g| *g != "any").cloned(),
        message: rule.summary.clone(),
        loc: None,
        labels: Vec::new(),
        via: Vec::new(),
        notes: Vec::new(),
        help: rule.help.clone(),
        fix: None,
        suppression: None,
    }
}

fn map_path(rule: &Rule, path: &str, failure: &J, doc: &J, index: &Index, scan: &Scan, out: &mut Vec<Finding>) {
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segs.as_slice() {
        ["guardrails", g, ..] => {
            let guardrail = crate::analyze::GUARDRAILS
                .iter()
                .find(|x| guardrail_key(x) == *g)
                .copied()
                .unwrap_or_default();
            let status = doc.pointer(&format!("/guardrails/{g}/status")).and_then(J::as_str).unwrap_or("");
            let mut f = base(rule);
            f.guardrail = Some(guardrail.to_owned());
            if status == "unknown" {
                undecided(&mut f, guardrail, g, doc, index);
            } else {
                f.message = format!("{} ({}; verdict `{guardrail}: {status}`)", rule.summary, searched(scan));
            }
            if f.loc.is_none() {
                f.loc = anchor(&scan.model, guardrail);
            }
            f.fix = fix_for(rule, f.loc.as_ref(), None, scan);
            out.push(f);
        }
        ["notes", ..] => {
            let mut f = base(rule);
            // the first policy that is a root deny at all
            let policies = doc.get("policies").and_then(J::as_array).map_or(&[][..], Vec::as_slice);
            f.loc = policies
                .iter()
                .position(|p| p.pointer("/guardrail_status/root_deny_scp").is_some())
                .and_then(|i| index.get(&format!("policies/{i}")))
                .map(|e| e.loc.clone())
                .or_else(|| anchor(&scan.model, "root-deny-scp"));
            f.message = "this root deny, like every SCP, does not apply to the organization's management account: its root user needs hardware MFA and the Config rule in that account".into();
            out.push(f);
        }
        ["diagnostics", i, ..] => {
            let Some(e) = index.get(&format!("diagnostics/{i}")) else { return };
            let mut f = base(rule);
            f.message.clone_from(&e.what);
            f.loc = Some(e.loc.clone());
            f.fix = fix_for(rule, f.loc.as_ref(), None, scan);
            out.push(f);
        }
        [coll, i, "problems", code, ..] => {
            let Some(e) = index.get(&format!("{coll}/{i}")) else { return };
            let Some(code) = Code::from_key(code) else { return };
            let Some(list) = e.problems.get(&code) else { return };
            let format = element_format(doc, coll, i);
            for (g, msg, loc) in list {
                let mut f = base(rule);
                if let Some(g) = g {
                    if !rule.guardrails.is_empty() && !rule.guardrails.iter().any(|x| x == g || x == "any") {
                        continue;
                    }
                    f.guardrail = Some((*g).to_owned());
                }
                f.message = format!("{}: {msg}", e.what);
                f.loc = Some(loc.clone());
                if loc.span != e.loc.span && !matches!(*coll, "accounts" | "evidence_files") {
                    f.labels.push((e.loc.clone(), "declared here".into()));
                }
                // what decided a gate (a parameter default, a variable in a tfvars file)
                if matches!(code, Code::SwitchedOff | Code::GateUnknown) {
                    for g in e.gates.iter().filter(|g| g.value != crate::model::Tri::True) {
                        if let Some(d) = &g.decided_by
                            && d.span != loc.span
                            && !f.labels.iter().any(|(l, _)| l.span == d.span)
                        {
                            f.labels.push((d.clone(), "the value that decides it".into()));
                        }
                    }
                }
                f.via.clone_from(&e.via);
                f.notes.clone_from(&e.notes);
                // an undecidable value: the help says how to make it decidable
                if let Some(r) = remedy(code).filter(|_| !matches!(*coll, "accounts" | "evidence_files")) {
                    f.help = format!("{}{}.", r[..1].to_uppercase(), &r[1..]);
                }
                f.fix = if matches!(*coll, "accounts" | "evidence_files") {
                    rule.fix_sh.clone().map(|s| ("sh", s))
                } else {
                    fix_for(rule, Some(loc), format, scan)
                };
                out.push(f);
            }
        }
        [coll, i, ..] => {
            // a user policy on any element
            let Some(e) = index.get(&format!("{coll}/{i}")) else { return };
            let mut msgs = Vec::new();
            custom_messages(failure, &mut msgs);
            let mut f = base(rule);
            f.message = match msgs.first() {
                Some(m) => format!("{}: {m}", e.what),
                None => format!("{}: fails policy rule `{}` at `{path}`", e.what, rule.id),
            };
            f.loc = Some(e.loc.clone());
            f.via.clone_from(&e.via);
            f.notes.clone_from(&e.notes);
            out.push(f);
        }
        _ => {
            let mut msgs = Vec::new();
            custom_messages(failure, &mut msgs);
            let mut f = base(rule);
            f.message = msgs
                .first()
                .map_or_else(|| format!("fails policy rule `{}` at `{path}`", rule.id), Clone::clone);
            f.loc.clone_from(&scan.model.anchors.any);
            out.push(f);
        }
    }
}

/// How to make a declaration decidable, per problem code of the declaration.
fn remedy(code: Code) -> Option<&'static str> {
    Some(match code {
        Code::ModuleUnresolved => {
            "run `terraform init` and keep `.terraform/modules` (or vendor the module into the repository); a module that declares no root guardrail goes under `known-modules` in `.rootguard.yml` (or `--known-module`)"
        }
        Code::PackOpaque | Code::BodyIgnored => {
            "commit the conformance pack and give it as `TemplateBody` / `template_body`, or map its S3 URI to the committed file under `templates:` in `.rootguard.yml`"
        }
        Code::GateUnknown => {
            "give the deciding parameter or variable a default, or pass its value (`--var`, `--var-file`, a `terraform.tfvars` in the tree)"
        }
        Code::StandardUnknown => {
            "name the Security Hub standard or control by an ARN or id rootguard knows (CIS AWS Foundations, AWS Foundational Security Best Practices)"
        }
        Code::LimitCut => "raise the limit named in the message with `--limit NAME=N`",
        Code::FileUnread => {
            "make the file named in the message readable as its message says (fix the syntax error it names, write Terraform JSON as HCL, make it a regular file inside the scanned tree and under `--max-file-size`) or remove it, so that rootguard can read it"
        }
        // every other value that RG011 reports as not known statically
        code if code.rule() == Some("RG011") => {
            "write the deciding value literally, or take it from a variable with a default or a tfvars file in the tree, not from a value known only at deployment"
        }
        _ => return None,
    })
}

/// The message, location and help of a finding on an `unknown` verdict: each declaration that
/// could decide the guardrail but cannot be decided, with its cause and how to make it
/// decidable.
fn undecided(f: &mut Finding, guardrail: &str, key: &str, doc: &J, index: &Index) {
    let evidence = doc
        .pointer(&format!("/guardrails/{key}/evidence"))
        .and_then(J::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut causes = Vec::new();
    let mut remedies: Vec<&'static str> = Vec::new();
    let mut shown = 0usize;
    for e in evidence.iter().filter(|e| e.get("status").and_then(J::as_str) == Some("unknown")) {
        let Some(el) = e.get("element").and_then(J::as_str).and_then(|k| index.get(k)) else {
            continue;
        };
        let reason = e.get("reason").and_then(J::as_str).unwrap_or("its value is not known statically");
        if shown < 3 {
            causes.push(format!("{} ({reason})", el.what));
        }
        shown += 1;
        // where it is undecidable: the first problem with a remedy, else the declaration
        let mut at = None;
        for (code, list) in &el.problems {
            if let Some(r) = remedy(*code) {
                at = at.or_else(|| list.first().map(|(_, _, l)| l.clone()));
                if !remedies.contains(&r) {
                    remedies.push(r);
                }
            }
        }
        let at = at.unwrap_or_else(|| el.loc.clone());
        if f.loc.is_none() {
            if at.span != el.loc.span {
                f.labels.push((el.loc.clone(), "declared here".into()));
            }
            f.loc = Some(at);
        } else if f.labels.len() < 8 {
            f.labels.push((at, format!("{} cannot be decided either", el.what)));
        }
    }
    let more = if shown > 3 {
        format!("; and {} more", shown - 3)
    } else {
        String::new()
    };
    f.message = format!(
        "verdict `{guardrail}: unknown`: nothing in the repository proves this guardrail is in force, and {shown} declaration{} that could decide it cannot be decided: {}{more}",
        if shown == 1 { "" } else { "s" },
        causes.join("; ")
    );
    if remedies.is_empty() {
        remedies.push("make the deciding values known statically (see `rootguard explain RG011`)");
    }
    let all = remedies.join("; ");
    f.help = format!(
        "{}{}; or accept the gap with a waiver of RG012 that names an owner and an expiry date.",
        all[..1].to_uppercase(),
        &all[1..]
    );
}

fn element_format(doc: &J, coll: &str, i: &str) -> Option<Format> {
    let f = doc.get(coll)?.get(i.parse::<usize>().ok()?)?.get("format")?.as_str()?;
    Some(match f {
        "terraform" => Format::Terraform,
        "terraform-plan" => Format::TerraformPlan,
        "policy-json" => Format::PolicyJson,
        "conformance-pack" => Format::ConformancePack,
        _ => Format::CloudFormation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every built-in rule has a check, and every check a rule: the table and the rule files
    /// cannot drift apart (the documentation's `## Checks` lists are compared when parsing).
    #[test]
    fn every_rule_has_one_check() {
        let rules = crate::rules::builtin().unwrap();
        for (id, _) in crate::rules::checks::CHECKS {
            assert_eq!(rules.iter().filter(|r| r.id == *id).count(), 1, "{id}");
        }
        assert_eq!(rules.len(), crate::rules::checks::CHECKS.len());
    }

    #[test]
    fn checks_find_their_paths() {
        use crate::rules::checks::Check;
        let doc = serde_json::json!({
            "config_rules": [{}, {"problems": {"owner": []}}],
            "diagnostics": [{"relevant": true, "level": "error"}, {"relevant": false, "level": "error"}],
            "guardrails": {"root_deny_scp": {"status": "missing"}, "root_mfa_rule": {"status": "deployed"}},
            "notes": {"management_account": {}}
        });
        assert_eq!(
            failing(&Check::Problems(&[(crate::analyze::Coll::ConfigRules, &[Code::Owner])]), &doc),
            ["/config_rules/1/problems/owner"]
        );
        assert_eq!(
            failing(
                &Check::Diagnostics {
                    relevant: false,
                    level: "error"
                },
                &doc
            ),
            ["/diagnostics/1/level"]
        );
        assert_eq!(
            failing(
                &Check::Verdict {
                    status: "missing",
                    guardrails: &["root-deny-scp", "root-mfa-rule", "root-usage-alarm"]
                },
                &doc
            ),
            ["/guardrails/root_deny_scp/status"]
        );
        assert_eq!(failing(&Check::Note("management_account"), &doc), ["/notes/management_account"]);
        assert!(failing(&Check::Note("other"), &doc).is_empty());
    }

    /// The help of a finding says how to make its value decidable for every code RG011 reports,
    /// and for a file not read.
    #[test]
    fn undecidable_codes_have_a_remedy() {
        for c in Code::ALL {
            assert_eq!(remedy(*c).is_some(), c.rule() == Some("RG011") || *c == Code::FileUnread, "{c:?}");
        }
    }

    /// A cfn-guard report of another shape is an error, not an empty result.
    #[test]
    fn an_unexpected_guard_report_is_an_error() {
        assert!(serde_json::from_str::<Vec<GuardReport>>(r#"[{"name": "x", "status": "FAIL"}]"#).is_err());
        assert!(
            serde_json::from_str::<Vec<GuardReport>>(
                r#"[{"status": "FAIL", "not_compliant": [{"Clause": {}}], "not_applicable": [], "compliant": []}]"#
            )
            .is_err()
        );
        let ok: Vec<GuardReport> = serde_json::from_str(
            r#"[{"name": "x", "status": "FAIL", "not_compliant": [{"Rule": {"name": "R", "checks": []}}], "not_applicable": [], "compliant": ["S"]}]"#,
        )
        .unwrap();
        assert_eq!(ok[0].not_compliant[0].rule.name, "R");
    }
}
