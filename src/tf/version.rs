//! Terraform version constraints (`version = ">= 1.2, < 2.0"` in a module call), with the
//! semantics of `hashicorp/go-version`, which Terraform uses: operators `=`, `!=`, `>`, `>=`,
//! `<`, `<=` and `~>` on dotted versions, comma-separated constraints all holding.

use std::cmp::Ordering;

/// A version: numeric segments (missing ones are 0), an optional pre-release; build metadata
/// is ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    segments: Vec<u64>,
    /// How many segments were written (`~>` looks at it).
    written: usize,
    pre: String,
}

impl Version {
    /// Parse `1.2.3`, `v1.2`, `1.0.0-beta.1+build`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Version> {
        let t = text.trim();
        let t = t.strip_prefix('v').unwrap_or(t);
        let t = t.split_once('+').map_or(t, |(v, _)| v);
        let (core, pre) = t.split_once('-').unwrap_or((t, ""));
        if core.is_empty() || (t.contains('-') && pre.is_empty()) {
            return None;
        }
        let mut segments = Vec::new();
        for s in core.split('.') {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            segments.push(s.parse::<u64>().ok()?);
        }
        let identifier = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if segments.len() > 8 || (!pre.is_empty() && !pre.split('.').all(identifier)) {
            return None;
        }
        let written = segments.len();
        segments.resize(3.max(written), 0);
        Some(Version {
            segments,
            written,
            pre: pre.to_owned(),
        })
    }

    fn segment(&self, i: usize) -> u64 {
        self.segments.get(i).copied().unwrap_or(0)
    }

    fn cmp_segments(&self, other: &Version) -> Ordering {
        let n = self.segments.len().max(other.segments.len());
        (0..n)
            .map(|i| self.segment(i).cmp(&other.segment(i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }

    /// Total order: segments, then a version without pre-release above one with, then the
    /// pre-release identifiers (numbers below words, numbers by value, a shorter list first).
    #[must_use]
    pub fn compare(&self, other: &Version) -> Ordering {
        self.cmp_segments(other)
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => {
                    let (a, b): (Vec<&str>, Vec<&str>) = (self.pre.split('.').collect(), other.pre.split('.').collect());
                    for (x, y) in a.iter().zip(&b) {
                        let o = match (x.parse::<u64>(), y.parse::<u64>()) {
                            (Ok(m), Ok(n)) => m.cmp(&n),
                            (Ok(_), Err(_)) => Ordering::Less,
                            (Err(_), Ok(_)) => Ordering::Greater,
                            (Err(_), Err(_)) => x.cmp(y),
                        };
                        if o.is_ne() {
                            return o;
                        }
                    }
                    a.len().cmp(&b.len())
                }
            })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Pessimistic,
}

/// A pre-release version matches only a constraint on a pre-release of the same segments; a
/// constraint on a pre-release matches release versions (but for `~>`).
fn prerelease_ok(v: &Version, c: &Version) -> bool {
    match (v.pre.is_empty(), c.pre.is_empty()) {
        (false, false) => v.cmp_segments(c).is_eq(),
        (false, true) => false,
        _ => true,
    }
}

fn holds(op: Op, v: &Version, c: &Version) -> bool {
    let o = v.compare(c);
    match op {
        Op::Eq => o.is_eq(),
        Op::Ne => o.is_ne(),
        Op::Gt => prerelease_ok(v, c) && o.is_gt(),
        Op::Ge => prerelease_ok(v, c) && o.is_ge(),
        Op::Lt => prerelease_ok(v, c) && o.is_lt(),
        Op::Le => prerelease_ok(v, c) && o.is_le(),
        Op::Pessimistic => {
            if v.pre.is_empty() != c.pre.is_empty() || o.is_lt() {
                return false;
            }
            // every written segment but the last is equal; the last is at least as large
            let n = c.written;
            (0..n.saturating_sub(1)).all(|i| v.segment(i) == c.segment(i)) && v.segment(n - 1) >= c.segment(n - 1)
        }
    }
}

/// Why a version constraint cannot be checked: a version or constraint that does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionError {
    /// The version (as written) is not a version.
    NotAVersion(String),
    /// The constraint (as written) is not a version constraint.
    NotAConstraint(String),
}

impl std::fmt::Display for VersionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VersionError::NotAVersion(v) => write!(f, "`{v}` is not a version"),
            VersionError::NotAConstraint(c) => write!(f, "`{c}` is not a version constraint"),
        }
    }
}

