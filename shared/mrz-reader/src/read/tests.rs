//! Unit tests of `read`.

use super::*;
use crate::glyphs::ALPHABET;
use crate::locate::zones;
use crate::synth::{Capture, Sample, sample};

fn text(read: &ZoneScores) -> Vec<String> {
    read.scores
        .iter()
        .map(|line| {
            line.iter()
                .map(|s| {
                    let best = (0..37).max_by(|&a, &b| s[a].total_cmp(&s[b])).unwrap();
                    ALPHABET[best] as char
                })
                .collect()
        })
        .collect()
}

/// The first synthetic scan `wanted` takes whose zone, read cell by cell at its
/// best, `read_as` accepts (given that text and the printed lines).
fn scan_read(
    wanted: impl Fn(&Sample) -> bool,
    read_as: impl Fn(&[String], &[String]) -> bool,
) -> Option<(Sample, GrayImage, ZoneScores)> {
    (0..40u64)
        .map(sample)
        .filter(|d| d.capture == Capture::Scan && wanted(d))
        .find_map(|d| {
            let gray = image::load_from_memory(&d.jpeg).unwrap().to_luma8();
            let read = zones(&gray)
                .iter()
                .map(|z| read_zone(&gray, z))
                .find(|r| read_as(&text(r), &d.lines))?;
            Some((d, gray, read))
        })
}

/// The printed lines as sure readings, where `keep` (line, cell, class) says.
fn sure_where(lines: &[String], keep: impl Fn(usize, usize, u8) -> bool) -> Vec<Vec<Option<u8>>> {
    lines
        .iter()
        .enumerate()
        .map(|(k, line)| {
            line.bytes()
                .enumerate()
                .map(|(j, c)| keep(k, j, c).then_some(c))
                .collect()
        })
        .collect()
}

#[test]
fn a_cell_the_font_misjudges_is_read_by_the_zones_own_drawing() {
    // A scan whose zone holds both O and 0, read exactly.
    let (doc, gray, read) = scan_read(
        |d| d.lines.iter().any(|l| l.contains('O') && l.contains('0')),
        |text, lines| text == lines,
    )
    .expect("a scan with O and 0 that reads exactly");
    let (zero, oh) = (0, 24);
    // Make one 0 read a shade more like O, as a worn print might.
    let (l, i) = doc
        .lines
        .iter()
        .enumerate()
        .find_map(|(l, line)| line.bytes().position(|c| c == b'0').map(|i| (l, i)))
        .unwrap();
    let mut misread = read.clone();
    misread.scores[l][i][oh] = misread.scores[l][i][zero] + 0.03;
    assert_eq!(text(&misread)[l].as_bytes()[i], b'O');
    // Every other cell is read surely, as printed.
    let sure = sure_where(&doc.lines, |k, j, _| (k, j) != (l, i));
    let again = adapted(&gray, &misread, &sure).expect("the zone draws O and 0");
    assert_eq!(text(&again), doc.lines, "{}", doc.conditions);
    // Nothing surely read moves.
    for (k, line) in again.scores.iter().enumerate() {
        for (j, s) in line.iter().enumerate() {
            if (k, j) != (l, i) {
                assert_eq!(s, &misread.scores[k][j]);
            }
        }
    }
}

#[test]
fn a_tie_with_a_drawn_class_the_cell_is_unlike_goes_to_the_other() {
    let (doc, gray, read) = scan_read(
        |d| d.layout != crate::Layout::Td1,
        |text, lines| text[0] == lines[0],
    )
    .expect("a scan whose names line reads exactly");
    // The surname's first letter, drawn nowhere else as sure; the filler, drawn
    // surely all over, made to lead it by a hair.
    let (l, i) = (0, 5);
    let letter = doc.lines[l].as_bytes()[i];
    let (x, filler) = (class_of(letter).unwrap(), 36);
    let mut tied = read.clone();
    tied.scores[l][i][filler] = tied.scores[l][i][x] + 0.01;
    assert_eq!(text(&tied)[l].as_bytes()[i], b'<');
    // The names line is read surely, but for that letter.
    let sure = sure_where(&doc.lines, |k, _, c| k == 0 && c != letter);
    let again = adapted(&gray, &tied, &sure).expect("the filler is drawn");
    assert_eq!(text(&again)[l].as_bytes()[i], letter, "{}", doc.conditions);
}

#[test]
fn a_line_placed_one_pitch_off_is_read_where_its_characters_are() {
    let doc = (0..20u64)
        .map(sample)
        .find(|d| d.capture == Capture::Scan)
        .expect("a scan among the samples");
    let gray = image::load_from_memory(&doc.jpeg).unwrap().to_luma8();
    let zone = zones(&gray)
        .into_iter()
        .find(|z| {
            let read = read_zone(&gray, z);
            read.mean > 0.8 && !read.uneven()
        })
        .expect("the zone is found");
    let placed = text(&read_zone(&gray, &zone));
    for step in [-1.0f32, 1.0] {
        for l in 0..zone.lines.len() {
            let mut off = zone.clone();
            let line = &mut off.lines[l];
            let n = line.len();
            let pitch = (
                (line[n - 1].centre.0 - line[0].centre.0) / (n - 1) as f32,
                (line[n - 1].centre.1 - line[0].centre.1) / (n - 1) as f32,
            );
            for cell in line.iter_mut() {
                cell.centre.0 += step * pitch.0;
                cell.centre.1 += step * pitch.1;
            }
            assert_eq!(
                text(&read_zone(&gray, &off)),
                placed,
                "line {l} moved {step}"
            );
        }
    }
}
