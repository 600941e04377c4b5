//! The commands, as functions from arguments to output text and an exit code.

use std::collections::BTreeMap;

use crate::cli::{CheckArgs, FailOn, Format, ScanArgs};
use crate::error::{Action, Error};
use crate::rules::{self, Rule, Severity};
use crate::scan::{self, Scan};
use crate::{analyze, model, report};

/// Exit code: no finding at or above `--fail-on`.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above `--fail-on` (an `unknown` guardrail included).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: the run could not be done (an [`Error`]).
pub const EXIT_ERROR: u8 = 2;

fn options(a: &ScanArgs, cfg: &crate::config::Config) -> Result<scan::Options, Error> {
    crate::limits::set(crate::limits::parse(&a.limit)?);
    let mut vars = Vec::new();
    for v in &a.vars {
        let (k, val) = v
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("--var `{v}` is not NAME=VALUE")))?;
        vars.push((k.trim().to_owned(), val.to_owned()));
    }
    for g in &a.known_module {
        globset::Glob::new(g).map_err(|e| Error::Glob {
            glob: g.clone(),
            reason: e.kind().to_string(),
            source: e,
        })?;
    }
    // TF_VAR_name, as Terraform reads them (sorted, so the order never depends on the environment)
    let mut env_vars: Vec<(String, String)> = std::env::vars()
        .filter_map(|(k, v)| k.strip_prefix("TF_VAR_").map(|n| (n.to_owned(), v)))
        .collect();
    env_vars.sort();
    Ok(scan::Options {
        paths: a.paths.clone(),
        walk: crate::discover::Walk {
            include: a.include.clone(),
            exclude: a.exclude.clone(),
            all_files: a.all_files,
        },
        max_file_bytes: a.max_file_size,
        tf: crate::tf::Options {
            vars,
            env_vars,
            known_modules: a.known_module.clone(),
            // set by the scan
            roots: Vec::new(),
            pruned: std::collections::BTreeSet::new(),
            max_file_bytes: Some(a.max_file_size),
            units: Vec::new(),
        },
        var_files: a.var_file.clone(),
        templates: {
            let base = cfg
                .file
                .as_ref()
                .and_then(|f| f.parent())
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default();
            cfg.templates
                .iter()
                .map(|(k, v)| (k.clone(), base.join(v)))
                .collect::<BTreeMap<_, _>>()
        },
        progress: progress_display(),
        threads: a
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get)),
        parse_all: a.parse_all,
    })
}

/// Scan and analyze: the model document and everything behind it.
///
/// # Errors
/// Tool errors (paths, globs).
pub fn analyze(
    a: &ScanArgs,
    cfg: &crate::config::Config,
) -> Result<(Scan, analyze::Facts, serde_json::Value, rules::document::Index), Error> {
    analyze_with(a, cfg, &[], false)
}

/// [`analyze`], also judging the account evidence below `evidence` (only that, without
/// scanning infrastructure-as-code, when `evidence_only`).
///
/// # Errors
/// Tool errors (paths, globs).
pub fn analyze_with(
    a: &ScanArgs,
    cfg: &crate::config::Config,
    evidence: &[std::path::PathBuf],
    evidence_only: bool,
) -> Result<(Scan, analyze::Facts, serde_json::Value, rules::document::Index), Error> {
    let mut s = if evidence_only {
        Scan::default()
    } else {
        scan::scan(&options(a, cfg)?)?
    };
    let mut facts = crate::timings::phase("analyze", || analyze::run(&mut s.model));
    let ev = if evidence.is_empty() {
        None
    } else {
        Some(crate::timings::phase("evidence", || {
            crate::evidence::read(&mut s.sources, evidence)
        })?)
    };
    if let Some(ev) = &ev {
        s.files.extend(ev.files.iter().map(|f| scan::FileInfo {
            display: f.clone(),
            kind: crate::discover::Kind::Evidence,
        }));
        if evidence_only {
            facts.verdicts.clear();
        }
        facts.verdicts.extend(crate::evidence::verdicts(ev));
    }
    let (mut doc, mut index) = crate::timings::phase("document", || rules::document::document(&s.sources, &s.model, &facts, &s.counts()));
    if let Some(ev) = &ev {
        rules::document::add_evidence(&mut doc, &mut index, &s.sources, ev);
    }
    rules::document::add_exclusions(&mut doc, &mut index, &s.sources, &s.excluded);
    Ok((s, facts, doc, index))
}

