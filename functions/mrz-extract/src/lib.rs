//! The `mrz-extract` function: S3 tells a queue when a passport or ID scan
//! (`passport/`) arrives; this runs the image check on it and, when it passes, reads
//! its machine-readable zone and records the fields, their confidence and the check
//! digits on the document. A zone that cannot be found or read leaves a warning
//! finding (`mrz_not_found`, `mrz_illegible`) the owner can act on: the scan itself
//! is kept.

use domain::Code;
use domain::mrz::MrzExtract;

/// Reads the zone of an image file (JPEG or PNG, turned upright by its EXIF
/// orientation). Called only on files the image check passed.
pub fn read(bytes: &[u8]) -> Result<MrzExtract, Code> {
    let image = image_check::decode_upright(bytes).ok_or(Code::MrzNotFound)?;
    mrz_reader::read(&image.to_luma8()).map_err(|unread| unread.code())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mrz_reader::synth::{Capture, sample};

    #[test]
    fn most_synthetic_scans_read_exactly_and_every_reading_is_whole() {
        let scans: Vec<_> = (0..12u64)
            .map(sample)
            .filter(|d| d.capture == Capture::Scan)
            .collect();
        let mut exact = 0;
        for doc in &scans {
            let Ok(zone) = read(&doc.jpeg) else { continue };
            assert_eq!(zone.lines.len(), doc.lines.len());
            assert!(zone.confidence.values().all(|c| (0.0..=1.0).contains(c)));
            if zone.lines == doc.lines {
                assert!(zone.valid, "{:?}", zone.lines);
                assert!(zone.fields.is_some());
                exact += 1;
            }
        }
        assert!(
            exact * 4 >= scans.len() * 3,
            "{exact} of {} scans read exactly",
            scans.len()
        );
    }

    #[test]
    fn a_picture_without_a_zone_says_so() {
        let blank = image::RgbImage::from_pixel(1200, 900, image::Rgb([240, 240, 240]));
        let mut png = Vec::new();
        blank
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert_eq!(read(&png), Err(Code::MrzNotFound));
        assert_eq!(read(b"not an image"), Err(Code::MrzNotFound));
    }
}
