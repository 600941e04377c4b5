//! The AWS Config managed rules `root-hardware-mfa-rule` and `root-mfa-rule`: the Config rules
//! (with the conformance packs that deploy them) and the packs rootguard cannot read.

use super::{Code, Coll, Decl, Why, gate_status, loc_or, rank};
use crate::model::{ConfigRule, Model, PVal, PackBody, Prop, Scope};

pub const HW_RULE: &str = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED";
pub const MFA_RULE: &str = "ROOT_ACCOUNT_MFA_ENABLED";
pub const FREQUENCIES: &[&str] = &["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"];

/// Which root-MFA guardrails a Config rule may be, with the identifier problem if any.
fn rule_targets(r: &ConfigRule) -> Vec<(&'static str, &'static str, Option<Why>)> {
    let both = [("root-hardware-mfa-rule", HW_RULE), ("root-mfa-rule", MFA_RULE)];
    match &r.identifier.val {
        PVal::Known(serde_json::Value::String(id)) => both
            .into_iter()
            .filter_map(|(g, want)| {
                if id == want {
                    Some((g, want, None))
                } else if id.eq_ignore_ascii_case(want) {
                    Some((
                        g,
                        want,
                        Some(Why {
                            code: Code::IdentifierCase,
                            message: format!("identifier `{id}` must be written `{want}`: AWS matches it exactly"),
                            loc: loc_or(&r.identifier, &r.origin),
                        }),
                    ))
                } else {
                    None
                }
            })
            .collect(),
        PVal::Absent | PVal::Known(_) => Vec::new(),
        PVal::Partial(_) | PVal::Unknown(_) => {
            let owner_not_aws = r.owner.known_str().is_some_and(|o| o != "AWS");
            if owner_not_aws {
                return Vec::new();
            }
            let why = Why {
                code: Code::IdentifierUnknown,
                message: format!(
                    "the rule identifier is not known statically: {}",
                    r.identifier.unknown_reason().unwrap_or_default()
                ),
                loc: loc_or(&r.identifier, &r.origin),
            };
            both.into_iter().map(|(g, w)| (g, w, Some(why.clone()))).collect()
        }
    }
}

fn nonempty_params(p: &Prop) -> bool {
    match &p.val {
        PVal::Known(serde_json::Value::Object(m)) => !m.is_empty(),
        PVal::Known(serde_json::Value::String(s)) => {
            // a JSON string: `{}` and `{ }` hold no parameter
            let t = s.trim();
            !(t.is_empty() || serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(t).is_ok_and(|m| m.is_empty()))
        }
        PVal::Known(serde_json::Value::Null) | PVal::Absent => false,
        PVal::Known(_) => true,
        _ => false,
    }
}

