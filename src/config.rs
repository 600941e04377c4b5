//! `.rootguard.yml`: the project's configuration (found at the scan root or above it, up to the
//! git root, or given with `--config`). Every key is checked; an unknown key or a bad value is
//! an error with its line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::parse::tree::{Node, Value};
use crate::source::{FileId, LineIndex};

pub const FILE_NAME: &str = ".rootguard.yml";

/// A waiver in the configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiver {
    /// Rule id (or glob of ids, `RG2*`).
    pub rule: String,
    /// Path glob (relative to the configuration's directory) …
    pub path: Option<String>,
    /// … or a resource address / logical path (`module.org.aws_organizations_policy.x`, `Resources/Pack`).
    pub address: Option<String>,
    pub reason: String,
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub expires: String,
    /// Line in the configuration file (1-based).
    pub line: usize,
}

/// The configuration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// The file it was read from.
    pub file: Option<PathBuf>,
    /// The text it was read from (findings about waivers point into it).
    pub text: String,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub fail_on: Option<String>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, String>,
    pub unsuppressible: Vec<String>,
    pub known_modules: Vec<String>,
    /// S3 URI → local conformance-pack template (relative to the configuration's directory).
    pub templates: BTreeMap<String, PathBuf>,
    pub policies: Vec<PathBuf>,
    pub waivers: Vec<Waiver>,
}

/// The starter file `rootguard init` writes.
pub const STARTER: &str = r#"# rootguard configuration (https://github.com/rootguard/rootguard#configuration)
# Every key is optional; unknown keys are errors.

# Files to scan or skip, as globs relative to this file's directory.
# include: ["infra/**", "cloudformation/**"]
# exclude: ["**/examples/**"]

# Exit 1 when a finding at or above this severity exists: info, low, medium, high, critical, never.
fail-on: high

rules:
  # Only these rules (ids or globs); all when absent.
  # select: ["RG1*", "RG2*"]
  # Never these rules.
  # ignore: ["RG501"]
  # Severity overrides.
  # severity:
  #   RG401: high
  # Rules whose findings no waiver may suppress.
  unsuppressible: ["RG201", "RG101"]

# Terraform module sources known not to declare guardrails (globs): when rootguard cannot read
# them, absent guardrails stay `missing` instead of `unknown`. Widely used public registry
# modules are already known (by source and version range; `rootguard` ships the list). Never
# list a whole namespace: `terraform-aws-modules/*` also matches the cloudwatch module's
# `cis-alarms`, which declares the root-usage alarm.
# known-modules: ["git::https://git.example.com/platform/network.git*"]

# Conformance packs deployed from S3: the template kept in this repository.
# templates:
#   "s3://conformance-packs/cis-level-2.yaml": packs/cis-level-2.yaml

# Extra Guard policy files evaluated over the model (see `rootguard model`).
# policies: ["policies/org.guard"]

# Waivers: each needs a rule, a path glob or a resource address, a reason, an owner and an
# expiry date. An expired waiver stops suppressing and is reported itself.
# waivers:
#   - rule: RG202
#     path: "policies/legacy/*.json"
#     reason: "attached by the platform team's pipeline outside this repository"
#     owner: "platform-security@example.com"
#     expires: 2027-03-31
"#;

struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    lines: LineIndex,
}

