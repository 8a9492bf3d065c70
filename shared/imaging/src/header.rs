//! What a file is by its first bytes, and what an image's header says (its size and
//! EXIF orientation) without decoding a pixel; and the whole image decoded upright.

use std::io::Cursor;

use domain::document::FileType;
use image::metadata::Orientation;
use image::{ImageDecoder, ImageReader};

/// The type `bytes` show by their signature, if it is one uploads may be.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileType::Png)
    } else if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else {
        None
    }
}

/// The whole image, turned upright by its EXIF orientation. Only called once the
/// header's dimensions are within the caps (or on a file checked before).
pub fn decode_upright(bytes: &[u8]) -> Option<image::DynamicImage> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let mut decoder = reader.into_decoder().ok()?;
    let orientation = decoder.orientation().ok();
    let mut image = image::DynamicImage::from_decoder(decoder).ok()?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Some(image)
}

/// What an image's header says, read without decoding a pixel.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Header {
    /// Width and height as stored.
    pub stored: (u32, u32),
    pub orientation: Option<Orientation>,
}

impl Header {
    /// The header of `bytes`; `None` when it does not parse.
    pub fn read(bytes: &[u8]) -> Option<Header> {
        let mut reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .ok()?;
        // Only the header is read here; the caller applies its own pixel cap.
        reader.no_limits();
        let mut decoder = reader.into_decoder().ok()?;
        Some(Header {
            stored: decoder.dimensions(),
            orientation: decoder.orientation().ok(),
        })
    }

    /// Whether the orientation turns the image a quarter, swapping its sides.
    pub fn turned(&self) -> bool {
        use Orientation::*;
        matches!(
            self.orientation,
            Some(Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
        )
    }

    /// Width and height as displayed, after the orientation.
    pub fn displayed(&self) -> (u32, u32) {
        let (w, h) = self.stored;
        if self.turned() { (h, w) } else { (w, h) }
    }
}
