//! One face, frontal and centred, with room for the shoulders. Faces are found by
//! SeetaFace's frontal detector (the `rustface` crate) with its model embedded in the
//! build, on the same small greyscale copy the other measures use.

use std::cell::RefCell;

use domain::Code;
use image::GrayImage;

static MODEL: &[u8] = include_bytes!("../model/seeta_fd_frontal_v1.0.bin");

/// The face's width over the photo's: below the first is too small, above the second
/// too large (a 3×4 photo of head and shoulders has it near a half).
pub const FACE_WIDTH: std::ops::RangeInclusive<f64> = 0.28..=0.72;
/// How far the face's centre may be from the middle, as a share of the width.
pub const MAX_OFF_CENTRE: f64 = 0.12;
/// Where the face's centre may be, as a share of the height from the top.
pub const CENTRE_HEIGHT: std::ops::RangeInclusive<f64> = 0.18..=0.58;
/// The chin must be above this share of the height, leaving room for the shoulders.
pub const MAX_CHIN: f64 = 0.82;

thread_local! {
    static DETECTOR: RefCell<Option<Box<dyn rustface::Detector>>> = const { RefCell::new(None) };
}

/// A face found: its box in pixels and the detector's score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Face {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub score: f64,
}

/// Faces are looked for on a copy this wide: the detector's 40-pixel window then finds
/// faces down to a fifth of the width, smaller than any photo may have, in about 20 ms.
const DETECT_WIDTH: u32 = 200;

/// The faces on `grey`, best first, in its pixels.
pub fn faces(grey: &GrayImage) -> Vec<Face> {
    let scale = (f64::from(DETECT_WIDTH) / f64::from(grey.width().max(1))).min(1.0);
    let small;
    let grey = if scale < 1.0 {
        small = image::imageops::resize(
            grey,
            DETECT_WIDTH,
            ((f64::from(grey.height()) * scale).round() as u32).max(1),
            image::imageops::FilterType::Triangle,
        );
        &small
    } else {
        grey
    };
    let (w, h) = grey.dimensions();
    if w < 24 || h < 24 {
        return Vec::new();
    }
    DETECTOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        let detector = cell.get_or_insert_with(|| {
            let model = rustface::read_model(MODEL).expect("the embedded model reads");
            let mut detector = rustface::create_detector_with_model(model);
            detector.set_min_face_size(40);
            detector.set_score_thresh(2.0);
            detector.set_pyramid_scale_factor(0.8);
            detector.set_slide_window_step(6, 6);
            detector
        });
        let mut found: Vec<Face> = detector
            .detect(&rustface::ImageData::new(grey.as_raw(), w, h))
            .iter()
            .map(|f| Face {
                x: f64::from(f.bbox().x()) / scale,
                y: f64::from(f.bbox().y()) / scale,
                width: f64::from(f.bbox().width()) / scale,
                height: f64::from(f.bbox().height()) / scale,
                score: f.score(),
            })
            .collect();
        found.sort_by(|a, b| b.score.total_cmp(&a.score));
        found
    })
}

/// What is wrong with the face on a photo (`grey` is its working copy).
pub fn face_findings(grey: &GrayImage) -> Vec<Code> {
    let found = faces(grey);
    let Some(face) = found.first() else {
        return vec![Code::FaceNotFound];
    };
    let mut findings = Vec::new();
    // A second face counts when it is a real contender, not a pattern in the background.
    let others = found[1..]
        .iter()
        .filter(|f| f.score >= face.score / 2.0 && f.width >= face.width / 2.0)
        .count();
    if others > 0 {
        findings.push(Code::SeveralFaces);
    }
    let (w, h) = (f64::from(grey.width()), f64::from(grey.height()));
    let share = face.width / w;
    if share < *FACE_WIDTH.start() {
        findings.push(Code::FaceTooSmall);
    } else if share > *FACE_WIDTH.end() || (face.y + face.height) / h > MAX_CHIN {
        findings.push(Code::FaceTooLarge);
    }
    let (cx, cy) = (face.x + face.width / 2.0, face.y + face.height / 2.0);
    if (cx - w / 2.0).abs() / w > MAX_OFF_CENTRE || !CENTRE_HEIGHT.contains(&(cy / h)) {
        findings.push(Code::FaceNotCentred);
    }
    findings
}
