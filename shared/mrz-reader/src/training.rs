//! Labelled cells for training the glyph classifier: synthetic documents with a
//! known zone, read by the reader's own locating and sampling, so the classifier
//! learns from cells cut exactly as it will meet them.

use image::GrayImage;

use crate::glyphs::class_of;
use crate::{correct, locate, read};

/// The share of a zone's cells that must read as printed for its cells to be
/// labelled by the print: below it the cells were probably placed off the glyphs.
const AGREEMENT: f32 = 0.6;

/// Every cell window of the zone in `gray` printed as `truth`, with the class
/// printed there; empty when no located zone of that shape reads mostly as printed.
pub fn labelled_windows(gray: &GrayImage, truth: &[String]) -> Vec<(usize, Vec<f32>)> {
    let mut best: Option<(f32, read::ZoneScores)> = None;
    for zone in locate::zones(gray) {
        let scored = read::read_zone(gray, &zone);
        let shaped = scored.scores.len() == truth.len()
            && scored
                .scores
                .iter()
                .zip(truth)
                .all(|(cells, line)| cells.len() == line.len());
        if !shaped {
            continue;
        }
        let read = correct::as_read(&scored.scores).lines;
        let (agree, total) = read
            .iter()
            .zip(truth)
            .flat_map(|(read, printed)| read.iter().zip(printed.as_bytes()))
            .fold((0, 0), |(agree, total), (r, p)| {
                (agree + usize::from(r == p), total + 1)
            });
        let share = agree as f32 / total.max(1) as f32;
        if share >= AGREEMENT && best.as_ref().is_none_or(|(b, _)| share > *b) {
            best = Some((share, scored));
        }
    }
    let Some((_, scored)) = best else {
        return Vec::new();
    };
    read::windows(gray, &scored)
        .into_iter()
        .zip(truth)
        .flat_map(|(windows, line)| {
            windows
                .into_iter()
                .zip(line.bytes())
                .filter_map(|(w, c)| class_of(c).map(|k| (k, w)))
                .collect::<Vec<_>>()
        })
        .collect()
}
