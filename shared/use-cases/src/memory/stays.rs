//! In-memory stays ports.
