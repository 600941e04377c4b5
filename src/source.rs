//! Source files, byte spans and the line index.
//!
//! Every position inside rootguard is a byte range into one [`SourceFile`]'s text. Lines and
//! columns are computed only when something is rendered, through the file's [`LineIndex`]:
//! lines are 1-based and split on `\n` (so `\r\n` files work), columns are 1-based and count
//! characters, not bytes.

use std::path::{Path, PathBuf};
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
/// before every `CHECKPOINT`-th byte, so that a column costs at most a checkpoint's worth of
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
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
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

/// The scanned paths as canonical directories: what a confined read may reach. A scanned file
/// stands for its directory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roots {
    canon: Vec<PathBuf>,
}

impl Roots {
    /// The canonical directories of `paths`; a path that does not resolve is left out (it
    /// confines nothing, so nothing is read through it).
    #[must_use]
    pub fn new(paths: &[PathBuf]) -> Self {
        let mut canon: Vec<PathBuf> = paths
            .iter()
            .filter_map(|p| {
                let p = if p.as_os_str().is_empty() { Path::new(".") } else { p.as_path() };
                let c = std::fs::canonicalize(p).ok()?;
                if c.is_dir() { Some(c) } else { c.parent().map(Path::to_path_buf) }
            })
            .collect();
        canon.sort();
        canon.dedup();
        Roots { canon }
    }

    /// Is this canonical path at or below a root?
    #[must_use]
    pub fn contain(&self, canonical: &Path) -> bool {
        self.canon.iter().any(|r| canonical.starts_with(r))
    }

    /// The canonical roots.
    #[must_use]
    pub fn dirs(&self) -> &[PathBuf] {
        &self.canon
    }
}

/// Where a read may go.
#[derive(Clone, Copy, Debug)]
pub enum Confine<'a> {
    /// Only to a file whose real path is below one of the roots: a symlink (the file itself or
    /// a directory on the way) that leads outside them is refused.
    Within(&'a Roots),
    /// A path the user named (`--var-file`, `--config`, `--policy`): anywhere, but when it lies
    /// inside one of the roots it is confined like any file of the tree (the tree belongs to
    /// whoever wrote the pull request).
    Named(&'a Roots),
    /// Like `Within`, for a path the walk reached below a root (or a directory already
    /// resolved inside one), which follows no symlink on the way: only the path itself can be
    /// a symlink, and only then is its real path resolved (sparing a `realpath` per file).
    Walked(&'a Roots),
}

/// Why a file was not read. [`ReadError::code`] is the diagnostic code and
/// [`ReadError::reason`] completes a sentence whose subject is the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Not there (or a symlink to nothing).
    Missing,
    /// Its real path is outside the scanned tree; `link` is the symlink on the way that leads
    /// there, if one does below the root.
    Outside {
        link: Option<PathBuf>,
    },
    /// It is a symlink that leads outside the scanned tree.
    LinkOut,
    /// A FIFO, socket, device or directory: never opened.
    NotRegular(&'static str),
    /// More than this many bytes.
    TooLarge(u64),
    /// Not UTF-8 (nor UTF-16 with a byte-order mark): the byte offset of the first bad sequence.
    Encoding(usize),
    Io(String),
}

impl ReadError {
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Missing | ReadError::Io(_) => "io",
            ReadError::Outside { .. } | ReadError::LinkOut => "outside-tree",
            ReadError::NotRegular(_) => "not-regular-file",
            ReadError::TooLarge(_) => "too-large",
            ReadError::Encoding(_) => "encoding",
        }
    }

    /// What is wrong, as the end of a sentence about the file ("`x.tf` is a FIFO, …").
    #[must_use]
    pub fn reason(&self) -> String {
        match self {
            ReadError::Missing => "does not exist".into(),
            ReadError::Outside { link: Some(l) } => format!(
                "goes through a symlink (`{}`) that leads outside the scanned tree; rootguard reads only inside it",
                l.display()
            ),
            ReadError::Outside { link: None } => "is outside the scanned tree; rootguard reads only inside it".into(),
            ReadError::LinkOut => "is a symlink that leads outside the scanned tree; rootguard reads only inside it".into(),
            ReadError::NotRegular(kind) => format!("is {kind}, not a regular file; rootguard reads only regular files"),
            ReadError::TooLarge(max) => format!("is larger than {max} bytes and was not read (raise --max-file-size)"),
            ReadError::Encoding(at) => format!("is not valid UTF-8 (or UTF-16 with a byte-order mark): bad byte sequence at byte {at}"),
            ReadError::Io(e) => format!("could not be read: {e}"),
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason())
    }
}

