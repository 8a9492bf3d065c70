//! Reads the machine-readable zone (MRZ) of passports, ID cards and visas from an
//! image: scans, and phone photos of a document at any quarter turn, skewed, unevenly
//! lit or compressed.
//!
//! [`read`] finds candidate zones ([`locate`]), scores each character cell against
//! OCR-B references ([`glyphs`]) with a learned classifier's vote where they are
//! close ([`classifier`]), lets the field grammar and the check digits choose
//! between look-alike readings of uncertain cells ([`correct`]), and parses the text
//! with the `mrz` crate. What it cannot read it says it cannot read; it never fills a
//! field it did not see.

pub mod classifier;
pub mod correct;
pub mod glyphs;
mod layout;
pub mod locate;
mod read;
mod stats;
pub mod synth;
pub mod training;

use std::collections::BTreeMap;

use domain::Code;
use domain::mrz::{MrzChecks, MrzExtract, MrzFields};

use image::GrayImage;

pub use correct::Layout;

/// Why no zone was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// Nothing in the image looks like a machine-readable zone.
    NotFound,
    /// Something does, but its characters cannot be read with confidence.
    Illegible,
}

impl Unread {
    /// The stable code that tells the user.
    pub fn code(self) -> Code {
        match self {
            Unread::NotFound => Code::MrzNotFound,
            Unread::Illegible => Code::MrzIllegible,
        }
    }
}

fn held(checks: &MrzChecks) -> usize {
    [
        checks.document_number,
        checks.birth_date,
        checks.expiry_date,
        checks.optional_data,
        checks.composite,
    ]
    .iter()
    .filter(|c| **c == Some(true))
    .count()
}

/// Below this mean match a zone counts as illegible.
const LEGIBLE: f32 = 0.45;

/// Reads the MRZ in `gray`.
pub fn read(gray: &GrayImage) -> Result<MrzExtract, Unread> {
    let zones = locate::zones(gray);
    if zones.is_empty() {
        return Err(Unread::NotFound);
    }
    let mut best: Option<(usize, f32, MrzExtract)> = None;
    for zone in &zones {
        let mut scored = read::read_zone(gray, zone);
        let Some((mut layout, mut reading)) = reading_of_scores(zone, &scored) else {
            continue;
        };
        // A zone that does not validate, or has a line reading worse than the others
        // (whose repairs may hold by chance), may have been read off its glyphs for
        // a stretch: read it again where the glyphs matched, while that helps.
        // Only a zone that reads as one (its mean match clearly above the legible
        // floor) is worth the time; most candidates of a photo are other print.
        for _ in 0..REALIGNMENTS {
            if scored.mean < ALIGNABLE || (reading.valid && !scored.uneven()) {
                break;
            }
            let again = read::realigned(gray, &scored);
            match reading_of_scores(zone, &again) {
                Some((l, better))
                    if (held(&better.checks), again.mean)
                        > (held(&reading.checks), scored.mean) =>
                {
                    (layout, reading) = (l, better);
                    scored = again;
                }
                _ => break,
            }
        }
        // Then against the zone's own drawing of the classes it reads surely.
        let mut adapted = None;
        if scored.mean >= ALIGNABLE {
            let lines: Vec<Vec<u8>> = reading
                .lines
                .iter()
                .map(|l| l.as_bytes().to_vec())
                .collect();
            let sure = correct::sure_cells(layout, &lines, &scored.scores);
            if let Some(again) = read::adapted(gray, &scored, &sure)
                && let Some((l, better)) = reading_of_scores(zone, &again)
                && held(&better.checks) >= held(&reading.checks)
            {
                (layout, reading) = (l, better);
                adapted = Some(again);
            }
        }
        // Last, the glyph classifier votes on what the templates left close. Its
        // reading is kept where it reads the same text (its confidence is then the
        // two readers' together), or where more check digits hold; elsewhere the
        // readers disagree on a cell no check digit settles, and the templates'
        // reading, and its doubt, stand. As with the drawings, only a zone that
        // reads as one is worth the time.
        let settled = adapted.as_ref().unwrap_or(&scored);
        if scored.mean >= ALIGNABLE
            && let Some((l, voted)) = reading_of_scores(zone, &settled.voted(gray))
            && (voted.lines == reading.lines || held(&voted.checks) > held(&reading.checks))
        {
            (layout, reading) = (l, voted);
        }
        // A field with a character at the image's edge is not relied on, whatever
        // its check digit says.
        let edge = scored.at_edge(gray);
        if edge.iter().flatten().any(|&e| e) {
            for f in correct::fields(layout).0 {
                if f.cells()
                    .any(|i| edge.get(f.line).and_then(|l| l.get(i)) == Some(&true))
                {
                    reading.confidence.insert(f.name.to_owned(), 0.0);
                }
            }
        }
        let held = held(&reading.checks);
        let better = best
            .as_ref()
            .is_none_or(|(h, m, _)| (held, scored.mean) > (*h, *m));
        if better {
            let done = reading.valid && scored.mean > 0.6;
            best = Some((held, scored.mean, reading));
            if done {
                break;
            }
        }
    }
    best.map(|(_, _, reading)| reading).ok_or(Unread::Illegible)
}

