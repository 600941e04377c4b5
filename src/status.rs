//! The status words of the report contract, typed: every reporter asks this module, and only
//! this module, whether a verdict is good.

/// One status word of a guardrail verdict (the report contract) or of an account verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// `deployed`: declared, unconditionally, and correct.
    Deployed,
    /// `enforced`: a root deny declared, unconditionally, attached and correct.
    Enforced,
    /// `enabled`: declared, unconditionally, and correct.
    Enabled,
    /// `partial`: denies root only for some actions, resources, accounts or partitions, or only under extra conditions.
    Partial,
    /// `incomplete`: a root-usage filter without an alarm on its metric, or missing one of the CIS terms.
    Incomplete,
    /// `unknown`: it cannot be proven from the files.
    Unknown,
    /// `unattached`: a root-deny SCP attached to nothing.
    Unattached,
    /// `misconfigured`: declared but wrong in a way that changes what AWS does.
    Misconfigured,
    /// `ineffective`: written to deny root, but never matches.
    Ineffective,
    /// `switched-off`: declared, and turned off by a value.
    SwitchedOff,
    /// `missing`: nothing in the scanned tree declares it.
    Missing,
    /// `disabled`: a root MFA control is disabled.
    Disabled,
    /// `not-declared`: nothing in the scanned tree declares it.
    NotDeclared,
    /// `root-hardware-mfa`: the root user has a hardware device and no virtual one.
    Hardware,
    /// `root-hardware-mfa`: the root user has no credentials to protect.
    NoRootCredentials,
    /// `root-hardware-mfa`: a virtual device is assigned to the root user.
    VirtualOnly,
    /// `root-hardware-mfa` `none`: the root user has no MFA device.
    NoMfa,
    /// `root-access-keys` `none`: the root user has no access key.
    NoKeys,
    /// `root-access-keys` `present`.
    KeysPresent,
}

/// How a status reads: proven good, not proven, or proven bad.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Proven good.
    Good,
    /// Not proven either way.
    Doubtful,
    /// Proven bad.
    Bad,
}

impl Status {
    /// The status `word` of `guardrail` (the same word can mean opposite things: `none` is good
    /// for `root-access-keys` and bad for `root-hardware-mfa`). An unknown word reads as
    /// [`Status::Unknown`], never as good.
    #[must_use]
    pub fn of(guardrail: &str, word: &str) -> Status {
        let accounts_keys = guardrail == crate::evidence::ACCESS_KEYS;
        match word {
            "deployed" => Status::Deployed,
            "enforced" => Status::Enforced,
            "enabled" => Status::Enabled,
            "partial" => Status::Partial,
            "incomplete" => Status::Incomplete,
            "unattached" => Status::Unattached,
            "misconfigured" => Status::Misconfigured,
            "ineffective" => Status::Ineffective,
            "switched-off" => Status::SwitchedOff,
            "missing" => Status::Missing,
            "disabled" => Status::Disabled,
            "not-declared" => Status::NotDeclared,
            "hardware" => Status::Hardware,
            "no-root-credentials" => Status::NoRootCredentials,
            "virtual-only" => Status::VirtualOnly,
            "none" if accounts_keys => Status::NoKeys,
            "none" => Status::NoMfa,
            "present" => Status::KeysPresent,
            _ => Status::Unknown,
        }
    }

    /// Proven good, doubtful, or proven bad.
    #[must_use]
    pub fn tone(self) -> Tone {
        match self {
            Status::Deployed | Status::Enforced | Status::Enabled | Status::Hardware | Status::NoRootCredentials | Status::NoKeys => {
                Tone::Good
            }
            Status::Partial | Status::Incomplete | Status::Unknown => Tone::Doubtful,
            _ => Tone::Bad,
        }
    }

    /// Is the guardrail proven in force?
    #[must_use]
    pub fn is_good(self) -> bool {
        self.tone() == Tone::Good
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_word_can_be_good_or_bad() {
        assert!(Status::of("root-access-keys", "none").is_good());
        assert!(!Status::of("root-hardware-mfa", "none").is_good());
        assert!(Status::of("root-hardware-mfa", "no-root-credentials").is_good());
        assert!(Status::of("root-deny-scp", "enforced").is_good());
        assert_eq!(Status::of("root-deny-scp", "unknown").tone(), Tone::Doubtful);
        assert_eq!(Status::of("x", "some-new-word"), Status::Unknown);
        assert!(!Status::of("securityhub-root-mfa-controls", "not-declared").is_good());
    }

    /// Every status the contract and the account verdicts use is known here.
    #[test]
    fn every_contract_word_is_typed() {
        for w in [
            "deployed",
            "enforced",
            "enabled",
            "partial",
            "incomplete",
            "unattached",
            "misconfigured",
            "ineffective",
            "switched-off",
            "missing",
            "disabled",
            "not-declared",
        ] {
            assert_ne!(Status::of("root-deny-scp", w), Status::Unknown, "{w}");
        }
        for w in crate::evidence::MFA_ORDER.iter().chain(&crate::evidence::KEYS_ORDER) {
            if *w != "unknown" {
                assert_ne!(Status::of("root-hardware-mfa", w), Status::Unknown, "{w}");
            }
        }
    }
}
