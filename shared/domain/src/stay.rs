//! Registration of a foreigner at the place of stay (ereg): the host's form parsed into
//! typed values under the rules a host expects, the statuses a registration moves
//! through, the flags that send it to an operator, and the numbers it carries.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::account::form::FieldErrors;
use crate::account::values::{
    CountryCode, DocumentNumber, LatinName, PropertyCode, Sex, UploadId, parse_date,
};
use crate::error::{Code, DomainError};
use crate::mrz::{MrzExtract, TypedIdentity};
use crate::{EmailAddress, PhoneNumber};

/// The registration fee: 103.00 KGS, in tyiyn.
pub const FEE_MINOR: u64 = 10_300;
/// The currency of every fee.
pub const CURRENCY: &str = "KGS";

/// The rules the law leaves to configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StayPolicy {
    /// How many days before today a registration may start (`EREG_MAX_BACKDATE_DAYS`).
    pub max_backdate_days: u32,
    /// Whether a paid registration with nothing flagged is confirmed by the system
    /// (`EREG_AUTO_CONFIRM`); off by default.
    pub auto_confirm: bool,
}

impl Default for StayPolicy {
    /// Foreigners register within five days of arrival; operators confirm by hand.
    fn default() -> Self {
        StayPolicy {
            max_backdate_days: 5,
            auto_confirm: false,
        }
    }
}

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

/// The variant of a snake_case enum whose serde name is `raw`.
fn by_name<T: serde::de::DeserializeOwned>(raw: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(raw.trim().to_owned())).ok()
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
    /// `M` or `F`.
    pub sex: Option<String>,
    /// Citizenship, three letters as in the zone (`UZB`).
    pub nationality: Option<String>,
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
            birth_date: Some(self.birth_date.to_string()),
            sex: Some(
                match self.sex {
                    Sex::Male => "M",
                    Sex::Female => "F",
                }
                .to_owned(),
            ),
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

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StayStatus {
    /// Submitted with the PIN; the fee is due.
    AwaitingPayment,
    /// Paid; waiting for a registration operator (or the automatic confirmation).
    Paid,
    /// Confirmed: "registration valid". Printable.
    Valid,
    Refused,
    Cancelled,
    /// Its last day has passed.
    Expired,
}

impl StayStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StayStatus::AwaitingPayment => "awaiting_payment",
            StayStatus::Paid => "paid",
            StayStatus::Valid => "valid",
            StayStatus::Refused => "refused",
            StayStatus::Cancelled => "cancelled",
            StayStatus::Expired => "expired",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        by_name(raw)
    }

    /// Holds the passport at its address for its dates: another registration of the
    /// same passport elsewhere must not overlap it.
    pub fn holds_the_passport(self) -> bool {
        matches!(
            self,
            StayStatus::AwaitingPayment | StayStatus::Paid | StayStatus::Valid
        )
    }

    /// The host may still cancel it.
    pub fn cancellable(self) -> bool {
        matches!(self, StayStatus::AwaitingPayment | StayStatus::Paid)
    }
}

/// Where the fee stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Unpaid,
    Paid,
    /// Paid for a registration that was cancelled or refused: to be returned.
    RefundDue,
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Unpaid => "unpaid",
            PaymentStatus::Paid => "paid",
            PaymentStatus::RefundDue => "refund_due",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        by_name(raw)
    }
}

/// Something an operator must look at before confirming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Flag {
    /// `mrz_not_found`, `mrz_illegible`, `mrz_check_failed`, `mrz_mismatch` or
    /// `photo_warning`.
    pub code: String,
    /// The form field, for a mismatch; the finding, for a photo warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<String>,
}

