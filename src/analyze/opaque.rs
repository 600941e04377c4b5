//! What rootguard did not read: modules and files it cannot read, and declarations it stopped
//! short of reading (a limit reached). They may declare any guardrail: those are `unknown`, never
//! `missing`.

use super::{Code, Coll, Decl, Why};
use crate::model::{Model, Tri};

/// A module or file rootguard cannot read may declare any guardrail: absent guardrails are
/// unknown, not missing (unless the module source is declared known not to declare guardrails).
pub(super) fn opaque_modules(m: &Model, out: &mut Vec<Decl>) {
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
                notes: Vec::new(),
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
pub(super) fn cut_disabling_controls(m: &Model) -> Option<usize> {
    m.opaque_templates.iter().position(|t| {
        t.kind == "cut" && t.origin.created() != Tri::False && guardrails_of(&t.resource_type).contains(&"securityhub-root-mfa-controls")
    })
}

/// Declarations rootguard stopped short of reading (a limit reached): each guardrail they may
/// declare is `unknown`, never `missing`; a Security Hub control they may disable makes that
/// guardrail `disabled`, never `enabled` by omission.
pub(super) fn cuts(m: &Model, out: &mut Vec<Decl>) {
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
                notes: Vec::new(),
            });
        }
    }
}
