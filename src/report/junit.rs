//! `--format junit`: one test case per guardrail and one per finding, for CI systems that show
//! test reports.

use std::fmt::Write as _;

use super::Outcome;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => o.push(c),
        }
    }
    o
}

/// The JUnit XML report.
#[must_use]
pub fn render(o: &Outcome<'_>) -> String {
    let s = &o.scan.sources;
    let mut cases = String::new();
    let mut failures = 0usize;
    for v in &o.facts.verdicts {
        let ok = crate::status::Status::of(v.guardrail, v.status).is_good();
        let _ = write!(
            cases,
            "    <testcase classname=\"rootguard.guardrails\" name=\"{}\">",
            esc(v.guardrail)
        );
        if !ok {
            failures += 1;
            let _ = write!(
                cases,
                "<failure type=\"{}\" message=\"{}: {}\"/>",
                esc(v.status),
                esc(v.guardrail),
                esc(v.status)
            );
        }
        cases.push_str("</testcase>\n");
    }
    let mut skipped = 0usize;
    for f in o.findings {
        let at = f.loc.as_ref().map_or_else(String::new, |l| {
            let (p, _) = s.position(l.span);
            format!("{}:{}:{}", s.get(l.span.file).display, p.line, p.column)
        });
        let _ = write!(
            cases,
            "    <testcase classname=\"rootguard.{}\" name=\"{} {}\" file=\"{}\">",
            esc(&f.rule),
            esc(&f.name),
            esc(&at),
            esc(at.split(':').next().unwrap_or(""))
        );
        if let Some(w) = &f.suppression {
            skipped += 1;
            let _ = write!(cases, "<skipped message=\"waived: {}\"/>", esc(&w.reason));
        } else if o.fails(f) {
            failures += 1;
            let _ = write!(
                cases,
                "<failure type=\"{}\" message=\"{}\">{}</failure>",
                f.severity.as_str(),
                esc(&f.message),
                esc(&format!("{at}\n{}\nhelp: {}", f.message, f.help))
            );
        } else {
            let _ = write!(
                cases,
                "<system-out>{}</system-out>",
                esc(&format!("{} {at}: {}", f.severity.as_str(), f.message))
            );
        }
        cases.push_str("</testcase>\n");
    }
    let tests = o.facts.verdicts.len() + o.findings.len();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rootguard\" tests=\"{tests}\" failures=\"{failures}\">\n  <testsuite name=\"rootguard\" tests=\"{tests}\" failures=\"{failures}\" skipped=\"{skipped}\" errors=\"0\">\n{cases}  </testsuite>\n</testsuites>\n"
    )
}
