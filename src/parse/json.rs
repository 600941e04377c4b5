//! Strict JSON reader on `jsonc-parser`'s AST (comments, trailing commas and the other JSONC
//! extensions are errors, as they are for AWS).

use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::tree::{Entry, KeySet, Node, Value};
use super::{Diagnostic, Parsed};
use crate::source::{FileId, Span};

fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// Parse JSON text. Spans are offset by `base`.
#[must_use]
pub fn parse(file: FileId, text: &str, base: usize) -> Parsed {
    let mut p = read(file, text, base);
    p.diagnostics = super::cap(std::mem::take(&mut p.diagnostics));
    p
}

fn read(file: FileId, text: &str, base: usize) -> Parsed {
    let mut out = Parsed::default();
    // the parser recurses: refuse what is nested deeper than the limit before it sees it
    let limit = crate::bounds::get().depth;
    if crate::bounds::bracket_depth(text) > limit {
        out.diagnostics.push(Diagnostic::error(
            Span::new(file, base, base),
            "too-deep",
            format!("JSON nested deeper than {limit} levels; not read (raise --limit depth=N)"),
        ));
        return out;
    }
    match parse_to_ast(text, &CollectOptions::default(), &strict()) {
        Ok(r) => match r.value {
            Some(v) => out.root = Some(convert(file, base, &v, &mut out.diagnostics)),
            None => out.diagnostics.push(Diagnostic::error(
                Span::new(file, base, base),
                "syntax",
                "invalid JSON: the file holds no value",
            )),
        },
        Err(e) => {
            let r = e.range();
            out.diagnostics.push(Diagnostic::error(
                Span::new(file, base + r.start, base + r.end),
                "syntax",
                format!("invalid JSON: {}", e.kind()),
            ));
        }
    }
    out
}

fn convert(file: FileId, base: usize, v: &ast::Value<'_>, diags: &mut Vec<Diagnostic>) -> Node {
    let sp = |r: jsonc_parser::common::Range| Span::new(file, base + r.start, base + r.end);
    match v {
        ast::Value::StringLit(s) => Node::new(sp(s.range), Value::String(s.value.to_string())),
        ast::Value::NumberLit(n) => Node::new(sp(n.range), Value::Number(n.value.to_owned())),
        ast::Value::BooleanLit(b) => Node::new(sp(b.range), Value::Bool(b.value)),
        ast::Value::NullKeyword(n) => Node::new(sp(n.range), Value::Null),
        ast::Value::Array(a) => Node::new(
            sp(a.range),
            Value::Seq(a.elements.iter().map(|e| convert(file, base, e, diags)).collect()),
        ),
        ast::Value::Object(o) => {
            let mut entries: Vec<Entry> = Vec::with_capacity(o.properties.len());
            let mut keys = KeySet::default();
            for p in &o.properties {
                let (key, krange) = match &p.name {
                    ast::ObjectPropName::String(s) => (s.value.to_string(), s.range),
                    ast::ObjectPropName::Word(w) => (w.value.to_owned(), w.range),
                };
                if keys.seen(&entries, &key) {
                    diags.push(Diagnostic::error(
                        sp(krange),
                        "duplicate-key",
                        format!("duplicate key `{key}`: the first one is used, this one is ignored"),
                    ));
                    continue;
                }
                let value = convert(file, base, &p.value, diags);
                entries.push(Entry {
                    key,
                    key_span: sp(krange),
                    value,
                });
            }
            Node::new(sp(o.range), Value::Map(entries))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_duplicates() {
        let src = r#"{"a": "é", "b": [1, true, null], "a": 2}"#;
        let r = parse(FileId(0), src, 0);
        let root = r.root.unwrap();
        let b = root.entry("b").unwrap();
        assert_eq!(&src[b.key_span.range()], "\"b\"");
        assert_eq!(&src[b.value.span.range()], "[1, true, null]");
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code, "duplicate-key");
    }

    #[test]
    fn comments_are_errors() {
        let src = "{\n  // no\n  \"a\": 1\n}";
        let r = parse(FileId(0), src, 0);
        assert!(r.root.is_none());
        assert_eq!(r.diagnostics[0].code, "syntax");
        assert_eq!(r.diagnostics[0].span.start as usize, src.find("//").unwrap());
    }
}
