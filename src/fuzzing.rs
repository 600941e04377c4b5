//! Entry points of the fuzz targets in `fuzz/`: each runs one input through the same code as a
//! scan, in memory. Not a stable API.

use std::path::Path;

/// One file named `name` (its extension decides how it is read) with bytes `data`: decode,
/// parse, model, evaluate (a Terraform file as a one-file module), analyze, build the
/// document.
pub fn one_file(name: &str, data: &[u8]) {
    let Ok((text, _)) = crate::source::decode(data) else { return };
    let _ = one_text(name, text);
}

/// One file given as text, read as a scan reads it (`scan::one_text`), then analyzed, with the
/// model document built: the scan and its facts.
#[must_use]
pub fn one_text(name: &str, text: String) -> (crate::scan::Scan, crate::analyze::Facts) {
    let mut s = crate::scan::one_text(name, text);
    let facts = crate::analyze::run(&mut s.model);
    let _ = crate::rules::document::document(&s.sources, &s.model, &facts, &s.counts());
    (s, facts)
}

/// A configuration file.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = crate::config::parse(Path::new(".rootguard.yml"), text);
}

/// An AWS CLI export read as account evidence, and judged.
pub fn evidence(data: &[u8]) {
    let Ok((text, _)) = crate::source::decode(data) else { return };
    let _ = crate::evidence::judge_text("123456789012/export.json", text);
}
