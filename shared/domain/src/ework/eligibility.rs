//! Whether a work-permit application may go on (the seed's "search"), and if not, every
//! reason why: decided from what the border service and the visa registry say of the
//! foreigner, the employer's paid quota allocations and the foreigner's permits.
//!
//! Policy where the seeds are silent, chosen and configurable where it is policy:
//! - Citizens of the Kyrgyz Republic never need a permit. Citizens of the other EAEU
//!   states (Armenia, Belarus, Kazakhstan, Russia) work without one under the Treaty on
//!   the EAEU (art. 97); [`PermitPolicy::eaeu_needs_permit`] turns that off.
//! - Citizens of the states in [`VISA_FREE`] enter without a visa and need no work
//!   visa; everyone else needs a work visa (`W` category) valid today — or, for a
//!   foreign entrepreneur's own permit, a business visa (`B`) as well.
//! - An employee's permit needs a free place of the employer's paid quota allocation;
//!   an entrepreneur works on a patent and needs none.
//! - The passport must stay valid for [`PermitPolicy::passport_days_left`] days
//!   (default 180) from today.
//! - A foreigner holds one permit at a time: a valid permit, or an application under
//!   examination or in clarification, of any employer, stops a new one.

use time::{Date, Duration};

use super::permit::{Holder, Place, PlaceRef, Visa};
use super::{Application, Kind, Status};
use crate::country::Country;
use crate::error::Code;

/// The member states of the Eurasian Economic Union other than the Kyrgyz Republic.
pub const EAEU: &[&str] = &["ARM", "BLR", "KAZ", "RUS"];

/// States whose citizens enter the Kyrgyz Republic without a visa (the CIS states and
/// the visa-free list of the Law on the entry of foreigners; a local choice of the
/// most frequent ones, data rather than code to change).
pub const VISA_FREE: &[&str] = &[
    "ARM", "AZE", "BLR", "GEO", "KAZ", "MDA", "RUS", "TJK", "UKR", "UZB", "TUR", "USA", "CAN",
    "GBR", "DEU", "FRA", "ITA", "ESP", "NLD", "BEL", "AUT", "CHE", "SWE", "NOR", "FIN", "DNK",
    "POL", "CZE", "JPN", "KOR", "AUS", "NZL", "ARE", "MNG", "SGP", "MYS",
];

/// The rules of eligibility that are policy, not law.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitPolicy {
    /// Whether citizens of the other EAEU states need a permit (they do not by the
    /// Treaty).
    pub eaeu_needs_permit: bool,
    /// Days the passport must still be valid from the day of the search.
    pub passport_days_left: i64,
}

impl Default for PermitPolicy {
    fn default() -> Self {
        PermitPolicy {
            eaeu_needs_permit: false,
            passport_days_left: 180,
        }
    }
}

/// What eligibility is decided from.
#[derive(Debug, Clone, Copy)]
pub struct Standing<'a> {
    /// What the border service knows of the document, if anything.
    pub holder: Option<&'a Holder>,
    /// The visas the registry holds for the document.
    pub visas: &'a [Visa],
    /// The rows of the employer's paid allocations and their free places.
    pub places: &'a [Place],
    /// The foreigner's permit applications, of every employer.
    pub permits: &'a [Application],
    /// The position, once the form names it; the search alone asks for any place for
    /// the citizenship.
    pub position: Option<&'a str>,
    /// A foreign entrepreneur's own permit: no quota place is needed (they work on a
    /// patent), and a business visa does as well as a work visa.
    pub entrepreneur: bool,
}

/// The decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Eligibility {
    /// The application may go on, under `place` (none for an entrepreneur), with
    /// `visa` (when one is needed).
    Eligible {
        visa: Option<Visa>,
        place: Option<PlaceRef>,
    },
    /// It may not, for every one of these reasons.
    Ineligible(Vec<Code>),
}

/// Whether a permit application is still pending or the permit valid on `today`.
fn holds_permit(application: &Application, today: Date) -> bool {
    matches!(application.kind(), Kind::Permit | Kind::Entrepreneur)
        && (matches!(
            application.status,
            Status::Submitted | Status::InClarification
        ) || super::permit::holds(application, today))
}

