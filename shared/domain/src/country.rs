//! Countries by their ISO 3166-1 alpha-3 code, with their names in Kyrgyz, Russian and
//! English (Unicode CLDR, generated into `data/countries.csv` by `data/countries.py`).

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::{Code, Lang};

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Row {
    alpha3: String,
    #[allow(dead_code)]
    alpha2: String,
    ky: String,
    ru: String,
    en: String,
}

static TABLE: LazyLock<HashMap<String, Row>> = LazyLock::new(|| {
    csv::Reader::from_reader(include_str!("../data/countries.csv").as_bytes())
        .deserialize::<Row>()
        .map(|row| {
            let row = row.expect("the shipped country table parses");
            (row.alpha3.clone(), row)
        })
        .collect()
});

/// A country of the ISO 3166-1 list, by its alpha-3 code (`KGZ`, `UZB`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country(String);

impl Country {
    /// A country of the list, case-insensitive; anything else is `invalid_country`.
    pub fn parse(raw: &str) -> Result<Country, Code> {
        let code = raw.trim().to_ascii_uppercase();
        if TABLE.contains_key(&code) {
            Ok(Country(code))
        } else {
            Err(Code::InvalidCountry)
        }
    }

    /// The country a passport's zone names by `code`: its ISO code, or Doc 9303's own
    /// for Germany (`D`) and the British nationality codes (`GBD`, `GBN`, `GBO`, `GBP`,
    /// `GBS`); `None` for the codes of no state (`XXA`, `UNO`, …).
    pub fn of_zone(code: &str) -> Option<Country> {
        let code = code.trim().trim_end_matches('<').to_ascii_uppercase();
        let iso = match code.as_str() {
            "D" => "DEU",
            "GBD" | "GBN" | "GBO" | "GBP" | "GBS" => "GBR",
            other => other,
        };
        Country::parse(iso).ok()
    }

    /// The country's name in `lang`.
    pub fn name(&self, lang: Lang) -> &'static str {
        let row = &TABLE[&self.0];
        match lang {
            Lang::Ky => &row.ky,
            Lang::Ru => &row.ru,
            Lang::En => &row.en,
        }
    }

    /// The name in the three languages, as printed documents give it: `ky / ru / en`.
    pub fn names(&self) -> [&'static str; 3] {
        Lang::ALL.map(|lang| self.name(lang))
    }
}

impl AsRef<str> for Country {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Country {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Country {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Country::parse(&raw).map_err(|_| format!("not a country code: {raw}"))
    }
}

impl From<Country> for String {
    fn from(country: Country) -> String {
        country.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_iso_country_is_known_with_three_names() {
        assert_eq!(TABLE.len(), 249);
        for row in TABLE.values() {
            assert_eq!(row.alpha3.len(), 3);
            assert!(!row.ky.is_empty() && !row.ru.is_empty() && !row.en.is_empty());
        }
    }

    #[test]
    fn a_code_parses_in_any_case_and_names_itself_in_each_language() {
        let uzb = Country::parse(" uzb ").unwrap();
        assert_eq!(uzb.as_ref(), "UZB");
        assert_eq!(uzb.names(), ["Өзбекстан", "Узбекистан", "Uzbekistan"]);
        assert_eq!(Country::parse("KGZ").unwrap().name(Lang::Ru), "Кыргызстан");
    }

    #[test]
    fn anything_not_on_the_list_is_an_invalid_country() {
        for raw in ["", "KG", "KYRG", "XXA", "D", "12A"] {
            assert_eq!(Country::parse(raw), Err(Code::InvalidCountry), "{raw}");
        }
    }

    #[test]
    fn a_country_is_stored_and_sent_as_its_code() {
        let kaz = Country::parse("KAZ").unwrap();
        assert_eq!(serde_json::to_value(&kaz).unwrap(), "KAZ");
        assert!(serde_json::from_value::<Country>("ZZZ".into()).is_err());
    }

    #[test]
    fn a_zones_code_names_its_state_germany_and_britain_included() {
        assert_eq!(Country::of_zone("D<<").unwrap().as_ref(), "DEU");
        assert_eq!(Country::of_zone("GBD").unwrap().as_ref(), "GBR");
        assert_eq!(Country::of_zone("uzb").unwrap().as_ref(), "UZB");
        assert_eq!(Country::of_zone("XXA"), None);
    }
}
