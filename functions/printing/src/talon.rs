//! The registration talon ("каттоо талону / регистрационный талон / registration card"):
//! one A4 page with the trilingual labels of the printed form, the foreigner's photo,
//! the 14-digit registration number, the data of the registration and a QR code that
//! leads to its verification. DejaVu Sans is embedded (it has Ң Ө Ү), subset to the
//! glyphs used; the photo is re-encoded small, so a talon stays under 80 KB.

use std::sync::OnceLock;

use printpdf::{
    Color, ImageCompression, ImageOptimizationOptions, LinePoint, Mm, Op, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, RawImage, Rgb,
    TextItem, XObjectTransform,
};

/// What a talon prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Talon {
    pub registration_number: String,
    /// Surname and given names, as in the passport.
    pub full_name: String,
    pub birth_date: String,
    pub citizenship: String,
    /// Type, country and number of the identity document.
    pub document: String,
    pub document_valid_until: String,
    pub entry_date: String,
    pub address: String,
    pub valid_from: String,
    pub valid_to: String,
    /// The host, and the host's document.
    pub host: String,
    /// Issue date and time in GMT+6, `DD.MM.YYYY HH:MM`.
    pub issued_at: String,
}

impl Talon {
    /// The printed fields in one line: what the QR payload's hash covers.
    pub fn fields(&self) -> String {
        [
            &self.registration_number,
            &self.full_name,
            &self.birth_date,
            &self.citizenship,
            &self.document,
            &self.document_valid_until,
            &self.entry_date,
            &self.address,
            &self.valid_from,
            &self.valid_to,
            &self.host,
        ]
        .map(String::as_str)
        .join("|")
    }
}

/// The issuing authority, as the card names it.
pub const AUTHORITY: [&str; 3] = [
    "Калкты каттоо департаменти",
    "Департамент регистрации населения",
    "Department of Population Registration",
];

/// Each row: the label in Kyrgyz, Russian and English, and the value.
fn rows(t: &Talon) -> Vec<([&'static str; 3], &str)> {
    vec![
        (
            ["Фамилиясы, аты", "Фамилия, имя", "Surname, name"],
            &t.full_name,
        ),
        (
            ["Туулган күнү", "Дата рождения", "Date of birth"],
            &t.birth_date,
        ),
        (["Жарандыгы", "Гражданство", "Citizenship"], &t.citizenship),
        (
            [
                "Инсандыгын күбөлөндүрүүчү документ (түрү, сериясы, номуру)",
                "Документ, удостоверяющий личность (тип, серия, номер)",
                "Identity document (type, series, number)",
            ],
            &t.document,
        ),
        (
            [
                "Документтин жарактуулук мөөнөтү",
                "Срок действия документа",
                "Document valid until",
            ],
            &t.document_valid_until,
        ),
        (
            ["Кирген күнү", "Дата въезда", "Date of entry"],
            &t.entry_date,
        ),
        (
            [
                "Убактылуу турган жери боюнча катталган дареги",
                "Зарегистрирован по месту пребывания по адресу",
                "Registered at the place of stay at",
            ],
            &t.address,
        ),
        (
            ["Катталган күнү", "Дата регистрации", "Date of registration"],
            &t.valid_from,
        ),
        (["Чейин", "По", "Valid until"], &t.valid_to),
        (
            [
                "Кабыл алуучу тарап, анын документи",
                "Принимающая сторона, её документ",
                "Host and the host's document",
            ],
            &t.host,
        ),
    ]
}

fn fonts() -> &'static (ParsedFont, ParsedFont) {
    static FONTS: OnceLock<(ParsedFont, ParsedFont)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let parse = |bytes: &[u8]| {
            ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("the bundled font parses")
        };
        (
            parse(include_bytes!("../fonts/DejaVuSans.ttf")),
            parse(include_bytes!("../fonts/DejaVuSans-Bold.ttf")),
        )
    })
}

fn black() -> Color {
    Color::Rgb(Rgb {
        r: 0.0,
        g: 0.0,
        b: 0.0,
        icc_profile: None,
    })
}

fn grey() -> Color {
    Color::Rgb(Rgb {
        r: 0.35,
        g: 0.35,
        b: 0.35,
        icc_profile: None,
    })
}

fn text(ops: &mut Vec<Op>, font: &PdfFontHandle, size: f32, x: f32, y: f32, line: &str) {
    ops.extend([
        Op::StartTextSection,
        Op::SetTextCursor {
            pos: Point::new(Mm(x), Mm(y)),
        },
        Op::SetFont {
            font: font.clone(),
            size: Pt(size),
        },
        Op::ShowText {
            items: vec![TextItem::Text(line.to_owned())],
        },
        Op::EndTextSection,
    ]);
}