/// Whether `standing` allows a work-permit application under `policy` on `today`.
pub fn eligibility(standing: &Standing, policy: &PermitPolicy, today: Date) -> Eligibility {
    let Some(holder) = standing.holder else {
        return Eligibility::Ineligible(vec![Code::HolderNotFound]);
    };
    let nationality = holder.nationality.as_ref();
    let eaeu = EAEU.contains(&nationality);
    if nationality == "KGZ" || (eaeu && !policy.eaeu_needs_permit) {
        return Eligibility::Ineligible(vec![Code::PermitNotRequired]);
    }
    let mut reasons = Vec::new();
    if !holder.in_country() {
        reasons.push(Code::NotInCountry);
    }
    let needs_visa = !eaeu && !VISA_FREE.contains(&nationality);
    let visa = standing
        .visas
        .iter()
        .filter(|v| (v.is_work() || (standing.entrepreneur && v.is_business())) && v.covers(today))
        .max_by_key(|v| v.valid_to)
        .cloned();
    if needs_visa && visa.is_none() {
        reasons.push(Code::NoWorkVisa);
    }
    if holder.document_valid_until < today + Duration::days(policy.passport_days_left) {
        reasons.push(Code::PassportExpiresSoon);
    }
    let place = standing
        .places
        .iter()
        .find(|p| p.free > 0 && p.fits(&holder.nationality, standing.position));
    if place.is_none() && !standing.entrepreneur {
        reasons.push(Code::NoFreeQuota);
    }
    if standing.permits.iter().any(|a| holds_permit(a, today)) {
        reasons.push(Code::AlreadyHoldsPermit);
    }
    if reasons.is_empty() {
        Eligibility::Eligible {
            visa: visa.filter(|_| needs_visa),
            place: place
                .filter(|_| !standing.entrepreneur)
                .map(|p| p.place.clone()),
        }
    } else {
        Eligibility::Ineligible(reasons)
    }
}

/// The form field a reason is about, for the field errors of a submission.
pub fn reason_field(reason: Code) -> &'static str {
    match reason {
        Code::PermitNotRequired => "document_country",
        Code::NoFreeQuota => "position",
        _ => "document_number",
    }
}

