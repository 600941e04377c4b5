//! rootguard: proves from infrastructure-as-code whether an AWS organization's root-account MFA
//! guardrails are really deployed.
//!
//! The library is the `rootguard` command's pipeline: discover → parse → model → analyze →
//! rules → report (see `ARCHITECTURE.md`). Its stable surface is small:
//!
//! - [`cli`]: the command line, as `clap` types;
//! - [`run`]: the commands ([`run::check`], [`run::model`], …), each returning the text to print
//!   and the exit code ([`run::EXIT_OK`], [`run::EXIT_FINDINGS`], [`run::EXIT_ERROR`]);
//! - [`error`]: the errors that stop a run (exit 2), by kind;
//! - [`finding`], [`severity`] and [`status`]: what a report holds.
//!
//! ```
//! use clap::Parser;
//! use rootguard::cli::{Cli, Command};
//!
//! // `rootguard check --format json testdata/landing-zone`, as a library call
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/landing-zone");
//! let cli = Cli::try_parse_from(["rootguard", "check", "--format", "json", dir]).unwrap();
//! let Command::Check(args) = &cli.command else { unreachable!() };
//! let (report, exit) = rootguard::run::check(args, false).unwrap();
//! let json: serde_json::Value = serde_json::from_str(&report).unwrap();
//! assert_eq!(json["summary"]["guardrails"]["root-deny-scp"]["status"], "enforced");
//! assert_eq!(json["summary"]["guardrails"]["root-usage-alarm"]["status"], "incomplete");
//! // the example's root MFA rule runs at a frequency AWS does not accept (RG104, high)
//! assert_eq!(exit, rootguard::run::EXIT_FINDINGS);
//! ```
//!
//! The other modules are public only so that the integration tests and the fuzz targets can
//! reach them; they are hidden from the documentation and are not a stable API.
#![warn(missing_docs)]

pub mod cli;
pub mod error;
pub mod finding;
pub mod run;
pub mod severity;
pub mod status;

#[doc(hidden)]
pub mod analyze;
pub(crate) mod bounds;
#[doc(hidden)]
pub mod config;
#[doc(hidden)]
pub mod discover;
pub(crate) mod evidence;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod git;
#[doc(hidden)]
pub mod limits;
pub(crate) mod model;
#[doc(hidden)]
pub mod parse;
#[doc(hidden)]
pub mod report;
#[doc(hidden)]
pub mod rules;
#[doc(hidden)]
pub mod scan;
#[doc(hidden)]
pub mod source;
pub(crate) mod tf;
#[doc(hidden)]
pub mod timings;
pub(crate) mod waivers;
