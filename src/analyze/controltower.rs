//! Control Tower controls: the root-access restriction (`root-deny-scp`) and the root-MFA
//! detective control (`root-mfa-rule`).

use super::{CT_RESTRICT_ROOT, CT_ROOT_MFA, Code, Coll, Decl, Why, gate_status, loc_or};
use crate::model::Model;

/// The root control an identifier names (by name or by global id).
fn ct_control_name(id: &str) -> Option<&'static str> {
    for (name, global) in [CT_RESTRICT_ROOT, CT_ROOT_MFA] {
        if id.ends_with(&format!("/{name}")) || id.ends_with(&format!("/{global}")) || id == name {
            return Some(name);
        }
    }
    None
}

/// One declaration per Control Tower control that is (or may be) a root control.
pub(super) fn controltower(m: &Model, out: &mut Vec<Decl>) {
    for (i, c) in m.controltower_controls.iter().enumerate() {
        let (name, guardrail, unknown) = match c.identifier.text_or_partial().as_deref().and_then(ct_control_name) {
            Some(n) => (
                n,
                if n == CT_RESTRICT_ROOT.0 {
                    "root-deny-scp"
                } else {
                    "root-mfa-rule"
                },
                None,
            ),
            None => match c.identifier.unknown_reason() {
                Some(_) if c.identifier.text_or_partial().is_none() => {
                    ("a control", "root-deny-scp", Some("the control identifier is not known statically"))
                }
                _ => continue,
            },
        };
        let mut why = Vec::new();
        let mut status = if guardrail == "root-deny-scp" { "enforced" } else { "deployed" };
        if let Some((s, w)) = gate_status(&c.origin) {
            status = s;
            why.push(w);
        } else if let Some(u) = unknown {
            status = "unknown";
            why.push(Why {
                code: Code::IdentifierUnknown,
                message: u.into(),
                loc: loc_or(&c.identifier, &c.origin),
            });
        } else if c.target.known_text().is_none() {
            status = "unknown";
            why.push(Why {
                code: Code::TargetUnknown,
                message: "the control's target OU is not known statically".into(),
                loc: loc_or(&c.target, &c.origin),
            });
        }
        out.push(Decl {
            guardrail,
            status,
            element: Coll::ControltowerControls.at(i),
            loc: loc_or(&c.identifier, &c.origin),
            what: format!("Control Tower control {name}"),
            why,
            notes: Vec::new(),
        });
    }
}
