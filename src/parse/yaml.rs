//! YAML reader on `saphyr-parser` events, building a spanned tree.
//!
//! `CloudFormation` reads YAML 1.1 without aliases, merge keys or duplicate keys. This reader
//! therefore never expands an alias (an alias bomb costs nothing) and reports each of those
//! constructs as a diagnostic with its position. `CloudFormation` short-form tags (`!Ref`,
//! `!GetAtt a.b`, `!Sub`, …) become their long form (`{"Ref": …}`, `{"Fn::GetAtt": [a, b]}`),
//! spanned over the tagged node.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::tree::{Entry, KeySet, Node, Value};
use super::{Diagnostic, Parsed};
use crate::source::{FileId, Span};

/// Short-form tags and the long-form key they stand for.
pub const CFN_TAGS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("Sub", "Fn::Sub"),
    ("GetAtt", "Fn::GetAtt"),
    ("If", "Fn::If"),
    ("Equals", "Fn::Equals"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("FindInMap", "Fn::FindInMap"),
    ("ImportValue", "Fn::ImportValue"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("GetAZs", "Fn::GetAZs"),
    ("Split", "Fn::Split"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("ForEach", "Fn::ForEach"),
];

/// Converts saphyr's character indexes to byte offsets, walking from the last position.
struct CharCursor<'a> {
    text: &'a str,
    chars: usize,
    bytes: usize,
}

impl CharCursor<'_> {
    fn byte_of(&mut self, char_index: usize) -> usize {
        while self.chars < char_index {
            match self.text[self.bytes..].chars().next() {
                Some(c) => {
                    self.bytes += c.len_utf8();
                    self.chars += 1;
                }
                None => return self.text.len(),
            }
        }
        while self.chars > char_index {
            match self.text[..self.bytes].chars().next_back() {
                Some(c) => {
                    self.bytes -= c.len_utf8();
                    self.chars -= 1;
                }
                None => return 0,
            }
        }
        self.bytes
    }
}

enum Frame {
    Seq {
        node: Node,
        tag: Option<Tag>,
    },
    Map {
        node: Node,
        pending_key: Option<(Node, bool)>,
        keys: KeySet,
        tag: Option<Tag>,
    },
}

/// Parse YAML text. Spans are offset by `base` (the byte position of `text` in its file).
#[must_use]
pub fn parse(file: FileId, text: &str, base: usize) -> Parsed {
    let mut p = read(file, text, base);
    p.diagnostics = super::cap(std::mem::take(&mut p.diagnostics));
    p
}

