//! The stores and the bucket the document check needs.
