//! The conditions of a statement: those that name the root user (and how many root users they
//! match), and what the others do to a root deny.

use super::super::wildcard::matches;
use super::principal::{Reach, matches_some_root, other_placeholder, reach};
use super::{Code, Reason, RootEffect, values};
use crate::model::policy::Condition;

struct Op<'a> {
    base: &'a str,
    if_exists: bool,
    set: Option<&'a str>,
}

fn split_op(op: &str) -> Op<'_> {
    let (set, rest) = match op.split_once(':') {
        Some((s, r)) if s.eq_ignore_ascii_case("ForAllValues") || s.eq_ignore_ascii_case("ForAnyValue") => (Some(s), r),
        _ => (None, op),
    };
    match rest.strip_suffix("IfExists") {
        Some(b) => Op {
            base: b,
            if_exists: true,
            set,
        },
        None => Op {
            base: rest,
            if_exists: false,
            set,
        },
    }
}

const ROOT_KEYS: &[&str] = &["aws:principalarn", "aws:principaltype", "aws:username", "aws:userid", "aws:arn"];

fn mentions_root(vals: &[String]) -> bool {
    vals.iter().any(|v| v.to_ascii_lowercase().contains("root"))
}

/// Is this condition an attempt to name the root user, and with what result?
pub(super) fn root_condition(c: &Condition) -> Option<(Reach, Vec<Reason>)> {
    let key = c.key.to_ascii_lowercase();
    if !ROOT_KEYS.contains(&key.as_str()) {
        return None;
    }
    let op = split_op(&c.operator);
    let negated = op.base.contains("Not");
    let (vals, mut unknown) = values(&c.values);
    let loc = c.loc.clone();
    let reason = |code, effect, message: String| Reason {
        code,
        effect,
        message,
        loc: loc.clone(),
    };
    match key.as_str() {
        "aws:principalarn" => {
            if !mentions_root(&vals) && unknown.is_none() {
                return None;
            }
            if negated {
                // `ArnNotLike aws:PrincipalArn …:root` exempts root: not a root deny
                return None;
            }
            let mut reasons = Vec::new();
            if let Some(set) = op.set {
                reasons.push(reason(
                    Code::SetOperator,
                    RootEffect::Full,
                    format!("`{set}:` on the single-valued key `{}`: AWS advises against set operators here (with ForAllValues the deny also matches requests without the key)", c.key),
                ));
            }
            let (wild, arn_op, ic) = match op.base {
                "ArnLike" | "ArnEquals" => (true, true, false),
                "StringLike" => (true, false, false),
                "StringEquals" => (false, false, false),
                "StringEqualsIgnoreCase" => (false, false, true),
                other => {
                    reasons.push(reason(
                        Code::WrongOperator,
                        RootEffect::Ineffective,
                        format!(
                            "`{other}` does not compare ARNs or strings, so `{}` never matches the root user",
                            c.key
                        ),
                    ));
                    return Some((Reach::No, reasons));
                }
            };
            if let Some(u) = &unknown {
                reasons.push(reason(
                    Code::UnknownValue,
                    RootEffect::Unknown,
                    format!("the principal values are not known statically: {u}"),
                ));
            }

            let mut best = Reach::No;
            let mut some_why = None;
            for v in &vals {
                if other_placeholder(v) {
                    reasons.push(reason(
                        Code::UnknownValue,
                        RootEffect::Unknown,
                        format!("`{v}` holds a placeholder known only at deployment"),
                    ));
                    unknown.get_or_insert_with(|| "a placeholder".into());
                    continue;
                }
                let (r, why) = reach(v, wild, arn_op, ic);
                if r == Reach::Some && some_why.is_none() {
                    some_why = why;
                }
                best = best.max(r);
            }
            match best {
                Reach::All => {}
                Reach::Some => reasons.push(reason(Code::SomeAccounts, RootEffect::Partial, some_why.unwrap_or_default())),
                Reach::No if unknown.is_some() => {}
                Reach::No => {
                    let wild_literal = !wild && vals.iter().any(|v| v.contains(['*', '?']));
                    let msg = if wild_literal {
                        format!(
                            "`{}` compares `*` literally, so `{}` never matches a real root ARN (use `ArnLike`)",
                            op.base,
                            vals.join("`, `")
                        )
                    } else {
                        format!(
                            "no value matches a root ARN `arn:<partition>:iam::<account>:root`: `{}`",
                            vals.join("`, `")
                        )
                    };
                    reasons.push(reason(
                        if wild_literal {
                            Code::StringEqualsWildcard
                        } else {
                            Code::NoRootMatch
                        },
                        RootEffect::Ineffective,
                        msg,
                    ));
                }
            }
            let _ = op.if_exists; // the key is always present for IAM principals
            Some((
                if unknown.is_some() && best == Reach::No {
                    Reach::Some
                } else {
                    best
                },
                reasons,
            ))
        }
        "aws:principaltype" => {
            if negated {
                return None;
            }
            let ic = op.base.ends_with("IgnoreCase");
            let ok = vals.iter().any(|v| {
                if ic {
                    v.eq_ignore_ascii_case("Account")
                } else if op.base == "StringLike" {
                    matches(v, "Account")
                } else {
                    v == "Account"
                }
            });
            if ok && (op.base.starts_with("StringEquals") || op.base == "StringLike") {
                Some((Reach::All, Vec::new()))
            } else if unknown.is_some() {
                Some((
                    Reach::Some,
                    vec![reason(
                        Code::UnknownValue,
                        RootEffect::Unknown,
                        "the principal type is not known statically".into(),
                    )],
                ))
            } else {
                Some((
                    Reach::No,
                    vec![reason(
                        Code::WrongKey,
                        RootEffect::Ineffective,
                        format!(
                            "`aws:PrincipalType` of the root user is `Account`, so `{} {}` never matches it",
                            op.base,
                            vals.join(", ")
                        ),
                    )],
                ))
            }
        }
        _ => {
            if negated || !(mentions_root(&vals)) {
                return None;
            }
            let why = match key.as_str() {
                "aws:username" => "`aws:username` is not present in requests made by the root user",
                "aws:userid" => "`aws:userid` of the root user is the account id, never `root`",
                _ => "`aws:ARN` is not an IAM condition key",
            };
            Some((
                Reach::No,
                vec![reason(
                    Code::WrongKey,
                    RootEffect::Ineffective,
                    format!("{why}, so this condition never matches the root user (use `ArnLike aws:PrincipalArn arn:aws:iam::*:root`)"),
                )],
            ))
        }
    }
}

