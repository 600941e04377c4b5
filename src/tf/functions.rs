//! The Terraform functions landing zones use, with Terraform's semantics.

use std::collections::BTreeSet;

use super::error::{EvalError, FunctionError};
use super::eval::{Env, to_text};
use crate::parse::tree::{Entry, Is, Node, Unknown, Value};
use crate::source::Span;

type R = Result<Node, EvalError>;

fn s(span: Span, v: impl Into<String>) -> Node {
    Node::new(span, Value::String(v.into()))
}

fn n(span: Span, v: usize) -> Node {
    Node::new(span, Value::Number(v.to_string()))
}

fn text(x: &Node, f: &str) -> Result<String, FunctionError> {
    to_text(x).ok_or_else(|| FunctionError::ArgumentType {
        function: f.to_owned(),
        expected: "a string",
        got: x.kind_name(),
    })
}

fn list(x: &Node, f: &str) -> Result<Vec<Node>, FunctionError> {
    match &x.value {
        Value::Seq(v) => Ok(v.clone()),
        _ => Err(FunctionError::ArgumentType {
            function: f.to_owned(),
            expected: "a list",
            got: x.kind_name(),
        }),
    }
}

fn arg<'a>(args: &'a [Node], i: usize, f: &str) -> Result<&'a Node, FunctionError> {
    args.get(i).ok_or_else(|| FunctionError::MissingArgument {
        function: f.to_owned(),
        count: i + 1,
    })
}

/// `f` refuses an argument that is not `what`.
fn needs(f: &str, what: &'static str) -> FunctionError {
    FunctionError::Needs {
        function: f.to_owned(),
        what,
    }
}

/// Distinct by JSON value, first occurrence kept.
fn distinct(items: Vec<Node>) -> Vec<Node> {
    let mut seen = BTreeSet::new();
    items.into_iter().filter(|x| seen.insert(x.to_json().to_string())).collect()
}

/// JSON as Terraform's `jsonencode` writes it: keys sorted, no blanks.
#[must_use]
pub fn json_text(x: &Node) -> String {
    fn sorted(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(m) => {
                let mut pairs: Vec<(String, serde_json::Value)> = m.into_iter().collect();
                pairs.sort_by(|a, b| a.0.cmp(&b.0));
                serde_json::Value::Object(pairs.into_iter().map(|(k, v)| (k, sorted(v))).collect())
            }
            serde_json::Value::Array(a) => serde_json::Value::Array(a.into_iter().map(sorted).collect()),
            o => o,
        }
    }
    sorted(x.to_json()).to_string()
}

/// Call function `f`. A result larger than the string limit (strings, and lists or maps
/// counted by their elements) is unknown, with a diagnostic: doubling a value through locals
/// must not exhaust memory. The result is charged to the evaluation budget by its size; the
/// functions whose result can be much larger than their arguments check the size before they
/// build it.
pub fn call(f: &str, span: Span, args: &[Node], env: &dyn Env) -> R {
    let out = call_inner(f, span, args, env)?;
    let limit = crate::limits::get().string_bytes;
    let mut budget = limit;
    if over(&out, &mut budget) {
        return Ok(too_large(f, span));
    }
    if !crate::limits::charge_copy(&out, span) {
        return Ok(Node::new(span, Value::unknown(crate::limits::spent_reason())));
    }
    Ok(out)
}

/// The unknown result of `f` when it would be larger than the `string-bytes` limit.
fn too_large(f: &str, span: Span) -> Node {
    let limit = crate::limits::get().string_bytes;
    crate::limits::reached(
        "string-bytes",
        limit as u64,
        span,
        &format!("`{f}` produces a value larger than {limit} bytes; it is unknown"),
    );
    Node::new(
        span,
        Value::unknown(format!(
            "`{f}` produces a value larger than the limit of {limit} bytes (raise --limit string-bytes=N)"
        )),
    )
}

/// Would a result of `bytes` bytes pass the `string-bytes` limit? (checked before it is built)
fn fits(bytes: usize) -> bool {
    bytes <= crate::limits::get().string_bytes
}

/// Does `n` exceed `budget` (32 bytes per value, plus the bytes of its text)? Stops counting
/// once it does.
fn over(n: &Node, budget: &mut usize) -> bool {
    let cost = 32
        + match &n.value {
            Value::String(t) | Value::Number(t) => t.len(),
            _ => 0,
        };
    if cost > *budget {
        return true;
    }
    *budget -= cost;
    match &n.value {
        Value::Seq(items) => items.iter().any(|x| over(x, budget)),
        Value::Map(entries) => entries.iter().any(|e| over(&e.value, budget)),
        _ => false,
    }
}

/// Does `n` hold a value known only after apply anywhere?
fn after_apply(n: &Node) -> bool {
    match &n.value {
        Value::Unknown(u) => u.after_apply,
        Value::Seq(s) => s.iter().any(after_apply),
        Value::Map(m) => m.iter().any(|e| after_apply(&e.value)),
        _ => false,
    }
}

/// Which arguments of `f` must be known for its result to be: `Some(needs)` for the functions
/// that move the elements of their arguments without reading them (an unknown element, and
/// what is known of it, such as being an OU's id, goes through them), where `needs(i, arg)`
/// says whether argument `i` is unknown where its value is read; `None` for every other
/// function, whose result is unknown when any part of any argument is.
fn mover(f: &str) -> Option<fn(usize, &Node) -> bool> {
    let whole = |_: usize, a: &Node| a.is_unknown();
    Some(match f {
        // the arguments' own unknowns are handled one by one
        "coalesce" => |_, _| false,
        // the key or index is read; the map's or list's values are not
        "lookup" | "element" => |i, a| {
            if i == 0 {
                a.is_unknown()
            } else {
                i == 1 && a.contains_unknown().is_some()
            }
        },
        // the keys are read; the values are not
        "zipmap" => |i, a| if i == 0 { a.contains_unknown().is_some() } else { a.is_unknown() },
        "concat" | "merge" | "compact" | "flatten" | "distinct" | "tolist" | "toset" | "one" | "values" | "keys" | "length"
        | "setproduct" | "tomap" | "setunion" => whole,
        _ => return None,
    })
}

