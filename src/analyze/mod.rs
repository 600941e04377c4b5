//! Facts computed over the model: per-declaration statuses for every guardrail of the report
//! contract, with the reasons and locations that decide them, and the guardrail verdicts.

pub mod code;
pub mod scp;
pub mod wildcard;

use crate::model::{ConfigRule, Loc, Model, Origin, PVal, PackBody, Prop, Scope, Tri};
pub use code::{Code, Coll};

/// The guardrails of the report contract, in report order.
pub const GUARDRAILS: &[&str] = &[
    "root-hardware-mfa-rule",
    "root-mfa-rule",
    "root-deny-scp",
    "securityhub-root-mfa-controls",
    "root-usage-alarm",
    "centralized-root-access",
];

pub const HW_RULE: &str = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED";
pub const MFA_RULE: &str = "ROOT_ACCOUNT_MFA_ENABLED";
pub const FREQUENCIES: &[&str] = &["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"];

pub use crate::model::aws::{CT_RESTRICT_ROOT, CT_ROOT_MFA, standard_controls};

/// Rank of a status when several declarations of one guardrail are combined (higher wins).
#[must_use]
pub fn rank(status: &str) -> u8 {
    match status {
        "deployed" | "enforced" | "enabled" => 8,
        "partial" | "incomplete" => 7,
        "unknown" => 6,
        "unattached" => 5,
        "misconfigured" => 4,
        "ineffective" => 3,
        "switched-off" => 2,
        _ => 1,
    }
}

/// The verdict of a guardrail from the statuses of its declarations (the report contract): the
/// best ranked, `missing` when there is none; for `securityhub-root-mfa-controls`, one `disabled`
/// wins, then `enabled`, else `not-declared`.
#[must_use]
pub fn combine(guardrail: &str, statuses: &[&'static str]) -> &'static str {
    if guardrail == "securityhub-root-mfa-controls" {
        if statuses.contains(&"disabled") {
            "disabled"
        } else if statuses.contains(&"enabled") {
            "enabled"
        } else {
            "not-declared"
        }
    } else {
        statuses.iter().copied().max_by_key(|s| rank(s)).unwrap_or("missing")
    }
}

/// Why a declaration has its status.
#[derive(Clone, Debug, PartialEq)]
pub struct Why {
    pub code: Code,
    pub message: String,
    pub loc: Loc,
}

/// One declaration's contribution to a guardrail.
#[derive(Clone, Debug, PartialEq)]
pub struct Decl {
    pub guardrail: &'static str,
    pub status: &'static str,
    /// `config_rules/3`, `policies/0`, … (the model element).
    pub element: String,
    pub loc: Loc,
    pub what: String,
    /// Every problem found, the deciding one first.
    pub why: Vec<Why>,
}

/// The verdict for one guardrail.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub guardrail: &'static str,
    pub status: &'static str,
    pub decls: Vec<Decl>,
}

impl Verdict {
    /// The declaration that shows the verdict: the first in source order with the verdict's status.
    #[must_use]
    pub fn evidence(&self) -> Option<&Decl> {
        self.decls
            .iter()
            .filter(|d| d.status == self.status)
            .min_by_key(|d| (d.loc.span.file, d.loc.span.start))
    }
}

/// Everything the analysis adds to the model.
#[derive(Debug, Default)]
pub struct Facts {
    pub decls: Vec<Decl>,
    pub verdicts: Vec<Verdict>,
    /// Per Organizations policy of the model, in the same order: what its content does.
    pub policies: Vec<scp::PolicyFacts>,
    /// Per security-hub control declaration: which root control it concerns (`IAM.6`, `IAM.9`,
    /// `unknown`) or none.
    pub sh_control_ids: Vec<Option<&'static str>>,
    /// Per standard: which root controls it includes (`None` = not known).
    pub sh_standard_controls: Vec<Option<Vec<&'static str>>>,
    /// Per metric filter: is it a root-usage filter, and what is missing.
    pub filter_missing_terms: Vec<Option<Vec<&'static str>>>,
}

fn gate_status(o: &Origin) -> Option<(&'static str, Why)> {
    match o.created() {
        Tri::True => None,
        Tri::False => o.deciding_gate().map(|g| {
            (
                "switched-off",
                Why {
                    code: Code::SwitchedOff,
                    message: format!("`{}` is false: {}", g.expr, g.reason),
                    loc: g.loc.clone(),
                },
            )
        }),
        Tri::Unknown => o.deciding_gate().map(|g| {
            (
                "unknown",
                Why {
                    code: Code::GateUnknown,
                    message: format!("`{}` is not known statically: {}", g.expr, g.reason),
                    loc: g.loc.clone(),
                },
            )
        }),
    }
}

fn loc_or(p: &Prop, o: &Origin) -> Loc {
    p.loc.clone().unwrap_or_else(|| o.loc.clone())
}

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

fn config_rules(m: &Model, out: &mut Vec<Decl>) {
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
            });
        }
    }
}