/// Most times a zone is read again realigned.
const REALIGNMENTS: usize = 2;
/// Below this mean match a zone is not read again realigned.
const ALIGNABLE: f32 = 0.7;

/// The corrected reading of a zone's scores, unless the zone is too weak to read or
/// of no MRZ layout.
fn reading_of_scores(
    zone: &locate::Zone,
    scored: &read::ZoneScores,
) -> Option<(Layout, MrzExtract)> {
    // A zone too weak to read competes with none: its repairs would hold by chance.
    if scored.mean < LEGIBLE {
        return None;
    }
    let first = scored.scores[0][0]
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(b'<', |(i, _)| glyphs::ALPHABET[i]);
    let layout = Layout::of(zone.lines.len(), zone.lines[0].len(), first)?;
    // A zone of another layout's shape is read as that one too, and the layout whose
    // check digits hold the more wins (the ICAO one on a tie).
    let mut best = (layout, reading_in(layout, scored));
    if let Some(other) = layout.alternative(first) {
        let theirs = reading_in(other, scored);
        if held(&theirs.checks) > held(&best.1.checks) {
            best = (other, theirs);
        }
    }
    Some(best)
}

/// The corrected reading of a zone's scores as `layout`, or as read when no check
/// digit holds even after correction.
fn reading_in(layout: Layout, scored: &read::ZoneScores) -> MrzExtract {
    let corrected = correct::correct(layout, &scored.scores);
    let reading = reading_of(layout, &corrected);
    if held(&reading.checks) == 0 {
        return reading_of(layout, &correct::as_read(&scored.scores));
    }
    reading
}

fn reading_of(layout: Layout, corrected: &correct::Corrected) -> MrzExtract {
    let lines: Vec<String> = corrected
        .lines
        .iter()
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect();
    let (fields, composite) = correct::fields(layout);
    let mut confidence = BTreeMap::new();
    for f in &fields {
        let mut c = f
            .cells()
            .map(|i| corrected.confidence[f.line][i])
            .fold(1.0f32, f32::min);
        // A check digit that holds vouches for the whole field.
        if correct::field_holds(&corrected.lines, f) {
            c = c.max(0.95);
        }
        confidence.insert(f.name.to_owned(), (c * 100.0).round() / 100.0);
    }
    if layout == Layout::FraId {
        return french_card(lines, &corrected.lines, &fields, composite, confidence);
    }
    let parsed = layout.parse(&lines);
    let checks = parsed.as_ref().map_or(
        MrzChecks {
            document_number: None,
            birth_date: None,
            expiry_date: None,
            optional_data: None,
            composite: None,
        },
        |p| MrzChecks {
            document_number: p.checks.document_number,
            birth_date: p.checks.date_of_birth,
            expiry_date: p.checks.date_of_expiry,
            optional_data: p.checks.personal_number,
            composite: p.checks.composite,
        },
    );
    MrzExtract {
        layout: layout.as_str().to_owned(),
        valid: parsed.as_ref().is_some_and(|p| p.checks.all_valid()),
        fields: parsed.map(|parsed| MrzFields {
            document_type: parsed.document_type.clone(),
            issuing_state: parsed.issuing_country.clone(),
            surname: parsed.surname.clone(),
            given_names: parsed.given_names.clone(),
            document_number: parsed.full_document_number().to_owned(),
            nationality: parsed.nationality.clone(),
            birth_date: parsed.date_of_birth.to_string(),
            sex: parsed.sex.to_string(),
            expiry_date: parsed.date_of_expiry.to_string(),
            optional_data: parsed.optional_data_1.clone(),
            optional_data_2: parsed.optional_data_2.clone(),
        }),
        confidence,
        checks,
        lines,
    }
}

