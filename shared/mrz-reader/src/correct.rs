//! From per-cell scores to the zone's text: each cell takes its best-scoring class,
//! then the field grammar and the check digits choose between look-alike readings of
//! uncertain cells. A cell read with confidence is never changed, and a field whose
//! check digit fails as printed stays as printed.

use crate::glyphs::{ALPHABET, class_of};
use crate::layout::Kind;
pub use crate::layout::{Composite, Field, Layout, fields};

/// Pairs a reader confuses, and the grammar settles.
const LOOKALIKES: &[(u8, u8)] = &[
    (b'0', b'O'),
    (b'0', b'D'),
    (b'0', b'Q'),
    (b'1', b'I'),
    (b'1', b'T'),
    (b'I', b'T'),
    (b'2', b'Z'),
    (b'5', b'S'),
    (b'6', b'G'),
    (b'8', b'B'),
    (b'O', b'D'),
    (b'O', b'Q'),
    (b'G', b'Q'),
    (b'C', b'G'),
    (b'E', b'F'),
];

/// Letters the filler may be misread as: its chevron is the arms of a K or an X, the
/// open side of a C.
const FILLER_LIKE: &[u8] = b"KXC";

/// Where a names field's text ends: the primary identifier, the double filler,
/// then the secondary identifier's components up to the next double filler (or a
/// filler at the field's end). `None` when the names fill the field or no
/// separator is seen.
fn names_end(text: &[u8]) -> Option<usize> {
    let double = |from: usize| {
        (from..text.len()).find(|&i| text[i] == b'<' && text.get(i + 1).is_none_or(|&c| c == b'<'))
    };
    let separator =
        (0..text.len().saturating_sub(1)).find(|&i| text[i] == b'<' && text[i + 1] == b'<')?;
    double(separator + 2)
}

/// Letters a digit may be misread as.
const DIGIT_LIKE: &[u8] = b"ODQIZSGB";

fn lookalike(a: u8, b: u8) -> bool {
    LOOKALIKES
        .iter()
        .any(|&(x, y)| (x, y) == (a, b) || (y, x) == (a, b))
}

/// A score gap under which a cell counts as uncertain between two readings.
const UNCERTAIN: f32 = 0.12;
/// Readings this close are a tie the font cannot break.
pub(crate) const TIED: f32 = 0.03;
/// A look-alike may be chosen over a reading this much better.
const LOOKALIKE_GAP: f32 = 0.35;
/// A clear glyph this far ahead of the best reading the grammar allows is read as
/// it is where the grammar leaves the issuer a choice.
const DISTINCT: f32 = 0.08;
/// A cell matching its reading this well is a clear glyph: a repair may turn it only
/// into a look-alike that matches nearly as well.
const CLEAR: f32 = 0.85;

/// The zone's text after correction, with each cell's confidence (0..1) and what the
/// check digits say.
#[derive(Debug, Clone)]
pub struct Corrected {
    pub lines: Vec<Vec<u8>>,
    pub confidence: Vec<Vec<f32>>,
}

fn index(c: u8) -> usize {
    class_of(c).unwrap_or(36)
}