impl Flag {
    fn of(code: Code) -> Self {
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

/// Whether the system may confirm a paid registration without an operator: the policy
/// allows it, nothing is flagged, and its dates still obey the rules today.
pub fn confirms_itself(
    policy: &StayPolicy,
    flags: &[Flag],
    stay_to: Date,
    document_expires: Date,
    today: Date,
) -> bool {
    policy.auto_confirm && flags.is_empty() && stay_to >= today && document_expires >= today
}

/// Two periods of stay, first and last days included, share a day.
pub fn overlaps(a: (Date, Date), b: (Date, Date)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// A new application number: 10 digits, the first not zero.
pub fn application_number() -> String {
    digits(10)
}

/// A new registration number: 14 digits, the first not zero.
pub fn registration_number() -> String {
    digits(14)
}

fn digits(n: usize) -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let mut out = String::with_capacity(n);
    out.push(char::from(b'1' + rng.random_range(0..9u8)));
    while out.len() < n {
        out.push(char::from(b'0' + rng.random_range(0..10u8)));
    }
    out
}

/// A 10-digit application number as typed; `None` for anything else.
pub fn parse_application_number(raw: &str) -> Option<String> {
    let raw = raw.trim();
    (raw.len() == 10 && raw.bytes().all(|b| b.is_ascii_digit())).then(|| raw.to_owned())
}

/// A 14-digit registration number as typed; `None` for anything else.
pub fn parse_registration_number(raw: &str) -> Option<String> {
    let raw: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    (raw.len() == 14 && raw.bytes().all(|b| b.is_ascii_digit())).then_some(raw)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const TODAY: Date = date!(2026 - 11 - 23);

    fn form() -> StayForm {
        StayForm {
            housing_code: Some("1-02-03-0004-0005".into()),
            passport_scan: Some(format!("upl_{}", "a".repeat(32))),
            photo: Some(format!("upl_{}", "b".repeat(32))),
            surname: Some("Karimov".into()),
            given_names: Some("Rustam".into()),
            patronymic: None,
            birth_date: Some("1988-03-02".into()),
            sex: Some("M".into()),
            nationality: Some("UZB".into()),
            document_country: Some("UZB".into()),
            document_number: Some("FA1234567".into()),
            document_issued: Some("2021-05-17".into()),
            document_expires: Some("2031-05-16".into()),
            entry_date: Some("2026-11-20".into()),
            phone: Some("996700123456".into()),
            email: Some("rustam@example.uz".into()),
            stay_from: Some("2026-11-21".into()),
            stay_to: Some("2027-02-20".into()),
            purpose: Some("work".into()),
            pin: None,
        }
    }

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
            confidence: Default::default(),
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

    #[test]
    fn only_an_unflagged_registration_within_its_dates_confirms_itself() {
        let on = StayPolicy {
            auto_confirm: true,
            ..StayPolicy::default()
        };
        let (to, expires) = (date!(2027 - 01 - 01), date!(2030 - 01 - 01));
        assert!(confirms_itself(&on, &[], to, expires, TODAY));
        assert!(!confirms_itself(
            &StayPolicy::default(),
            &[],
            to,
            expires,
            TODAY
        ));
        assert!(!confirms_itself(
            &on,
            &[Flag::of(Code::MrzCheckFailed)],
            to,
            expires,
            TODAY
        ));
        assert!(!confirms_itself(
            &on,
            &[],
            date!(2026 - 11 - 22),
            expires,
            TODAY
        ));
    }

    #[test]
    fn periods_sharing_a_day_overlap() {
        let a = (date!(2026 - 01 - 01), date!(2026 - 01 - 31));
        assert!(overlaps(a, (date!(2026 - 01 - 31), date!(2026 - 02 - 10))));
        assert!(overlaps(a, (date!(2025 - 12 - 01), date!(2026 - 03 - 01))));
        assert!(!overlaps(a, (date!(2026 - 02 - 01), date!(2026 - 02 - 10))));
    }

    #[test]
    fn numbers_have_their_length_and_parse_back() {
        let number = application_number();
        assert_eq!(parse_application_number(&number), Some(number.clone()));
        assert_ne!(number.as_bytes()[0], b'0');
        let reg = registration_number();
        assert_eq!(parse_registration_number(&reg), Some(reg.clone()));
        assert_eq!(parse_application_number("12345"), None);
        assert_eq!(parse_registration_number("5993020707734x"), None);
    }
}
