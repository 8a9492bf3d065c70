//! What sends a registration to an operator: the passport scan's zone against what the
//! host typed, and the photo check's warnings.

use serde::{Deserialize, Serialize};

use super::Guest;
use crate::error::Code;
use crate::mrz::MrzExtract;

/// Something an operator must look at before confirming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Flag {
    /// `mrz_not_found`, `mrz_illegible`, `mrz_check_failed`, `mrz_untrusted` (a field
    /// of a zone whose check digits hold was read too uncertainly), `mrz_mismatch`,
    /// `photo_warning` or `stay_overlaps` (another host's registration holds the
    /// passport for some of these days; the operator sees it, the host does not).
    pub code: String,
    /// The form field, for a mismatch; the zone's field, for an untrusted reading; the
    /// finding, for a photo warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<String>,
}

impl Flag {
    /// Another host's registration holds the passport for some of these days. Only the
    /// operator is told: saying so to the submitting host would disclose it.
    pub fn held_by_another_host() -> Self {
        Flag::of(Code::StayOverlaps)
    }

    pub(crate) fn of(code: Code) -> Self {
        Flag {
            code: code.as_str().to_owned(),
            field: None,
            typed: None,
            read: None,
        }
    }
}

/// What an operator must look at: the zone of the passport scan (`None` when it was not
/// read; `illegible` says whether a zone was found but not read) against what the host
/// typed, and the warnings of the photo check.
pub fn review_flags(
    zone: Option<&MrzExtract>,
    illegible: bool,
    guest: &Guest,
    photo_warnings: &[String],
) -> Vec<Flag> {
    let mut flags = Vec::new();
    match zone.and_then(|z| z.fields.as_ref().map(|f| (z, f))) {
        None if illegible => flags.push(Flag::of(Code::MrzIllegible)),
        None => flags.push(Flag::of(Code::MrzNotFound)),
        Some((zone, fields)) => {
            if !zone.valid {
                flags.push(Flag::of(Code::MrzCheckFailed));
            } else if !zone.trusted() {
                flags.extend(zone.untrusted_fields().into_iter().map(|name| Flag {
                    field: Some(name.to_owned()),
                    ..Flag::of(Code::MrzUntrusted)
                }));
            }
            flags.extend(
                crate::mrz::cross_check(fields, &guest.typed())
                    .into_iter()
                    .map(|m| Flag {
                        code: Code::MrzMismatch.as_str().to_owned(),
                        field: Some(m.field),
                        typed: Some(m.typed),
                        read: Some(m.read),
                    }),
            );
        }
    }
    flags.extend(photo_warnings.iter().map(|finding| Flag {
        field: Some(finding.clone()),
        ..Flag::of(Code::PhotoWarning)
    }));
    flags
}

#[cfg(test)]
mod tests {
    use super::super::StayPolicy;
    use super::super::samples::{TODAY, form};
    use super::*;
    use crate::account::values::LatinName;

    fn zone(valid: bool) -> MrzExtract {
        MrzExtract {
            layout: "TD3".into(),
            lines: vec![],
            fields: Some(crate::mrz::MrzFields {
                document_type: "P".into(),
                issuing_state: "UZB".into(),
                surname: "KARIMOV".into(),
                given_names: "RUSTAM".into(),
                document_number: "FA1234567".into(),
                nationality: "UZB".into(),
                birth_date: "1988-03-02".into(),
                sex: "M".into(),
                expiry_date: "2031-05-16".into(),
                optional_data: None,
                optional_data_2: None,
            }),
            confidence: ["names", "document_number", "birth_date", "expiry_date"]
                .map(|f| (f.to_owned(), 0.9))
                .into(),
            checks: crate::mrz::MrzChecks {
                document_number: Some(valid),
                birth_date: Some(true),
                expiry_date: Some(true),
                optional_data: None,
                composite: Some(valid),
            },
            valid,
        }
    }

    #[test]
    fn flags_name_what_an_operator_must_look_at() {
        let guest = form().parse(TODAY, &StayPolicy::default()).unwrap().guest;
        assert_eq!(review_flags(Some(&zone(true)), false, &guest, &[]), []);
        let codes =
            |flags: Vec<Flag>| -> Vec<String> { flags.into_iter().map(|f| f.code).collect() };
        assert_eq!(
            codes(review_flags(Some(&zone(false)), false, &guest, &[])),
            ["mrz_check_failed"]
        );
        assert_eq!(
            codes(review_flags(None, true, &guest, &[])),
            ["mrz_illegible"]
        );
        // Every check digit holds, but the names were read unsurely: the operator looks.
        let mut unsure = zone(true);
        unsure.confidence.insert("names".into(), 0.55);
        let flags = review_flags(Some(&unsure), false, &guest, &[]);
        assert_eq!(codes(flags.clone()), ["mrz_untrusted"]);
        assert_eq!(flags[0].field.as_deref(), Some("names"));
        assert_eq!(
            codes(review_flags(None, false, &guest, &[])),
            ["mrz_not_found"]
        );
        let mut other = guest.clone();
        other.given_names = LatinName::parse("Rustem").unwrap();
        let flags = review_flags(
            Some(&zone(true)),
            false,
            &other,
            &["photo_too_dark".to_owned()],
        );
        assert_eq!(flags[0].field.as_deref(), Some("given_names"));
        assert_eq!(flags[0].read.as_deref(), Some("RUSTAM"));
        assert_eq!(flags[1].code, "photo_warning");
        assert_eq!(flags.len(), 2);
    }
}
