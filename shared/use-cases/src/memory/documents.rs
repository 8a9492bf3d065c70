//! In-memory documents ports.