/// The French identity card's reading, which the `mrz` crate cannot parse: its
/// fields cut from the lines by the layout. The card holds no expiry date (left
/// empty) and no nationality; only French nationals hold it, so its nationality is
/// its issuing state's.
fn french_card(
    lines: Vec<String>,
    text: &[Vec<u8>],
    fields: &[correct::Field],
    composite: Option<correct::Composite>,
    confidence: BTreeMap<String, f32>,
) -> MrzExtract {
    let cut = |name: &str| {
        fields
            .iter()
            .find(|f| f.name == name)
            .map_or_else(String::new, |f| {
                String::from_utf8_lossy(&text[f.line][f.start..f.start + f.len]).into_owned()
            })
    };
    let holds = |name: &str| {
        fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| correct::field_holds(text, f))
    };
    // Filler runs part names, as the ICAO layouts' names are parted.
    let name = |s: String| {
        s.split('<')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let checks = MrzChecks {
        document_number: holds("document_number"),
        birth_date: holds("birth_date"),
        expiry_date: None,
        optional_data: None,
        composite: composite.map(|c| correct::composite_holds(text, &c)),
    };
    let valid = [checks.document_number, checks.birth_date, checks.composite]
        .iter()
        .all(|c| *c == Some(true));
    let office = cut("optional_data").trim_end_matches('<').to_owned();
    let state = cut("issuing_state");
    MrzExtract {
        layout: Layout::FraId.as_str().to_owned(),
        valid,
        fields: Some(MrzFields {
            document_type: cut("document_type").trim_end_matches('<').to_owned(),
            issuing_state: state.clone(),
            surname: name(cut("surname")),
            given_names: name(cut("given_names")),
            document_number: cut("document_number").trim_end_matches('<').to_owned(),
            nationality: state,
            birth_date: mrz::expand_date(&cut("birth_date"), true),
            sex: cut("sex"),
            expiry_date: String::new(),
            optional_data: (!office.is_empty()).then_some(office),
            optional_data_2: None,
        }),
        confidence,
        checks,
        lines,
    }
}

#[cfg(test)]
mod trust_tests {
    use super::*;
    use crate::correct::Layout;
    use crate::synth::{Capture, sample_in};

    /// Smears each surname letter in turn on clean synthetic passports: whenever that
    /// makes the reader misread the names, which no check digit covers, the zone still
    /// passes every check digit but is not trusted.
    #[test]
    fn a_zone_with_a_misread_names_field_is_valid_but_not_trusted() {
        let mut misread = 0;
        for seed in 0..12 {
            let doc = sample_in(Layout::Td3, seed);
            if doc.capture != Capture::Scan {
                continue;
            }
            let clean = image::load_from_memory(&doc.jpeg).unwrap().to_luma8();
            if !read(&clean).is_ok_and(|first| first.trusted() && first.lines == doc.lines) {
                continue;
            }
            let surname = doc.lines[0][5..].split("<<").next().unwrap().len();
            for at in 5..5 + surname {
                let smeared = crate::synth::smeared(&doc.jpeg, at).unwrap();
                let rubbed = image::load_from_memory(&smeared).unwrap().to_luma8();
                let Ok(reading) = read(&rubbed) else { continue };
                if reading.lines == doc.lines || reading.lines[1] != doc.lines[1] {
                    continue;
                }
                misread += 1;
                assert!(reading.valid, "no check digit covers the names");
                assert!(
                    !reading.trusted() && reading.untrusted_fields().contains(&"names"),
                    "{} read as {}, trusted: {:?}",
                    doc.lines[0],
                    reading.lines[0],
                    reading.confidence
                );
            }
        }
        assert!(misread >= 3, "only {misread} misreadings to judge");
    }

    /// Frames clean synthetic documents too tightly, through a character of the
    /// zone or just past it: whatever is read of what is left, it is never trusted.
    #[test]
    fn a_zone_cut_by_the_image_edge_is_never_trusted() {
        let mut judged = 0;
        for seed in 0..10 {
            let doc = sample_in(Layout::Td1, seed);
            let clean = image::load_from_memory(&doc.jpeg).unwrap().to_luma8();
            if !read(&clean).is_ok_and(|first| first.trusted() && first.lines == doc.lines) {
                continue;
            }
            for at in [0.0, 0.5] {
                let cut = crate::synth::framed_tightly(&doc.jpeg, at).unwrap();
                judged += 1;
                if let Ok(reading) = read(&cut) {
                    assert!(
                        !reading.trusted(),
                        "seed {seed} cut at {at}: {:?} trusted",
                        reading.lines
                    );
                }
            }
        }
        assert!(judged >= 6, "only {judged} cuts to judge");
    }
}
