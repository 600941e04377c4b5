//! The rules: one Markdown file per rule in `rules/` (metadata front matter, docs in fixed
//! sections, the policy in Guard), embedded at build time, plus the user's own Guard files.

pub mod checks;
pub mod document;
pub mod engine;

use crate::parse::tree::Node;
use crate::source::FileId;

include!(concat!(env!("OUT_DIR"), "/rules.rs"));

/// Sections every rule's docs must have, in this order.
pub const SECTIONS: &[&str] = &["What it checks", "Why it matters", "Example", "How to fix", "Checks"];

/// The rule that reports each guardrail as `missing`; an `unknown` verdict of the guardrail
/// (RG012) fails the run wherever that rule would.
pub const MISSING_RULES: [(&str, &str); 4] = [
    ("root-hardware-mfa-rule", "RG101"),
    ("root-mfa-rule", "RG102"),
    ("root-deny-scp", "RG201"),
    ("root-usage-alarm", "RG401"),
];

/// Give each RG012 finding (an `unknown` verdict) the severity of its guardrail's `missing`
/// rule among the selected `rules`, and drop those whose `missing` rule is not selected. A
/// severity configured for RG012 itself (`explicit`) is kept as it is.
pub fn gate_unknown(findings: &mut Vec<crate::finding::Finding>, rules: &[Rule], explicit: bool) {
    if explicit {
        return;
    }
    findings.retain_mut(|f| {
        if f.rule != "RG012" {
            return true;
        }
        let missing = MISSING_RULES
            .iter()
            .find(|(g, _)| f.guardrail.as_deref() == Some(*g))
            .and_then(|(_, id)| rules.iter().find(|r| r.id == *id));
        match missing {
            Some(r) => {
                f.severity = r.severity;
                true
            }
            None => false,
        }
    });
}

pub use crate::severity::Severity;

pub use crate::finding::id_matches;

/// One rule.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub guardrails: Vec<String>,
    pub summary: String,
    pub references: Vec<String>,
    pub help: String,
    /// The Markdown body (all sections).
    pub docs: String,
    /// The Guard policy of a user rule (built-in rules are checked in Rust, see [`checks`]).
    pub policy: String,
    pub fix_hcl: Option<String>,
    pub fix_yaml: Option<String>,
    /// Shell (AWS CLI) fix, for findings on account evidence.
    pub fix_sh: Option<String>,
    /// From `--policy` rather than built in.
    pub user: bool,
    pub file: String,
}

fn fenced(section: &str, lang: &str) -> Option<String> {
    let start = section.find(&format!("```{lang}\n"))? + lang.len() + 4;
    let end = section[start..].find("```")?;
    Some(section[start..start + end].trim_end().to_owned())
}

/// The body of `## name` (up to the next `## `).
#[must_use]
pub fn section<'a>(docs: &'a str, name: &str) -> Option<&'a str> {
    let head = format!("## {name}\n");
    let start = docs.find(&head)? + head.len();
    let end = docs[start..].find("\n## ").map_or(docs.len(), |e| start + e + 1);
    Some(&docs[start..end])
}

/// What is wrong with a rule file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleFileError {
    /// No `---` front matter at the start.
    NoFrontMatter,
    /// The front matter is not closed by `---`.
    Unclosed,
    /// The front matter is not valid YAML (the reader's message).
    FrontMatter(String),
    /// The front matter is empty.
    Empty,
    /// The front matter lacks a key.
    Lacks(&'static str),
    /// `severity` is not a severity.
    BadSeverity,
    /// A documentation section is missing.
    NoSection(&'static str),
    /// A documentation section comes before one it must follow.
    OutOfOrder(&'static str),
    /// The rule id has no entry in `src/rules/checks.rs`.
    NoCheck(String),
    /// `## Checks` does not list what the check reads.
    ChecksDiffer {
        /// The rule id.
        id: String,
        /// What the section lists.
        listed: Vec<String>,
        /// What the check reads.
        reads: Vec<String>,
    },
}

impl std::fmt::Display for RuleFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RuleFileError::NoFrontMatter => f.write_str("the file does not start with a `---` front matter"),
            RuleFileError::Unclosed => f.write_str("the front matter is not closed by `---`"),
            RuleFileError::FrontMatter(m) => write!(f, "front matter: {m}"),
            RuleFileError::Empty => f.write_str("front matter is empty"),
            RuleFileError::Lacks(k) => write!(f, "front matter lacks `{k}`"),
            RuleFileError::BadSeverity => f.write_str("unknown severity"),
            RuleFileError::NoSection(sec) => write!(f, "docs lack the section `## {sec}`"),
            RuleFileError::OutOfOrder(sec) => write!(f, "section `## {sec}` is out of order"),
            RuleFileError::NoCheck(id) => write!(f, "rule `{id}` has no check in `src/rules/checks.rs`"),
            RuleFileError::ChecksDiffer { id, listed, reads } => {
                write!(f, "`## Checks` lists {listed:?}, but the check of `{id}` reads {reads:?}")
            }
        }
    }
}

impl std::error::Error for RuleFileError {}

