//! Documents held in strings (a conformance-pack `TemplateBody`, an SCP `Content` given as a
//! JSON string): parsed as documents of their own, with every position mapped back into the
//! outer file.
//!
//! The mapping is a list of segments `(offset in the decoded string, offset in the file)`. It is
//! built from the string's source text for the forms that keep a simple correspondence (YAML
//! literal blocks `|`, JSON or YAML double-quoted strings with escapes, single-line plain and
//! single-quoted scalars) and checked against the decoded value. For other forms (folded
//! blocks, multi-line flow scalars) every position maps to the start of the string: the file
//! and the line of the string are still right.

use super::tree::Node;
use super::{Parsed, json, yaml};
use crate::source::Span;

/// Maps offsets in a decoded string to offsets in its file.
#[derive(Debug, Clone)]
pub struct SegMap {
    segs: Vec<(usize, usize)>,
    coarse: bool,
    outer_start: usize,
}

impl SegMap {
    fn coarse(outer_start: usize) -> Self {
        SegMap {
            segs: Vec::new(),
            coarse: true,
            outer_start,
        }
    }

    /// Outer offset of decoded offset `x`.
    #[must_use]
    pub fn map(&self, x: usize) -> usize {
        if self.coarse {
            return self.outer_start;
        }
        let i = self.segs.partition_point(|(inner, _)| *inner <= x);
        match i.checked_sub(1).and_then(|i| self.segs.get(i)) {
            Some((inner, outer)) => outer + (x - inner),
            None => self.outer_start,
        }
    }

    fn map_span(&self, s: Span, outer: &str) -> Span {
        let start = crate::source::floor_char_boundary(outer, self.map(s.start as usize));
        let e = s.end as usize;
        let end = if e <= s.start as usize {
            start
        } else if let Some((_, o)) = self.segs.iter().find(|(inner, _)| *inner == e).filter(|_| !self.coarse) {
            *o
        } else {
            crate::source::ceil_char_boundary(outer, self.map(e - 1) + 1)
        };
        Span::new(s.file, start, end.max(start))
    }

    /// Is every position exact (not just the start of the string)?
    #[must_use]
    pub fn is_exact(&self) -> bool {
        !self.coarse
    }
}

/// Build the map for a string node whose source is `outer[span]` and whose value is `decoded`.
#[must_use]
pub fn seg_map(outer: &str, span: Span, decoded: &str) -> SegMap {
    let start = span.start as usize;
    let raw = outer.get(span.range()).unwrap_or("");
    // skip a tag such as `!Sub ` in front of the scalar
    let (skip, body) = if raw.starts_with('!') {
        match raw.find([' ', '\n', '\t']) {
            Some(i) => {
                let rest = &raw[i..];
                let trimmed = rest.trim_start_matches([' ', '\t']);
                (i + rest.len() - trimmed.len(), trimmed)
            }
            None => return SegMap::coarse(start),
        }
    } else {
        (0, raw)
    };
    let base = start + skip;
    let built = match body.as_bytes().first() {
        Some(b'"') => double_quoted(body, base),
        Some(b'\'') => single_quoted(body, base),
        _ => match block_header(outer, start) {
            Some(b'|') => literal_block(outer, start, span.end as usize),
            Some(_) => None,
            None if !body.contains('\n') => Some((vec![(0, base), (body.len(), base + body.len())], body.to_owned())),
            None => None,
        },
    };
    match built {
        Some((segs, produced)) if produced.trim_end_matches('\n') == decoded.trim_end_matches('\n') => SegMap {
            segs,
            coarse: false,
            outer_start: start,
        },
        _ => SegMap::coarse(start),
    }
}

/// The indicator (`|` or `>`) of the block scalar whose content starts at `content_start`.
fn block_header(outer: &str, content_start: usize) -> Option<u8> {
    let before = outer.get(..content_start)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    if !before[line_start..].bytes().all(|b| b == b' ') {
        return None;
    }
    let head = before[..line_start].trim_end();
    let head = head.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
    match head.as_bytes().last() {
        Some(b'|') => Some(b'|'),
        Some(b'>') => Some(b'>'),
        _ => None,
    }
}

fn literal_block(outer: &str, content_start: usize, end: usize) -> Option<(Vec<(usize, usize)>, String)> {
    let line_start = outer[..content_start].rfind('\n').map_or(0, |i| i + 1);
    let indent = content_start - line_start;
    let content = outer.get(line_start..end.max(line_start))?;
    let mut segs = Vec::new();
    let mut produced = String::with_capacity(content.len());
    let mut off = 0usize;
    for line in content.split('\n') {
        let line_nocr = line.strip_suffix('\r').unwrap_or(line);
        if line_nocr.len() >= indent && line_nocr.as_bytes()[..indent].iter().all(|b| *b == b' ') {
            segs.push((produced.len(), line_start + off + indent));
            produced.push_str(&line_nocr[indent..]);
        } else if !line_nocr.trim().is_empty() {
            break; // less indented: the block ended
        }
        produced.push('\n');
        off += line.len() + 1;
    }
    Some((segs, produced))
}

