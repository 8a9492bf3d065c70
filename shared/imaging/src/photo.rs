//! Photo requirements a machine can measure: exposure, sharpness, a plain light
//! background, colour, and (with the `face` feature) one face frontal and centred with
//! room for the shoulders. Measured on a small greyscale and colour copy, so a photo
//! takes milliseconds whatever its size; the same copy is what printed documents embed.

use domain::Code;
use image::{DynamicImage, GenericImageView};

use crate::header::{Header, decode_upright};

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

/// The photo turned upright, decoded no larger than its working copy needs. A JPEG
/// decodes straight at the smallest scale of its inverse DCT (an eighth, a quarter,
/// a half or whole) that still gives the working copy's height: most of the time a
/// large photo takes is decoding pixels the working copy averages away. Other
/// formats, and JPEGs in CMYK, decode whole. Only called once the header (`header`,
/// read once by the caller) gives dimensions within the caps.
pub(crate) fn decode_for_check(bytes: &[u8], header: &Header) -> Option<DynamicImage> {
    if !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return decode_upright(bytes);
    }
    let mut decoder = jpeg_decoder::Decoder::new(std::io::Cursor::new(bytes));
    let (w, h) = header.stored;
    let tall = header.displayed().1;
    let scale = (f64::from(WORK_HEIGHT) / f64::from(tall)).min(1.0);
    let wanted = |side: u32| ((f64::from(side) * scale).ceil() as u16).max(1);
    let (sw, sh) = decoder.scale(wanted(w), wanted(h)).ok()?;
    let pixels = decoder.decode().ok()?;
    let (sw, sh) = (u32::from(sw), u32::from(sh));
    let mut image = match decoder.info()?.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            DynamicImage::ImageRgb8(image::RgbImage::from_raw(sw, sh, pixels)?)
        }
        jpeg_decoder::PixelFormat::L8 => {
            DynamicImage::ImageLuma8(image::GrayImage::from_raw(sw, sh, pixels)?)
        }
        _ => return decode_upright(bytes),
    };
    if let Some(orientation) = header.orientation {
        image.apply_orientation(orientation);
    }
    Some(image)
}

/// The print copy of a photo's file (see [`print_copy`]), for a photo checked before
/// copies were stored; `None` if it does not decode.
pub fn print_copy_of(bytes: &[u8]) -> Option<Vec<u8>> {
    let photo = decode_for_check(bytes, &Header::read(bytes)?)?;
    Some(print_copy(&working_copy(&photo)))
}

/// The copy the measures run on, and that documents print: at most `WORK_HEIGHT`
/// pixels tall.
pub(crate) fn working_copy(photo: &DynamicImage) -> DynamicImage {
    let (w, h) = photo.dimensions();
    let scale = (f64::from(WORK_HEIGHT) / f64::from(h)).min(1.0);
    // Area averaging: as smooth as a triangle filter when shrinking, and far faster.
    photo.thumbnail(
        ((f64::from(w) * scale).round() as u32).max(1),
        ((f64::from(h) * scale).round() as u32).max(1),
    )
}

/// The copy printed documents embed as it is: the working copy as an RGB baseline
/// JPEG, so printing neither decodes nor resizes the original.
pub(crate) fn print_copy(small: &DynamicImage) -> Vec<u8> {
    let mut jpeg = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, PRINT_QUALITY);
    // Writing RGB pixels to memory cannot fail.
    small
        .to_rgb8()
        .write_with_encoder(encoder)
        .expect("JPEG into memory");
    jpeg
}

/// JPEG quality of the print copy: no visible loss at 30 mm wide.
const PRINT_QUALITY: u8 = 88;

/// What is wrong with a photo, found on its working copy (`small`): the measures, then
/// the face, in a fixed order.
#[cfg(feature = "face")]
pub(crate) fn findings(small: &DynamicImage) -> Vec<Code> {
    let grey = small.to_luma8();
    let mut findings = measures(small, &grey);
    findings.extend(crate::face::face_findings(&grey));
    findings
}

