//! Unit tests of `correct`.

use super::*;

/// Scores that read `text` with certainty, except where `doubts` says a cell is
/// torn between its printed class and another.
fn scores_of(text: &[&str], doubts: &[((usize, usize), u8, f32)]) -> Vec<Vec<[f32; 37]>> {
    let mut out: Vec<Vec<[f32; 37]>> = text
        .iter()
        .map(|line| {
            line.bytes()
                .map(|c| {
                    let mut s = [0.2f32; 37];
                    s[index(c)] = 0.9;
                    s
                })
                .collect()
        })
        .collect();
    for &((l, i), class, score) in doubts {
        out[l][i][index(class)] = score;
    }
    out
}

const TD1: [&str; 3] = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
];

const TD3: [&str; 2] = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
];

fn text(c: &Corrected) -> Vec<String> {
    c.lines
        .iter()
        .map(|l| String::from_utf8(l.clone()).unwrap())
        .collect()
}

#[test]
fn a_clear_zone_reads_as_printed() {
    let c = correct(Layout::Td3, &scores_of(&TD3, &[]));
    assert_eq!(text(&c), TD3);
}

#[test]
fn the_grammar_turns_a_letter_in_a_date_into_its_digit() {
    // Birth date 740812 with its 0 read a shade more like O.
    let mut scores = scores_of(&TD3, &[((1, 15), b'O', 0.92)]);
    scores[1][15][index(b'0')] = 0.85;
    let c = correct(Layout::Td3, &scores);
    assert_eq!(text(&c), TD3);
}

#[test]
fn a_check_digit_chooses_between_look_alikes_in_a_number() {
    // The document number's 8 read as B, 8 close behind.
    let mut scores = scores_of(&TD3, &[((1, 1), b'B', 0.91)]);
    scores[1][1][index(b'8')] = 0.8;
    let c = correct(Layout::Td3, &scores);
    assert_eq!(text(&c), TD3);
}

#[test]
fn a_zone_failing_its_check_digit_as_printed_stays_as_printed() {
    // A clear 7 where the specimen has 8: no uncertain cell may be changed.
    let printed = [TD3[0], "L798902C36UTO7408122F1204159ZE184226B<<<<<10"];
    let c = correct(Layout::Td3, &scores_of(&printed, &[]));
    assert_eq!(text(&c), printed);
}

#[test]
fn a_td1_zone_is_checked_field_by_field_and_as_a_whole() {
    let mut scores = scores_of(&TD1, &[((1, 29), b'G', 0.91)]);
    scores[1][29][index(b'6')] = 0.85;
    let c = correct(Layout::Td1, &scores);
    assert_eq!(text(&c), TD1);
}

#[test]
fn a_state_code_that_is_no_state_takes_its_look_alike_that_is() {
    let printed = [
        "P<NLDMEULENDIJK<<LOES<ALBERTINE<<<<<<<<<<<<<",
        "XA00000148NLD7110195F0604121123456782<<<<<02",
    ];
    // NLD read as NLO, the D a little behind.
    let mut scores = scores_of(&printed, &[((0, 4), b'O', 0.9)]);
    scores[0][4][index(b'D')] = 0.7;
    let c = correct(Layout::Td3, &scores);
    assert_eq!(text(&c), printed);
}

#[test]
fn a_document_code_takes_a_letter_its_layout_allows() {
    // The I read as a T, well ahead: no card's code begins with T.
    let mut scores = scores_of(&TD1, &[((0, 0), b'T', 0.9)]);
    scores[0][0][index(b'I')] = 0.5;
    assert_eq!(text(&correct(Layout::Td1, &scores)), TD1);
}

#[test]
fn a_number_printed_without_its_check_digit_is_not_bent_to_fit_the_filler() {
    // The Austrian card prints filler where the number's check digit belongs. Read
    // with O for its fourth 0, the number would "check" against that filler as zero.
    let td1 = [
        "IDAUT000009993<<<<<<<<<<<<<<<<",
        "7109094F111231AUT<<<<<<<<<<<<0",
        "MUSTERFRAU<<ISOLDE<<<<<<<<<<<<",
    ];
    let mut scores = scores_of(&td1, &[((0, 8), b'O', 0.91)]);
    scores[0][8][index(b'0')] = 0.88;
    assert_eq!(text(&correct(Layout::Td1, &scores)), td1);
}