/// Corrects a zone of `layout` read as `scores[line][cell][class]`.
pub fn correct(layout: Layout, scores: &[Vec<[f32; 37]>]) -> Corrected {
    let (fields, composite) = fields(layout);
    let mut kinds: Vec<Vec<Kind>> = scores.iter().map(|l| vec![Kind::Any; l.len()]).collect();
    for f in &fields {
        for k in &mut kinds[f.line][f.start..f.start + f.len] {
            *k = f.kind;
        }
        if let Some(c) = f.check {
            kinds[f.line][c] = Kind::Check;
        }
    }
    if let Some(c) = &composite {
        kinds[c.check.0][c.check.1] = Kind::Check;
    }
    kinds[0][0] = Kind::OneOf(layout.document_codes());
    kinds[0][1] = Kind::Code;
    if let Some(number) = fields.iter().find(|f| f.name == "document_number") {
        kinds[number.line][number.start] = Kind::Lead;
    }
    // Best reading, then the grammar's choice between look-alikes.
    let mut lines: Vec<Vec<u8>> = scores
        .iter()
        .enumerate()
        .map(|(l, cells)| {
            cells
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let top = best(s, |_| true);
                    let kind = kinds[l][i];
                    if kind.allows(ALPHABET[top]) {
                        return ALPHABET[top];
                    }
                    let alt = best(s, |c| kind.allows(ALPHABET[c]));
                    if kind == Kind::Code && s[top] >= CLEAR && s[top] - s[alt] >= DISTINCT {
                        return ALPHABET[top];
                    }
                    let close = s[alt] >= s[top] - UNCERTAIN;
                    let alike =
                        lookalike(ALPHABET[top], ALPHABET[alt]) && s[alt] >= s[top] - LOOKALIKE_GAP;
                    if close || alike || kind.strict() {
                        ALPHABET[alt]
                    } else {
                        ALPHABET[top]
                    }
                })
                .collect()
        })
        .collect();
    // Names end where a double filler follows the given names: the rest is filler.
    if let Some(f) = fields.iter().find(|f| f.name == "names") {
        let cells = f.start..f.start + f.len;
        let text = lines[f.line][cells.clone()].to_vec();
        for i in cells.skip(names_end(&text).unwrap_or(f.len)) {
            let s = &scores[f.line][i];
            let c = lines[f.line][i];
            let gap = if FILLER_LIKE.contains(&c) {
                LOOKALIKE_GAP
            } else {
                UNCERTAIN
            };
            if c != b'<' && s[index(b'<')] >= s[index(c)] - gap {
                lines[f.line][i] = b'<';
            }
        }
    }
    // In a number, a letter that looks like a digit among digits is read as the digit
    // (the check digit cannot always tell: O and 0 weigh alike at some positions).
    // Where a check digit can still undo the choice, when digits are at least as many
    // as the letters no digit resembles; elsewhere only among digits alone.
    for f in fields.iter().filter(|f| f.kind == Kind::Any) {
        let cells = f.start..f.start + f.len;
        let line = lines[f.line].clone();
        let digits = line[cells.clone()]
            .iter()
            .filter(|c| c.is_ascii_digit())
            .count();
        let letters = line[cells.clone()]
            .iter()
            .filter(|&&c| c.is_ascii_uppercase() && !DIGIT_LIKE.contains(&c))
            .count();
        let numeric = match f.check {
            Some(_) => digits >= letters,
            None => letters == 0 && digits > 0,
        };
        if !numeric {
            continue;
        }
        for i in cells {
            let c = line[i];
            if !c.is_ascii_uppercase() {
                continue;
            }
            let s = &scores[f.line][i];
            let digit = best(s, |k| ALPHABET[k].is_ascii_digit());
            // Round letters and the zero are near twins in OCR-B; other pairs differ
            // enough that only a close call is turned.
            let gap = if matches!(c, b'O' | b'D' | b'Q') {
                LOOKALIKE_GAP
            } else {
                UNCERTAIN
            };
            // A digit the font cannot tell from the letter is as good as a look-alike.
            let tied = s[digit] >= s[index(c)] - TIED;
            if (lookalike(c, ALPHABET[digit]) && s[digit] >= s[index(c)] - gap) || tied {
                lines[f.line][i] = ALPHABET[digit];
            }
        }
    }
    // Check digits choose between uncertain readings of their fields.
    for f in fields.iter().filter(|f| f.check.is_some()) {
        let mut cells: Vec<(usize, usize)> =
            (f.start..f.start + f.len).map(|i| (f.line, i)).collect();
        let check = (f.line, f.check.unwrap_or_default());
        cells.push(check);
        let holds = |lines: &[Vec<u8>]| {
            let text: String = (f.start..f.start + f.len)
                .map(|i| lines[f.line][i] as char)
                .collect();
            verifies(&text, lines[check.0][check.1])
        };
        repair(&mut lines, scores, &kinds, &cells, Admit::Uncertain, holds);
    }
    // A state code the reader got wrong is rarely another state's code.
    for f in fields
        .iter()
        .filter(|f| matches!(f.name, "issuing_state" | "nationality"))
    {
        let cells: Vec<(usize, usize)> = (f.start..f.start + f.len).map(|i| (f.line, i)).collect();
        let holds = |lines: &[Vec<u8>]| {
            let code =
                String::from_utf8_lossy(&lines[f.line][f.start..f.start + f.len]).into_owned();
            mrz::country_name(code.trim_end_matches('<')).is_some()
        };
        repair(&mut lines, scores, &kinds, &cells, Admit::LookAlikes, holds);
        // A code read as digits throughout, whose letters make no state either, is
        // printed as digits (a specimen's placeholder): it is reported as printed.
        let range = f.start..f.start + f.len;
        let code = String::from_utf8_lossy(&lines[f.line][range.clone()]).into_owned();
        let read: Vec<u8> = range
            .clone()
            .map(|i| ALPHABET[best(&scores[f.line][i], |_| true)])
            .collect();
        if read.iter().all(u8::is_ascii_digit)
            && mrz::country_name(code.trim_end_matches('<')).is_none()
        {
            lines[f.line][range].copy_from_slice(&read);
        }
    }
    if let Some(c) = &composite {
        // Cells no field check digit vouches for, and the composite digit itself.
        let mut cells: Vec<(usize, usize)> = Vec::new();
        for &(line, from, to) in &c.ranges {
            for i in from..to {
                let vouched = fields.iter().any(|f| {
                    f.check.is_some()
                        && f.line == line
                        && (f.start..=f.check.unwrap_or_default()).contains(&i)
                        && field_holds(&lines, f)
                });
                if !vouched {
                    cells.push((line, i));
                }
            }
        }
        cells.push(c.check);
        let holds = |lines: &[Vec<u8>]| composite_holds(lines, c);
        repair(&mut lines, scores, &kinds, &cells, Admit::Uncertain, holds);
    }
    let confidence = confidence(&lines, scores, &kinds);
    Corrected { lines, confidence }
}

