//! Reading a located zone: every character cell is sampled, along the zone's own
//! axes, into the reference cell's geometry and scored against every class. The
//! zone is read both ways round (a document upside down reads backwards) and at a
//! few cap heights, and the reading that matches best wins.

use image::GrayImage;

use crate::classifier::{classifier, vote};
use crate::correct::TIED;
use crate::glyphs::{CAP, Exemplar, SHIFT, class_of, references};
use crate::locate::{Cell, Zone};

/// Scores of one zone, `[line][cell][class]`, and their mean best score.
#[derive(Debug, Clone)]
pub struct ZoneScores {
    pub scores: Vec<Vec<[f32; 37]>>,
    pub mean: f32,
    /// The cells read, in reading order, and the cap scale they were read at.
    cells: Vec<Vec<Cell>>,
    cap_scale: f32,
    /// Where each cell's best match sat, from the cell's centre, in image pixels.
    offsets: Vec<Vec<(f32, f32)>>,
    /// The same, from the window's centre in cell pixels.
    places: Vec<Vec<(f32, f32)>>,
}

/// Reads `zone` of `gray` whichever way round fits best.
pub fn read_zone(gray: &GrayImage, zone: &Zone) -> ZoneScores {
    // Calibrate on a sample of cells, then read every cell in the best frame.
    let mut best: Option<(f32, bool, f32)> = None;
    for reversed in [false, true] {
        let cells = in_reading_order(zone, reversed);
        for cap_scale in [0.85f32, 1.0, 1.15] {
            let mean = scan(gray, &cells, cap_scale, Match::Sample(5)).mean;
            if best.is_none_or(|(m, _, _)| mean > m) {
                best = Some((mean, reversed, cap_scale));
            }
        }
    }
    let (_, reversed, cap_scale) = best.expect("frames were tried");
    let mut read = scan(
        gray,
        &in_reading_order(zone, reversed),
        cap_scale,
        Match::Full,
    );
    for l in 0..read.cells.len() {
        if let Some(moved) = in_step(gray, &read, l) {
            let again = scan(gray, &[moved], cap_scale, Match::Full);
            read.scores[l] = again.scores[0].clone();
            read.cells[l] = again.cells[0].clone();
            read.offsets[l] = again.offsets[0].clone();
            read.places[l] = again.places[0].clone();
        }
    }
    read.mean = mean_of(&read.scores);
    read
}

/// Every cell of a zone's line holds a character, and the zone is kept clear around
/// it: a line whose cells were placed one pitch off has a blank cell (or the edge of
/// the page) at one end and a character just beyond the other. Such a line moves by
/// that pitch: its cells, moved, when line `l` of `read` is one.
fn in_step(gray: &GrayImage, read: &ZoneScores, l: usize) -> Option<Vec<Cell>> {
    let line = &read.cells[l];
    let n = line.len();
    if n < 3 {
        return None;
    }
    let beyond = |from: usize, towards: usize| {
        let (a, b) = (line[from], line[towards]);
        Cell {
            centre: (2.0 * a.centre.0 - b.centre.0, 2.0 * a.centre.1 - b.centre.1),
            cap: a.cap,
        }
    };
    // Each cell beyond an end beside the end cell, so it is sampled at the line's
    // pitch.
    let (start, end) = (beyond(0, 1), beyond(n - 1, n - 2));
    let ends = scan(
        gray,
        &[vec![start, line[0]], vec![line[n - 1], end]],
        read.cap_scale,
        Match::Full,
    );
    let (before, after) = (top(&ends.scores[0][0]), top(&ends.scores[1][1]));
    let (first, last) = (top(&read.scores[l][0]), top(&read.scores[l][n - 1]));
    if before >= FILLED && before > last + CLEARER {
        Some(
            [start]
                .into_iter()
                .chain(line[..n - 1].iter().copied())
                .collect(),
        )
    } else if after >= FILLED && after > first + CLEARER {
        Some(line[1..].iter().copied().chain([end]).collect())
    } else {
        None
    }
}

/// A cell matching this well holds a character; a line moves when the cell beyond
/// one end matches this much better than the cell at its other end.
const FILLED: f32 = 0.7;
const CLEARER: f32 = 0.15;

