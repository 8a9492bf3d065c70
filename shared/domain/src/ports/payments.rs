//! The stores settlement and reconciliation need.
