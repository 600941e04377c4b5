//! Evaluating the rules: every policy, built-in and user, in one cfn-guard call over the model
//! document; each failure path is mapped back to a model element and so to source locations.

use std::collections::BTreeMap;

use cfn_guard::commands::Executable;
use cfn_guard::commands::validate::{OutputFormatType, ShowSummaryType};
use cfn_guard::utils::reader::{ReadBuffer, Reader};
use cfn_guard::utils::writer::{WriteBuffer, Writer};
use cfn_guard::{CommandBuilder, ValidateBuilder};
use serde_json::Value as J;

use super::Rule;
use crate::error::Error;
use crate::finding::Finding;
use crate::model::json::{Index, guardrail_key};
use crate::model::{Format, Loc, Model};
use crate::scan::Scan;

/// Run cfn-guard over `data` with `policies`; returns its structured JSON report.
fn guard(policies: &[&str], data: &str) -> Result<J, String> {
    let payload = serde_json::json!({ "rules": policies, "data": [data] }).to_string();
    let mut reader = Reader::new(ReadBuffer::Cursor(std::io::Cursor::new(payload.into_bytes())));
    let mut writer = Writer::new_with_err(WriteBuffer::Vec(Vec::new()), WriteBuffer::Vec(Vec::new())).map_err(|e| e.to_string())?;
    let cmd = ValidateBuilder::default()
        .payload(true)
        .structured(true)
        .output_format(OutputFormatType::JSON)
        .show_summary(vec![ShowSummaryType::None])
        .try_build()
        .map_err(|e| e.to_string())?;
    let rc = cmd.execute(&mut writer, &mut reader).map_err(|e| e.to_string())?;
    if rc != 0 && rc != 19 {
        let err = writer.err_to_stripped().unwrap_or_default();
        return Err(if err.trim().is_empty() {
            format!("cfn-guard exited with {rc}")
        } else {
            err.trim().to_owned()
        });
    }
    let out = writer.stripped().unwrap_or_default();
    serde_json::from_str(&out).map_err(|e| format!("cfn-guard output is not JSON: {e}"))
}