pub(super) fn other_condition(c: &Condition, reasons: &mut Vec<Reason>) {
    let key = c.key.to_ascii_lowercase();
    let op = split_op(&c.operator);
    let (vals, _) = values(&c.values);
    let is = |v: &str| vals.len() == 1 && vals[0].eq_ignore_ascii_case(v);
    let reason = |code, effect, message: String| Reason {
        code,
        effect,
        message,
        loc: c.loc.clone(),
    };
    if key == "aws:assumedroot" && op.base == "Null" && is("true") {
        return; // deny unless the session comes from sts:AssumeRoot (centralized root access)
    }
    if key == "aws:multifactorauthpresent" {
        if op.base == "Bool" && is("false") {
            reasons.push(reason(
                Code::MfaCondition,
                RootEffect::Partial,
                "denies root only when the request carries no MFA".into(),
            ));
            if !op.if_exists {
                reasons.push(reason(
                    Code::MfaBool,
                    RootEffect::Full,
                    "`Bool` on `aws:MultiFactorAuthPresent` does not match requests signed with long-term root access keys (they carry no MFA key at all); use `BoolIfExists`".into(),
                ));
            }
            return;
        }
        if op.base == "Null" && is("true") {
            reasons.push(reason(
                Code::MfaCondition,
                RootEffect::Partial,
                "denies root only for requests made with long-term access keys".into(),
            ));
            return;
        }
    }
    if key == "aws:principaltype" && op.base.contains("Not") && vals.iter().any(|v| v.eq_ignore_ascii_case("Account")) {
        // the root user's principal type is `Account`: this exempts it again
        reasons.push(reason(
            Code::RootExempted,
            RootEffect::Ineffective,
            format!("`{} {} Account` exempts the root user again", c.operator, c.key),
        ));
        return;
    }
    if key == "aws:principalarn" && op.base.contains("Not") {
        // exemptions of other principals (roles) do not narrow what root is denied, unless they also cover root
        let exempts_root = vals.iter().any(|v| matches_some_root(v));
        if exempts_root {
            reasons.push(reason(
                Code::RootExempted,
                RootEffect::Ineffective,
                format!("`{} {}` exempts the root user again", c.operator, c.key),
            ));
        }
        return;
    }
    reasons.push(reason(
        Code::ExtraCondition,
        RootEffect::Partial,
        format!("denies root only when `{} {}` also holds", c.operator, c.key),
    ));
}
