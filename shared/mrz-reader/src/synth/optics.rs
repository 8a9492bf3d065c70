//! The arithmetic of capturing a drawn page: the projective map of a page onto the
//! captured image, sampling the page between its pixels, and the noise of a sensor.

// Index loops read best in the matrix arithmetic here.
#![allow(clippy::needless_range_loop)]

use image::RgbImage;
use rand::Rng;
use rand::rngs::StdRng;

/// The projective map taking the four `from` points to the four `to` points.
pub(super) fn homography(from: [(f32, f32); 4], to: [(f32, f32); 4]) -> [f64; 9] {
    let mut m = [[0f64; 9]; 8];
    for k in 0..4 {
        let (x, y) = (f64::from(from[k].0), f64::from(from[k].1));
        let (u, v) = (f64::from(to[k].0), f64::from(to[k].1));
        m[2 * k] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        m[2 * k + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    // Gauss-Jordan elimination with partial pivoting.
    for col in 0..8 {
        let pivot = (col..8)
            .max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))
            .unwrap_or(col);
        m.swap(col, pivot);
        let p = m[col][col];
        if p.abs() < 1e-12 {
            continue;
        }
        for j in col..9 {
            m[col][j] /= p;
        }
        for r in 0..8 {
            if r != col {
                let f = m[r][col];
                for j in col..9 {
                    m[r][j] -= f * m[col][j];
                }
            }
        }
    }
    [
        m[0][8], m[1][8], m[2][8], m[3][8], m[4][8], m[5][8], m[6][8], m[7][8], 1.0,
    ]
}

pub(super) fn apply(h: &[f64; 9], x: f32, y: f32) -> (f32, f32) {
    let (x, y) = (f64::from(x), f64::from(y));
    let w = h[6] * x + h[7] * y + h[8];
    (
        ((h[0] * x + h[1] * y + h[2]) / w) as f32,
        ((h[3] * x + h[4] * y + h[5]) / w) as f32,
    )
}

pub(super) fn gaussian(rng: &mut StdRng) -> f32 {
    // Box-Muller.
    let u1: f32 = rng.random_range(1e-6..1.0);
    let u2: f32 = rng.random_range(0.0..1.0);
    (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
}

pub(super) fn bilinear_rgb(img: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let (x1, y1) = (
        (x0 + 1).min(img.width() - 1),
        (y0 + 1).min(img.height() - 1),
    );
    let mut c = [0.0f32; 3];
    for (k, v) in c.iter_mut().enumerate() {
        let p = |x, y| f32::from(img.get_pixel(x, y).0[k]);
        let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
        let bottom = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
        *v = top * (1.0 - fy) + bottom * fy;
    }
    c
}