/// Reads the zone again where its glyphs are. A line whose ends were located wrong
/// (a stray mark taken for its first character stretches its pitch) reads worse than
/// the best line of the zone: it is tried again on the best line's cells moved across
/// onto it, since the lines of a zone share their pitch and their ends. Then every
/// cell moves by the median offset at which the confidently read cells within three
/// of it matched best, which brings a stretch that drifts off its characters back
/// onto them. Each line keeps whichever reading matches better.
pub fn realigned(gray: &GrayImage, read: &ZoneScores) -> ZoneScores {
    let means = line_means(read);
    let best = (0..means.len())
        .max_by(|&a, &b| means[a].total_cmp(&means[b]))
        .unwrap_or(0);
    let model = &read.cells[best];
    let along = axis(model);
    let across = (-along.1, along.0);
    let borrowed: Vec<Vec<Cell>> = read
        .cells
        .iter()
        .enumerate()
        .map(|(l, line)| {
            let weak = means[l] < means[best] - WEAK;
            if !(weak || misplaced(line, model)) || line.len() != model.len() {
                return line.clone();
            }
            let apart = median(line.iter().zip(model).map(|(c, m)| {
                (c.centre.0 - m.centre.0) * across.0 + (c.centre.1 - m.centre.1) * across.1
            }));
            model
                .iter()
                .zip(line)
                .map(|(m, c)| Cell {
                    centre: (m.centre.0 + across.0 * apart, m.centre.1 + across.1 * apart),
                    cap: c.cap,
                })
                .collect()
        })
        .collect();
    let read = if borrowed == read.cells {
        read.clone()
    } else {
        better_lines(read, &scan(gray, &borrowed, read.cap_scale, Match::Full))
    };
    let cells: Vec<Vec<Cell>> = read
        .cells
        .iter()
        .enumerate()
        .map(|(l, line)| {
            let sure: Vec<Option<(f32, f32)>> = (0..line.len())
                .map(|i| (top(&read.scores[l][i]) >= SURE).then_some(read.offsets[l][i]))
                .collect();
            let whole = median_offset(sure.iter().flatten().copied());
            line.iter()
                .enumerate()
                .map(|(i, cell)| {
                    let near: Vec<(f32, f32)> = sure
                        [i.saturating_sub(NEAR)..(i + NEAR + 1).min(line.len())]
                        .iter()
                        .flatten()
                        .copied()
                        .collect();
                    let offset = if near.len() >= 2 {
                        median_offset(near.into_iter())
                    } else {
                        whole
                    };
                    Cell {
                        centre: (cell.centre.0 + offset.0, cell.centre.1 + offset.1),
                        cap: cell.cap,
                    }
                })
                .collect()
        })
        .collect();
    better_lines(&read, &scan(gray, &cells, read.cap_scale, Match::Full))
}

/// Reads the zone again against its own glyphs. Print varies from one document to
/// another (its weight, its blur, a printer's own OCR-B), and at low resolution the
/// references of round and of straight glyphs grow alike; the cells the zone reads
/// surely (`sure[line][cell]` holds their class) show how this document draws each
/// class. A cell whose two best readings are both drawn is scored against every
/// drawing, moved onto the font's scale; a cell whose two best readings the font
/// cannot tell apart, one of them drawn, loses that one when it is unlike the
/// drawing. `None` when no cell is either, or no class is drawn at least twice (the
/// scale cannot be told).
pub fn adapted(
    gray: &GrayImage,
    read: &ZoneScores,
    sure: &[Vec<Option<u8>>],
) -> Option<ZoneScores> {
    let refs = references();
    let mut drawn = [false; 37];
    for class in sure.iter().flatten().flatten().filter_map(|&c| class_of(c)) {
        drawn[class] = true;
    }
    // Drawings compare fairly only with drawings: a cell is scored again where its
    // two best readings are drawn. Where the font cannot tell the two apart and
    // only one is drawn, the drawing may still say the cell is not that one.
    let mut rivals: Vec<(usize, usize)> = Vec::new();
    let mut ties: Vec<(usize, usize, usize)> = Vec::new();
    for (l, line) in sure.iter().enumerate() {
        for (i, _) in line.iter().enumerate().filter(|(_, class)| class.is_none()) {
            let s = &read.scores[l][i];
            let mut order: Vec<usize> = (0..37).collect();
            order.sort_by(|&a, &b| s[b].total_cmp(&s[a]));
            let (first, second) = (order[0], order[1]);
            if drawn[first] && drawn[second] {
                rivals.push((l, i));
            } else if s[first] - s[second] <= TIED && (drawn[first] || drawn[second]) {
                ties.push((l, i, if drawn[first] { first } else { second }));
            }
        }
    }
    if rivals.is_empty() && ties.is_empty() {
        return None;
    }
    let window_of = |l: usize, i: usize| window_at(gray, &read.cells[l], i, read.cap_scale);
    // The sure cells, each cut where its best reference matched.
    let mut exemplars: Vec<Option<Exemplar>> = (0..37).map(|_| None).collect();
    let mut cut = Vec::new();
    for (l, line) in sure.iter().enumerate() {
        for (i, class) in line.iter().enumerate() {
            let Some(class) = class.and_then(class_of) else {
                continue;
            };
            let cell = refs.cut(&window_of(l, i), read.places[l][i]);
            match &mut exemplars[class] {
                Some(e) => e.add(&cell),
                none => *none = Some(Exemplar::of(&cell)),
            }
            cut.push((l, i, class, cell));
        }
    }
    // How much better the zone's own drawing matches than the font does.
    let lifts: Vec<f32> = cut
        .iter()
        .filter_map(|(l, i, class, cell)| {
            let own = exemplars[*class].as_ref()?.left_out(cell)?;
            Some(own - read.scores[*l][*i][*class])
        })
        .collect();
    if lifts.is_empty() {
        return None;
    }
    let lift = median(lifts.into_iter());
    let drawings: Vec<(usize, Vec<f32>)> = exemplars
        .iter()
        .enumerate()
        .filter_map(|(c, e)| Some((c, e.as_ref()?.drawing())))
        .collect();
    let mut out = read.clone();
    for (l, i) in rivals {
        let own = refs.against(&window_of(l, i), drawings.iter().map(|(_, d)| d.as_slice()));
        for ((c, _), own) in drawings.iter().zip(own) {
            out.scores[l][i][*c] = own - lift;
        }
    }
    for (l, i, c) in ties {
        let drawing = drawings
            .iter()
            .find(|(k, _)| *k == c)
            .map(|(_, d)| d.as_slice());
        if let Some(own) = refs.against(&window_of(l, i), drawing.into_iter()).first() {
            out.scores[l][i][c] = out.scores[l][i][c].min(own - lift);
        }
    }
    Some(out)
}

