//! End-to-end tests of the migration e-services against the local AWS endpoint; the
//! suites live in `tests/integration/`, one test binary.
