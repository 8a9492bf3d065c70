//! Typed values of account forms. Each parses from what a person typed, or says which
//! rule it broke with a stable code.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::Code;

macro_rules! string_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_value!(
    /// An e-work login: Latin letters and digits, 4 to 32, case-insensitive (kept lower-case).
    Login
);

impl Login {
    pub fn parse(raw: &str) -> Result<Self, Code> {
        let raw = raw.trim();
        if (4..=32).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(Login(raw.to_ascii_lowercase()))
        } else {
            Err(Code::InvalidLogin)
        }
    }
}

string_value!(
    /// A name as printed in a passport in Latin letters: `ASANOV`, `MARIA-LUISA`, `O'BRIEN`.
    /// Kept upper-case with single spaces.
    LatinName
);

impl LatinName {
    pub fn parse(raw: &str) -> Result<Self, Code> {
        let collapsed = raw
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_uppercase();
        let valid = !collapsed.is_empty()
            && collapsed.len() <= 60
            && collapsed.starts_with(|c: char| c.is_ascii_alphabetic())
            && collapsed
                .chars()
                .all(|c| c.is_ascii_uppercase() || matches!(c, ' ' | '-' | '\''));
        if valid {
            Ok(LatinName(collapsed))
        } else {
            Err(Code::InvalidLatinName)
        }
    }
}

string_value!(
    /// Free text a person types (legal name, address, activity): trimmed, 1 to `max`
    /// characters, no control characters.
    Text
);

impl Text {
    pub fn parse(raw: &str, max: usize) -> Result<Self, Code> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(Code::Required);
        }
        if trimmed.chars().count() > max || trimmed.chars().any(|c| c.is_control() && c != '\n') {
            return Err(Code::InvalidText);
        }
        Ok(Text(trimmed.to_owned()))
    }
}

string_value!(
    /// The Kyrgyz personal identification number (PIN, ПИН): 14 digits; the first is
    /// 1 (female) or 2 (male), the next eight the birth date as DDMMYYYY.
    PersonalNumber
);

impl PersonalNumber {
    pub fn parse(raw: &str) -> Result<Self, Code> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 14 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Code::InvalidPersonalNumber);
        }
        if !matches!(&digits[..1], "1" | "2") || Self::embedded_birth_date(&digits).is_none() {
            return Err(Code::InvalidPersonalNumber);
        }
        Ok(PersonalNumber(digits))
    }

    fn embedded_birth_date(digits: &str) -> Option<Date> {
        let day: u8 = digits.get(1..3)?.parse().ok()?;
        let month: u8 = digits.get(3..5)?.parse().ok()?;
        let year: i32 = digits.get(5..9)?.parse().ok()?;
        let month = time::Month::try_from(month).ok()?;
        Date::from_calendar_date(year, month, day).ok()
    }

    /// The birth date the number carries.
    pub fn birth_date(&self) -> Date {
        Self::embedded_birth_date(&self.0).expect("checked when parsed")
    }
}

string_value!(
    /// A Kyrgyz taxpayer identification number (ИНН): 14 digits.
    TaxId
);

impl TaxId {
    pub fn parse(raw: &str) -> Result<Self, Code> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 14 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(TaxId(digits))
        } else {
            Err(Code::InvalidTaxId)
        }
    }
}

string_value!(
    /// A state registration number of a legal entity, as the certificate prints it.
    RegistrationNumber
);

impl RegistrationNumber {
    pub fn parse(raw: &str) -> Result<Self, Code> {
        let trimmed = raw.trim().to_ascii_uppercase();
        let valid = (3..=30).contains(&trimmed.len())
            && trimmed
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'/' | b' '));
        if valid {
            Ok(RegistrationNumber(trimmed))
        } else {
            Err(Code::InvalidRegistrationNumber)
        }
    }
}

string_value!(
    /// An issuing state or nationality as a passport's MRZ writes it: three letters
    /// (`KGZ`, `RUS`, `D<<` is written `D`), kept upper-case.
    CountryCode
);

impl CountryCode {
    pub fn parse(raw: &str) -> Result<Self, Code> {
        let code = raw.trim().trim_end_matches('<').to_ascii_uppercase();
        if (1..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(CountryCode(code))
        } else {
            Err(Code::InvalidCountry)
        }
    }

    pub fn is_kyrgyzstan(&self) -> bool {
        self.0 == "KGZ"
    }
}

string_value!(
    /// A passport or ID document number: 5 to 20 Latin letters and digits, upper-case.
    DocumentNumber
);

impl DocumentNumber {
    pub fn parse(raw: &str) -> Result<Self, Code> {
        let number: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if (5..=20).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(DocumentNumber(number))
        } else {
            Err(Code::InvalidDocumentNumber)
        }
    }

    /// `AB1234503` → `AB***03`: the first two and last two characters, for display.
    pub fn masked(&self) -> String {
        let n = &self.0;
        format!("{}***{}", &n[..2], &n[n.len() - 2..])
    }
}

