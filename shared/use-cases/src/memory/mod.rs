//! In-memory implementations of the domain's ports, for the use cases' unit tests.

pub mod contacts;
pub mod documents;
pub mod ework;
pub mod payments;
pub mod stays;
