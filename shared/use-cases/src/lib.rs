//! The system's use cases, between the functions and the adapters. A use case reads
//! through the domain's ports, decides with a pure domain function and writes
//! conditionally, trying again when another writer got in first. It knows no AWS: the
//! adapters implement the ports, and [`memory`] holds in-memory implementations so that
//! the rules are tested in milliseconds.

pub mod documents;
pub mod ework;
pub mod memory;
pub mod payments;
pub mod stays;
