//! The life of a stay registration after it is submitted.
