//! What the machine-readable zone of a passport or ID scan said, as stored on its
//! document, and the comparison of it with what a person typed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

/// The zone as read from a scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MrzExtract {
    /// `TD1`, `TD2`, `TD3`, `MRVA` or `MRVB`; `FRA-ID` for the French national
    /// identity card issued until 2021 (two lines of 36, laid out otherwise).
    pub layout: String,
    /// The zone's lines as read, look-alike readings of uncertain characters settled
    /// by the check digits and the field grammar; otherwise as printed.
    pub lines: Vec<String>,
    /// The fields; absent when the lines do not parse as their layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<MrzFields>,
    /// How sure the reader is of each field, 0 to 1.
    pub confidence: BTreeMap<String, f32>,
    pub checks: MrzChecks,
    /// Every check digit the zone has holds.
    pub valid: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MrzFields {
    /// `P` for a passport, `I`, `ID`, `AC`… for cards, `V` for a visa.
    pub document_type: String,
    pub issuing_state: String,
    pub surname: String,
    pub given_names: String,
    pub document_number: String,
    pub nationality: String,
    /// `YYYY-MM-DD` when the zone holds a calendar date, otherwise as printed.
    pub birth_date: String,
    /// `M`, `F`, `X` or `<` (unspecified).
    pub sex: String,
    /// As `birth_date`; empty where the layout holds none (the French card).
    pub expiry_date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_data_2: Option<String>,
}

/// The least confidence every field of a zone must have for the zone to be trusted.
/// Calibrated so that no wrong reading is trusted on the development set, the synthetic
/// set, and synthetic passports with a smeared surname letter (`mrz-eval` prints
/// `false_trust`; `mrz-reader`'s trust test smears). Misread names scored up to 0.67
/// there; correctly read zones mostly score above 0.7 (docs/operations.md).
pub const TRUSTED_FIELD: f32 = 0.7;

impl MrzExtract {
    /// The fields read too uncertainly to rely on without a person looking, in the
    /// zone's order of names. A field without a check digit (the names) has only its
    /// own cells to vouch for it.
    pub fn untrusted_fields(&self) -> Vec<&str> {
        self.confidence
            .iter()
            .filter(|(_, c)| **c < TRUSTED_FIELD)
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// Whether the zone may be relied on without an operator: it is legible, every
    /// check digit holds, and every field's own cells read well. Holding check digits
    /// alone do not make a zone trusted: no check digit covers the names.
    pub fn trusted(&self) -> bool {
        self.valid
            && self.legible()
            && !self.confidence.is_empty()
            && self.untrusted_fields().is_empty()
    }

    /// Whether the zone reads as a zone at all: its fields parse and at least half of
    /// its check digits hold. One that fails is `mrz_illegible`, with no prefill: a
    /// reading whose check digits mostly fail is more likely garbage than a document.
    pub fn legible(&self) -> bool {
        let checks = [
            self.checks.document_number,
            self.checks.birth_date,
            self.checks.expiry_date,
            self.checks.optional_data,
            self.checks.composite,
        ];
        let present = checks.iter().flatten().count();
        let holding = checks.iter().flatten().filter(|held| **held).count();
        self.fields.is_some() && holding * 2 >= present
    }
}

/// Each check digit: holds, fails, or absent (`null`) where the layout or the
/// issuer has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MrzChecks {
    pub document_number: Option<bool>,
    pub birth_date: Option<bool>,
    pub expiry_date: Option<bool>,
    pub optional_data: Option<bool>,
    pub composite: Option<bool>,
}

/// What a person typed from the same document, any field left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TypedIdentity {
    pub surname: Option<String>,
    pub given_names: Option<String>,
    pub document_number: Option<String>,
    pub nationality: Option<String>,
    /// `ordinary_passport`, `id_card`…: compared with the type the zone's document
    /// code suggests.
    pub document_type: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// `M`, `F` or `X`.
    pub sex: Option<String>,
    /// `YYYY-MM-DD`.
    pub expiry_date: Option<String>,
}

/// A read zone and, when its fields parse, the same fields under the names the forms
/// use, ready to fill a form with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ZonePrefill {
    #[serde(flatten)]
    pub zone: MrzExtract,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill: Option<FormPrefill>,
}