/// The zone as read, every cell its best-scoring class: what is reported when no
/// check digit holds even after correction (a national layout, or a zone printed
/// wrong), since then the grammar has nothing to lean on.
pub fn as_read(scores: &[Vec<[f32; 37]>]) -> Corrected {
    let lines: Vec<Vec<u8>> = scores
        .iter()
        .map(|cells| cells.iter().map(|s| ALPHABET[best(s, |_| true)]).collect())
        .collect();
    let kinds: Vec<Vec<Kind>> = scores.iter().map(|l| vec![Kind::Any; l.len()]).collect();
    let confidence = confidence(&lines, scores, &kinds);
    Corrected { lines, confidence }
}

/// Each cell's confidence: its score, scaled by its margin over the next reading
/// its kind allows.
fn confidence(lines: &[Vec<u8>], scores: &[Vec<[f32; 37]>], kinds: &[Vec<Kind>]) -> Vec<Vec<f32>> {
    lines
        .iter()
        .enumerate()
        .map(|(l, line)| {
            line.iter()
                .enumerate()
                .map(|(i, &c)| {
                    let s = &scores[l][i];
                    let chosen = index(c);
                    let kind = kinds[l][i];
                    let other = best(s, |k| k != chosen && kind.allows(ALPHABET[k]));
                    let margin = s[chosen] - s[other];
                    (s[chosen].clamp(0.0, 1.0) * (0.5 + margin / 0.2)).clamp(0.0, 1.0)
                })
                .collect()
        })
        .collect()
}

/// Whether the field has a check digit and it holds.
pub(crate) fn field_holds(lines: &[Vec<u8>], f: &Field) -> bool {
    let text: String = (f.start..f.start + f.len)
        .map(|i| lines[f.line][i] as char)
        .collect();
    f.check.is_some_and(|c| verifies(&text, lines[f.line][c]))
}

/// The cells of a corrected zone that are read surely, with their class: those of
/// a field whose check digit holds (and the digit), and elsewhere those whose best
/// reading is the corrected one, matched well and clearly ahead of the next.
pub fn sure_cells(
    layout: Layout,
    lines: &[Vec<u8>],
    scores: &[Vec<[f32; 37]>],
) -> Vec<Vec<Option<u8>>> {
    let (fields, _) = fields(layout);
    let mut sure: Vec<Vec<Option<u8>>> = lines
        .iter()
        .enumerate()
        .map(|(l, line)| {
            line.iter()
                .enumerate()
                .map(|(i, &c)| {
                    let s = &scores[l][i];
                    let top = best(s, |_| true);
                    let next = best(s, |k| k != top);
                    (ALPHABET[top] == c && s[top] >= SURE && s[top] - s[next] >= SURE_MARGIN)
                        .then_some(c)
                })
                .collect()
        })
        .collect();
    for f in fields.iter().filter(|f| field_holds(lines, f)) {
        for i in (f.start..f.start + f.len).chain(f.check) {
            sure[f.line][i] = Some(lines[f.line][i]);
        }
    }
    sure
}

/// A cell outside a holding field is read surely when its best reading matches this
/// well, this far ahead of the next.
const SURE: f32 = 0.9;
const SURE_MARGIN: f32 = 0.05;

/// Whether the composite check digit holds.
pub(crate) fn composite_holds(lines: &[Vec<u8>], c: &Composite) -> bool {
    let text: String = c
        .ranges
        .iter()
        .flat_map(|&(line, from, to)| lines[line][from..to].iter().map(|&b| b as char))
        .collect();
    verifies(&text, lines[c.check.0][c.check.1])
}

