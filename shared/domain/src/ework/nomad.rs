//! The Digital Nomad status application («Цифровой кочевник»): the identity prefilled
//! from the applicant's account (patronymic included), the seed's form, and the status
//! an operator grants for a period.
//!
//! Choices where the seed is silent: the organisation (or «individual entrepreneur») and
//! the purpose are free text; the planned entry date is today or within a year; the
//! income evidence (a bank statement or contracts for the past year) is required, one
//! document, with one optional other document; up to ten relatives; the status runs
//! from the day it is granted for [`NomadPolicy::status_days`] (365 by default,
//! configurable), never past the passport, and an operator may give a shorter period.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::permit::{Relative, RelativeForm, TEXT_MAX};
use super::quota::NamedDocuments;
use super::{Grant, GrantForm};
use crate::account::form::FieldErrors;
use crate::account::profile::PersonIdentity;
use crate::account::values::{DocumentType, Text, parse_date};
use crate::document::DocumentKind;
use crate::error::{Code, DomainError};

/// The rule of the status that is policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NomadPolicy {
    /// Days a granted status lasts by default.
    pub status_days: i64,
}

impl Default for NomadPolicy {
    fn default() -> Self {
        NomadPolicy { status_days: 365 }
    }
}

/// The form as sent; the identity comes from the account.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NomadForm {
    /// The organisation worked for, or «Индивидуальный предприниматель».
    pub organization: Option<String>,
    /// The purpose of the visit.
    pub purpose: Option<String>,
    /// `YYYY-MM-DD`: today or within a year.
    pub planned_entry: Option<String>,
    /// Upload id: the bank statement of income for services under contracts over the
    /// year before the application, or the contracts themselves.
    pub income_evidence: Option<String>,
    /// Upload id of another document.
    pub other: Option<String>,
    /// Relatives staying with the applicant in the Kyrgyz Republic.
    #[serde(default)]
    pub relatives: Vec<RelativeForm>,
}

/// The applicant as their account knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NomadIdentity {
    pub surname: String,
    pub given_names: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub birth_date: Date,
    /// `M`, `F` or `X`.
    pub sex: String,
    /// The passport's issuing state as its zone writes it.
    pub document_country: String,
    /// As the account gives it.
    pub document_type: DocumentType,
    pub document_number: String,
    #[schema(value_type = String, format = Date)]
    pub document_issued: Date,
    #[schema(value_type = String, format = Date)]
    pub document_expires: Date,
}

impl NomadIdentity {
    /// The identity of a Digital Nomad's account.
    pub fn of(identity: &PersonIdentity) -> NomadIdentity {
        NomadIdentity {
            surname: identity.surname.to_string(),
            given_names: identity.given_names.to_string(),
            patronymic: identity.patronymic.as_ref().map(ToString::to_string),
            birth_date: identity.birth_date,
            sex: identity.sex.as_str().to_owned(),
            document_country: identity.document_country.to_string(),
            document_type: identity.document_type,
            document_number: identity.document_number.to_string(),
            document_issued: identity.document_issued,
            document_expires: identity.document_expires,
        }
    }

    /// Surname, given names and patronymic.
    pub fn full_name(&self) -> String {
        [
            Some(self.surname.as_str()),
            Some(self.given_names.as_str()),
            self.patronymic.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
    }
}

/// A Digital Nomad application's request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NomadRequest {
    pub identity: NomadIdentity,
    pub organization: String,
    pub purpose: String,
    #[schema(value_type = String, format = Date)]
    pub planned_entry: Date,
    #[serde(default)]
    pub relatives: Vec<Relative>,
}

/// The document slots of the form.
pub const SLOTS: &super::permit::Slots = &[
    ("income_evidence", Some(DocumentKind::IncomeEvidence), true),
    ("other", None, false),
];

impl NomadForm {
    /// The request of the applicant `identity` and the documents it names, or every
    /// field error at once. `today` is the day of submission (Bishkek).
    pub fn parse(
        &self,
        identity: NomadIdentity,
        today: Date,
    ) -> Result<(NomadRequest, NamedDocuments), DomainError> {
        let mut e = FieldErrors::default();
        let text = |raw: &str| Text::parse(raw, TEXT_MAX);
        let organization = e.required("organization", &self.organization, text);
        let purpose = e.required("purpose", &self.purpose, text);
        let entry = e.required("planned_entry", &self.planned_entry, parse_date);
        if let Some(entry) = entry {
            e.rule(
                "planned_entry",
                entry >= today && entry <= today + Duration::days(365),
                Code::InvalidPlannedEntry,
            );
        }
        let relatives = e.relatives(&self.relatives, today);
        let documents = e.documents(SLOTS, |slot| match slot {
            "income_evidence" => &self.income_evidence,
            _ => &self.other,
        });
        let whole = relatives.len() == self.relatives.len();
        DomainError::unless_valid(e.errors)?;
        let missing = || DomainError::Invalid(Vec::new());
        if !whole {
            return Err(missing());
        }
        Ok((
            NomadRequest {
                identity,
                organization: organization.ok_or_else(missing)?.to_string(),
                purpose: purpose.ok_or_else(missing)?.to_string(),
                planned_entry: entry.ok_or_else(missing)?,
                relatives,
            },
            NamedDocuments(documents),
        ))
    }
}

