//! Waivers: from `.rootguard.yml` and from inline comments
//! (`# rootguard:ignore[RG202] reason="…" owner=… expires=YYYY-MM-DD`). A waived finding is
//! still reported, as suppressed; an expired or malformed waiver suppresses nothing and is
//! reported itself (RG901, RG902).

use globset::Glob;

use crate::config::{Config, Waiver};
use crate::finding::{Finding, Suppression};
use crate::model::Loc;
use crate::source::{Sources, Span};

/// A waiver with where it is written.
#[derive(Clone, Debug)]
pub struct Located {
    pub rules: Vec<String>,
    pub path: Option<String>,
    pub address: Option<String>,
    pub reason: Option<String>,
    pub owner: Option<String>,
    pub expires: Option<String>,
    pub loc: Loc,
    /// `config` or `inline`; for inline ones, the line (1-based) of the comment.
    pub kind: &'static str,
    pub line: usize,
    /// Why it cannot be used (missing fields, a bad date).
    pub invalid: Option<String>,
    pub expired: bool,
    /// For inline ones: the line (1-based) of the code it applies to — its own line when it
    /// trails code, else the next line that is neither blank nor a comment (0: none) — and
    /// that line's text, trimmed.
    pub binds: (usize, String),
    /// In pull-request mode, a waiver the base revision does not have: `Some(applied)`.
    pub added: Option<bool>,
}

/// The code line an inline waiver on line `n` (0-based) of `lines` applies to, 1-based, and its
/// trimmed text; (0, "") when no code follows.
fn bound_line(lines: &[&str], n: usize, code_before: bool) -> (usize, String) {
    if code_before {
        return (n + 1, lines.get(n).map_or("", |l| l.trim()).to_owned());
    }
    for (m, l) in lines.iter().enumerate().skip(n + 1) {
        let t = l.trim();
        if !t.is_empty() && !t.starts_with('#') && !t.starts_with("//") {
            return (m + 1, t.to_owned());
        }
    }
    (0, String::new())
}

fn field(text: &str, key: &str) -> Option<String> {
    let i = text.find(&format!("{key}="))? + key.len() + 1;
    let rest = &text[i..];
    if let Some(q) = rest.strip_prefix('"') {
        q.find('"').map(|e| q[..e].to_owned())
    } else {
        Some(rest.split_whitespace().next().unwrap_or("").to_owned())
    }
}

/// Inline waivers in every scanned file (comments starting with `#` or `//`).
#[must_use]
pub fn inline(sources: &Sources, today: &str) -> Vec<Located> {
    let mut out = Vec::new();
    // one search over the whole text first: most files hold no waiver
    for f in sources.iter().filter(|f| f.text.contains("rootguard:ignore[")) {
        let mut off = 0usize;
        let all: Vec<&str> = f.text.split('\n').collect();
        for (n, line) in all.iter().enumerate() {
            let at = line.find("rootguard:ignore[");
            if let Some(i) = at {
                let before = line[..i].trim_end();
                let is_comment = before.ends_with('#') || before.ends_with("//");
                let code_before = !before.trim_end_matches('#').trim_end_matches("//").trim().is_empty();
                let binds = bound_line(&all, n, code_before);
                if is_comment {
                    let rest = &line[i + "rootguard:ignore[".len()..];
                    let (ids, tail) = rest.split_once(']').unwrap_or((rest, ""));
                    let rules: Vec<String> = ids.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
                    let (reason, owner, expires) = (field(tail, "reason"), field(tail, "owner"), field(tail, "expires"));
                    let missing: Vec<&str> = [("reason", &reason), ("owner", &owner), ("expires", &expires)]
                        .iter()
                        .filter(|(_, v)| v.as_deref().is_none_or(str::is_empty))
                        .map(|(k, _)| *k)
                        .collect();
                    let invalid = if rules.is_empty() {
                        Some("names no rule (`rootguard:ignore[RG202]`)".to_owned())
                    } else if !missing.is_empty() {
                        Some(format!("lacks {}", missing.join(", ")))
                    } else if !expires.as_deref().is_some_and(crate::config::is_date) {
                        Some(format!(
                            "`expires={}` is not a date YYYY-MM-DD",
                            expires.clone().unwrap_or_default()
                        ))
                    } else if binds.0 == 0 {
                        Some("is followed by no code line it could apply to".to_owned())
                    } else {
                        None
                    };
                    let expired = invalid.is_none() && expires.as_deref().is_some_and(|e| e < today);
                    let start = off + i;
                    let end = off + line.trim_end().len();
                    out.push(Located {
                        rules,
                        path: None,
                        address: None,
                        reason,
                        owner,
                        expires,
                        loc: Loc::new(Span::new(f.id, start, end.max(start)), ""),
                        kind: "inline",
                        line: n + 1,
                        invalid,
                        expired,
                        binds,
                        added: None,
                    });
                }
            }
            off += line.len() + 1;
        }
    }
    out
}

