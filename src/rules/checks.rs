//! What each built-in rule reports, as a table (like ruff's `codes.rs`): the rule id and the
//! model-document facts it reads. The analysis (`analyze`) decides statuses and problems; a rule
//! names which of them it reports. `rules/<id>-<name>.md` documents each rule and lists the same
//! facts in its `## Checks` section (kept equal by a test).

use crate::analyze::{Code, Coll};

/// What a built-in rule reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Elements of a collection that have a problem code: per collection, its codes.
    Problems(&'static [(Coll, &'static [Code])]),
    /// Reading diagnostics at `level` of files that look like infrastructure-as-code
    /// (`relevant`) or do not.
    Diagnostics { relevant: bool, level: &'static str },
    /// Guardrail verdicts with `status` (guardrail names as in the contract).
    Verdict {
        status: &'static str,
        guardrails: &'static [&'static str],
    },
    /// A note of the document (`notes.<name>`).
    Note(&'static str),
}

impl Check {
    /// The facts as the `## Checks` section of the rule's documentation lists them.
    #[must_use]
    pub fn describe(&self) -> Vec<String> {
        match self {
            Check::Problems(_) => self
                .pairs()
                .map(|(c, p)| format!("`{}[*].problems.{}`", c.key(), p.key()))
                .collect(),
            Check::Diagnostics { relevant, level } => vec![format!("`diagnostics[*]` with `relevant` {relevant} and `level` `{level}`")],
            Check::Verdict { status, guardrails } => guardrails
                .iter()
                .map(|g| format!("`guardrails.{}.status` is `{status}`", g.replace('-', "_")))
                .collect(),
            Check::Note(n) => vec![format!("`notes.{n}` exists")],
        }
    }

    /// The `(collection, code)` pairs of a `Problems` check, in order (none for other checks).
    pub fn pairs(&self) -> impl Iterator<Item = (Coll, Code)> {
        let groups: &'static [(Coll, &'static [Code])] = match self {
            Check::Problems(groups) => groups,
            _ => &[],
        };
        groups.iter().flat_map(|(coll, codes)| codes.iter().map(move |code| (*coll, *code)))
    }
}

