//! The three languages everything a user reads exists in.

use serde::{Deserialize, Serialize};

/// A language of the e-services: Kyrgyz (the state language), Russian, English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Kyrgyz, the state language, and the default when the caller states none we speak.
    #[default]
    Ky,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Ky, Lang::Ru, Lang::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Ky => "ky",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// A language tag (`ru`, `ru-RU`, `KY`) to one of ours, if it is one of ours.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ky" | "kir" => Some(Lang::Ky),
            "ru" | "rus" => Some(Lang::Ru),
            "en" | "eng" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the best of our languages from an `Accept-Language` header value
    /// (RFC 9110 §12.5.4: weighted list, `q=0` means "not this one").
    /// Falls back to Kyrgyz when nothing we speak is acceptable.
    pub fn negotiate(accept_language: Option<&str>) -> Lang {
        let Some(header) = accept_language else {
            return Lang::default();
        };
        let mut best: Option<(Lang, u16, usize)> = None;
        for (position, item) in header.split(',').enumerate() {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::from_tag) else {
                continue;
            };
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(parse_quality)
                .unwrap_or(1000);
            if quality == 0 {
                continue;
            }
            // Higher quality wins; on a tie the earlier entry wins.
            let better = match best {
                None => true,
                Some((_, q, _)) => quality > q,
            };
            if better {
                best = Some((lang, quality, position));
            }
        }
        best.map(|(lang, _, _)| lang).unwrap_or_default()
    }
}

/// A `q` value in thousandths, `None` when it is not a valid qvalue.
fn parse_quality(value: &str) -> Option<u16> {
    let value: f32 = value.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&value)
        .then(|| (value * 1000.0).round() as u16)
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_header_means_kyrgyz() {
        assert_eq!(Lang::negotiate(None), Lang::Ky);
    }

    #[test]
    fn the_highest_weighted_language_we_speak_wins() {
        assert_eq!(Lang::negotiate(Some("de-DE, en;q=0.5, ru;q=0.8")), Lang::Ru);
        assert_eq!(Lang::negotiate(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::negotiate(Some("ky-KG")), Lang::Ky);
    }

    #[test]
    fn equal_weights_keep_the_callers_order() {
        assert_eq!(Lang::negotiate(Some("ru, en")), Lang::Ru);
        assert_eq!(Lang::negotiate(Some("en, ru")), Lang::En);
    }

    #[test]
    fn a_zero_weight_excludes_a_language() {
        assert_eq!(Lang::negotiate(Some("ru;q=0, en;q=0.1")), Lang::En);
    }

    #[test]
    fn only_foreign_or_garbled_values_fall_back_to_kyrgyz() {
        assert_eq!(Lang::negotiate(Some("de, fr;q=0.9")), Lang::Ky);
        assert_eq!(Lang::negotiate(Some(";;;,,q=")), Lang::Ky);
        assert_eq!(Lang::negotiate(Some("en;q=abc")), Lang::En);
        assert_eq!(Lang::negotiate(Some("")), Lang::Ky);
    }
}
