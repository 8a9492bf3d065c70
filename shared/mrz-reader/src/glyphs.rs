//! Reference glyphs of the MRZ alphabet, drawn from the OCR-B font into one character
//! cell, and the matching of an image cell against them.
//!
//! A cell is one character pitch wide and the cap height plus a margin tall, baseline
//! and centre placed as the font places them. Each class has references at several
//! blurs and stroke weights, since a scan's print may be sharp, soft, thin or heavy.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

/// The 37 characters an MRZ may hold.
pub const ALPHABET: &[u8; 37] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";

static OCR_B: &[u8] = include_bytes!("../fonts/OCRB.otf");

/// The OCR-B font the references and synthetic zones are drawn with.
pub fn font() -> FontRef<'static> {
    FontRef::try_from_slice(OCR_B).expect("the bundled OCR-B font parses")
}

/// Cap height of a reference, in cell pixels.
pub const CAP: f32 = 20.0;
/// Rows of margin above and below the cap height.
const MARGIN: usize = 4;
/// Cell pixels a reference may slide each way over the sampled window.
pub const SHIFT: usize = 2;

/// Blur radii (Gaussian sigma, cell pixels) and stroke weights of the references.
const BLURS: [f32; 3] = [0.5, 1.2, 2.2];
const WEIGHTS: [i8; 3] = [-1, 0, 1];
/// The variant the shift search uses; the others refine its best places.
const SEARCH_VARIANT: usize = 4; // blur 1.2, weight 0

/// One reference: zero-mean, unit-norm, laid out row by row.
struct Reference {
    pixels: Vec<f32>,
}

/// The references of every class, and the cell geometry they share.
pub struct References {
    /// Cell width in pixels (one pitch).
    pub width: usize,
    pub height: usize,
    /// Pitch over cap height, as the font draws it.
    pub pitch_per_cap: f32,
    /// Offset of the cap's vertical centre from the cell's top, in pixels.
    pub centre_row: f32,
    classes: Vec<Vec<Reference>>,
}

/// The shared references, drawn once.
pub fn references() -> &'static References {
    static REFS: OnceLock<References> = OnceLock::new();
    REFS.get_or_init(References::draw)
}

impl References {
    fn draw() -> References {
        let font = font();
        let units = font.height_unscaled();
        let cap_units = cap_height_units(&font);
        // Scale so that the cap height is CAP pixels.
        let scale = PxScale::from(units * CAP / cap_units);
        let scaled = font.as_scaled(scale);
        let advance = scaled.h_advance(font.glyph_id('0'));
        let width = advance.round() as usize;
        let height = CAP as usize + 2 * MARGIN;
        let baseline = MARGIN as f32 + CAP;
        let classes = ALPHABET
            .iter()
            .map(|&c| {
                let coverage = render(&font, scale, c as char, width, height, baseline, advance);
                let mut variants = Vec::new();
                for &weight in &WEIGHTS {
                    let weighted = embolden(&coverage, width, height, weight);
                    for &sigma in &BLURS {
                        let blurred = blur(&weighted, width, height, sigma);
                        variants.push(Reference {
                            pixels: normalised(blurred),
                        });
                    }
                }
                variants
            })
            .collect();
        References {
            width,
            height,
            pitch_per_cap: advance / CAP,
            centre_row: MARGIN as f32 + CAP / 2.0,
            classes,
        }
    }

    /// Width and height of the window a cell is sampled into (the cell plus the shift).
    pub fn window(&self) -> (usize, usize) {
        (self.width + 2 * SHIFT, self.height + 2 * SHIFT)
    }

    /// Scores every class against a sampled window of ink (1 = ink, 0 = paper):
    /// the best normalised correlation over shifts and, with `refine`, over the
    /// variants of the leading classes too.
    pub fn scores(&self, window: &[f32], refine: bool) -> [f32; 37] {
        self.matched(window, refine).0
    }

