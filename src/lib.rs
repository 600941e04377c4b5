//! rootguard: proves from infrastructure-as-code whether an AWS organization's root-account MFA
//! guardrails are really deployed.
//!
//! The pipeline, one module per stage: [`discover`] → [`parse`] → [`model`] → `analyze` →
//! `rules` → `report`.

pub mod parse;
pub mod source;
pub mod analyze;
pub mod discover;
pub mod error;
pub mod model;
pub mod scan;
pub mod finding;
pub mod rules;
pub mod report;
pub mod cli;
pub mod run;