/// The zone's fields under the form's names: `document_country` is the zone's issuing
/// state, `document_expires` its expiry date, and `document_type` what its document
/// code suggests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FormPrefill {
    pub surname: String,
    pub given_names: String,
    /// The zone writes two digits of the year: the century that makes the holder
    /// neither born in the future nor over 120 when the document expires.
    pub birth_date: String,
    /// When both centuries are possible (`12`: 2012 or 1912), the other one: ask the
    /// person which is right before submitting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date_alternative: Option<String>,
    /// `M`, `F` or `X` (the zone's `<`: unspecified).
    pub sex: String,
    pub nationality: String,
    /// Absent for a code that names no identity document (a visa's `V`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<String>,
    pub document_country: String,
    pub document_number: String,
    pub document_expires: String,
}

impl ZonePrefill {
    /// The zone and its prefill, read on `today`.
    pub fn of(zone: MrzExtract, today: Date) -> Self {
        let prefill = zone.fields.as_ref().map(|f| {
            let (birth_date, birth_date_alternative) =
                birth_century(&f.birth_date, &f.expiry_date, today);
            FormPrefill {
                surname: f.surname.clone(),
                given_names: f.given_names.clone(),
                birth_date,
                birth_date_alternative,
                sex: if f.sex == "<" {
                    "X".to_owned()
                } else {
                    f.sex.clone()
                },
                nationality: f.nationality.clone(),
                document_type: crate::account::values::DocumentType::of_zone(&f.document_type)
                    .map(|kind| kind.as_str().to_owned()),
                document_country: f.issuing_state.clone(),
                document_number: f.document_number.clone(),
                document_expires: f.expiry_date.clone(),
            }
        });
        ZonePrefill { zone, prefill }
    }
}

/// The oldest a holder is taken to be when the document expires.
const OLDEST: i32 = 120;

/// The birth date a zone's `YYYY-MM-DD` (its century guessed by the reader) stands for,
/// and the other century when both are possible: never in the future (after `today`),
/// never over [`OLDEST`] at the expiry (`YYYY-MM-DD`, or today when it has none).
/// What is not a date is given back as read.
pub fn birth_century(read: &str, expiry: &str, today: Date) -> (String, Option<String>) {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let Ok(date) = Date::parse(read, format) else {
        return (read.to_owned(), None);
    };
    let horizon = Date::parse(expiry, format).unwrap_or(today).max(today);
    let candidates: Vec<Date> = [2000, 1900]
        .into_iter()
        .filter_map(|century| date.replace_year(century + date.year() % 100).ok())
        .filter(|born| *born <= today && horizon.year() - born.year() <= OLDEST)
        .collect();
    match candidates.as_slice() {
        [] => (read.to_owned(), None),
        [only] => (only.to_string(), None),
        [younger, older, ..] => (younger.to_string(), Some(older.to_string())),
    }
}

/// One field where the typed value and the zone disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Mismatch {
    pub field: String,
    pub typed: String,
    /// As the zone has it.
    pub read: String,
}