/// Every built-in rule's check, by rule id.
pub const CHECKS: &[(&str, Check)] = &[
    (
        "RG001",
        Check::Diagnostics {
            relevant: true,
            level: "error",
        },
    ),
    (
        "RG002",
        Check::Diagnostics {
            relevant: false,
            level: "error",
        },
    ),
    (
        "RG003",
        Check::Diagnostics {
            relevant: true,
            level: "warning",
        },
    ),
    ("RG004", Check::Problems(&[(Coll::Exclusions, &[Code::Excluded])])),
    (
        "RG010",
        Check::Problems(&[
            (Coll::ConfigRules, &[Code::SwitchedOff]),
            (Coll::ConformancePacks, &[Code::SwitchedOff]),
            (Coll::Policies, &[Code::SwitchedOff]),
            (Coll::SecurityhubStandards, &[Code::SwitchedOff]),
            (Coll::MetricFilters, &[Code::SwitchedOff]),
            (Coll::ControltowerControls, &[Code::SwitchedOff]),
            (Coll::OrganizationsFeatures, &[Code::SwitchedOff]),
        ]),
    ),
    (
        "RG011",
        Check::Problems(&[
            (
                Coll::ConfigRules,
                &[
                    Code::GateUnknown,
                    Code::IdentifierUnknown,
                    Code::OwnerUnknown,
                    Code::FrequencyUnknown,
                    Code::ParametersUnknown,
                    Code::BodyIgnored,
                ],
            ),
            (Coll::ConformancePacks, &[Code::GateUnknown, Code::PackOpaque]),
            (
                Coll::Policies,
                &[
                    Code::GateUnknown,
                    Code::ContentUnknown,
                    Code::TargetsUnknown,
                    Code::TypeUnknown,
                    Code::UnknownValue,
                    Code::UnknownEffect,
                    Code::UnknownAction,
                    Code::UnknownResource,
                    Code::NoResource,
                    Code::Shape,
                ],
            ),
            (Coll::SecurityhubStandards, &[Code::GateUnknown, Code::StandardUnknown]),
            (
                Coll::ControltowerControls,
                &[Code::GateUnknown, Code::IdentifierUnknown, Code::TargetUnknown],
            ),
            (
                Coll::MetricFilters,
                &[Code::GateUnknown, Code::PatternUnknown, Code::MetricUnknown, Code::AlarmUnknown],
            ),
            (Coll::OpaqueTemplates, &[Code::ModuleUnresolved, Code::LimitCut]),
        ]),
    ),
    (
        "RG012",
        Check::Verdict {
            status: "unknown",
            guardrails: &["root-hardware-mfa-rule", "root-mfa-rule", "root-deny-scp", "root-usage-alarm"],
        },
    ),
    (
        "RG101",
        Check::Verdict {
            status: "missing",
            guardrails: &["root-hardware-mfa-rule"],
        },
    ),
    (
        "RG102",
        Check::Verdict {
            status: "missing",
            guardrails: &["root-mfa-rule"],
        },
    ),
    ("RG103", Check::Problems(&[(Coll::ConfigRules, &[Code::Owner])])),
    ("RG104", Check::Problems(&[(Coll::ConfigRules, &[Code::Frequency])])),
    ("RG105", Check::Problems(&[(Coll::ConfigRules, &[Code::Parameters])])),
    ("RG106", Check::Problems(&[(Coll::ConfigRules, &[Code::IdentifierCase])])),
    ("RG107", Check::Problems(&[(Coll::ConfigRules, &[Code::ExcludedAccounts])])),
    (
        "RG201",
        Check::Verdict {
            status: "missing",
            guardrails: &["root-deny-scp"],
        },
    ),
    ("RG202", Check::Problems(&[(Coll::Policies, &[Code::Unattached])])),
    (
        "RG203",
        Check::Problems(&[(
            Coll::Policies,
            &[
                Code::NotAction,
                Code::SomeActions,
                Code::NotResource,
                Code::SomeResources,
                Code::SomeAccounts,
                Code::ExtraCondition,
                Code::MfaCondition,
            ],
        )]),
    ),
    (
        "RG204",
        Check::Problems(&[(
            Coll::Policies,
            &[
                Code::AllowEffect,
                Code::StringEqualsWildcard,
                Code::NoRootMatch,
                Code::WrongKey,
                Code::WrongOperator,
                Code::RootExempted,
                Code::NotAnScp,
            ],
        )]),
    ),
    (
        "RG207",
        Check::Problems(&[(
            Coll::Policies,
            &[
                Code::InvalidNoVersion,
                Code::InvalidBadVersion,
                Code::InvalidTooLarge,
                Code::InvalidShape,
                Code::InvalidPrincipal,
                Code::InvalidResourceAndNotResource,
                Code::InvalidNoAction,
                Code::InvalidActionAndNotAction,
                Code::InvalidBadEffect,
                Code::InvalidNoEffect,
            ],
        )]),
    ),
    ("RG208", Check::Problems(&[(Coll::Policies, &[Code::MfaBool])])),
    ("RG209", Check::Problems(&[(Coll::Policies, &[Code::SetOperator])])),
    ("RG210", Check::Note("management_account")),
    ("RG301", Check::Problems(&[(Coll::SecurityhubControls, &[Code::ControlDisabled])])),
    ("RG302", Check::Problems(&[(Coll::SecurityhubControls, &[Code::ControlUnknown])])),
    (
        "RG401",
        Check::Verdict {
            status: "missing",
            guardrails: &["root-usage-alarm"],
        },
    ),
    (
        "RG402",
        Check::Problems(&[(Coll::MetricFilters, &[Code::MissingTerms, Code::OrPattern])]),
    ),
    (
        "RG403",
        Check::Problems(&[(Coll::MetricFilters, &[Code::NoAlarm, Code::NoActions])]),
    ),
    (
        "RG501",
        Check::Verdict {
            status: "missing",
            guardrails: &["centralized-root-access"],
        },
    ),
    ("RG601", Check::Problems(&[(Coll::PlannedDeletes, &[Code::Removed])])),
    ("RG701", Check::Problems(&[(Coll::Regressions, &[Code::Regressed])])),
    ("RG702", Check::Problems(&[(Coll::Regressions, &[Code::VendoredModuleChanged])])),
    ("RG801", Check::Problems(&[(Coll::Accounts, &[Code::MfaNone])])),
    ("RG802", Check::Problems(&[(Coll::Accounts, &[Code::MfaVirtual])])),
    ("RG803", Check::Problems(&[(Coll::Accounts, &[Code::KeysPresent])])),
    (
        "RG804",
        Check::Problems(&[(Coll::Accounts, &[Code::MfaUnknown, Code::KeysUnknown])]),
    ),
    ("RG805", Check::Problems(&[(Coll::EvidenceFiles, &[Code::Unreadable])])),
    ("RG901", Check::Problems(&[(Coll::Waivers, &[Code::Expired])])),
    ("RG902", Check::Problems(&[(Coll::Waivers, &[Code::Invalid])])),
    ("RG903", Check::Problems(&[(Coll::Waivers, &[Code::Added])])),
];

