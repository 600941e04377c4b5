//! Security Hub: the root MFA controls (IAM.6, IAM.9) enabled or disabled, and the standards
//! that run the managed rules through them.

use super::opaque::cut_disabling_controls;
use super::{Code, Coll, Decl, Facts, Why, gate_status, loc_or, standard_controls};
use crate::model::{Model, Tri};

/// Which root control a Security Hub control reference means.
#[must_use]
pub fn root_control(text: &str) -> Option<&'static str> {
    let t = text.trim();
    let ends = |s: &str| t == s || t.ends_with(&format!("/{s}"));
    if ends("IAM.6")
        || t.ends_with("cis-aws-foundations-benchmark/v/1.2.0/1.14")
        || t.ends_with("cis-aws-foundations-benchmark/v/1.4.0/1.6")
        || t.ends_with("cis-aws-foundations-benchmark/v/3.0.0/1.6")
        || t.ends_with("cis-aws-foundations-benchmark/v/5.0.0/1.5")
    {
        return Some("IAM.6");
    }
    if ends("IAM.9")
        || t.ends_with("cis-aws-foundations-benchmark/v/1.2.0/1.13")
        || t.ends_with("cis-aws-foundations-benchmark/v/1.4.0/1.5")
        || t.ends_with("cis-aws-foundations-benchmark/v/3.0.0/1.5")
        || t.ends_with("cis-aws-foundations-benchmark/v/5.0.0/1.4")
    {
        return Some("IAM.9");
    }
    None
}

/// `…:standards/aws-foundational-security-best-practices/v/1.0.0` → the part after `standards/`
/// (or `ruleset/`).
#[must_use]
pub fn standard_path(arn: &str) -> Option<&str> {
    arn.split_once(":standards/")
        .or_else(|| arn.split_once(":ruleset/"))
        .map(|(_, p)| p.trim_end_matches('/'))
}

/// The standard a control declaration is limited to: the standard part of a standards-control
/// ARN (`…:control/cis-aws-foundations-benchmark/v/1.2.0/1.14`), or the association's
/// `standards_arn`; `None` for every standard (a configuration policy, a bare control id).
fn control_scope(c: &crate::model::ShControl) -> Option<String> {
    if let Some(t) = c.control.text_or_partial()
        && let Some((_, rest)) = t.split_once(":control/")
    {
        return rest.rsplit_once('/').map(|(std, _)| std.to_owned());
    }
    c.standard.text_or_partial().and_then(|a| standard_path(&a).map(str::to_owned))
}