fn read(file: FileId, text: &str, base: usize) -> Parsed {
    let mut out = Parsed::default();
    let mut cursor = CharCursor { text, chars: 0, bytes: 0 };
    let mut stack: Vec<Frame> = Vec::new();
    let depth_limit = crate::bounds::get().depth;
    let mut documents = 0usize;
    let mk_span = |cursor: &mut CharCursor, s: &saphyr_parser::Span| {
        let a = cursor.byte_of(s.start.index());
        let b = cursor.byte_of(s.end.index());
        Span::new(file, base + a, base + b.max(a))
    };

    for item in Parser::new_from_str(text) {
        let (event, sp) = match item {
            Ok(x) => x,
            Err(e) => {
                let at = cursor.byte_of(e.marker().index());
                out.diagnostics.push(Diagnostic::error(
                    Span::new(file, base + at, base + at),
                    "syntax",
                    format!("invalid YAML: {}", e.info()),
                ));
                out.root = None;
                return out;
            }
        };
        let span = mk_span(&mut cursor, &sp);
        let node = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents == 2 {
                    out.diagnostics.push(Diagnostic::warning(
                        span,
                        "yaml-multiple-documents",
                        "a second YAML document starts here; CloudFormation reads only one, so it is ignored",
                    ));
                }
                continue;
            }
            Event::Scalar(v, style, anchor, tag) => {
                if documents > 1 {
                    continue;
                }
                note_anchor(&mut out, anchor, span);
                let n = Node::new(span, scalar_value(&v, style, tag.as_deref(), span, &mut out));
                apply_tag(n, tag.as_deref(), span, &mut out)
            }
            Event::Alias(_) => {
                if documents > 1 {
                    continue;
                }
                out.diagnostics.push(Diagnostic::error(
                    span,
                    "yaml-alias",
                    "YAML alias: CloudFormation does not support aliases, so this value is not read",
                ));
                Node::new(span, Value::Null)
            }
            Event::SequenceStart(anchor, tag) => {
                if documents > 1 {
                    continue;
                }
                if stack.len() >= depth_limit {
                    return too_deep(out, span, depth_limit);
                }
                note_anchor(&mut out, anchor, span);
                // the tag is applied at the end, when the node is complete
                stack.push(Frame::Seq {
                    node: Node::new(span, Value::Seq(Vec::new())),
                    tag: tag.map(Cow::into_owned),
                });
                continue;
            }
            Event::MappingStart(anchor, tag) => {
                if documents > 1 {
                    continue;
                }
                if stack.len() >= depth_limit {
                    return too_deep(out, span, depth_limit);
                }
                note_anchor(&mut out, anchor, span);
                stack.push(Frame::Map {
                    node: Node::new(span, Value::Map(Vec::new())),
                    pending_key: None,
                    keys: KeySet::default(),
                    tag: tag.map(Cow::into_owned),
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if documents > 1 {
                    continue;
                }
                let Some(frame) = stack.pop() else { continue };
                let (mut node, tag) = match frame {
                    Frame::Seq { node, tag } => (node, tag),
                    Frame::Map {
                        node, pending_key, tag, ..
                    } => {
                        if let Some((k, _)) = pending_key {
                            out.diagnostics
                                .push(Diagnostic::error(k.span, "syntax", "mapping key without a value"));
                        }
                        (node, tag)
                    }
                };
                node.span = node.span.cover(span);
                let span = node.span;
                apply_tag(node, tag.as_ref(), span, &mut out)
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => continue,
        };
        push(&mut stack, &mut out, node);
    }
    if out.root.is_none() && documents <= 1 && out.diagnostics.iter().all(|d| d.code != "syntax") {
        // an empty document
        out.root = Some(Node::new(Span::new(file, base, base), Value::Null));
    }
    out
}

fn note_anchor(out: &mut Parsed, anchor: usize, span: Span) {
    if anchor != 0 {
        out.diagnostics.push(Diagnostic::error(
            span.start_point(),
            "yaml-anchor",
            "YAML anchor: CloudFormation does not support anchors and aliases",
        ));
    }
}

/// Nesting deeper than the limit: the file is not read (later steps recurse over the tree).
fn too_deep(mut out: Parsed, span: Span, limit: usize) -> Parsed {
    out.root = None;
    out.diagnostics.push(Diagnostic::error(
        span,
        "too-deep",
        format!("YAML nested deeper than {limit} levels; not read (raise --limit depth=N)"),
    ));
    out
}

fn push(stack: &mut [Frame], out: &mut Parsed, node: Node) {
    match stack.last_mut() {
        None => {
            if out.root.is_none() {
                out.root = Some(node);
            }
        }
        Some(Frame::Seq { node: seq, .. }) => {
            if let Value::Seq(items) = &mut seq.value {
                items.push(node);
            }
        }
        Some(Frame::Map {
            node: map,
            pending_key,
            keys,
            ..
        }) => match pending_key.take() {
            None => {
                let complex = matches!(node.value, Value::Seq(_) | Value::Map(_));
                *pending_key = Some((node, complex));
            }
            Some((key, complex)) => {
                let Value::Map(entries) = &mut map.value else { return };
                let key_text = match (&key.value, complex) {
                    (_, true) => {
                        out.diagnostics.push(Diagnostic::error(
                            key.span,
                            "yaml-complex-key",
                            format!("a {} used as a mapping key: CloudFormation keys are strings", key.kind_name()),
                        ));
                        return;
                    }
                    (Value::Null, _) => {
                        out.diagnostics
                            .push(Diagnostic::error(key.span, "yaml-null-key", "empty or null mapping key"));
                        return;
                    }
                    _ => key.as_scalar_str().map(Cow::into_owned).unwrap_or_default(),
                };
                if key_text == "<<" {
                    out.diagnostics.push(Diagnostic::error(
                        key.span,
                        "yaml-merge-key",
                        "YAML merge key `<<`: CloudFormation does not support merge keys, so nothing is merged",
                    ));
                }
                if keys.seen(entries, &key_text) {
                    out.diagnostics.push(Diagnostic::error(
                        key.span,
                        "duplicate-key",
                        format!("duplicate key `{key_text}`: the first one is used, this one is ignored"),
                    ));
                    return;
                }
                entries.push(Entry {
                    key: key_text,
                    key_span: key.span,
                    value: node,
                });
            }
        },
    }
}

fn is_core(tag: &Tag, suffix: &str) -> bool {
    (tag.handle == "!!" || tag.handle.starts_with("tag:yaml.org,2002:")) && tag.suffix == suffix
}

fn scalar_value(v: &str, style: ScalarStyle, tag: Option<&Tag>, span: Span, out: &mut Parsed) -> Value {
    if let Some(t) = tag {
        if is_core(t, "str") {
            return Value::String(v.to_owned());
        }
        if t.handle == "!" {
            // CloudFormation tags take their scalar as a string
            return Value::String(v.to_owned());
        }
        if is_core(t, "null") {
            return Value::Null;
        }
        if !(is_core(t, "int") || is_core(t, "float") || is_core(t, "bool")) {
            out.diagnostics.push(Diagnostic::warning(
                span,
                "yaml-unknown-tag",
                format!("unknown YAML tag `{}{}`; the value is read as a string", t.handle, t.suffix),
            ));
            return Value::String(v.to_owned());
        }
    }
    if style != ScalarStyle::Plain {
        return Value::String(v.to_owned());
    }
    resolve_plain(v)
}

/// Resolve a plain scalar (YAML 1.2 core schema, which `CloudFormation` agrees with for the
/// values rootguard reads).
#[must_use]
pub fn resolve_plain(v: &str) -> Value {
    match v {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ if is_number(v) => Value::Number(v.to_owned()),
        _ => Value::String(v.to_owned()),
    }
}

fn is_number(v: &str) -> bool {
    let s = v.strip_prefix(['-', '+']).unwrap_or(v);
    if s.is_empty() {
        return false;
    }
    if let Some(h) = s.strip_prefix("0x") {
        return !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(o) = s.strip_prefix("0o") {
        return !o.is_empty() && o.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if matches!(s, ".inf" | ".Inf" | ".INF") || matches!(v, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mant, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut parts = mant.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    let mant_ok = digits(int) && frac.is_none_or(digits) && !(int.is_empty() && frac.is_none_or(str::is_empty));
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mant_ok && exp_ok
}

fn apply_tag(node: Node, tag: Option<&Tag>, span: Span, out: &mut Parsed) -> Node {
    let Some(t) = tag else { return node };
    if t.handle != "!" {
        return node;
    }
    let Some((_, long)) = CFN_TAGS.iter().find(|(s, _)| *s == t.suffix) else {
        out.diagnostics.push(Diagnostic::warning(
            span,
            "yaml-unknown-tag",
            format!("unknown tag `!{}`; the value is read without it", t.suffix),
        ));
        return node;
    };
    let inner = if *long == "Fn::GetAtt" {
        // `!GetAtt Resource.Attribute` is the scalar form of `[Resource, Attribute]`
        match &node.value {
            Value::String(s) => match s.split_once('.') {
                Some((a, b)) => Node::new(
                    node.span,
                    Value::Seq(vec![
                        Node::new(node.span, Value::String(a.to_owned())),
                        Node::new(node.span, Value::String(b.to_owned())),
                    ]),
                ),
                None => node,
            },
            _ => node,
        }
    } else {
        node
    };
    Node::new(
        span,
        Value::Map(vec![Entry {
            key: (*long).to_owned(),
            key_span: span,
            value: inner,
        }]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Parsed {
        parse(FileId(0), s, 0)
    }

    #[test]
    fn spans_are_byte_ranges_even_after_multibyte_text() {
        let src = "a: \"é\"\nb: x\n";
        let r = p(src);
        let root = r.root.unwrap();
        let b = root.entry("b").unwrap();
        assert_eq!(&src[b.key_span.range()], "b");
        assert_eq!(&src[b.value.span.range()], "x");
    }

    #[test]
    fn short_tags_become_long_form() {
        let r = p("a: !Ref X\nb: !GetAtt R.Arn\nc: !If [C, 1, 2]\nd: !Sub\n  - x\n  - {}\n");
        let root = r.root.unwrap();
        assert_eq!(root.at(&["a", "Ref"]).unwrap().as_str(), Some("X"));
        let ga = root.at(&["b", "Fn::GetAtt"]).unwrap().as_seq().unwrap();
        assert_eq!(ga[1].as_str(), Some("Arn"));
        assert_eq!(root.at(&["c", "Fn::If"]).unwrap().as_seq().unwrap().len(), 3);
        assert!(root.at(&["d", "Fn::Sub"]).unwrap().as_seq().is_some());
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    }

    #[test]
    fn aliases_merges_duplicates_are_diagnosed() {
        let r = p("a: &x 1\nb: *x\nc:\n  <<: {d: 1}\na: 2\n");
        let codes: Vec<_> = r.diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.contains(&"yaml-anchor"));
        assert!(codes.contains(&"yaml-alias"));
        assert!(codes.contains(&"yaml-merge-key"));
        assert!(codes.contains(&"duplicate-key"));
        // the first `a` wins, and the tree still exists
        let root = r.root.unwrap();
        assert_eq!(root.get("a").unwrap().value, Value::Number("1".into()));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let src = "a: [1, 2\nb: c\n";
        let r = p(src);
        assert!(r.root.is_none());
        assert_eq!(r.diagnostics[0].code, "syntax");
    }

    #[test]
    fn plain_scalars_resolve_like_yaml_core() {
        assert_eq!(resolve_plain("123456789012"), Value::Number("123456789012".into()));
        assert_eq!(resolve_plain("1.5e3"), Value::Number("1.5e3".into()));
        assert_eq!(resolve_plain("1.2.3"), Value::String("1.2.3".into()));
        assert_eq!(resolve_plain("yes"), Value::String("yes".into()));
        assert_eq!(resolve_plain("~"), Value::Null);
        assert_eq!(resolve_plain("-"), Value::String("-".into()));
    }
}
