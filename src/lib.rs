//! rootguard: proves from infrastructure-as-code whether an AWS organization's root-account MFA
//! guardrails are really deployed.
//!
//! The pipeline, one module per stage: [`discover`] → [`parse`] → [`model`] → `analyze` →
//! `rules` → `report`.

pub mod analyze;
pub mod bounds;
pub mod cli;
pub mod config;
pub mod discover;
pub mod error;
pub mod evidence;
pub mod finding;
#[doc(hidden)]
pub mod fuzzing;
pub mod git;
pub mod limits;
pub mod model;
pub mod parse;
pub mod report;
pub mod rules;
pub mod run;
pub mod scan;
pub mod severity;
pub mod source;
pub mod status;
pub mod tf;
pub mod timings;
pub mod waivers;