impl Reader<'_> {
    fn err(&self, n: &Node, msg: impl std::fmt::Display) -> Error {
        let p = self.lines.line_col(self.text, n.span.start as usize);
        Error::Config {
            file: self.path.display().to_string(),
            line: p.line,
            column: p.column,
            reason: msg.to_string(),
        }
    }

    fn key_err(&self, span: crate::source::Span, msg: impl std::fmt::Display) -> Error {
        let p = self.lines.line_col(self.text, span.start as usize);
        Error::Config {
            file: self.path.display().to_string(),
            line: p.line,
            column: p.column,
            reason: msg.to_string(),
        }
    }

    fn string(&self, n: &Node, what: &str) -> Result<String, Error> {
        match &n.value {
            Value::String(s) | Value::Number(s) => Ok(s.clone()),
            _ => Err(self.err(n, format!("`{what}` must be a string, not a {}", n.kind_name()))),
        }
    }

    fn strings(&self, n: &Node, what: &str) -> Result<Vec<String>, Error> {
        match &n.value {
            Value::Seq(items) => items.iter().map(|i| self.string(i, what)).collect(),
            _ => Err(self.err(n, format!("`{what}` must be a list of strings"))),
        }
    }

    fn map<'n>(&self, n: &'n Node, what: &str, keys: &[&str]) -> Result<&'n [crate::parse::tree::Entry], Error> {
        let Some(m) = n.as_map() else {
            return Err(self.err(n, format!("`{what}` must be a mapping")));
        };
        for e in m {
            if !keys.contains(&e.key.as_str()) {
                return Err(self.key_err(
                    e.key_span,
                    format!("unknown key `{}` in `{what}` (expected one of: {})", e.key, keys.join(", ")),
                ));
            }
        }
        Ok(m)
    }
}

/// A real calendar date written `YYYY-MM-DD`: the one form of a waiver's `expires`, in the
/// configuration and inline. `2030-02-31`, `2027-02-29`, `2030-2-1` and `20300201` are not.
#[must_use]
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b.iter()
            .enumerate()
            .all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    let part = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<i16>().ok());
    let small = |r| part(r).and_then(|n| i8::try_from(n).ok());
    shape
        && match (part(0..4), small(5..7), small(8..10)) {
            (Some(y), Some(m), Some(d)) => jiff::civil::Date::new(y, m, d).is_ok(),
            _ => false,
        }
}

/// Parse a configuration file's text.
///
/// # Errors
/// A syntax error, an unknown key or a bad value, with line and column.
pub fn parse(path: &Path, text: &str) -> Result<Config, Error> {
    let r = Reader {
        path,
        text,
        lines: LineIndex::new(text),
    };
    let parsed = crate::parse::yaml::parse(FileId(0), text, 0);
    if let Some(d) = parsed.diagnostics.iter().find(|d| d.level == crate::parse::Level::Error) {
        return Err(r.key_err(d.span, &d.message));
    }
    let mut c = Config {
        file: Some(path.to_path_buf()),
        text: text.to_owned(),
        ..Config::default()
    };
    let Some(root) = parsed.root else { return Ok(c) };
    if matches!(root.value, Value::Null) {
        return Ok(c);
    }
    let top = [
        "include",
        "exclude",
        "fail-on",
        "rules",
        "known-modules",
        "templates",
        "policies",
        "waivers",
    ];
    for e in r.map(&root, "configuration", &top)? {
        let v = &e.value;
        match e.key.as_str() {
            "include" => c.include = r.strings(v, "include")?,
            "exclude" => c.exclude = r.strings(v, "exclude")?,
            "fail-on" => {
                let s = r.string(v, "fail-on")?;
                if !matches!(s.as_str(), "info" | "low" | "medium" | "high" | "critical" | "never") {
                    return Err(r.err(
                        v,
                        format!("`fail-on` must be info, low, medium, high, critical or never, not `{s}`"),
                    ));
                }
                c.fail_on = Some(s);
            }
            "rules" => {
                for re in r.map(v, "rules", &["select", "ignore", "severity", "unsuppressible"])? {
                    match re.key.as_str() {
                        "select" => c.select = r.strings(&re.value, "rules.select")?,
                        "ignore" => c.ignore = r.strings(&re.value, "rules.ignore")?,
                        "unsuppressible" => c.unsuppressible = r.strings(&re.value, "rules.unsuppressible")?,
                        _ => {
                            let Some(m) = re.value.as_map() else {
                                return Err(r.err(&re.value, "`rules.severity` must map rule ids to severities"));
                            };
                            for s in m {
                                let sev = r.string(&s.value, "severity")?;
                                if crate::severity::Severity::parse(&sev).is_none() {
                                    return Err(r.err(&s.value, format!("unknown severity `{sev}` (info, low, medium, high, critical)")));
                                }
                                c.severity.insert(s.key.clone(), sev);
                            }
                        }
                    }
                }
            }
            "known-modules" => c.known_modules = r.strings(v, "known-modules")?,
            "policies" => c.policies = r.strings(v, "policies")?.into_iter().map(PathBuf::from).collect(),
            "templates" => {
                let Some(m) = v.as_map() else {
                    return Err(r.err(v, "`templates` must map S3 URIs to local files"));
                };
                for t in m {
                    if !t.key.starts_with("s3://") {
                        return Err(r.key_err(t.key_span, format!("`{}` is not an S3 URI (`s3://bucket/key`)", t.key)));
                    }
                    c.templates.insert(t.key.clone(), PathBuf::from(r.string(&t.value, "templates")?));
                }
            }
            _ => {
                let Some(items) = v.as_seq() else {
                    return Err(r.err(v, "`waivers` must be a list"));
                };
                for w in items {
                    let m = r.map(w, "waivers[]", &["rule", "path", "address", "reason", "owner", "expires"])?;
                    let get = |k: &str| m.iter().find(|e| e.key == k).map(|e| &e.value);
                    let req = |k: &str| -> Result<String, Error> {
                        match get(k) {
                            Some(n) => r.string(n, k),
                            None => Err(r.err(w, format!("a waiver needs `{k}`"))),
                        }
                    };
                    let path = get("path").map(|n| r.string(n, "path")).transpose()?;
                    let address = get("address").map(|n| r.string(n, "address")).transpose()?;
                    if path.is_none() && address.is_none() {
                        return Err(r.err(w, "a waiver needs a `path` glob or a resource `address`"));
                    }
                    let expires = req("expires")?;
                    if !is_date(&expires) {
                        return Err(r.err(
                            get("expires").unwrap_or(w),
                            format!("`expires` must be a date YYYY-MM-DD, not `{expires}`"),
                        ));
                    }
                    let line = r.lines.line_col(text, w.span.start as usize).line;
                    c.waivers.push(Waiver {
                        rule: req("rule")?,
                        path,
                        address,
                        reason: req("reason")?,
                        owner: req("owner")?,
                        expires,
                        line,
                    });
                }
            }
        }
    }
    Ok(c)
}

