//! The problem codes of the model document (`<collection>[*].problems.<code>`) and its
//! collections, as types: the analysis writes them, `rules::document` turns them into keys, and
//! `rules::checks` names which rule reports each (`Code::rule`, beside the table), so a code
//! that no rule reads, or a rule that reads no code, is a compile error or a failed test, never
//! a finding silently dropped by a misspelt string.

/// Declares [`Code`] from one row per variant: its document key, and for a reason AWS rejects a
/// policy for, the code it has among the policy's `invalid_*` problems.
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $key:literal $(, rejected as $invalid:ident)?;)*) => {
        /// A problem code: one key of `problems` in the model document.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The `snake_case` key in the model document (Guard queries cannot name `a-b` keys).
            #[must_use]
            pub const fn key(self) -> &'static str {
                match self {
                    $(Code::$variant => $key,)*
                }
            }

            /// The code of this reason among a policy's `invalid_*` problems (the reasons AWS
            /// rejects the whole policy), for the codes that can be one.
            #[must_use]
            pub const fn invalid(self) -> Option<Code> {
                match self {
                    $(Code::$variant => codes!(@invalid $($invalid)?),)*
                }
            }
        }
    };
    (@invalid $invalid:ident) => { Some(Code::$invalid) };
    (@invalid) => { None };
}

codes! {
    // the gates of a declaration
    /// `count`, a `Condition` or a switch makes the declaration not created.
    SwitchedOff => "switched_off";
    /// Whether the declaration is created is not known statically.
    GateUnknown => "gate_unknown";

    // Config rules and conformance packs
    IdentifierCase => "identifier_case";
    IdentifierUnknown => "identifier_unknown";
    BodyIgnored => "body_ignored";
    Owner => "owner";
    OwnerUnknown => "owner_unknown";
    Frequency => "frequency";
    FrequencyUnknown => "frequency_unknown";
    Parameters => "parameters";
    ParametersUnknown => "parameters_unknown";
    ExcludedAccounts => "excluded_accounts";
    PackOpaque => "pack_opaque";

    // Control Tower controls
    TargetUnknown => "target_unknown";

    // Security Hub
    ControlUnknown => "control_unknown";
    ControlDisabled => "control_disabled";
    StandardUnknown => "standard_unknown";

    // root-usage metric filters and their alarms
    OrPattern => "or_pattern";
    PatternUnknown => "pattern_unknown";
    MissingTerms => "missing_terms";
    MetricUnknown => "metric_unknown";
    AlarmUnknown => "alarm_unknown";
    NoActions => "no_actions";
    NoAlarm => "no_alarm";

    // what rootguard did not read
    FileUnread => "file_unread";
    ModuleUnresolved => "module_unresolved";
    LimitCut => "limit_cut";

    // centralized root access
    FeatureMissing => "feature_missing";

    // root-deny conditions of a policy statement
    SetOperator => "set_operator";
    WrongOperator => "wrong_operator";
    UnknownValue => "unknown_value";
    SomeAccounts => "some_accounts";
    StringEqualsWildcard => "string_equals_wildcard";
    NoRootMatch => "no_root_match";
    WrongKey => "wrong_key";
    MfaCondition => "mfa_condition";
    MfaBool => "mfa_bool";
    RootExempted => "root_exempted";
    ExtraCondition => "extra_condition";

    // the rest of a root-deny statement
    AllowEffect => "allow_effect";
    UnknownEffect => "unknown_effect";
    UnknownAction => "unknown_action";
    NotAction => "not_action";
    SomeActions => "some_actions";
    NoResource => "no_resource";
    NotResource => "not_resource";
    UnknownResource => "unknown_resource";
    SomeResources => "some_resources";
    /// A statement or policy rootguard cannot read as the grammar says.
    Shape => "shape", rejected as InvalidShape;

    // the grammar of a policy: AWS rejects the whole policy
    NoEffect => "no_effect", rejected as InvalidNoEffect;
    BadEffect => "bad_effect", rejected as InvalidBadEffect;
    Principal => "principal", rejected as InvalidPrincipal;
    ActionAndNotAction => "action_and_not_action", rejected as InvalidActionAndNotAction;
    NoAction => "no_action", rejected as InvalidNoAction;
    ResourceAndNotResource => "resource_and_not_resource", rejected as InvalidResourceAndNotResource;
    NoVersion => "no_version", rejected as InvalidNoVersion;
    BadVersion => "bad_version", rejected as InvalidBadVersion;
    TooLarge => "too_large", rejected as InvalidTooLarge;

    // a policy as a whole
    ContentUnknown => "content_unknown";
    TypeUnknown => "type_unknown";
    TargetsUnknown => "targets_unknown";
    NotAnScp => "not_an_scp";
    Unattached => "unattached";

    // the same reasons among a policy's `invalid_*` problems
    InvalidShape => "invalid_shape";
    InvalidNoEffect => "invalid_no_effect";
    InvalidBadEffect => "invalid_bad_effect";
    InvalidPrincipal => "invalid_principal";
    InvalidActionAndNotAction => "invalid_action_and_not_action";
    InvalidNoAction => "invalid_no_action";
    InvalidResourceAndNotResource => "invalid_resource_and_not_resource";
    InvalidNoVersion => "invalid_no_version";
    InvalidBadVersion => "invalid_bad_version";
    InvalidTooLarge => "invalid_too_large";

    // elements the document adds after the analysis (`rules::document`)
    /// Files the `include` / `exclude` globs leave out although they could declare a guardrail.
    Excluded => "excluded";
    /// A resource a Terraform plan deletes without replacing it.
    Removed => "removed";
    /// A guardrail verdict worse than at the base revision.
    Regressed => "regressed";
    VendoredModuleChanged => "vendored_module_changed";
    MfaNone => "mfa_none";
    MfaVirtual => "mfa_virtual";
    MfaUnknown => "mfa_unknown";
    KeysPresent => "keys_present";
    KeysUnknown => "keys_unknown";
    /// An evidence export that could not be read.
    Unreadable => "unreadable";
    /// A waiver past its expiry date.
    Expired => "expired";
    /// A waiver that is not valid.
    Invalid => "invalid";
    /// A waiver a pull request adds.
    Added => "added";

    /// The judgement of one account's evidence: the reason of an account guardrail's
    /// declaration (its problems in the document are `mfa_*` and `keys_*`).
    Judged => "judged";
}