/// `rootguard model`.
///
/// # Errors
/// Tool errors.
pub fn model(a: &ScanArgs) -> Result<String, Error> {
    let cfg = crate::config::load(a.config.as_deref(), &a.paths)?;
    let (_, _, doc, _) = analyze(&with_config(a, &cfg), &cfg)?;
    let mut s = serde_json::to_string_pretty(&doc).map_err(|e| Error::Usage(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// All rules: built-in ones, those of the `--policy` files (`named`, read wherever they are)
/// and those the configuration lists (`configured`, read only below `config_dir`).
///
/// # Errors
/// A bad policy file.
pub fn load_rules(
    named: &[std::path::PathBuf],
    configured: &[std::path::PathBuf],
    config_dir: Option<&std::path::Path>,
) -> Result<Vec<Rule>, Error> {
    use crate::source::{Confine, Roots};
    let mut all = rules::builtin()?;
    let anywhere = Roots::default();
    let tree = Roots::new(&config_dir.map(std::path::Path::to_path_buf).into_iter().collect::<Vec<_>>());
    let policies = named
        .iter()
        .map(|p| (p, Confine::Named(&anywhere)))
        .chain(configured.iter().map(|p| (p, Confine::Within(&tree))));
    for (p, confine) in policies {
        let user = rules::user_rules(p, confine)?;
        if let Some(first) = user.first() {
            rules::engine::validate_policy(first)?;
        }
        for r in &user {
            if all.iter().any(|x| x.id == r.id) {
                return Err(Error::Policy {
                    file: r.file.clone(),
                    reason: format!("rule `{}` is defined twice", r.id),
                });
            }
        }
        all.extend(user);
    }
    Ok(all)
}

/// `rootguard check`: the report text and the exit code.
///
/// # Errors
/// Tool errors (exit 2).
pub fn check(a: &CheckArgs, color: bool) -> Result<(String, u8), Error> {
    let cfg_head = crate::config::load(a.scan.config.as_deref(), &a.scan.paths)?;
    // pull-request mode: the base revision's tree, read with git into a scratch directory
    let base_tree = match &a.base {
        Some(rev) => Some(BaseTree::read(rev, &a.scan.paths)?),
        None => None,
    };
    // with --trust-base-config, the gate (configuration and waivers) is the base revision's,
    // found in the base tree as it would be in the working tree: a pull request that deletes,
    // moves or breaks the configuration does not change the gate
    let cfg = match (&base_tree, a.trust_base_config) {
        (Some(bt), true) => {
            let file = if let Some(explicit) = &a.scan.config {
                Some(bt.map(explicit)).filter(|f| f.is_file())
            } else {
                let first = a.scan.paths.first().cloned().unwrap_or_else(|| ".".into());
                let top = std::fs::canonicalize(&bt.dir).unwrap_or_else(|_| bt.dir.clone());
                crate::config::find_below(&bt.map(&first), Some(&top))
            };
            match file {
                Some(f) => crate::config::load(Some(&f), &[])
                    .map_err(|e| Error::Usage(format!("the base revision's configuration (--trust-base-config) is not valid: {e}")))?,
                None => crate::config::Config::default(),
            }
        }
        _ => cfg_head,
    };
    let base_dir = cfg.file.as_ref().and_then(|f| f.parent()).map(std::path::Path::to_path_buf);
    let configured: Vec<std::path::PathBuf> = cfg
        .policies
        .iter()
        .map(|p| base_dir.as_ref().map_or_else(|| p.clone(), |b| b.join(p)))
        .collect();
    // `--select` replaces the configuration's selection, `--ignore` adds to its ignore list
    let mut cfg = cfg;
    if !a.select.is_empty() {
        cfg.select.clone_from(&a.select);
    }
    cfg.ignore.extend(a.ignore.iter().cloned());
    let all_rules = crate::timings::phase("rules", || load_rules(&a.policy, &configured, base_dir.as_deref()))?;
    for pattern in a.select.iter().chain(&a.ignore) {
        if !all_rules.iter().any(|r| crate::rules::id_matches(pattern, &r.id)) {
            return Err(Error::Usage(format!(
                "`--select` / `--ignore`: no rule matches `{pattern}` (see `rootguard rules`)"
            )));
        }
    }
    let mut rules = select_rules(all_rules, &cfg);
    if a.evidence_only {
        // no infrastructure-as-code: only the rules of the account guardrails and the general ones
        rules.retain(|r| {
            r.user
                || r.guardrails
                    .iter()
                    .any(|g| g == "any" || crate::evidence::GUARDRAILS.contains(&g.as_str()))
        });
    }
    let scan_args = with_config(&a.scan, &cfg);
    let today = crate::config::today();
    // the base revision first: its findings and verdicts are what the pull request is compared with
    let base_result = match &base_tree {
        Some(bt) => {
            let mut args = scan_args.clone();
            args.paths = a.scan.paths.iter().map(|p| bt.map(p)).collect();
            args.config = None;
            // the base tree holds the tracked files only: none is hidden by an ignore file
            args.all_files = true;
            let mut cfg_base = cfg.clone();
            cfg_base.file = cfg.file.as_ref().map(|f| bt.map(f));
            let base_waivers = cfg_base.file.as_ref().and_then(|f| f.parent()).map(std::path::Path::to_path_buf);
            let (scan, facts, findings) = pipeline(
                &args,
                &cfg_base,
                &[],
                false,
                &rules,
                &today,
                base_waivers.as_deref(),
                |_, _, _, _, _| Ok(()),
            )?;
            let keys: std::collections::BTreeSet<String> = findings.iter().map(|f| bt.key(f, &scan)).collect();
            let verdicts: Vec<(&'static str, &'static str)> = facts.verdicts.iter().map(|v| (v.guardrail, v.status)).collect();
            Some((keys, verdicts))
        }
        None => None,
    };
    let (scan, facts, mut findings) = pipeline(
        &scan_args,
        &cfg,
        &a.evidence,
        a.evidence_only,
        &rules,
        &today,
        base_dir.as_deref(),
        |scan, facts, waivers, doc, index| {
            let (Some(bt), Some((_, base_verdicts))) = (&base_tree, &base_result) else {
                return Ok(());
            };
            // an inline waiver the base revision does not have (the same comment in the same
            // file, bound to the same code) is reported; with --trust-base-config it suppresses
            // nothing
            let base_inline = bt.inline_waivers(&today);
            for w in waivers.iter_mut().filter(|w| w.kind == "inline") {
                let f = scan.sources.get(w.loc.span.file);
                let (file, text) = (bt.rel(&f.path), &f.text[w.loc.span.range()]);
                if !base_inline
                    .iter()
                    .any(|(bf, bt_, bb)| *bf == file && bt_ == text && *bb == w.binds.1)
                {
                    w.added = Some(!a.trust_base_config);
                }
            }
            let rev = a.base.clone().unwrap_or_default();
            rules::document::add_regressions(doc, index, &scan.sources, &scan.model, facts, base_verdicts, &rev);
            let changes = vendored_changes(scan, bt, &rev, a.scan.max_file_size)?;
            rules::document::add_vendored_changes(doc, index, &scan.sources, &changes);
            Ok(())
        },
    )?;
    if let (Some(bt), Some((keys, _))) = (&base_tree, &base_result) {
        // only what the pull request brings: findings absent at the base, and regressions
        findings.retain(|f| f.rule == "RG701" || !keys.contains(&bt.key(f, &scan)));
    }
    let fail_choice = a
        .fail_on
        .or_else(|| {
            cfg.fail_on
                .as_deref()
                .and_then(|f| <FailOn as clap::ValueEnum>::from_str(f, true).ok())
        })
        .unwrap_or(FailOn::High);
    let fail_on = match fail_choice {
        FailOn::Info => Some(Severity::Info),
        FailOn::Low => Some(Severity::Low),
        FailOn::Medium => Some(Severity::Medium),
        FailOn::High => Some(Severity::High),
        FailOn::Critical => Some(Severity::Critical),
        FailOn::Never => None,
    };
    let o = report::Outcome {
        scan: &scan,
        facts: &facts,
        findings: &findings,
        rules: &rules,
        fail_on,
    };
    let failed = o.failed();
    let render = |format: Format, color: bool| -> Result<String, Error> {
        Ok(match format {
            Format::Json => {
                let doc = report::json::document(&o);
                let mut s = serde_json::to_string_pretty(&doc).map_err(|e| Error::Usage(e.to_string()))?;
                s.push('\n');
                s
            }
            Format::Sarif => {
                let mut s = serde_json::to_string_pretty(&report::sarif::document(&o)).map_err(|e| Error::Usage(e.to_string()))?;
                s.push('\n');
                s
            }
            Format::Github => report::github::render(&o),
            Format::Markdown => report::markdown::render(&o),
            Format::Junit => report::junit::render(&o),
            Format::Human => report::human::render(&o, color, a.quiet),
        })
    };
    let started = std::time::Instant::now();
    for spec in &a.output {
        let (f, path) = spec
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("--output `{spec}` is not FORMAT=PATH")))?;
        let format = Format::parse(f).ok_or_else(|| Error::Usage(format!("--output: unknown format `{f}`")))?;
        std::fs::write(path, render(format, false)?).map_err(|e| Error::io(Action::Write, path, e))?;
    }
    crate::timings::record("report", started.elapsed());
    let github = a.format == Format::Github
        || a.output
            .iter()
            .any(|s| s.split_once('=').is_some_and(|(f, _)| Format::parse(f) == Some(Format::Github)));
    if github && let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty()) {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&summary)
            .map_err(|e| Error::io(Action::Write, summary.to_string_lossy(), e))?;
        f.write_all(report::markdown::render(&o).as_bytes())
            .map_err(|e| Error::io(Action::Write, summary.to_string_lossy(), e))?;
    }
    let text = crate::timings::phase("report", || render(a.format, color))?;
    Ok((text, if failed { EXIT_FINDINGS } else { EXIT_OK }))
}