fn rect(x: f32, y: f32, w: f32, h: f32) -> PolygonRing {
    let p = |x: f32, y: f32| LinePoint {
        p: Point::new(Mm(x), Mm(y)),
        bezier: false,
    };
    PolygonRing {
        points: vec![p(x, y), p(x + w, y), p(x + w, y + h), p(x, y + h)],
    }
}

/// Splits `line` into lines of at most `width` characters, at spaces.
fn wrap(line: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in line.split_whitespace() {
        let last = lines.last_mut().expect("one line at least");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_owned());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// The QR code of `url` as filled squares, `size` mm wide, its lower left at (x, y).
fn qr(url: &str, x: f32, y: f32, size: f32) -> anyhow::Result<Op> {
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M)?;
    let width = code.width();
    let quiet = 4;
    let module = size / (width + 2 * quiet) as f32;
    let colors = code.to_colors();
    let mut rings = Vec::new();
    for row in 0..width {
        let mut col = 0;
        while col < width {
            if colors[row * width + col] == qrcode::Color::Dark {
                let start = col;
                while col < width && colors[row * width + col] == qrcode::Color::Dark {
                    col += 1;
                }
                rings.push(rect(
                    x + (quiet + start) as f32 * module,
                    y + size - (quiet + row + 1) as f32 * module,
                    (col - start) as f32 * module,
                    module,
                ));
            } else {
                col += 1;
            }
        }
    }
    Ok(Op::DrawPolygon {
        polygon: Polygon {
            rings,
            mode: printpdf::PaintMode::Fill,
            winding_order: printpdf::WindingOrder::NonZero,
        },
    })
}

/// The photo, 3:4, at most 300×400 pixels, as JPEG.
fn photo_jpeg(photo: &[u8]) -> anyhow::Result<Vec<u8>> {
    let image = image::load_from_memory(photo)?;
    let small = image.resize(300, 400, image::imageops::FilterType::Triangle);
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
    small.to_rgb8().write_with_encoder(encoder)?;
    Ok(out)
}