impl ZoneScores {
    /// For each cell, in reading order, whether its box (a pitch along the text, a
    /// cap height across) reaches off the image `gray`: a character there may have
    /// been captured in part (an R cut down the middle reads as an H, and both give
    /// one check digit in a number's first place).
    pub fn at_edge(&self, gray: &GrayImage) -> Vec<Vec<bool>> {
        let (w, h) = (gray.width() as f32, gray.height() as f32);
        let inside = |(x, y): (f32, f32)| x >= 0.0 && y >= 0.0 && x < w && y < h;
        let (half_w, half_h) = (references().width as f32 / 2.0, CAP / 2.0);
        self.cells
            .iter()
            .map(|line| {
                (0..line.len())
                    .map(|i| {
                        let (u, v) = cell_axes(line, i, self.cap_scale);
                        let (x, y) = line[i].centre;
                        ![
                            (x - u.0 * half_w, y - u.1 * half_w),
                            (x + u.0 * half_w, y + u.1 * half_w),
                            (x - v.0 * half_h, y - v.1 * half_h),
                            (x + v.0 * half_h, y + v.1 * half_h),
                        ]
                        .into_iter()
                        .all(inside)
                    })
                    .collect()
            })
            .collect()
    }

    /// The scores with the glyph classifier's vote ([`vote`]) on each cell's window
    /// in `gray`.
    pub fn voted(&self, gray: &GrayImage) -> ZoneScores {
        let mut out = self.clone();
        for (line, windows) in out.scores.iter_mut().zip(windows(gray, self)) {
            for (s, window) in line.iter_mut().zip(windows) {
                *s = vote(*s, classifier().probabilities(&window));
            }
        }
        out.mean = mean_of(&out.scores);
        out
    }

    /// Whether a line reads clearly worse than the zone's best line, or does not
    /// start and end where it does.
    pub fn uneven(&self) -> bool {
        let means = line_means(self);
        let best = (0..means.len())
            .max_by(|&a, &b| means[a].total_cmp(&means[b]))
            .unwrap_or(0);
        (0..means.len())
            .any(|l| means[l] < means[best] - WEAK || misplaced(&self.cells[l], &self.cells[best]))
    }
}

/// Whether `line` starts or ends more than [`MISPLACED`] of a pitch away from where
/// `model`, another line of its zone, does, along the text.
fn misplaced(line: &[Cell], model: &[Cell]) -> bool {
    if line.len() != model.len() || line.len() < 2 {
        return false;
    }
    let along = axis(model);
    let at = |c: &Cell| c.centre.0 * along.0 + c.centre.1 * along.1;
    let pitch = (at(&model[model.len() - 1]) - at(&model[0])) / (model.len() - 1) as f32;
    let off = |i: usize| (at(&line[i]) - at(&model[i])).abs();
    off(0).max(off(line.len() - 1)) > MISPLACED * pitch.abs()
}