/// One tree through the pipeline, the same for the working tree and the base revision: scan
/// and analyze, collect the waivers, let `extend` add to them and to the model document (what
/// pull-request mode compares), evaluate the rules, give `unknown` verdicts their gate
/// severity, and apply the waivers (`waiver_base`: the directory configuration waivers' paths
/// are relative to).
#[allow(clippy::too_many_arguments)]
fn pipeline(
    args: &ScanArgs,
    cfg: &crate::config::Config,
    evidence: &[std::path::PathBuf],
    evidence_only: bool,
    rules: &[Rule],
    today: &str,
    waiver_base: Option<&std::path::Path>,
    extend: impl FnOnce(
        &mut Scan,
        &analyze::Facts,
        &mut Vec<crate::waivers::Located>,
        &mut serde_json::Value,
        &mut rules::document::Index,
    ) -> Result<(), Error>,
) -> Result<(Scan, analyze::Facts, Vec<crate::finding::Finding>), Error> {
    let (scan, facts, mut doc, mut index) = analyze_with(args, cfg, evidence, evidence_only)?;
    let (mut scan, mut waivers) = crate::timings::phase("waivers", || collect_waivers(scan, cfg, today));
    extend(&mut scan, &facts, &mut waivers, &mut doc, &mut index)?;
    rules::document::add_waivers(&mut doc, &mut index, &scan.sources, &waivers);
    let mut findings = crate::timings::phase("policies", || rules::engine::evaluate(rules, &doc, &index, &scan))?;
    rules::gate_unknown(&mut findings, rules, cfg.severity.contains_key("RG012"));
    crate::waivers::apply(&mut findings, &waivers, &cfg.unsuppressible, &scan.sources, waiver_base);
    Ok((scan, facts, findings))
}

