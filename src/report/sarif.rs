//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it.

use serde_json::{Value as J, json};

use super::Outcome;
use crate::model::Loc;
use crate::rules::Severity;
use crate::source::Sources;

/// Where the rule docs live, for `helpUri`.
pub const DOCS: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/");

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "note",
    }
}

/// A repository-relative URI (SARIF wants `/`, no `./`, percent-encoded specials).
#[must_use]
pub fn uri(display: &str) -> String {
    let p = display.trim_start_matches("./");
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn location(s: &Sources, l: &Loc, message: Option<&str>) -> J {
    let (a, b) = s.position(l.span);
    let mut region = json!({ "startLine": a.line.max(1), "startColumn": a.column.max(1) });
    if b.line >= a.line {
        region["endLine"] = b.line.max(1).into();
        region["endColumn"] = b.column.max(1).into();
    }
    let mut j = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(&s.get(l.span.file).display), "uriBaseId": "%SRCROOT%" },
            "region": region,
        }
    });
    if !l.path.is_empty() {
        j["logicalLocations"] = json!([{ "fullyQualifiedName": l.path }]);
    }
    if let Some(m) = message {
        j["message"] = json!({ "text": m });
    }
    j
}

/// The SARIF log.
#[must_use]
pub fn document(o: &Outcome<'_>) -> J {
    let s = &o.scan.sources;
    let rules: Vec<J> = o
        .rules
        .iter()
        .map(|r| {
            let mut tags: Vec<String> = vec!["security".into()];
            tags.extend(r.guardrails.iter().filter(|g| *g != "any").cloned());
            for refr in &r.references {
                if !refr.starts_with("http") {
                    tags.push(refr.clone());
                }
            }
            let mut j = json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": crate::rules::section(&r.docs, "What it checks").unwrap_or(&r.summary).trim() },
                "help": { "text": r.help, "markdown": if r.docs.is_empty() { r.help.clone() } else { r.docs.clone() } },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "security-severity": r.severity.score(), "tags": tags, "precision": "very-high" },
            });
            if !r.user {
                j["helpUri"] = format!("{DOCS}{}", r.file).into();
            }
            j
        })
        .collect();
    let results: Vec<J> = o
        .findings
        .iter()
        .map(|f| {
            let index = o.rules.iter().position(|r| r.id == f.rule).unwrap_or(0);
            let mut j = json!({
                "ruleId": f.rule,
                "ruleIndex": index,
                "level": level(f.severity),
                "message": { "text": format!("{}\n\nhelp: {}", f.message, f.help) },
            });
            if let Some(l) = &f.loc {
                j["locations"] = json!([location(s, l, None)]);
                j["partialFingerprints"] = json!({ "rootguard/v1": f.fingerprint(&s.get(l.span.file).display) });
            } else {
                j["partialFingerprints"] = json!({ "rootguard/v1": f.fingerprint("") });
            }
            let related: Vec<J> = f
                .via
                .iter()
                .map(|v| (v.loc.clone(), format!("reached through {} `{}`", v.kind, v.name)))
                .chain(f.labels.iter().cloned())
                .enumerate()
                .map(|(i, (l, m))| {
                    let mut r = location(s, &l, Some(&m));
                    r["id"] = i.into();
                    r
                })
                .collect();
            if !related.is_empty() {
                j["relatedLocations"] = related.into();
            }
            if let Some(w) = &f.suppression {
                j["suppressions"] = json!([{
                    "kind": if w.kind == "inline" { "inSource" } else { "external" },
                    "status": "accepted",
                    "justification": format!("{} (owner {}, expires {})", w.reason, w.owner, w.expires),
                }]);
            }
            j
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "rootguard",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            } },
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": { "guardrails": o.facts.verdicts.iter().map(|v| (v.guardrail.to_owned(), J::from(v.status))).collect::<serde_json::Map<_, _>>() },
        }],
    })
}