/// How far a line's ends may sit from another's, in pitches.
const MISPLACED: f32 = 0.4;

/// A line reading this much worse than the zone's best is read again on its cells.
const WEAK: f32 = 0.08;

fn top(scores: &[f32; 37]) -> f32 {
    scores.iter().copied().fold(f32::MIN, f32::max)
}

/// Mean best score of each line.
fn line_means(read: &ZoneScores) -> Vec<f32> {
    read.scores
        .iter()
        .map(|line| line.iter().map(top).sum::<f32>() / line.len().max(1) as f32)
        .collect()
}

/// Line by line, whichever of two readings of a zone matches better.
fn better_lines(a: &ZoneScores, b: &ZoneScores) -> ZoneScores {
    let (ma, mb) = (line_means(a), line_means(b));
    let mut out = a.clone();
    for l in 0..ma.len() {
        if mb[l] > ma[l] {
            out.scores[l] = b.scores[l].clone();
            out.cells[l] = b.cells[l].clone();
            out.offsets[l] = b.offsets[l].clone();
            out.places[l] = b.places[l].clone();
        }
    }
    out.mean = mean_of(&out.scores);
    out
}

/// Mean best score over every cell.
fn mean_of(scores: &[Vec<[f32; 37]>]) -> f32 {
    let cells: usize = scores.iter().map(Vec::len).sum();
    scores.iter().flatten().map(top).sum::<f32>() / cells.max(1) as f32
}

fn median(values: impl Iterator<Item = f32>) -> f32 {
    let mut v: Vec<f32> = values.collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

/// A cell whose best match scores this counts as read confidently enough to align by.
const SURE: f32 = 0.6;
/// Cells either side whose offsets a cell follows.
const NEAR: usize = 3;

fn median_offset(offsets: impl Iterator<Item = (f32, f32)>) -> (f32, f32) {
    let (xs, ys): (Vec<f32>, Vec<f32>) = offsets.unzip();
    (median(xs.into_iter()), median(ys.into_iter()))
}

/// The zone's lines as read: backwards when `reversed`, ordered top to bottom across
/// the text.
fn in_reading_order(zone: &Zone, reversed: bool) -> Vec<Vec<Cell>> {
    let mut lines: Vec<Vec<Cell>> = zone
        .lines
        .iter()
        .map(|l| {
            let mut l = l.clone();
            if reversed {
                l.reverse();
            }
            l
        })
        .collect();
    let along = axis(&lines[0]);
    let across = (-along.1, along.0);
    let mid = |l: &Vec<Cell>| {
        let c = l[l.len() / 2].centre;
        c.0 * across.0 + c.1 * across.1
    };
    lines.sort_by(|a, b| mid(a).total_cmp(&mid(b)));
    lines
}

/// How closely [`scan`] matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// Every `n`-th cell, against one variant of each class: enough to choose a frame.
    Sample(usize),
    /// Every cell, the leading classes against all their variants.
    Full,
}

/// Scores the cells of `lines` at `cap_scale` as `how` says.
fn scan(gray: &GrayImage, lines: &[Vec<Cell>], cap_scale: f32, how: Match) -> ZoneScores {
    let refs = references();
    let (ww, wh) = refs.window();
    let mut window = vec![0.0f32; ww * wh];
    let mut total = 0.0f32;
    let mut count = 0usize;
    let mut offsets = Vec::with_capacity(lines.len());
    let mut places = Vec::with_capacity(lines.len());
    let scores = lines
        .iter()
        .map(|cells| {
            let n = cells.len();
            let mut line_offsets = vec![(0.0, 0.0); n];
            let mut line_places = vec![(0.0, 0.0); n];
            let scores = (0..n)
                .map(|i| {
                    let wanted = match how {
                        Match::Sample(step) => i % step == 0,
                        Match::Full => true,
                    };
                    if !wanted {
                        return [0.0; 37];
                    }
                    let (u, v) = cell_axes(cells, i, cap_scale);
                    sample(gray, cells[i].centre, u, v, &mut window);
                    let (s, place) = refs.matched(&window, !matches!(how, Match::Sample(_)));
                    line_offsets[i] =
                        (u.0 * place.0 + v.0 * place.1, u.1 * place.0 + v.1 * place.1);
                    line_places[i] = place;
                    total += s.iter().copied().fold(f32::MIN, f32::max);
                    count += 1;
                    s
                })
                .collect();
            offsets.push(line_offsets);
            places.push(line_places);
            scores
        })
        .collect();
    ZoneScores {
        scores,
        mean: total / count.max(1) as f32,
        cells: lines.to_vec(),
        cap_scale,
        offsets,
        places,
    }
}