/// Compares what was typed with the zone, field by field, as the zone would encode
/// the typed value: names transliterated (Cyrillic and Latin national letters) and
/// upper-cased with separators folded, numbers without spaces or dashes.
pub fn cross_check(fields: &MrzFields, typed: &TypedIdentity) -> Vec<Mismatch> {
    fn name(s: &str) -> String {
        mrz::encode_name_component(s)
    }
    fn number(s: &str) -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_uppercase()
    }
    fn plain(s: &str) -> String {
        s.trim().to_ascii_uppercase()
    }
    /// The zone writes an unspecified sex `<`; people write `X`.
    fn sex(s: &str) -> String {
        match plain(s).as_str() {
            "<" | "" => "X".to_owned(),
            other => other.to_owned(),
        }
    }
    /// A field's name, what was typed, what the zone has, and how both are normalised.
    type Pair<'a> = (&'a str, &'a Option<String>, &'a str, fn(&str) -> String);
    let t = typed;
    let zone_type = crate::account::values::DocumentType::of_zone(&fields.document_type)
        .map_or(fields.document_type.as_str(), |kind| kind.as_str());
    let pairs: [Pair; 8] = [
        ("surname", &t.surname, &fields.surname, name),
        ("given_names", &t.given_names, &fields.given_names, name),
        (
            "document_number",
            &t.document_number,
            &fields.document_number,
            number,
        ),
        ("nationality", &t.nationality, &fields.nationality, plain),
        ("document_type", &t.document_type, zone_type, plain),
        ("birth_date", &t.birth_date, &fields.birth_date, plain),
        ("sex", &t.sex, &fields.sex, sex),
        ("expiry_date", &t.expiry_date, &fields.expiry_date, plain),
    ];
    pairs
        .into_iter()
        .filter_map(|(field, typed, read, normal)| {
            let typed = typed.as_ref()?;
            // A date the zone does not hold (the French card's expiry) cannot
            // disagree; a date the zone leaves unknown is filler, never empty.
            let held = !(field.ends_with("_date") && read.is_empty());
            (held && normal(typed) != normal(read)).then(|| Mismatch {
                field: field.to_owned(),
                typed: typed.clone(),
                read: read.to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anna() -> MrzFields {
        MrzFields {
            document_type: "P".into(),
            issuing_state: "UTO".into(),
            surname: "ERIKSSON".into(),
            given_names: "ANNA MARIA".into(),
            document_number: "L898902C3".into(),
            nationality: "UTO".into(),
            birth_date: "1974-08-12".into(),
            sex: "F".into(),
            expiry_date: "2012-04-15".into(),
            optional_data: Some("ZE184226B".into()),
            optional_data_2: None,
        }
    }

    #[test]
    fn typed_data_that_the_zone_would_encode_the_same_way_matches() {
        let typed = TypedIdentity {
            surname: Some("Eriksson".into()),
            given_names: Some("Anna Maria".into()),
            document_number: Some("l898 902 c3".into()),
            nationality: Some("uto".into()),
            birth_date: Some("1974-08-12".into()),
            sex: Some("f".into()),
            document_type: Some("ordinary_passport".into()),
            expiry_date: None,
        };
        assert_eq!(cross_check(&anna(), &typed), []);
    }

    #[test]
    fn cyrillic_names_are_transliterated_before_comparing() {
        let mut fields = anna();
        fields.surname = "IVANOV".into();
        let typed = TypedIdentity {
            surname: Some("Иванов".into()),
            ..TypedIdentity::default()
        };
        assert_eq!(cross_check(&fields, &typed), []);
    }

    #[test]
    fn an_expiry_date_the_zone_does_not_hold_is_not_a_mismatch() {
        let mut card = anna();
        card.expiry_date = String::new();
        let typed = TypedIdentity {
            expiry_date: Some("2030-01-31".into()),
            given_names: Some("Anna".into()),
            ..TypedIdentity::default()
        };
        let found = cross_check(&card, &typed);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "given_names");
    }

    #[test]
    fn every_differing_field_is_listed_with_both_values() {
        let typed = TypedIdentity {
            surname: Some("Erikson".into()),
            birth_date: Some("1974-08-21".into()),
            ..TypedIdentity::default()
        };
        let found = cross_check(&anna(), &typed);
        assert_eq!(
            found,
            [
                Mismatch {
                    field: "surname".into(),
                    typed: "Erikson".into(),
                    read: "ERIKSSON".into()
                },
                Mismatch {
                    field: "birth_date".into(),
                    typed: "1974-08-21".into(),
                    read: "1974-08-12".into()
                },
            ]
        );
    }

    #[test]
    fn the_birth_century_is_never_in_the_future_nor_too_old_and_both_are_offered_when_possible() {
        let today = time::macros::date!(2026 - 12 - 07);
        // 30: 2030 is ahead, so 1930.
        assert_eq!(
            birth_century("2030-04-01", "2028-01-01", today),
            ("1930-04-01".to_owned(), None)
        );
        // 90: the reader's 1990 stays.
        assert_eq!(
            birth_century("1990-04-01", "2030-01-01", today),
            ("1990-04-01".to_owned(), None)
        );
        // 05: 1905 would be 125 at the expiry.
        assert_eq!(
            birth_century("2005-04-01", "2030-01-01", today),
            ("2005-04-01".to_owned(), None)
        );
        // 12: a child of 2012 or a holder born in 1912: the person confirms.
        assert_eq!(
            birth_century("2012-04-01", "2027-01-01", today),
            ("2012-04-01".to_owned(), Some("1912-04-01".to_owned()))
        );
        assert_eq!(
            birth_century("01LF48", "", today),
            ("01LF48".to_owned(), None)
        );
    }
}
