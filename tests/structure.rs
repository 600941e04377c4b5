//! The module graph: the top-level modules of `src/` form no import cycle, and each names only
//! modules of its own pipeline stage or an earlier one (ARCHITECTURE.md, "Pipeline").
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The pipeline's stages, first to last: a module may name only modules of its own stage or an
/// earlier one (never a later one), and no two modules may name each other, directly or not.
const STAGES: &[&[&str]] = &[
    // leaves: spans and sources, errors, severities, the bounds of a run, timings, git
    &["source", "error", "severity", "bounds", "timings", "git"],
    &["parse"],
    // the evaluation budget, which counts parsed values
    &["limits"],
    &["discover", "config", "cli"],
    &["model"],
    &["tf"],
    &["scan"],
    &["analyze"],
    &["evidence"],
    &["finding", "status"],
    &["waivers"],
    &["rules"],
    &["report"],
    &["run", "fuzzing"],
];

fn stage(m: &str) -> Option<usize> {
    STAGES.iter().position(|s| s.contains(&m))
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Top-level module → the top-level modules its code names (`crate::x`), tests left out.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let modules: BTreeSet<String> = all
        .iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(&src).unwrap();
            let first = rel.components().next()?.as_os_str().to_string_lossy().into_owned();
            Some(first.trim_end_matches(".rs").to_owned())
        })
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in &all {
        let rel = p.strip_prefix(&src).unwrap();
        let from = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if !modules.contains(&from) {
            continue;
        }
        let text = std::fs::read_to_string(p).unwrap();
        // the code before the unit tests
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + 7..];
            // `crate::x` and `crate::{x, y::z}`
            let names: Vec<String> = match rest.strip_prefix('{') {
                Some(group) => group[..group.find('}').unwrap_or(group.len())]
                    .split(',')
                    .filter_map(|part| part.trim().split("::").next().map(str::to_owned))
                    .collect(),
                None => vec![rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()],
            };
            for name in names {
                if name != from && modules.contains(&name) {
                    g.entry(from.clone()).or_default().insert(name);
                }
            }
        }
        // `super::x` from a file directly below `src/x/` stays inside the module
    }
    g
}

/// Can `to` reach `from` in `g`?
fn reaches(g: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_owned()];
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if seen.insert(n.clone()) {
            stack.extend(g.get(&n).into_iter().flatten().cloned());
        }
    }
    false
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let g = graph();
    assert!(g.len() > 10, "{g:?}");
    let mut cyclic = Vec::new();
    for (from, tos) in &g {
        for to in tos {
            if reaches(&g, to, from) {
                cyclic.push(format!("{from} -> {to}"));
            }
        }
    }
    assert!(cyclic.is_empty(), "import edges that close a cycle: {cyclic:?}");
}

#[test]
fn every_module_has_a_stage_and_names_only_earlier_stages() {
    let g = graph();
    let mut wrong = Vec::new();
    for (from, tos) in &g {
        let Some(f) = stage(from) else {
            wrong.push(format!("{from} has no stage in STAGES"));
            continue;
        };
        for to in tos {
            match stage(to) {
                None => wrong.push(format!("{to} has no stage in STAGES")),
                Some(t) if t > f => wrong.push(format!("{from} (stage {f}) -> {to} (stage {t}): a later stage")),
                Some(_) => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
