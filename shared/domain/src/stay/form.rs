//! The host's registration form, parsed into typed values under the rules a host
//! expects: the foreigner (checked against the passport scan's zone later), the dates
//! and the purpose of the stay.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::{StayPolicy, by_name};
use crate::account::form::FieldErrors;
use crate::account::values::{
    CountryCode, DocumentNumber, DocumentType, LatinName, PropertyCode, Sex, UploadId, parse_date,
};
use crate::error::{Code, DomainError};
use crate::mrz::TypedIdentity;
use crate::{EmailAddress, PhoneNumber};

/// Why the foreigner stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Tourism,
    PrivateVisit,
    Business,
    Work,
    Study,
    Treatment,
    Other,
}

impl Purpose {
    pub fn parse(raw: &str) -> Result<Self, Code> {
        by_name(raw).ok_or(Code::InvalidPurpose)
    }
}

/// The registration form as the host fills it in (`pin` only when submitting).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StayForm {
    /// The property code of one of the host's housing.
    pub housing_code: Option<String>,
    /// The upload id of the foreigner's passport scan (its zone fills the identity).
    pub passport_scan: Option<String>,
    /// The upload id of the foreigner's photo, which must have passed its check.
    pub photo: Option<String>,
    /// Latin letters, as in the passport.
    pub surname: Option<String>,
    pub given_names: Option<String>,
    /// Not asked for: the passport's zone has none. Must be empty.
    pub patronymic: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// `M`, `F` or `X` (unspecified; the zone's `<`).
    pub sex: Option<String>,
    /// Citizenship, three letters as in the zone (`UZB`).
    pub nationality: Option<String>,
    /// «Тип паспорта»: `ordinary_passport` (when left out), `diplomatic_passport`,
    /// `service_passport`, `id_card` or `travel_document`; the zone's prefill suggests it.
    pub document_type: Option<String>,
    /// The passport's issuing state.
    pub document_country: Option<String>,
    pub document_number: Option<String>,
    pub document_issued: Option<String>,
    pub document_expires: Option<String>,
    /// When the foreigner entered the country.
    pub entry_date: Option<String>,
    /// The foreigner's Kyrgyz mobile number, `996XXXXXXXXX`.
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The first day of the registration.
    pub stay_from: Option<String>,
    /// The last day of the registration.
    pub stay_to: Option<String>,
    /// `tourism`, `private_visit`, `business`, `work`, `study`, `treatment` or `other`.
    pub purpose: Option<String>,
    /// The host's action PIN; submitting needs it, checking does not.
    pub pin: Option<String>,
}

/// The foreigner as the host typed them, checked against the passport scan's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Guest {
    #[schema(value_type = String)]
    pub surname: LatinName,
    #[schema(value_type = String)]
    pub given_names: LatinName,
    #[schema(value_type = String, format = Date)]
    pub birth_date: Date,
    #[schema(value_type = String)]
    pub sex: Sex,
    #[schema(value_type = String)]
    pub nationality: CountryCode,
    /// Ordinary passport for registrations made before the type was asked for.
    #[serde(default)]
    pub document_type: DocumentType,
    #[schema(value_type = String)]
    pub document_country: CountryCode,
    #[schema(value_type = String)]
    pub document_number: DocumentNumber,
    #[schema(value_type = String, format = Date)]
    pub document_issued: Date,
    #[schema(value_type = String, format = Date)]
    pub document_expires: Date,
}

impl Guest {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.surname, self.given_names)
    }

    /// What to compare with the zone of the passport scan.
    pub fn typed(&self) -> TypedIdentity {
        TypedIdentity {
            surname: Some(self.surname.to_string()),
            given_names: Some(self.given_names.to_string()),
            document_number: Some(self.document_number.to_string()),
            nationality: Some(self.nationality.to_string()),
            document_type: Some(self.document_type.as_str().to_owned()),
            birth_date: Some(self.birth_date.to_string()),
            sex: Some(self.sex.as_str().to_owned()),
            expiry_date: Some(self.document_expires.to_string()),
        }
    }
}

/// A registration request that obeys every rule of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StayRequest {
    pub housing_code: PropertyCode,
    pub passport_scan: UploadId,
    pub photo: UploadId,
    pub guest: Guest,
    pub entry_date: Date,
    pub phone: PhoneNumber,
    pub email: EmailAddress,
    pub stay_from: Date,
    pub stay_to: Date,
    pub purpose: Purpose,
}