/// Renders the talon: the PDF bytes. `verify_url` goes into the QR code.
pub fn render(talon: &Talon, photo: Option<&[u8]>, verify_url: &str) -> anyhow::Result<Vec<u8>> {
    let (regular, bold) = fonts();
    let mut doc = PdfDocument::new(&format!("Registration card {}", talon.registration_number));
    let regular = PdfFontHandle::External(doc.add_font(regular));
    let bold = PdfFontHandle::External(doc.add_font(bold));
    let mut ops = vec![Op::SetFillColor { col: black() }];

    // Title, as the printed form has it.
    text(
        &mut ops,
        &bold,
        13.0,
        20.0,
        280.0,
        "КАТТОО ТАЛОНУ / РЕГИСТРАЦИОННЫЙ ТАЛОН / REGISTRATION CARD",
    );
    for (i, line) in [
        "чет өлкөлүк жарандын жана жарандыгы жок адамдын убактылуу турган жери боюнча",
        "иностранного гражданина и лица без гражданства по месту пребывания",
        "of a foreign citizen and a stateless person at the place of stay",
    ]
    .iter()
    .enumerate()
    {
        text(&mut ops, &regular, 8.5, 20.0, 273.0 - i as f32 * 4.2, line);
    }
    text(
        &mut ops,
        &regular,
        9.0,
        20.0,
        257.0,
        "Каттоонун номуру / Номер регистрации / Registration number:",
    );
    text(
        &mut ops,
        &bold,
        14.0,
        20.0,
        250.0,
        &format!("№ {}", talon.registration_number),
    );

    // The photo, top right, with its label.
    text(
        &mut ops,
        &regular,
        7.0,
        160.0,
        257.0,
        "Сүрөт / Фото / Photo",
    );
    match photo {
        Some(photo) => {
            let jpeg = photo_jpeg(photo)?;
            let image =
                RawImage::decode_from_bytes(&jpeg, &mut Vec::new()).map_err(anyhow::Error::msg)?;
            let width_px = image.width as f32;
            let id = doc.add_image(&image);
            // 30 mm wide, its top at 254 mm.
            let dpi = width_px * 25.4 / 30.0;
            let height_mm = image.height as f32 * 25.4 / dpi;
            ops.push(Op::UseXobject {
                id,
                transform: XObjectTransform {
                    translate_x: Some(Mm(160.0).into()),
                    translate_y: Some(Mm(254.0 - height_mm).into()),
                    dpi: Some(dpi),
                    ..Default::default()
                },
            });
        }
        None => {
            ops.push(Op::SetOutlineColor { col: grey() });
            ops.push(Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![rect(160.0, 214.0, 30.0, 40.0)],
                    mode: printpdf::PaintMode::Stroke,
                    winding_order: printpdf::WindingOrder::NonZero,
                },
            });
        }
    }

    // The rows: three label lines, then the value.
    let mut y = 236.0;
    for (labels, value) in rows(talon) {
        ops.push(Op::SetFillColor { col: grey() });
        for label in labels {
            text(&mut ops, &regular, 7.0, 20.0, y, label);
            y -= 3.3;
        }
        ops.push(Op::SetFillColor { col: black() });
        for line in wrap(value, 80) {
            text(&mut ops, &bold, 10.0, 20.0, y - 0.8, &line);
            y -= 4.6;
        }
        y -= 3.0;
    }

    // Who issued it and when, and the QR code (the text stays left of it).
    ops.push(Op::SetFillColor { col: grey() });
    let footer = [
        (7.5, 58.0, format!("{} / {}", AUTHORITY[0], AUTHORITY[1])),
        (7.5, 54.0, AUTHORITY[2].to_owned()),
        (
            7.5,
            48.0,
            format!("Берилген / Выдан / Issued: {} (GMT+6)", talon.issued_at),
        ),
        (
            7.0,
            40.0,
            "QR-кодду сканерлеп, талондун жарактуулугун текшериңиз".to_owned(),
        ),
        (
            7.0,
            36.5,
            "Отсканируйте QR-код, чтобы проверить действительность талона".to_owned(),
        ),
        (
            7.0,
            33.0,
            "Scan the QR code to check that the card is valid".to_owned(),
        ),
    ];
    for (size, y, line) in footer {
        text(&mut ops, &regular, size, 20.0, y, &line);
    }
    ops.push(Op::SetFillColor { col: black() });
    ops.push(qr(verify_url, 150.0, 20.0, 42.0)?);

    let options = PdfSaveOptions {
        image_optimization: Some(ImageOptimizationOptions {
            format: Some(ImageCompression::Jpeg),
            quality: Some(0.8),
            auto_optimize: Some(false),
            ..Default::default()
        }),
        ..Default::default()
    };
    let page = PdfPage::new(Mm(210.0), Mm(297.0), ops);
    Ok(doc.with_pages(vec![page]).save(&options, &mut Vec::new()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample() -> Talon {
        Talon {
            registration_number: "59930207077349".into(),
            full_name: "KARIMOV RUSTAM".into(),
            birth_date: "02.03.1988".into(),
            citizenship: "UZB".into(),
            document: "P UZB FA1234567".into(),
            document_valid_until: "16.05.2031".into(),
            entry_date: "20.11.2026".into(),
            address: "г. Бишкек, Свердловский район, ул. Исанова, 16, кв. 97".into(),
            valid_from: "21.11.2026".into(),
            valid_to: "20.02.2027".into(),
            host: "ASANOV AIBEK, KGZ AC***67".into(),
            issued_at: "23.11.2026 14:05".into(),
        }
    }

    #[test]
    fn a_talon_with_a_photo_is_one_small_page() {
        let photo = {
            let mut out = Vec::new();
            image::RgbImage::from_fn(600, 800, |x, y| {
                image::Rgb([(x % 200) as u8 + 40, (y % 180) as u8 + 40, 150])
            })
            .write_to(
                &mut std::io::Cursor::new(&mut out),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
            out
        };
        let pdf = render(
            &sample(),
            Some(&photo),
            "https://e.migration.kg/v1/public/documents/verify?d=T59930207077349.3.abc.sig",
        )
        .unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        assert!(pdf.len() < 80 * 1024, "{} bytes", pdf.len());
        let parsed = lopdf::Document::load_mem(&pdf).unwrap();
        assert_eq!(parsed.get_pages().len(), 1);
    }

    #[test]
    fn long_values_wrap_at_spaces() {
        let lines = wrap("г. Бишкек, Свердловский район, ул. Исанова, 16, кв. 97", 20);
        assert!(lines.iter().all(|l| l.chars().count() <= 20), "{lines:?}");
        assert_eq!(
            lines.join(" "),
            "г. Бишкек, Свердловский район, ул. Исанова, 16, кв. 97"
        );
    }
}
