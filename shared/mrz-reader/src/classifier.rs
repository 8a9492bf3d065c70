//! The learned glyph classifier: a small perceptron, trained on synthetic cells printed
//! in OCR-B and in other monospace fonts that documents and specimens use, and
//! degraded as scans and phone photos are (`train/`). It votes with the template
//! matcher: the matcher knows OCR-B exactly, the classifier knows what a letter looks
//! like in other fonts and in poor captures.
//!
//! The weights are compiled in (`model/glyphs.bin`, written by `train/train.py`), so
//! nothing is loaded at run time.

use std::sync::OnceLock;

use crate::glyphs::references;

static MODEL: &[u8] = include_bytes!("../model/glyphs.bin");

/// The most a contending class gains by the classifier's belief in it.
pub const VOTE: f32 = 0.05;

/// How far below the best match a class still contends.
pub const CONTENDERS: f32 = 0.05;

/// The classifier's weights.
pub struct Classifier {
    inputs: usize,
    hidden: usize,
    /// Hidden weights, unit by unit, then the hidden biases.
    w1: Vec<f32>,
    b1: Vec<f32>,
    /// Output weights, class by class, then the output biases.
    w2: Vec<f32>,
    b2: Vec<f32>,
}

/// The compiled-in classifier.
pub fn classifier() -> &'static Classifier {
    static MODEL_PARSED: OnceLock<Classifier> = OnceLock::new();
    MODEL_PARSED.get_or_init(|| Classifier::parse(MODEL).expect("the bundled glyph model parses"))
}

impl Classifier {
    fn parse(bytes: &[u8]) -> Option<Classifier> {
        let rest = bytes.strip_prefix(b"MRZG")?;
        let word = |at: usize| -> Option<usize> {
            Some(u32::from_le_bytes(rest.get(at..at + 4)?.try_into().ok()?) as usize)
        };
        let (inputs, hidden, classes) = (word(0)?, word(4)?, word(8)?);
        let (ww, wh) = references().window();
        if inputs != ww * wh || hidden == 0 || classes != 37 {
            return None;
        }
        let sizes = [inputs * hidden, hidden, hidden * classes, classes];
        let body = rest.get(12..)?;
        if body.len() != 4 * sizes.iter().sum::<usize>() {
            return None;
        }
        let floats: Vec<f32> = body
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let mut parts = Vec::with_capacity(4);
        let mut at = 0;
        for size in sizes {
            parts.push(floats[at..at + size].to_vec());
            at += size;
        }
        let b2 = parts.pop()?;
        let w2 = parts.pop()?;
        let b1 = parts.pop()?;
        let w1 = parts.pop()?;
        Some(Classifier {
            inputs,
            hidden,
            w1,
            b1,
            w2,
            b2,
        })
    }

    /// The number of window pixels the classifier reads.
    pub fn inputs(&self) -> usize {
        self.inputs
    }

    /// The probability of each class for a cell's window (ink 0..1, row by row, as
    /// the reader samples it; the model is refused unless it reads that shape).
    pub fn probabilities(&self, window: &[f32]) -> [f32; 37] {
        debug_assert_eq!(window.len(), self.inputs);
        let hidden: Vec<f32> = self
            .w1
            .chunks_exact(self.inputs)
            .zip(&self.b1)
            .map(|(weights, bias)| (bias + dot(weights, window)).max(0.0))
            .collect();
        let mut out = [0.0f32; 37];
        for ((o, weights), bias) in out
            .iter_mut()
            .zip(self.w2.chunks_exact(self.hidden))
            .zip(&self.b2)
        {
            *o = bias + dot(weights, &hidden);
        }
        let top = out.iter().copied().fold(f32::MIN, f32::max);
        let mut sum = 0.0;
        for o in &mut out {
            *o = (*o - top).exp();
            sum += *o;
        }
        for o in &mut out {
            *o /= sum;
        }
        out
    }
}

/// A cell's scores with the classifier's vote. The classifier settles what the
/// template matcher leaves open: each class that matches within [`CONTENDERS`] of
/// the best gains [`VOTE`] times its probability. A class the matcher rules out gains
/// nothing, so the classifier's own mistakes (it learned from synthetic print) cannot
/// bring in a reading the print does not support.
pub fn vote(matched: [f32; 37], probabilities: [f32; 37]) -> [f32; 37] {
    let top = matched.iter().copied().fold(f32::MIN, f32::max);
    let mut out = matched;
    for (o, p) in out.iter_mut().zip(probabilities) {
        if *o >= top - CONTENDERS {
            *o += VOTE * p;
        }
    }
    out
}

/// A dot product in eight running sums, so the additions do not wait on one another.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (ac, bc) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ac
        .remainder()
        .iter()
        .zip(bc.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ac.zip(bc) {
        for k in 0..8 {
            lanes[k] += x[k] * y[k];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glyphs::class_of;
    use crate::{synth, training};

    fn class(c: u8) -> usize {
        class_of(c).expect("an MRZ character")
    }

    fn best(scores: &[f32; 37]) -> usize {
        (0..37)
            .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
            .expect("37 classes")
    }

    #[test]
    fn the_bundled_model_reads_a_window_of_the_readers_shape() {
        let (ww, wh) = references().window();
        assert_eq!(classifier().inputs(), ww * wh);
        let p = classifier().probabilities(&vec![0.0; ww * wh]);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    }

    #[test]
    fn a_cut_short_or_padded_model_is_refused() {
        assert!(Classifier::parse(&MODEL[..MODEL.len() - 4]).is_none());
        assert!(Classifier::parse(&[MODEL, &[0]].concat()).is_none());
        assert!(Classifier::parse(b"MRZG").is_none());
    }

    #[test]
    fn the_classifier_reads_the_cells_of_documents_it_never_saw() {
        // Seeds below the training run's (which start at 1,000,000).
        let (mut right, mut total) = (0, 0);
        for seed in [3, 8, 21] {
            let sample = synth::sample(seed);
            let gray = image::load_from_memory(&sample.jpeg)
                .expect("the sample decodes")
                .to_luma8();
            let cells = training::labelled_windows(&gray, &sample.lines);
            assert!(!cells.is_empty(), "seed {seed}: the zone is read");
            for (class, window) in cells {
                right += usize::from(best(&classifier().probabilities(&window)) == class);
                total += 1;
            }
        }
        assert!(right * 100 >= total * 97, "{right} of {total} cells");
    }

    #[test]
    fn the_vote_settles_between_close_matches_only() {
        let mut matched = [0.3f32; 37];
        matched[class(b'G')] = 0.91;
        matched[class(b'6')] = 0.89;
        matched[class(b'4')] = 0.60;
        // Sure of the 6, which the templates had close behind the G: the 6 wins.
        let mut sure_six = [0.0f32; 37];
        sure_six[class(b'6')] = 1.0;
        assert_eq!(best(&vote(matched, sure_six)), class(b'6'));
        // Sure of the 4, which the templates rule out: nothing changes.
        let mut sure_four = [0.0f32; 37];
        sure_four[class(b'4')] = 1.0;
        assert_eq!(vote(matched, sure_four), matched);
    }
}