/// Whether `digit` is the check digit of `text`. A filler where the digit belongs
/// counts as zero only for a field left empty: an issuer that prints no check digit
/// for a number prints filler there (the Austrian card does), and a repair must not
/// bend the number until its digit happens to come out zero.
fn verifies(text: &str, digit: u8) -> bool {
    if digit == b'<' {
        text.bytes().all(|b| b == b'<')
    } else {
        mrz::verify(text, digit as char)
    }
}

fn best(scores: &[f32; 37], allowed: impl Fn(usize) -> bool) -> usize {
    (0..37)
        .filter(|&c| allowed(c))
        .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
        .unwrap_or(36)
}

/// Which alternative readings a repair may choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Admit {
    /// Look-alikes, and any reading nearly as good as the chosen one, of a glyph
    /// that is not [`CLEAR`]; of a clear one, look-alikes nearly as good.
    Uncertain,
    /// Look-alikes only.
    LookAlikes,
}

/// Most alternative sets a repair tries.
const BUDGET: usize = 20_000;
/// Most readings a repair changes.
const MAX_CHANGES: usize = 6;

/// When `holds` fails, chooses the cheapest set of admissible alternative readings
/// of `cells` (at most one per cell, at most [`MAX_CHANGES`]) that makes it hold. Sets
/// are tried cheapest first: the usual k-best enumeration over alternatives sorted by
/// cost, where a set grows by the next alternative or swaps its last for the next.
fn repair(
    lines: &mut [Vec<u8>],
    scores: &[Vec<[f32; 37]>],
    kinds: &[Vec<Kind>],
    cells: &[(usize, usize)],
    admit: Admit,
    holds: impl Fn(&[Vec<u8>]) -> bool,
) {
    if holds(lines) {
        return;
    }
    // (cell, class, cost) of every admissible alternative, cheapest first.
    let mut alternatives: Vec<((usize, usize), u8, f32)> = Vec::new();
    for &(l, i) in cells {
        let s = &scores[l][i];
        let current = index(lines[l][i]);
        // For a check digit, which one wrong reading in ten satisfies, a clear
        // glyph may turn only into a look-alike nearly as good.
        let clear = admit == Admit::Uncertain && s[current] >= CLEAR;
        for c in 0..37 {
            let class = ALPHABET[c];
            if c == current || !kinds[l][i].allows(class) {
                continue;
            }
            let cost = s[current] - s[c];
            let gap = if clear { UNCERTAIN } else { LOOKALIKE_GAP };
            let alike = lookalike(lines[l][i], class) && cost <= gap;
            let near = cost <= UNCERTAIN && !clear;
            if alike || (admit == Admit::Uncertain && near) {
                alternatives.push(((l, i), class, cost.max(0.0) + 1e-3));
            }
        }
    }
    alternatives.sort_by(|a, b| a.2.total_cmp(&b.2));
    alternatives.truncate(40);
    let n = alternatives.len();
    let cost_of = |set: &[usize]| set.iter().map(|&a| alternatives[a].2).sum::<f32>();
    // Min-heap of (cost, set) by cost, as ordered integers.
    let mut heap = std::collections::BinaryHeap::new();
    let key = |c: f32| std::cmp::Reverse((c * 1e6) as u64);
    if n > 0 {
        heap.push((key(cost_of(&[0])), vec![0usize]));
    }
    let mut trial = lines.to_vec();
    let mut tried = 0;
    while let Some((_, set)) = heap.pop() {
        tried += 1;
        if tried > BUDGET {
            return;
        }
        let last = set[set.len() - 1];
        if last + 1 < n {
            if set.len() < MAX_CHANGES {
                let mut grown = set.clone();
                grown.push(last + 1);
                heap.push((key(cost_of(&grown)), grown));
            }
            let mut swapped = set.clone();
            *swapped.last_mut().expect("sets are never empty") = last + 1;
            heap.push((key(cost_of(&swapped)), swapped));
        }
        // One alternative per cell.
        let distinct = set.iter().enumerate().all(|(k, &a)| {
            set[..k]
                .iter()
                .all(|&b| alternatives[b].0 != alternatives[a].0)
        });
        if !distinct {
            continue;
        }
        for &a in &set {
            let ((l, i), class, _) = alternatives[a];
            trial[l][i] = class;
        }
        if holds(&trial) {
            for &a in &set {
                let ((l, i), class, _) = alternatives[a];
                lines[l][i] = class;
            }
            return;
        }
        for &a in &set {
            let ((l, i), _, _) = alternatives[a];
            trial[l][i] = lines[l][i];
        }
    }
}

#[cfg(test)]
mod tests;
