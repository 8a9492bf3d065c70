//! Synthetic documents with a known zone, for measuring and testing the reader: random
//! valid holder data in every layout, emitted by the `mrz` crate, drawn in OCR-B on a
//! page with a cluttered visual zone, then scanned or photographed: turned by a
//! quarter turn, skewed, put in perspective on a table, unevenly lit, blurred,
//! noised and JPEG-compressed.

// Index loops read best in the pixel and matrix arithmetic here.
#![allow(clippy::needless_range_loop)]

use ab_glyph::{Font, FontArc, PxScale, ScaleFont};
use image::{Rgb, RgbImage};
use mrz::{Date, MrzDate, Sex};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::correct::Layout;
use crate::glyphs::font;

mod damage;
mod optics;
pub use damage::{framed_tightly, smeared};
use optics::{apply, bilinear_rgb, gaussian, homography};

/// How the synthetic document was captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capture {
    /// A flatbed scan: the page, maybe turned and slightly skewed, on white.
    Scan,
    /// A 2-megapixel phone photo of the page on a table.
    Photo,
}

/// One synthetic document.
pub struct Sample {
    pub layout: Layout,
    pub capture: Capture,
    /// The zone as printed.
    pub lines: Vec<String>,
    /// The captured image, JPEG-encoded.
    pub jpeg: Vec<u8>,
    /// A short account of the distortions applied.
    pub conditions: String,
}

const SURNAMES: &[&str] = &[
    "ASANOV",
    "BEKMATOVA",
    "IVANOV",
    "SMITH",
    "MUELLER",
    "NURLANOVA",
    "OMURBEKOV",
    "TOKTOGULOVA",
    "ZHANG",
    "KIM",
    "OZTURK",
    "RAKHIMOV",
    "DUBOIS",
    "GARCIA<LOPEZ",
    "OSMONALIEV",
    "SULTANBAEVA",
];
const GIVEN: &[&str] = &[
    "AIBEK",
    "AIZADA",
    "JOHN<PAUL",
    "MARIA",
    "ERLAN",
    "GULNARA",
    "WEI",
    "EMRE",
    "NURSULTAN",
    "ANNA<MARIA",
    "BAKYT",
    "CHOLPON",
    "SERGEI",
    "DILNOZA",
];
const STATES: &[&str] = &[
    "KGZ", "RUS", "KAZ", "UZB", "TJK", "CHN", "TUR", "DEU", "USA", "GBR", "IND", "KOR", "FRA", "D",
    "UTO",
];

fn pick<'a>(rng: &mut StdRng, from: &[&'a str]) -> &'a str {
    from[rng.random_range(0..from.len())]
}

fn alnum(rng: &mut StdRng, letters: usize, digits: usize) -> String {
    let mut s: String = (0..letters)
        .map(|_| char::from(b'A' + rng.random_range(0..26u8)))
        .collect();
    s.extend((0..digits).map(|_| char::from(b'0' + rng.random_range(0..10u8))));
    s
}

fn date(rng: &mut StdRng, years: std::ops::Range<i32>) -> MrzDate {
    MrzDate::Calendar(Date::new(
        rng.random_range(years),
        rng.random_range(1..=12),
        rng.random_range(1..=28),
    ))
}