/// Waivers of the configuration, located in its file (`file` is its id in the sources).
#[must_use]
pub fn configured(c: &Config, file: Option<crate::source::FileId>, sources: &Sources, today: &str) -> Vec<Located> {
    c.waivers
        .iter()
        .map(|w: &Waiver| {
            let span = file.map_or(Span::default(), |id| {
                let lines = sources.get(id).lines();
                let start = lines.line_start(w.line.saturating_sub(1)).min(sources.get(id).text.len());
                let end = sources.get(id).text[start..]
                    .find('\n')
                    .map_or(sources.get(id).text.len(), |e| start + e);
                Span::new(id, start, end)
            });
            Located {
                rules: vec![w.rule.clone()],
                path: w.path.clone(),
                address: w.address.clone(),
                reason: Some(w.reason.clone()),
                owner: Some(w.owner.clone()),
                expires: Some(w.expires.clone()),
                loc: Loc::new(span, ""),
                kind: "config",
                line: w.line,
                invalid: None,
                expired: w.expires.as_str() < today,
                binds: (0, String::new()),
                added: None,
            }
        })
        .collect()
}

/// Mark the findings the waivers suppress. `base` is the configuration's directory (paths of
/// configuration waivers are relative to it).
pub fn apply(findings: &mut [Finding], waivers: &[Located], unsuppressible: &[String], sources: &Sources, base: Option<&std::path::Path>) {
    for f in findings.iter_mut() {
        if f.rule.starts_with("RG90") || unsuppressible.iter().any(|u| crate::finding::id_matches(u, &f.rule)) {
            continue;
        }
        let Some(loc) = &f.loc else { continue };
        let file = sources.get(loc.span.file);
        // the finding's line, and the line of the declaration it belongs to
        let mut lines = vec![file.line_col(loc.span.start as usize).line];
        lines.extend(
            f.labels
                .iter()
                .filter(|(l, m)| m == "declared here" && l.span.file == loc.span.file)
                .map(|(l, _)| file.line_col(l.span.start as usize).line),
        );
        for w in waivers
            .iter()
            .filter(|w| w.invalid.is_none() && !w.expired && w.added != Some(false))
        {
            if !w.rules.iter().any(|r| crate::finding::id_matches(r, &f.rule)) {
                continue;
            }
            let hit = if w.kind == "inline" {
                // bound to the finding's line or its declaration's: the code line the comment
                // trails, or the next code line below it
                w.loc.span.file == loc.span.file && lines.contains(&w.binds.0)
            } else {
                let by_path = w.path.as_ref().is_some_and(|g| {
                    let abs = std::fs::canonicalize(&file.path).unwrap_or_else(|_| file.path.clone());
                    let rel = base
                        .and_then(|b| {
                            abs.strip_prefix(std::fs::canonicalize(b).unwrap_or_else(|_| b.to_path_buf()))
                                .ok()
                                .map(std::path::Path::to_path_buf)
                        })
                        .map_or_else(|| file.display.clone(), |p| p.to_string_lossy().replace('\\', "/"));
                    Glob::new(g).is_ok_and(|g| {
                        let m = g.compile_matcher();
                        m.is_match(&rel) || m.is_match(&file.display)
                    })
                });
                let by_address = w.address.as_ref().is_some_and(|a| {
                    loc.path == *a
                        || loc.path.starts_with(&format!("{a}/"))
                        || loc.path.starts_with(&format!("{a}."))
                        || loc.path.starts_with(&format!("{a}["))
                });
                by_path || by_address
            };
            if hit {
                f.suppression = Some(Suppression {
                    reason: w.reason.clone().unwrap_or_default(),
                    owner: w.owner.clone().unwrap_or_default(),
                    expires: w.expires.clone().unwrap_or_default(),
                    kind: w.kind,
                });
                break;
            }
        }
    }
}
