//! Does a policy deny member-account root users, and how completely? (aws-facts §2)
//!
//! A statement is a *root deny* only when one of its conditions names the root user: a positive
//! `aws:PrincipalArn` test against a root ARN (`arn:<partition>:iam::<account>:root`), or an
//! attempt to do so with another key (`aws:PrincipalType`, `aws:username`, `aws:userid`,
//! `aws:ARN`). A deny that merely also hits root (a `Deny *` exempting a few roles) is not one.
//!
//! `principal` decides which root users a principal ARN pattern matches, `condition` which
//! conditions name the root user and what the others do, `statement` what one statement denies
//! root (and its grammar), `policy` the policy's validity, attachment and declaration status.

mod condition;
mod policy;
mod principal;
mod statement;

use super::Code;
use crate::model::policy::List;
use crate::model::{Gate, Loc, Tri};

pub use policy::policy;
pub use statement::{shape, statement};

/// SCP maximum size in bytes (aws-facts §2.2).
pub const MAX_SCP_BYTES: usize = 5120;

/// What a statement or policy does to member-account root users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RootEffect {
    /// Not written to deny root.
    None,
    Ineffective,
    Unknown,
    Partial,
    Full,
}

impl RootEffect {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RootEffect::None => "none",
            RootEffect::Ineffective => "ineffective",
            RootEffect::Unknown => "unknown",
            RootEffect::Partial => "partial",
            RootEffect::Full => "full",
        }
    }
}

/// Why a statement or policy got its effect.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    /// `AllowEffect`, `StringEqualsWildcard`, `NotAction`, `ExtraCondition`, …
    pub code: Code,
    pub effect: RootEffect,
    pub message: String,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StatementFacts {
    pub index: usize,
    pub effect: RootEffect,
    pub reasons: Vec<Reason>,
}

/// Facts about one Organizations policy.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyFacts {
    /// Is it a service control policy (type given, defaulted, or assumed for a stand-alone document)?
    pub is_scp: Tri,
    /// What the content does to root, over all statements.
    pub content: RootEffect,
    pub statements: Vec<StatementFacts>,
    /// Reasons AWS would reject the policy (Version, size, Principal, …).
    pub invalid: Vec<Reason>,
    /// Warnings that do not change the effect (`Bool` instead of `BoolIfExists`, set operators, …).
    pub warnings: Vec<Reason>,
    /// Whether it is attached to at least one target.
    pub attached: Tri,
    /// The declaration status for the `root-deny-scp` guardrail, when it is a root deny at all.
    pub status: Option<&'static str>,
    /// What decides the status: the first reason of the deciding kind.
    pub decisive: Option<Reason>,
    /// The gate of a statement the code writes that decides the status (a value switches it
    /// off, or may), when the policy's own gates do not decide it first.
    pub gate: Option<Gate>,
}

/// The texts of a list, and why some item (or the list) is not known, if one is not.
fn values(l: &List) -> (Vec<String>, Option<String>) {
    let mut out = Vec::new();
    let mut unknown = l.problem.clone();
    for i in &l.items {
        match (&i.text, &i.unknown) {
            (Some(t), _) => out.push(t.clone()),
            (None, Some(r)) => unknown = Some(r.clone()),
            (None, None) => {}
        }
    }
    (out, unknown)
}