impl std::error::Error for VersionError {}

/// Does `version` satisfy `constraint`? `Err` says why the question has no answer (a
/// constraint or version that does not parse).
///
/// # Errors
/// A malformed version or constraint.
pub fn satisfies(version: &str, constraint: &str) -> Result<bool, VersionError> {
    let v = Version::parse(version).ok_or_else(|| VersionError::NotAVersion(version.to_owned()))?;
    let mut all = true;
    let mut any = false;
    for part in constraint.split(',') {
        let p = part.trim();
        let (op, rest) = [
            ("~>", Op::Pessimistic),
            (">=", Op::Ge),
            ("<=", Op::Le),
            ("!=", Op::Ne),
            (">", Op::Gt),
            ("<", Op::Lt),
            ("=", Op::Eq),
        ]
        .iter()
        .find_map(|(s, op)| p.strip_prefix(s).map(|r| (*op, r)))
        .unwrap_or((Op::Eq, p));
        let c = Version::parse(rest).ok_or_else(|| VersionError::NotAConstraint(constraint.to_owned()))?;
        any = true;
        all &= holds(op, &v, &c);
    }
    if !any {
        return Err(VersionError::NotAConstraint(constraint.to_owned()));
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(v: &str, c: &str) -> bool {
        satisfies(v, c).unwrap()
    }

    #[test]
    fn operators() {
        assert!(ok("1.2.3", "1.2.3"));
        assert!(ok("1.2.3", "= 1.2.3"));
        assert!(ok("1.2", "=1.2.0"));
        assert!(!ok("1.2.4", "1.2.3"));
        assert!(ok("1.2.4", "!= 1.2.3"));
        assert!(!ok("1.2.3", "!=1.2.3"));
        assert!(ok("2.0.0", "> 1.9"));
        assert!(!ok("1.9.0", "> 1.9"));
        assert!(ok("1.9.0", ">= 1.9"));
        assert!(ok("1.8.9", "< 1.9"));
        assert!(!ok("1.9.0", "< 1.9"));
        assert!(ok("1.9.0", "<= 1.9"));
        assert!(ok("1.5.0", ">= 1.2, < 2.0"));
        assert!(!ok("2.0.0", ">= 1.2, < 2.0"));
        assert!(ok("v1.0.0", "1.0.0"));
    }

    #[test]
    fn pessimistic_constraint_is_go_version_s() {
        // ~> 1.2.3: >= 1.2.3, < 1.3
        assert!(ok("1.2.3", "~> 1.2.3"));
        assert!(ok("1.2.10", "~> 1.2.3"));
        assert!(!ok("1.3.0", "~> 1.2.3"));
        assert!(!ok("1.2.2", "~> 1.2.3"));
        // ~> 1.2: >= 1.2, < 2
        assert!(ok("1.9.0", "~> 1.2"));
        assert!(!ok("2.0.0", "~> 1.2"));
        assert!(!ok("1.1.9", "~> 1.2"));
        // ~> 1: >= 1 (go-version compares no segment but the last)
        assert!(ok("3.0.0", "~> 1"));
        assert!(!ok("0.9.0", "~> 1"));
    }

    #[test]
    fn prereleases() {
        assert!(!ok("1.3.0-beta", ">= 1.2"));
        assert!(ok("1.2.0-beta.2", ">= 1.2.0-beta.1"));
        assert!(!ok("1.3.0-beta.2", ">= 1.2.0-beta.1"));
        assert!(ok("1.2.0", ">= 1.2.0-beta.1"));
        assert!(ok("1.2.0-rc.1", "1.2.0-rc.1"));
        assert!(!ok("1.2.0-rc.1", "~> 1.2"));
        assert_eq!(
            Version::parse("1.0.0-alpha.1")
                .unwrap()
                .compare(&Version::parse("1.0.0-alpha.beta").unwrap()),
            Ordering::Less
        );
    }

    #[test]
    fn malformed_is_an_error() {
        assert!(satisfies("1.x", "1.0").is_err());
        assert!(satisfies("1.0", ">= one").is_err());
        assert!(satisfies("1.0", "").is_err());
        assert!(satisfies("1.0", ">= 1.0,").is_err());
        assert!(satisfies("1.0-", "1.0").is_err());
    }
}
