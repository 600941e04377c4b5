//! The Terraform functions landing zones use, with Terraform's semantics.

use std::collections::BTreeSet;

use super::error::{EvalError, FunctionError};
use super::eval::{Env, to_text};
use crate::parse::tree::{Entry, Node, Value};
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
        return Ok(Node::new(span, Value::Unknown(crate::limits::spent_reason())));
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
        Value::Unknown(format!(
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

fn call_inner(f: &str, span: Span, args: &[Node], env: &dyn Env) -> R {
    // an unknown argument makes the result unknown (except for the functions that only look at
    // the collection's shape, which Terraform cannot evaluate either)
    if let Some(r) = args.iter().find_map(Node::contains_unknown) {
        if !matches!(
            f,
            "coalesce" | "concat" | "merge" | "compact" | "flatten" | "distinct" | "tolist" | "toset"
        ) {
            return Ok(Node::new(span, Value::Unknown(r.to_owned())));
        }
        if args.iter().any(Node::is_unknown) {
            return Ok(Node::new(span, Value::Unknown(r.to_owned())));
        }
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
        return Ok(Node::new(span, Value::Unknown(format!("`{f}` of a value known only after apply"))));
    }
    match f {
        "jsonencode" => {
            let x = arg(args, 0, f)?;
            // the text, and the structure kept beside it
            if !crate::limits::charge_copy(x, span) || !crate::limits::charge_copy(x, span) {
                return Ok(Node::new(span, Value::Unknown(crate::limits::spent_reason())));
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
                return Ok(Node::new(span, Value::Unknown(crate::limits::spent_reason())));
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
                return Ok(Node::new(span, Value::Unknown(crate::limits::spent_reason())));
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
                return Ok(Node::new(span, Value::Unknown(crate::limits::spent_reason())));
            }
            Ok(s(span, t))
        }
        "fileexists" => {
            let p = text(arg(args, 0, f)?, f)?;
            let read = env.read_file(&p, span);
            if !crate::limits::charge_bytes(read.as_ref().map_or(0, String::len), span) {
                return Ok(Node::new(span, Value::Unknown(crate::limits::spent_reason())));
            }
            Ok(Node::new(span, Value::Bool(read.is_ok())))
        }
        "templatefile" => {
            let p = text(arg(args, 0, f)?, f)?;
            let t = env.read_file(&p, span)?;
            if !crate::limits::charge_bytes(t.len(), span) {
                return Ok(Node::new(span, Value::Unknown(crate::limits::spent_reason())));
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
                return Ok(Node::new(span, Value::Unknown(crate::limits::spent_reason())));
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
            fn flat(x: &Node, out: &mut Vec<Node>) {
                match &x.value {
                    Value::Seq(v) => v.iter().for_each(|i| flat(i, out)),
                    _ => out.push(x.clone()),
                }
            }
            let mut out = Vec::new();
            for i in list(arg(args, 0, f)?, f)? {
                flat(&i, &mut out);
            }
            Ok(Node::new(span, Value::Seq(out)))
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
                if a.is_unknown() {
                    return Ok(a.clone());
                }
                if !matches!(&a.value, Value::Null) && to_text(a).is_none_or(|t| !t.is_empty()) {
                    return Ok(a.clone());
                }
            }
            Err(FunctionError::NothingToCoalesce.into())
        }
        "compact" => {
            let l = list(arg(args, 0, f)?, f)?;
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
                    Value::Unknown("`replace` with a regular expression is not evaluated".into()),
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
                Value::Unknown(format!("function `{f}` is not evaluated by rootguard")),
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::error::{EvalError, FileError};
    use super::super::eval::{Env, Eval};
    use crate::parse::tree::Node;
    use crate::source::{FileId, ReadError, Span};

    struct TestEnv;

    impl Env for TestEnv {
        fn is_resource(&self, ty: &str, _: &str) -> bool {
            ty == "aws_organizations_organization"
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
            Ok(Node::new(span, crate::parse::tree::Value::String(out)))
        }
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
}
