//! What a file is, by its bytes alone, and whether it meets its kind's rules. Image
//! dimensions come from the header, so a decompression bomb is refused before anything
//! is decoded.

use std::io::Cursor;

use domain::Code;
use domain::document::{DocumentKind, Reader};
use image::metadata::Orientation;
use image::{ImageDecoder, ImageReader};
use sha2::{Digest, Sha256};

/// More pixels than this is refused before decoding (a 40-megapixel scan is plenty).
pub const MAX_PIXELS: u64 = 40_000_000;
/// No side may be longer than this.
pub const MAX_SIDE: u32 = 12_000;
/// A photo is at least this wide and tall (3×4 cm at 200 dpi, roughly).
pub const PHOTO_MIN: (u32, u32) = (600, 800);
/// Width over height of a photo: 3:4, give or take.
pub const PHOTO_ASPECT: std::ops::RangeInclusive<f64> = 0.70..=0.80;
/// A scan's longer side is at least this long, to be legible.
pub const SCAN_MIN_LONG_SIDE: u32 = 1000;

/// The file types we accept, identified by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Jpeg,
    Png,
    Pdf,
}

impl Sniffed {
    pub fn of(bytes: &[u8]) -> Option<Sniffed> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Sniffed::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Sniffed::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Some(Sniffed::Pdf)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Sniffed::Jpeg => "image/jpeg",
            Sniffed::Png => "image/png",
            Sniffed::Pdf => "application/pdf",
        }
    }
}

/// The outcome of inspecting one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspection {
    /// Codes that refuse the file; empty when it passes.
    pub errors: Vec<Code>,
    /// The type its bytes show, when it is one we know.
    pub sniffed: Option<Sniffed>,
    /// Width and height as displayed (after the EXIF orientation).
    pub dimensions: Option<(u32, u32)>,
    pub sha256: String,
    /// For a photo that passed: the small JPEG printed documents embed.
    pub print_copy: Option<Vec<u8>>,
}

/// Inspects `bytes` uploaded as a document of `kind`, at most `max_bytes` long.
pub fn inspect(kind: DocumentKind, bytes: &[u8], max_bytes: u64) -> Inspection {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let mut errors = Vec::new();
    if bytes.is_empty() || bytes.len() as u64 > max_bytes {
        errors.push(Code::FileTooLarge);
    }
    let sniffed = Sniffed::of(bytes);
    let accepted = sniffed.filter(|s| kind.content_types().contains(&s.content_type()));
    let Some(sniffed_type) = accepted else {
        errors.push(Code::UnsupportedDocumentType);
        return Inspection {
            errors,
            sniffed,
            dimensions: None,
            sha256,
            print_copy: None,
        };
    };
    let mut print_copy = None;
    let header = match sniffed_type {
        Sniffed::Pdf => {
            errors.extend(pdf_findings(bytes));
            None
        }
        Sniffed::Jpeg | Sniffed::Png => match Header::read(bytes) {
            Some(header) => Some(header),
            None => {
                errors.push(Code::UnsupportedDocumentType);
                None
            }
        },
    };
    let dimensions = header.map(|h| h.displayed());
    if let (Some(header), Some((w, h))) = (header, dimensions) {
        if u64::from(w) * u64::from(h) > MAX_PIXELS || w.max(h) > MAX_SIDE {
            errors.push(Code::ImageTooLarge);
        } else {
            match kind.reader() {
                Reader::Photo => {
                    if w < PHOTO_MIN.0 || h < PHOTO_MIN.1 {
                        errors.push(Code::ResolutionTooLow);
                    }
                    if !PHOTO_ASPECT.contains(&(f64::from(w) / f64::from(h))) {
                        errors.push(Code::WrongAspectRatio);
                    }
                    if errors.is_empty() {
                        match crate::photo::decode_for_check(bytes, &header) {
                            Some(photo) => {
                                let small = crate::photo::working_copy(&photo);
                                errors.extend(crate::photo::findings_on(&small));
                                if errors.is_empty() {
                                    print_copy = Some(crate::photo::print_copy(&small));
                                }
                            }
                            None => errors.push(Code::UnsupportedDocumentType),
                        }
                    }
                }
                Reader::Scan | Reader::Passport => {
                    if w.max(h) < SCAN_MIN_LONG_SIDE {
                        errors.push(Code::ResolutionTooLow);
                    }
                }
            }
        }
    }
    Inspection {
        errors,
        sniffed,
        dimensions,
        sha256,
        print_copy,
    }
}

/// A PDF has at most this many pages.
pub const PDF_MAX_PAGES: usize = 20;

/// What is wrong with a PDF: unreadable (damaged or encrypted), or too many pages.
fn pdf_findings(bytes: &[u8]) -> Option<Code> {
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

/// The whole image, turned upright by its EXIF orientation. Only called once the
/// header's dimensions are within the caps.
pub fn decode_upright(bytes: &[u8]) -> Option<image::DynamicImage> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let mut decoder = reader.into_decoder().ok()?;
    let orientation = decoder.orientation().ok();
    let mut image = image::DynamicImage::from_decoder(decoder).ok()?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Some(image)
}

/// What an image's header says, read without decoding a pixel.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Header {
    /// Width and height as stored.
    pub stored: (u32, u32),
    pub orientation: Option<Orientation>,
}

impl Header {
    /// The header of `bytes`; `None` when it does not parse.
    pub fn read(bytes: &[u8]) -> Option<Header> {
        let mut reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .ok()?;
        // Only the header is read here; the caller applies its own pixel cap.
        reader.no_limits();
        let mut decoder = reader.into_decoder().ok()?;
        Some(Header {
            stored: decoder.dimensions(),
            orientation: decoder.orientation().ok(),
        })
    }

