//! Registration of a foreigner at the place of stay (ereg): the host's form parsed into
//! typed values under the rules a host expects, the statuses a registration moves
//! through, the flags that send it to an operator, and the numbers it carries.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::payment::Amount;

mod archive;
mod flags;
mod form;
mod lifecycle;
#[cfg(test)]
mod samples;
mod timeliness;
mod view;

pub use archive::ArchiveFilter;
pub use flags::{Flag, review_flags};
pub use form::{Guest, Purpose, StayForm, StayRequest};
pub use lifecycle::{Action, Actor, Change, PaymentOutcome, Place, Stay};
pub use timeliness::{Timeliness, timeliness};
pub use view::{Fee, FlagView, GuestView, HousingView, RegistrationView};

/// The registration fee: 103.00 KGS, in tyiyn.
pub const FEE_MINOR: u64 = 10_300;
/// The currency of every fee.
pub const CURRENCY: &str = "KGS";

/// The registration fee: 103.00 KGS.
pub fn fee() -> Amount {
    Amount::new(FEE_MINOR, CURRENCY)
}

/// The rules the law leaves to configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StayPolicy {
    /// How many days before today a registration may start (`EREG_MAX_BACKDATE_DAYS`).
    pub max_backdate_days: u32,
    /// Whether a paid registration with nothing flagged is confirmed by the system
    /// (`EREG_AUTO_CONFIRM`); off by default.
    pub auto_confirm: bool,
    /// The working days a paid registration is decided within one of.
    pub calendar: crate::calendar::WorkCalendar,
}

impl Default for StayPolicy {
    /// Foreigners register within five days of arrival; operators confirm by hand.
    fn default() -> Self {
        StayPolicy {
            max_backdate_days: 5,
            auto_confirm: false,
            calendar: crate::calendar::WorkCalendar::default(),
        }
    }
}

/// The variant of a snake_case enum whose serde name is `raw`.
fn by_name<T: serde::de::DeserializeOwned>(raw: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(raw.trim().to_owned())).ok()
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

    use super::samples::TODAY;
    use super::*;
    use crate::error::Code;

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
