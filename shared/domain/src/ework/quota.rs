//! The employer's quota application: the seed's form as sent, the typed request it
//! becomes when every field holds, and the commission's allocation.
//!
//! Choices where the seed is silent: amounts are whole som with up to two decimals, one
//! per month for the six months before the month of submission (oldest first), or the
//! reason there were none; managers and workers together are at most the local staff
//! (other specialists make up the rest); the local-to-foreign ratio is computed, never
//! typed; at most 50 rows; a power of attorney comes with its trustee's passport; the
//! commission may allocate less than a row asks (zero included), never more.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::Date;

use crate::account::form::FieldErrors;
use crate::account::values::{Text, UploadId, parse_date};
use crate::country::Country;
use crate::document::DocumentKind;
use crate::error::{Code, DomainError};

/// The longest free text of the form (reasons, appeal, a reason for no payments).
pub const LONG_TEXT_MAX: usize = 2000;
/// The longest position name.
pub const POSITION_MAX: usize = 200;
/// The most rows one application may have.
pub const ROWS_MAX: usize = 50;
/// The most quotas one application may ask for.
pub const TOTAL_MAX: u32 = 10_000;
/// Months of tax and Social Fund payments the form asks for.
pub const PAYMENT_MONTHS: usize = 6;

/// The document slots of the form.
pub const SLOTS: &[(&str, DocumentKind)] = &[
    ("staff_list", DocumentKind::StaffList),
    ("power_of_attorney", DocumentKind::PowerOfAttorney),
    ("trustee_passport", DocumentKind::PassportScan),
];

/// One row of the form as sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RowForm {
    /// ISO 3166 alpha-3 code of the workers' country (`CHN`).
    pub country: Option<String>,
    /// The position they would hold.
    pub position: Option<String>,
    /// How many.
    #[schema(value_type = Option<u32>)]
    pub count: Option<Value>,
}

/// Payments to one fund for the six months before the month of submission, or why
/// there were none.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PaymentsForm {
    /// Six amounts in som (`"12500.00"`), oldest month first.
    #[serde(default)]
    pub monthly: Vec<String>,
    /// Instead of amounts: why nothing was paid.
    pub none_reason: Option<String>,
}

/// The quota application form as sent. Every field is checked and every broken one
/// reported at once.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct QuotaForm {
    /// Quotas requested in all; must equal the rows' sum.
    #[schema(value_type = Option<u32>)]
    pub total: Option<Value>,
    #[serde(default)]
    pub rows: Vec<RowForm>,
    /// Reasons and grounds for hiring foreign labour.
    pub reasons: Option<String>,
    /// Payments to the State Tax Service.
    #[serde(default)]
    pub tax_payments: PaymentsForm,
    /// Payments to the Social Fund.
    #[serde(default)]
    pub social_fund_payments: PaymentsForm,
    /// The applicant's appeal, in their words.
    pub appeal: Option<String>,
    /// Citizens of the Kyrgyz Republic on the staff list.
    #[schema(value_type = Option<u32>)]
    pub local_staff_total: Option<Value>,
    #[schema(value_type = Option<u32>)]
    pub local_managers: Option<Value>,
    #[schema(value_type = Option<u32>)]
    pub local_workers: Option<Value>,
    #[schema(value_type = Option<u32>)]
    pub vacancies: Option<Value>,
    /// Applications for permits to hire foreign labour over the organisation's life.
    #[schema(value_type = Option<u32>)]
    pub earlier_applications: Option<Value>,
    /// Foreign workers employed the year before last.
    #[schema(value_type = Option<u32>)]
    pub foreign_workers_two_years_ago: Option<Value>,
    /// Foreign workers employed last year.
    #[schema(value_type = Option<u32>)]
    pub foreign_workers_last_year: Option<Value>,
    /// Upload id of the staff list.
    pub staff_list: Option<String>,
    /// Upload id of the power of attorney of whoever applies for the employer.
    pub power_of_attorney: Option<String>,
    /// Upload id of that trustee's passport or ID card.
    pub trustee_passport: Option<String>,
}

/// One row, typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuotaRow {
    #[schema(value_type = String)]
    pub country: Country,
    pub position: String,
    pub count: u32,
}

/// Payments to one fund, typed: six amounts in tyiyn, oldest month first, or the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Payments {
    Monthly(Vec<u64>),
    NoneBecause(String),
}

/// A quota application's request, every field valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuotaRequest {
    pub total: u32,
    pub rows: Vec<QuotaRow>,
    pub reasons: String,
    pub tax_payments: Payments,
    pub social_fund_payments: Payments,
    pub appeal: String,
    pub local_staff_total: u32,
    pub local_managers: u32,
    pub local_workers: u32,
    pub vacancies: u32,
    pub earlier_applications: u32,
    pub foreign_workers_two_years_ago: u32,
    pub foreign_workers_last_year: u32,
    /// The year `foreign_workers_last_year` counts (the year before submission).
    pub last_year: i32,
}

