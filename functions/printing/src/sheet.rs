//! One printed page as every document of the system is laid out: the trilingual title
//! and subtitle, the document's number, the photo at the top right when the document
//! has one, rows of trilingual labels with their values, the issuing authority and the
//! issue time (GMT+6), and the QR code that leads to the verification. DejaVu Sans is
//! embedded (it has Ң Ө Ү) and subset to the glyphs used; the photo is the small print
//! copy the photo check made, embedded as it is.

use std::sync::OnceLock;

use printpdf::{
    Color, DictItem, ExternalStream, ExternalXObject, LinePoint, Mm, Op, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Px, Rgb, TextItem,
    XObjectTransform,
};

/// A page to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The PDF's title (metadata).
    pub name: String,
    /// Small lines above the title: the issuing state body, one line per language.
    pub header: Vec<String>,
    /// Bold lines at the top.
    pub title: Vec<String>,
    /// Smaller lines under the title.
    pub subtitle: Vec<String>,
    /// "Number / Номер / ...:" and the number itself.
    pub number_label: String,
    pub number: String,
    /// Whether the page has a photo frame (the photo itself comes to [`render`]).
    pub with_photo: bool,
    /// Each row: the label in Kyrgyz, Russian and English, and the value.
    pub rows: Vec<([String; 3], String)>,
    /// The issuing authority, one line per language.
    pub authority: [String; 3],
    /// `DD.MM.YYYY HH:MM` in GMT+6.
    pub issued_at: String,
}

/// A row from static labels.
pub fn row(labels: [&str; 3], value: impl Into<String>) -> ([String; 3], String) {
    (labels.map(str::to_owned), value.into())
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

/// The photo as an image XObject that carries the print copy's JPEG bytes as they are
/// (`DCTDecode`): nothing is decoded or re-encoded while printing.
fn photo_xobject(jpeg: &[u8]) -> anyhow::Result<ExternalXObject> {
    use image::ImageDecoder;
    let header = image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(jpeg))?;
    anyhow::ensure!(
        header.color_type() == image::ColorType::Rgb8,
        "the print copy must be an RGB JPEG"
    );
    let (width, height) = header.dimensions();
    let name = |n: &str| DictItem::Name(n.as_bytes().to_vec());
    let dict = [
        ("Type", name("XObject")),
        ("Subtype", name("Image")),
        ("Width", DictItem::Int(width.into())),
        ("Height", DictItem::Int(height.into())),
        ("BitsPerComponent", DictItem::Int(8)),
        ("ColorSpace", name("DeviceRGB")),
        ("Filter", name("DCTDecode")),
    ];
    Ok(ExternalXObject {
        stream: ExternalStream {
            dict: dict.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            content: jpeg.to_vec(),
            compress: false,
        },
        width: Some(Px(width as usize)),
        height: Some(Px(height as usize)),
        dpi: None,
    })
}

/// Renders the sheet: the PDF bytes. `verify_url` goes into the QR code.
pub fn render(sheet: &Sheet, photo: Option<&[u8]>, verify_url: &str) -> anyhow::Result<Vec<u8>> {
    let (regular, bold) = fonts();
    let mut doc = PdfDocument::new(&sheet.name);
    let regular = PdfFontHandle::External(doc.add_font(regular));
    let bold = PdfFontHandle::External(doc.add_font(bold));
    let mut ops = vec![Op::SetFillColor { col: black() }];

    let mut y = 284.0;
    for line in &sheet.header {
        text(&mut ops, &regular, 7.0, 20.0, y, line);
        y -= 3.4;
    }
    if !sheet.header.is_empty() {
        y -= 3.0;
    }
    for line in &sheet.title {
        text(&mut ops, &bold, 12.0, 20.0, y, line);
        y -= 5.6;
    }
    y -= 1.0;
    for line in &sheet.subtitle {
        text(&mut ops, &regular, 8.5, 20.0, y, line);
        y -= 4.2;
    }
    y -= 4.0;
    let photo_top = y;
    text(&mut ops, &regular, 9.0, 20.0, y, &sheet.number_label);
    text(
        &mut ops,
        &bold,
        14.0,
        20.0,
        y - 7.0,
        &format!("№ {}", sheet.number),
    );
    y -= 21.0;

    // The photo, top right, with its label.
    if sheet.with_photo {
        text(
            &mut ops,
            &regular,
            7.0,
            160.0,
            photo_top,
            "Сүрөт / Фото / Photo",
        );
        let top = photo_top - 3.0;
        match photo {
            Some(photo) => {
                let image = photo_xobject(photo)?;
                let (width_px, height_px) = (
                    image.width.map_or(1.0, |w| w.0 as f32),
                    image.height.map_or(1.0, |h| h.0 as f32),
                );
                let id = doc.add_xobject(&image);
                // 30 mm wide, its top under the label.
                let dpi = width_px * 25.4 / 30.0;
                let height_mm = height_px * 25.4 / dpi;
                ops.push(Op::UseXobject {
                    id,
                    transform: XObjectTransform {
                        translate_x: Some(Mm(160.0).into()),
                        translate_y: Some(Mm(top - height_mm).into()),
                        dpi: Some(dpi),
                        ..Default::default()
                    },
                });
            }
            None => {
                ops.push(Op::SetOutlineColor { col: grey() });
                ops.push(Op::DrawPolygon {
                    polygon: Polygon {
                        rings: vec![rect(160.0, top - 40.0, 30.0, 40.0)],
                        mode: printpdf::PaintMode::Stroke,
                        winding_order: printpdf::WindingOrder::NonZero,
                    },
                });
            }
        }
    }

    // The rows: three label lines, then the value. When a header leaves them less room
    // than they take, the gaps between rows narrow so the last stays above the footer.
    let needed: f32 = sheet
        .rows
        .iter()
        .map(|(_, value)| 3.0 * 3.3 + wrap(value, 80).len() as f32 * 4.6 + 3.0)
        .sum();
    let room = y - 68.0;
    let gap = if needed > room && !sheet.rows.is_empty() {
        (3.0 - (needed - room) / sheet.rows.len() as f32).max(0.5)
    } else {
        3.0
    };
    for (labels, value) in &sheet.rows {
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
        y -= gap;
    }

    // Who issued it and when, and the QR code (the text stays left of it).
    ops.push(Op::SetFillColor { col: grey() });
    let footer = [
        (7.5, 62.0, sheet.authority[0].clone()),
        (7.5, 58.5, sheet.authority[1].clone()),
        (7.5, 55.0, sheet.authority[2].clone()),
        (
            7.5,
            49.0,
            format!("Берилген / Выдан / Issued: {} (GMT+6)", sheet.issued_at),
        ),
        (
            7.0,
            41.0,
            "QR-кодду сканерлеп, документтин жарактуулугун текшериңиз".to_owned(),
        ),
        (
            7.0,
            37.5,
            "Отсканируйте QR-код, чтобы проверить действительность документа".to_owned(),
        ),
        (
            7.0,
            34.0,
            "Scan the QR code to check that the document is valid".to_owned(),
        ),
    ];
    for (size, y, line) in footer {
        text(&mut ops, &regular, size, 20.0, y, &line);
    }
    ops.push(Op::SetFillColor { col: black() });
    ops.push(qr(verify_url, 150.0, 20.0, 42.0)?);

    let page = PdfPage::new(Mm(210.0), Mm(297.0), ops);
    Ok(doc
        .with_pages(vec![page])
        .save(&PdfSaveOptions::default(), &mut Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