/// Can an unknown element be moved by `compact` or `flatten` as it is: an id (never null, never
/// empty, never a list) or a resource's object (never a list)?
fn settled(u: &crate::parse::tree::Unknown) -> bool {
    matches!(u.is, Is::Id(_) | Is::Object(_))
}

fn call_inner(f: &str, span: Span, args: &[Node], env: &dyn Env) -> R {
    // an unknown argument makes the result unknown, except where it is moved, not read
    let unread = |i: usize, a: &Node| match mover(f) {
        Some(needs) => !needs(i, a),
        None => a.contains_unknown().is_none(),
    };
    if let Some(a) = args.iter().enumerate().find(|(i, a)| !unread(*i, a)).map(|(_, a)| a) {
        // unknown in Terraform too: known only after apply when what it reads is
        let u = match a.as_unknown() {
            Some(u) => u.derived(),
            None => Unknown::new(a.contains_unknown().unwrap_or_default()).after_apply(after_apply(a)),
        };
        return Ok(Node::new(span, u.into()));
    }
    // a partly known string is kept by the functions that build strings; for the others it is
    // as unknown as its unknown part
    if !matches!(
        f,
        "jsonencode"
            | "format"
            | "join"
            | "lower"
            | "upper"
            | "trimspace"
            | "concat"
            | "merge"
            | "tolist"
            | "toset"
            | "compact"
            | "flatten"
            | "distinct"
            | "coalesce"
            | "tostring"
    ) && args.iter().any(super::eval::is_partial)
    {
        return Ok(Node::new(span, Value::unknown(format!("`{f}` of a value known only after apply"))));
    }
    match f {
        "jsonencode" => {
            let x = arg(args, 0, f)?;
            // the text, and the structure kept beside it
            if !crate::limits::charge_copy(x, span) || !crate::limits::charge_copy(x, span) {
                return Ok(Node::new(span, Value::unknown(crate::limits::spent_reason())));
            }
            let mut out = s(span, json_text(x));
            // keep the structure (with its spans) for policy analysis
            env.keep_structured(span, x.clone());
            out.span = span;
            Ok(out)
        }
        "jsondecode" => {
            let t = text(arg(args, 0, f)?, f)?;
            // a value per two bytes at most: paid before the parser builds them
            if !crate::limits::charge(crate::limits::VALUE.saturating_mul(t.len() as u64 / 2 + 1), span) {
                return Ok(Node::new(span, Value::unknown(crate::limits::spent_reason())));
            }
            let p = crate::parse::json::parse(span.file, &t, 0);
            match p.root {
                Some(mut root) => {
                    root.remap_spans(&|_| span);
                    Ok(root)
                }
                None => {
                    Err(FunctionError::InvalidJson(p.diagnostics.first().map_or("invalid JSON", |d| d.message.as_str()).to_owned()).into())
                }
            }
        }
        "yamldecode" => {
            let t = text(arg(args, 0, f)?, f)?;
            if !crate::limits::charge(crate::limits::VALUE.saturating_mul(t.len() as u64 / 2 + 1), span) {
                return Ok(Node::new(span, Value::unknown(crate::limits::spent_reason())));
            }
            let p = crate::parse::yaml::parse(span.file, &t, 0);
            match p.root {
                Some(mut root) if p.diagnostics.iter().all(|d| d.level != crate::parse::Level::Error) => {
                    root.remap_spans(&|_| span);
                    Ok(root)
                }
                _ => Err(FunctionError::InvalidYaml.into()),
            }
        }
        "file" => {
            let p = text(arg(args, 0, f)?, f)?;
            let t = env.read_file(&p, span)?;
            if !crate::limits::charge_bytes(t.len(), span) {
                return Ok(Node::new(span, Value::unknown(crate::limits::spent_reason())));
            }
            Ok(s(span, t))
        }
        "fileexists" => {
            let p = text(arg(args, 0, f)?, f)?;
            let read = env.read_file(&p, span);
            if !crate::limits::charge_bytes(read.as_ref().map_or(0, String::len), span) {
                return Ok(Node::new(span, Value::unknown(crate::limits::spent_reason())));
            }
            Ok(Node::new(span, Value::Bool(read.is_ok())))
        }
        "templatefile" => {
            let p = text(arg(args, 0, f)?, f)?;
            let t = env.read_file(&p, span)?;
            if !crate::limits::charge_bytes(t.len(), span) {
                return Ok(Node::new(span, Value::unknown(crate::limits::spent_reason())));
            }
            if t.contains("${") || t.contains("%{") {
                let vars = args.get(1).cloned().unwrap_or_else(|| Node::new(span, Value::Map(Vec::new())));
                return env.render_template(&t, &vars, span);
            }
            Ok(s(span, t))
        }
        "format" => {
            let fmt = text(arg(args, 0, f)?, f)?;
            let mut out = String::new();
            let mut rest = args[1..].iter();
            let mut chars = fmt.chars().peekable();
            while let Some(c) = chars.next() {
                if c != '%' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some('%') => out.push('%'),
                    Some(verb @ ('s' | 'd' | 'v')) => {
                        out.push_str(&rest.next().and_then(to_text).ok_or(FunctionError::FormatArgument { verb })?);
                    }
                    Some('q') => out.push_str(&format!(
                        "{:?}",
                        rest.next().and_then(to_text).ok_or(FunctionError::FormatArgument { verb: 'q' })?
                    )),
                    other => return Err(FunctionError::FormatVerb(other).into()),
                }
            }
            Ok(s(span, out))
        }
        "join" => {
            let sep = text(arg(args, 0, f)?, f)?;
            let mut parts = Vec::new();
            let mut len = 0usize;
            for l in &args[1..] {
                for x in list(l, f)? {
                    let t = text(&x, f)?;
                    len = len.saturating_add(t.len()).saturating_add(sep.len());
                    if !fits(len) {
                        return Ok(too_large(f, span));
                    }
                    parts.push(t);
                }
            }
            Ok(s(span, parts.join(&sep)))
        }
        "split" => {
            let sep = text(arg(args, 0, f)?, f)?;
            let t = text(arg(args, 1, f)?, f)?;
            if sep.is_empty() {
                return Err(FunctionError::EmptySeparator.into());
            }
            let pieces = t.matches(sep.as_str()).count() as u64 + 1;
            if !crate::limits::charge(crate::limits::VALUE.saturating_mul(pieces), span) {
                return Ok(Node::new(span, Value::unknown(crate::limits::spent_reason())));
            }
            Ok(Node::new(span, Value::Seq(t.split(sep.as_str()).map(|p| s(span, p)).collect())))
        }
        "concat" => {
            let mut out = Vec::new();
            for l in args {
                out.extend(list(l, f)?);
            }
            Ok(Node::new(span, Value::Seq(out)))
        }
        "merge" => {
            let mut out = super::eval::Keyed::default();
            for m in args {
                match &m.value {
                    Value::Map(entries) => {
                        for e in entries {
                            out.put(e.clone());
                        }
                    }
                    Value::Null => {}
                    _ => return Err(needs(f, "maps or objects").into()),
                }
            }
            Ok(Node::new(span, Value::Map(out.into_entries())))
        }
        "lookup" => {
            let m = arg(args, 0, f)?;
            let k = text(arg(args, 1, f)?, f)?;
            match m.get(&k) {
                Some(v) => Ok(v.clone()),
                None => args.get(2).cloned().ok_or_else(|| FunctionError::LookupMissing(k).into()),
            }
        }
        "contains" => {
            let l = list(arg(args, 0, f)?, f)?;
            let x = arg(args, 1, f)?.to_json();
            Ok(Node::new(span, Value::Bool(l.iter().any(|i| i.to_json() == x))))
        }
        "length" => {
            let x = arg(args, 0, f)?;
            Ok(n(
                span,
                match &x.value {
                    Value::Seq(v) => v.len(),
                    Value::Map(m) => m.len(),
                    Value::String(t) => t.chars().count(),
                    _ => return Err(FunctionError::LengthOfScalar.into()),
                },
            ))
        }
        "element" => {
            let l = list(arg(args, 0, f)?, f)?;
            let i: usize = text(arg(args, 1, f)?, f)?.parse().map_err(|_| FunctionError::ElementIndex)?;
            if l.is_empty() {
                return Err(FunctionError::ElementOfEmpty.into());
            }
            Ok(l[i % l.len()].clone())
        }
        "flatten" => {
            /// Flatten `x` into `out`; an unknown element that may be a list makes the result
            /// unknown (it is returned).
            fn flat(x: &Node, out: &mut Vec<Node>) -> Option<Unknown> {
                match &x.value {
                    Value::Seq(v) => v.iter().find_map(|i| flat(i, out)),
                    Value::Unknown(u) if !settled(u) => Some(u.derived()),
                    _ => {
                        out.push(x.clone());
                        None
                    }
                }
            }
            let mut out = Vec::new();
            for i in list(arg(args, 0, f)?, f)? {
                if let Some(u) = flat(&i, &mut out) {
                    return Ok(Node::new(span, u.into()));
                }
            }
            Ok(Node::new(span, Value::Seq(out)))
        }
        "setproduct" => {
            let sets = args.iter().map(|a| list(a, f)).collect::<Result<Vec<_>, _>>()?;
            if sets.is_empty() {
                return Err(FunctionError::MissingArgument {
                    function: f.to_owned(),
                    count: 1,
                }
                .into());
            }
            // every combination, the first set varying slowest; its size checked first
            let total = sets.iter().try_fold(1usize, |n, s| n.checked_mul(s.len()));
            if total.is_none_or(|n| !fits(n.saturating_mul(32).saturating_mul(sets.len() + 1))) {
                return Ok(too_large(f, span));
            }
            let mut out: Vec<Vec<Node>> = vec![Vec::new()];
            for set in &sets {
                out = out
                    .into_iter()
                    .flat_map(|prefix| {
                        set.iter().map(move |x| {
                            let mut p = prefix.clone();
                            p.push(x.clone());
                            p
                        })
                    })
                    .collect();
            }
            Ok(Node::new(
                span,
                Value::Seq(out.into_iter().map(|p| Node::new(span, Value::Seq(p))).collect()),
            ))
        }
        "distinct" | "toset" => Ok(Node::new(
            span,
            Value::Seq(distinct(match &arg(args, 0, f)?.value {
                Value::Seq(v) => v.clone(),
                _ => return Err(needs(f, "a list").into()),
            })),
        )),
        "tolist" => Ok(Node::new(span, Value::Seq(list(arg(args, 0, f)?, f)?))),
        "keys" => {
            let m = arg(args, 0, f)?;
            let mut k: Vec<String> = m.as_map().ok_or_else(|| needs(f, "a map"))?.iter().map(|e| e.key.clone()).collect();
            k.sort();
            Ok(Node::new(span, Value::Seq(k.into_iter().map(|x| s(span, x)).collect())))
        }
        "values" => {
            let m = arg(args, 0, f)?;
            let mut e: Vec<&Entry> = m.as_map().ok_or_else(|| needs(f, "a map"))?.iter().collect();
            e.sort_by(|a, b| a.key.cmp(&b.key));
            Ok(Node::new(span, Value::Seq(e.into_iter().map(|x| x.value.clone()).collect())))
        }
        "tomap" => match &arg(args, 0, f)?.value {
            Value::Map(_) => Ok(args[0].clone()),
            _ => Err(needs(f, "an object").into()),
        },
        "tostring" => {
            let x = arg(args, 0, f)?;
            match &x.value {
                Value::Null => Ok(x.clone()),
                _ => Ok(s(span, text(x, f)?)),
            }
        }
        "tonumber" => {
            let x = arg(args, 0, f)?;
            let t = text(x, f)?;
            t.parse::<f64>()
                .map(|_| Node::new(span, Value::Number(t.clone())))
                .map_err(|_| FunctionError::NotANumber(t.clone()).into())
        }
        "tobool" => match to_text(arg(args, 0, f)?).as_deref() {
            Some("true") => Ok(Node::new(span, Value::Bool(true))),
            Some("false") => Ok(Node::new(span, Value::Bool(false))),
            _ => Err(needs(f, "true or false").into()),
        },
        "coalesce" => {
            for a in args {
                if let Some(u) = a.as_unknown() {
                    // an id is never null or empty: it is the result; another unknown may be
                    return Ok(if u.id_of().is_some() {
                        a.clone()
                    } else {
                        Node::new(span, u.derived().into())
                    });
                }
                if !matches!(&a.value, Value::Null) && to_text(a).is_none_or(|t| !t.is_empty()) {
                    return Ok(a.clone());
                }
            }
            Err(FunctionError::NothingToCoalesce.into())
        }
        "compact" => {
            let l = list(arg(args, 0, f)?, f)?;
            if let Some(u) = l.iter().filter_map(Node::as_unknown).find(|u| !settled(u)) {
                return Ok(Node::new(span, u.derived().into()));
            }
            Ok(Node::new(
                span,
                Value::Seq(
                    l.into_iter()
                        .filter(|x| !matches!(&x.value, Value::Null) && to_text(x).is_none_or(|t| !t.is_empty()))
                        .collect(),
                ),
            ))
        }
        "lower" => Ok(s(span, text(arg(args, 0, f)?, f)?.to_lowercase())),
        "upper" => Ok(s(span, text(arg(args, 0, f)?, f)?.to_uppercase())),
        "trimspace" => Ok(s(span, text(arg(args, 0, f)?, f)?.trim().to_owned())),
        "replace" => {
            let (t, a, b) = (text(arg(args, 0, f)?, f)?, text(arg(args, 1, f)?, f)?, text(arg(args, 2, f)?, f)?);
            if a.len() > 2 && a.starts_with('/') && a.ends_with('/') {
                return Ok(Node::new(
                    span,
                    Value::unknown("`replace` with a regular expression is not evaluated"),
                ));
            }
            if a.is_empty() {
                return Err(FunctionError::EmptyPattern.into());
            }
            let grows = b.len().saturating_sub(a.len()).saturating_mul(t.matches(a.as_str()).count());
            if !fits(t.len().saturating_add(grows)) {
                return Ok(too_large(f, span));
            }
            Ok(s(span, t.replace(&a, &b)))
        }
        "zipmap" => {
            let (k, v) = (list(arg(args, 0, f)?, f)?, list(arg(args, 1, f)?, f)?);
            if k.len() != v.len() {
                return Err(FunctionError::ZipLengths.into());
            }
            let mut out = super::eval::Keyed::default();
            for (k, v) in k.iter().zip(v) {
                if super::eval::is_partial(k) {
                    return Ok(Node::unknown(span, "`zipmap` of a key known only after apply"));
                }
                let key = text(k, f)?;
                out.put(Entry {
                    key,
                    key_span: k.span,
                    value: v,
                });
            }
            Ok(Node::new(span, Value::Map(out.into_entries())))
        }
        "setunion" => {
            let mut out = Vec::new();
            for l in args {
                out.extend(list(l, f)?);
            }
            Ok(Node::new(span, Value::Seq(distinct(out))))
        }
        "range" => {
            let nums: Result<Vec<f64>, FunctionError> = args
                .iter()
                .map(|a| text(a, f)?.parse::<f64>().map_err(|_| needs(f, "numbers")))
                .collect();
            let nums = nums?;
            let (start, end, step) = match nums.as_slice() {
                [e] => (0.0, *e, 1.0),
                [a, b] => (*a, *b, if b >= a { 1.0 } else { -1.0 }),
                [a, b, c] => (*a, *b, *c),
                _ => return Err(FunctionError::RangeArity.into()),
            };
            if step == 0.0 {
                return Err(FunctionError::RangeStep.into());
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                if out.len() >= 1024 {
                    return Err(FunctionError::RangeTooLong.into());
                }
                out.push(Node::new(span, Value::Number(format!("{}", x as i64))));
                x += step;
            }
            Ok(Node::new(span, Value::Seq(out)))
        }
        "one" => {
            let l = list(arg(args, 0, f)?, f)?;
            match l.len() {
                0 => Ok(Node::new(span, Value::Null)),
                1 => Ok(l[0].clone()),
                _ => Err(FunctionError::OneOfMany.into()),
            }
        }
        "startswith" => Ok(Node::new(
            span,
            Value::Bool(text(arg(args, 0, f)?, f)?.starts_with(&text(arg(args, 1, f)?, f)?)),
        )),
        "endswith" => Ok(Node::new(
            span,
            Value::Bool(text(arg(args, 0, f)?, f)?.ends_with(&text(arg(args, 1, f)?, f)?)),
        )),
        _ => env.function(f, args, span).unwrap_or_else(|| {
            Ok(Node::new(
                span,
                Value::unknown(format!("function `{f}` is not evaluated by rootguard")),
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::error::{EvalError, FileError};
    use super::super::eval::{Env, Eval};
    use crate::parse::tree::{Entry, IdOf, Is, Node, Object, Unknown, Value};
    use crate::source::{FileId, ReadError, Span};

    struct TestEnv;

    impl Env for TestEnv {
        fn resource(&self, ty: &str, name: &str, _: usize, at: Span) -> Option<Node> {
            test_resource(ty, name, at)
        }
        fn read_file(&self, p: &str, _: Span) -> Result<String, FileError> {
            match p {
                "./policy.json" => Ok("{\"Version\": \"2012-10-17\"}".into()),
                "./scp.tftpl" => Ok("arn:${partition}:iam::*:root".into()),
                _ => Err(FileError::Unreadable {
                    path: p.into(),
                    error: ReadError::Missing,
                }),
            }
        }
        fn path(&self, _: &str) -> Option<String> {
            Some(".".into())
        }
        fn render_template(&self, text: &str, vars: &Node, span: Span) -> Result<Node, EvalError> {
            // the real renderer is the module instance's; enough for the test
            let mut out = text.to_owned();
            for e in vars.as_map().unwrap_or_default() {
                out = out.replace(&format!("${{{}}}", e.key), e.value.as_str().unwrap_or(""));
            }
            Ok(Node::new(span, Value::String(out)))
        }
    }

    /// An apply-time id of kind `k` for `address`.
    fn id(at: Span, address: &str, k: IdOf) -> Node {
        Node::new(
            at,
            Unknown::new(format!("`{address}` is known after apply"))
                .after_apply(true)
                .is(Is::Id(k))
                .into(),
        )
    }

    /// An object of a resource at `address` with attributes `attrs`.
    fn object(at: Span, address: &str, attrs: Vec<(&str, Node)>) -> Node {
        let attrs = attrs
            .into_iter()
            .map(|(k, v)| Entry {
                key: k.into(),
                key_span: at,
                value: v,
            })
            .collect();
        let o = Object {
            address: address.into(),
            after_apply: true,
            attrs,
        };
        Node::new(
            at,
            Unknown::new(format!("`{address}` is known after apply"))
                .after_apply(true)
                .is(Is::Object(Box::new(o)))
                .into(),
        )
    }

    /// The resources of the test module: an organization `this`, OUs `a` and `b`, OUs `each`
    /// (`for_each` over `x` and `y`) and `counted` (`count = 2`), an account `acct` and a
    /// metric filter `f`.
    fn test_resource(ty: &str, name: &str, at: Span) -> Option<Node> {
        let ou = |address: String| object(at, &address, vec![("id", id(at, &format!("{address}.id"), IdOf::Ou))]);
        Some(match (ty, name) {
            ("aws_organizations_organization", "this") => {
                let root = object(
                    at,
                    "aws_organizations_organization.this.roots[0]",
                    vec![("id", id(at, "aws_organizations_organization.this.roots[0].id", IdOf::Root))],
                );
                object(
                    at,
                    "aws_organizations_organization.this",
                    vec![
                        ("id", id(at, "aws_organizations_organization.this.id", IdOf::Organization)),
                        ("roots", Node::new(at, Value::Seq(vec![root]))),
                    ],
                )
            }
            ("aws_organizations_organizational_unit", "a" | "b") => ou(format!("{ty}.{name}")),
            ("aws_organizations_organizational_unit", "each") => Node::new(
                at,
                Value::Map(
                    ["x", "y"]
                        .into_iter()
                        .map(|k| Entry {
                            key: k.into(),
                            key_span: at,
                            value: ou(format!("{ty}.each[{k:?}]")),
                        })
                        .collect(),
                ),
            ),
            ("aws_organizations_organizational_unit", "counted") => {
                Node::new(at, Value::Seq((0..2).map(|i| ou(format!("{ty}.counted[{i}]"))).collect()))
            }
            ("aws_organizations_account", "acct") => object(
                at,
                "aws_organizations_account.acct",
                vec![("id", id(at, "aws_organizations_account.acct.id", IdOf::Account))],
            ),
            ("aws_cloudwatch_log_metric_filter", "f") => {
                let mt = object(
                    at,
                    "aws_cloudwatch_log_metric_filter.f.metric_transformation[0]",
                    vec![
                        ("name", Node::new(at, Value::String("RootUsage".into()))),
                        ("namespace", Node::new(at, Value::String("CIS".into()))),
                    ],
                );
                object(
                    at,
                    "aws_cloudwatch_log_metric_filter.f",
                    vec![
                        ("id", Node::new(at, Value::String("root-usage".into()))),
                        ("metric_transformation", Node::new(at, Value::Seq(vec![mt]))),
                    ],
                )
            }
            _ => return None,
        })
    }

    fn ev(src: &str) -> serde_json::Value {
        let e = hcl_edit::parser::parse_expr(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        Eval::new(FileId(0), &TestEnv).value(&e).to_json()
    }

    #[test]
    fn every_landing_zone_function() {
        use serde_json::json;
        let cases: &[(&str, serde_json::Value)] = &[
            (r#"jsonencode({b = 1, a = ["x"]})"#, json!(r#"{"a":["x"],"b":1}"#)),
            (r#"jsondecode("{\"a\": [1, true]}")"#, json!({"a": [1, true]})),
            (r#"yamldecode("a: [1, x]")"#, json!({"a": [1, "x"]})),
            (r#"file("./policy.json")"#, json!("{\"Version\": \"2012-10-17\"}")),
            (r#"templatefile("./scp.tftpl", {partition = "aws"})"#, json!("arn:aws:iam::*:root")),
            (r#"fileexists("./policy.json")"#, json!(true)),
            (r#"fileexists("./nope.json")"#, json!(false)),
            (r#"format("%s-%d-%q", "a", 2, "b")"#, json!("a-2-\"b\"")),
            (r#"join("-", ["a", "b"], ["c"])"#, json!("a-b-c")),
            (r#"split(",", "a,b")"#, json!(["a", "b"])),
            (r#"concat(["a"], ["b", "c"])"#, json!(["a", "b", "c"])),
            (r"merge({a = 1, b = 1}, {b = 2})", json!({"a": 1, "b": 2})),
            (r#"lookup({a = "x"}, "b", "d")"#, json!("d")),
            (r#"contains(["a", "b"], "b")"#, json!(true)),
            (r"length({a = 1, b = 2})", json!(2)),
            (r#"element(["a", "b"], 3)"#, json!("b")),
            (r#"flatten([["a"], [["b"]], "c"])"#, json!(["a", "b", "c"])),
            (r#"distinct(["a", "b", "a"])"#, json!(["a", "b"])),
            (r"keys({b = 1, a = 2})", json!(["a", "b"])),
            (r"values({b = 1, a = 2})", json!([2, 1])),
            (r#"tolist(["a"])"#, json!(["a"])),
            (r#"toset(["a", "a"])"#, json!(["a"])),
            (r"tomap({a = 1})", json!({"a": 1})),
            ("tostring(12)", json!("12")),
            (r#"tonumber("12")"#, json!(12)),
            ("try(local.missing, \"fallback\")", json!("fallback")),
            ("can(local.missing)", json!(false)),
            (r#"can("x")"#, json!(true)),
            (r#"coalesce("", "b")"#, json!("b")),
            (r#"compact(["", "a"])"#, json!(["a"])),
            (r#"lower("ROOT")"#, json!("root")),
            (r#"upper("root")"#, json!("ROOT")),
            (r#"replace("a-b", "-", "_")"#, json!("a_b")),
            (r#"trimspace("  a ")"#, json!("a")),
            (r#"zipmap(["a", "b"], [1, 2])"#, json!({"a": 1, "b": 2})),
            (r#"setunion(["a"], ["b", "a"])"#, json!(["a", "b"])),
            ("range(3)", json!([0, 1, 2])),
            (r#"one(["x"])"#, json!("x")),
            ("one([])", json!(null)),
        ];
        for (src, want) in cases {
            assert_eq!(&ev(src), want, "{src}");
        }
    }

    #[test]
    fn unknowns_propagate_and_errors_are_caught() {
        // a resource attribute is known after apply, and so is everything computed from it
        let v = ev(r"upper(aws_organizations_organization.this.id)");
        assert!(v.get("$unknown").is_some(), "{v}");
        let v = ev(r#"true ? "a" : aws_organizations_organization.this.id"#);
        assert_eq!(v, serde_json::json!("a"));
        let v = ev("local.missing");
        assert!(v["$unknown"].as_str().unwrap().contains("evaluation error"), "{v}");
        assert!(ev(r#"file("/etc/passwd")"#).get("$unknown").is_some());
    }

    #[test]
    fn limits_give_unknowns_that_try_and_can_do_not_hide() {
        let ev = |src: &str| crate::limits::scoped(|| ev(src)).0;
        // past the string limit (2 MiB): unknown, and `try` does not fall back to its second
        // argument
        let big = r#"join("", [for i in range(64) : join("", [for j in range(1024) : "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"])])"#;
        let v = ev(&format!("try({big}, \"fallback\")"));
        assert!(v["$unknown"].as_str().unwrap().contains("larger than the limit"), "{v}");
        // `can` of a value not known is not known
        assert!(ev(&format!("can({big})")).get("$unknown").is_some());
        assert_eq!(ev("can(local.missing)"), serde_json::json!(false));
        // sizes are checked before the result is built
        let v = ev(r#"replace(join("", [for i in range(1024) : "abcdefghij"]), "a", join("", [for i in range(1024) : "x"]))"#);
        assert!(v["$unknown"].as_str().unwrap().contains("`replace` produces a value larger"), "{v}");
    }

    #[test]
    fn later_keys_replace_earlier_ones_in_order() {
        assert_eq!(ev(r"merge({a = 1, b = 2}, {a = 3})").to_string(), r#"{"b":2,"a":3}"#);
        assert_eq!(ev(r#"zipmap(["a", "b", "a"], [1, 2, 3])"#).to_string(), r#"{"b":2,"a":3}"#);
        assert_eq!(
            ev(r#"{for s in ["a", "b", "a"] : s => s...}"#),
            serde_json::json!({"a": ["a", "a"], "b": ["b"]})
        );
    }

    #[test]
    fn templates_directives_and_heredocs() {
        assert_eq!(ev(r#""%{ for x in ["a", "b"] }${x},%{ endfor }""#), serde_json::json!("a,b,"));
        assert_eq!(ev(r#""%{ if 1 == 1 }yes%{ else }no%{ endif }""#), serde_json::json!("yes"));
        assert_eq!(ev("<<-EOT\n    a\n      b\n    EOT"), serde_json::json!("a\n  b\n"));
        assert_eq!(
            ev(r#"[for k, v in {a = 1, b = 2} : "${k}${v}" if v > 1]"#),
            serde_json::json!(["b2"])
        );
        assert_eq!(
            ev(r#"{for s in ["a", "b"] : s => upper(s)}"#),
            serde_json::json!({"a": "A", "b": "B"})
        );
        assert_eq!(ev(r"[{a = 1}, {a = 2}][*].a"), serde_json::json!([1, 2]));
    }

    /// What is known of a value, unknowns included: an id as `ou: <reason>` (with ` after
    /// apply` when only apply decides it), a required input as `input: <reason>`, an object
    /// as `object: <address>`, any other unknown as `unknown: <reason>`.
    fn known(n: &Node) -> serde_json::Value {
        use serde_json::Value as J;
        match &n.value {
            Value::Unknown(u) => {
                let apply = if u.after_apply { " after apply" } else { "" };
                J::String(match &u.is {
                    Is::Id(k) => {
                        let k = match k {
                            IdOf::Root => "root",
                            IdOf::Ou => "ou",
                            IdOf::Account => "account",
                            IdOf::Organization => "organization",
                        };
                        format!("{k}{apply}: {}", u.reason)
                    }
                    Is::Input => format!("input{apply}: {}", u.reason),
                    Is::Object(o) => format!("object{apply}: {}", o.address),
                    Is::Any => format!("unknown{apply}: {}", u.reason),
                })
            }
            Value::Seq(s) => J::Array(s.iter().map(known).collect()),
            Value::Map(m) => J::Object(m.iter().map(|e| (e.key.clone(), known(&e.value))).collect()),
            _ => n.to_json(),
        }
    }

    fn sym(src: &str) -> serde_json::Value {
        let e = hcl_edit::parser::parse_expr(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        known(&Eval::new(FileId(0), &TestEnv).value(&e))
    }

    #[test]
    fn apply_time_ids_keep_their_kind() {
        use serde_json::json;
        let ou = |r: &str| format!("ou after apply: `aws_organizations_organizational_unit.{r}.id` is known after apply");
        let (a, b) = (ou("a"), ou("b"));
        let acct = "account after apply: `aws_organizations_account.acct.id` is known after apply";
        let regex = "function `regex` is not evaluated by rootguard";
        let cases: Vec<(&str, serde_json::Value)> = vec![
            // resource attributes: ids by kind, configured values, everything else unknown
            (
                "aws_organizations_organization.this.roots[0].id",
                json!("root after apply: `aws_organizations_organization.this.roots[0].id` is known after apply"),
            ),
            (
                "aws_organizations_organization.this.id",
                json!("organization after apply: `aws_organizations_organization.this.id` is known after apply"),
            ),
            ("aws_organizations_organizational_unit.a.id", json!(a)),
            (
                "aws_organizations_organizational_unit.a.arn",
                json!("unknown after apply: `aws_organizations_organizational_unit.a.arn` is known after apply"),
            ),
            ("aws_organizations_account.acct.id", json!(acct)),
            ("aws_cloudwatch_log_metric_filter.f.id", json!("root-usage")),
            (
                "aws_cloudwatch_log_metric_filter.f.metric_transformation[0].name",
                json!("RootUsage"),
            ),
            (
                "\"${aws_cloudwatch_log_metric_filter.f.metric_transformation.0.namespace}\"",
                json!("CIS"),
            ),
            // collections, attributes and interpolation move them
            ("[aws_organizations_organizational_unit.a.id, \"r-abcd\"]", json!([a, "r-abcd"])),
            ("{ x = aws_organizations_organizational_unit.a.id }.x", json!(a)),
            ("\"${aws_organizations_organizational_unit.a.id}\"", json!(a)),
            ("\"x-${aws_organizations_organizational_unit.a.id}\"", json!("x-${…}")),
            // splats and for expressions over resources with and without count / for_each
            ("aws_organizations_organizational_unit.a[*].id", json!([a])),
            (
                "aws_organizations_organizational_unit.counted[*].id",
                json!([ou("counted[0]"), ou("counted[1]")]),
            ),
            (
                "values(aws_organizations_organizational_unit.each)[*].id",
                json!([ou("each[\"x\"]"), ou("each[\"y\"]")]),
            ),
            (
                "[for o in aws_organizations_organizational_unit.each : o.id]",
                json!([ou("each[\"x\"]"), ou("each[\"y\"]")]),
            ),
            (
                "{for k, o in aws_organizations_organizational_unit.each : k => o.id}",
                json!({"x": ou("each[\"x\"]"), "y": ou("each[\"y\"]")}),
            ),
            ("aws_organizations_organizational_unit.each[\"y\"].id", json!(ou("each[\"y\"]"))),
            ("keys(aws_organizations_organizational_unit.each)", json!(["x", "y"])),
            ("length(aws_organizations_organizational_unit.counted)", json!(2)),
            // conditionals: a known condition picks; an unknown one keeps a kind both share
            ("true ? aws_organizations_organizational_unit.a.id : \"x\"", json!(a)),
            (
                "aws_organizations_organizational_unit.a.id == \"x\" ? aws_organizations_organizational_unit.a.id : aws_organizations_organizational_unit.b.id",
                json!(
                    "ou after apply: the condition is not known statically: `aws_organizations_organizational_unit.a.id` is known after apply"
                ),
            ),
            (
                "regex(\"a\", \"b\") == \"\" ? \"ou-abcd-11111111\" : \"ou-efgh-22222222\"",
                json!(format!("ou: the condition is not known statically: {regex}")),
            ),
            (
                "regex(\"a\", \"b\") == \"\" ? \"r-abcd\" : aws_organizations_organizational_unit.b.id",
                json!(format!("unknown: the condition is not known statically: {regex}")),
            ),
            // the functions that move values
            ("try(aws_organizations_organizational_unit.a.id, \"x\")", json!(a)),
            ("try(local.missing, aws_organizations_account.acct.id)", json!(acct)),
            ("coalesce(aws_organizations_organizational_unit.a.id, \"x\")", json!(a)),
            ("coalesce(\"\", aws_organizations_account.acct.id)", json!(acct)),
            ("coalesce(regex(\"a\", \"b\"), \"x\")", json!(format!("unknown: {regex}"))),
            ("one([aws_organizations_organizational_unit.a.id])", json!(a)),
            (
                "element([aws_organizations_organizational_unit.a.id, aws_organizations_organizational_unit.b.id], 3)",
                json!(b),
            ),
            ("lookup({k = aws_organizations_organizational_unit.a.id}, \"k\")", json!(a)),
            ("lookup({}, \"k\", aws_organizations_account.acct.id)", json!(acct)),
            (
                "flatten([[aws_organizations_organizational_unit.a.id], [[aws_organizations_organizational_unit.b.id]]])",
                json!([a, b]),
            ),
            ("flatten([regex(\"a\", \"b\")])", json!(format!("unknown: {regex}"))),
            ("compact([aws_organizations_organizational_unit.a.id, \"\"])", json!([a])),
            (
                "setproduct([\"p\", \"q\"], [aws_organizations_organizational_unit.a.id])",
                json!([["p", a], ["q", a]]),
            ),
            (
                "toset(concat([aws_organizations_organizational_unit.a.id], [aws_organizations_organizational_unit.a.id]))",
                json!([a]),
            ),
            // a function that reads the value: unknown, and only apply decides it
            (
                "upper(aws_organizations_organizational_unit.a.id)",
                json!("unknown after apply: `aws_organizations_organizational_unit.a.id` is known after apply"),
            ),
            (
                "can(aws_organizations_organizational_unit.a.id)",
                json!("unknown after apply: `aws_organizations_organizational_unit.a.id` is known after apply"),
            ),
            (
                "aws_organizations_organizational_unit.a.id == \"x\"",
                json!("unknown after apply: `aws_organizations_organizational_unit.a.id` is known after apply"),
            ),
        ];
        for (src, want) in &cases {
            assert_eq!(&sym(src), want, "{src}");
        }
    }

    #[test]
    fn count_and_for_each_that_only_apply_decides_are_refused() {
        let refused = |src: &str, count: bool| {
            let e = hcl_edit::parser::parse_expr(src).unwrap_or_else(|e| panic!("{src}: {e}"));
            super::super::eval::refused_at_plan(&Eval::new(FileId(0), &TestEnv).value(&e), count)
        };
        // a set of apply-time ids: Terraform cannot know the instance keys
        assert!(
            refused("toset([aws_organizations_organizational_unit.a.id])", false).is_some_and(|d| d.starts_with("The \"for_each\" set"))
        );
        assert!(
            refused("{for o in aws_organizations_organizational_unit.each : o.id => o}", false)
                .is_some_and(|d| d.starts_with("The \"for_each\" map includes keys"))
        );
        assert!(
            refused(
                "length([for o in aws_organizations_organizational_unit.each : o.id if o.id != \"x\"])",
                true
            )
            .is_some()
        );
        // keys known, values known after apply: fine
        assert_eq!(refused("{a = aws_organizations_organizational_unit.a.id}", false), None);
        assert_eq!(refused("aws_organizations_organizational_unit.each", false), None);
        assert_eq!(refused("length(aws_organizations_organizational_unit.counted)", true), None);
        // not known to rootguard, perhaps known to Terraform at plan: no error
        assert_eq!(refused("toset([regex(\"a\", \"b\")])", false), None);
    }

    #[test]
    fn negative_and_fractional_indexes_are_terraform_errors() {
        let run = |src: &str| {
            let e = hcl_edit::parser::parse_expr(src).unwrap_or_else(|e| panic!("{src}: {e}"));
            let (v, notes) = crate::limits::scoped(|| Eval::new(FileId(0), &TestEnv).value(&e));
            let notes: Vec<(String, std::ops::Range<usize>)> = notes.into_iter().map(|d| (d.message, d.span.range())).collect();
            (known(&v), notes)
        };
        let (v, notes) = run("[\"a\", \"b\"][-1]");
        assert_eq!(
            v,
            serde_json::json!("unknown: evaluation error: invalid index: a negative number is not a valid index for a sequence")
        );
        assert_eq!(
            notes,
            [(
                "Invalid index: The given key does not identify an element in this collection value: a negative number is not a valid index for a sequence. Terraform rejects this configuration; rootguard takes the value as unknown".to_owned(),
                11..13
            )]
        );
        // the fraction is checked before the sign
        let (_, notes) = run("[\"a\", \"b\"][-0.5]");
        assert!(
            notes[0]
                .0
                .contains("indexing a sequence requires a whole number, but the given index has a fractional part"),
            "{notes:?}"
        );
        assert_eq!(notes[0].1, 11..15);
        // caught by `try`: no error, the fallback
        let (v, notes) = run("try([\"a\"][1.5], \"d\")");
        assert_eq!((v, notes.len()), (serde_json::json!("d"), 0));
        // whole numbers index as before
        assert_eq!(run("[\"a\", \"b\"][1.0]").0, serde_json::json!("b"));
    }
}