/// Random, valid zone text of `layout`.
pub fn zone_text(layout: Layout, rng: &mut StdRng) -> Vec<String> {
    let surname = pick(rng, SURNAMES).to_owned();
    let given_names = pick(rng, GIVEN).to_owned();
    let issuing_country = pick(rng, STATES).to_owned();
    let nationality = pick(rng, STATES).to_owned();
    let letters = rng.random_range(0..3);
    let document_number = alnum(rng, letters, 7);
    let date_of_birth = date(rng, 1950..2008);
    let date_of_expiry = date(rng, 2026..2036);
    let sex = match rng.random_range(0..5) {
        0 => Sex::Unspecified,
        1 | 2 => Sex::Male,
        _ => Sex::Female,
    };
    let optional = |rng: &mut StdRng, max: usize| {
        if rng.random_bool(0.5) {
            let digits = rng.random_range(1..=max);
            Some(alnum(rng, 0, digits))
        } else {
            None
        }
    };
    let text = match layout {
        Layout::FraId => {
            return french_card(
                &surname,
                &given_names,
                &date_of_birth.to_string(),
                sex.zone_char(),
                rng,
            );
        }
        Layout::Td3 => mrz::format_td3(&mrz::Td3Fields {
            document_code: "P".into(),
            personal_number: optional(rng, 14),
            issuing_country,
            document_number,
            surname,
            given_names,
            nationality,
            date_of_birth,
            sex,
            date_of_expiry,
        }),
        Layout::Td2 => mrz::format_td2(&mrz::Td2Fields {
            document_code: ["I", "ID", "AC"][rng.random_range(0..3)].into(),
            optional_data: optional(rng, 7),
            issuing_country,
            document_number,
            surname,
            given_names,
            nationality,
            date_of_birth,
            sex,
            date_of_expiry,
        }),
        Layout::Td1 => mrz::format_td1(&mrz::Td1Fields {
            document_code: ["I", "ID", "IR"][rng.random_range(0..3)].into(),
            optional_data_1: optional(rng, 15),
            optional_data_2: optional(rng, 11),
            issuing_country,
            document_number,
            surname,
            given_names,
            nationality,
            date_of_birth,
            sex,
            date_of_expiry,
        }),
        Layout::MrvA => mrz::format_mrv_a(&mrz::MrvAFields {
            document_code: "V".into(),
            optional_data: optional(rng, 16),
            issuing_country,
            document_number,
            surname,
            given_names,
            nationality,
            date_of_birth,
            sex,
            date_of_expiry,
        }),
        Layout::MrvB => mrz::format_mrv_b(&mrz::MrvBFields {
            document_code: "V".into(),
            optional_data: optional(rng, 8),
            issuing_country,
            document_number,
            surname,
            given_names,
            nationality,
            date_of_birth,
            sex,
            date_of_expiry,
        }),
    };
    text.lines().map(str::to_owned).collect()
}

/// The zone of a French identity card: the `mrz` crate formats ICAO layouts only.
fn french_card(
    surname: &str,
    given_names: &str,
    birth: &str,
    sex: char,
    rng: &mut StdRng,
) -> Vec<String> {
    let pad = |s: &str, n: usize| format!("{s:<<n$}");
    let digit = |s: &str| {
        mrz::check_digit(s)
            .expect("the zone holds MRZ characters only")
            .to_string()
    };
    // Department and office; issue year and month, department, serial.
    let office = alnum(rng, 0, 6);
    let number = alnum(rng, 0, 12);
    let birth = format!("{}{}{}", &birth[2..4], &birth[5..7], &birth[8..10]);
    let first = format!("IDFRA{}{office}", pad(surname, 25));
    let mut second = format!(
        "{number}{}{}{birth}{}{sex}",
        digit(&number),
        pad(given_names, 14),
        digit(&birth)
    );
    second += &digit(&format!("{first}{second}"));
    vec![first, second]
}

/// Page size in millimetres.
fn page_mm(layout: Layout) -> (f32, f32) {
    match layout {
        Layout::Td3 => (125.0, 88.0),
        Layout::MrvA => (120.0, 80.0),
        Layout::Td2 | Layout::MrvB | Layout::FraId => (105.0, 74.0),
        Layout::Td1 => (85.6, 54.0),
    }
}