/// Find `.rootguard.yml` at `start` or above it, up to the git root (a directory holding `.git`).
#[must_use]
pub fn find(start: &Path) -> Option<PathBuf> {
    find_below(start, None)
}

/// [`find`], never looking above `top` (a tree written outside any git checkout, such as the
/// base revision of a pull request).
#[must_use]
pub fn find_below(start: &Path, top: Option<&Path>) -> Option<PathBuf> {
    let mut dir = if start.is_file() {
        start.parent()?.to_path_buf()
    } else {
        start.to_path_buf()
    };
    if dir.as_os_str().is_empty() {
        dir = PathBuf::from(".");
    }
    let mut dir = std::fs::canonicalize(&dir).ok()?;
    loop {
        let c = dir.join(FILE_NAME);
        // whatever it is: the reader refuses what is not a regular file, rather than the
        // configuration being skipped in silence
        if std::fs::symlink_metadata(&c).is_ok() {
            return Some(c);
        }
        if dir.join(".git").exists() || top.is_some_and(|t| dir == t) || !dir.pop() {
            return None;
        }
    }
}

/// Load the configuration: `explicit` (`--config`), else the one found above the first path.
///
/// # Errors
/// An unreadable or invalid file.
pub fn load(explicit: Option<&Path>, paths: &[PathBuf]) -> Result<Config, Error> {
    let file = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => paths.first().and_then(|p| find(p)),
    };
    let Some(file) = file else { return Ok(Config::default()) };
    let text = read(&file, explicit.is_some(), paths)?;
    parse(&file, &text)
}