fn ct_control_name(id: &str) -> Option<&'static str> {
    for (name, global) in [CT_RESTRICT_ROOT, CT_ROOT_MFA] {
        if id.ends_with(&format!("/{name}")) || id.ends_with(&format!("/{global}")) || id == name {
            return Some(name);
        }
    }
    None
}

fn controltower(m: &Model, out: &mut Vec<Decl>) {
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
        });
    }
}

fn policies(m: &Model, facts: &Facts, out: &mut Vec<Decl>) {
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
        });
    }
}

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

fn securityhub(m: &Model, facts: &mut Facts, out: &mut Vec<Decl>) {
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
                    });
                }
            }
        }
    }
}

/// The three terms of the CIS root-usage filter, as they read with blanks and quotes removed.
pub const CIS_TERMS: &[(&str, &str)] = &[
    ("$.userIdentity.type=Root", "$.userIdentity.type = \"Root\""),
    ("$.userIdentity.invokedByNOTEXISTS", "$.userIdentity.invokedBy NOT EXISTS"),
    ("$.eventType!=AwsServiceEvent", "$.eventType != \"AwsServiceEvent\""),
];

/// Normalize a filter pattern: no blanks, no quotes.
#[must_use]
pub fn normalize_pattern(p: &str) -> String {
    p.chars().filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'').collect()
}

/// Does an alarm notify anyone? (`AlarmActions` given, and actions not disabled)
fn notifies(a: &crate::model::MetricAlarm) -> Tri {
    if matches!(&a.actions_enabled.val, PVal::Known(serde_json::Value::Bool(false)))
        || a.actions_enabled.known_text().as_deref() == Some("false")
    {
        return Tri::False;
    }
    match &a.actions.val {
        PVal::Known(serde_json::Value::Array(v)) if !v.is_empty() => Tri::True,
        PVal::Unknown(_) | PVal::Partial(_) => Tri::Unknown,
        _ => Tri::False,
    }
}