/// The declarations of the two Config rule guardrails: one per Config rule that is (or may be) a
/// root-MFA managed rule, and one per guardrail for each conformance pack rootguard cannot read.
pub(super) fn config_rules(m: &Model, out: &mut Vec<Decl>) {
    for (i, r) in m.config_rules.iter().enumerate() {
        for (guardrail, want, id_problem) in rule_targets(r) {
            let mut why: Vec<(&'static str, Why)> = Vec::new();
            if let Some(g) = gate_status(&r.origin) {
                why.push(g);
            }
            if let Some(pack) = r.pack.and_then(|p| m.conformance_packs.get(p))
                && let Some(l) = &pack.body_ignored
            {
                why.push((
                    "unknown",
                    Why {
                        code: Code::BodyIgnored,
                        message: "the conformance pack also names `TemplateS3Uri`, so AWS deploys that template and ignores this body"
                            .into(),
                        loc: l.clone(),
                    },
                ));
            }
            if let Some(w) = id_problem {
                why.push((
                    if w.code == Code::IdentifierUnknown {
                        "unknown"
                    } else {
                        "misconfigured"
                    },
                    w,
                ));
            }
            match &r.owner.val {
                PVal::Known(serde_json::Value::String(o)) if o == "AWS" => {}
                PVal::Known(v) => why.push((
                    "misconfigured",
                    Why {
                        code: Code::Owner,
                        message: format!("`Owner` is {v}: only an AWS-owned rule runs the managed `{want}` check"),
                        loc: loc_or(&r.owner, &r.origin),
                    },
                )),
                PVal::Absent => why.push((
                    "misconfigured",
                    Why {
                        code: Code::Owner,
                        message: "the rule has no `Owner`; the managed rule needs `Owner: AWS`".into(),
                        loc: r.origin.loc.clone(),
                    },
                )),
                _ => why.push((
                    "unknown",
                    Why {
                        code: Code::OwnerUnknown,
                        message: format!("`Owner` is not known statically: {}", r.owner.unknown_reason().unwrap_or_default()),
                        loc: loc_or(&r.owner, &r.origin),
                    },
                )),
            }
            match &r.frequency.val {
                PVal::Absent => {}
                PVal::Known(serde_json::Value::String(f)) if FREQUENCIES.contains(&f.as_str()) => {}
                PVal::Known(v) => why.push((
                    "misconfigured",
                    Why {
                        code: Code::Frequency,
                        message: format!("`MaximumExecutionFrequency` {v} is not one of {}", FREQUENCIES.join(", ")),
                        loc: loc_or(&r.frequency, &r.origin),
                    },
                )),
                _ => why.push((
                    "unknown",
                    Why {
                        code: Code::FrequencyUnknown,
                        message: format!(
                            "the execution frequency is not known statically: {}",
                            r.frequency.unknown_reason().unwrap_or_default()
                        ),
                        loc: loc_or(&r.frequency, &r.origin),
                    },
                )),
            }
            if nonempty_params(&r.input_parameters) {
                why.push((
                    "misconfigured",
                    Why {
                        code: Code::Parameters,
                        message: format!("`{want}` takes no input parameters, but some are given"),
                        loc: loc_or(&r.input_parameters, &r.origin),
                    },
                ));
            } else if let Some(u) = r.input_parameters.unknown_reason() {
                why.push((
                    "unknown",
                    Why {
                        code: Code::ParametersUnknown,
                        message: format!("the input parameters are not known statically: {u}"),
                        loc: loc_or(&r.input_parameters, &r.origin),
                    },
                ));
            }
            // the rule's own exclusions, or those of the organization pack it is deployed by
            let pack_excluded = r.pack.and_then(|p| m.conformance_packs.get(p)).map(|p| &p.excluded_accounts);
            let (excluded, what_skips) = match pack_excluded {
                Some(pe) if matches!(&pe.val, PVal::Known(serde_json::Value::Array(a)) if !a.is_empty()) => {
                    (pe, "organization conformance pack deploying this rule")
                }
                _ => (&r.excluded_accounts, "organization rule"),
            };
            if let PVal::Known(serde_json::Value::Array(a)) = &excluded.val
                && !a.is_empty()
            {
                let ids: Vec<String> = a.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect();
                why.push((
                    "deployed",
                    Why {
                        code: Code::ExcludedAccounts,
                        message: format!(
                            "the {what_skips} skips {} account(s): {}; they get no `{want}` evaluation",
                            ids.len(),
                            ids.join(", ")
                        ),
                        loc: excluded.loc.clone().unwrap_or_else(|| r.origin.loc.clone()),
                    },
                ));
            }
            let status = ["switched-off", "unknown", "misconfigured"]
                .into_iter()
                .find(|s| why.iter().any(|(w, _)| w == s))
                .unwrap_or("deployed");
            // the deciding reason first
            why.sort_by_key(|(s, _)| rank(s));
            let scope = if r.scope == Scope::Organization {
                "organization rule"
            } else {
                "Config rule"
            };
            let name = r.name.known_text().unwrap_or_else(|| r.origin.name.clone());
            out.push(Decl {
                guardrail,
                status,
                element: Coll::ConfigRules.at(i),
                loc: loc_or(&r.identifier, &r.origin),
                what: format!("{scope} `{name}` ({want})"),
                why: why.into_iter().map(|(_, w)| w).collect(),
                notes: Vec::new(),
            });
        }
    }
    for (i, p) in m.conformance_packs.iter().enumerate() {
        let (reason, loc) = match &p.body {
            PackBody::Opaque { reference, loc } => (format!("the pack's template is {reference}, which rootguard cannot read"), loc),
            PackBody::Unknown { reason, loc } => (format!("the pack's template is not known statically: {reason}"), loc),
            _ => continue,
        };
        let mut why = Vec::new();
        let mut status = "unknown";
        if let Some((s, w)) = gate_status(&p.origin) {
            status = s;
            why.push(w);
        }
        why.push(Why {
            code: Code::PackOpaque,
            message: reason,
            loc: loc.clone(),
        });
        let name = p.name.known_text().unwrap_or_else(|| p.origin.name.clone());
        for guardrail in ["root-hardware-mfa-rule", "root-mfa-rule"] {
            out.push(Decl {
                guardrail,
                status,
                element: Coll::ConformancePacks.at(i),
                loc: loc.clone(),
                what: format!("conformance pack `{name}`"),
                why: why.clone(),
                notes: Vec::new(),
            });
        }
    }
}