/// Check that a user policy file is valid Guard.
///
/// # Errors
/// The parser's message.
pub fn validate_policy(rule: &Rule) -> Result<(), Error> {
    guard(&[&rule.policy], "{}").map(|_| ()).map_err(|reason| Error::Policy {
        file: rule.file.clone(),
        reason,
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
    let read = n("cloudformation") + n("conformance-pack") + n("policy-document") + n("terraform") + n("terraform-plan");
    let mut parts = Vec::new();
    for (k, label) in [
        ("cloudformation", "CloudFormation template"),
        ("conformance-pack", "conformance pack"),
        ("policy-document", "policy document"),
        ("terraform", "Terraform file"),
        ("terraform-plan", "Terraform plan"),
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

/// Evaluate `rules` over the model document and produce findings.
///
/// # Errors
/// When cfn-guard cannot evaluate the policies.
pub fn evaluate(rules: &[Rule], doc: &J, index: &Index, scan: &Scan) -> Result<Vec<Finding>, Error> {
    // the built-in rules read only what `slim` keeps; a user policy may read anything
    if rules.iter().any(|r| r.user) {
        return evaluate_over(rules, doc, &Remap::new(), doc, index, scan);
    }
    // a policy that only asks `coll[*].problems.code not exists` is answered from the document
    // directly: cfn-guard's cost grows with every element that has a problem
    let (native, guarded): (Vec<&Rule>, Vec<&Rule>) = rules.iter().partition(|r| problem_clauses(&r.policy).is_some());
    let guarded: Vec<Rule> = guarded.into_iter().cloned().collect();
    let (mut data, remap) = slim(doc);
    // and cfn-guard gets only the collections the remaining policies name
    let named: Vec<String> = guarded.iter().flat_map(|r| top_level_keys(&r.policy)).collect();
    if let Some(m) = data.as_object_mut() {
        m.retain(|k, _| named.iter().any(|n| n == k));
    }
    let mut findings = evaluate_over(&guarded, &data, &remap, doc, index, scan)?;
    for rule in native {
        for (coll, code) in problem_clauses(&rule.policy).unwrap_or_default() {
            let Some(items) = doc.get(&coll).and_then(J::as_array) else {
                continue;
            };
            for (i, e) in items.iter().enumerate() {
                if e.get("problems").and_then(|p| p.get(&code)).is_some() {
                    map_path(
                        rule,
                        &format!("/{coll}/{i}/problems/{code}"),
                        &J::Null,
                        doc,
                        index,
                        scan,
                        &mut findings,
                    );
                }
            }
        }
    }
    findings.sort_by_key(|a| sort_key(a, scan));
    findings.dedup();
    Ok(findings)
}

/// The top-level document keys a policy's clauses start with (`guardrails`, `diagnostics`, …).
fn top_level_keys(policy: &str) -> Vec<String> {
    let body = policy.split_once('{').map_or(policy, |(_, b)| b);
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && *l != "}")
        .filter_map(|l| {
            let end = l.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(l.len());
            (end > 0).then(|| l[..end].to_owned())
        })
        .collect()
}

/// The clauses of a policy made only of `coll[*].problems.code not exists` lines (comments
/// aside), as (collection, code); `None` for any other policy.
fn problem_clauses(policy: &str) -> Option<Vec<(String, String)>> {
    let ident = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let (head, rest) = policy.trim().split_once('{')?;
    let head = head.trim().strip_prefix("rule ")?;
    let body = rest.strip_suffix('}')?;
    if !ident(head.trim()) || body.contains('{') || body.contains('}') {
        return None;
    }
    let mut out = Vec::new();
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (coll, code) = line.strip_suffix(" not exists")?.split_once("[*].problems.")?;
        if !ident(coll) || !ident(code) {
            return None;
        }
        out.push((coll.to_owned(), code.to_owned()));
    }
    (!out.is_empty()).then_some(out)
}

/// The fields of a model element that the built-in rules read.
const RULE_FIELDS: [&str; 3] = ["problems", "relevant", "level"];

/// Collection → the position in the full document of each element kept in the cut.
pub type Remap = BTreeMap<String, Vec<usize>>;

/// The model document cut down to what the built-in rules read: the guardrail verdicts, the
/// notes, and only the elements with problems (or diagnostics), each with only its problems
/// (diagnostics keep their level and relevance). cfn-guard's cost grows with the size of the
/// document it is given, and on a large repository most elements have no problem. The
/// [`Remap`] turns positions in the cut back into positions in `doc`.
#[must_use]
pub fn slim(doc: &J) -> (J, Remap) {
    let mut remap = Remap::new();
    let Some(top) = doc.as_object() else { return (doc.clone(), remap) };
    let mut out = serde_json::Map::new();
    for (k, v) in top {
        let v = match v {
            J::Array(items) if items.iter().all(J::is_object) => {
                let mut kept = Vec::new();
                let mut at = Vec::new();
                for (i, e) in items.iter().enumerate() {
                    let Some(o) = e.as_object() else { continue };
                    // of the problems only their codes: the messages are read from the index
                    let cut: serde_json::Map<String, J> = o
                        .iter()
                        .filter(|(f, x)| RULE_FIELDS.contains(&f.as_str()) && x.as_object().is_none_or(|m| !m.is_empty()))
                        .map(|(f, x)| match (f.as_str(), x.as_object()) {
                            ("problems", Some(m)) => (f.clone(), J::Object(m.keys().map(|k| (k.clone(), J::Bool(true))).collect())),
                            _ => (f.clone(), x.clone()),
                        })
                        .collect();
                    if !cut.is_empty() {
                        kept.push(J::Object(cut));
                        at.push(i);
                    }
                }
                remap.insert(k.clone(), at);
                J::Array(kept)
            }
            // of a verdict only its status (the evidence lists every declaration)
            J::Object(g) if k == "guardrails" => J::Object(
                g.iter()
                    .map(|(name, v)| {
                        (
                            name.clone(),
                            serde_json::json!({ "status": v.get("status").cloned().unwrap_or(J::Null) }),
                        )
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        out.insert(k.clone(), v);
    }
    (J::Object(out), remap)
}

/// A failure path of the cut document as a path of the full one.
fn unmap(path: &str, remap: &Remap) -> String {
    let mut segs: Vec<String> = path.trim_start_matches('/').split('/').map(str::to_owned).collect();
    if let (Some(coll), Some(i)) = (segs.first(), segs.get(1).and_then(|i| i.parse::<usize>().ok()))
        && let Some(orig) = remap.get(coll).and_then(|at| at.get(i))
    {
        segs[1] = orig.to_string();
    }
    format!("/{}", segs.join("/"))
}

/// Evaluate `rules` over `data` (the model document or a cut of it, with its [`Remap`]);
/// failure paths are read against the full `doc`.
///
/// # Errors
/// When cfn-guard cannot evaluate the policies.
pub fn evaluate_over(rules: &[Rule], data: &J, remap: &Remap, doc: &J, index: &Index, scan: &Scan) -> Result<Vec<Finding>, Error> {
    let policies: Vec<&str> = rules.iter().filter(|r| !r.policy.is_empty()).map(|r| r.policy.as_str()).collect();
    if policies.is_empty() {
        return Ok(Vec::new());
    }
    let data = data.to_string();
    let report = guard(&policies, &data).map_err(|reason| Error::Policy {
        file: "rules/".into(),
        reason,
    })?;
    let by_id: BTreeMap<&str, &Rule> = rules.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut findings = Vec::new();
    let failed = report
        .as_array()
        .and_then(|a| a.first())
        .and_then(|d| d.get("not_compliant"))
        .and_then(J::as_array)
        .cloned()
        .unwrap_or_default();
    for f in &failed {
        let Some(name) = f.pointer("/Rule/name").and_then(J::as_str) else {
            continue;
        };
        let Some(rule) = by_id.get(name) else { continue };
        let mut ps = Vec::new();
        paths(f, &mut ps);
        let mut seen = std::collections::BTreeSet::new();
        for p in ps {
            let p = unmap(&p, remap);
            if seen.insert(p.clone()) {
                map_path(rule, &p, f, doc, index, scan, &mut findings);
            }
        }
    }
    findings.sort_by_key(|a| sort_key(a, scan));
    findings.dedup();
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
            f.loc = scan
                .model
                .policies
                .iter()
                .find(|p| p.analysis.as_ref().is_some_and(|a| a.status.is_some()))
                .map(|p| p.origin.loc.clone())
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
            let Some(list) = e.problems.get(*code) else { return };
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
                if *code == "switched_off" || *code == "gate_unknown" {
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

/// How to make a declaration decidable, per problem code of the declaration (document keys).
fn remedy(code: &str) -> Option<&'static str> {
    Some(match code {
        "module_unresolved" => {
            "run `terraform init` and keep `.terraform/modules` (or vendor the module into the repository); a module that declares no root guardrail goes under `known-modules` in `.rootguard.yml` (or `--known-module`)"
        }
        "pack_opaque" | "body_ignored" => {
            "commit the conformance pack and give it as `TemplateBody` / `template_body`, or map its S3 URI to the committed file under `templates:` in `.rootguard.yml`"
        }
        "gate_unknown" => {
            "give the deciding parameter or variable a default, or pass its value (`--var`, `--var-file`, a `terraform.tfvars` in the tree)"
        }
        "standard_unknown" => {
            "name the Security Hub standard or control by an ARN or id rootguard knows (CIS AWS Foundations, AWS Foundational Security Best Practices)"
        }
        "limit" | "eval_budget" | "limit_exceeded" => "raise the limit named in the message with `--limit NAME=N`",
        "file_unread" | "unreadable" | "refused" => {
            "make the file named in the message a regular file inside the scanned tree and under `--max-file-size` (or remove it), so that rootguard can read it"
        }
        "identifier_unknown" | "owner_unknown" | "frequency_unknown" | "parameters_unknown" | "content_unknown" | "targets_unknown"
        | "type_unknown" | "unknown_value" | "unknown_effect" | "unknown_action" | "unknown_resource" | "no_resource" | "shape"
        | "target_unknown" | "pattern_unknown" | "metric_unknown" | "alarm_unknown" => {
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
            if let Some(r) = remedy(code) {
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

    #[test]
    fn problem_only_policies_are_recognized() {
        let p = "rule RG402 {\n    metric_filters[*].problems.missing_terms not exists\n    metric_filters[*].problems.or_pattern not exists\n}";
        assert_eq!(
            problem_clauses(p),
            Some(vec![
                ("metric_filters".into(), "missing_terms".into()),
                ("metric_filters".into(), "or_pattern".into())
            ])
        );
        assert_eq!(
            problem_clauses("rule X {\n    guardrails.root_mfa_rule.status != \"missing\"\n}"),
            None
        );
        assert_eq!(
            problem_clauses("rule X {\n    diagnostics[ relevant == true ].level != \"error\"\n}"),
            None
        );
        assert_eq!(problem_clauses("rule X when a exists {\n    b[*].problems.c not exists\n}"), None);
        assert_eq!(
            top_level_keys("rule X {\n    guardrails.a.status != \"missing\"\n    diagnostics[ relevant == true ].level != \"error\"\n}"),
            ["guardrails", "diagnostics"]
        );
        // every built-in rule is one or the other, and most are native
        let native = crate::rules::builtin()
            .unwrap()
            .iter()
            .filter(|r| problem_clauses(&r.policy).is_some())
            .count();
        assert!(native > 20, "{native}");
    }
}
