//! The MRZ layouts and where each field sits in them: the table the corrector's
//! grammar and check digits read (ICAO 9303's layouts and the French identity card's).

/// The MRZ layouts: ICAO 9303's five, and the French national identity card's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Td1,
    Td2,
    Td3,
    MrvA,
    MrvB,
    /// The French national identity card issued until 2021: two lines of 36 like a
    /// TD2, laid out otherwise (surname and issuing office on the first line; a
    /// 12-character number, given names, birth date and sex on the second; no expiry
    /// date, no nationality).
    FraId,
}

impl Layout {
    /// The layout of a zone of `lines` lines of `length` cells whose first cell reads
    /// `first`.
    pub fn of(lines: usize, length: usize, first: u8) -> Option<Layout> {
        match (lines, length, first) {
            (3, 30, _) => Some(Layout::Td1),
            (2, 44, b'V') => Some(Layout::MrvA),
            (2, 44, _) => Some(Layout::Td3),
            (2, 36, b'V') => Some(Layout::MrvB),
            (2, 36, _) => Some(Layout::Td2),
            _ => None,
        }
    }

    /// The other layout a zone of this one's shape may be, read the same way: a card
    /// of two lines of 36 whose code begins with I may be a French identity card.
    pub fn alternative(self, first: u8) -> Option<Layout> {
        (self == Layout::Td2 && first == b'I').then_some(Layout::FraId)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Td1 => "TD1",
            Layout::Td2 => "TD2",
            Layout::Td3 => "TD3",
            Layout::MrvA => "MRVA",
            Layout::MrvB => "MRVB",
            Layout::FraId => "FRA-ID",
        }
    }

    /// Parses `lines` (as many as the layout has) with the `mrz` crate: `None` when
    /// they do not parse, or are the French card's, a layout the crate does not know.
    pub fn parse(self, lines: &[String]) -> Option<mrz::MrzData> {
        match self {
            Layout::Td1 => mrz::parse_td1(&lines[0], &lines[1], &lines[2]),
            Layout::Td2 => mrz::parse_td2(&lines[0], &lines[1]),
            Layout::Td3 => mrz::parse_td3(&lines[0], &lines[1]),
            Layout::MrvA => mrz::parse_mrv_a(&lines[0], &lines[1]),
            Layout::MrvB => mrz::parse_mrv_b(&lines[0], &lines[1]),
            Layout::FraId => return None,
        }
        .ok()
    }

    /// The letters a document code of the layout may begin with (ICAO 9303: P for
    /// passports, V for visas, A, C or I for cards).
    pub fn document_codes(self) -> &'static [u8] {
        match self {
            Layout::Td3 => b"P",
            Layout::MrvA | Layout::MrvB => b"V",
            Layout::Td1 | Layout::Td2 => b"ACI",
            Layout::FraId => b"I",
        }
    }

    pub fn lines(self) -> usize {
        if self == Layout::Td1 { 3 } else { 2 }
    }

    pub fn length(self) -> usize {
        match self {
            Layout::Td1 => 30,
            Layout::Td2 | Layout::MrvB | Layout::FraId => 36,
            Layout::Td3 | Layout::MrvA => 44,
        }
    }
}

/// What a cell may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters and filler: codes and names.
    Alpha,
    /// Digits: dates.
    Digit,
    /// Anything: numbers and optional data.
    Any,
    /// A check digit, or filler where an issuer leaves it empty.
    Check,
    /// M, F, X or filler.
    Sex,
    /// One of these, as the layout demands: the document code's first letter.
    OneOf(&'static [u8]),
    /// A letter or digit, never filler: a document number's first cell.
    Lead,
    /// A letter or filler, or a digit read clearly: the document code's second cell,
    /// the issuer's to choose (the old US card's code is C1).
    Code,
}

impl Kind {
    pub(crate) fn allows(self, c: u8) -> bool {
        match self {
            Kind::Alpha => c.is_ascii_uppercase() || c == b'<',
            Kind::Digit => c.is_ascii_digit(),
            Kind::Any => true,
            Kind::Check => c.is_ascii_digit() || c == b'<',
            Kind::Sex => matches!(c, b'M' | b'F' | b'X' | b'<'),
            Kind::OneOf(set) => set.contains(&c),
            Kind::Lead => c.is_ascii_alphanumeric(),
            Kind::Code => c.is_ascii_uppercase() || c == b'<',
        }
    }

