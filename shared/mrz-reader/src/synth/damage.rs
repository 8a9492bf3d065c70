//! Damage done to a drawn document after it is printed.

/// `jpeg` with the cell `at` of its zone's first line smeared, as a drop of water or a
/// scratch does: the letter shows through a grey blot, as well as it shows. Re-encoded
/// at high quality; `None` when no zone is found.
pub fn smeared(jpeg: &[u8], at: usize) -> Option<Vec<u8>> {
    let mut gray = image::load_from_memory(jpeg).ok()?.to_luma8();
    let zone = crate::locate::zones(&gray).into_iter().next()?;
    let cell = zone.lines.first()?.get(at)?;
    let (x, y) = cell.centre;
    let half = cell.cap * 0.5;
    for py in (y - half * 1.1) as u32..(y + half * 1.1) as u32 {
        for px in (x - half * 0.8) as u32..(x + half * 0.8) as u32 {
            if px < gray.width() && py < gray.height() {
                let old = f32::from(gray.get_pixel(px, py)[0]);
                gray.put_pixel(px, py, image::Luma([(old * 0.35 + 140.0 * 0.65) as u8]));
            }
        }
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)
        .encode_image(&gray)
        .ok()?;
    Some(out)
}

/// `jpeg` framed too tightly: the image ends across its zone's lines, `at` pitches
/// from the centre of the first cell found (0 cuts that character in half, 0.5
/// leaves none of it). Edges run along the image's axes, as a crop's do. `None` when
/// no zone is found.
pub fn framed_tightly(jpeg: &[u8], at: f32) -> Option<image::GrayImage> {
    let gray = image::load_from_memory(jpeg).ok()?.to_luma8();
    let zone = crate::locate::zones(&gray).into_iter().next()?;
    let line = zone.lines.first()?;
    let (a, b) = (line.first()?.centre, line.last()?.centre);
    let steps = (line.len().max(2) - 1) as f32;
    let (px, py) = ((b.0 - a.0) / steps, (b.1 - a.1) / steps);
    let (w, h) = gray.dimensions();
    let cropped = if px.abs() > py.abs() {
        let x = (a.0 + px * at).clamp(0.0, w as f32) as u32;
        if px > 0.0 {
            image::imageops::crop_imm(&gray, x, 0, w - x, h)
        } else {
            image::imageops::crop_imm(&gray, 0, 0, x, h)
        }
    } else {
        let y = (a.1 + py * at).clamp(0.0, h as f32) as u32;
        if py > 0.0 {
            image::imageops::crop_imm(&gray, 0, y, w, h - y)
        } else {
            image::imageops::crop_imm(&gray, 0, 0, w, y)
        }
    };
    Some(cropped.to_image())
}
