//! The small statistics the locator fits its lines with: median, percentile and a
//! least-squares polynomial.

// Gaussian elimination reads clearest with indices.
#![allow(clippy::needless_range_loop)]

pub(crate) fn median(mut values: Vec<f32>) -> Option<f32> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f32::total_cmp);
    Some(values[values.len() / 2])
}

pub(crate) fn percentile(mut values: Vec<f32>, p: f32) -> Option<f32> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f32::total_cmp);
    let i = ((values.len() - 1) as f32 * p).round() as usize;
    Some(values[i])
}

/// Least squares of `ys` on a polynomial in `xs` of degree at most two (one when the
/// points are few), as a function.
pub(crate) fn poly_fit(
    xs: &[f32],
    ys: &[f32],
    degree: usize,
) -> Option<impl Fn(f32) -> f32 + use<>> {
    let n = xs.len();
    let degree = degree.min(n.saturating_sub(1) / 4).min(2);
    // A constant would put every cell in one place: leave the caller its fallback.
    if degree == 0 {
        return None;
    }
    // Normal equations, centred on the mean x for conditioning.
    let mx = xs.iter().sum::<f32>() / n as f32;
    let k = degree + 1;
    let mut a = [[0f64; 4]; 3];
    for (&x, &y) in xs.iter().zip(ys) {
        let t = f64::from(x - mx);
        let powers = [1.0, t, t * t];
        for r in 0..k {
            for c in 0..k {
                a[r][c] += powers[r] * powers[c];
            }
            a[r][3] += powers[r] * f64::from(y);
        }
    }
    for col in 0..k {
        let pivot = (col..k).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        a.swap(col, pivot);
        if a[col][col].abs() < 1e-9 {
            return None;
        }
        for r in 0..k {
            if r != col {
                let f = a[r][col] / a[col][col];
                for c in col..4 {
                    a[r][c] -= f * a[col][c];
                }
            }
        }
    }
    let mut coef = [0f64; 3];
    for r in 0..k {
        coef[r] = a[r][3] / a[r][r];
    }
    Some(move |x: f32| {
        let t = f64::from(x - mx);
        (coef[0] + coef[1] * t + coef[2] * t * t) as f32
    })
}