fn alarms(m: &Model, facts: &mut Facts, out: &mut Vec<Decl>) {
    for (i, f) in m.metric_filters.iter().enumerate() {
        // (status, reason) pairs; the contract's order picks the status
        let mut found: Vec<(&'static str, Why)> = Vec::new();
        let ploc = loc_or(&f.pattern, &f.origin);
        let missing: Option<Vec<&'static str>> = match f.pattern.known_text() {
            Some(p) => {
                let n = normalize_pattern(&p);
                n.contains("userIdentity.type=Root").then(|| {
                    if n.contains("||") {
                        found.push(("incomplete", Why { code: Code::OrPattern, message: "the pattern joins terms with `||`, so it matches more than root activity and the terms are not all required".into(), loc: ploc.clone() }));
                    }
                    CIS_TERMS.iter().filter(|(t, _)| !n.contains(t)).map(|(_, shown)| *shown).collect()
                })
            }
            None => f.pattern.unknown_reason().map(|r| {
                found.push((
                    "unknown",
                    Why {
                        code: Code::PatternUnknown,
                        message: format!("the filter pattern is not known statically: {r}"),
                        loc: ploc.clone(),
                    },
                ));
                Vec::new()
            }),
        };
        facts.filter_missing_terms.push(missing.clone());
        let Some(missing) = missing else { continue };
        if let Some((s, w)) = gate_status(&f.origin) {
            found.push((s, w));
        }
        if !missing.is_empty() {
            let terms = missing.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(" and ");
            found.push((
                "incomplete",
                Why {
                    code: Code::MissingTerms,
                    message: format!("the pattern lacks {terms}"),
                    loc: ploc.clone(),
                },
            ));
        }
        // an alarm on the filter's metric, that is created and notifies someone
        let (mn, ns) = (f.metric_name.known_text(), f.namespace.known_text());
        if mn.is_none() || ns.is_none() {
            found.push((
                "unknown",
                Why {
                    code: Code::MetricUnknown,
                    message: "the filter's metric name or namespace is not known statically".into(),
                    loc: loc_or(&f.metric_name, &f.origin),
                },
            ));
        } else {
            let live = |a: &&crate::model::MetricAlarm| a.origin.created() != Tri::False;
            let matching: Vec<&crate::model::MetricAlarm> = m
                .metric_alarms
                .iter()
                .filter(live)
                .filter(|a| a.metric_name.known_text().is_some() && a.metric_name.known_text() == mn && a.namespace.known_text() == ns)
                .collect();
            // an alarm whose metric is written but not known may watch this filter; one with no
            // metric at all (metric math) does not
            let maybe = m.metric_alarms.iter().filter(live).any(|a| {
                (a.metric_name.unknown_reason().is_some() || a.namespace.unknown_reason().is_some()) && !a.metric_name.is_absent()
            });
            let sure = matching
                .iter()
                .find(|a| a.origin.created() == Tri::True && notifies(a) == Tri::True);
            if sure.is_none() {
                if let Some(a) = matching
                    .iter()
                    .find(|a| a.origin.created() == Tri::Unknown || notifies(a) == Tri::Unknown)
                {
                    let w = match gate_status(&a.origin) {
                        Some((_, g)) => Why {
                            code: Code::AlarmUnknown,
                            message: format!("the alarm on this metric may not be created: {}", g.message),
                            loc: g.loc,
                        },
                        None => Why {
                            code: Code::AlarmUnknown,
                            message: "the alarm's actions are not known statically".into(),
                            loc: loc_or(&a.actions, &a.origin),
                        },
                    };
                    found.push(("unknown", w));
                } else if let Some(a) = matching.first() {
                    let disabled = notifies(a) == Tri::False && !a.actions_enabled.is_absent();
                    let message = if disabled {
                        "the alarm on this metric has `actions_enabled = false`, so it notifies no one"
                    } else {
                        "the alarm on this metric has no `AlarmActions`, so it notifies no one"
                    };
                    let loc = if disabled {
                        loc_or(&a.actions_enabled, &a.origin)
                    } else {
                        loc_or(&a.actions, &a.origin)
                    };
                    found.push((
                        "incomplete",
                        Why {
                            code: Code::NoActions,
                            message: message.into(),
                            loc,
                        },
                    ));
                } else if maybe {
                    found.push((
                        "unknown",
                        Why {
                            code: Code::AlarmUnknown,
                            message: "an alarm's metric is not known statically, so it may or may not watch this filter".into(),
                            loc: f.origin.loc.clone(),
                        },
                    ));
                } else {
                    let (mn, ns) = (mn.unwrap_or_default(), ns.unwrap_or_default());
                    found.push((
                        "incomplete",
                        Why {
                            code: Code::NoAlarm,
                            message: format!("no CloudWatch alarm watches metric `{mn}` in namespace `{ns}`"),
                            loc: loc_or(&f.metric_name, &f.origin),
                        },
                    ));
                }
            }
        }
        let status = ["switched-off", "unknown", "incomplete"]
            .into_iter()
            .find(|s| found.iter().any(|(x, _)| x == s))
            .unwrap_or("deployed");
        found.sort_by_key(|(s, _)| std::cmp::Reverse(rank_order(s)));
        out.push(Decl {
            guardrail: "root-usage-alarm",
            status,
            element: Coll::MetricFilters.at(i),
            loc: f.origin.loc.clone(),
            what: format!("metric filter `{}`", f.origin.name),
            why: found.into_iter().map(|(_, w)| w).collect(),
        });
    }
}

