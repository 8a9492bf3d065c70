//! In-memory payments ports.
