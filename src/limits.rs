//! Resource limits: what a hostile input can make rootguard do is bounded, and reaching a bound is
//! a diagnostic (never a silent skip or pass). Set once per run from `--limit NAME=N`.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

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
    /// Most expression evaluations in one scan (Terraform and CloudFormation together).
    pub eval_steps: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            depth: 200,
            module_depth: 16,
            instances: 256,
            string_bytes: 1024 * 1024,
            eval_steps: 20_000_000,
        }
    }
}

/// The names accepted by `--limit`, with what they bound.
pub const NAMES: [(&str, &str); 5] = [
    ("depth", "nesting of YAML, JSON and HCL structures"),
    ("module-depth", "Terraform module nesting"),
    ("instances", "instances of one count/for_each"),
    ("string-bytes", "length of a string built by a template or function"),
    ("eval-steps", "expression evaluations per scan"),
];

static LIMITS: OnceLock<Limits> = OnceLock::new();
static STEPS: AtomicU64 = AtomicU64::new(0);
static EXHAUSTED: AtomicBool = AtomicBool::new(false);

/// The limits in force.
#[must_use]
pub fn get() -> Limits {
    LIMITS.get().copied().unwrap_or_default()
}

/// Set the limits of this run (the first call wins).
pub fn set(l: Limits) {
    let _ = LIMITS.set(l);
}

/// Parse `NAME=N` settings over the defaults.
///
/// # Errors
/// An unknown name or a value that is not a positive number.
pub fn parse(settings: &[String]) -> Result<Limits, String> {
    let mut l = Limits::default();
    for s in settings {
        let (k, v) = s.split_once('=').ok_or_else(|| format!("--limit `{s}` is not NAME=N"))?;
        let n: u64 = v
            .trim()
            .replace('_', "")
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("--limit {k}: `{v}` is not a positive number"))?;
        let n_usize = usize::try_from(n).unwrap_or(usize::MAX);
        match k.trim() {
            "depth" => l.depth = n_usize,
            "module-depth" => l.module_depth = n_usize,
            "instances" => l.instances = n_usize,
            "string-bytes" => l.string_bytes = n_usize,
            "eval-steps" => l.eval_steps = n,
            other => {
                let names: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
                return Err(format!("--limit: unknown limit `{other}` (known: {})", names.join(", ")));
            }
        }
    }
    Ok(l)
}

/// Count one evaluation step; false once the budget of the scan is spent.
pub fn step() -> bool {
    let n = STEPS.fetch_add(1, Ordering::Relaxed);
    if n >= get().eval_steps {
        EXHAUSTED.store(true, Ordering::Relaxed);
        false
    } else {
        true
    }
}

/// Was the evaluation budget spent (and evaluation cut short) in this run?
#[must_use]
pub fn exhausted() -> bool {
    EXHAUSTED.load(Ordering::Relaxed)
}

/// The deepest bracket nesting of `text` (`(`, `[`, `{`), outside double-quoted strings.
#[must_use]
pub fn bracket_depth(text: &str) -> usize {
    let (mut depth, mut max, mut in_str, mut esc) = (0usize, 0usize, false, false);
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
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_settings() {
        let l = parse(&["depth=50".into(), "eval-steps=1_000".into()]).unwrap();
        assert_eq!((l.depth, l.eval_steps), (50, 1000));
        assert!(parse(&["depth=0".into()]).is_err());
        assert!(parse(&["nope=1".into()]).unwrap_err().contains("known: depth"));
        assert!(parse(&["depth".into()]).is_err());
    }

    #[test]
    fn depth_outside_strings() {
        assert_eq!(bracket_depth(r#"{"a": [1, {"b": "[[[[\"]]"}]}"#), 3);
        assert_eq!(bracket_depth("((()))"), 3);
        assert_eq!(bracket_depth(""), 0);
    }
}
