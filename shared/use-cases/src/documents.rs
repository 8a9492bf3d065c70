//! The check of an uploaded document.
