//! What a file is, by its bytes alone, and whether it meets its kind's rules. Image
//! dimensions come from the header, so a decompression bomb is refused before anything
//! is decoded.

use domain::Code;
use domain::document::{DocumentKind, FileType, Inspection, Reader};
use sha2::{Digest, Sha256};

use crate::header::{Header, sniff};
use crate::pdf::pdf_findings;
#[cfg(feature = "face")]
use crate::photo;

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

/// Inspects `bytes` uploaded as a document of `kind`, at most `max_bytes` long.
#[cfg(feature = "face")]
pub fn inspect(kind: DocumentKind, bytes: &[u8], max_bytes: u64) -> Inspection {
    examine(kind, bytes, max_bytes, Some(check_photo))
}

/// As [`inspect`], for a function that only ever sees scans (the zone reader): it
/// links no face detector, so a photo, which it cannot check, is refused as
/// unsupported rather than passed unchecked.
pub fn inspect_scan(kind: DocumentKind, bytes: &[u8], max_bytes: u64) -> Inspection {
    examine(kind, bytes, max_bytes, None)
}

/// The photo measures and the face on a photo that passed its size rules: the findings,
/// or the print copy when there are none.
type PhotoCheck = fn(&[u8], &Header) -> Result<Vec<u8>, Vec<Code>>;

#[cfg(feature = "face")]
fn check_photo(bytes: &[u8], header: &Header) -> Result<Vec<u8>, Vec<Code>> {
    let Some(decoded) = photo::decode_for_check(bytes, header) else {
        return Err(vec![Code::UnsupportedDocumentType]);
    };
    let small = photo::working_copy(&decoded);
    let findings = photo::findings(&small);
    if findings.is_empty() {
        Ok(photo::print_copy(&small))
    } else {
        Err(findings)
    }
}

fn examine(
    kind: DocumentKind,
    bytes: &[u8],
    max_bytes: u64,
    photo_check: Option<PhotoCheck>,
) -> Inspection {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let mut errors = Vec::new();
    if bytes.is_empty() || bytes.len() as u64 > max_bytes {
        errors.push(Code::FileTooLarge);
    }
    let file_type = sniff(bytes);
    let accepted = file_type.filter(|t| kind.content_types().contains(&t.content_type()));
    let Some(accepted) = accepted else {
        errors.push(Code::UnsupportedDocumentType);
        return Inspection {
            errors,
            file_type,
            dimensions: None,
            sha256,
            print_copy: None,
        };
    };
    let mut print_copy = None;
    let header = match accepted {
        FileType::Pdf => {
            errors.extend(pdf_findings(bytes));
            None
        }
        FileType::Jpeg | FileType::Png => match Header::read(bytes) {
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
                    match photo_check {
                        None => errors.push(Code::UnsupportedDocumentType),
                        Some(check) if errors.is_empty() => match check(bytes, &header) {
                            Ok(copy) => print_copy = Some(copy),
                            Err(findings) => errors.extend(findings),
                        },
                        Some(_) => {}
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
        file_type,
        dimensions,
        sha256,
        print_copy,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::pdf::PDF_MAX_PAGES;

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
    fn the_scan_only_inspection_judges_scans_alike_and_refuses_photos() {
        let scan = jpeg(1200, 800);
        let small = jpeg(600, 400);
        for bytes in [&scan, &small] {
            assert_eq!(
                inspect_scan(DocumentKind::PassportScan, bytes, 5_000_000).errors,
                inspect(DocumentKind::PassportScan, bytes, 5_000_000).errors
            );
        }
        assert!(
            inspect_scan(DocumentKind::PassportScan, &scan, 5_000_000)
                .errors
                .is_empty()
        );
        let portrait = jpeg(600, 800);
        let refused = inspect_scan(DocumentKind::Photo, &portrait, 5_000_000);
        assert_eq!(refused.errors, vec![Code::UnsupportedDocumentType]);
        assert!(refused.print_copy.is_none());
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
        assert_eq!(i.file_type, Some(FileType::Jpeg));
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