/// The Security Hub declarations: controls enabled or disabled, the standards that keep them
/// enabled, and the managed rules those standards run (`root-hardware-mfa-rule`, `root-mfa-rule`).
pub(super) fn securityhub(m: &Model, facts: &mut Facts, out: &mut Vec<Decl>) {
    facts.sh_control_ids = m
        .securityhub_controls
        .iter()
        .map(|c| match c.control.text_or_partial() {
            Some(t) => root_control(&t),
            None => Some("unknown"),
        })
        .collect();
    facts.sh_standard_controls = m
        .securityhub_standards
        .iter()
        .map(|s| s.arn.text_or_partial().and_then(|a| standard_controls(&a)))
        .collect();
    let mut disabled: Vec<(&'static str, usize)> = Vec::new();
    for (i, c) in m.securityhub_controls.iter().enumerate() {
        let Some(id) = facts.sh_control_ids[i] else { continue };
        let off = c.status == "disabled" || c.status == "not-enabled";
        if id == "unknown" && off && c.origin.created() != Tri::False {
            out.push(Decl {
                guardrail: "securityhub-root-mfa-controls",
                status: "unknown",
                element: Coll::SecurityhubControls.at(i),
                loc: loc_or(&c.control, &c.origin),
                what: "a Security Hub control".into(),
                why: vec![Why {
                    code: Code::ControlUnknown,
                    message: format!(
                        "a control is disabled whose id is not known statically ({}); it may be IAM.6 or IAM.9",
                        c.control.unknown_reason().unwrap_or_default()
                    ),
                    loc: loc_or(&c.control, &c.origin),
                }],
                notes: Vec::new(),
            });
            continue;
        }
        let status = match (off, c.origin.created()) {
            (_, Tri::False) => continue,
            (true, _) if id != "unknown" => "disabled",
            (false, Tri::True) if id != "unknown" => "enabled",
            _ => continue,
        };
        if status == "disabled" {
            disabled.push((id, i));
        }
        let verb = if c.status == "not-enabled" {
            "leaves out"
        } else if off {
            "disables"
        } else {
            "enables"
        };
        let mut why = Vec::new();
        if off {
            let reason = c
                .reason
                .known_text()
                .map(|r| format!(" (reason given: \"{r}\")"))
                .unwrap_or_default();
            why.push(Why {
                code: Code::ControlDisabled,
                message: format!("this declaration {verb} Security Hub control {id}{reason}"),
                loc: loc_or(&c.control, &c.origin),
            });
        }
        out.push(Decl {
            guardrail: "securityhub-root-mfa-controls",
            status,
            element: Coll::SecurityhubControls.at(i),
            loc: loc_or(&c.control, &c.origin),
            what: format!("Security Hub control {id}"),
            why,
            notes: Vec::new(),
        });
    }
    for (i, s) in m.securityhub_standards.iter().enumerate() {
        let created = s.origin.created();
        let arn = s.arn.text_or_partial().unwrap_or_else(|| "a standard".into());
        let short = arn
            .rsplit_once(":standards/")
            .or_else(|| arn.rsplit_once(":ruleset/"))
            .map_or(arn.as_str(), |(_, b)| b)
            .to_owned();
        match &facts.sh_standard_controls[i] {
            Some(ids) if !ids.is_empty() => {
                if created == Tri::True {
                    out.push(Decl {
                        guardrail: "securityhub-root-mfa-controls",
                        status: "enabled",
                        element: Coll::SecurityhubStandards.at(i),
                        loc: loc_or(&s.arn, &s.origin),
                        what: format!("Security Hub standard `{short}`"),
                        why: Vec::new(),
                        notes: Vec::new(),
                    });
                }
                // a standard keeping IAM.6 / IAM.9 enabled runs the managed rule through Security Hub
                for (guardrail, id) in [("root-hardware-mfa-rule", "IAM.6"), ("root-mfa-rule", "IAM.9")] {
                    let mut why = Vec::new();
                    let status = if let Some((st, w)) = gate_status(&s.origin) {
                        why.push(w);
                        st
                    } else if let Some((_, ci)) = disabled.iter().find(|(d, ci)| {
                        // a control disabled in one standard keeps running for the others
                        *d == id
                            && control_scope(&m.securityhub_controls[*ci])
                                .is_none_or(|sc| s.arn.text_or_partial().is_some_and(|a| standard_path(&a) == Some(sc.as_str())))
                    }) {
                        let c = &m.securityhub_controls[*ci];
                        why.push(Why {
                            code: Code::ControlDisabled,
                            message: format!("Security Hub control {id} is disabled"),
                            loc: loc_or(&c.control, &c.origin),
                        });
                        "switched-off"
                    } else if let Some(ci) = cut_disabling_controls(m) {
                        // a control disablement not read may switch the rule off here
                        let t = &m.opaque_templates[ci];
                        why.push(Why {
                            code: Code::LimitCut,
                            message: format!("{}; they may disable Security Hub control {id}", t.reference),
                            loc: t.origin.loc.clone(),
                        });
                        "unknown"
                    } else {
                        "deployed"
                    };
                    out.push(Decl {
                        guardrail,
                        status,
                        element: Coll::SecurityhubStandards.at(i),
                        loc: loc_or(&s.arn, &s.origin),
                        what: format!("Security Hub standard `{short}` (control {id})"),
                        why,
                        notes: Vec::new(),
                    });
                }
            }
            Some(_) => {}
            None => {
                for guardrail in ["root-hardware-mfa-rule", "root-mfa-rule"] {
                    let why = vec![Why {
                        code: Code::StandardUnknown,
                        message: format!("rootguard does not know whether `{short}` includes the root MFA controls"),
                        loc: loc_or(&s.arn, &s.origin),
                    }];
                    out.push(Decl {
                        guardrail,
                        status: "unknown",
                        element: Coll::SecurityhubStandards.at(i),
                        loc: loc_or(&s.arn, &s.origin),
                        what: format!("Security Hub standard `{short}`"),
                        why,
                        notes: Vec::new(),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_controls_by_every_name() {
        assert_eq!(root_control("IAM.6"), Some("IAM.6"));
        assert_eq!(
            root_control("arn:aws:securityhub:us-east-1:111111111111:control/cis-aws-foundations-benchmark/v/1.2.0/1.14"),
            Some("IAM.6")
        );
        assert_eq!(
            root_control(
                "arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:control/aws-foundational-security-best-practices/v/1.0.0/IAM.9"
            ),
            Some("IAM.9")
        );
        assert_eq!(root_control("cis-aws-foundations-benchmark/v/1.4.0/1.5"), Some("IAM.9"));
        assert_eq!(root_control("IAM.60"), None);
        assert_eq!(root_control("cis-aws-foundations-benchmark/v/1.2.0/1.1"), None);
    }
}
