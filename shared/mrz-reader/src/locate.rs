//! Finding the zone: dark marks on a locally lighter ground are binarised, their
//! connected components chained into text lines (along either image axis, at any
//! skew up to about 20°), and runs of two or three parallel lines of 30, 36 or 44
//! evenly pitched characters become candidate zones, lowest first.

// Index loops read best in the small linear algebra here.
#![allow(clippy::needless_range_loop)]

use image::GrayImage;
use image::imageops::{self, FilterType};

use crate::stats::{median, percentile, poly_fit};

/// The longer side detection works at: large photos are shrunk, small scans enlarged.
const WORK_MAX: u32 = 1600;
const WORK_MIN: u32 = 1200;

/// One character cell of a candidate zone, in the original image's pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    pub centre: (f32, f32),
    /// Cap height at this cell.
    pub cap: f32,
}

/// A candidate zone: its lines of cells, top to bottom as found (the reader decides
/// which way up the zone is).
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub lines: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, Copy)]
struct Mark {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl Mark {
    fn w(&self) -> f32 {
        self.x1 - self.x0
    }
    fn h(&self) -> f32 {
        self.y1 - self.y0
    }
    fn cx(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
    fn cy(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }
    fn transposed(self) -> Mark {
        Mark {
            x0: self.y0,
            y0: self.x0,
            x1: self.y1,
            y1: self.x1,
        }
    }
    /// A single character (not a run of merged fillers).
    fn single(&self) -> bool {
        self.w() <= 1.3 * self.h()
    }
}

/// A text line in detection coordinates (x along the text).
#[derive(Debug, Clone)]
struct Line {
    marks: Vec<Mark>,
    /// y = a + b·x through the character centres.
    a: f32,
    b: f32,
    cap: f32,
    pitch: f32,
    glyph_w: f32,
    x0: f32,
    x1: f32,
}

impl Line {
    fn y_at(&self, x: f32) -> f32 {
        self.a + self.b * x
    }
}

/// Candidate zones in the image, the most likely first.
pub fn zones(gray: &GrayImage) -> Vec<Zone> {
    let (w, h) = gray.dimensions();
    if w < 16 || h < 16 {
        return Vec::new();
    }
    let long = w.max(h);
    let target = long.clamp(WORK_MIN, WORK_MAX);
    let scale = target as f32 / long as f32;
    let work = if (scale - 1.0).abs() < 0.01 {
        gray.clone()
    } else {
        let (ww, wh) = (
            ((w as f32 * scale).round() as u32).max(1),
            ((h as f32 * scale).round() as u32).max(1),
        );
        let filter = if scale > 1.0 {
            FilterType::CatmullRom
        } else {
            FilterType::Triangle
        };
        imageops::resize(gray, ww, wh, filter)
    };
    let marks = marks(&work);
    let mut found = Vec::new();
    for transposed in [false, true] {
        let oriented: Vec<Mark> = if transposed {
            marks.iter().map(|m| m.transposed()).collect()
        } else {
            marks.clone()
        };
        let lines = lines(oriented);
        for (score, cells) in candidates(&lines) {
            let back = |c: &Cell| {
                let (x, y) = c.centre;
                let (x, y) = if transposed { (y, x) } else { (x, y) };
                Cell {
                    centre: (x / scale, y / scale),
                    cap: c.cap / scale,
                }
            };
            let zone = Zone {
                lines: cells
                    .iter()
                    .map(|line| line.iter().map(back).collect())
                    .collect(),
            };
            found.push((score, zone));
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    found.into_iter().map(|(_, z)| z).take(8).collect()
}

/// Dark marks: pixels darker than their neighbourhood's mean by a margin, grouped
/// into 8-connected components of character size.
fn marks(work: &GrayImage) -> Vec<Mark> {
    let (w, h) = (work.width() as usize, work.height() as usize);
    let radius = (w.max(h) / 60).max(6);
    // Integral image of intensities.
    let mut integral = vec![0u64; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0u64;
        for x in 0..w {
            row += u64::from(work.as_raw()[y * w + x]);
            integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
        }
    }
    let mut ink = vec![false; w * h];
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(radius), (y + radius + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(radius), (x + radius + 1).min(w));
            let sum = integral[y1 * (w + 1) + x1] + integral[y0 * (w + 1) + x0]
                - integral[y0 * (w + 1) + x1]
                - integral[y1 * (w + 1) + x0];
            let count = ((y1 - y0) * (x1 - x0)) as u64;
            let p = u64::from(work.as_raw()[y * w + x]);
            // Darker than 85 % of the local mean, and by at least a few levels.
            ink[y * w + x] = p * count * 100 < sum * 85 && p * count + 8 * count < sum;
        }
    }
    components(&ink, w, h)
        .into_iter()
        .filter(|m| {
            let (mw, mh) = (m.w(), m.h());
            mh >= 5.0 && mh <= h.max(w) as f32 / 8.0 && mw >= 1.0 && mw <= 40.0 * mh
        })
        .collect()
}

/// Bounding boxes of the 8-connected components of `ink`.
fn components(ink: &[bool], w: usize, h: usize) -> Vec<Mark> {
    let mut parent: Vec<u32> = Vec::new();
    let mut labels = vec![0u32; w * h];
    fn find(parent: &mut [u32], mut i: u32) -> u32 {
        while parent[i as usize] != i {
            parent[i as usize] = parent[parent[i as usize] as usize];
            i = parent[i as usize];
        }
        i
    }
    parent.push(0);
    for y in 0..h {
        for x in 0..w {
            if !ink[y * w + x] {
                continue;
            }
            let mut label = 0u32;
            let neighbours = [
                (x > 0).then(|| y * w + x - 1),
                (y > 0 && x > 0).then(|| (y - 1) * w + x - 1),
                (y > 0).then(|| (y - 1) * w + x),
                (y > 0 && x + 1 < w).then(|| (y - 1) * w + x + 1),
            ];
            for n in neighbours.into_iter().flatten() {
                let l = labels[n];
                if l == 0 {
                    continue;
                }
                if label == 0 {
                    label = find(&mut parent, l);
                } else {
                    let (a, b) = (find(&mut parent, label), find(&mut parent, l));
                    if a != b {
                        parent[a.max(b) as usize] = a.min(b);
                        label = a.min(b);
                    }
                }
            }
            if label == 0 {
                label = parent.len() as u32;
                parent.push(label);
            }
            labels[y * w + x] = label;
        }
    }
    let mut boxes: Vec<Option<(usize, usize, usize, usize)>> = vec![None; parent.len()];
    for y in 0..h {
        for x in 0..w {
            let l = labels[y * w + x];
            if l == 0 {
                continue;
            }
            let root = find(&mut parent, l) as usize;
            let b = boxes[root].get_or_insert((x, y, x, y));
            b.0 = b.0.min(x);
            b.1 = b.1.min(y);
            b.2 = b.2.max(x);
            b.3 = b.3.max(y);
        }
    }
    boxes
        .into_iter()
        .flatten()
        .map(|(x0, y0, x1, y1)| Mark {
            x0: x0 as f32,
            y0: y0 as f32,
            x1: x1 as f32 + 1.0,
            y1: y1 as f32 + 1.0,
        })
        .collect()
}

/// Chains marks into text lines running along x.
fn lines(mut marks: Vec<Mark>) -> Vec<Line> {
    marks.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let n = marks.len();
    // Each mark's nearest right-hand neighbour on the same text line.
    let mut next: Vec<Option<(usize, f32)>> = vec![None; n];
    let max_h = marks.iter().map(Mark::h).fold(0.0f32, f32::max);
    for i in 0..n {
        let a = marks[i];
        for (j, b) in marks.iter().enumerate().skip(i + 1) {
            if b.x0 > a.x1 + 1.5 * max_h {
                break;
            }
            let (lo, hi) = (a.h().min(b.h()), a.h().max(b.h()));
            let gap = b.x0 - a.x1;
            if b.cx() <= a.cx() + 0.3 * lo
                || gap > 1.2 * hi
                || gap < -0.25 * lo
                || hi > 2.6 * lo
                || (b.cy() - a.cy()).abs() > 0.4 * hi
            {
                continue;
            }
            if next[i].is_none_or(|(_, g)| gap < g) {
                next[i] = Some((j, gap));
            }
        }
    }
    // Keep one predecessor per mark: the nearest.
    let mut prev: Vec<Option<(usize, f32)>> = vec![None; n];
    for (i, link) in next.iter().enumerate() {
        if let Some((j, gap)) = *link
            && prev[j].is_none_or(|(_, g)| gap < g)
        {
            prev[j] = Some((i, gap));
        }
    }
    let mut segments: Vec<Vec<Mark>> = Vec::new();
    for start in 0..n {
        let starts_chain = prev[start].is_none();
        if !starts_chain {
            continue;
        }
        let mut chain = vec![marks[start]];
        let mut at = start;
        while let Some((j, _)) = next[at] {
            if prev[j].map(|(p, _)| p) != Some(at) {
                break;
            }
            chain.push(marks[j]);
            at = j;
        }
        if chain.len() >= 5 {
            segments.push(chain);
        }
    }
    // Join segments of one line broken by a gap of a few characters.
    let mut fitted: Vec<Line> = segments.into_iter().filter_map(fit).collect();
    fitted.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut merged: Vec<Line> = Vec::new();
    'next: for line in fitted {
        for existing in merged.iter_mut() {
            let gap = line.x0 - existing.x1;
            let ratio = line.cap.max(existing.cap) / line.cap.min(existing.cap);
            let mid = (line.x0 + line.x1) / 2.0;
            if gap > -existing.pitch
                && gap < 4.0 * existing.cap
                && ratio < 1.4
                && (existing.y_at(mid) - line.y_at(mid)).abs() < 0.4 * existing.cap
            {
                let mut marks = existing.marks.clone();
                marks.extend(line.marks.iter().copied());
                if let Some(joined) = fit(marks) {
                    *existing = joined;
                    continue 'next;
                }
            }
        }
        merged.push(line);
    }
    merged
}

/// Least-squares line through the centres of single characters, with its measures.
fn fit(mut marks: Vec<Mark>) -> Option<Line> {
    marks.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let singles: Vec<Mark> = marks.iter().copied().filter(Mark::single).collect();
    if singles.len() < 4 {
        return None;
    }
    let cap = percentile(singles.iter().map(Mark::h).collect(), 0.75)?;
    // Centres of the taller marks (letters and digits) set the centre line.
    let tall: Vec<&Mark> = singles.iter().filter(|m| m.h() > 0.8 * cap).collect();
    let pts: Vec<(f32, f32)> = if tall.len() >= 3 {
        tall.iter().map(|m| (m.cx(), m.cy())).collect()
    } else {
        singles.iter().map(|m| (m.cx(), m.cy())).collect()
    };
    let n = pts.len() as f32;
    let mx = pts.iter().map(|p| p.0).sum::<f32>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f32>() / n;
    let sxx: f32 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f32 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let b = if sxx > 1e-3 { sxy / sxx } else { 0.0 };
    // Steeper than about 22° is no line of a zone held to the camera.
    if b.abs() > 0.4 {
        return None;
    }
    let a = my - b * mx;
    let steps: Vec<f32> = marks
        .windows(2)
        .filter(|w| w[0].single() && w[1].single())
        .map(|w| w[1].cx() - w[0].cx())
        .filter(|d| *d > 0.3 * cap && *d < 1.6 * cap)
        .collect();
    let pitch = median(steps)?;
    let glyph_w = median(singles.iter().map(Mark::w).collect())?;
    let x0 = marks.first()?.x0;
    let x1 = marks.iter().map(|m| m.x1).fold(f32::MIN, f32::max);
    Some(Line {
        marks,
        a,
        b,
        cap,
        pitch,
        glyph_w,
        x0,
        x1,
    })
}

/// The centres of a line's `length` cells: the line's single characters are matched
/// to the cells they sit in, and position, centre line and cap height are fitted
/// over the cell index (to second order, so perspective and curl are followed).
/// Marks are matched to cells by walking the line at its local pitch (`walk`), or
/// by the even pitch between the ends: the first follows perspective, the second
/// survives a stray or broken mark; the reader keeps whichever reads better.
fn cells(line: &Line, first_x: f32, last_x: f32, length: usize, walk: bool) -> Vec<Cell> {
    let pitch = (last_x - first_x) / (length - 1) as f32;
    let mut singles: Vec<&Mark> = line.marks.iter().filter(|m| m.single()).collect();
    singles.sort_by(|a, b| a.cx().total_cmp(&b.cx()));
    // Walk the line mark by mark: each gap is a whole number of the local pitch,
    // which follows the marks, so perspective does not throw the count off.
    let mut matched: Vec<(f32, &Mark)> = Vec::new();
    if !walk {
        // Each mark in the cell the even pitch puts it in.
        for m in &singles {
            let i = ((m.cx() - first_x) / pitch).round();
            let near = (m.cx() - (first_x + pitch * i)).abs() < 0.35 * pitch;
            if near && i >= 0.0 && i <= (length - 1) as f32 {
                matched.push((i, m));
            }
        }
    } else if let Some(first) = singles.first() {
        let mut i = ((first.cx() - first_x) / pitch).round().max(0.0);
        let mut local = pitch;
        matched.push((i, first));
        for w in singles.windows(2) {
            let dx = w[1].cx() - w[0].cx();
            if dx <= 0.0 {
                continue;
            }
            let steps = (dx / local).round().max(1.0);
            if steps == 1.0 {
                local = 0.7 * local + 0.3 * dx;
            }
            i += steps;
            if i > (length - 1) as f32 {
                break;
            }
            matched.push((i, w[1]));
        }
    }
    let is: Vec<f32> = matched.iter().map(|(i, _)| *i).collect();
    let xs: Vec<f32> = matched.iter().map(|(_, m)| m.cx()).collect();
    let fitted_x = poly_fit(&is, &xs, 2);
    let x_of = |i: f32| fitted_x.as_ref().map_or(first_x + pitch * i, |f| f(i));
    // The centre line through the capitals and digits; where they stop short of the
    // line's end (a names line's tail of fillers), through the fillers too, which sit
    // centred as capitals do, rather than carrying a fit on beyond its points.
    let tall: Vec<&(f32, &Mark)> = matched
        .iter()
        .filter(|(_, m)| m.h() > 0.8 * line.cap)
        .collect();
    let reach = |marks: &[&(f32, &Mark)]| {
        marks.iter().map(|(i, _)| *i).fold(f32::MIN, f32::max)
            - marks.iter().map(|(i, _)| *i).fold(f32::MAX, f32::min)
    };
    let centred: Vec<&(f32, &Mark)> = if reach(&tall) >= 0.75 * (length - 1) as f32 {
        tall.clone()
    } else {
        matched
            .iter()
            .filter(|(_, m)| m.h() > 0.45 * line.cap)
            .collect()
    };
    let is: Vec<f32> = centred.iter().map(|(i, _)| *i).collect();
    let ys: Vec<f32> = centred.iter().map(|(_, m)| m.cy()).collect();
    let y_fit = poly_fit(&is, &ys, 2);
    // The cap height from the capitals and digits only.
    let is: Vec<f32> = tall.iter().map(|(i, _)| *i).collect();
    let hs: Vec<f32> = tall.iter().map(|(_, m)| m.h()).collect();
    let h_fit = poly_fit(&is, &hs, 1);
    (0..length)
        .map(|i| {
            let i = i as f32;
            let x = x_of(i);
            let y = y_fit.as_ref().map_or(line.y_at(x), |f| f(i));
            let cap = h_fit
                .as_ref()
                .map_or(line.cap, |f| f(i).clamp(0.7 * line.cap, 1.3 * line.cap));
            Cell {
                centre: (x, y),
                cap,
            }
        })
        .collect()
}

/// Runs of two or three parallel, evenly spaced lines of one MRZ length, each with
/// its first and last cell centres and a score: better fit to a length, lower down
/// and larger score higher.
fn candidates(lines: &[Line]) -> Vec<(f32, Vec<Vec<Cell>>)> {
    let mut sorted: Vec<&Line> = lines
        .iter()
        .filter(|l| (l.x1 - l.x0) > 12.0 * l.pitch)
        .collect();
    sorted.sort_by(|a, b| {
        let (ma, mb) = ((a.x0 + a.x1) / 2.0, (b.x0 + b.x1) / 2.0);
        a.y_at(ma).total_cmp(&b.y_at(mb))
    });
    let mut out = Vec::new();
    for i in 0..sorted.len() {
        for count in [2usize, 3] {
            // The lines below sorted[i] that continue the zone.
            let mut group = vec![sorted[i]];
            for cand in sorted.iter().skip(i + 1) {
                if group.len() == count {
                    break;
                }
                let last = group[group.len() - 1];
                let mid = (cand.x0 + cand.x1) / 2.0;
                let spacing = cand.y_at(mid) - last.y_at(mid);
                let overlap = cand.x1.min(last.x1) - cand.x0.max(last.x0);
                let ratio = cand.cap.max(last.cap) / cand.cap.min(last.cap);
                if spacing < 1.0 * last.cap {
                    continue;
                }
                if spacing > 3.2 * last.cap {
                    break;
                }
                if overlap > 0.5 * (cand.x1 - cand.x0).min(last.x1 - last.x0)
                    && ratio < 1.45
                    && (cand.b - last.b).abs() < 0.06
                {
                    group.push(cand);
                }
            }
            if group.len() != count {
                continue;
            }
            let pitch = median(group.iter().map(|l| l.pitch).collect()).unwrap_or(1.0);
            let glyph_w = median(group.iter().map(|l| l.glyph_w).collect()).unwrap_or(1.0);
            // The lines of a zone start and end together along the text, not at one x:
            // on a skewed zone each line's ends sit further along than the line above's.
            // `along` measures along the text (in x's units); `x_at` is its inverse.
            let slope = median(group.iter().map(|l| l.b).collect()).unwrap_or(0.0);
            let norm = 1.0 + slope * slope;
            let along = |l: &Line, x: f32| (x + slope * l.y_at(x)) / norm;
            let x_at = |l: &Line, s: f32| (s * norm - slope * l.a) / (1.0 + slope * l.b);
            let start = group
                .iter()
                .map(|l| along(l, l.x0))
                .fold(f32::MAX, f32::min);
            let end = group
                .iter()
                .map(|l| along(l, l.x1))
                .fold(f32::MIN, f32::max);
            let estimate = (end - start - glyph_w) / pitch + 1.0;
            let lengths: &[usize] = if count == 3 { &[30] } else { &[44, 36] };
            let Some(&length) = lengths.iter().min_by(|&&a, &&b| {
                (estimate - a as f32)
                    .abs()
                    .total_cmp(&(estimate - b as f32).abs())
            }) else {
                continue;
            };
            let miss = (estimate - length as f32).abs();
            if miss > (0.15 * length as f32).max(3.0) {
                continue;
            }
            let fitted = |walk: bool| -> Vec<Vec<Cell>> {
                group
                    .iter()
                    .map(|l| {
                        let first_x = x_at(l, start + glyph_w / 2.0);
                        let last_x = x_at(l, end - glyph_w / 2.0);
                        cells(l, first_x, last_x, length, walk)
                    })
                    .collect()
            };
            let (x0, x1) = (x_at(group[0], start), x_at(group[0], end));
            let bottom = group[group.len() - 1].y_at((x0 + x1) / 2.0);
            let score = -miss + 0.002 * bottom + 0.5 * count as f32;
            out.push((score, fitted(true)));
            out.push((score - 0.01, fitted(false)));
        }
    }
    out
}