/// Whether `nationality` is that of a state whose citizens need a visa.
pub fn needs_visa(nationality: &Country) -> bool {
    let code = nationality.as_ref();
    !EAEU.contains(&code) && !VISA_FREE.contains(&code) && code != "KGZ"
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::account::AccountId;
    use crate::account::values::{CountryCode, DocumentNumber, Sex};
    use crate::ework::permit::{Education, MaritalStatus, PermitDetails, PermitRequest, Region};
    use crate::ework::{Actor, Grant, Request};

    const TODAY: Date = date!(2026 - 12 - 07);

    fn holder(nationality: &str) -> Holder {
        Holder {
            document_country: CountryCode::parse(nationality).unwrap(),
            document_number: DocumentNumber::parse("E12345678").unwrap(),
            nationality: Country::parse(nationality).unwrap(),
            surname: "WANG".into(),
            given_names: "LEI".into(),
            patronymic: None,
            birth_date: date!(1990 - 03 - 01),
            sex: Sex::Male,
            document_type: "ORDINARY PASSPORT".into(),
            document_valid_until: date!(2030 - 01 - 01),
            last_entry: Some(date!(2026 - 11 - 20)),
            last_exit: Some(date!(2026 - 05 - 01)),
        }
    }

    fn work_visa() -> Visa {
        Visa {
            number: "W0012345".into(),
            visa_type: "W1".into(),
            multiple: true,
            valid_from: date!(2026 - 11 - 01),
            valid_to: date!(2027 - 10 - 31),
        }
    }

    fn place(country: &str, free: u32) -> Place {
        Place {
            place: PlaceRef {
                quota: "Q-00000001".into(),
                row: 0,
            },
            country: Country::parse(country).unwrap(),
            position: "Welder".into(),
            free,
        }
    }

    fn permit(holder: &Holder) -> Application {
        let request = PermitRequest {
            holder: holder.clone(),
            visa: None,
            details: PermitDetails {
                birth_country: holder.nationality.clone(),
                document_issued: date!(2020 - 01 - 01),
                education: Education::Higher,
                marital_status: MaritalStatus::Married,
                place_of_stay: "Bishkek".into(),
                position: "Welder".into(),
                work_region: Region::Bishkek,
                highly_qualified: false,
                notes: None,
                relatives: Vec::new(),
                registration_number: "12345678901234".into(),
            },
            place: place("CHN", 1).place,
        };
        Application::submitted(
            "P-00000001".into(),
            AccountId::new(),
            holder.full_name(),
            Request::Permit(Box::new(request)),
            Vec::new(),
            "2026-12-01T10:00:00Z",
        )
    }

    fn decide(
        holder: Option<&Holder>,
        visas: &[Visa],
        places: &[Place],
        permits: &[Application],
    ) -> Eligibility {
        let standing = Standing {
            holder,
            visas,
            places,
            permits,
            position: Some("welder "),
            entrepreneur: false,
        };
        eligibility(&standing, &PermitPolicy::default(), TODAY)
    }

    fn reasons(eligibility: Eligibility) -> Vec<Code> {
        match eligibility {
            Eligibility::Ineligible(reasons) => reasons,
            Eligibility::Eligible { .. } => Vec::new(),
        }
    }

    #[test]
    fn a_foreigner_in_the_country_with_a_work_visa_and_a_free_place_may_go_on() {
        let chinese = holder("CHN");
        let decided = decide(Some(&chinese), &[work_visa()], &[place("CHN", 2)], &[]);
        assert_eq!(
            decided,
            Eligibility::Eligible {
                visa: Some(work_visa()),
                place: Some(place("CHN", 2).place),
            }
        );
    }

    #[test]
    fn a_document_the_border_service_does_not_know_is_said_so() {
        let decided = decide(None, &[work_visa()], &[place("CHN", 2)], &[]);
        assert_eq!(reasons(decided), [Code::HolderNotFound]);
    }

    #[test]
    fn eaeu_citizens_need_no_permit_unless_the_policy_says_so() {
        let kazakh = holder("KAZ");
        let places = [place("KAZ", 1)];
        let decided = decide(Some(&kazakh), &[], &places, &[]);
        assert_eq!(reasons(decided), [Code::PermitNotRequired]);
        let standing = Standing {
            holder: Some(&kazakh),
            visas: &[],
            places: &places,
            permits: &[],
            position: None,
            entrepreneur: false,
        };
        let policy = PermitPolicy {
            eaeu_needs_permit: true,
            ..PermitPolicy::default()
        };
        // A visa is not asked of an EAEU citizen even then.
        assert!(matches!(
            eligibility(&standing, &policy, TODAY),
            Eligibility::Eligible { visa: None, .. }
        ));
    }

    #[test]
    fn a_foreigner_who_never_entered_or_has_left_is_not_in_the_country() {
        let mut never = holder("CHN");
        never.last_entry = None;
        never.last_exit = None;
        let decided = decide(Some(&never), &[work_visa()], &[place("CHN", 1)], &[]);
        assert_eq!(reasons(decided), [Code::NotInCountry]);
        let mut left = holder("CHN");
        left.last_exit = Some(date!(2026 - 12 - 01));
        let decided = decide(Some(&left), &[work_visa()], &[place("CHN", 1)], &[]);
        assert_eq!(reasons(decided), [Code::NotInCountry]);
    }

    #[test]
    fn a_visa_national_needs_a_work_visa_valid_today_and_a_visa_free_one_does_not() {
        let tourist = Visa {
            visa_type: "T1".into(),
            ..work_visa()
        };
        let expired = Visa {
            valid_to: date!(2026 - 12 - 06),
            ..work_visa()
        };
        let chinese = holder("CHN");
        let decided = decide(Some(&chinese), &[tourist, expired], &[place("CHN", 1)], &[]);
        assert_eq!(reasons(decided), [Code::NoWorkVisa]);
        let turk = holder("TUR");
        assert!(matches!(
            decide(Some(&turk), &[], &[place("TUR", 1)], &[]),
            Eligibility::Eligible { visa: None, .. }
        ));
    }

    #[test]
    fn a_passport_ending_within_the_policys_days_expires_too_soon() {
        let mut soon = holder("CHN");
        soon.document_valid_until = TODAY + Duration::days(179);
        let decided = decide(Some(&soon), &[work_visa()], &[place("CHN", 1)], &[]);
        assert_eq!(reasons(decided), [Code::PassportExpiresSoon]);
        soon.document_valid_until = TODAY + Duration::days(180);
        let decided = decide(Some(&soon), &[work_visa()], &[place("CHN", 1)], &[]);
        assert!(matches!(decided, Eligibility::Eligible { .. }));
    }

    #[test]
    fn without_a_free_place_for_the_citizenship_and_position_there_is_no_quota() {
        let chinese = holder("CHN");
        let full = place("CHN", 0);
        let other_country = place("IND", 3);
        let other_position = Place {
            position: "Cook".into(),
            ..place("CHN", 3)
        };
        let decided = decide(
            Some(&chinese),
            &[work_visa()],
            &[full, other_country, other_position],
            &[],
        );
        assert_eq!(reasons(decided), [Code::NoFreeQuota]);
    }

    #[test]
    fn a_pending_application_or_a_valid_permit_stops_a_new_one_and_an_ended_one_does_not() {
        let chinese = holder("CHN");
        let pending = permit(&chinese);
        let decided = decide(
            Some(&chinese),
            &[work_visa()],
            &[place("CHN", 1)],
            std::slice::from_ref(&pending),
        );
        assert_eq!(reasons(decided), [Code::AlreadyHoldsPermit]);
        let grant = |valid_until| Grant {
            valid_from: date!(2026 - 01 - 10),
            valid_until,
        };
        let valid = pending
            .grant(
                grant(date!(2027 - 01 - 09)),
                &Actor::System,
                "2026-12-02T10:00:00Z",
            )
            .unwrap();
        let decided = decide(Some(&chinese), &[work_visa()], &[place("CHN", 1)], &[valid]);
        assert_eq!(reasons(decided), [Code::AlreadyHoldsPermit]);
        let ended = pending
            .grant(
                grant(date!(2026 - 12 - 06)),
                &Actor::System,
                "2026-12-02T10:00:00Z",
            )
            .unwrap();
        let decided = decide(Some(&chinese), &[work_visa()], &[place("CHN", 1)], &[ended]);
        assert!(matches!(decided, Eligibility::Eligible { .. }));
    }

    #[test]
    fn an_entrepreneur_needs_no_quota_place_and_a_business_visa_will_do() {
        let chinese = holder("CHN");
        let business = Visa {
            visa_type: "B1".into(),
            ..work_visa()
        };
        let visas = [business.clone()];
        let standing = Standing {
            holder: Some(&chinese),
            visas: &visas,
            places: &[],
            permits: &[],
            position: None,
            entrepreneur: true,
        };
        assert_eq!(
            eligibility(&standing, &PermitPolicy::default(), TODAY),
            Eligibility::Eligible {
                visa: Some(business),
                place: None
            }
        );
        let employee = Standing {
            entrepreneur: false,
            ..standing
        };
        assert_eq!(
            reasons(eligibility(&employee, &PermitPolicy::default(), TODAY)),
            [Code::NoWorkVisa, Code::NoFreeQuota]
        );
    }

    #[test]
    fn every_reason_is_given_at_once() {
        let mut everything = holder("CHN");
        everything.last_entry = None;
        everything.document_valid_until = TODAY;
        let pending = permit(&everything);
        let decided = decide(Some(&everything), &[], &[], &[pending]);
        assert_eq!(
            reasons(decided),
            [
                Code::NotInCountry,
                Code::NoWorkVisa,
                Code::PassportExpiresSoon,
                Code::NoFreeQuota,
                Code::AlreadyHoldsPermit,
            ]
        );
    }
}