/// What a pull request changes in vendored module copies (`.terraform/modules`), one entry per
/// module directory: located at its first added or changed file (read into the sources), else
/// at the first file of the scan.
fn vendored_changes(scan: &mut Scan, bt: &BaseTree, rev: &str, max_bytes: u64) -> Result<Vec<(model::Loc, String)>, Error> {
    let mut groups: BTreeMap<String, Vec<(char, String)>> = BTreeMap::new();
    for (status, path) in crate::git::vendored_changes(&bt.root, rev)? {
        // `…/.terraform/modules/<key>/…`: the module directory
        let dir = path
            .find(".terraform/modules/")
            .map(|i| i + ".terraform/modules/".len())
            .and_then(|i| path[i..].find('/').map(|j| &path[..i + j]))
            .unwrap_or(path.as_str())
            .to_owned();
        groups.entry(dir).or_default().push((status, path));
    }
    let mut out = Vec::new();
    for (dir, files) in groups {
        let mut loc = None;
        for (_, path) in files.iter().filter(|(st, _)| *st != 'D') {
            let full = bt.root.join(path);
            let meta = std::fs::symlink_metadata(&full);
            if !meta.is_ok_and(|m| m.is_file() && m.len() <= max_bytes) {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(&full) {
                let id = scan.sources.add(full, path.clone(), text, crate::source::Encoding::Utf8);
                loc = Some(model::Loc::new(crate::source::Span::new(id, 0, 0), ""));
                break;
            }
        }
        let Some(loc) = loc.or_else(|| scan.model.anchors.any.clone()) else {
            continue;
        };
        let listed: Vec<String> = files
            .iter()
            .take(5)
            .map(|(st, p)| {
                let what = match st {
                    'A' => "added",
                    'D' => "deleted",
                    _ => "changed",
                };
                format!("`{p}` ({what})")
            })
            .collect();
        let more = if files.len() > 5 {
            format!(" and {} more", files.len() - 5)
        } else {
            String::new()
        };
        out.push((
            loc,
            format!(
                "this pull request changes the vendored module copy `{dir}` since {rev}: {}{more}; rootguard reads such copies as the module's source, so what they declare must match the real module",
                listed.join(", ")
            ),
        ));
    }
    Ok(out)
}

/// Inline waivers of the scanned files and those of the configuration (whose file joins the
/// sources, so findings can point into it).
fn collect_waivers(mut scan: Scan, cfg: &crate::config::Config, today: &str) -> (Scan, Vec<crate::waivers::Located>) {
    let mut waivers = crate::waivers::inline(&scan.sources, today);
    if let Some(file) = &cfg.file {
        let text = cfg.text.clone();
        let shown = std::env::current_dir()
            .ok()
            .and_then(|d| file.strip_prefix(d).ok().map(std::path::Path::to_path_buf))
            .unwrap_or_else(|| file.clone());
        let display = shown.to_string_lossy().replace('\\', "/");
        let id = scan.sources.add(
            file.clone(),
            display.trim_start_matches("./").to_owned(),
            text,
            crate::source::Encoding::Utf8,
        );
        waivers.extend(crate::waivers::configured(cfg, Some(id), &scan.sources, today));
    }
    (scan, waivers)
}

/// The base revision's tree, written below a scratch directory.
struct BaseTree {
    root: std::path::PathBuf,
    dir: std::path::PathBuf,
}

impl BaseTree {
    fn read(rev: &str, paths: &[std::path::PathBuf]) -> Result<Self, Error> {
        let first = paths.first().cloned().unwrap_or_else(|| ".".into());
        let root = std::fs::canonicalize(crate::git::toplevel(&first)?).map_err(|e| Error::Usage(e.to_string()))?;
        let dir = std::env::temp_dir().join(format!(
            "rootguard-base-{}-{}",
            std::process::id(),
            rev.replace(['/', '\\', ':', '~', '^'], "_")
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(Action::Create, dir.display(), e))?;
        crate::git::materialize(&root, rev, &dir)?;
        Ok(BaseTree { root, dir })
    }

    /// A path of the working tree → the same path in the base tree.
    fn map(&self, p: &std::path::Path) -> std::path::PathBuf {
        let abs = std::fs::canonicalize(p).unwrap_or_else(|_| std::env::current_dir().map_or_else(|_| p.to_path_buf(), |d| d.join(p)));
        // already a path of the base tree
        if std::fs::canonicalize(&self.dir).is_ok_and(|d| abs.starts_with(d)) {
            return abs;
        }
        abs.strip_prefix(&self.root)
            .map_or_else(|_| self.dir.clone(), |rel| self.dir.join(rel))
    }

    /// A path (of either tree) relative to the repository root.
    fn rel(&self, p: &std::path::Path) -> String {
        let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let r = abs
            .strip_prefix(&self.dir)
            .or_else(|_| abs.strip_prefix(&self.root))
            .map_or_else(|_| abs.clone(), std::path::Path::to_path_buf);
        r.to_string_lossy().replace('\\', "/")
    }

    /// The key that says "the same finding" across the two trees.
    fn key(&self, f: &crate::finding::Finding, scan: &Scan) -> String {
        let file = f
            .loc
            .as_ref()
            .map(|l| self.rel(&scan.sources.get(l.span.file).path))
            .unwrap_or_default();
        format!("{}:{}", f.fingerprint(&file), f.suppression.is_some())
    }

    /// Inline waiver comments of the base tree: (relative path, comment text, the code line it
    /// is bound to).
    fn inline_waivers(&self, today: &str) -> Vec<(String, String, String)> {
        let mut sources = crate::source::Sources::new();
        let roots = crate::source::Roots::new(std::slice::from_ref(&self.dir));
        let confine = crate::source::Confine::Within(&roots);
        for entry in ignore::WalkBuilder::new(&self.dir).hidden(false).build().flatten() {
            if entry.file_type().is_some_and(|t| t.is_file())
                && let Ok((text, _)) = crate::source::read_confined(entry.path(), confine, crate::scan::DEFAULT_MAX_FILE_BYTES)
            {
                sources.add(entry.path().to_path_buf(), String::new(), text, crate::source::Encoding::Utf8);
            }
        }
        crate::waivers::inline(&sources, today)
            .into_iter()
            .map(|w| {
                let f = sources.get(w.loc.span.file);
                (self.rel(&f.path), f.text[w.loc.span.range()].to_owned(), w.binds.1)
            })
            .collect()
    }
}

impl Drop for BaseTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The scan options with the configuration's globs and known module sources added.
fn with_config(a: &ScanArgs, cfg: &crate::config::Config) -> ScanArgs {
    let mut s = a.clone();
    s.include.extend(cfg.include.iter().cloned());
    s.exclude.extend(cfg.exclude.iter().cloned());
    s.known_module.extend(cfg.known_modules.iter().cloned());
    s
}

/// Apply the configuration's rule selection and severity overrides.
fn select_rules(rules: Vec<Rule>, cfg: &crate::config::Config) -> Vec<Rule> {
    rules
        .into_iter()
        // the waiver rules always run: a selection must not hide an expired waiver
        .filter(|r| r.id.starts_with("RG90") || cfg.select.is_empty() || cfg.select.iter().any(|p| crate::rules::id_matches(p, &r.id)))
        .filter(|r| r.id.starts_with("RG90") || !cfg.ignore.iter().any(|p| crate::rules::id_matches(p, &r.id)))
        .map(|mut r| {
            if let Some(sev) = cfg.severity.get(&r.id).and_then(|s| Severity::parse(s)) {
                r.severity = sev;
            }
            r
        })
        .collect()
}

/// `rootguard init`: write the starter configuration.
///
/// # Errors
/// An existing file (without `--force`), or one that cannot be written.
pub fn init(force: bool) -> Result<String, Error> {
    let path = std::path::Path::new(crate::config::FILE_NAME);
    if path.exists() && !force {
        return Err(Error::Usage(format!(
            "{} exists; use --force to overwrite it",
            crate::config::FILE_NAME
        )));
    }
    std::fs::write(path, crate::config::STARTER).map_err(|e| Error::io(Action::Write, crate::config::FILE_NAME, e))?;
    Ok(format!("wrote {}\n", crate::config::FILE_NAME))
}

/// Progress on standard error: only for a person at a terminal (not in CI), and only for
/// trees large enough to wait for. Machine formats on standard output are not affected.
fn progress_display() -> Option<fn(usize, usize)> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() || std::env::var_os("ROOTGUARD_NO_PROGRESS").is_some() {
        return None;
    }
    Some(show_progress)
}

fn show_progress(done: usize, total: usize) {
    if total < 2000 {
        return;
    }
    if done == total {
        eprint!("\r\x1b[2K");
    } else {
        eprint!("\rrootguard: reading files {done}/{total}");
    }
}

/// `rootguard rules`.
///
/// # Errors
/// A broken built-in rule.
pub fn list_rules() -> Result<String, Error> {
    let mut out = String::new();
    for r in rules::builtin()? {
        out.push_str(&format!("{:<6} {:<8} {:<40} {}\n", r.id, r.severity.as_str(), r.name, r.summary));
    }
    Ok(out)
}

/// `rootguard explain ID`.
///
/// # Errors
/// An unknown rule.
pub fn explain(id: &str) -> Result<String, Error> {
    let all = rules::builtin()?;
    let r = all
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(id) || r.name == id)
        .ok_or_else(|| Error::Usage(format!("no rule `{id}` (see `rootguard rules`)")))?;
    let mut out = format!(
        "# {} {}\n\nseverity: {}\nguardrails: {}\n",
        r.id,
        r.name,
        r.severity.as_str(),
        r.guardrails.join(", ")
    );
    if !r.references.is_empty() {
        out.push_str("references:\n");
        for x in &r.references {
            out.push_str(&format!("  - {x}\n"));
        }
    }
    out.push_str(&format!("\n{}\n\n{}", r.summary, r.docs.trim_start()));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}
