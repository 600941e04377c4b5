//! Human output in the rustc/ruff style: one diagnostic per finding with the source excerpt,
//! then the guardrail verdict table, then totals.

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::Outcome;
use crate::finding::Finding;
use crate::model::Loc;
use crate::rules::Severity;
use crate::source::Sources;

fn level(s: Severity) -> Level<'static> {
    let l = match s {
        Severity::Critical | Severity::High => Level::ERROR,
        Severity::Medium | Severity::Low => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    l.with_name(s.as_str())
}

/// Lines `[first, last]` (0-based) of a span, the last clamped to a few lines after the first.
fn excerpt(s: &Sources, l: &Loc) -> (usize, usize, usize) {
    let f = s.get(l.span.file);
    let idx = f.lines();
    let a = idx.line_of(l.span.start as usize);
    let b = idx.line_of((l.span.end as usize).max(l.span.start as usize + 1) - 1).max(a);
    (a, b.min(a + 2), idx.line_count())
}

fn render_one(f: &Finding, s: &Sources, renderer: &Renderer) -> String {
    let t = super::text::terminal;
    // the excerpt outlives the group that borrows it
    let shown;
    let mut title = t(&f.message);
    if title.len() > 2000 {
        title.truncate(crate::source::floor_char_boundary(&title, 2000));
    }
    let lvl = level(f.severity);
    let mut group = Group::with_title(lvl.primary_title(title).id(f.rule.clone()));
    if let Some(l) = &f.loc {
        let file = s.get(l.span.file);
        let idx = file.lines();
        let (a, b, n) = excerpt(s, l);
        // the secondary labels close enough to show in the same excerpt
        let near: Vec<&(Loc, String)> = f
            .labels
            .iter()
            .filter(|(x, _)| x.span.file == l.span.file && idx.line_of(x.span.start as usize).abs_diff(a) <= 6)
            .collect();
        let lo = near
            .iter()
            .map(|(x, _)| idx.line_of(x.span.start as usize))
            .chain([a])
            .min()
            .unwrap_or(a);
        let hi = near
            .iter()
            .map(|(x, _)| idx.line_of(x.span.start as usize))
            .chain([b])
            .max()
            .unwrap_or(b);
        let start = idx.line_start(lo).min(file.text.len());
        let end = if hi + 1 < n {
            idx.line_start(hi + 1).min(file.text.len())
        } else {
            file.text.len()
        };
        shown = super::text::terminal_source(&file.text[start..end]);
        let text = shown.as_str();
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        let clamp = |x: usize| crate::source::floor_char_boundary(text, x.saturating_sub(start).min(text.len()));
        let (ps, mut pe) = (clamp(l.span.start as usize), clamp(l.span.end as usize));
        if pe <= ps {
            pe = crate::source::ceil_char_boundary(text, ps + 1).min(text.len());
        }
        let mut snip = Snippet::source(text)
            .line_start(lo + 1)
            .path(t(&file.display))
            .annotation(AnnotationKind::Primary.span(ps..pe));
        for (x, label) in &near {
            let (xs, mut xe) = (clamp(x.span.start as usize), clamp(x.span.end as usize));
            let line_end = text[xs..].find('\n').map_or(text.len(), |i| xs + i);
            xe = xe.min(line_end).max(xs);
            snip = snip.annotation(AnnotationKind::Context.span(xs..xe).label(t(label)));
        }
        group = group.element(snip);
        for (x, label) in f.labels.iter().filter(|x| !near.iter().any(|n| std::ptr::eq(*n, *x))) {
            let (p, _) = s.position(x.span);
            group = group.element(Level::NOTE.message(t(&format!("{label}: {}:{}:{}", s.get(x.span.file).display, p.line, p.column))));
        }
    }
    for v in &f.via {
        let (p, _) = s.position(v.loc.span);
        group = group.element(Level::NOTE.message(t(&format!(
            "reached through {} `{}` at {}:{}",
            v.kind,
            v.name,
            s.get(v.loc.span.file).display,
            p.line
        ))));
    }
    for n in &f.notes {
        group = group.element(Level::NOTE.message(t(n)));
    }
    group = group.element(Level::HELP.message(t(&f.help)));
    let report: Vec<Group<'_>> = vec![group];
    renderer.render(&report)
}

/// The whole human report.
#[must_use]
/// With `quiet`, only the verdict table and the totals.
pub fn render(o: &Outcome<'_>, color: bool, quiet: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let s = &o.scan.sources;
    let mut out = String::new();
    // waived findings are not shown; the totals count them
    for f in o.findings.iter().filter(|f| f.suppression.is_none() && !quiet) {
        out.push_str(&render_one(f, s, &renderer));
        out.push_str("\n\n");
    }
    let bold = |t: &str| if color { format!("\x1b[1m{t}\x1b[0m") } else { t.to_owned() };
    let _ = writeln!(out, "{}", bold("Guardrails"));
    for v in &o.facts.verdicts {
        let best = v.evidence();
        let where_ = best.map_or_else(String::new, |d| {
            let (p, _) = s.position(d.loc.span);
            super::text::terminal(&format!("  {} ({}:{})", d.what, s.get(d.loc.span.file).display, p.line))
        });
        let status = if color {
            let code = match crate::status::Status::of(v.guardrail, v.status).tone() {
                crate::status::Tone::Good => "32",
                crate::status::Tone::Bad => "31",
                crate::status::Tone::Doubtful => "33",
            };
            format!("\x1b[{code}m{:<13}\x1b[0m", v.status)
        } else {
            format!("{:<13}", v.status)
        };
        let _ = writeln!(out, "  {:<31} {status}{where_}", v.guardrail);
        for n in best.map_or(&[][..], |d| d.notes.as_slice()) {
            let _ = writeln!(out, "  {:<31} {:<13}  note: {}", "", "", super::text::terminal(n));
        }
    }
    // per account, the two account guardrails side by side
    let mfa = o.facts.verdicts.iter().find(|v| v.guardrail == crate::evidence::HARDWARE_MFA);
    let keys = o.facts.verdicts.iter().find(|v| v.guardrail == crate::evidence::ACCESS_KEYS);
    if let (Some(m), Some(k)) = (mfa, keys)
        && !m.decls.is_empty()
    {
        let _ = writeln!(out, "\n{}", bold("Accounts"));
        let _ = writeln!(out, "  {:<42} {:<20} root-access-keys", "account", "root-hardware-mfa");
        for (dm, dk) in m.decls.iter().zip(&k.decls) {
            let (p, _) = s.position(dm.loc.span);
            let _ = writeln!(
                out,
                "  {:<42} {:<20} {:<9} {}:{}",
                super::text::terminal(&dm.what),
                dm.status,
                dk.status,
                super::text::terminal(&s.get(dm.loc.span.file).display),
                p.line
            );
        }
    }
    let counts = o.by_severity();
    let total = o.findings.iter().filter(|f| f.suppression.is_none()).count();
    let waived = o.findings.len() - total;
    let detail = if counts.is_empty() {
        String::new()
    } else {
        format!(
            " ({})",
            counts
                .iter()
                .map(|(s, n)| format!("{n} {}", s.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let _ = writeln!(
        out,
        "\n{} finding{}{detail}{}; {} file{} scanned; {}",
        total,
        if total == 1 { "" } else { "s" },
        if waived > 0 { format!(", {waived} waived") } else { String::new() },
        o.scan.files.len(),
        if o.scan.files.len() == 1 { "" } else { "s" },
        o.gate()
    );
    out
}
