//! Settlement and reconciliation of payments.