impl std::error::Error for ReadError {}

/// What a file that is not a regular file is, for messages ("a FIFO").
#[must_use]
pub fn file_kind(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symlink"
    } else {
        "not a regular file"
    }
}

/// The real path of `path` when a read may go there (see [`Confine`]), without opening it.
///
/// # Errors
/// [`ReadError::Missing`], [`ReadError::Outside`], or another [`ReadError`] when the path
/// cannot be resolved.
pub fn resolve_confined(path: &Path, confine: Confine<'_>) -> Result<PathBuf, ReadError> {
    let canon = std::fs::canonicalize(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::Missing,
        _ => ReadError::Io(e.to_string()),
    })?;
    let roots = match confine {
        Confine::Within(r) | Confine::Walked(r) => r,
        Confine::Named(r) => {
            // a named file outside the tree may be anywhere; one inside it is confined
            let at = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            match std::fs::canonicalize(at) {
                Ok(dir) if r.contain(&dir) => r,
                _ => return Ok(canon),
            }
        }
    };
    if roots.contain(&canon) {
        return Ok(canon);
    }
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(ReadError::LinkOut);
    }
    Err(ReadError::Outside {
        link: symlink_on_the_way(path),
    })
}

/// The first component of `path` that is a symlink, for the message of a refusal.
fn symlink_on_the_way(path: &Path) -> Option<PathBuf> {
    let mut at = PathBuf::new();
    for c in path.components() {
        at.push(c);
        if matches!(c, std::path::Component::Normal(_)) && std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(at);
        }
    }
    None
}

/// Open a file for reading without following a final symlink and without blocking (a FIFO
/// swapped in after the checks is not waited on).
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    o.open(path)
}

