//! `--format json`: findings and the guardrail summary of the report contract.

use serde_json::{Value as J, json};

use super::Outcome;
use crate::model::Loc;
use crate::source::Sources;

/// Version of the report's JSON shape.
pub const SCHEMA: &str = "rootguard-report/1";

fn at(s: &Sources, l: &Loc) -> J {
    let (a, b) = s.position(l.span);
    json!({
        "file": s.get(l.span.file).display,
        "start": { "line": a.line, "column": a.column },
        "end": { "line": b.line, "column": b.column },
        "path": l.path,
    })
}

/// The report document.
#[must_use]
pub fn document(o: &Outcome<'_>) -> J {
    let s = &o.scan.sources;
    let findings: Vec<J> = o
        .findings
        .iter()
        .map(|f| {
            let mut j = json!({
                "rule": f.rule,
                "name": f.name,
                "severity": f.severity.as_str(),
                "guardrail": f.guardrail,
                "message": f.message,
                "help": f.help,
            });
            if let Some(l) = &f.loc
                && let (J::Object(m), J::Object(a)) = (&mut j, at(s, l))
            {
                m.extend(a);
            }
            j["via"] = f
                .via
                .iter()
                .map(|v| {
                    let mut x = at(s, &v.loc);
                    x["kind"] = v.kind.into();
                    x["name"] = v.name.clone().into();
                    x
                })
                .collect();
            j["related"] = f
                .labels
                .iter()
                .map(|(l, m)| {
                    let mut x = at(s, l);
                    x["message"] = m.clone().into();
                    x
                })
                .collect();
            if !f.notes.is_empty() {
                j["notes"] = f.notes.clone().into();
            }
            if let Some((lang, snippet)) = &f.fix {
                j["fix"] = json!({ "language": lang, "snippet": snippet });
            }
            if let Some(w) = &f.suppression {
                j["suppressed"] = json!({ "kind": w.kind, "reason": w.reason, "owner": w.owner, "expires": w.expires });
            }
            j
        })
        .collect();
    let mut guardrails = serde_json::Map::new();
    for v in &o.facts.verdicts {
        let evidence: Vec<J> = v
            .decls
            .iter()
            .map(|d| {
                let mut e = json!({ "status": d.status, "declaration": d.what });
                if let (J::Object(m), J::Object(a)) = (&mut e, at(s, &d.loc)) {
                    m.extend(a);
                }
                if let Some(w) = d.why.first() {
                    e["reason"] = w.message.clone().into();
                }
                if !d.notes.is_empty() {
                    e["notes"] = d.notes.clone().into();
                }
                e
            })
            .collect();
        let rules: Vec<&str> = o
            .findings
            .iter()
            .filter(|f| f.guardrail.as_deref() == Some(v.guardrail))
            .map(|f| f.rule.as_str())
            .collect();
        let mut rules_dedup: Vec<&str> = Vec::new();
        for r in rules {
            if !rules_dedup.contains(&r) {
                rules_dedup.push(r);
            }
        }
        guardrails.insert(
            v.guardrail.to_owned(),
            json!({ "status": v.status, "evidence": evidence, "findings": rules_dedup }),
        );
    }
    let by_sev: serde_json::Map<String, J> = o
        .by_severity()
        .into_iter()
        .map(|(s, n)| (s.as_str().to_owned(), n.into()))
        .collect();
    json!({
        "schema": SCHEMA,
        "version": env!("CARGO_PKG_VERSION"),
        "findings": findings,
        "summary": {
            "guardrails": guardrails,
            "findings": { "total": o.findings.len(), "by_severity": by_sev },
            "files": { "scanned": o.scan.files.len(), "by_kind": o.scan.counts() },
            "fail_on": o.fail_on_str(),
            "failed": o.failed(),
        }
    })
}
