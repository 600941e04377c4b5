//! Documents held in a property (a template body, a policy's content): a string written in the
//! file, whose positions are exact, or a value computed by intrinsic functions, whose positions
//! are all the property's.

use super::diagnostics;
use crate::model::eval::Cfn;
use crate::model::{Loc, Model};
use crate::parse::embedded;
use crate::parse::tree::{Node, Value};
use crate::parse::{Parsed, json, yaml};
use crate::source::Span;

/// Parse a template held in a property: a string written in this file (positions exact), or a
/// string computed by intrinsics (positions at the property). Its parse diagnostics join the
/// model; the error is the reason the template cannot be read.
pub(super) fn read_template(text: &str, raw: &Node, cfn: &Cfn<'_>, loc: &Loc, model: &mut Model) -> Result<Node, String> {
    let parsed: Parsed = match &raw.value {
        Value::String(s) => embedded::parse_string_node(text, raw, s),
        _ => match cfn.eval(raw) {
            Some(Node {
                value: Value::String(s), ..
            }) if !s.contains("${") => {
                let p = match embedded::sniff(&s) {
                    embedded::Syntax::Json => json::parse(raw.span.file, &s, 0),
                    embedded::Syntax::Yaml => yaml::parse(raw.span.file, &s, 0),
                };
                computed(p, raw.span)
            }
            Some(Node {
                value: Value::Unknown(u), ..
            }) => return Err(u.reason),
            Some(Node {
                value: Value::String(_), ..
            }) => return Err("the template is built from values known only at deployment".into()),
            Some(n) if n.as_map().is_some() => return Ok(n),
            Some(n) => return Err(format!("the template is a {}, not a string", n.kind_name())),
            None => return Err("the template is AWS::NoValue".into()),
        },
    };
    let failed = parsed.root.is_none();
    diagnostics(parsed.diagnostics, true, model);
    match parsed.root {
        Some(root) if !failed => Ok(root),
        _ => Err(format!("the template in `{}` could not be read", loc.path)),
    }
}

/// A document parsed from computed text: every position is `whole`, the property that computes it.
pub(super) fn computed(mut p: Parsed, whole: Span) -> Parsed {
    if let Some(root) = p.root.as_mut() {
        root.remap_spans(&|_| whole);
    }
    for d in &mut p.diagnostics {
        d.span = whole;
    }
    p
}