fn double_quoted(body: &str, base: usize) -> Option<(Vec<(usize, usize)>, String)> {
    let mut segs = Vec::new();
    let mut produced = String::new();
    let bytes = body.as_bytes();
    let mut i = 1; // after the opening quote
    let mut run_open = false;
    while i < bytes.len() {
        let c = body[i..].chars().next()?;
        match c {
            '"' => {
                segs.push((produced.len(), base + i));
                return Some((segs, produced));
            }
            '\n' => return None,
            '\\' => {
                let esc = body[i + 1..].chars().next()?;
                segs.push((produced.len(), base + i));
                run_open = false;
                let len = match esc {
                    'n' => {
                        produced.push('\n');
                        2
                    }
                    't' => {
                        produced.push('\t');
                        2
                    }
                    'r' => {
                        produced.push('\r');
                        2
                    }
                    'b' => {
                        produced.push('\u{8}');
                        2
                    }
                    'f' => {
                        produced.push('\u{c}');
                        2
                    }
                    '0' => {
                        produced.push('\0');
                        2
                    }
                    '"' | '\\' | '/' | ' ' => {
                        produced.push(esc);
                        2
                    }
                    'u' => {
                        let hex = body.get(i + 2..i + 6)?;
                        let cp = u32::from_str_radix(hex, 16).ok()?;
                        if (0xD800..0xDC00).contains(&cp) {
                            let lo = body.get(i + 8..i + 12)?;
                            let lo = u32::from_str_radix(lo, 16).ok()?;
                            let c = char::from_u32(0x10000 + ((cp - 0xD800) << 10) + (lo.checked_sub(0xDC00)?))?;
                            produced.push(c);
                            12
                        } else {
                            produced.push(char::from_u32(cp)?);
                            6
                        }
                    }
                    _ => return None,
                };
                i += len;
            }
            _ => {
                if !run_open {
                    segs.push((produced.len(), base + i));
                    run_open = true;
                }
                produced.push(c);
                i += c.len_utf8();
            }
        }
    }
    None
}

fn single_quoted(body: &str, base: usize) -> Option<(Vec<(usize, usize)>, String)> {
    let mut segs = Vec::new();
    let mut produced = String::new();
    let mut i = 1;
    let mut run_open = false;
    while i < body.len() {
        let c = body[i..].chars().next()?;
        if c == '\n' {
            return None;
        }
        if c == '\'' {
            if body[i + 1..].starts_with('\'') {
                segs.push((produced.len(), base + i));
                run_open = false;
                produced.push('\'');
                i += 2;
                continue;
            }
            segs.push((produced.len(), base + i));
            return Some((segs, produced));
        }
        if !run_open {
            segs.push((produced.len(), base + i));
            run_open = true;
        }
        produced.push(c);
        i += c.len_utf8();
    }
    None
}

/// Which reader an embedded document needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Yaml,
}

/// JSON when the first meaningful character opens an object or array, YAML otherwise.
#[must_use]
pub fn sniff(text: &str) -> Syntax {
    match text.trim_start().as_bytes().first() {
        Some(b'{' | b'[') => Syntax::Json,
        _ => Syntax::Yaml,
    }
}

/// Parse the document held by a string node of file text `outer`.
#[must_use]
pub fn parse_string_node(outer: &str, node: &Node, decoded: &str) -> Parsed {
    let map = seg_map(outer, node.span, decoded);
    let file = node.span.file;
    let mut parsed = match sniff(decoded) {
        Syntax::Json => json::parse(file, decoded, 0),
        Syntax::Yaml => yaml::parse(file, decoded, 0),
    };
    let f = |s: Span| map.map_span(s, outer);
    if let Some(root) = parsed.root.as_mut() {
        root.remap_spans(&f);
    }
    for d in &mut parsed.diagnostics {
        d.span = f(d.span);
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn string_node(outer: &str) -> (Node, String) {
        let p = yaml::parse(FileId(0), outer, 0);
        let root = p.root.unwrap();
        let n = root.get("Body").unwrap().clone();
        let s = n.as_str().unwrap().to_owned();
        (n, s)
    }

    #[test]
    fn literal_block_maps_lines_and_columns() {
        let outer = "Body: |\n  Resources:\n    R:\n      Type: AWS::Config::ConfigRule\nNext: 1\n";
        let (n, s) = string_node(outer);
        let inner = parse_string_node(outer, &n, &s);
        let root = inner.root.unwrap();
        let ty = root.at(&["Resources", "R", "Type"]).unwrap();
        assert_eq!(&outer[ty.span.range()], "AWS::Config::ConfigRule");
    }

    #[test]
    fn json_string_with_escapes_maps_exactly() {
        let outer = "{\"Body\": \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": []}\"}";
        let p = json::parse(FileId(0), outer, 0);
        let root = p.root.unwrap();
        let n = root.get("Body").unwrap();
        let s = n.as_str().unwrap().to_owned();
        let inner = parse_string_node(outer, n, &s);
        let root = inner.root.unwrap();
        let v = root.get("Version").unwrap();
        assert_eq!(&outer[v.span.range()], "\\\"2012-10-17\\\"");
    }

    #[test]
    fn folded_blocks_map_to_the_string_start() {
        let outer = "Body: >\n  {\"a\":\n  1}\n";
        let (n, s) = string_node(outer);
        let inner = parse_string_node(outer, &n, &s);
        let a = inner.root.unwrap();
        assert_eq!(a.span.start, n.span.start);
    }
}