/// Draws `text` with its top-left baseline origin at (x, y) and `pitch` pixels a
/// character, in `ink`.
fn draw_text(
    page: &mut RgbImage,
    face: &FontArc,
    text: &str,
    (x, y): (f32, f32),
    pitch: f32,
    ink: [u8; 3],
) {
    let units = face.height_unscaled();
    let advance_units = face.h_advance_unscaled(face.glyph_id('0'));
    let scale = PxScale::from(units * pitch / advance_units);
    let scaled = face.as_scaled(scale);
    let mut caret = x;
    for c in text.chars() {
        let id = face.glyph_id(c);
        let glyph = id.with_scale_and_position(scale, ab_glyph::point(caret, y));
        if let Some(outline) = face.outline_glyph(glyph) {
            let b = outline.px_bounds();
            outline.draw(|gx, gy, cov| {
                let (px, py) = (gx as i64 + b.min.x as i64, gy as i64 + b.min.y as i64);
                if px >= 0 && py >= 0 && (px as u32) < page.width() && (py as u32) < page.height() {
                    let p = page.get_pixel_mut(px as u32, py as u32);
                    for k in 0..3 {
                        p.0[k] = (f32::from(p.0[k]) * (1.0 - cov) + f32::from(ink[k]) * cov).round()
                            as u8;
                    }
                }
            });
        }
        caret += scaled.h_advance(id);
    }
}

/// The document page, `px_per_mm` pixels a millimetre, with the zone at its foot.
fn page(
    layout: Layout,
    face: &FontArc,
    lines: &[String],
    px_per_mm: f32,
    rng: &mut StdRng,
) -> RgbImage {
    let (wm, hm) = page_mm(layout);
    let (w, h) = ((wm * px_per_mm) as u32, (hm * px_per_mm) as u32);
    let tint = [
        rng.random_range(225..=255u8),
        rng.random_range(225..=255u8),
        rng.random_range(220..=250u8),
    ];
    let mut page = RgbImage::from_pixel(w, h, Rgb(tint));
    // A security print of faint waves.
    let waves = rng.random_range(0.0..0.08f32);
    let (fx, fy) = (
        rng.random_range(0.02..0.1f32),
        rng.random_range(0.02..0.1f32),
    );
    for (x, y, p) in page.enumerate_pixels_mut() {
        let s = ((x as f32 * fx).sin() * (y as f32 * fy).cos()).abs();
        for c in p.0.iter_mut() {
            *c = (f32::from(*c) * (1.0 - waves * s)) as u8;
        }
    }
    // The zone: 2.54 mm a character, lines 4.2 mm apart, the last 5 mm off the foot.
    let pitch = 2.54 * px_per_mm;
    let zone_w = pitch * lines[0].len() as f32;
    let x0 = (wm * px_per_mm - zone_w) / 2.0 + rng.random_range(-1.0..1.0f32) * px_per_mm;
    let spacing = rng.random_range(3.9..4.4f32) * px_per_mm;
    let bottom = h as f32 - rng.random_range(4.0..6.0f32) * px_per_mm;
    let first = bottom - spacing * (lines.len() - 1) as f32;
    // ICAO 9303 keeps the zone clear of other print: nothing of the visual zone comes
    // within 2 mm of the first line's capitals (cap height 2.4 mm).
    let clear = first - (2.4 + 2.0) * px_per_mm;
    // A portrait and lines of the visual zone, above the clear area.
    let photo_top = 14.0 * px_per_mm;
    let photo = (
        (6.0 * px_per_mm) as u32,
        photo_top as u32,
        (wm * 0.26 * px_per_mm) as u32,
        (hm * 0.45 * px_per_mm).min(clear - photo_top).max(0.0) as u32,
    );
    let shade = rng.random_range(90..170u8);
    for y in photo.1..(photo.1 + photo.3).min(h) {
        for x in photo.0..(photo.0 + photo.2).min(w) {
            let v = shade.saturating_add(((x + y) % 23) as u8);
            page.put_pixel(x, y, Rgb([v, v.saturating_sub(10), v.saturating_sub(20)]));
        }
    }
    let ink = [
        rng.random_range(0..50u8),
        rng.random_range(0..50u8),
        rng.random_range(0..60u8),
    ];
    let text_x = photo.0 as f32 + photo.2 as f32 + 5.0 * px_per_mm;
    for row in 0..5 {
        let words: Vec<String> = (0..rng.random_range(1..4))
            .map(|_| pick(rng, &[SURNAMES, GIVEN, STATES].concat()).replace('<', " "))
            .collect();
        let y = (12.0 + row as f32 * 7.0) * px_per_mm;
        if y > clear {
            break;
        }
        draw_text(
            &mut page,
            face,
            &words.join(" "),
            (text_x, y),
            1.8 * px_per_mm,
            ink,
        );
    }
    for (i, line) in lines.iter().enumerate() {
        let y = first + spacing * i as f32;
        draw_text(&mut page, face, line, (x0, y), pitch, ink);
    }
    page
}