impl Code {
    /// The code whose document key is `key`.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.key() == key)
    }
}

/// Codes are ordered by their document key, as the document lists them.
impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(other.key())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A collection of the model document: an array of elements, each found again by the path
/// `<collection>/<index>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Coll {
    ConfigRules,
    ConformancePacks,
    Policies,
    SecurityhubStandards,
    SecurityhubControls,
    MetricFilters,
    MetricAlarms,
    ControltowerControls,
    OrganizationsFeatures,
    ConfigurationRecorders,
    OpaqueTemplates,
    PlannedDeletes,
    Diagnostics,
    Waivers,
    Exclusions,
    Regressions,
    Accounts,
    EvidenceFiles,
}

impl Coll {
    /// The collection's key in the model document.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Coll::ConfigRules => "config_rules",
            Coll::ConformancePacks => "conformance_packs",
            Coll::Policies => "policies",
            Coll::SecurityhubStandards => "securityhub_standards",
            Coll::SecurityhubControls => "securityhub_controls",
            Coll::MetricFilters => "metric_filters",
            Coll::MetricAlarms => "metric_alarms",
            Coll::ControltowerControls => "controltower_controls",
            Coll::OrganizationsFeatures => "organizations_features",
            Coll::ConfigurationRecorders => "configuration_recorders",
            Coll::OpaqueTemplates => "opaque_templates",
            Coll::PlannedDeletes => "planned_deletes",
            Coll::Diagnostics => "diagnostics",
            Coll::Waivers => "waivers",
            Coll::Exclusions => "exclusions",
            Coll::Regressions => "regressions",
            Coll::Accounts => "accounts",
            Coll::EvidenceFiles => "evidence_files",
        }
    }

    /// The path of element `i` (`config_rules/3`).
    #[must_use]
    pub fn at(self, i: usize) -> String {
        format!("{}/{i}", self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_distinct_snake_case_and_found_again() {
        for (i, c) in Code::ALL.iter().enumerate() {
            let k = c.key();
            assert!(!k.is_empty() && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{k}");
            assert_eq!(Code::from_key(k), Some(*c), "{k}");
            assert!(Code::ALL[..i].iter().all(|o| o.key() != k), "{k} twice");
        }
        assert_eq!(Code::from_key("gate-unknown"), None);
    }

    #[test]
    fn invalid_forms_are_the_prefixed_keys() {
        let mut n = 0;
        for c in Code::ALL {
            if let Some(i) = c.invalid() {
                assert_eq!(i.key(), format!("invalid_{}", c.key()));
                assert_eq!(i.invalid(), None);
                n += 1;
            }
        }
        assert_eq!(n, 10);
    }

    #[test]
    fn codes_sort_by_key() {
        assert!(Code::SwitchedOff > Code::GateUnknown);
        assert!(Code::InvalidShape < Code::Shape);
    }
}