impl StayForm {
    /// Every field and rule at once; one error per field that breaks one.
    pub fn parse(&self, today: Date, policy: &StayPolicy) -> Result<StayRequest, DomainError> {
        let mut c = FieldErrors::default();
        let housing_code = c.required("housing_code", &self.housing_code, PropertyCode::parse);
        let passport_scan = c.required("passport_scan", &self.passport_scan, UploadId::parse);
        let photo = c.required("photo", &self.photo, UploadId::parse);
        let surname = c.required("surname", &self.surname, LatinName::parse);
        let given_names = c.required("given_names", &self.given_names, LatinName::parse);
        c.rule(
            "patronymic",
            self.patronymic
                .as_deref()
                .is_none_or(|p| p.trim().is_empty()),
            Code::NotExpected,
        );
        let birth_date = c.required("birth_date", &self.birth_date, parse_date);
        let sex = c.required("sex", &self.sex, Sex::parse);
        let nationality = c.required("nationality", &self.nationality, CountryCode::parse);
        let document_type = c.optional("document_type", &self.document_type, DocumentType::parse);
        let document_country = c.required(
            "document_country",
            &self.document_country,
            CountryCode::parse,
        );
        let document_number = c.required(
            "document_number",
            &self.document_number,
            DocumentNumber::parse,
        );
        let issued = c.required("document_issued", &self.document_issued, parse_date);
        let expires = c.required("document_expires", &self.document_expires, parse_date);
        let entry_date = c.required("entry_date", &self.entry_date, parse_date);
        let phone = c.required("phone", &self.phone, PhoneNumber::parse_kyrgyz_mobile);
        let email = c.required("email", &self.email, EmailAddress::parse);
        let stay_from = c.required("stay_from", &self.stay_from, parse_date);
        let stay_to = c.required("stay_to", &self.stay_to, parse_date);
        let purpose = c.required("purpose", &self.purpose, Purpose::parse);

        c.document_dates(birth_date, issued, expires, today);
        if let Some(entry) = entry_date {
            c.rule("entry_date", entry <= today, Code::EntryDateInFuture);
        }
        if let Some(from) = stay_from {
            let earliest = today - Duration::days(policy.max_backdate_days.into());
            c.rule("stay_from", from >= earliest, Code::StayStartTooEarly);
            if let Some(entry) = entry_date {
                c.rule("stay_from", from >= entry, Code::StayBeforeEntry);
            }
            if let Some(to) = stay_to {
                c.rule("stay_to", to > from, Code::StayEndBeforeStart);
            }
        }
        if let (Some(to), Some(expires)) = (stay_to, expires) {
            c.rule("stay_to", to <= expires, Code::StayBeyondPassport);
        }
        DomainError::unless_valid(c.errors)?;
        Ok(StayRequest {
            housing_code: housing_code.expect("checked"),
            passport_scan: passport_scan.expect("checked"),
            photo: photo.expect("checked"),
            guest: Guest {
                surname: surname.expect("checked"),
                given_names: given_names.expect("checked"),
                birth_date: birth_date.expect("checked"),
                sex: sex.expect("checked"),
                nationality: nationality.expect("checked"),
                document_type: document_type.flatten().unwrap_or_default(),
                document_country: document_country.expect("checked"),
                document_number: document_number.expect("checked"),
                document_issued: issued.expect("checked"),
                document_expires: expires.expect("checked"),
            },
            entry_date: entry_date.expect("checked"),
            phone: phone.expect("checked"),
            email: email.expect("checked"),
            stay_from: stay_from.expect("checked"),
            stay_to: stay_to.expect("checked"),
            purpose: purpose.expect("checked"),
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::super::samples::{TODAY, form};
    use super::*;

    fn codes(err: DomainError) -> Vec<(String, Code)> {
        match err {
            DomainError::Invalid(fields) => fields.into_iter().map(|f| (f.field, f.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_complete_form_parses() {
        let request = form().parse(TODAY, &StayPolicy::default()).unwrap();
        assert_eq!(request.guest.full_name(), "KARIMOV RUSTAM");
        assert_eq!(request.purpose, Purpose::Work);
        assert_eq!(request.stay_to, date!(2027 - 02 - 20));
    }

    #[test]
    fn every_missing_field_is_listed() {
        let err = StayForm::default()
            .parse(TODAY, &StayPolicy::default())
            .unwrap_err();
        let fields = codes(err);
        assert_eq!(fields.len(), 18, "{fields:?}");
        assert!(fields.iter().all(|(_, code)| *code == Code::Required));
    }

    #[test]
    fn the_dates_obey_the_rules_a_host_expects() {
        let policy = StayPolicy::default();
        let with = |f: fn(&mut StayForm)| {
            let mut form = form();
            f(&mut form);
            codes(form.parse(TODAY, &policy).unwrap_err())
        };
        let start_too_early = with(|f| {
            f.entry_date = Some("2026-11-01".into());
            f.stay_from = Some("2026-11-17".into());
        });
        assert_eq!(
            start_too_early,
            [("stay_from".to_owned(), Code::StayStartTooEarly)]
        );
        assert_eq!(
            with(|f| f.stay_from = Some("2026-11-19".into())),
            [("stay_from".to_owned(), Code::StayBeforeEntry)]
        );
        assert_eq!(
            with(|f| f.stay_to = Some("2026-11-21".into())),
            [("stay_to".to_owned(), Code::StayEndBeforeStart)]
        );
        assert_eq!(
            with(|f| f.stay_to = Some("2031-05-17".into())),
            [("stay_to".to_owned(), Code::StayBeyondPassport)]
        );
        assert_eq!(
            with(|f| f.entry_date = Some("2026-11-24".into())),
            [
                ("entry_date".to_owned(), Code::EntryDateInFuture),
                ("stay_from".to_owned(), Code::StayBeforeEntry)
            ]
        );
        let expired = with(|f| {
            f.document_expires = Some("2026-11-22".into());
            f.stay_to = Some("2026-11-22".into());
        });
        assert!(expired.contains(&("document_expires".to_owned(), Code::DocumentExpired)));
        assert_eq!(
            with(|f| f.patronymic = Some("Alisherovich".into())),
            [("patronymic".to_owned(), Code::NotExpected)]
        );
        assert_eq!(
            with(|f| f.purpose = Some("smuggling".into())),
            [("purpose".to_owned(), Code::InvalidPurpose)]
        );
        assert_eq!(
            with(|f| f.phone = Some("+77011234567".into())),
            [("phone".to_owned(), Code::InvalidKyrgyzMobile)]
        );
    }

    #[test]
    fn the_backdating_allowance_is_configurable() {
        let mut form = form();
        form.entry_date = Some("2026-11-01".into());
        form.stay_from = Some("2026-11-10".into());
        let strict = StayPolicy::default();
        assert!(form.parse(TODAY, &strict).is_err());
        let lenient = StayPolicy {
            max_backdate_days: 30,
            ..strict
        };
        assert!(form.parse(TODAY, &lenient).is_ok());
    }
}
