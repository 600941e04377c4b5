//! What each built-in rule reports, as a table (like ruff's `codes.rs`): the rule id and the
//! model-document facts it reads. The analysis (`analyze`) decides statuses and problems; a rule
//! names which of them it reports. `rules/<id>-<name>.md` documents each rule and lists the same
//! facts in its `## Checks` section (kept equal by a test).

/// What a built-in rule reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Elements of a collection that have a problem code: `(collection, code)` pairs.
    Problems(&'static [(&'static str, &'static str)]),
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
            Check::Problems(list) => list.iter().map(|(c, p)| format!("`{c}[*].problems.{p}`")).collect(),
            Check::Diagnostics { relevant, level } => vec![format!("`diagnostics[*]` with `relevant` {relevant} and `level` `{level}`")],
            Check::Verdict { status, guardrails } => guardrails
                .iter()
                .map(|g| format!("`guardrails.{}.status` is `{status}`", g.replace('-', "_")))
                .collect(),
            Check::Note(n) => vec![format!("`notes.{n}` exists")],
        }
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
    ("RG004", Check::Problems(&[("exclusions", "excluded")])),
    (
        "RG010",
        Check::Problems(&[
            ("config_rules", "switched_off"),
            ("conformance_packs", "switched_off"),
            ("policies", "switched_off"),
            ("securityhub_standards", "switched_off"),
            ("metric_filters", "switched_off"),
            ("controltower_controls", "switched_off"),
            ("organizations_features", "switched_off"),
        ]),
    ),
    (
        "RG011",
        Check::Problems(&[
            ("config_rules", "gate_unknown"),
            ("config_rules", "identifier_unknown"),
            ("config_rules", "owner_unknown"),
            ("config_rules", "frequency_unknown"),
            ("config_rules", "parameters_unknown"),
            ("config_rules", "body_ignored"),
            ("conformance_packs", "gate_unknown"),
            ("conformance_packs", "pack_opaque"),
            ("policies", "gate_unknown"),
            ("policies", "content_unknown"),
            ("policies", "targets_unknown"),
            ("policies", "type_unknown"),
            ("policies", "unknown_value"),
            ("policies", "unknown_effect"),
            ("policies", "unknown_action"),
            ("policies", "unknown_resource"),
            ("policies", "no_resource"),
            ("policies", "shape"),
            ("securityhub_standards", "gate_unknown"),
            ("securityhub_standards", "standard_unknown"),
            ("controltower_controls", "gate_unknown"),
            ("controltower_controls", "identifier_unknown"),
            ("controltower_controls", "target_unknown"),
            ("metric_filters", "gate_unknown"),
            ("metric_filters", "pattern_unknown"),
            ("metric_filters", "metric_unknown"),
            ("metric_filters", "alarm_unknown"),
            ("opaque_templates", "module_unresolved"),
            ("opaque_templates", "limit_cut"),
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
    ("RG103", Check::Problems(&[("config_rules", "owner")])),
    ("RG104", Check::Problems(&[("config_rules", "frequency")])),
    ("RG105", Check::Problems(&[("config_rules", "parameters")])),
    ("RG106", Check::Problems(&[("config_rules", "identifier_case")])),
    ("RG107", Check::Problems(&[("config_rules", "excluded_accounts")])),
    (
        "RG201",
        Check::Verdict {
            status: "missing",
            guardrails: &["root-deny-scp"],
        },
    ),
    ("RG202", Check::Problems(&[("policies", "unattached")])),
    (
        "RG203",
        Check::Problems(&[
            ("policies", "not_action"),
            ("policies", "some_actions"),
            ("policies", "not_resource"),
            ("policies", "some_resources"),
            ("policies", "some_accounts"),
            ("policies", "extra_condition"),
            ("policies", "mfa_condition"),
        ]),
    ),
    (
        "RG204",
        Check::Problems(&[
            ("policies", "allow_effect"),
            ("policies", "string_equals_wildcard"),
            ("policies", "no_root_match"),
            ("policies", "wrong_key"),
            ("policies", "wrong_operator"),
            ("policies", "root_exempted"),
            ("policies", "not_an_scp"),
        ]),
    ),
    (
        "RG207",
        Check::Problems(&[
            ("policies", "invalid_no_version"),
            ("policies", "invalid_bad_version"),
            ("policies", "invalid_too_large"),
            ("policies", "invalid_shape"),
            ("policies", "invalid_principal"),
            ("policies", "invalid_resource_and_not_resource"),
            ("policies", "invalid_no_action"),
            ("policies", "invalid_action_and_not_action"),
            ("policies", "invalid_bad_effect"),
            ("policies", "invalid_no_effect"),
        ]),
    ),
    ("RG208", Check::Problems(&[("policies", "mfa_bool")])),
    ("RG209", Check::Problems(&[("policies", "set_operator")])),
    ("RG210", Check::Note("management_account")),
    ("RG301", Check::Problems(&[("securityhub_controls", "control_disabled")])),
    ("RG302", Check::Problems(&[("securityhub_controls", "control_unknown")])),
    (
        "RG401",
        Check::Verdict {
            status: "missing",
            guardrails: &["root-usage-alarm"],
        },
    ),
    (
        "RG402",
        Check::Problems(&[("metric_filters", "missing_terms"), ("metric_filters", "or_pattern")]),
    ),
    (
        "RG403",
        Check::Problems(&[("metric_filters", "no_alarm"), ("metric_filters", "no_actions")]),
    ),
    (
        "RG501",
        Check::Verdict {
            status: "missing",
            guardrails: &["centralized-root-access"],
        },
    ),
    ("RG601", Check::Problems(&[("planned_deletes", "removed")])),
    ("RG701", Check::Problems(&[("regressions", "regressed")])),
    ("RG702", Check::Problems(&[("regressions", "vendored_module_changed")])),
    ("RG801", Check::Problems(&[("accounts", "mfa_none")])),
    ("RG802", Check::Problems(&[("accounts", "mfa_virtual")])),
    ("RG803", Check::Problems(&[("accounts", "keys_present")])),
    (
        "RG804",
        Check::Problems(&[("accounts", "mfa_unknown"), ("accounts", "keys_unknown")]),
    ),
    ("RG805", Check::Problems(&[("evidence_files", "unreadable")])),
    ("RG901", Check::Problems(&[("waivers", "expired")])),
    ("RG902", Check::Problems(&[("waivers", "invalid")])),
    ("RG903", Check::Problems(&[("waivers", "added")])),
];

/// The check of built-in rule `id`.
#[must_use]
pub fn of(id: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|(r, _)| *r == id).map(|(_, c)| c)
}
