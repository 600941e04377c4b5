//! Organizations policies as declarations of `root-deny-scp`, from what `scp` found in each.

use super::{Coll, Decl, Facts, Why, scp};
use crate::model::{Model, Targets};

/// One `root-deny-scp` declaration per policy that is a root deny at all, with the deciding
/// reason first and every other problem of its root-deny statements after it.
pub(super) fn policies(m: &Model, facts: &Facts, out: &mut Vec<Decl>) {
    for (i, (p, f)) in m.policies.iter().zip(&facts.policies).enumerate() {
        let Some(status) = f.status else { continue };
        let mut why: Vec<Why> = Vec::new();
        if let Some(d) = &f.decisive {
            why.push(Why {
                code: d.code,
                message: d.message.clone(),
                loc: d.loc.clone(),
            });
        }
        // every other problem of the root-deny statements is reported too
        for s in &f.statements {
            for r in &s.reasons {
                if r.effect != scp::RootEffect::Full && !why.iter().any(|w| w.loc == r.loc && w.message == r.message) {
                    why.push(Why {
                        code: r.code,
                        message: r.message.clone(),
                        loc: r.loc.clone(),
                    });
                }
            }
        }
        let name = p.name.known_text().unwrap_or_else(|| p.origin.name.clone());
        out.push(Decl {
            guardrail: "root-deny-scp",
            status,
            element: Coll::Policies.at(i),
            loc: p.origin.loc.clone(),
            what: format!("policy `{name}`"),
            why,
            notes: target_notes(&p.targets),
        });
    }
}

/// The notes of a policy's targets (a target its module's caller supplies), each once.
pub(crate) fn target_notes(targets: &Targets) -> Vec<String> {
    let mut notes: Vec<String> = Vec::new();
    if let Targets::List(t) = targets {
        for n in t.iter().filter_map(|t| t.note.as_ref()) {
            if !notes.contains(n) {
                notes.push(n.clone());
            }
        }
    }
    notes
}