    /// [`scores`](Self::scores), and where the best class sits in the window: its
    /// offset from the window's centre, in cell pixels (x along, y across the text).
    pub fn matched(&self, window: &[f32], refine: bool) -> ([f32; 37], (f32, f32)) {
        let (ww, _) = self.window();
        let span = 2 * SHIFT + 1;
        let norms = self.norms(window);
        let correlate = |reference: &Reference, dx: usize, dy: usize| -> f32 {
            // Four running sums, so the additions do not wait on one another.
            let mut lanes = [0.0f32; 4];
            for y in 0..self.height {
                let row = &window[(y + dy) * ww + dx..][..self.width];
                let refs = &reference.pixels[y * self.width..][..self.width];
                for (i, (p, r)) in row.iter().zip(refs).enumerate() {
                    lanes[i % 4] += p * r;
                }
            }
            // The reference is zero-mean, so the window's mean drops out.
            lanes.iter().sum::<f32>() / norms[dy * span + dx]
        };
        let mut scores = [f32::MIN; 37];
        let mut places = [(SHIFT, SHIFT); 37];
        for (class, variants) in self.classes.iter().enumerate() {
            // Every placement at once: one pass over the reference feeds 25 sums.
            let reference = &variants[SEARCH_VARIANT].pixels;
            let mut dots = [[0.0f32; 2 * SHIFT + 1]; 2 * SHIFT + 1];
            for y in 0..self.height {
                let refs = &reference[y * self.width..][..self.width];
                for (dy, sums) in dots.iter_mut().enumerate() {
                    let row = &window[(y + dy) * ww..][..ww];
                    for (x, &r) in refs.iter().enumerate() {
                        let under = &row[x..x + span];
                        for (sum, &p) in sums.iter_mut().zip(under) {
                            *sum += r * p;
                        }
                    }
                }
            }
            let mut best = (f32::MIN, SHIFT, SHIFT);
            for (dy, sums) in dots.iter().enumerate() {
                for (dx, &dot) in sums.iter().enumerate() {
                    let s = dot / norms[dy * span + dx];
                    if s > best.0 {
                        best = (s, dx, dy);
                    }
                }
            }
            scores[class] = best.0;
            places[class] = (best.1, best.2);
        }
        let top = (0..37)
            .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
            .unwrap_or(36);
        let place = (
            places[top].0 as f32 - SHIFT as f32,
            places[top].1 as f32 - SHIFT as f32,
        );
        if !refine {
            return (scores, place);
        }
        // Refine the leading classes with every variant around their best place.
        let mut order: Vec<usize> = (0..37).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
        for &class in &order[..4] {
            let (px, py) = places[class];
            let mut best = scores[class];
            for (v, variant) in self.classes[class].iter().enumerate() {
                if v == SEARCH_VARIANT {
                    continue;
                }
                for dy in py.saturating_sub(1)..(py + 2).min(span) {
                    for dx in px.saturating_sub(1)..(px + 2).min(span) {
                        best = best.max(correlate(variant, dx, dy));
                    }
                }
            }
            scores[class] = best;
        }
        (scores, place)
    }
}

/// The class of an MRZ character, its index in [`ALPHABET`].
pub fn class_of(c: u8) -> Option<usize> {
    ALPHABET.iter().position(|&a| a == c)
}

/// A zone's own drawing of one class: the sum of its cells read surely as that
/// class, each cut from its window where its reference matched best.
pub struct Exemplar {
    sum: Vec<f32>,
    count: usize,
}

impl Exemplar {
    /// A drawing of one cut cell.
    pub fn of(cell: &[f32]) -> Exemplar {
        Exemplar {
            sum: cell.to_vec(),
            count: 1,
        }
    }

    pub fn add(&mut self, cell: &[f32]) {
        self.sum.iter_mut().zip(cell).for_each(|(s, c)| *s += c);
        self.count += 1;
    }