/// The layouts a sample is drawn in, passports twice as often.
const LAYOUTS: [Layout; 6] = [
    Layout::Td3,
    Layout::Td3,
    Layout::Td1,
    Layout::Td2,
    Layout::MrvA,
    Layout::MrvB,
];

/// One synthetic document of an ICAO layout, all of it decided by `seed`.
pub fn sample(seed: u64) -> Sample {
    sample_altered(seed, &|_| {})
}

/// [`sample`] with its zone's text changed by `alter` before it is printed (check
/// digits spoiled, say); `lines` says what was printed.
pub fn sample_altered(seed: u64, alter: &dyn Fn(&mut [String])) -> Sample {
    let mut rng = StdRng::seed_from_u64(seed);
    let layout = LAYOUTS[rng.random_range(0..LAYOUTS.len())];
    drawn(layout, &FontArc::new(font()), rng, alter)
}

/// [`sample`] with the zone (and the visual zone) printed in `face` rather than
/// OCR-B, as some documents and many specimens are.
pub fn sample_in_face(seed: u64, face: &FontArc) -> Sample {
    let mut rng = StdRng::seed_from_u64(seed);
    let layout = LAYOUTS[rng.random_range(0..LAYOUTS.len())];
    drawn(layout, face, rng, &|_| {})
}

/// Makes every check digit of a TD3 zone's second line wrong (each digit one more),
/// for [`sample_altered`]: the zone no longer reads as a document.
pub fn spoil_td3_check_digits(lines: &mut [String]) {
    let mut line: Vec<u8> = lines[1].bytes().collect();
    for at in [9, 19, 27, 43] {
        if line[at].is_ascii_digit() {
            line[at] = b'0' + (line[at] - b'0' + 1) % 10;
        }
    }
    lines[1] = String::from_utf8(line).unwrap_or_default();
}

/// One synthetic document of `layout`, the rest decided by `seed` as [`sample`]
/// decides it.
pub fn sample_in(layout: Layout, seed: u64) -> Sample {
    let mut rng = StdRng::seed_from_u64(seed);
    rng.random_range(0..6);
    drawn(layout, &FontArc::new(font()), rng, &|_| {})
}

