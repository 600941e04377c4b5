//! One statement: its grammar (what makes AWS reject the policy) and what it denies root.

use super::super::wildcard::covers_all_actions;
use super::condition::{other_condition, root_condition};
use super::{Code, Reason, RootEffect, StatementFacts, values};
use crate::model::policy::{List, Statement};
use crate::model::{Loc, PVal};

fn list_text(l: &List) -> String {
    let t: Vec<&str> = l.items.iter().filter_map(|i| i.text.as_deref()).collect();
    let mut s = t.iter().take(4).map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ");
    if t.len() > 4 {
        s.push_str(&format!(" and {} more", t.len() - 4));
    }
    s
}

/// Why the `Action` or `Resource` list `l` (the statement's `key`) narrows a root deny: nothing
/// when a value covers everything (`covers`); else the first code of `codes` when the list is not
/// known statically, or the second for a deny of only what it lists (`on`: the word before it).
fn only_some(l: &List, key: &str, covers: impl Fn(&str) -> bool, codes: (Code, Code), on: &str) -> Option<Reason> {
    let (vals, unknown) = values(l);
    if vals.iter().any(|v| covers(v)) {
        return None;
    }
    let (code, effect, message) = match unknown {
        Some(u) => (codes.0, RootEffect::Unknown, format!("`{key}` is not known statically: {u}")),
        None => (
            codes.1,
            RootEffect::Partial,
            format!("denies root only {on}{} (not `*`)", list_text(l)),
        ),
    };
    Some(Reason {
        code,
        effect,
        message,
        loc: l.loc.clone(),
    })
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
        (Some(a), None) => reasons.extend(only_some(
            a,
            "Action",
            covers_all_actions,
            (Code::UnknownAction, Code::SomeActions),
            "",
        )),
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
            let all = |v: &str| v == "*" || v == "arn:*" || v == "arn:*:*:*:*:*";
            reasons.extend(only_some(res, "Resource", all, (Code::UnknownResource, Code::SomeResources), "on "));
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