impl GrantForm {
    /// The status granted `today` for `request` under `policy`: from today to the day
    /// asked (by default `status_days` less a day), after today and within the passport.
    pub fn parse_nomad(
        &self,
        request: &NomadRequest,
        policy: &NomadPolicy,
        today: Date,
    ) -> Result<Grant, DomainError> {
        let longest =
            (today + Duration::days(policy.status_days - 1)).min(request.identity.document_expires);
        let mut e = FieldErrors::default();
        let asked = e.optional("valid_until", &self.valid_until, parse_date);
        let valid_until = match asked {
            Some(Some(day)) => {
                e.rule(
                    "valid_until",
                    day > today && day <= longest,
                    Code::InvalidPermitValidity,
                );
                day
            }
            _ => longest,
        };
        e.rule(
            "valid_until",
            valid_until > today,
            Code::InvalidPermitValidity,
        );
        DomainError::unless_valid(e.errors)?;
        Ok(Grant {
            valid_from: today,
            valid_until,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::date;

    use super::*;

    const TODAY: Date = date!(2026 - 12 - 07);

    fn identity() -> NomadIdentity {
        NomadIdentity {
            surname: "PETROSYAN".into(),
            given_names: "ANNA".into(),
            patronymic: Some("ARAMOVNA".into()),
            birth_date: date!(1998 - 08 - 22),
            sex: "F".into(),
            document_country: "ARM".into(),
            document_type: DocumentType::OrdinaryPassport,
            document_number: "AR1234567".into(),
            document_issued: date!(2020 - 01 - 10),
            document_expires: date!(2030 - 01 - 09),
        }
    }

    #[test]
    fn a_form_with_income_evidence_becomes_a_request_with_the_accounts_identity() {
        let form: NomadForm = serde_json::from_value(json!({
            "organization": "Individual entrepreneur", "purpose": "Remote software work",
            "planned_entry": "2026-12-20",
            "income_evidence": format!("upl_{}", "a".repeat(32)),
        }))
        .unwrap();
        let (request, NamedDocuments(named)) = form.parse(identity(), TODAY).unwrap();
        assert_eq!(request.identity.full_name(), "PETROSYAN ANNA ARAMOVNA");
        assert_eq!(named.len(), 1);
        let grant = GrantForm::default()
            .parse_nomad(&request, &NomadPolicy::default(), TODAY)
            .unwrap();
        assert_eq!(grant.valid_until, date!(2027 - 12 - 06));
    }

    #[test]
    fn the_income_evidence_is_required_and_the_entry_date_must_be_ahead_within_a_year() {
        let form: NomadForm = serde_json::from_value(json!({
            "organization": "Acme", "purpose": "Work", "planned_entry": "2026-12-01",
        }))
        .unwrap();
        let Err(DomainError::Invalid(errors)) = form.parse(identity(), TODAY) else {
            panic!("refused")
        };
        let fields: Vec<(&str, Code)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [
                ("planned_entry", Code::InvalidPlannedEntry),
                ("income_evidence", Code::Required),
            ]
        );
    }

    #[test]
    fn the_status_never_outlasts_the_passport() {
        let mut request_identity = identity();
        request_identity.document_expires = date!(2027 - 03 - 31);
        let request = NomadRequest {
            identity: request_identity,
            organization: "Acme".into(),
            purpose: "Work".into(),
            planned_entry: TODAY,
            relatives: Vec::new(),
        };
        let policy = NomadPolicy::default();
        let grant = GrantForm::default()
            .parse_nomad(&request, &policy, TODAY)
            .unwrap();
        assert_eq!(grant.valid_until, date!(2027 - 03 - 31));
        let too_long = GrantForm {
            valid_until: Some("2027-04-01".into()),
        };
        assert!(too_long.parse_nomad(&request, &policy, TODAY).is_err());
    }
}