/// The check of built-in rule `id`.
#[must_use]
pub fn of(id: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|(r, _)| *r == id).map(|(_, c)| c)
}

impl Code {
    /// The built-in rule that reports this code (its entry in [`CHECKS`] names it), or `None`
    /// for a code no rule reads: each of those is reported another way, as the arms say.
    #[must_use]
    pub const fn rule(self) -> Option<&'static str> {
        Some(match self {
            Code::Excluded => "RG004",
            Code::SwitchedOff => "RG010",
            Code::GateUnknown
            | Code::IdentifierUnknown
            | Code::OwnerUnknown
            | Code::FrequencyUnknown
            | Code::ParametersUnknown
            | Code::BodyIgnored
            | Code::PackOpaque
            | Code::ContentUnknown
            | Code::TargetsUnknown
            | Code::TypeUnknown
            | Code::UnknownValue
            | Code::UnknownEffect
            | Code::UnknownAction
            | Code::UnknownResource
            | Code::NoResource
            | Code::Shape
            | Code::StandardUnknown
            | Code::TargetUnknown
            | Code::PatternUnknown
            | Code::MetricUnknown
            | Code::AlarmUnknown
            | Code::ModuleUnresolved
            | Code::LimitCut => "RG011",
            Code::Owner => "RG103",
            Code::Frequency => "RG104",
            Code::Parameters => "RG105",
            Code::IdentifierCase => "RG106",
            Code::ExcludedAccounts => "RG107",
            Code::Unattached => "RG202",
            Code::NotAction
            | Code::SomeActions
            | Code::NotResource
            | Code::SomeResources
            | Code::SomeAccounts
            | Code::ExtraCondition
            | Code::MfaCondition => "RG203",
            Code::AllowEffect
            | Code::StringEqualsWildcard
            | Code::NoRootMatch
            | Code::WrongKey
            | Code::WrongOperator
            | Code::RootExempted
            | Code::NotAnScp => "RG204",
            Code::InvalidNoVersion
            | Code::InvalidBadVersion
            | Code::InvalidTooLarge
            | Code::InvalidShape
            | Code::InvalidPrincipal
            | Code::InvalidResourceAndNotResource
            | Code::InvalidNoAction
            | Code::InvalidActionAndNotAction
            | Code::InvalidBadEffect
            | Code::InvalidNoEffect => "RG207",
            Code::MfaBool => "RG208",
            Code::SetOperator => "RG209",
            Code::ControlDisabled => "RG301",
            Code::ControlUnknown => "RG302",
            Code::MissingTerms | Code::OrPattern => "RG402",
            Code::NoAlarm | Code::NoActions => "RG403",
            Code::Removed => "RG601",
            Code::Regressed => "RG701",
            Code::VendoredModuleChanged => "RG702",
            Code::MfaNone => "RG801",
            Code::MfaVirtual => "RG802",
            Code::KeysPresent => "RG803",
            Code::MfaUnknown | Code::KeysUnknown => "RG804",
            Code::Unreadable => "RG805",
            Code::Expired => "RG901",
            Code::Invalid => "RG902",
            Code::Added => "RG903",
            // the policy's decisive reason, also among its `invalid_*` problems (RG207)
            Code::NoVersion
            | Code::BadVersion
            | Code::TooLarge
            | Code::Principal
            | Code::ResourceAndNotResource
            | Code::NoAction
            | Code::ActionAndNotAction
            | Code::BadEffect
            | Code::NoEffect
            // the guardrails it makes `unknown` (RG012); a file refused is a reading diagnostic too
            | Code::FileUnread
            // the guardrail `centralized-root-access` it leaves `missing` (RG501)
            | Code::FeatureMissing
            // the account guardrails' verdicts; the account's problems are `mfa_*`, `keys_*`
            | Code::Judged => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each code is reported by the one rule `Code::rule` names (a code with no rule by none),
    /// so a code the analysis writes cannot be left out of the table, nor reported twice.
    #[test]
    fn every_code_is_reported_by_its_rule_only() {
        for code in Code::ALL {
            let reporting: Vec<&str> = CHECKS
                .iter()
                .filter(|(_, c)| c.pairs().any(|(_, p)| p == *code))
                .map(|(id, _)| *id)
                .collect();
            assert_eq!(reporting, code.rule().into_iter().collect::<Vec<_>>(), "{code:?}");
        }
    }

    #[test]
    fn a_rule_lists_each_pair_once() {
        for (id, c) in CHECKS {
            let list: Vec<(Coll, Code)> = c.pairs().collect();
            for (i, p) in list.iter().enumerate() {
                assert!(!list[..i].contains(p), "{id}: {p:?} twice");
            }
        }
    }
}
