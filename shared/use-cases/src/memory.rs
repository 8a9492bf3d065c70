//! In-memory implementations of the domain's ports, for the use cases' unit tests.