/// The text of a configuration file: a regular file, within the size limit. One named with
/// `--config` may be anywhere but, inside the scanned `paths`, is confined to them like their
/// files; one that was found must resolve inside the directory it was found in.
///
/// # Errors
/// The file cannot be read.
pub fn read(file: &Path, named: bool, paths: &[PathBuf]) -> Result<String, Error> {
    use crate::source::{Confine, Roots};
    if named && file == Path::new("/dev/null") {
        // `--config /dev/null`: the usual way to say "no configuration" (a device, not read)
        return Ok(String::new());
    }
    let roots = if named {
        Roots::new(paths)
    } else {
        Roots::new(&[file.parent().map(Path::to_path_buf).unwrap_or_default()])
    };
    let confine = if named { Confine::Named(&roots) } else { Confine::Within(&roots) };
    crate::source::read_confined(file, confine, crate::bounds::DEFAULT_MAX_FILE_BYTES)
        .map(|(t, _)| t)
        .map_err(|e| Error::Read {
            path: file.display().to_string(),
            what: "the configuration file",
            source: e,
        })
}

/// Today's date as `YYYY-MM-DD` (UTC), or `ROOTGUARD_TODAY` when it is a date (for
/// reproducible runs).
#[must_use]
pub fn today() -> String {
    if let Ok(t) = std::env::var("ROOTGUARD_TODAY")
        && is_date(&t)
    {
        return t;
    }
    utc_date(std::time::SystemTime::now())
}

/// The UTC date of a time as `YYYY-MM-DD` (1970-01-01 for a clock outside the years -9999 to
/// 9999).
fn utc_date(t: std::time::SystemTime) -> String {
    let t = jiff::Timestamp::try_from(t).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    jiff::tz::Offset::UTC.to_datetime(t).date().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_parses() {
        let c = parse(Path::new(".rootguard.yml"), STARTER).unwrap();
        assert_eq!(c.fail_on.as_deref(), Some("high"));
        assert_eq!(c.unsuppressible, vec!["RG201", "RG101"]);
    }

    #[test]
    fn unknown_keys_and_bad_values_have_positions() {
        let e = parse(Path::new("c.yml"), "fail-on: high\nrulez: {}\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.yml:2:1: unknown key `rulez` in `configuration` (expected one of: include, exclude, fail-on, rules, known-modules, templates, policies, waivers)"
        );
        let e = parse(
            Path::new("c.yml"),
            "waivers:\n  - rule: RG202\n    path: x\n    reason: r\n    owner: o\n    expires: soon\n",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("c.yml:6:14: `expires` must be a date"), "{e}");
        let e = parse(
            Path::new("c.yml"),
            "waivers:\n  - rule: RG202\n    path: x\n    owner: o\n    expires: 2027-01-01\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("a waiver needs `reason`"), "{e}");
        let e = parse(Path::new("c.yml"), "fail-on: sometimes\n").unwrap_err();
        assert!(e.to_string().starts_with("c.yml:1:10:"), "{e}");
    }

    #[test]
    fn today_is_a_date() {
        assert!(is_date(&today()));
        let at = |secs: u64| utc_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs));
        assert_eq!(at(0), "1970-01-01");
        assert_eq!(at(951_782_400), "2000-02-29");
        assert_eq!(at(1_709_251_199), "2024-02-29");
        assert_eq!(at(1_709_251_200), "2024-03-01");
        assert_eq!(at(4_102_444_799), "2099-12-31");
    }

    #[test]
    fn only_real_calendar_dates() {
        for (s, ok) in [
            ("2030-01-01", true),
            ("2030-12-31", true),
            ("2028-02-29", true),
            ("2000-02-29", true),
            ("2027-02-29", false),
            ("2100-02-29", false),
            ("2030-02-31", false),
            ("2030-04-31", false),
            ("2030-13-01", false),
            ("2030-00-10", false),
            ("2030-01-00", false),
            ("2030-01-32", false),
            ("2030-2-1", false),
            ("2030-02-1", false),
            ("2030--1-01", false),
            ("20300201", false),
            ("2030/02/01", false),
            ("+02030-02-01", false),
            ("2030-02-01T00:00", false),
            (" 2030-02-01", false),
            ("2030-02-01\n", false),
            ("\u{ff12}030-02-01", false),
            ("", false),
        ] {
            assert_eq!(is_date(s), ok, "{s:?}");
        }
    }
}
