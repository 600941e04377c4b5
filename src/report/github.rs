//! `--format github`: workflow commands that annotate the pull request, plus the Markdown
//! summary for `$GITHUB_STEP_SUMMARY`.

use std::fmt::Write as _;

use super::Outcome;
use crate::rules::Severity;

/// Escape the message of a workflow command.
#[must_use]
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a property value of a workflow command.
#[must_use]
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The workflow commands, one line per finding (suppressed findings are left out).
#[must_use]
pub fn render(o: &Outcome<'_>) -> String {
    let s = &o.scan.sources;
    let mut out = String::new();
    for f in o.findings.iter().filter(|f| f.suppression.is_none()) {
        let cmd = match f.severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium | Severity::Low => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(l) = &f.loc {
            let (a, b) = s.position(l.span);
            props.push(format!("file={}", escape_property(&s.get(l.span.file).display)));
            props.push(format!("line={}", a.line));
            props.push(format!("endLine={}", b.line.max(a.line)));
            // GitHub reads columns only on single-line annotations
            if b.line == a.line {
                props.push(format!("col={}", a.column));
                props.push(format!("endColumn={}", b.column.max(a.column)));
            }
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("{} {} ({})", f.rule, f.name, f.severity.as_str()))
        ));
        let _ = writeln!(
            out,
            "::{cmd} {}::{}",
            props.join(","),
            escape_data(&format!("{}\n\nhelp: {}", f.message, f.help))
        );
    }
    out.push_str(&super::markdown::verdict_line(o));
    out.push('\n');
    out
}