string_value!(
    /// The id of an uploaded document (`upl_` and 32 hex digits).
    UploadId
);

impl UploadId {
    pub fn parse(raw: &str) -> Result<Self, Code> {
        let raw = raw.trim();
        let valid = raw.strip_prefix("upl_").is_some_and(|hex| {
            hex.len() == 32
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        });
        if valid {
            Ok(UploadId(raw.to_owned()))
        } else {
            Err(Code::InvalidUploadId)
        }
    }
}

string_value!(
    /// A property identification code as the technical passport prints it: 4 to 8
    /// groups of digits joined by dashes, e.g. `1-02-03-0004-0005`.
    PropertyCode
);

impl PropertyCode {
    pub fn parse(raw: &str) -> Result<Self, Code> {
        let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        let groups: Vec<&str> = code.split('-').collect();
        let valid = (4..=8).contains(&groups.len())
            && groups
                .iter()
                .all(|g| (1..=6).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
        if valid {
            Ok(PropertyCode(code))
        } else {
            Err(Code::InvalidPropertyCode)
        }
    }
}

/// Sex as a passport prints it: `M`, `F`, or `X` where the passport leaves it
/// unspecified (ICAO 9303; the zone writes `<`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    #[serde(rename = "M")]
    Male,
    #[serde(rename = "F")]
    Female,
    #[serde(rename = "X")]
    Unspecified,
}

impl Sex {
    pub fn parse(raw: &str) -> Result<Self, Code> {
        match raw.trim() {
            "M" | "m" => Ok(Sex::Male),
            "F" | "f" => Ok(Sex::Female),
            "X" | "x" | "<" => Ok(Sex::Unspecified),
            _ => Err(Code::InvalidSex),
        }
    }

    /// `M`, `F` or `X`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "M",
            Sex::Female => "F",
            Sex::Unspecified => "X",
        }
    }
}

/// The type of an identity document («Тип паспорта»), as the forms offer it and the
/// talon prints it. The zone's document code suggests it ([`DocumentType::of_zone`]);
/// the person may change it.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    #[default]
    OrdinaryPassport,
    DiplomaticPassport,
    ServicePassport,
    /// A national identity card that is a travel document (TD1 or TD2).
    IdCard,
    /// A travel document of a stateless person or a refugee.
    TravelDocument,
}

impl DocumentType {
    pub const ALL: [DocumentType; 5] = [
        DocumentType::OrdinaryPassport,
        DocumentType::DiplomaticPassport,
        DocumentType::ServicePassport,
        DocumentType::IdCard,
        DocumentType::TravelDocument,
    ];

    pub fn parse(raw: &str) -> Result<Self, Code> {
        let raw = raw.trim();
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == raw)
            .ok_or(Code::InvalidDocumentType)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::OrdinaryPassport => "ordinary_passport",
            DocumentType::DiplomaticPassport => "diplomatic_passport",
            DocumentType::ServicePassport => "service_passport",
            DocumentType::IdCard => "id_card",
            DocumentType::TravelDocument => "travel_document",
        }
    }

    /// The type a zone's document code (`P`, `PD`, `ID`, `AC`…) names: the second
    /// letter of a passport code says diplomatic (`D`) or service (`S`, `O`); cards are
    /// `I`, `A` or `C`. A visa (`V`) and a residence permit card (`IR`, `AR`) are no
    /// identity document here.
    pub fn of_zone(code: &str) -> Option<Self> {
        let mut letters = code.trim().chars();
        match (letters.next()?, letters.next()) {
            ('P', Some('D')) => Some(DocumentType::DiplomaticPassport),
            ('P', Some('S' | 'O')) => Some(DocumentType::ServicePassport),
            ('P', _) => Some(DocumentType::OrdinaryPassport),
            ('I' | 'A', Some('R')) => None,
            ('I' | 'A' | 'C', _) => Some(DocumentType::IdCard),
            _ => None,
        }
    }

    /// Its name in Kyrgyz, Russian and English, as printed.
    pub fn names(self) -> [&'static str; 3] {
        match self {
            DocumentType::OrdinaryPassport => [
                "Жалпы жарандык паспорт",
                "Общегражданский паспорт",
                "Ordinary passport",
            ],
            DocumentType::DiplomaticPassport => [
                "Дипломатиялык паспорт",
                "Дипломатический паспорт",
                "Diplomatic passport",
            ],
            DocumentType::ServicePassport => {
                ["Кызматтык паспорт", "Служебный паспорт", "Service passport"]
            }
            DocumentType::IdCard => ["ID-карта", "ID-карта", "Identity card"],
            DocumentType::TravelDocument => [
                "Жол жүрүүчү документ",
                "Проездной документ",
                "Travel document",
            ],
        }
    }
}