/// Position in the contract's order for one declaration (earlier decides first).
fn rank_order(s: &str) -> u8 {
    match s {
        "switched-off" => 7,
        "unknown" => 6,
        "ineffective" => 5,
        "unattached" => 4,
        "misconfigured" => 3,
        "partial" | "incomplete" => 2,
        _ => 1,
    }
}

/// A module or file rootguard cannot read may declare any guardrail: absent guardrails are
/// unknown, not missing (unless the module source is declared known not to declare guardrails).
fn opaque_modules(m: &Model, out: &mut Vec<Decl>) {
    for (i, t) in m.opaque_templates.iter().enumerate() {
        let (what, code, message) = if t.kind == "file" {
            (
                format!("`{}`, not read", t.origin.name),
                Code::FileUnread,
                format!("{}; it may declare any root guardrail", t.reference),
            )
        } else if t.kind == "module" && !t.known_clean && t.origin.created() != Tri::False {
            let message = if t.reference.starts_with("module source ") {
                format!(
                    "rootguard cannot read {} (not a local path, and not installed in `.terraform/modules`); it may declare any root guardrail (declare it with `--known-module` if it does not)",
                    t.reference
                )
            } else {
                format!("rootguard stops here: {}; the module may declare any root guardrail", t.reference)
            };
            (format!("module `{}`", t.origin.name), Code::ModuleUnresolved, message)
        } else {
            continue;
        };
        for guardrail in ["root-hardware-mfa-rule", "root-mfa-rule", "root-deny-scp", "root-usage-alarm"] {
            out.push(Decl {
                guardrail,
                status: "unknown",
                element: Coll::OpaqueTemplates.at(i),
                loc: t.origin.loc.clone(),
                what: what.clone(),
                why: vec![Why {
                    code,
                    message: message.clone(),
                    loc: t.origin.loc.clone(),
                }],
            });
        }
    }
}

/// The guardrails declarations of resource type `ty` can declare or, for Security Hub controls,
/// disable (`*`: any type).
#[must_use]
pub fn guardrails_of(ty: &str) -> &'static [&'static str] {
    const RULES: &[&str] = &["root-hardware-mfa-rule", "root-mfa-rule"];
    match ty {
        "*" => &[
            "root-hardware-mfa-rule",
            "root-mfa-rule",
            "root-deny-scp",
            "securityhub-root-mfa-controls",
            "root-usage-alarm",
        ],
        "aws_config_config_rule"
        | "aws_config_organization_managed_rule"
        | "aws_config_conformance_pack"
        | "aws_config_organization_conformance_pack"
        | "aws_securityhub_account"
        | "aws_securityhub_standards_subscription" => RULES,
        "aws_securityhub_configuration_policy" => &["root-hardware-mfa-rule", "root-mfa-rule", "securityhub-root-mfa-controls"],
        "aws_securityhub_standards_control" | "aws_securityhub_standards_control_association" => &["securityhub-root-mfa-controls"],
        "aws_organizations_policy" | "aws_organizations_policy_attachment" => &["root-deny-scp"],
        "aws_controltower_control" => &["root-deny-scp", "root-mfa-rule"],
        "aws_cloudwatch_log_metric_filter" | "aws_cloudwatch_metric_alarm" | "aws_cloudtrail" => &["root-usage-alarm"],
        _ => &[],
    }
}

/// A `cut` that may hide a Security Hub control disablement (which would also switch off the
/// managed rules a standard runs): its index.
fn cut_disabling_controls(m: &Model) -> Option<usize> {
    m.opaque_templates.iter().position(|t| {
        t.kind == "cut" && t.origin.created() != Tri::False && guardrails_of(&t.resource_type).contains(&"securityhub-root-mfa-controls")
    })
}

