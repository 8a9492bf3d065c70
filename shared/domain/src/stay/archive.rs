//! What a host may filter their archive of registrations by.

use time::Date;

use super::{PaymentStatus, Stay, StayStatus};

/// What the archive may be filtered by; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveFilter {
    pub number: Option<String>,
    /// Submitted on or after / on or before (`YYYY-MM-DD`, UTC date of `created_at`).
    pub submitted_from: Option<String>,
    pub submitted_to: Option<String>,
    pub registration_number: Option<String>,
    /// Any part of the full name, case-insensitive.
    pub name: Option<String>,
    pub birth_date: Option<Date>,
    pub passport_country: Option<String>,
    pub passport_number: Option<String>,
    pub housing_code: Option<String>,
    /// Registrations whose period includes this day.
    pub on_date: Option<Date>,
    pub payment: Option<PaymentStatus>,
    pub status: Option<StayStatus>,
}

impl ArchiveFilter {
    /// Whether `r` passes every filter given.
    pub fn matches(&self, r: &Stay) -> bool {
        let eq = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        let day = &r.created_at[..r.created_at.len().min(10)];
        eq(&self.number, &r.number)
            && self
                .submitted_from
                .as_deref()
                .is_none_or(|from| day >= from)
            && self.submitted_to.as_deref().is_none_or(|to| day <= to)
            && self
                .registration_number
                .as_deref()
                .is_none_or(|n| r.registration_number.as_deref() == Some(n))
            && self
                .name
                .as_deref()
                .is_none_or(|n| r.guest_name.contains(&n.trim().to_uppercase()))
            && self.birth_date.is_none_or(|d| r.guest.birth_date == d)
            && eq(&self.passport_country, r.guest.document_country.as_ref())
            && eq(&self.passport_number, r.guest.document_number.as_ref())
            && eq(&self.housing_code, &r.housing_code)
            && self
                .on_date
                .is_none_or(|d| r.stay_from <= d && d <= r.stay_to)
            && self.payment.is_none_or(|p| r.payment == p)
            && self.status.is_none_or(|s| r.status == s)
    }
}

#[cfg(test)]
mod tests {
    use super::super::samples::stay;
    use super::*;

    #[test]
    fn a_registration_matches_every_filter_it_passes_and_no_other() {
        let stay = stay();
        assert!(ArchiveFilter::default().matches(&stay));
        let by = |filter: ArchiveFilter| filter.matches(&stay);
        assert!(by(ArchiveFilter {
            name: Some(" rustam".into()),
            on_date: Some(stay.stay_from),
            submitted_from: Some("2026-11-23".into()),
            status: Some(StayStatus::AwaitingPayment),
            ..ArchiveFilter::default()
        }));
        assert!(!by(ArchiveFilter {
            submitted_to: Some("2026-11-22".into()),
            ..ArchiveFilter::default()
        }));
        assert!(!by(ArchiveFilter {
            payment: Some(PaymentStatus::Paid),
            ..ArchiveFilter::default()
        }));
        assert!(!by(ArchiveFilter {
            registration_number: Some("59930207077341".into()),
            ..ArchiveFilter::default()
        }));
    }
}