fn drawn(layout: Layout, face: &FontArc, mut rng: StdRng, alter: &dyn Fn(&mut [String])) -> Sample {
    let capture = if rng.random_bool(0.5) {
        Capture::Photo
    } else {
        Capture::Scan
    };
    let mut lines = zone_text(layout, &mut rng);
    alter(&mut lines);
    let px_per_mm = match capture {
        Capture::Scan => rng.random_range(6.0..12.0f32),
        Capture::Photo => rng.random_range(9.0..13.0f32),
    };
    let page = page(layout, face, &lines, px_per_mm, &mut rng);
    let (pw, ph) = (page.width() as f32, page.height() as f32);
    let quarter = rng.random_range(0..4u32);
    let skew = rng.random_range(-10.0..10.0f32);
    let angle = (quarter as f32 * 90.0 + skew).to_radians();
    let turned = quarter % 2 == 1;
    let (bw, bh) = if turned { (ph, pw) } else { (pw, ph) };
    let (cw, ch, fill) = match capture {
        Capture::Scan => {
            let margin = 1.25;
            ((bw * margin) as u32, (bh * margin) as u32, 1.0)
        }
        Capture::Photo => {
            let (cw, ch) = if rng.random_bool(0.5) {
                (1600, 1200)
            } else {
                (1200, 1600)
            };
            let fill = rng.random_range(0.55..0.8f32) * (cw as f32 / bw).min(ch as f32 / bh);
            (cw, ch, fill)
        }
    };
    let centre = (cw as f32 / 2.0, ch as f32 / 2.0);
    let jitter = match capture {
        Capture::Scan => 0.0,
        Capture::Photo => 0.06,
    };
    let corners = [(0.0, 0.0), (pw, 0.0), (pw, ph), (0.0, ph)];
    let mut to = [(0.0f32, 0.0f32); 4];
    for (k, &(x, y)) in corners.iter().enumerate() {
        let (dx, dy) = ((x - pw / 2.0) * fill, (y - ph / 2.0) * fill);
        let (rx, ry) = (
            dx * angle.cos() - dy * angle.sin(),
            dx * angle.sin() + dy * angle.cos(),
        );
        let j = jitter * pw.max(ph) * fill;
        to[k] = (
            centre.0 + rx + rng.random_range(-1.0..=1.0f32) * j,
            centre.1 + ry + rng.random_range(-1.0..=1.0f32) * j,
        );
    }
    let back = homography(to, corners);
    let table = match capture {
        Capture::Scan => [250, 250, 250],
        Capture::Photo => [
            rng.random_range(40..140u8),
            rng.random_range(30..100u8),
            rng.random_range(20..80u8),
        ],
    };
    let light = rng.random_range(0.0..0.45f32);
    let light_dir = rng.random_range(0.0..std::f32::consts::TAU);
    let noise = rng.random_range(0.0..9.0f32);
    let diag = (cw as f32).hypot(ch as f32);
    let mut out = RgbImage::new(cw, ch);
    for (x, y, p) in out.enumerate_pixels_mut() {
        let (sx, sy) = apply(&back, x as f32 + 0.5, y as f32 + 0.5);
        let mut c = if sx >= 0.0 && sy >= 0.0 && sx < pw - 1.0 && sy < ph - 1.0 {
            bilinear_rgb(&page, sx, sy)
        } else {
            let grain = ((x * 7 + y * 13) % 17) as f32;
            [
                f32::from(table[0]) + grain,
                f32::from(table[1]) + grain,
                f32::from(table[2]) + grain,
            ]
        };
        let along = ((x as f32 - centre.0) * light_dir.cos()
            + (y as f32 - centre.1) * light_dir.sin())
            / diag;
        let gain = 1.0 - light * (0.5 + along);
        let n = noise * gaussian(&mut rng);
        for k in 0..3 {
            c[k] = (c[k] * gain + n).clamp(0.0, 255.0);
        }
        *p = Rgb([c[0] as u8, c[1] as u8, c[2] as u8]);
    }
    let sigma = rng.random_range(0.0..1.4f32);
    let out = if sigma > 0.3 {
        image::imageops::blur(&out, sigma)
    } else {
        out
    };
    let quality = rng.random_range(45..95u8);
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality)
        .encode_image(&out)
        .expect("encoding to memory succeeds");
    Sample {
        layout,
        capture,
        lines,
        jpeg,
        conditions: format!(
            "{capture:?} {}x{} turn {} skew {skew:.1} light {light:.2} blur {sigma:.1} noise {noise:.1} jpeg {quality}",
            cw,
            ch,
            quarter * 90
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_emits_a_zone_whose_check_digits_hold() {
        let mut rng = StdRng::seed_from_u64(7);
        for layout in [
            Layout::Td1,
            Layout::Td2,
            Layout::Td3,
            Layout::MrvA,
            Layout::MrvB,
        ] {
            for _ in 0..20 {
                let lines = zone_text(layout, &mut rng);
                assert_eq!(lines.len(), layout.lines());
                assert!(
                    lines.iter().all(|l| l.len() == layout.length()),
                    "{lines:?}"
                );
                let parsed = layout.parse(&lines).unwrap();
                assert!(parsed.checks.all_valid(), "{lines:?}");
            }
        }
    }

    #[test]
    fn a_sample_is_decided_by_its_seed() {
        let (a, b) = (sample(3), sample(3));
        assert_eq!(a.lines, b.lines);
        assert_eq!(a.jpeg, b.jpeg);
    }
}