/// Parse one rule file.
///
/// # Errors
/// What is missing or malformed.
pub fn parse_rule(file: &str, text: &str) -> Result<Rule, RuleFileError> {
    let rest = text.strip_prefix("---\n").ok_or(RuleFileError::NoFrontMatter)?;
    let end = rest.find("\n---\n").ok_or(RuleFileError::Unclosed)?;
    let (front, body) = (&rest[..end], &rest[end + 5..]);
    let parsed = crate::parse::yaml::parse(FileId(0), front, 0);
    if let Some(d) = parsed.diagnostics.first() {
        return Err(RuleFileError::FrontMatter(d.message.clone()));
    }
    let root = parsed.root.ok_or(RuleFileError::Empty)?;
    let s = |k: &'static str| -> Result<String, RuleFileError> {
        root.get(k)
            .and_then(Node::as_scalar_str)
            .map(std::borrow::Cow::into_owned)
            .ok_or(RuleFileError::Lacks(k))
    };
    let list = |k: &str| -> Vec<String> {
        root.get(k)
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|n| n.as_scalar_str().map(std::borrow::Cow::into_owned))
            .collect()
    };
    let severity = Severity::parse(&s("severity")?).ok_or(RuleFileError::BadSeverity)?;
    let mut last = 0;
    for sec in SECTIONS {
        let at = body.find(&format!("## {sec}\n")).ok_or(RuleFileError::NoSection(sec))?;
        if at < last {
            return Err(RuleFileError::OutOfOrder(sec));
        }
        last = at;
    }
    let id = s("id")?;
    let check = checks::of(&id).ok_or_else(|| RuleFileError::NoCheck(id.clone()))?;
    // the documentation lists exactly the facts the check reads
    let listed: Vec<&str> = section(body, "Checks")
        .unwrap_or("")
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .collect();
    if listed != check.describe() {
        return Err(RuleFileError::ChecksDiffer {
            id,
            listed: listed.iter().map(|l| (*l).to_owned()).collect(),
            reads: check.describe(),
        });
    }
    let fix = section(body, "How to fix").unwrap_or("");
    Ok(Rule {
        id,
        name: s("name")?,
        severity,
        guardrails: list("guardrails"),
        summary: s("summary")?,
        references: list("references"),
        help: s("help")?,
        docs: body.to_owned(),
        policy: String::new(),
        fix_hcl: fenced(fix, "hcl"),
        fix_yaml: fenced(fix, "yaml"),
        fix_sh: fenced(fix, "sh"),
        user: false,
        file: format!("rules/{file}"),
    })
}

/// All built-in rules, sorted by id.
///
/// # Errors
/// A broken rule file (caught by the test suite before it can ship).
pub fn builtin() -> Result<Vec<Rule>, crate::error::Error> {
    let mut rules = Vec::with_capacity(RULE_FILES.len());
    for (file, text) in RULE_FILES {
        let r = parse_rule(file, text).map_err(|e| crate::error::Error::PolicyFile {
            file: format!("rules/{file}"),
            source: Box::new(e),
        })?;
        rules.push(r);
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(rules)
}

/// Rules from a user's Guard file: one per `rule NAME` in it. A comment line
/// `# severity: high` sets their severity (default medium); `# help: …` their help.
///
/// # Errors
/// When the file cannot be read or declares no rule.
pub fn user_rules(path: &std::path::Path, confine: crate::source::Confine<'_>) -> Result<Vec<Rule>, crate::error::Error> {
    let file = path.display().to_string();
    let err = |reason: String| crate::error::Error::Policy {
        file: file.clone(),
        reason,
    };
    let (text, _) = crate::source::read_confined(path, confine, crate::limits::DEFAULT_MAX_FILE_BYTES)
        .map_err(|e| err(format!("the policy file {}", e.reason())))?;
    let mut severity = Severity::Medium;
    let mut help = String::from("see the policy file for what it requires");
    let mut names = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if let Some(v) = t.strip_prefix("# severity:") {
            severity = Severity::parse(v.trim()).ok_or_else(|| err(format!("unknown severity `{}`", v.trim())))?;
        } else if let Some(v) = t.strip_prefix("# help:") {
            v.trim().clone_into(&mut help);
        } else if let Some(rest) = t.strip_prefix("rule ") {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-').collect();
            if !name.is_empty() {
                names.push(name);
            }
        }
    }
    if names.is_empty() {
        return Err(err("the file declares no `rule`".into()));
    }
    Ok(names
        .into_iter()
        .enumerate()
        .map(|(i, name)| Rule {
            id: name.clone(),
            name: name.to_lowercase().replace('_', "-"),
            severity,
            guardrails: Vec::new(),
            summary: format!("policy rule `{name}` from {file}"),
            references: Vec::new(),
            help: help.clone(),
            docs: String::new(),
            // the whole file is evaluated once, with its first rule
            policy: if i == 0 { text.clone() } else { String::new() },
            fix_hcl: None,
            fix_yaml: None,
            fix_sh: None,
            user: true,
            file: file.clone(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_patterns() {
        for (pattern, id, hit) in [
            ("RG202", "RG202", true),
            ("RG202", "RG2021", false),
            ("RG2*", "RG202", true),
            ("RG2*", "RG102", false),
            ("RG20?", "RG207", true),
            ("RG20?", "RG2070", false),
            ("RG[12]01", "RG101", true),
            ("RG[12]01", "RG301", false),
            ("*", "RG902", true),
            ("rg202", "RG202", false),
            // not a glob: only itself
            ("RG[2", "RG[2", true),
            ("RG[2", "RG2", false),
            ("", "RG202", false),
        ] {
            assert_eq!(id_matches(pattern, id), hit, "{pattern} {id}");
        }
    }
}
