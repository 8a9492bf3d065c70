//! A foreign individual entrepreneur's own work permit: "check availability" (the
//! eligibility rules of a permit, with a patent in place of a quota place and a
//! business visa as good as a work visa), then the seed's form, prefilled from the
//! account: visa number, place of stay, activity, patent number and date, region,
//! workplace (market and phone), the registration talon; the patent, its payment and
//! the HIV test certificate attached, with a power of attorney and its trustee's
//! document together when someone applies for them.

use serde::{Deserialize, Serialize};
use time::Date;

use super::Grant;
use super::permit::{GrantForm, Holder, Region, TEXT_MAX, Visa, talon_number};
use super::quota::NamedDocuments;
use crate::PhoneNumber;
use crate::account::form::FieldErrors;
use crate::account::values::{Text, parse_date};
use crate::document::DocumentKind;
use crate::error::{Code, DomainError};

/// The document slots of the form, the kind each takes (`None`: any scan) and whether
/// it is required.
pub const SLOTS: &super::permit::Slots = &[
    ("patent", Some(DocumentKind::Licence), true),
    ("patent_payment", None, true),
    ("hiv_certificate", Some(DocumentKind::HivCertificate), true),
    (
        "power_of_attorney",
        Some(DocumentKind::PowerOfAttorney),
        false,
    ),
    ("trustee_document", Some(DocumentKind::PassportScan), false),
];

/// The form as sent; the person comes from the account.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct EntrepreneurForm {
    /// The visa's number, when the entrepreneur needs one.
    pub visa_number: Option<String>,
    pub place_of_stay: Option<String>,
    /// The activity the patent covers.
    pub activity: Option<String>,
    pub patent_number: Option<String>,
    /// `YYYY-MM-DD`, not after today.
    pub patent_date: Option<String>,
    /// As the work-permit form names regions (`bishkek`, `osh_city`, `chuy`, …).
    pub work_region: Option<String>,
    /// The workplace: the market's (or premises') name.
    pub market_name: Option<String>,
    /// The workplace's phone, international format.
    pub market_phone: Option<String>,
    /// The 14-digit number of the registration talon (ereg).
    pub registration_number: Option<String>,
    /// Upload ids.
    pub patent: Option<String>,
    pub patent_payment: Option<String>,
    pub hiv_certificate: Option<String>,
    pub power_of_attorney: Option<String>,
    pub trustee_document: Option<String>,
}

/// The form's fields, typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EntrepreneurDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visa_number: Option<String>,
    pub place_of_stay: String,
    pub activity: String,
    pub patent_number: String,
    #[schema(value_type = String, format = Date)]
    pub patent_date: Date,
    pub work_region: Region,
    pub market_name: String,
    #[schema(value_type = String)]
    pub market_phone: PhoneNumber,
    pub registration_number: String,
}

/// An entrepreneur's permit request: the person as the border service knows them, the
/// visa the lookups found (when one is needed), and the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EntrepreneurRequest {
    pub holder: Holder,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visa: Option<Visa>,
    #[serde(flatten)]
    pub details: EntrepreneurDetails,
}

impl EntrepreneurForm {
    /// The typed details and the documents they name, or every field error at once.
    pub fn parse(&self, today: Date) -> Result<(EntrepreneurDetails, NamedDocuments), DomainError> {
        let mut e = FieldErrors::default();
        let text = |raw: &str| Text::parse(raw, TEXT_MAX);
        let short = |raw: &str| Text::parse(raw, 50);
        let visa_number = e.optional("visa_number", &self.visa_number, short);
        let place_of_stay = e.required("place_of_stay", &self.place_of_stay, text);
        let activity = e.required("activity", &self.activity, text);
        let patent_number = e.required("patent_number", &self.patent_number, short);
        let patent_date = e.required("patent_date", &self.patent_date, parse_date);
        if let Some(date) = patent_date {
            e.rule("patent_date", date <= today, Code::DateInFuture);
        }
        let region = e.required("work_region", &self.work_region, Region::parse);
        let market_name = e.required("market_name", &self.market_name, text);
        let market_phone = e.required("market_phone", &self.market_phone, PhoneNumber::parse);
        let talon = e.required(
            "registration_number",
            &self.registration_number,
            talon_number,
        );
        let documents = e.documents(SLOTS, |slot| match slot {
            "patent" => &self.patent,
            "patent_payment" => &self.patent_payment,
            "hiv_certificate" => &self.hiv_certificate,
            "power_of_attorney" => &self.power_of_attorney,
            _ => &self.trustee_document,
        });
        e.together(&documents, "power_of_attorney", "trustee_document");
        DomainError::unless_valid(e.errors)?;
        let missing = || DomainError::Invalid(Vec::new());
        Ok((
            EntrepreneurDetails {
                visa_number: visa_number.flatten().map(|v| v.to_string()),
                place_of_stay: place_of_stay.ok_or_else(missing)?.to_string(),
                activity: activity.ok_or_else(missing)?.to_string(),
                patent_number: patent_number.ok_or_else(missing)?.to_string(),
                patent_date: patent_date.ok_or_else(missing)?,
                work_region: region.ok_or_else(missing)?,
                market_name: market_name.ok_or_else(missing)?.to_string(),
                market_phone: market_phone.ok_or_else(missing)?,
                registration_number: talon.ok_or_else(missing)?,
            },
            NamedDocuments(documents),
        ))
    }
}

impl GrantForm {
    /// The permit granted `today` for an entrepreneur's `request`: as a work permit's.
    pub fn parse_entrepreneur(
        &self,
        request: &EntrepreneurRequest,
        today: Date,
    ) -> Result<Grant, DomainError> {
        self.parse_until(request.holder.document_valid_until, today)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::date;

    use super::*;

    #[test]
    fn the_patent_its_payment_and_the_hiv_certificate_are_required_and_the_trustees_go_together() {
        let form: EntrepreneurForm = serde_json::from_value(json!({
            "place_of_stay": "Osh, Lenin street 5", "activity": "Retail of clothes",
            "patent_number": "PT-2026-0042", "patent_date": "2026-12-10",
            "work_region": "osh_city", "market_name": "Kara-Suu market",
            "market_phone": "+996700123456", "registration_number": "41000000000001",
            "patent": format!("upl_{}", "a".repeat(32)),
            "power_of_attorney": format!("upl_{}", "b".repeat(32)),
        }))
        .unwrap();
        let Err(DomainError::Invalid(errors)) = form.parse(date!(2026 - 12 - 07)) else {
            panic!("refused")
        };
        let fields: Vec<(&str, Code)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [
                ("patent_date", Code::DateInFuture),
                ("patent_payment", Code::Required),
                ("hiv_certificate", Code::Required),
                ("trustee_document", Code::TrusteeDocumentsTogether),
            ]
        );
    }
}
