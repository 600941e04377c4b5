//! Source files, byte spans and the line index.
//!
//! Every position inside rootguard is a byte range into one [`SourceFile`]'s text. Lines and
//! columns are computed only when something is rendered, through the file's [`LineIndex`]:
//! lines are 1-based and split on `\n` (so `\r\n` files work), columns are 1-based and count
//! characters, not bytes.

use std::path::PathBuf;
use std::sync::OnceLock;

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    #[must_use]
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: clamp_u32(start),
            end: clamp_u32(end.max(start)),
        }
    }

    /// A zero-length span at the start of `self`.
    #[must_use]
    pub fn start_point(self) -> Self {
        Span { end: self.start, ..self }
    }

    /// The smallest span covering both (they must be in the same file).
    #[must_use]
    pub fn cover(self, other: Span) -> Self {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    #[must_use]
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn clamp_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// A 1-based line and 1-based character column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Bytes between two character-count checkpoints of a [`LineIndex`].
const CHECKPOINT: usize = 1024;

/// Offsets of line starts, built once per file on first use, and the number of characters
/// before every [`CHECKPOINT`]-th byte, so that a column costs at most a checkpoint's worth of
/// counting however long the line is (a 4 MB one-line file has thousands of positions).
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `chars[k]`: characters in the first `k * CHECKPOINT` bytes.
    chars: Vec<usize>,
}

impl LineIndex {
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let mut chars = Vec::with_capacity(text.len() / CHECKPOINT + 1);
        let mut n = 0;
        chars.push(0);
        for block in text.as_bytes().chunks(CHECKPOINT) {
            n += count_chars(block);
            chars.push(n);
        }
        LineIndex { starts, chars }
    }

    /// Characters in the first `offset` bytes of `text` (`offset` at a char boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let k = offset / CHECKPOINT;
        let base = self.chars.get(k).copied().unwrap_or(0);
        base + text.as_bytes().get(k * CHECKPOINT..offset).map_or(0, count_chars)
    }

    /// Line (0-based) containing `offset`.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte offset where 0-based `line` starts.
    #[must_use]
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(usize::MAX)
    }

    #[must_use]
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and character column of a byte offset (clamped to the text, and moved back
    /// to the nearest character boundary).
    #[must_use]
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let column = self.chars_before(text, offset) - self.chars_before(text, start) + 1;
        LineCol { line: line + 1, column }
    }
}

/// Characters in UTF-8 bytes: the bytes that do not continue a sequence.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| !(0x80..0xC0).contains(*b)).count()
}

fn memchr_iter(needle: u8, hay: &[u8]) -> impl Iterator<Item = usize> + '_ {
    hay.iter().enumerate().filter_map(move |(i, b)| (*b == needle).then_some(i))
}

/// The largest char boundary at or below `offset`, within the text.
#[must_use]
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while o > 0 && !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// The smallest char boundary at or above `offset`, within the text.
#[must_use]
pub fn ceil_char_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while o < text.len() && !text.is_char_boundary(o) {
        o += 1;
    }
    o
}

/// How the bytes of a file were turned into its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

/// One file read from disk (or a synthetic file such as a `--var` value).
#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// Path as read from disk.
    pub path: PathBuf,
    /// Path shown to users: relative to the scan root, with `/` separators.
    pub display: String,
    /// Decoded text. A UTF-8 byte-order mark is kept out of it; offsets are into this text.
    pub text: String,
    pub encoding: Encoding,
    lines: OnceLock<LineIndex>,
}

impl SourceFile {
    #[must_use]
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    #[must_use]
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines().line_col(&self.text, offset)
    }
}

/// All files of one scan, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, path: PathBuf, display: String, text: String, encoding: Encoding) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile {
            id,
            path,
            display,
            text,
            encoding,
            lines: OnceLock::new(),
        });
        id
    }

    /// The file behind `id`.
    ///
    /// # Panics
    /// Never for ids handed out by [`Sources::add`] of this value.
    #[must_use]
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.files.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Start and end positions of a span, for rendering.
    #[must_use]
    pub fn position(&self, span: Span) -> (LineCol, LineCol) {
        let f = self.get(span.file);
        (f.line_col(span.start as usize), f.line_col(span.end as usize))
    }
}

/// Decode file bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM.
///
/// # Errors
/// Returns the byte offset of the first invalid sequence.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), usize> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_owned(), Encoding::Utf8Bom))
            .map_err(|e| e.valid_up_to() + 3);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, u16::from_le_bytes).map(|s| (s, Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, u16::from_be_bytes).map(|s| (s, Encoding::Utf16Be));
    }
    std::str::from_utf8(bytes)
        .map(|s| (s.to_owned(), Encoding::Utf8))
        .map_err(|e| e.valid_up_to())
}

fn decode_utf16(bytes: &[u8], f: fn([u8; 2]) -> u16) -> Result<String, usize> {
    if !bytes.len().is_multiple_of(2) {
        return Err(bytes.len() + 1);
    }
    let units = bytes.chunks_exact(2).map(|c| f([c[0], c[1]]));
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, r) in char::decode_utf16(units).enumerate() {
        match r {
            Ok(c) => out.push(c),
            Err(_) => return Err(i * 2 + 2),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_and_handles_crlf() {
        let text = "a: 1\r\nb: \"é\"\r\nc: x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        let c = text.find("c:").unwrap();
        assert_eq!(idx.line_col(text, c), LineCol { line: 3, column: 1 });
        let after_e = text.find('é').unwrap() + 'é'.len_utf8();
        assert_eq!(idx.line_col(text, after_e), LineCol { line: 2, column: 6 });
        // inside a multi-byte char: moved back to its start
        assert_eq!(idx.line_col(text, after_e - 1), LineCol { line: 2, column: 5 });
        // past the end: clamped
        assert_eq!(idx.line_col(text, 10_000).line, 4);
    }

    #[test]
    fn columns_on_long_lines_match_a_plain_count() {
        // a long line of mixed widths, past several checkpoints, then a short second line
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(if i % 7 == 0 { "é€𝄞" } else { "ab" });
        }
        text.push_str("\nxé\n");
        let idx = LineIndex::new(&text);
        for offset in (0..=text.len()).step_by(97).chain([text.len() - 1, text.len()]) {
            let at = floor_char_boundary(&text, offset);
            let start = idx.line_start(idx.line_of(at));
            let expected = text[start..at].chars().count() + 1;
            assert_eq!(idx.line_col(&text, offset).column, expected, "offset {offset}");
        }
    }

    #[test]
    fn decodes_boms_and_reports_invalid_offsets() {
        assert_eq!(decode(b"\xEF\xBB\xBFab").unwrap(), ("ab".into(), Encoding::Utf8Bom));
        assert_eq!(decode(b"\xFF\xFEa\0b\0").unwrap(), ("ab".into(), Encoding::Utf16Le));
        assert_eq!(decode(b"\xFE\xFF\0a\0b").unwrap(), ("ab".into(), Encoding::Utf16Be));
        assert_eq!(decode(b"ab\xFFcd"), Err(2));
    }
}