#[test]
fn a_state_code_printed_as_digits_is_reported_as_printed() {
    // The Romanian card's specimen prints 132 where the nationality goes; its
    // letter look-alikes, TSZ, are no state.
    let td2 = [
        "IDROUSAVA<<SUPERMAN<<<<<<<<<<<<<<<<<",
        "HD198025<51328505095M130509012049941",
    ];
    let mut scores = scores_of(&td2, &[((1, 10), b'T', 0.82), ((1, 12), b'Z', 0.8)]);
    scores[1][10][index(b'1')] = 0.9;
    scores[1][12][index(b'2')] = 0.9;
    assert_eq!(text(&correct(Layout::Td2, &scores)), td2);
    // UTO with its O read a shade more like 0 stays UTO: letter codes keep letters.
    let printed = [TD3[0], "L898902C36UTO7408122F1204159ZE184226B<<<<<10"];
    let mut scores = scores_of(&printed, &[((1, 12), b'0', 0.9)]);
    scores[1][12][index(b'O')] = 0.88;
    assert_eq!(text(&correct(Layout::Td3, &scores)), printed);
}

#[test]
fn a_clear_digit_in_a_document_codes_second_cell_stays() {
    let card = [
        "C1USA0223456791EAC9730051220<<",
        "4910040M9411014CAN<<<<<<<<<<<0",
        "CRITTENDEN<<LEE<W<<<<<<<<<<<<<",
    ];
    let mut scores = scores_of(&card, &[((0, 1), b'T', 0.89)]);
    scores[0][1][index(b'1')] = 0.99;
    assert_eq!(text(&correct(Layout::Td1, &scores)), card);
    // Where the digit is no clearer than a letter, the letter is read.
    let id = ["ID<UTOD231458907<<<<<<<<<<<<<<", card[1], card[2]];
    let mut scores = scores_of(&id, &[((0, 1), b'0', 0.84)]);
    scores[0][1][index(b'D')] = 0.8;
    assert_eq!(correct(Layout::Td1, &scores).lines[0][1], b'D');
}

#[test]
fn after_the_given_names_only_filler_follows() {
    let printed = [
        "P<DEUNURLANOVA<<ANNA<MARIA<<<<<<<<<<<<<<<<<<",
        "Y2907888<2CHN6805090F271022473667969<<<<<<58",
    ];
    // The last cells read as K and C, the filler close behind.
    let mut scores = scores_of(
        &printed,
        &[
            ((0, 41), b'K', 0.9),
            ((0, 42), b'C', 0.88),
            ((0, 43), b'C', 0.9),
        ],
    );
    for cell in &mut scores[0][41..44] {
        cell[36] = 0.7;
    }
    assert_eq!(text(&correct(Layout::Td3, &scores)), printed);
    assert_eq!(names_end(b"ANNA<<MARIA<<<<"), Some(11));
    assert_eq!(names_end(b"ANNA<<<<<<<"), Some(6));
    assert_eq!(names_end(b"ANNA<<JOHN<PAUL"), None);
    assert_eq!(names_end(b"ANNAMARIACHOLPON"), None);
}

#[test]
fn in_a_number_a_digit_tied_with_a_letter_is_read_as_the_digit() {
    // At low resolution an S and a 3 match alike; the number is mostly digits.
    let mut scores = scores_of(&TD3, &[((1, 8), b'S', 0.9)]);
    scores[1][8][index(b'3')] = 0.88;
    assert_eq!(text(&correct(Layout::Td3, &scores)), TD3);
    // Not so where the letter is clearly ahead.
    scores[1][8][index(b'3')] = 0.8;
    assert_eq!(correct(Layout::Td3, &scores).lines[1][8], b'S');
}

#[test]
fn as_read_takes_every_cells_best_class() {
    let c = as_read(&scores_of(&TD3, &[((1, 15), b'O', 0.95)]));
    assert_eq!(c.lines[1][15], b'O');
    assert_eq!(c.lines[0], TD3[0].as_bytes());
}