    /// Whether a cell of this kind takes its best allowed reading however far behind
    /// the best reading it is: where no other reading makes a zone of the layout.
    pub(crate) fn strict(self) -> bool {
        matches!(self, Kind::OneOf(_) | Kind::Lead)
    }
}

/// A field of the zone: where it is, what it holds, and the cell of its check digit.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub line: usize,
    pub start: usize,
    pub len: usize,
    pub(crate) kind: Kind,
    pub check: Option<usize>,
}

impl Field {
    /// The field's cells on its line, its check digit's last.
    pub fn cells(&self) -> impl Iterator<Item = usize> + use<> {
        (self.start..self.start + self.len).chain(self.check)
    }
}

const fn field(name: &'static str, line: usize, start: usize, len: usize, kind: Kind) -> Field {
    Field {
        name,
        line,
        start,
        len,
        kind,
        check: None,
    }
}

const fn checked(name: &'static str, line: usize, start: usize, len: usize, kind: Kind) -> Field {
    Field {
        name,
        line,
        start,
        len,
        kind,
        check: Some(start + len),
    }
}

/// The fields of each layout, and the cells the composite check digit covers.
pub fn fields(layout: Layout) -> (Vec<Field>, Option<Composite>) {
    use Kind::*;
    let header = |len: usize| {
        vec![
            field("document_type", 0, 0, 2, Alpha),
            field("issuing_state", 0, 2, 3, Alpha),
        ]
        .into_iter()
        .chain((len > 0).then(|| field("names", 0, 5, len, Alpha)))
    };
    match layout {
        Layout::Td3 | Layout::Td2 | Layout::MrvA | Layout::MrvB => {
            let length = layout.length();
            let mut all: Vec<Field> = header(length - 5).collect();
            all.extend([
                checked("document_number", 1, 0, 9, Any),
                field("nationality", 1, 10, 3, Alpha),
                checked("birth_date", 1, 13, 6, Digit),
                field("sex", 1, 20, 1, Sex),
                checked("expiry_date", 1, 21, 6, Digit),
            ]);
            let composite = match layout {
                Layout::Td3 => {
                    all.push(checked("optional_data", 1, 28, 14, Any));
                    Some(Composite {
                        ranges: vec![(1, 0, 10), (1, 13, 20), (1, 21, 43)],
                        check: (1, 43),
                    })
                }
                Layout::Td2 => {
                    all.push(field("optional_data", 1, 28, 7, Any));
                    Some(Composite {
                        ranges: vec![(1, 0, 10), (1, 13, 20), (1, 21, 35)],
                        check: (1, 35),
                    })
                }
                _ => {
                    all.push(field("optional_data", 1, 28, length - 28, Any));
                    None
                }
            };
            (all, composite)
        }
        Layout::FraId => (
            vec![
                field("document_type", 0, 0, 2, Alpha),
                field("issuing_state", 0, 2, 3, Alpha),
                field("surname", 0, 5, 25, Alpha),
                field("optional_data", 0, 30, 6, Any),
                checked("document_number", 1, 0, 12, Any),
                field("given_names", 1, 13, 14, Alpha),
                checked("birth_date", 1, 27, 6, Digit),
                field("sex", 1, 34, 1, Sex),
            ],
            Some(Composite {
                ranges: vec![(0, 0, 36), (1, 0, 35)],
                check: (1, 35),
            }),
        ),
        Layout::Td1 => {
            let all = vec![
                field("document_type", 0, 0, 2, Alpha),
                field("issuing_state", 0, 2, 3, Alpha),
                checked("document_number", 0, 5, 9, Any),
                field("optional_data", 0, 15, 15, Any),
                checked("birth_date", 1, 0, 6, Digit),
                field("sex", 1, 7, 1, Sex),
                checked("expiry_date", 1, 8, 6, Digit),
                field("nationality", 1, 15, 3, Alpha),
                field("optional_data_2", 1, 18, 11, Any),
                field("names", 2, 0, 30, Alpha),
            ];
            (
                all,
                Some(Composite {
                    ranges: vec![(0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)],
                    check: (1, 29),
                }),
            )
        }
    }
}

/// The cells the composite check digit covers: (line, from, to) ranges.
#[derive(Debug, Clone)]
pub struct Composite {
    pub ranges: Vec<(usize, usize, usize)>,
    pub check: (usize, usize),
}