/// Declarations rootguard stopped short of reading (a limit reached): each guardrail they may
/// declare is `unknown`, never `missing`; a Security Hub control they may disable makes that
/// guardrail `disabled`, never `enabled` by omission.
fn cuts(m: &Model, out: &mut Vec<Decl>) {
    const SH: &str = "securityhub-root-mfa-controls";
    for (i, t) in m.opaque_templates.iter().enumerate() {
        if t.kind != "cut" || t.origin.created() == Tri::False {
            continue;
        }
        let guardrails = guardrails_of(&t.resource_type);
        let declares: Vec<String> = guardrails.iter().filter(|g| **g != SH).map(|g| format!("`{g}`")).collect();
        let mut may = Vec::new();
        if !declares.is_empty() {
            may.push(format!("declare {}", declares.join(", ")));
        }
        if guardrails.contains(&SH) {
            may.push("disable Security Hub control IAM.6 or IAM.9".to_owned());
        }
        // one problem per cut, whatever the guardrails
        let message = format!("{}; what was not read may {}", t.reference, may.join(" or "));
        let name = &t.origin.name;
        let what = if name.contains(' ') || name.starts_with('`') {
            format!("what rootguard did not read of {name}")
        } else {
            format!("what rootguard did not read of `{name}`")
        };
        for guardrail in guardrails {
            out.push(Decl {
                guardrail,
                status: if *guardrail == SH { "disabled" } else { "unknown" },
                element: Coll::OpaqueTemplates.at(i),
                loc: t.origin.loc.clone(),
                what: what.clone(),
                why: vec![Why {
                    code: Code::LimitCut,
                    message: message.clone(),
                    loc: t.origin.loc.clone(),
                }],
            });
        }
    }
}

fn centralized_root(m: &Model, out: &mut Vec<Decl>) {
    for (i, f) in m.organizations_features.iter().enumerate() {
        let has = match &f.features.val {
            PVal::Known(serde_json::Value::Array(v)) => v.iter().any(|x| x.as_str() == Some("RootCredentialsManagement")),
            _ => false,
        };
        let mut why = Vec::new();
        let status = if let Some((_, w)) = gate_status(&f.origin) {
            why.push(w);
            "missing"
        } else if has {
            "enabled"
        } else {
            why.push(Why {
                code: Code::FeatureMissing,
                message: "`RootCredentialsManagement` is not among the enabled features".into(),
                loc: loc_or(&f.features, &f.origin),
            });
            "missing"
        };
        out.push(Decl {
            guardrail: "centralized-root-access",
            status,
            element: Coll::OrganizationsFeatures.at(i),
            loc: f.origin.loc.clone(),
            what: format!("organization features `{}`", f.origin.name),
            why,
        });
    }
}

/// Run every analysis and decide the verdicts.
pub fn run(m: &mut Model) -> Facts {
    let mut facts = Facts {
        policies: m.policies.iter().map(scp::policy).collect(),
        ..Facts::default()
    };
    let mut decls = Vec::new();
    config_rules(m, &mut decls);
    controltower(m, &mut decls);
    policies(m, &facts, &mut decls);
    securityhub(m, &mut facts, &mut decls);
    alarms(m, &mut facts, &mut decls);
    centralized_root(m, &mut decls);
    opaque_modules(m, &mut decls);
    cuts(m, &mut decls);
    facts.verdicts = GUARDRAILS
        .iter()
        .map(|g| {
            let mine: Vec<Decl> = decls.iter().filter(|d| d.guardrail == *g).cloned().collect();
            let status = combine(g, &mine.iter().map(|d| d.status).collect::<Vec<_>>());
            Verdict {
                guardrail: g,
                status,
                decls: mine,
            }
        })
        .collect();
    facts.decls = decls;
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranking_follows_the_contract() {
        let order = [
            "deployed",
            "partial",
            "unknown",
            "unattached",
            "misconfigured",
            "ineffective",
            "switched-off",
            "missing",
        ];
        for w in order.windows(2) {
            assert!(rank(w[0]) > rank(w[1]), "{} > {}", w[0], w[1]);
        }
    }

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

    #[test]
    fn patterns_normalize() {
        let p = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }";
        let n = normalize_pattern(p);
        assert!(CIS_TERMS.iter().all(|(t, _)| n.contains(t)));
    }
}
