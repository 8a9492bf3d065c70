//! The stores the stay lifecycle needs.