    /// How well a cut cell that is one of this drawing's matches the others: the
    /// correlation with their mean, where it was cut. `None` with no others.
    pub fn left_out(&self, cell: &[f32]) -> Option<f32> {
        if self.count < 2 {
            return None;
        }
        let others = normalised(self.sum.iter().zip(cell).map(|(s, c)| s - c).collect());
        Some(others.iter().zip(cell).map(|(a, b)| a * b).sum())
    }

    /// The mean of the cells, zero-mean and unit-norm, as a reference is.
    pub fn drawing(&self) -> Vec<f32> {
        normalised(self.sum.clone())
    }
}

impl References {
    /// The norm (about its mean) of every placement of the cell in `window`,
    /// row by row of offsets.
    fn norms(&self, window: &[f32]) -> [f32; 25] {
        let (ww, _) = self.window();
        let n = (self.width * self.height) as f32;
        let span = 2 * SHIFT + 1;
        let mut norms = [0.0f32; 25];
        for dy in 0..span {
            for dx in 0..span {
                let (mut sum, mut sq) = (0.0f32, 0.0f32);
                for y in 0..self.height {
                    for &p in &window[(y + dy) * ww + dx..][..self.width] {
                        sum += p;
                        sq += p * p;
                    }
                }
                norms[dy * span + dx] = (sq - sum * sum / n).max(1e-6).sqrt();
            }
        }
        norms
    }

    /// The cell of `window` at a best-match `place` (offsets from the window's
    /// centre, in cell pixels), zero-mean and unit-norm.
    pub fn cut(&self, window: &[f32], place: (f32, f32)) -> Vec<f32> {
        let (ww, _) = self.window();
        let dx = (place.0 + SHIFT as f32)
            .round()
            .clamp(0.0, 2.0 * SHIFT as f32) as usize;
        let dy = (place.1 + SHIFT as f32)
            .round()
            .clamp(0.0, 2.0 * SHIFT as f32) as usize;
        let mut cell = Vec::with_capacity(self.width * self.height);
        for y in 0..self.height {
            cell.extend_from_slice(&window[(y + dy) * ww + dx..][..self.width]);
        }
        normalised(cell)
    }

    /// The best correlation of `window` with each of `drawings` (zero-mean and
    /// unit-norm, as [`Exemplar::drawing`] gives them) over every placement, as
    /// [`matched`](Self::matched) scores a reference.
    pub fn against<'a>(
        &self,
        window: &[f32],
        drawings: impl Iterator<Item = &'a [f32]>,
    ) -> Vec<f32> {
        let (ww, _) = self.window();
        let span = 2 * SHIFT + 1;
        let norms = self.norms(window);
        drawings
            .map(|drawing| {
                let mut best = f32::MIN;
                for dy in 0..span {
                    for dx in 0..span {
                        let mut dot = 0.0f32;
                        for y in 0..self.height {
                            let row = &window[(y + dy) * ww + dx..][..self.width];
                            let refs = &drawing[y * self.width..][..self.width];
                            dot += row.iter().zip(refs).map(|(p, r)| p * r).sum::<f32>();
                        }
                        best = best.max(dot / norms[dy * span + dx]);
                    }
                }
                best
            })
            .collect()
    }
}

/// Height of the capital H's outline, in font units.
fn cap_height_units(font: &FontRef<'static>) -> f32 {
    font.outline(font.glyph_id('H'))
        .map_or(font.height_unscaled() * 0.7, |o| o.bounds.height().abs())
}

/// Coverage (0..1) of one character drawn in a cell, centred on its advance.
fn render(
    font: &FontRef<'static>,
    scale: PxScale,
    c: char,
    width: usize,
    height: usize,
    baseline: f32,
    advance: f32,
) -> Vec<f32> {
    let mut cell = vec![0.0f32; width * height];
    let origin = ab_glyph::point((width as f32 - advance) / 2.0, baseline);
    let glyph = font.glyph_id(c).with_scale_and_position(scale, origin);
    if let Some(outline) = font.outline_glyph(glyph) {
        let bounds = outline.px_bounds();
        outline.draw(|x, y, coverage| {
            let px = x as i64 + bounds.min.x as i64;
            let py = y as i64 + bounds.min.y as i64;
            if (0..width as i64).contains(&px) && (0..height as i64).contains(&py) {
                let cell_px = &mut cell[py as usize * width + px as usize];
                *cell_px = (*cell_px + coverage).min(1.0);
            }
        });
    }
    cell
}

