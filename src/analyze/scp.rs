//! Does a policy deny member-account root users, and how completely? (aws-facts §2)
//!
//! A statement is a *root deny* only when one of its conditions names the root user: a positive
//! `aws:PrincipalArn` test against a root ARN (`arn:<partition>:iam::<account>:root`), or an
//! attempt to do so with another key (`aws:PrincipalType`, `aws:username`, `aws:userid`,
//! `aws:ARN`). A deny that merely also hits root (a `Deny *` exempting a few roles) is not one.

use super::Code;
use super::wildcard::{arn_matches, covers_all_actions, matches};
use crate::model::policy::{Condition, List, Statement};
use crate::model::{Loc, OrgPolicy, PVal, TargetKind, Targets, Tri};

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
}

const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-eusc",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
];
const SAMPLE_ACCOUNTS: &[&str] = &["000000000000", "123456789012", "999999999999", "987654321098", "555500001111"];

/// Which root principals a value matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    No,
    Some,
    All,
}

fn root_arn(partition: &str, account: &str) -> String {
    format!("arn:{partition}:iam::{account}:root")
}

const MASK: char = '\u{1}';

fn mask_placeholders(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        if let Some(j) = rest[i..].find('}') {
            out.push(MASK);
            rest = &rest[i + j + 1..];
        } else {
            out.push_str(&rest[i..]);
            rest = "";
        }
    }
    out.push_str(rest);
    out
}

/// Does a value hold a placeholder outside the partition and account parts?
fn other_placeholder(v: &str) -> bool {
    let m = mask_placeholders(v);
    let parts: Vec<&str> = m.splitn(6, ':').collect();
    parts.iter().enumerate().any(|(i, p)| i != 1 && i != 4 && p.contains(MASK)) || (parts.len() != 6 && m.contains(MASK))
}

/// How many member-account root users an `aws:PrincipalArn` pattern matches.
fn reach(value: &str, wildcards: bool, arn_op: bool, ignore_case: bool) -> (Reach, Option<String>) {
    // a placeholder in the partition stands for the organization's own partition; placeholders
    // may hold colons (`${AWS::AccountId}`), so they are masked before splitting
    let masked = mask_placeholders(value);
    let mut parts: Vec<String> = masked.splitn(6, ':').map(str::to_owned).collect();
    let mut one_account = false;
    if parts.len() == 6 {
        if parts[1].contains(MASK) {
            parts[1] = "*".into();
        }
        if parts[4].contains(MASK) {
            one_account = true;
        }
    }
    let v = parts.join(":");
    let v = if ignore_case { v.to_lowercase() } else { v };
    let test = |arn: &str| {
        let arn = if ignore_case { arn.to_lowercase() } else { arn.to_owned() };
        if !wildcards {
            v == arn
        } else if arn_op {
            arn_matches(&v, &arn)
        } else {
            matches(&v, &arn)
        }
    };
    if one_account {
        let acct_ok = PARTITIONS.iter().any(|p| {
            let mut q = parts.clone();
            (*p).clone_into(&mut q[1]);
            q[4] = "*".into();
            let pat = q.join(":");
            SAMPLE_ACCOUNTS.iter().all(|a| {
                if arn_op {
                    arn_matches(&pat, &root_arn(p, a))
                } else {
                    matches(&pat, &root_arn(p, a))
                }
            })
        });
        return if acct_ok && wildcards {
            (
                Reach::Some,
                Some(format!(
                    "`{value}` names only the account of the deployment, not every member account"
                )),
            )
        } else {
            (Reach::No, None)
        };
    }
    let mut best = Reach::No;
    for p in PARTITIONS {
        let hits = SAMPLE_ACCOUNTS.iter().filter(|a| test(&root_arn(p, a))).count();
        let r = if hits == SAMPLE_ACCOUNTS.len() {
            Reach::All
        } else if hits > 0 {
            Reach::Some
        } else {
            Reach::No
        };
        best = best.max(r);
    }
    if best == Reach::No {
        // a literal account id: matches that one root user only
        if !wildcards || !value.contains(['*', '?']) {
            let acct = parts.get(4).map_or("", String::as_str);
            if parts.len() == 6
                && parts[5] == "root"
                && acct.len() == 12
                && acct.bytes().all(|b| b.is_ascii_digit())
                && PARTITIONS.contains(&parts[1].as_str())
            {
                return (Reach::Some, Some(format!("`{value}` matches the root user of account {acct} only")));
            }
        }
        return (Reach::No, None);
    }
    let why = (best == Reach::Some).then(|| format!("`{value}` matches the root user of some accounts only"));
    (best, why)
}

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