/// What the measures other than the face found wrong (`grey` is `small` in grey).
fn measures(small: &DynamicImage, grey: &image::GrayImage) -> Vec<Code> {
    let rgb = small.to_rgb8();
    let (w, h) = grey.dimensions();
    let mut findings = Vec::new();

    let mean = grey.pixels().map(|p| f64::from(p.0[0])).sum::<f64>() / f64::from(w * h);
    if mean < *EXPOSURE.start() {
        findings.push(Code::PhotoTooDark);
    } else if mean > *EXPOSURE.end() {
        findings.push(Code::PhotoTooBright);
    }

    if laplacian_variance(grey) < MIN_SHARPNESS {
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

    fn findings_of(image: RgbImage) -> Vec<Code> {
        findings(&working_copy(&DynamicImage::ImageRgb8(image)))
    }

    #[test]
    fn a_good_portrait_has_no_findings() {
        assert_eq!(findings_of(portrait()), vec![]);
    }

    /// `image` as a JPEG whose EXIF says to turn it a quarter clockwise to display.
    fn jpeg_turned_by_exif(image: &RgbImage) -> Vec<u8> {
        let mut jpeg = Vec::new();
        image
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        // APP1 "Exif": a big-endian TIFF header and one IFD entry, Orientation
        // (0x0112, SHORT, 1) = 6.
        let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01".to_vec();
        tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]);
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(tiff);
        let length = (app1.len() + 2) as u16;
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(length.to_be_bytes());
        out.extend(app1);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn a_large_jpeg_decodes_at_a_reduced_scale_and_upright() {
        // A 2-megapixel portrait stored on its side, as phones store them.
        let upright = image::imageops::resize(
            &portrait(),
            1224,
            1632,
            image::imageops::FilterType::Triangle,
        );
        let stored = image::imageops::rotate270(&upright);
        let jpeg = jpeg_turned_by_exif(&stored);
        let decoded = decode_for_check(&jpeg, &Header::read(&jpeg).unwrap()).unwrap();
        let (w, h) = decoded.dimensions();
        // A quarter of the inverse DCT: 306×408, enough for the 400-pixel working copy.
        assert_eq!((w, h), (306, 408));
        assert_eq!(findings(&working_copy(&decoded)), vec![]);
    }

    #[test]
    fn a_blurred_photo_is_found_blurred() {
        let blurred = image::imageops::blur(&portrait(), 6.0);
        assert!(findings_of(blurred).contains(&Code::PhotoBlurred));
    }

    #[test]
    fn a_dark_or_a_washed_out_photo_is_found() {
        let mut dark = portrait();
        dark.pixels_mut().for_each(|p| p.0 = p.0.map(|c| c / 5));
        assert!(findings_of(dark).contains(&Code::PhotoTooDark));
        let mut bright = portrait();
        bright
            .pixels_mut()
            .for_each(|p| p.0 = p.0.map(|c| 245u8.max(c)));
        assert!(findings_of(bright).contains(&Code::PhotoTooBright));
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
        assert!(findings_of(busy).contains(&Code::BackgroundNotPlain));
    }

    /// The portrait shrunk by `scale` onto a light 600×800 canvas, its top-left at
    /// (`x`, `y`); `twice` puts a second one beside it.
    fn placed(scale: f64, x: i64, y: i64, twice: bool) -> RgbImage {
        let small = image::imageops::resize(
            &portrait(),
            (600.0 * scale) as u32,
            (800.0 * scale) as u32,
            image::imageops::FilterType::Triangle,
        );
        let mut canvas = RgbImage::from_pixel(600, 800, image::Rgb([226, 228, 230]));
        image::imageops::overlay(&mut canvas, &small, x, y);
        if twice {
            image::imageops::overlay(&mut canvas, &small, x + small.width() as i64, y);
        }
        canvas
    }

    #[test]
    fn a_drawn_head_is_no_face() {
        assert_eq!(
            findings_of(crate::fixtures::drawn_portrait()),
            vec![Code::FaceNotFound]
        );
    }

    #[test]
    fn the_face_is_found_where_it_is() {
        let grey = working_copy(&DynamicImage::ImageRgb8(portrait())).to_luma8();
        let faces = crate::face::faces(&grey);
        assert_eq!(faces.len(), 1, "{faces:?}");
        let f = faces[0];
        // The face is in the upper middle, about half the width.
        let (w, h) = (f64::from(grey.width()), f64::from(grey.height()));
        assert!((0.35..0.6).contains(&(f.width / w)), "{f:?}");
        assert!(((f.x + f.width / 2.0) / w - 0.5).abs() < 0.05, "{f:?}");
        assert!((0.25..0.5).contains(&((f.y + f.height / 2.0) / h)), "{f:?}");
    }

    #[test]
    fn a_small_an_off_centre_or_a_second_face_is_found() {
        assert!(findings_of(placed(0.62, 114, 150, false)).contains(&Code::FaceTooSmall));
        assert!(findings_of(placed(0.8, 150, 0, false)).contains(&Code::FaceNotCentred));
        assert!(findings_of(placed(0.5, 0, 200, true)).contains(&Code::SeveralFaces));
        // Cropped to the face: too large, no shoulders.
        let close = image::imageops::crop_imm(&portrait(), 170, 120, 260, 347).to_image();
        let close =
            image::imageops::resize(&close, 600, 800, image::imageops::FilterType::Triangle);
        assert!(findings_of(close).contains(&Code::FaceTooLarge));
    }

    #[test]
    fn a_greyscale_photo_is_found() {
        let grey = DynamicImage::ImageRgb8(portrait()).grayscale().to_rgb8();
        assert_eq!(findings_of(grey), vec![Code::PhotoNotInColour]);
    }
}