impl QuotaRequest {
    /// Local staff per requested foreign worker, to two decimals (`"2.50"`): the
    /// local-to-foreign ratio of the form, computed.
    pub fn local_to_foreign_ratio(&self) -> String {
        let hundredths = u64::from(self.local_staff_total) * 100 / u64::from(self.total.max(1));
        format!("{}.{:02}", hundredths / 100, hundredths % 100)
    }
}

/// The documents a valid form names: each slot, its upload and the kind of document the
/// slot takes, as the lifecycle checks attachments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedDocuments(pub Vec<(&'static str, UploadId, Option<DocumentKind>)>);

/// A whole number of at most `max`: a JSON number, or digits in a string.
fn count(raw: &Value, max: u32) -> Result<u32, Code> {
    let n = match raw {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    n.filter(|n| *n <= u64::from(max))
        .map(|n| n as u32)
        .ok_or(Code::InvalidCount)
}

/// An amount in som with up to two decimals, in tyiyn.
fn som(raw: &str) -> Result<u64, Code> {
    let raw = raw.trim();
    let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole)
        || whole.len() > 12
        || fraction.len() > 2
        || !(fraction.is_empty() || digits(fraction))
    {
        return Err(Code::InvalidAmount);
    }
    let whole: u64 = whole.parse().map_err(|_| Code::InvalidAmount)?;
    let fraction: u64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| Code::InvalidAmount)?;
    Ok(whole * 100 + fraction)
}

impl FieldErrors {
    fn count(&mut self, field: &str, raw: &Option<Value>, max: u32) -> Option<u32> {
        match raw {
            None | Some(Value::Null) => {
                self.fail(field, Code::Required);
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                self.fail(field, Code::Required);
                None
            }
            Some(value) => count(value, max)
                .map_err(|code| self.fail(field, code))
                .ok(),
        }
    }

    fn payments(&mut self, field: &str, form: &PaymentsForm) -> Option<Payments> {
        let reason = form.none_reason.as_deref().map(str::trim).unwrap_or("");
        match (form.monthly.is_empty(), reason.is_empty()) {
            (true, true) => {
                self.fail(field, Code::Required);
                None
            }
            (false, false) => {
                self.fail(field, Code::AmountsOrReason);
                None
            }
            (true, false) => Text::parse(reason, LONG_TEXT_MAX)
                .map(|t| Payments::NoneBecause(t.to_string()))
                .map_err(|code| self.fail(&format!("{field}.none_reason"), code))
                .ok(),
            (false, true) => {
                if form.monthly.len() != PAYMENT_MONTHS {
                    self.fail(&format!("{field}.monthly"), Code::SixMonthsExpected);
                    return None;
                }
                let mut amounts = Vec::with_capacity(PAYMENT_MONTHS);
                for (i, raw) in form.monthly.iter().enumerate() {
                    match som(raw) {
                        Ok(amount) => amounts.push(amount),
                        Err(code) => self.fail(&format!("{field}.monthly[{i}]"), code),
                    }
                }
                (amounts.len() == PAYMENT_MONTHS).then_some(Payments::Monthly(amounts))
            }
        }
    }
}