const ROOT_KEYS: &[&str] = &["aws:principalarn", "aws:principaltype", "aws:username", "aws:userid", "aws:arn"];

fn mentions_root(vals: &[String]) -> bool {
    vals.iter().any(|v| v.to_ascii_lowercase().contains("root"))
}

/// Is this condition an attempt to name the root user, and with what result?
fn root_condition(c: &Condition) -> Option<(Reach, Vec<Reason>)> {
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

fn list_text(l: &List) -> String {
    let t: Vec<&str> = l.items.iter().filter_map(|i| i.text.as_deref()).collect();
    let mut s = t.iter().take(4).map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ");
    if t.len() > 4 {
        s.push_str(&format!(" and {} more", t.len() - 4));
    }
    s
}

/// Grammar errors of a statement: AWS rejects the whole policy for any of them.
#[must_use]
pub fn shape(s: &Statement) -> Vec<Reason> {
    let mut out = Vec::new();
    let mut r = |code, message: String, loc: &Loc| {
        out.push(Reason {
            code,
            effect: RootEffect::Ineffective,
            message,
            loc: loc.clone(),
        });
    };
    match (&s.effect.val, &s.effect.loc) {
        (PVal::Absent, _) => r(Code::NoEffect, "a statement has no `Effect`".into(), &s.loc),
        (PVal::Known(serde_json::Value::String(e)), _) if e == "Deny" || e == "Allow" => {}
        (PVal::Known(v), l) => r(
            Code::BadEffect,
            format!("`Effect` must be `Deny` or `Allow`, not {v}"),
            l.as_ref().unwrap_or(&s.loc),
        ),
        _ => {}
    }
    for (p, name) in [(&s.principal, "Principal"), (&s.not_principal, "NotPrincipal")] {
        if let Some(l) = p {
            r(
                Code::Principal,
                format!("`{name}` is not allowed in an SCP; root is named with `Condition` keys only"),
                l,
            );
        }
    }
    match (&s.action, &s.not_action) {
        (Some(_), Some(na)) => r(
            Code::ActionAndNotAction,
            "`Action` and `NotAction` in one statement".into(),
            &na.loc,
        ),
        (None, None) => r(Code::NoAction, "a statement has neither `Action` nor `NotAction`".into(), &s.loc),
        _ => {}
    }
    if let (Some(_), Some(nr)) = (&s.resource, &s.not_resource) {
        r(
            Code::ResourceAndNotResource,
            "`Resource` and `NotResource` in one statement".into(),
            &nr.loc,
        );
    }
    out
}

/// Analyze one statement.
#[must_use]
pub fn statement(s: &Statement) -> StatementFacts {
    let mut reasons: Vec<Reason> = Vec::new();
    let mut root_conds = Vec::new();
    for c in &s.conditions {
        if let Some((reach, rs)) = root_condition(c) {
            root_conds.push((c, reach));
            reasons.extend(rs);
        }
    }
    if root_conds.is_empty() {
        return StatementFacts {
            index: s.index,
            effect: RootEffect::None,
            reasons: Vec::new(),
        };
    }
    let r = |code, effect, message: String, loc: &Loc| Reason {
        code,
        effect,
        message,
        loc: loc.clone(),
    };
    match (&s.effect.val, &s.effect.loc) {
        (PVal::Known(serde_json::Value::String(e)), Some(l)) if e == "Allow" => {
            reasons.push(r(
                Code::AllowEffect,
                RootEffect::Ineffective,
                "`Effect: Allow` never denies anything: an SCP only limits, so this grants root nothing and takes nothing away".into(),
                l,
            ));
        }
        // a missing or malformed Effect is a grammar error of the whole policy (see `shape`)
        (PVal::Known(_) | PVal::Absent, _) => {}
        (_, l) => reasons.push(r(
            Code::UnknownEffect,
            RootEffect::Unknown,
            "`Effect` is not known statically".into(),
            l.as_ref().unwrap_or(&s.loc),
        )),
    }
    match (&s.action, &s.not_action) {
        (Some(_), Some(_)) | (None, None) => {}
        (None, Some(na)) => {
            if let Some(u) = values(na).1 {
                reasons.push(r(
                    Code::UnknownAction,
                    RootEffect::Unknown,
                    format!("`NotAction` is not known statically: {u}"),
                    &na.loc,
                ));
            } else {
                reasons.push(r(
                    Code::NotAction,
                    RootEffect::Partial,
                    format!("`NotAction` leaves root free to perform {}", list_text(na)),
                    &na.loc,
                ));
            }
        }
        (Some(a), None) => {
            let (vals, unknown) = values(a);
            if vals.iter().any(|v| covers_all_actions(v)) {
            } else if let Some(u) = unknown {
                reasons.push(r(
                    Code::UnknownAction,
                    RootEffect::Unknown,
                    format!("`Action` is not known statically: {u}"),
                    &a.loc,
                ));
            } else {
                reasons.push(r(
                    Code::SomeActions,
                    RootEffect::Partial,
                    format!("denies root only {} (not `*`)", list_text(a)),
                    &a.loc,
                ));
            }
        }
    }
    match (&s.resource, &s.not_resource) {
        (Some(_), Some(_)) => {}
        (None, None) => reasons.push(r(
            Code::NoResource,
            RootEffect::Unknown,
            "the statement has neither `Resource` nor `NotResource`, which AWS may reject".into(),
            &s.loc,
        )),
        (None, Some(nr)) => reasons.push(r(
            Code::NotResource,
            RootEffect::Partial,
            format!("`NotResource` leaves root free on {}", list_text(nr)),
            &nr.loc,
        )),
        (Some(res), None) => {
            let (vals, unknown) = values(res);
            let all = |v: &String| v == "*" || v == "arn:*" || v == "arn:*:*:*:*:*";
            if vals.iter().any(all) {
            } else if let Some(u) = unknown {
                reasons.push(r(
                    Code::UnknownResource,
                    RootEffect::Unknown,
                    format!("`Resource` is not known statically: {u}"),
                    &res.loc,
                ));
            } else {
                reasons.push(r(
                    Code::SomeResources,
                    RootEffect::Partial,
                    format!("denies root only on {} (not `*`)", list_text(res)),
                    &res.loc,
                ));
            }
        }
    }
    for c in &s.conditions {
        if root_conds.iter().any(|(rc, _)| std::ptr::eq(*rc, c)) {
            continue;
        }
        other_condition(c, &mut reasons);
    }
    for (l, p) in &s.problems {
        reasons.push(r(Code::Shape, RootEffect::Unknown, p.clone(), l));
    }
    let effect = [RootEffect::Ineffective, RootEffect::Unknown, RootEffect::Partial]
        .into_iter()
        .find(|e| reasons.iter().any(|x| x.effect == *e))
        .unwrap_or(RootEffect::Full);
    StatementFacts {
        index: s.index,
        effect,
        reasons,
    }
}

fn other_condition(c: &Condition, reasons: &mut Vec<Reason>) {
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
        let exempts_root = vals.iter().any(|v| {
            PARTITIONS.iter().any(|p| {
                SAMPLE_ACCOUNTS
                    .iter()
                    .any(|a| arn_matches(v, &root_arn(p, a)) || matches(v, &root_arn(p, a)))
            })
        });
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

/// Analyze a policy and decide its `root-deny-scp` declaration status.
#[must_use]
pub fn policy(p: &OrgPolicy) -> PolicyFacts {
    let doc = &p.content;
    let mut invalid = Vec::new();
    let decl_loc = p.origin.loc.clone();
    let reason = |code, effect, message: String, loc: &Loc| Reason {
        code,
        effect,
        message,
        loc: loc.clone(),
    };
    let is_scp = match &p.policy_type.val {
        PVal::Absent => Tri::True,
        PVal::Known(serde_json::Value::String(t)) => {
            if t == "SERVICE_CONTROL_POLICY" {
                Tri::True
            } else {
                Tri::False
            }
        }
        _ => Tri::Unknown,
    };
    let statements: Vec<StatementFacts> = doc.statements.iter().map(statement).collect();
    let mut content = statements.iter().map(|s| s.effect).max().unwrap_or(RootEffect::None);
    if doc.unread_statements > 0 {
        // statements not read may deny root, but AWS rejects the policy (see `MAX_STATEMENTS`)
        content = content.max(RootEffect::Ineffective);
    }
    if let Some(u) = &doc.unknown {
        content = RootEffect::Unknown;
        invalid.clear();
        let _ = u;
    }
    if doc.unknown.is_none() {
        match &doc.version.val {
            PVal::Absent => invalid.push(reason(
                Code::NoVersion,
                RootEffect::Ineffective,
                "the policy has no `Version`; every SCP must say `\"Version\": \"2012-10-17\"`".into(),
                &doc.loc,
            )),
            PVal::Known(serde_json::Value::String(v)) if v == "2012-10-17" => {}
            PVal::Known(v) => invalid.push(reason(
                Code::BadVersion,
                RootEffect::Ineffective,
                format!("`Version` is {v}; an SCP must use `2012-10-17`"),
                doc.version.loc.as_ref().unwrap_or(&doc.loc),
            )),
            _ => {}
        }
        if let Some(n) = doc.size_bytes
            && n > MAX_SCP_BYTES
            && is_scp != Tri::False
        {
            invalid.push(reason(
                Code::TooLarge,
                RootEffect::Ineffective,
                format!("the policy is {n} bytes as submitted; an SCP may have at most {MAX_SCP_BYTES}"),
                &doc.loc,
            ));
        }
        for (l, m) in &doc.problems {
            invalid.push(reason(Code::Shape, RootEffect::Ineffective, m.clone(), l));
        }
        if is_scp != Tri::False {
            for s in &doc.statements {
                for mut g in shape(s) {
                    g.message.push_str(": AWS rejects the whole policy");
                    invalid.push(g);
                }
            }
        }
    }
    let warnings: Vec<Reason> = statements
        .iter()
        .flat_map(|s| s.reasons.iter().filter(|r| r.effect == RootEffect::Full).cloned())
        .collect();
    let attached = match &p.targets {
        Targets::List(t) if t.is_empty() => Tri::False,
        Targets::List(t) if t.iter().all(|t| t.kind == TargetKind::Unknown) => Tri::Unknown,
        Targets::List(_) => Tri::True,
        Targets::Unknown { .. } => Tri::Unknown,
    };
    let best_stmt = statements.iter().filter(|s| s.effect == content).min_by_key(|s| s.index);
    let first_of = |e: RootEffect| best_stmt.and_then(|s| s.reasons.iter().find(|r| r.effect == e)).cloned();
    let created = p.origin.created();
    let (status, decisive) = if content == RootEffect::None {
        (None, None)
    } else if created == Tri::False {
        let g = p.origin.deciding_gate();
        (
            Some("switched-off"),
            g.map(|g| reason(Code::SwitchedOff, RootEffect::Ineffective, g.reason.clone(), &g.loc)),
        )
    } else if created == Tri::Unknown {
        let g = p.origin.deciding_gate();
        (
            Some("unknown"),
            g.map(|g| {
                reason(
                    Code::GateUnknown,
                    RootEffect::Unknown,
                    format!("`{}` is not known statically: {}", g.expr, g.reason),
                    &g.loc,
                )
            }),
        )
    } else if content == RootEffect::Unknown {
        let d = doc.unknown.as_ref().map(|u| {
            reason(
                Code::ContentUnknown,
                RootEffect::Unknown,
                format!("the policy content is not known statically: {u}"),
                &doc.loc,
            )
        });
        (Some("unknown"), d.or_else(|| first_of(RootEffect::Unknown)))
    } else if is_scp == Tri::Unknown {
        (
            Some("unknown"),
            Some(reason(
                Code::TypeUnknown,
                RootEffect::Unknown,
                "the policy type is not known statically".into(),
                p.policy_type.loc.as_ref().unwrap_or(&decl_loc),
            )),
        )
    } else if attached == Tri::Unknown {
        let l = match &p.targets {
            Targets::Unknown { loc, reason: why } => reason(
                Code::TargetsUnknown,
                RootEffect::Unknown,
                format!("the attachment targets are not known statically: {why}"),
                loc,
            ),
            Targets::List(t) => reason(
                Code::TargetsUnknown,
                RootEffect::Unknown,
                "no attachment target is a valid root, OU or account id".into(),
                t.first().map_or(&decl_loc, |t| &t.loc),
            ),
        };
        (Some("unknown"), Some(l))
    } else if is_scp == Tri::False {
        let t = p.policy_type.known_text().unwrap_or_default();
        (
            Some("ineffective"),
            Some(reason(
                Code::NotAnScp,
                RootEffect::Ineffective,
                format!("the policy type is `{t}`, not `SERVICE_CONTROL_POLICY`: it does not restrict principals"),
                p.policy_type.loc.as_ref().unwrap_or(&decl_loc),
            )),
        )
    } else if let Some(i) = invalid.first() {
        (Some("ineffective"), Some(i.clone()))
    } else if content == RootEffect::Ineffective {
        (Some("ineffective"), first_of(RootEffect::Ineffective))
    } else if attached == Tri::False {
        let at = best_stmt.and_then(|b| doc.statements.get(b.index)).map_or(&decl_loc, |s| &s.loc);
        (
            Some("unattached"),
            Some(reason(
                Code::Unattached,
                RootEffect::Ineffective,
                "this root deny is in a policy attached to no root, OU or account, so it protects nothing".into(),
                at,
            )),
        )
    } else if content == RootEffect::Partial {
        (Some("partial"), first_of(RootEffect::Partial))
    } else {
        (Some("enforced"), None)
    };
    PolicyFacts {
        is_scp,
        content,
        statements,
        invalid,
        warnings,
        attached,
        status,
        decisive,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, Origin, Prop};
    use crate::parse::json;
    use crate::source::FileId;

    fn facts(src: &str) -> PolicyFacts {
        let root = json::parse(FileId(0), src, 0).root.unwrap();
        let loc = Loc::new(root.span, "");
        let p = OrgPolicy {
            origin: Origin {
                format: Format::PolicyJson,
                name: "t.json".into(),
                loc: loc.clone(),
                via: vec![],
                gates: vec![],
            },
            name: Prop::absent(),
            policy_type: Prop::absent(),
            content: crate::model::PolicyDoc::from_node(&root, &loc, Some(src.len())),
            targets: Targets::List(vec![]),
        };
        policy(&p)
    }

    fn stmt(effect: &str, action: &str, cond: &str) -> String {
        format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"{effect}",{action},"Resource":"*","Condition":{cond}}}]}}"#)
    }

    #[test]
    fn statements_past_the_cap_make_the_policy_rejected_not_missing() {
        let other = r#"{"Effect":"Deny","Action":"s3:x","Resource":"*"}"#;
        let root = r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}"#;
        let n = crate::model::policy::MAX_STATEMENTS + 500;
        // the root deny past the cap: not read, yet the policy counts as an ineffective root deny
        let mut v: Vec<&str> = vec![other; n];
        v[n - 1] = root;
        let src = format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, v.join(","));
        let f = facts(&src);
        assert_eq!(f.statements.len(), crate::model::policy::MAX_STATEMENTS);
        assert_eq!(f.content, RootEffect::Ineffective);
        assert_eq!(f.status, Some("ineffective"));
        assert!(
            f.invalid
                .iter()
                .any(|r| r.message.contains(&format!("the policy has {n} statements")))
        );
    }

    #[test]
    fn canonical_root_deny_is_full_and_unattached() {
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"ArnLike":{"aws:PrincipalArn":["arn:aws:iam::*:root"]}}"#,
        ));
        assert_eq!(f.content, RootEffect::Full);
        assert_eq!(f.status, Some("unattached"));
    }

    #[test]
    fn key_names_are_case_insensitive_and_stringlike_works() {
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"StringLike":{"aws:PrincipalARN":"arn:*:iam::*:root"}}"#,
        ));
        assert_eq!(f.content, RootEffect::Full);
    }

    #[test]
    fn string_equals_with_wildcard_is_ineffective() {
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}"#,
        ));
        assert_eq!(f.content, RootEffect::Ineffective);
        assert_eq!(f.status, Some("ineffective"));
        assert_eq!(f.decisive.unwrap().code, Code::StringEqualsWildcard);
    }

    #[test]
    fn arn_equals_honours_wildcards() {
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}"#,
        ));
        assert_eq!(f.content, RootEffect::Full);
    }

    #[test]
    fn allow_principal_type_and_username_are_ineffective() {
        for (e, c) in [
            ("Allow", r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}"#),
            ("Deny", r#"{"StringEquals":{"aws:PrincipalType":"Root"}}"#),
            ("Deny", r#"{"StringEquals":{"aws:username":"root"}}"#),
        ] {
            assert_eq!(facts(&stmt(e, r#""Action":"*""#, c)).content, RootEffect::Ineffective, "{e} {c}");
        }
        assert_eq!(
            facts(&stmt(
                "Deny",
                r#""Action":"*""#,
                r#"{"StringEquals":{"aws:PrincipalType":"Account"}}"#
            ))
            .content,
            RootEffect::Full
        );
    }

    #[test]
    fn narrowing_is_partial() {
        for (a, c) in [
            (
                r#""NotAction":["s3:GetBucketPolicy"]"#,
                r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}"#,
            ),
            (r#""Action":"iam:*""#, r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}"#),
            (
                r#""Action":"*""#,
                r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:root"}}"#,
            ),
            (
                r#""Action":"*""#,
                r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}"#,
            ),
            (
                r#""Action":"*""#,
                r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}"#,
            ),
        ] {
            assert_eq!(facts(&stmt("Deny", a, c)).content, RootEffect::Partial, "{a} {c}");
        }
    }

    #[test]
    fn assumed_root_exemption_is_not_narrowing() {
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"Null":{"aws:AssumedRoot":"true"}}"#,
        ));
        assert_eq!(f.content, RootEffect::Full);
    }

    #[test]
    fn bool_mfa_warns() {
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"Bool":{"aws:MultiFactorAuthPresent":"false"}}"#,
        ));
        assert_eq!(f.content, RootEffect::Partial);
        assert!(f.warnings.iter().any(|w| w.code == Code::MfaBool));
    }

    #[test]
    fn no_root_condition_is_not_a_root_deny() {
        let f = facts(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::*:root"}]}"#,
        );
        assert_eq!(f.content, RootEffect::None);
        assert_eq!(f.status, None);
    }

    #[test]
    fn missing_version_and_principal_make_it_ineffective() {
        let f = facts(
            r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}"#,
        );
        assert_eq!(f.status, Some("ineffective"));
        let f = facts(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}"#,
        );
        // rejected as a whole: reported once, as a grammar error of the policy
        assert_eq!(f.status, Some("ineffective"));
        assert_eq!(f.decisive.unwrap().code, Code::Principal);
    }

    #[test]
    fn a_grammar_error_in_any_statement_rejects_the_policy() {
        let root = r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}"#;
        for other in [
            r#"{"Effect":"Deny","Action":"s3:*","NotAction":"s3:Get*","Resource":"*"}"#,
            r#"{"Action":"s3:*","Resource":"*"}"#,
        ] {
            let f = facts(&format!(r#"{{"Version":"2012-10-17","Statement":[{root},{other}]}}"#));
            assert_eq!(f.status, Some("ineffective"), "{other}");
        }
    }

    #[test]
    fn unknown_targets_come_before_ineffective_content() {
        // the contract's order: unknown before ineffective
        let src = &stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}"#,
        );
        let root = json::parse(FileId(0), src, 0).root.unwrap();
        let loc = Loc::new(root.span, "");
        let p = OrgPolicy {
            origin: Origin {
                format: Format::CloudFormation,
                name: "p".into(),
                loc: loc.clone(),
                via: vec![],
                gates: vec![],
            },
            name: Prop::absent(),
            policy_type: Prop::absent(),
            content: crate::model::PolicyDoc::from_node(&root, &loc, Some(src.len())),
            targets: Targets::Unknown {
                reason: "a parameter without default".into(),
                loc,
            },
        };
        assert_eq!(policy(&p).status, Some("unknown"));
    }

    #[test]
    fn partition_placeholder_counts_as_every_account() {
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:${PARTITION}:iam::*:root"}}"#,
        ));
        assert_eq!(f.content, RootEffect::Full);
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::${AWS::AccountId}:root"}}"#,
        ));
        assert_eq!(f.content, RootEffect::Partial);
    }
}