/// The windows the cells of `read` were scored in, `[line][cell]`: what the glyph
/// classifier is trained on.
pub fn windows(gray: &GrayImage, read: &ZoneScores) -> Vec<Vec<Vec<f32>>> {
    read.cells
        .iter()
        .map(|cells| {
            (0..cells.len())
                .map(|i| window_at(gray, cells, i, read.cap_scale))
                .collect()
        })
        .collect()
}

/// The window cell `i` of `cells` is scored in, at `cap_scale`.
fn window_at(gray: &GrayImage, cells: &[Cell], i: usize, cap_scale: f32) -> Vec<f32> {
    let (ww, wh) = references().window();
    let mut window = vec![0.0f32; ww * wh];
    let (u, v) = cell_axes(cells, i, cap_scale);
    sample(gray, cells[i].centre, u, v, &mut window);
    window
}

/// One cell pixel along and across the text at cell `i` of a line, in image
/// pixels: the local axes and pitch from the neighbouring cells.
fn cell_axes(cells: &[Cell], i: usize, cap_scale: f32) -> ((f32, f32), (f32, f32)) {
    let refs = references();
    let n = cells.len();
    let (a, b) = (i.saturating_sub(1), (i + 1).min(n - 1));
    let (pa, pb) = (cells[a].centre, cells[b].centre);
    let (dx, dy) = (pb.0 - pa.0, pb.1 - pa.1);
    let len = dx.hypot(dy).max(1e-3);
    let pitch = len / (b - a).max(1) as f32;
    let (ux, uy) = (dx / len, dy / len);
    let (vx, vy) = (-uy, ux);
    let sx = pitch / (refs.pitch_per_cap * CAP);
    let sy = cells[i].cap * cap_scale / CAP;
    ((ux * sx, uy * sx), (vx * sy, vy * sy))
}

/// Unit vector from a line's first cell to its last.
fn axis(cells: &[Cell]) -> (f32, f32) {
    let (a, b) = (cells[0].centre, cells[cells.len() - 1].centre);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = dx.hypot(dy).max(1e-3);
    (dx / len, dy / len)
}

/// Samples the window around a cell centre into `window` as ink (dark = high).
/// `u` and `v` are one cell pixel along and across the text, in image pixels.
fn sample(gray: &GrayImage, centre: (f32, f32), u: (f32, f32), v: (f32, f32), window: &mut [f32]) {
    let refs = references();
    let (ww, wh) = refs.window();
    let cx = SHIFT as f32 + refs.width as f32 / 2.0;
    let cy = SHIFT as f32 + refs.centre_row;
    // Average several samples per cell pixel when it covers many image pixels.
    let reach = (u.0.hypot(u.1)).max(v.0.hypot(v.1));
    let sub = (reach.ceil() as usize).clamp(1, 4);
    let inv = 1.0 / sub as f32;
    for j in 0..wh {
        for i in 0..ww {
            let mut acc = 0.0;
            for sj in 0..sub {
                for si in 0..sub {
                    let px = i as f32 + (si as f32 + 0.5) * inv - cx;
                    let py = j as f32 + (sj as f32 + 0.5) * inv - cy;
                    let x = centre.0 + u.0 * px + v.0 * py;
                    let y = centre.1 + u.1 * px + v.1 * py;
                    acc += bilinear(gray, x, y);
                }
            }
            window[j * ww + i] = 255.0 - acc * inv * inv;
        }
    }
    suppress_ground(window);
}

/// Flattens what is lighter than the ink: a cell's paper, and the faint security
/// print behind it, become one level, so only strokes are left to match.
fn suppress_ground(window: &mut [f32]) {
    let mut sorted = window.to_vec();
    sorted.sort_by(f32::total_cmp);
    let lo = sorted[sorted.len() * GROUND_PERCENTILE / 100];
    let hi = sorted[sorted.len() - 1 - sorted.len() / 50];
    let span = (hi - lo).max(1.0);
    for w in window.iter_mut() {
        *w = ((*w - lo) / span).clamp(0.0, 1.0);
    }
}

/// The share of a window taken as paper.
const GROUND_PERCENTILE: usize = 25;

fn bilinear(gray: &GrayImage, x: f32, y: f32) -> f32 {
    let (w, h) = gray.dimensions();
    let x = x.clamp(0.0, w as f32 - 1.001);
    let y = y.clamp(0.0, h as f32 - 1.001);
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let p = |x, y| f32::from(gray.get_pixel(x, y).0[0]);
    let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
    let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
    top * (1.0 - fy) + bottom * fy
}

#[cfg(test)]
mod tests;