/// Read and decode one file, confined (see [`Confine`]): the one way rootguard reads a file.
///
/// The path is resolved first; anything but a regular file (a FIFO, socket, device or
/// directory) is refused from its metadata, never opened. The file is opened without following
/// a final symlink and without blocking, checked again on the open handle, and at most
/// `max_bytes + 1` bytes are read whatever size it reports (a sparse file or a `/proc` file
/// lies about it).
///
/// # Errors
/// Why the file was not read.
pub fn read_confined(path: &Path, confine: Confine<'_>, max_bytes: u64) -> Result<(String, Encoding), ReadError> {
    use std::io::Read as _;
    let lstat = |p: &Path| {
        std::fs::symlink_metadata(p).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::Missing,
            _ => ReadError::Io(e.to_string()),
        })
    };
    let walked = if let Confine::Walked(_) = confine {
        // the walk followed no symlink on the way: only the path itself may be one
        Some(lstat(path)?).filter(|m| !m.file_type().is_symlink())
    } else {
        None
    };
    let (real, meta) = if let Some(m) = walked {
        (path.to_path_buf(), m)
    } else {
        let real = resolve_confined(path, confine)?;
        let m = lstat(&real)?;
        (real, m)
    };
    if !meta.is_file() {
        return Err(ReadError::NotRegular(file_kind(meta.file_type())));
    }
    if meta.len() > max_bytes {
        return Err(ReadError::TooLarge(max_bytes));
    }
    let f = open_no_follow(&real).map_err(|e| ReadError::Io(e.to_string()))?;
    let meta = f.metadata().map_err(|e| ReadError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(file_kind(meta.file_type())));
    }
    let cap = usize::try_from(meta.len().min(max_bytes.saturating_add(1))).unwrap_or(0);
    let mut bytes = Vec::with_capacity(cap);
    f.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadError::TooLarge(max_bytes));
    }
    decode(&bytes).map_err(ReadError::Encoding)
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
    fn a_line_starts_after_every_newline() {
        for text in ["", "\n", "a", "a\n", "\n\na\r\nbé\n\nc", &"x\n".repeat(1000)] {
            let idx = LineIndex::new(text);
            let starts: Vec<usize> = std::iter::once(0)
                .chain(text.char_indices().filter(|(_, c)| *c == '\n').map(|(i, _)| i + 1))
                .collect();
            assert_eq!(idx.line_count(), starts.len(), "{text:?}");
            for (line, start) in starts.iter().enumerate() {
                assert_eq!(idx.line_start(line), *start, "{text:?} line {line}");
            }
            for offset in 0..=text.len() {
                let line = text[..floor_char_boundary(text, offset)].matches('\n').count();
                assert_eq!(idx.line_of(offset), line, "{text:?} offset {offset}");
            }
        }
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

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("rootguard-source-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[cfg(unix)]
    #[test]
    fn read_confined_refuses_what_is_not_a_regular_file_inside_the_roots() {
        use std::os::unix::fs::symlink;
        let d = scratch("confined");
        let outside = scratch("confined-outside");
        std::fs::write(d.join("ok.tf"), "a = 1\n").unwrap();
        std::fs::write(outside.join("secret"), "x").unwrap();
        assert!(
            std::process::Command::new("mkfifo")
                .arg(d.join("pipe.tf"))
                .status()
                .unwrap()
                .success()
        );
        symlink("/dev/zero", d.join("zero.tf")).unwrap();
        symlink(outside.join("secret"), d.join("out.tf")).unwrap();
        symlink(&outside, d.join("dir")).unwrap();
        symlink("ok.tf", d.join("same.tf")).unwrap();
        std::fs::create_dir(d.join("sub.tf")).unwrap();
        std::fs::File::create(d.join("sparse.tf")).unwrap().set_len(1 << 40).unwrap();
        let roots = Roots::new(std::slice::from_ref(&d));
        let read = |name: &str, c: Confine<'_>| read_confined(&d.join(name), c, 1 << 20);
        for c in [Confine::Within(&roots), Confine::Walked(&roots)] {
            assert_eq!(read("ok.tf", c).unwrap().0, "a = 1\n");
            assert_eq!(read("same.tf", c).unwrap().0, "a = 1\n");
            assert_eq!(read("pipe.tf", c), Err(ReadError::NotRegular("a FIFO")));
            assert_eq!(read("sub.tf", c), Err(ReadError::NotRegular("a directory")));
            assert_eq!(read("zero.tf", c), Err(ReadError::LinkOut));
            assert_eq!(read("out.tf", c), Err(ReadError::LinkOut));
            assert_eq!(read("sparse.tf", c), Err(ReadError::TooLarge(1 << 20)));
            assert_eq!(read("none.tf", c), Err(ReadError::Missing));
        }
        assert_eq!(
            read("dir/secret", Confine::Within(&roots)),
            Err(ReadError::Outside { link: Some(d.join("dir")) })
        );
        // a named file outside the roots may be read; inside them it is confined
        let none = Roots::default();
        assert_eq!(read_confined(&outside.join("secret"), Confine::Named(&roots), 10).unwrap().0, "x");
        assert_eq!(read("out.tf", Confine::Named(&roots)), Err(ReadError::LinkOut));
        assert_eq!(read("pipe.tf", Confine::Named(&none)), Err(ReadError::NotRegular("a FIFO")));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn read_confined_does_not_trust_the_reported_size() {
        // `/proc` files say they are empty
        let p = Path::new("/proc/self/status");
        assert_eq!(std::fs::metadata(p).unwrap().len(), 0);
        let none = Roots::default();
        assert_eq!(read_confined(p, Confine::Named(&none), 16), Err(ReadError::TooLarge(16)));
        assert!(read_confined(p, Confine::Named(&none), 1 << 20).unwrap().0.contains("Name:"));
    }

    #[test]
    fn decodes_boms_and_reports_invalid_offsets() {
        assert_eq!(decode(b"\xEF\xBB\xBFab").unwrap(), ("ab".into(), Encoding::Utf8Bom));
        assert_eq!(decode(b"\xFF\xFEa\0b\0").unwrap(), ("ab".into(), Encoding::Utf16Le));
        assert_eq!(decode(b"\xFE\xFF\0a\0b").unwrap(), ("ab".into(), Encoding::Utf16Be));
        assert_eq!(decode(b"ab\xFFcd"), Err(2));
    }
}
