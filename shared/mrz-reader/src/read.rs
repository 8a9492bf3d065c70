//! Reading a located zone: every character cell is sampled, along the zone's own
//! axes, into the reference cell's geometry and scored against every class. The
//! zone is read both ways round (a document upside down reads backwards) and at a
//! few cap heights, and the reading that matches best wins.

use image::GrayImage;

use crate::glyphs::{CAP, SHIFT, references};
use crate::locate::{Cell, Zone};

/// Scores of one zone, `[line][cell][class]`, and their mean best score.
#[derive(Debug, Clone)]
pub struct ZoneScores {
    pub scores: Vec<Vec<[f32; 37]>>,
    pub mean: f32,
}

/// The frame of one reading: which way round, and the cap height used.
#[derive(Debug, Clone, Copy)]
struct Frame {
    reversed: bool,
    cap_scale: f32,
}

/// Reads `zone` of `gray` whichever way round fits best.
pub fn read_zone(gray: &GrayImage, zone: &Zone) -> ZoneScores {
    // Calibrate on a sample of cells, then read every cell in the best frame.
    let mut best: Option<(f32, Frame)> = None;
    for reversed in [false, true] {
        for cap_scale in [0.85f32, 1.0, 1.15] {
            let frame = Frame {
                reversed,
                cap_scale,
            };
            let mean = scan(gray, zone, frame, 5).mean;
            if best.is_none_or(|(m, _)| mean > m) {
                best = Some((mean, frame));
            }
        }
    }
    let (_, frame) = best.expect("frames were tried");
    scan(gray, zone, frame, 1)
}

/// Scores every `step`-th cell of the zone in `frame`.
fn scan(gray: &GrayImage, zone: &Zone, frame: Frame, step: usize) -> ZoneScores {
    let refs = references();
    let mut lines: Vec<Vec<Cell>> = zone
        .lines
        .iter()
        .map(|l| {
            let mut l = l.clone();
            if frame.reversed {
                l.reverse();
            }
            l
        })
        .collect();
    // Across the text, top to bottom as read.
    let along = axis(&lines[0]);
    let across = (-along.1, along.0);
    let mid = |l: &Vec<Cell>| {
        let c = l[l.len() / 2].centre;
        c.0 * across.0 + c.1 * across.1
    };
    lines.sort_by(|a, b| mid(a).total_cmp(&mid(b)));
    let (ww, wh) = refs.window();
    let mut window = vec![0.0f32; ww * wh];
    let mut total = 0.0f32;
    let mut count = 0usize;
    let scores = lines
        .iter()
        .map(|cells| {
            let n = cells.len();
            (0..n)
                .map(|i| {
                    if i % step != 0 {
                        return [0.0; 37];
                    }
                    // Local axes and pitch from the neighbouring cells.
                    let (a, b) = (i.saturating_sub(1), (i + 1).min(n - 1));
                    let (pa, pb) = (cells[a].centre, cells[b].centre);
                    let (dx, dy) = (pb.0 - pa.0, pb.1 - pa.1);
                    let len = dx.hypot(dy).max(1e-3);
                    let pitch = len / (b - a).max(1) as f32;
                    let (ux, uy) = (dx / len, dy / len);
                    let (vx, vy) = (-uy, ux);
                    let sx = pitch / (refs.pitch_per_cap * CAP);
                    let sy = cells[i].cap * frame.cap_scale / CAP;
                    sample(
                        gray,
                        cells[i].centre,
                        (ux * sx, uy * sx),
                        (vx * sy, vy * sy),
                        &mut window,
                    );
                    let s = refs.scores(&window, step == 1);
                    total += s.iter().copied().fold(f32::MIN, f32::max);
                    count += 1;
                    s
                })
                .collect()
        })
        .collect();
    ZoneScores {
        scores,
        mean: total / count.max(1) as f32,
    }
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
