//! `--format markdown`: a pull-request comment (and the GitHub step summary).

use std::fmt::Write as _;

use super::Outcome;

use super::text::{markdown as cell, markdown_code as code};

/// One line for logs: the verdicts and whether the check failed.
#[must_use]
pub fn verdict_line(o: &Outcome<'_>) -> String {
    let v: Vec<String> = o.facts.verdicts.iter().map(|v| format!("{}={}", v.guardrail, v.status)).collect();
    format!(
        "rootguard: {} finding(s); {}",
        o.findings.iter().filter(|f| f.suppression.is_none()).count(),
        v.join(" ")
    )
}

/// The Markdown report.
#[must_use]
pub fn render(o: &Outcome<'_>) -> String {
    let s = &o.scan.sources;
    let mut out = String::from("## rootguard: root-account MFA guardrails\n\n| guardrail | status | evidence |\n|---|---|---|\n");
    for v in &o.facts.verdicts {
        let best = v.evidence();
        let evidence = best.map_or_else(String::new, |d| {
            let (p, _) = s.position(d.loc.span);
            format!(
                "{} ({})",
                cell(&d.what),
                code(&format!("{}:{}", s.get(d.loc.span.file).display, p.line))
            )
        });
        let mark = match crate::status::Status::of(v.guardrail, v.status).tone() {
            crate::status::Tone::Good => "✅",
            crate::status::Tone::Doubtful => "⚠️",
            crate::status::Tone::Bad => "❌",
        };
        let _ = writeln!(out, "| `{}` | {mark} `{}` | {} |", v.guardrail, v.status, evidence);
    }
    let active: Vec<_> = o.findings.iter().filter(|f| f.suppression.is_none()).collect();
    let suppressed = o.findings.len() - active.len();
    let _ = write!(out, "\n### Findings ({})\n\n", active.len());
    if active.is_empty() {
        out.push_str("No findings.\n");
    } else {
        out.push_str("| severity | rule | location | message |\n|---|---|---|---|\n");
        for f in active {
            let at = f.loc.as_ref().map_or_else(String::new, |l| {
                let (p, _) = s.position(l.span);
                code(&format!("{}:{}", s.get(l.span.file).display, p.line))
            });
            let _ = writeln!(
                out,
                "| {} | {} `{}` | {} | {} |",
                f.severity.as_str(),
                f.rule,
                f.name,
                at,
                cell(&f.message)
            );
        }
    }
    if suppressed > 0 {
        let _ = writeln!(out, "\n{suppressed} finding(s) suppressed by waivers.");
    }
    let _ = writeln!(
        out,
        "\n{}",
        match o.fail_on {
            Some(level) if o.failed() => format!("**Failing**: a finding at or above `{}`.", level.as_str()),
            Some(level) => format!("Passing: no finding at or above `{}`.", level.as_str()),
            None => "Not gating (`--fail-on never`).".to_owned(),
        }
    );
    out
}
