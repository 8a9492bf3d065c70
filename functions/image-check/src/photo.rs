//! Photo requirements a machine can measure: exposure, sharpness, a plain light
//! background and colour. Measured on a small greyscale and colour copy, so a photo
//! takes milliseconds whatever its size.

use domain::Code;
use image::{DynamicImage, GenericImageView, imageops::FilterType};

/// The copy the measures run on is at most this tall.
const WORK_HEIGHT: u32 = 400;
/// Mean brightness (0–255) outside this range is too dark or too bright.
pub const EXPOSURE: std::ops::RangeInclusive<f64> = 70.0..=210.0;
/// Variance of the Laplacian below this is blurred.
pub const MIN_SHARPNESS: f64 = 30.0;
/// The background strip must be at least this bright on average...
pub const BACKGROUND_MIN_BRIGHTNESS: f64 = 150.0;
/// ...and vary at most this much (standard deviation).
pub const BACKGROUND_MAX_SPREAD: f64 = 28.0;
/// Mean colourfulness below this is a greyscale photo.
pub const MIN_COLOUR: f64 = 3.0;

/// What the measures found wrong, in a fixed order.
pub fn photo_findings(photo: &DynamicImage) -> Vec<Code> {
    let (w, h) = photo.dimensions();
    let scale = (f64::from(WORK_HEIGHT) / f64::from(h)).min(1.0);
    let small = photo.resize(
        ((f64::from(w) * scale).round() as u32).max(1),
        ((f64::from(h) * scale).round() as u32).max(1),
        FilterType::Triangle,
    );
    let rgb = small.to_rgb8();
    let grey = small.to_luma8();
    let (w, h) = grey.dimensions();
    let mut findings = Vec::new();

    let mean = grey.pixels().map(|p| f64::from(p.0[0])).sum::<f64>() / f64::from(w * h);
    if mean < *EXPOSURE.start() {
        findings.push(Code::PhotoTooDark);
    } else if mean > *EXPOSURE.end() {
        findings.push(Code::PhotoTooBright);
    }

    if laplacian_variance(&grey) < MIN_SHARPNESS {
        findings.push(Code::PhotoBlurred);
    }

    // The background: the top tenth, and the outer eighths of the upper half.
    let mut background = Vec::new();
    for y in 0..h / 2 {
        for x in 0..w {
            if y < h / 10 || x < w / 8 || x >= w - w / 8 {
                background.push(f64::from(grey.get_pixel(x, y).0[0]));
            }
        }
    }
    let (bg_mean, bg_spread) = mean_and_spread(&background);
    if bg_mean < BACKGROUND_MIN_BRIGHTNESS || bg_spread > BACKGROUND_MAX_SPREAD {
        findings.push(Code::BackgroundNotPlain);
    }

    let colour = rgb
        .pixels()
        .map(|p| {
            let [r, g, b] = p.0.map(i32::from);
            f64::from((r - g).abs() + (g - b).abs() + (b - r).abs()) / 3.0
        })
        .sum::<f64>()
        / f64::from(w * h);
    if colour < MIN_COLOUR {
        findings.push(Code::PhotoNotInColour);
    }
    findings
}

fn laplacian_variance(grey: &image::GrayImage) -> f64 {
    let (w, h) = grey.dimensions();
    if w < 3 || h < 3 {
        return 0.0;
    }
    let at = |x: u32, y: u32| f64::from(grey.get_pixel(x, y).0[0]);
    let mut values = Vec::with_capacity(((w - 2) * (h - 2)) as usize);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            values.push(at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4.0 * at(x, y));
        }
    }
    mean_and_spread(&values).1.powi(2)
}

fn mean_and_spread(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, variance.sqrt())
}

#[cfg(test)]
mod tests {
    use image::RgbImage;

    use super::*;
    use crate::fixtures::portrait;

    fn findings(image: RgbImage) -> Vec<Code> {
        photo_findings(&DynamicImage::ImageRgb8(image))
    }

    #[test]
    fn a_good_portrait_has_no_findings() {
        assert_eq!(findings(portrait()), vec![]);
    }

    #[test]
    fn a_blurred_photo_is_found_blurred() {
        let blurred = image::imageops::blur(&portrait(), 6.0);
        assert!(findings(blurred).contains(&Code::PhotoBlurred));
    }

    #[test]
    fn a_dark_or_a_washed_out_photo_is_found() {
        let mut dark = portrait();
        dark.pixels_mut().for_each(|p| p.0 = p.0.map(|c| c / 5));
        assert!(findings(dark).contains(&Code::PhotoTooDark));
        let mut bright = portrait();
        bright
            .pixels_mut()
            .for_each(|p| p.0 = p.0.map(|c| 245u8.max(c)));
        assert!(findings(bright).contains(&Code::PhotoTooBright));
    }

    #[test]
    fn a_busy_or_dark_background_is_found() {
        let mut busy = portrait();
        for (x, y, p) in busy.enumerate_pixels_mut() {
            if y < 100 {
                let v = if (x / 20 + y / 20) % 2 == 0 { 30 } else { 230 };
                p.0 = [v, v, v];
            }
        }
        assert!(findings(busy).contains(&Code::BackgroundNotPlain));
    }

    #[test]
    fn a_greyscale_photo_is_found() {
        let grey = DynamicImage::ImageRgb8(portrait()).grayscale().to_rgb8();
        assert_eq!(findings(grey), vec![Code::PhotoNotInColour]);
    }
}
