//! What an Organizations policy is attached to (`TargetIds`): the root, OUs, accounts, told
//! apart by the id's shape or by the type of the resource a reference names.

use super::res::Res;
use crate::model::eval::Cfn;
use crate::model::{Loc, Target, TargetKind, Targets};
use crate::parse::tree::{Node, Value};

/// The targets of a policy resource; unknown when the list itself is.
pub(super) fn targets(r: &Res<'_>, cfn: &Cfn<'_>) -> Targets {
    let Some(raw) = r.raw("TargetIds") else {
        return Targets::List(Vec::new());
    };
    let loc = r.loc_of(raw, "TargetIds");
    let items: Vec<Node> = match raw.as_seq() {
        Some(items) => items.to_vec(),
        None => match cfn.eval(raw) {
            Some(n) => match &n.value {
                Value::Seq(items) => items.clone(),
                Value::Unknown(u) => {
                    return Targets::Unknown {
                        reason: u.reason.clone(),
                        loc,
                    };
                }
                _ => vec![n],
            },
            None => return Targets::List(Vec::new()),
        },
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let il = Loc::new(item.span, format!("{}/{i}", loc.path));
        if let Some(kind) = by_reference(item, cfn) {
            out.push(Target::new(kind, expr_text(item), il));
            continue;
        }
        if let Some(v) = cfn.eval(item) {
            let text = v.as_scalar_str().map(std::borrow::Cow::into_owned);
            let kind = text.as_deref().map_or(TargetKind::Unknown, classify_target);
            let mut t = Target::new(kind, text.unwrap_or_else(|| expr_text(item)), il);
            // a value not known is not an invalid id
            t.unknown = v
                .contains_unknown()
                .map(|why| format!("the attachment target `{}` is not known statically: {why}", t.text));
            out.push(t);
        }
    }
    Targets::List(out)
}

/// The kind of a target written as a reference to a resource of this template (`Ref`, its type
/// tells) or to an attribute of one (`Fn::GetAtt`, the attribute tells).
fn by_reference(item: &Node, cfn: &Cfn<'_>) -> Option<TargetKind> {
    match item.as_map() {
        Some([e]) if e.key == "Ref" => e
            .value
            .as_str()
            .and_then(|id| cfn.resource_types.get(id))
            .map(|t| match t.as_str() {
                "AWS::Organizations::OrganizationalUnit" => TargetKind::Ou,
                "AWS::Organizations::Account" => TargetKind::Account,
                _ => TargetKind::Reference,
            }),
        Some([e]) if e.key == "Fn::GetAtt" => {
            let attr = e.value.as_seq().and_then(|s| s.get(1)).and_then(Node::as_str).unwrap_or("");
            Some(match attr {
                "RootId" => TargetKind::Root,
                "AccountId" => TargetKind::Account,
                _ => TargetKind::Reference,
            })
        }
        _ => None,
    }
}

/// The kind of an Organizations target id (`r-…`, `ou-…-…`, a 12-digit account id).
#[must_use]
pub fn classify_target(s: &str) -> TargetKind {
    let lower_alnum = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if let Some(r) = s.strip_prefix("r-")
        && (4..=32).contains(&r.len())
        && lower_alnum(r)
    {
        return TargetKind::Root;
    }
    if let Some(o) = s.strip_prefix("ou-")
        && let Some((a, b)) = o.split_once('-')
        && (4..=32).contains(&a.len())
        && (8..=32).contains(&b.len())
        && lower_alnum(a)
        && lower_alnum(b)
    {
        return TargetKind::Ou;
    }
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        return TargetKind::Account;
    }
    TargetKind::Unknown
}

/// An expression as written, as compact JSON cut at 80 bytes.
fn expr_text(n: &Node) -> String {
    let j = n.to_json_string();
    if j.len() > 80 {
        format!("{}…", &j[..crate::source::floor_char_boundary(&j, 80)])
    } else {
        j
    }
}