impl QuotaForm {
    /// The typed request and the documents it names, or every field error at once.
    /// `today` is the day of submission (Bishkek).
    pub fn parse(&self, today: Date) -> Result<(QuotaRequest, NamedDocuments), DomainError> {
        let mut e = FieldErrors::default();
        let total = e.count("total", &self.total, TOTAL_MAX);
        if self.rows.is_empty() {
            e.fail("rows", Code::Required);
        }
        e.rule("rows", self.rows.len() <= ROWS_MAX, Code::TooManyRows);
        let mut rows = Vec::new();
        for (i, row) in self.rows.iter().enumerate().take(ROWS_MAX) {
            let country = e.required(&format!("rows[{i}].country"), &row.country, Country::parse);
            let position = e.required(&format!("rows[{i}].position"), &row.position, |raw| {
                Text::parse(raw, POSITION_MAX)
            });
            let count = e.count(&format!("rows[{i}].count"), &row.count, TOTAL_MAX);
            if count == Some(0) {
                e.fail(&format!("rows[{i}].count"), Code::InvalidCount);
            }
            if let (Some(country), Some(position), Some(count)) = (country, position, count) {
                rows.push(QuotaRow {
                    country,
                    position: position.to_string(),
                    count,
                });
            }
        }
        if let Some(total) = total
            && rows.len() == self.rows.len()
            && !rows.is_empty()
        {
            let sum: u32 = rows.iter().map(|r| r.count).sum();
            e.rule("total", total == sum, Code::QuotaTotalMismatch);
        }
        if total == Some(0) {
            e.fail("total", Code::InvalidCount);
        }
        let long = |raw: &str| Text::parse(raw, LONG_TEXT_MAX);
        let reasons = e.required("reasons", &self.reasons, long);
        let tax = e.payments("tax_payments", &self.tax_payments);
        let social = e.payments("social_fund_payments", &self.social_fund_payments);
        let appeal = e.required("appeal", &self.appeal, long);
        let staff = e.count("local_staff_total", &self.local_staff_total, 1_000_000);
        let managers = e.count("local_managers", &self.local_managers, 1_000_000);
        let workers = e.count("local_workers", &self.local_workers, 1_000_000);
        if let (Some(staff), Some(managers), Some(workers)) = (staff, managers, workers) {
            e.rule(
                "local_workers",
                managers + workers <= staff,
                Code::StaffPartsExceedTotal,
            );
        }
        let vacancies = e.count("vacancies", &self.vacancies, 1_000_000);
        let earlier = e.count("earlier_applications", &self.earlier_applications, 100_000);
        let two_years_ago = e.count(
            "foreign_workers_two_years_ago",
            &self.foreign_workers_two_years_ago,
            1_000_000,
        );
        let last_year = e.count(
            "foreign_workers_last_year",
            &self.foreign_workers_last_year,
            1_000_000,
        );
        let mut documents = Vec::new();
        for (slot, kind) in SLOTS {
            let raw = match *slot {
                "staff_list" => &self.staff_list,
                "power_of_attorney" => &self.power_of_attorney,
                _ => &self.trustee_passport,
            };
            if let Some(Some(id)) = e.optional(slot, raw, UploadId::parse) {
                documents.push((*slot, id, Some(*kind)));
            }
        }
        e.together(&documents, "power_of_attorney", "trustee_passport");
        DomainError::unless_valid(e.errors)?;
        let missing = || DomainError::Invalid(Vec::new());
        Ok((
            QuotaRequest {
                total: total.ok_or_else(missing)?,
                rows,
                reasons: reasons.ok_or_else(missing)?.to_string(),
                tax_payments: tax.ok_or_else(missing)?,
                social_fund_payments: social.ok_or_else(missing)?,
                appeal: appeal.ok_or_else(missing)?.to_string(),
                local_staff_total: staff.ok_or_else(missing)?,
                local_managers: managers.ok_or_else(missing)?,
                local_workers: workers.ok_or_else(missing)?,
                vacancies: vacancies.ok_or_else(missing)?,
                earlier_applications: earlier.ok_or_else(missing)?,
                foreign_workers_two_years_ago: two_years_ago.ok_or_else(missing)?,
                foreign_workers_last_year: last_year.ok_or_else(missing)?,
                last_year: today.year() - 1,
            },
            NamedDocuments(documents),
        ))
    }
}

/// The commission's decision as the operator sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct AllocationForm {
    /// The number of the commission's protocol.
    pub protocol_number: Option<String>,
    /// `YYYY-MM-DD`, not after today.
    pub decision_date: Option<String>,
    /// Quotas allocated per requested row, in the request's order.
    #[serde(default)]
    #[schema(value_type = Vec<u32>)]
    pub allocated: Vec<Value>,
}

/// One row as allocated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AllocatedRow {
    #[schema(value_type = String)]
    pub country: Country,
    pub position: String,
    pub requested: u32,
    pub allocated: u32,
}

/// The commission's allocation of a confirmed quota application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Allocation {
    pub protocol_number: String,
    pub decision_date: Date,
    pub rows: Vec<AllocatedRow>,
}

impl Allocation {
    /// Quotas allocated in all.
    pub fn total(&self) -> u32 {
        self.rows.iter().map(|r| r.allocated).sum()
    }
}

/// The longest protocol number.
pub const PROTOCOL_MAX: usize = 50;

impl AllocationForm {
    /// The allocation for `request`, decided by `today` at the latest, or every field
    /// error at once: one count per row, none above what the row asks.
    pub fn parse(&self, request: &QuotaRequest, today: Date) -> Result<Allocation, DomainError> {
        let mut e = FieldErrors::default();
        let protocol = e.required("protocol_number", &self.protocol_number, |raw| {
            Text::parse(raw, PROTOCOL_MAX)
        });
        let date = e.required("decision_date", &self.decision_date, parse_date);
        if let Some(date) = date {
            e.rule("decision_date", date <= today, Code::DateInFuture);
        }
        e.rule(
            "allocated",
            self.allocated.len() == request.rows.len(),
            Code::AllocationRowsMismatch,
        );
        let mut rows = Vec::new();
        for (i, (raw, row)) in self.allocated.iter().zip(&request.rows).enumerate() {
            match count(raw, row.count) {
                Ok(allocated) => rows.push(AllocatedRow {
                    country: row.country.clone(),
                    position: row.position.clone(),
                    requested: row.count,
                    allocated,
                }),
                Err(_) => e.fail(&format!("allocated[{i}]"), Code::AllocationExceedsRequest),
            }
        }
        DomainError::unless_valid(e.errors)?;
        Ok(Allocation {
            protocol_number: protocol.map(|p| p.to_string()).unwrap_or_default(),
            decision_date: date.ok_or(DomainError::Invalid(Vec::new()))?,
            rows,
        })
    }
}