/// A calendar date written `YYYY-MM-DD`.
pub fn parse_date(raw: &str) -> Result<Date, Code> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw.trim(), format).map_err(|_| Code::InvalidDate)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_zones_document_code_suggests_the_document_type() {
        for (code, expected) in [
            ("P", Some(DocumentType::OrdinaryPassport)),
            ("P<", Some(DocumentType::OrdinaryPassport)),
            ("PN", Some(DocumentType::OrdinaryPassport)),
            ("PD", Some(DocumentType::DiplomaticPassport)),
            ("PS", Some(DocumentType::ServicePassport)),
            ("PO", Some(DocumentType::ServicePassport)),
            ("ID", Some(DocumentType::IdCard)),
            ("I", Some(DocumentType::IdCard)),
            ("AC", Some(DocumentType::IdCard)),
            ("C<", Some(DocumentType::IdCard)),
            ("V", None),
            ("IR", None),
            ("", None),
        ] {
            assert_eq!(DocumentType::of_zone(code), expected, "{code}");
        }
        assert_eq!(DocumentType::parse(" id_card "), Ok(DocumentType::IdCard));
        assert_eq!(
            DocumentType::parse("Ordinary"),
            Err(Code::InvalidDocumentType)
        );
    }

    #[test]
    fn logins_are_latin_letters_and_digits() {
        assert_eq!(Login::parse(" Ework2024 ").unwrap().as_ref(), "ework2024");
        for bad in ["abc", "with space", "логин", "a_b_c_d", &"a".repeat(33)] {
            assert_eq!(Login::parse(bad), Err(Code::InvalidLogin), "{bad}");
        }
    }

    #[test]
    fn latin_names_are_upper_cased_and_checked() {
        assert_eq!(LatinName::parse("  asanov  ").unwrap().as_ref(), "ASANOV");
        assert_eq!(
            LatinName::parse("maria  luisa").unwrap().as_ref(),
            "MARIA LUISA"
        );
        assert_eq!(
            LatinName::parse("O'Brien-Smith").unwrap().as_ref(),
            "O'BRIEN-SMITH"
        );
        for bad in ["", "Асанов", "J0hn", "-ANNA", "Müller"] {
            assert_eq!(LatinName::parse(bad), Err(Code::InvalidLatinName), "{bad}");
        }
    }

    #[test]
    fn personal_numbers_carry_sex_and_birth_date() {
        let pin = PersonalNumber::parse("21505199012345").unwrap();
        assert_eq!(pin.birth_date(), date!(1990 - 05 - 15));
        for bad in [
            "2150519901234",
            "31505199012345",
            "23102199012345",
            "2150519901234X",
            "",
        ] {
            assert_eq!(
                PersonalNumber::parse(bad),
                Err(Code::InvalidPersonalNumber),
                "{bad}"
            );
        }
    }

    #[test]
    fn tax_ids_are_fourteen_digits() {
        assert!(TaxId::parse("01234567891234").is_ok());
        assert_eq!(TaxId::parse("0123456789123"), Err(Code::InvalidTaxId));
    }

    #[test]
    fn document_numbers_mask_to_two_and_two() {
        let number = DocumentNumber::parse("ab 1234503").unwrap();
        assert_eq!(number.as_ref(), "AB1234503");
        assert_eq!(number.masked(), "AB***03");
        assert_eq!(
            DocumentNumber::parse("AB-12"),
            Err(Code::InvalidDocumentNumber)
        );
    }

    #[test]
    fn countries_are_mrz_codes() {
        assert!(CountryCode::parse("kgz").unwrap().is_kyrgyzstan());
        assert_eq!(CountryCode::parse("D<<").unwrap().as_ref(), "D");
        assert_eq!(CountryCode::parse("KYRG"), Err(Code::InvalidCountry));
    }

    #[test]
    fn upload_ids_have_their_form() {
        assert!(UploadId::parse("upl_0123456789abcdef0123456789abcdef").is_ok());
        assert_eq!(UploadId::parse("upl_XYZ"), Err(Code::InvalidUploadId));
        assert_eq!(
            UploadId::parse("0123456789abcdef0123456789abcdef"),
            Err(Code::InvalidUploadId)
        );
    }

    #[test]
    fn dates_are_iso() {
        assert_eq!(parse_date("1990-05-15").unwrap(), date!(1990 - 05 - 15));
        assert_eq!(parse_date("15.05.1990"), Err(Code::InvalidDate));
        assert_eq!(parse_date("1990-02-30"), Err(Code::InvalidDate));
    }

    #[test]
    fn free_text_is_trimmed_and_bounded() {
        assert_eq!(
            Text::parse("  ОсОО «Ала-Тоо»  ", 200).unwrap().as_ref(),
            "ОсОО «Ала-Тоо»"
        );
        assert_eq!(Text::parse("   ", 200), Err(Code::Required));
        assert_eq!(Text::parse("abc", 2), Err(Code::InvalidText));
    }
}
