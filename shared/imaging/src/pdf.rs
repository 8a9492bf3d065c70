//! The check of a PDF: it must open (neither damaged nor encrypted) and have at most
//! [`PDF_MAX_PAGES`] pages.

use domain::Code;

/// A PDF has at most this many pages.
pub const PDF_MAX_PAGES: usize = 20;

/// What is wrong with a PDF: unreadable (damaged or encrypted), or too many pages.
pub(crate) fn pdf_findings(bytes: &[u8]) -> Option<Code> {
    // The parser must not take the check down with it, whatever the bytes.
    let pages = std::panic::catch_unwind(|| {
        let document = lopdf::Document::load_mem(bytes).ok()?;
        (!document.is_encrypted()).then(|| document.get_pages().len())
    })
    .ok()
    .flatten();
    match pages {
        None | Some(0) => Some(Code::PdfUnreadable),
        Some(n) if n > PDF_MAX_PAGES => Some(Code::TooManyPages),
        Some(_) => None,
    }
}
