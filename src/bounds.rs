//! The bounds of a run (`--limit NAME=N`, `--max-file-size`), and the measures of a text's
//! shape taken before any parser sees it. A leaf: the readers and the evaluation budget
//! (`limits`) both depend on it.

use std::sync::OnceLock;

/// Default largest file read, in bytes (`--max-file-size`).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// The limits of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of YAML, JSON and HCL structures (brackets, braces, blocks).
    pub depth: usize,
    /// Deepest Terraform module nesting (a module that calls itself stops here).
    pub module_depth: usize,
    /// Most instances of one `count` / `for_each` resource or module call.
    pub instances: usize,
    /// Longest string a template, `format` or `join` may produce, in bytes.
    pub string_bytes: usize,
    /// The evaluation budget of one file's templates, and of the scan's Terraform
    /// configuration: steps, where values built or copied, text and module instances count too.
    pub eval_steps: u64,
    /// Most lines or entries directly inside one object literal `{ … }` of an HCL file (the
    /// HCL parser takes time quadratic in an object's keys).
    pub object_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            depth: 200,
            module_depth: 16,
            instances: 256,
            string_bytes: 1024 * 1024,
            eval_steps: 5_000_000,
            object_entries: 10_000,
        }
    }
}

/// The names accepted by `--limit`, with what they bound.
pub const NAMES: [(&str, &str); 6] = [
    ("depth", "nesting of YAML, JSON and HCL structures"),
    ("module-depth", "Terraform module nesting"),
    ("instances", "instances of one count/for_each"),
    ("string-bytes", "length of a string built by a template or function"),
    ("eval-steps", "evaluation budget per file and for the Terraform configuration"),
    ("object-entries", "lines or entries inside one object literal of an HCL file"),
];

static LIMITS: OnceLock<Limits> = OnceLock::new();

/// The limits in force.
#[must_use]
pub fn get() -> Limits {
    LIMITS.get().copied().unwrap_or_default()
}

/// Set the limits of this run (the first call wins).
pub fn set(l: Limits) {
    let _ = LIMITS.set(l);
}

/// A `--limit` setting that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LimitError {
    /// Not `NAME=N`.
    NotNameValue(String),
    /// `N` is not a positive whole number.
    NotPositive {
        /// The limit's name as given.
        name: String,
        /// The value as given.
        value: String,
    },
    /// No limit has this name.
    UnknownName(String),
}

impl std::fmt::Display for LimitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LimitError::NotNameValue(s) => write!(f, "--limit `{s}` is not NAME=N"),
            LimitError::NotPositive { name, value } => write!(f, "--limit {name}: `{value}` is not a positive number"),
            LimitError::UnknownName(other) => {
                let names: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
                write!(f, "--limit: unknown limit `{other}` (known: {})", names.join(", "))
            }
        }
    }
}

impl std::error::Error for LimitError {}

/// Parse `NAME=N` settings over the defaults.
///
/// # Errors
/// An unknown name or a value that is not a positive number.
pub fn parse(settings: &[String]) -> Result<Limits, LimitError> {
    let mut l = Limits::default();
    for s in settings {
        let (k, v) = s.split_once('=').ok_or_else(|| LimitError::NotNameValue(s.clone()))?;
        let n: u64 = v
            .trim()
            .replace('_', "")
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| LimitError::NotPositive {
                name: k.to_owned(),
                value: v.to_owned(),
            })?;
        let n_usize = usize::try_from(n).unwrap_or(usize::MAX);
        match k.trim() {
            "depth" => l.depth = n_usize,
            "object-entries" => l.object_entries = n_usize,
            "module-depth" => l.module_depth = n_usize,
            "instances" => l.instances = n_usize,
            "string-bytes" => l.string_bytes = n_usize,
            "eval-steps" => l.eval_steps = n,
            other => return Err(LimitError::UnknownName(other.to_owned())),
        }
    }
    Ok(l)
}

/// The bracket shape of a text, found in one pass outside double-quoted strings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// The deepest nesting of `(`, `[` and `{`.
    pub depth: usize,
    /// The most lines or entries (newlines and commas) directly inside one HCL object literal
    /// `{ … }` (a `{` in expression position: after `=`, `:`, `(`, `[`, `,` or `?`): an upper
    /// bound of the keys of any object literal. Block bodies are not counted.
    pub widest_object: usize,
}

/// The [`Shape`] of `text`: checked before the recursive parsers (and hcl-edit's object parser,
/// quadratic in an object's keys) see it.
#[must_use]
pub fn shape(text: &str) -> Shape {
    // per open bracket: does it open an object literal, and its entries so far
    let mut stack: Vec<(bool, usize)> = Vec::new();
    let mut out = Shape::default();
    let (mut in_str, mut esc, mut last) = (false, false, b'\n');
    for b in text.bytes() {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'(' | b'[' | b'{' => {
                stack.push((b == b'{' && matches!(last, b'=' | b':' | b'(' | b'[' | b',' | b'?'), 0));
                out.depth = out.depth.max(stack.len());
            }
            b')' | b']' | b'}' => {
                stack.pop();
            }
            b'\n' | b',' => {
                if let Some((true, n)) = stack.last_mut() {
                    *n += 1;
                    out.widest_object = out.widest_object.max(*n);
                }
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            last = b;
        }
    }
    out
}

/// The deepest bracket nesting of `text` (`(`, `[`, `{`), outside double-quoted strings.
#[must_use]
pub fn bracket_depth(text: &str) -> usize {
    shape(text).depth
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_settings() {
        let l = parse(&["depth=50".into(), "eval-steps=1_000".into()]).unwrap();
        assert_eq!((l.depth, l.eval_steps), (50, 1000));
        assert!(parse(&["depth=0".into()]).is_err());
        assert!(parse(&["nope=1".into()]).unwrap_err().to_string().contains("known: depth"));
        assert_eq!(parse(&["nope=1".into()]), Err(LimitError::UnknownName("nope".into())));
        assert!(parse(&["depth".into()]).is_err());
    }

    #[test]
    fn widest_braces_counts_entries_of_one_level() {
        let wide = |t: &str| shape(t).widest_object;
        assert_eq!(wide("a = { x = 1, y = 2, z = { p = 1 } }"), 2);
        // block bodies do not count, nor braces in strings
        assert_eq!(wide("locals {\n  a = 1\n  b = \"{,,,}\"\n}\n"), 0);
        assert_eq!(wide("x = [1, 2, 3]"), 0);
        assert_eq!(wide("x = [{\n a = 1\n b = 2\n}]"), 3);
    }

    #[test]
    fn depth_outside_strings() {
        assert_eq!(bracket_depth(r#"{"a": [1, {"b": "[[[[\"]]"}]}"#), 3);
        assert_eq!(bracket_depth("((()))"), 3);
        assert_eq!(bracket_depth(""), 0);
    }
}
