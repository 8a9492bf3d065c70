//! A registration as the API shows it: to its host (the passport number masked) and, in
//! the same shape, to the operator who reviews it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Flag, PaymentStatus, Purpose, Stay, StayStatus};
use crate::Lang;
use crate::calendar::WorkCalendar;
use crate::error::Code;
use crate::payment::Amount;

/// A fee in integer minor units (tyiyn) and as printed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Fee {
    pub amount_minor: u64,
    pub currency: String,
    /// `103.00`.
    pub amount: String,
}

impl Fee {
    pub fn of(amount: &Amount) -> Self {
        Fee {
            amount_minor: amount.amount_minor,
            currency: amount.currency.clone(),
            amount: amount.text(),
        }
    }
}

/// The foreigner, the passport number masked.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GuestView {
    pub full_name: String,
    pub birth_date: String,
    /// `M`, `F` or `X` (unspecified).
    pub sex: String,
    pub nationality: String,
    /// `ordinary_passport`, `id_card`…
    pub document_type: String,
    pub document_country: String,
    /// `FA***67`.
    pub document_number: String,
    pub document_expires: String,
}

/// Where the foreigner stays.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HousingView {
    pub code: String,
    pub city: String,
    pub address: String,
}

/// A registration as its host sees it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegistrationView {
    /// The 10-digit application number.
    pub number: String,
    /// RFC 3339, UTC.
    pub submitted_at: String,
    pub status: StayStatus,
    pub payment: PaymentStatus,
    pub fee: Fee,
    /// The 14-digit registration number, once confirmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
    pub guest: GuestView,
    pub housing: HousingView,
    pub entry_date: String,
    pub stay_from: String,
    pub stay_to: String,
    pub purpose: Purpose,
    pub phone: String,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    /// While paid and undecided: when a decision is due (the close of the first working
    /// day after the payment), RFC 3339, UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_due_at: Option<String>,
}

impl RegistrationView {
    /// The registration `r`, its decision due under `calendar`.
    pub fn of(r: &Stay, calendar: &WorkCalendar) -> Self {
        let g = &r.guest;
        RegistrationView {
            number: r.number.clone(),
            submitted_at: r.created_at.clone(),
            status: r.status,
            payment: r.payment,
            fee: Fee::of(&r.fee),
            registration_number: r.registration_number.clone(),
            guest: GuestView {
                full_name: r.guest_name.clone(),
                birth_date: g.birth_date.to_string(),
                sex: serde_json::to_value(g.sex)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                nationality: g.nationality.to_string(),
                document_type: g.document_type.as_str().to_owned(),
                document_country: g.document_country.to_string(),
                document_number: g.document_number.masked(),
                document_expires: g.document_expires.to_string(),
            },
            housing: HousingView {
                code: r.housing_code.clone(),
                city: r.city.clone(),
                address: r.address.clone(),
            },
            entry_date: r.entry_date.to_string(),
            stay_from: r.stay_from.to_string(),
            stay_to: r.stay_to.to_string(),
            purpose: r.purpose,
            phone: r.phone.to_string(),
            email: r.email.to_string(),
            refusal_reason: r.refusal_reason.clone(),
            decided_at: r.decided_at.clone(),
            decision_due_at: (r.status == StayStatus::Paid)
                .then(|| r.decision_due(calendar))
                .flatten()
                .map(crate::clock::rfc3339_of),
        }
    }
}

/// Something to look at before submitting, in the caller's language.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FlagView {
    #[serde(flatten)]
    pub flag: Flag,
    pub message: String,
}

impl FlagView {
    pub fn of(flag: &Flag, lang: Lang) -> Self {
        FlagView {
            flag: flag.clone(),
            message: Code::parse(&flag.code)
                .map(|c| c.message(lang).to_owned())
                .unwrap_or_default(),
        }
    }
}
