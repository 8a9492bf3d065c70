//! The inspection of uploaded files: bytes in, findings out. What a file is by its
//! bytes, whether it meets its document kind's rules (size, type, dimensions read from
//! the header before anything is decoded, PDF pages, the photo requirements and the
//! face), the print copy of a photo, and the whole image turned upright for the zone
//! reader. No AWS and no async: the functions call it on a blocking thread.
//!
//! Features: `face` embeds the face detector's model and gives [`inspect`] (the photo
//! check needs the face); without it, [`inspect_scan`], [`print_copy_of`] and
//! [`decode_upright`] link no model, as the zone reader and printing need. `fixtures` gives reference files to tests and benchmarks,
//! never to a function.

#[cfg(feature = "face")]
pub mod face;
#[cfg(feature = "fixtures")]
pub mod fixtures;
mod header;
mod inspect;
mod pdf;
// Without the face check, the photo measures have no caller.
#[cfg_attr(not(feature = "face"), allow(dead_code))]
mod photo;

pub use header::{decode_upright, sniff};
#[cfg(feature = "face")]
pub use inspect::inspect;
pub use inspect::{
    MAX_PIXELS, MAX_SIDE, PHOTO_ASPECT, PHOTO_MIN, SCAN_MIN_LONG_SIDE, inspect_scan,
};
pub use pdf::PDF_MAX_PAGES;
pub use photo::print_copy_of;