    /// Whether the orientation turns the image a quarter, swapping its sides.
    pub fn turned(&self) -> bool {
        use Orientation::*;
        matches!(
            self.orientation,
            Some(Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
        )
    }

    /// Width and height as displayed, after the orientation.
    pub fn displayed(&self) -> (u32, u32) {
        let (w, h) = self.stored;
        if self.turned() { (h, w) } else { (w, h) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbImage::from_pixel(w, h, image::Rgb([240, 240, 240]))
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbImage::from_pixel(w, h, image::Rgb([200, 200, 200]))
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
            .unwrap();
        out
    }

    #[test]
    fn a_photo_cut_off_after_its_header_is_refused_without_a_print_copy() {
        let mut jpeg = Vec::new();
        crate::fixtures::portrait()
            .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        // The header and the first few scan bytes only.
        jpeg.truncate(jpeg.len() / 8);
        let inspection = inspect(DocumentKind::Photo, &jpeg, 5 * 1024 * 1024);
        assert_eq!(inspection.errors, vec![Code::UnsupportedDocumentType]);
        assert!(inspection.print_copy.is_none());
    }

    #[test]
    fn a_portrait_photo_of_enough_pixels_passes() {
        let i = inspect(
            DocumentKind::Photo,
            &crate::fixtures::portrait_jpeg(),
            5_000_000,
        );
        assert_eq!(i.errors, vec![]);
        assert_eq!(i.sniffed, Some(Sniffed::Jpeg));
        assert_eq!(i.dimensions, Some((600, 800)));
        assert_eq!(i.sha256.len(), 64);
        // The print copy is a 300×400 RGB JPEG.
        let copy = image::load_from_memory(i.print_copy.as_deref().unwrap()).unwrap();
        assert_eq!((copy.width(), copy.height()), (300, 400));
        assert_eq!(copy.color(), image::ColorType::Rgb8);
    }

    #[test]
    fn a_small_or_square_photo_gets_the_codes_to_act_on() {
        let i = inspect(DocumentKind::Photo, &png(300, 300), 5_000_000);
        assert_eq!(
            i.errors,
            vec![Code::ResolutionTooLow, Code::WrongAspectRatio]
        );
        assert_eq!(i.print_copy, None);
    }

    #[test]
    fn the_bytes_decide_the_type_not_the_name() {
        let i = inspect(DocumentKind::Photo, b"GIF89a not what it claims", 5_000_000);
        assert_eq!(i.errors, vec![Code::UnsupportedDocumentType]);
        let i = inspect(
            DocumentKind::Photo,
            b"%PDF-1.7 a pdf is no photo",
            5_000_000,
        );
        assert_eq!(i.errors, vec![Code::UnsupportedDocumentType]);
        let i = inspect(DocumentKind::Licence, &crate::fixtures::pdf(2), 5_000_000);
        assert_eq!(i.errors, vec![]);
        // A JPEG signature with a broken header is no image.
        let i = inspect(
            DocumentKind::Photo,
            &[0xFF, 0xD8, 0xFF, 0x00, 0x01],
            5_000_000,
        );
        assert_eq!(i.errors, vec![Code::UnsupportedDocumentType]);
    }

    #[test]
    fn a_pdf_must_open_and_have_at_most_twenty_pages() {
        let pdf = |pages| {
            inspect(
                DocumentKind::Licence,
                &crate::fixtures::pdf(pages),
                5_000_000,
            )
        };
        assert_eq!(pdf(PDF_MAX_PAGES).errors, vec![]);
        assert_eq!(pdf(PDF_MAX_PAGES + 1).errors, vec![Code::TooManyPages]);
        let damaged = inspect(
            DocumentKind::Licence,
            b"%PDF-1.7 no objects at all",
            5_000_000,
        );
        assert_eq!(damaged.errors, vec![Code::PdfUnreadable]);
        let mut truncated = crate::fixtures::pdf(3);
        truncated.truncate(truncated.len() / 2);
        let truncated = inspect(DocumentKind::Licence, &truncated, 5_000_000);
        assert_eq!(truncated.errors, vec![Code::PdfUnreadable]);
    }

    #[test]
    fn a_header_claiming_a_huge_image_is_refused_without_decoding() {
        // A PNG header of 50000 × 50000 pixels, with no image data at all.
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(b"IHDR");
        ihdr.extend_from_slice(&50_000u32.to_be_bytes());
        ihdr.extend_from_slice(&50_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        bytes.extend_from_slice(&13u32.to_be_bytes());
        bytes.extend_from_slice(&ihdr);
        bytes.extend_from_slice(&crc32(&ihdr).to_be_bytes());
        // A few bytes of image data: far too few for the pixels claimed.
        let idat = b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01";
        bytes.extend_from_slice(&((idat.len() - 4) as u32).to_be_bytes());
        bytes.extend_from_slice(idat);
        bytes.extend_from_slice(&crc32(idat).to_be_bytes());
        let i = inspect(DocumentKind::Photo, &bytes, 5_000_000);
        assert_eq!(i.errors, vec![Code::ImageTooLarge]);
    }

    #[test]
    fn too_big_or_empty_files_are_refused() {
        assert_eq!(
            inspect(DocumentKind::Photo, &jpeg(600, 800), 100).errors,
            vec![Code::FileTooLarge]
        );
        assert!(
            inspect(DocumentKind::Other, b"", 100)
                .errors
                .contains(&Code::FileTooLarge)
        );
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
