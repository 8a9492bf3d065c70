//! The `mrz-extract` function: S3 tells a queue when a passport or ID scan
//! (`passport/`) arrives; this runs the document check on it
//! ([`use_cases::documents::DocumentCheck`]) and, when it passes, reads its
//! machine-readable zone and records the fields, their confidence and the check digits
//! on the document. A zone that cannot be found or read leaves a warning finding
//! (`mrz_not_found`, `mrz_illegible`) the owner can act on: the scan itself is kept.

use adapters::Deps;
use adapters::bucket::S3UploadsBucket;
use adapters::documents::DynamoDocuments;
use adapters::s3_events;
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use domain::clock::now_rfc3339;
use domain::document::DocumentKind;
use domain::mrz::MrzExtract;
use domain::{Code, PortFailure};
use use_cases::documents::{DocumentCheck, Examined, Examiner, Readers};

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[];

/// Scans checked at once: reading a zone takes the function's one CPU.
const CONCURRENCY: usize = 1;

/// The readers, run on a blocking thread off the async workers.
struct Blocking(Readers);

impl Examiner for Blocking {
    async fn examine(&self, kind: DocumentKind, bytes: Vec<u8>) -> Result<Examined, PortFailure> {
        let readers = self.0;
        tokio::task::spawn_blocking(move || readers.examine(kind, &bytes))
            .await
            .map_err(|err| PortFailure::new("inspecting an upload", err))
    }
}

/// The consumer of the queue S3 reports passport and ID scans to.
pub struct Inspector {
    documents: DynamoDocuments,
    bucket: S3UploadsBucket,
    readers: Blocking,
}

impl Inspector {
    pub fn from_deps(deps: &Deps) -> Self {
        Inspector {
            documents: deps.documents(),
            bucket: deps.uploads_bucket(),
            readers: Blocking(Readers {
                inspect: imaging::inspect_scan,
                zones: Some(read),
            }),
        }
    }

    /// Handles one SQS batch of S3 events; the messages that failed are returned for retry.
    pub async fn handle(&self, event: SqsEvent) -> SqsBatchResponse {
        s3_events::each_object(event, CONCURRENCY, |object| async move {
            let check = DocumentCheck {
                documents: &self.documents,
                bucket: &self.bucket,
                examiner: &self.readers,
            };
            let outcome = check.run(&object.key, now_rfc3339()).await;
            outcome.map(drop).map_err(anyhow::Error::from)
        })
        .await
    }
}

/// Reads the zone of an image file (JPEG or PNG, turned upright by its EXIF
/// orientation). Called only on files the image check passed.
/// A zone whose check digits mostly fail is `mrz_illegible`: nothing of it is offered
/// as read.
pub fn read(bytes: &[u8]) -> Result<MrzExtract, Code> {
    let image = imaging::decode_upright(bytes).ok_or(Code::MrzNotFound)?;
    let zone = mrz_reader::read(&image.to_luma8()).map_err(|unread| unread.code())?;
    if zone.legible() {
        Ok(zone)
    } else {
        Err(Code::MrzIllegible)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mrz_reader::Layout;
    use mrz_reader::synth::{Capture, sample, sample_in};

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
    fn a_zone_whose_check_digits_fail_is_illegible_not_a_reading() {
        let spoiled =
            mrz_reader::synth::sample_altered(52, &mrz_reader::synth::spoil_td3_check_digits);
        assert_eq!(spoiled.layout, Layout::Td3);
        assert_eq!(read(&spoiled.jpeg), Err(Code::MrzIllegible));
        let clean = sample(52);
        assert!(read(&clean.jpeg).unwrap().legible());
    }

    #[test]
    fn a_french_identity_card_reads_in_its_own_layout() {
        let cards: Vec<_> = (0..8u64)
            .map(|seed| sample_in(Layout::FraId, seed))
            .filter(|d| d.capture == Capture::Scan)
            .collect();
        assert!(!cards.is_empty());
        for card in &cards {
            let zone = read(&card.jpeg).expect("the zone is read");
            assert_eq!(zone.lines, card.lines, "{}", card.conditions);
            assert_eq!(zone.layout, "FRA-ID");
            assert!(zone.valid);
            let fields = zone.fields.expect("the fields are cut");
            let second = &card.lines[1];
            assert_eq!(fields.document_type, "ID");
            assert_eq!(fields.issuing_state, "FRA");
            assert_eq!(fields.document_number, second[..12]);
            assert_eq!(
                fields.given_names,
                second[13..27].trim_end_matches('<').replace('<', " ")
            );
            assert_eq!(fields.birth_date[2..].replace('-', ""), second[27..33]);
            assert_eq!(fields.expiry_date, "", "the card holds no expiry date");
            assert_eq!(zone.checks.expiry_date, None);
            assert_eq!(zone.checks.composite, Some(true));
        }
    }

    /// `gray` turned `degrees` about its centre onto a white canvas that holds it.
    fn turned(gray: &image::GrayImage, degrees: f32) -> image::GrayImage {
        let (w, h) = (gray.width() as f32, gray.height() as f32);
        let (sin, cos) = degrees.to_radians().sin_cos();
        let (cw, ch) = (w * cos.abs() + h * sin.abs(), w * sin.abs() + h * cos.abs());
        image::GrayImage::from_fn(cw as u32, ch as u32, |x, y| {
            let (dx, dy) = (x as f32 - cw / 2.0, y as f32 - ch / 2.0);
            let (sx, sy) = (
                cos * dx + sin * dy + w / 2.0,
                -sin * dx + cos * dy + h / 2.0,
            );
            if sx < 0.0 || sy < 0.0 || sx >= w - 1.0 || sy >= h - 1.0 {
                image::Luma([250])
            } else {
                *gray.get_pixel(sx as u32, sy as u32)
            }
        })
    }

    #[test]
    fn a_zone_skewed_beyond_ten_degrees_is_still_found_and_read() {
        // A phone held at a slant: an upright scan turned 18° either way.
        let doc = sample(1_000_003 + 35);
        assert!(doc.conditions.starts_with("Scan") && doc.conditions.contains("turn 0 skew 0.6"));
        let gray = image::load_from_memory(&doc.jpeg).unwrap().to_luma8();
        for degrees in [18.0, -18.0] {
            let zone = mrz_reader::read(&turned(&gray, degrees)).expect("the zone is read");
            assert_eq!(
                zone.lines, doc.lines,
                "turned {degrees}°, {}",
                doc.conditions
            );
        }
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
