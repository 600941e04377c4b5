//! Command-line interface.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Proves from infrastructure-as-code whether an AWS organization's root-account MFA
/// guardrails are really deployed.
#[derive(Parser, Debug)]
#[command(name = "rootguard", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// The subcommand (`check` when none is named).
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Decide every guardrail and report findings (the default command).
    Check(CheckArgs),
    /// Judge AWS CLI exports of an audit (account summary, virtual MFA devices, credential
    /// report, organization accounts): does each account's root user have hardware MFA and no
    /// access key? Offline; the same report formats as `check`.
    Evidence(EvidenceArgs),
    /// Print the guardrail model (JSON) that rule policies are evaluated against.
    Model(ScanArgs),
    /// List the rules.
    Rules,
    /// Print one rule's documentation.
    Explain {
        /// Rule id (`RG101`) or name (`root-hardware-mfa-rule-missing`).
        rule: String,
    },
    /// Write a commented starter `.rootguard.yml` in the current directory.
    Init {
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// What to scan.
#[derive(Args, Debug, Clone)]
pub struct ScanArgs {
    /// Directories or files to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Configuration file [default: `.rootguard.yml` at the first path or above it, up to the
    /// git root].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Only scan files matching this glob (relative to each scanned directory); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip files and directories matching this glob; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Largest file read, in bytes; a larger file is a finding.
    #[arg(long, value_name = "BYTES", default_value_t = crate::bounds::DEFAULT_MAX_FILE_BYTES)]
    pub max_file_size: u64,
    /// Set a Terraform root-module variable, like `terraform plan -var`; repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read Terraform variable values from a file, like `terraform plan -var-file`; repeatable.
    #[arg(long, value_name = "FILE")]
    pub var_file: Vec<PathBuf>,
    /// A Terraform module source (glob) known not to declare guardrails: when it cannot be
    /// read, it does not make absent guardrails `unknown`; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub known_module: Vec<String>,
    /// Print the wall time of each phase (discover, read and parse, terraform, model, analyze,
    /// document, policies, report) on standard error.
    #[arg(long)]
    pub timings: bool,
    /// Threads that read and parse files [default: the number of CPUs]; the output is the
    /// same for any number.
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Parse every file, also YAML, JSON and Terraform files that carry no guardrail marker
    /// (such files cannot declare a guardrail, so verdicts never change; their syntax errors
    /// are reported only with this switch).
    #[arg(long)]
    pub parse_all: bool,
    /// Scan every file, whatever ignore files say (set for a tree of tracked files only, such
    /// as the base revision of a pull request).
    #[arg(skip)]
    pub all_files: bool,
    /// Raise or lower a resource limit: depth, module-depth, instances, string-bytes,
    /// eval-steps (see the README's Security section); repeatable.
    #[arg(long, value_name = "NAME=N")]
    pub limit: Vec<String>,
}

/// The arguments of `check`.
#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    /// What to scan, and how (shared with `model`).
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Output format on standard output.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Pull-request mode: also evaluate the tree at this git revision (read with git, never
    /// touching the working tree) and report only new findings and guardrails whose verdict
    /// got worse.
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// With `--base`: read the configuration and waivers from the base revision, so a pull
    /// request cannot loosen its own gate.
    #[arg(long, requires = "base")]
    pub trust_base_config: bool,
    /// Also write a report in FORMAT to PATH (for example `sarif=rootguard.sarif`); repeatable.
    #[arg(long, value_name = "FORMAT=PATH")]
    pub output: Vec<String>,
    /// Exit 1 when a finding at or above this severity exists [default: `fail-on` of the
    /// configuration, else high].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Extra Guard policy file evaluated over the model like the built-in rules; repeatable.
    #[arg(long, value_name = "FILE.guard")]
    pub policy: Vec<PathBuf>,
    /// Only these rules (ids or globs such as `RG2*`; replaces the configuration's `select`);
    /// repeatable or comma-separated.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Not these rules (ids or globs; added to the configuration's `ignore`); repeatable or
    /// comma-separated.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Print only the verdict table and totals (human output).
    #[arg(long, short)]
    pub quiet: bool,
    /// Also judge the AWS CLI exports below DIR (see `rootguard evidence`); repeatable.
    #[arg(long, value_name = "DIR")]
    pub evidence: Vec<PathBuf>,
    /// Only the account evidence: no infrastructure-as-code is scanned (`rootguard evidence`).
    #[arg(skip)]
    pub evidence_only: bool,
}

/// The arguments of `evidence`.
#[derive(Args, Debug, Clone)]
pub struct EvidenceArgs {
    /// Directories or files holding the exports (an export without an ARN belongs to the
    /// account whose 12-digit id is in its path).
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Output format on standard output.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also write a report in FORMAT to PATH; repeatable.
    #[arg(long, value_name = "FORMAT=PATH")]
    pub output: Vec<String>,
    /// Exit 1 when a finding at or above this severity exists [default: high].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Configuration file (rule selection, severities, waivers).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Print only the verdict table and totals (human output).
    #[arg(long, short)]
    pub quiet: bool,
}

impl EvidenceArgs {
    /// The same run as `check --evidence DIR…` without infrastructure-as-code.
    #[must_use]
    pub fn to_check(&self) -> CheckArgs {
        CheckArgs {
            scan: ScanArgs {
                paths: Vec::new(),
                config: self.config.clone(),
                include: Vec::new(),
                exclude: Vec::new(),
                max_file_size: crate::bounds::DEFAULT_MAX_FILE_BYTES,
                vars: Vec::new(),
                var_file: Vec::new(),
                known_module: Vec::new(),
                timings: false,
                threads: None,
                parse_all: false,
                all_files: false,
                limit: Vec::new(),
            },
            format: self.format,
            base: None,
            trust_base_config: false,
            output: self.output.clone(),
            fail_on: self.fail_on,
            policy: Vec::new(),
            select: Vec::new(),
            ignore: Vec::new(),
            color: self.color,
            quiet: self.quiet,
            evidence: self.dirs.clone(),
            evidence_only: true,
        }
    }
}

/// A report format.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Diagnostics in the rustc style, then the verdict table (the default).
    Human,
    /// The findings and the guardrail verdicts of the report contract.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub workflow commands (annotations); also appends the Markdown summary to
    /// `$GITHUB_STEP_SUMMARY` when it is set.
    Github,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// JUnit XML, for CI systems that show test reports.
    Junit,
}

impl Format {
    /// Parse a format name (for `--output FORMAT=PATH`).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        <Self as ValueEnum>::from_str(s, true).ok()
    }
}

/// The lowest severity of an unsuppressed finding that makes the run fail (exit 1).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// Any finding.
    Info,
    /// Low and above.
    Low,
    /// Medium and above.
    Medium,
    /// High and above.
    High,
    /// Critical only.
    Critical,
    /// Never fail on findings.
    Never,
}

/// When to colour the human output.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The subcommand names, for inserting the default `check`.
pub const SUBCOMMANDS: &[&str] = &["check", "evidence", "model", "rules", "explain", "init", "completions", "help"];
