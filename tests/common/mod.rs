//! Shared helpers for the end-to-end tests that run landform's rendered output
//! with real tools against a local AWS API emulator (moto).
//!
//! Use from a test binary with `mod common;`:
//!
//! ```ignore
//! let Some(emu) = common::emulator::acquire("my_test") else { return };
//! emu.aws(&["organizations", "create-organization", "--feature-set", "ALL"]).unwrap();
//! let actual = common::readback::read(&emu);
//! let ids = common::readback::Ids::read(&emu);
//! common::readback::assert_matches(&common::readback::expected(&org, &ids), &actual);
//! ```
//!
//! - [`tools`]: where terraform, the aws CLI and moto's server are (env, then
//!   `.tools/env`); a missing tool skips the test loudly, or fails it when `CI`
//!   is set.
//! - [`emulator`]: one moto server per test process (the one `scripts/test`
//!   started, or a private one), a lock so emulator tests run one at a time, a
//!   reset before each, the environment for child processes, the aws CLI,
//!   assuming `OrganizationAccountAccessRole`.
//! - [`api`]: a tiny raw client for the AWS wire protocols (JSON and query),
//!   used to read state back quickly and byte-exactly.
//! - [`readback`]: the organization read back into a normalized [`readback::Snapshot`],
//!   the same shape computed from the IR, and a readable diff.
//! - [`terraform`]: running terraform (local provider mirror), applying rendered
//!   roots against the emulator, and reading the block structure of rendered HCL
//!   to check it against the provider schema.
#![allow(dead_code, unreachable_pub)]

pub mod api;
pub mod emulator;
pub mod readback;
pub mod terraform;
pub mod tools;