/// Thickens (`weight` > 0) or thins (< 0) strokes by about one pixel.
fn embolden(cell: &[f32], width: usize, height: usize, weight: i8) -> Vec<f32> {
    if weight == 0 {
        return cell.to_vec();
    }
    let mut out = vec![0.0f32; cell.len()];
    for y in 0..height {
        for x in 0..width {
            let mut acc = cell[y * width + x];
            for (dx, dy) in [(-1i64, 0i64), (1, 0), (0, -1), (0, 1)] {
                let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                let n = if (0..width as i64).contains(&nx) && (0..height as i64).contains(&ny) {
                    cell[ny as usize * width + nx as usize]
                } else {
                    0.0
                };
                acc = if weight > 0 { acc.max(n) } else { acc.min(n) };
            }
            // Half a pixel's worth: blend with the original.
            out[y * width + x] = 0.5 * (acc + cell[y * width + x]);
        }
    }
    out
}

/// Separable Gaussian blur with clamped edges.
pub(crate) fn blur(cell: &[f32], width: usize, height: usize, sigma: f32) -> Vec<f32> {
    let radius = (sigma * 3.0).ceil() as i64;
    let kernel: Vec<f32> = (-radius..=radius)
        .map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f32 = kernel.iter().sum();
    let pass = |src: &[f32], horizontal: bool| -> Vec<f32> {
        let mut dst = vec![0.0f32; src.len()];
        for y in 0..height as i64 {
            for x in 0..width as i64 {
                let mut acc = 0.0;
                for (k, w) in kernel.iter().enumerate() {
                    let d = k as i64 - radius;
                    let (sx, sy) = if horizontal {
                        ((x + d).clamp(0, width as i64 - 1), y)
                    } else {
                        (x, (y + d).clamp(0, height as i64 - 1))
                    };
                    acc += w * src[sy as usize * width + sx as usize];
                }
                dst[y as usize * width + x as usize] = acc / total;
            }
        }
        dst
    };
    pass(&pass(cell, true), false)
}

/// Zero mean, unit norm.
fn normalised(mut pixels: Vec<f32>) -> Vec<f32> {
    let mean = pixels.iter().sum::<f32>() / pixels.len() as f32;
    pixels.iter_mut().for_each(|p| *p -= mean);
    let norm = pixels.iter().map(|p| p * p).sum::<f32>().sqrt().max(1e-6);
    pixels.iter_mut().for_each(|p| *p /= norm);
    pixels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_is_its_own_best_match() {
        let refs = references();
        let font = font();
        let units = font.height_unscaled();
        let cap_units = cap_height_units(&font);
        let scale = PxScale::from(units * CAP / cap_units);
        let advance = font.as_scaled(scale).h_advance(font.glyph_id('0'));
        let (ww, wh) = refs.window();
        for (i, &c) in ALPHABET.iter().enumerate() {
            let cell = render(
                &font,
                scale,
                c as char,
                ww,
                wh,
                (MARGIN + SHIFT) as f32 + CAP,
                advance + 2.0 * SHIFT as f32,
            );
            let scores = refs.scores(&blur(&cell, ww, wh, 1.0), true);
            let best = (0..37)
                .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
                .unwrap();
            assert_eq!(ALPHABET[best] as char, c as char, "scores {scores:?}");
            assert!(scores[i] > 0.9, "{} scored {}", c as char, scores[i]);
        }
    }

    #[test]
    fn the_cell_is_about_as_wide_as_the_cap_is_tall() {
        let refs = references();
        assert!(
            (0.5..1.2).contains(&refs.pitch_per_cap),
            "{}",
            refs.pitch_per_cap
        );
    }
}
