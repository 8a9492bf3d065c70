use serde_json::json;
use time::macros::date;

use super::*;

const TODAY: Date = date!(2026 - 12 - 07);

fn form() -> PermitForm {
    serde_json::from_value(json!({
        "document_country": "chn", "document_number": "EA 0000001",
        "birth_country": "CHN", "document_issued": "2021-03-15",
        "education": "higher", "marital_status": "married",
        "place_of_stay": "Bishkek", "position": "Welder", "work_region": "osh_city",
        "relatives": [{"surname": "WANG", "given_names": "MEI", "birth_date": "2015-06-01", "kinship": "child"}],
        "registration_number": "41000000000001",
        "photo": format!("upl_{}", "a".repeat(32)),
        "passport_page_1": format!("upl_{}", "b".repeat(32)),
        "hiv_certificate": format!("upl_{}", "c".repeat(32)),
    }))
    .unwrap()
}

#[test]
fn a_valid_form_names_its_passport_details_and_documents() {
    let (passport, details, NamedDocuments(named)) = form().parse(TODAY).unwrap();
    assert_eq!(passport.country.as_ref(), "CHN");
    assert_eq!(passport.number.as_ref(), "EA0000001");
    assert_eq!(details.work_region, Region::OshCity);
    assert_eq!(details.relatives[0].kinship, Kinship::Child);
    let slots: Vec<&str> = named.iter().map(|(slot, _, _)| *slot).collect();
    assert_eq!(slots, ["photo", "passport_page_1", "hiv_certificate"]);
    assert_eq!(Region::OshCity.label(crate::Lang::Ru), "г. Ош");
}

#[test]
fn every_broken_field_is_named_at_once() {
    let mut broken = form();
    broken.document_number = Some("??".into());
    broken.education = Some("doctorate".into());
    broken.registration_number = Some("123".into());
    broken.hiv_certificate = None;
    broken.relatives[0].birth_date = Some("2030-01-01".into());
    broken.document_issued = Some("2027-01-01".into());
    let Err(DomainError::Invalid(errors)) = broken.parse(TODAY) else {
        panic!("refused")
    };
    let mut fields: Vec<(String, Code)> = errors.into_iter().map(|e| (e.field, e.code)).collect();
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        fields,
        [
            ("document_issued".into(), Code::InvalidIssueDate),
            ("document_number".into(), Code::InvalidDocumentNumber),
            ("education".into(), Code::InvalidValue),
            ("hiv_certificate".into(), Code::Required),
            ("registration_number".into(), Code::InvalidValue),
            ("relatives[0].birth_date".into(), Code::BirthDateNotInPast),
        ]
    );
}

#[test]
fn the_archive_columns_filter_by_part_of_a_text_and_by_choice() {
    let (_, details, _) = form().parse(TODAY).unwrap();
    let request = PermitRequest {
        holder: holder(),
        visa: None,
        details,
        place: PlaceRef {
            quota: "Q-00000001".into(),
            row: 0,
        },
    };
    let matches = |columns: PermitColumns| columns.matches(&request);
    assert!(matches(PermitColumns::default()));
    assert!(matches(PermitColumns {
        surname: Some("wan".into()),
        passport_number: Some("0001".into()),
        education: Some(Education::Higher),
        relatives: Some(true),
        birth_date: Some(date!(1990 - 01 - 01)),
        ..PermitColumns::default()
    }));
    assert!(!matches(PermitColumns {
        marital_status: Some(MaritalStatus::Single),
        ..PermitColumns::default()
    }));
    assert!(!matches(PermitColumns {
        relatives: Some(false),
        ..PermitColumns::default()
    }));
    assert!(!matches(PermitColumns {
        place_of_stay: Some("Osh".into()),
        ..PermitColumns::default()
    }));
}

fn holder() -> Holder {
    Holder {
        document_country: CountryCode::parse("CHN").unwrap(),
        document_number: DocumentNumber::parse("EA0000001").unwrap(),
        nationality: Country::parse("CHN").unwrap(),
        surname: "WANG".into(),
        given_names: "LEI".into(),
        patronymic: None,
        birth_date: date!(1990 - 01 - 01),
        sex: Sex::Male,
        document_type: "ORDINARY PASSPORT".into(),
        document_valid_until: date!(2030 - 01 - 01),
        last_entry: None,
        last_exit: None,
    }
}

#[test]
fn a_permit_runs_a_year_less_a_day_unless_the_passport_ends_first() {
    let (_, details, _) = form().parse(TODAY).unwrap();
    let mut request = PermitRequest {
        holder: holder(),
        visa: None,
        details,
        place: PlaceRef {
            quota: "Q-00000001".into(),
            row: 0,
        },
    };
    let default = GrantForm::default().parse(&request, TODAY).unwrap();
    assert_eq!(
        (default.valid_from, default.valid_until),
        (TODAY, date!(2027 - 12 - 06))
    );
    request.holder.document_valid_until = date!(2027 - 06 - 30);
    let default = GrantForm::default().parse(&request, TODAY).unwrap();
    assert_eq!(default.valid_until, date!(2027 - 06 - 30));
    for beyond in ["2027-07-01", "2026-12-07"] {
        let asked = GrantForm {
            valid_until: Some(beyond.into()),
        };
        assert!(asked.parse(&request, TODAY).is_err(), "{beyond}");
    }
    let shorter = GrantForm {
        valid_until: Some("2027-03-31".into()),
    };
    assert_eq!(
        shorter.parse(&request, TODAY).unwrap().valid_until,
        date!(2027 - 03 - 31)
    );
}

/// A permit granted from `from` to `until` for a passport valid until 2030.
fn granted(from: Date, until: Date) -> crate::ework::Application {
    let (_, details, _) = form().parse(TODAY).unwrap();
    let request = PermitRequest {
        holder: holder(),
        visa: None,
        details,
        place: PlaceRef {
            quota: "Q-00000001".into(),
            row: 0,
        },
    };
    crate::ework::Application::submitted(
        "P-00000001".into(),
        crate::account::AccountId::new(),
        "WANG LEI".into(),
        crate::ework::Request::Permit(Box::new(request)),
        Vec::new(),
        "2026-01-01T10:00:00Z",
    )
    .grant(
        Grant {
            valid_from: from,
            valid_until: until,
        },
        &crate::ework::Actor::System,
        "2026-01-02T10:00:00Z",
    )
    .unwrap()
}

#[test]
fn a_valid_permit_is_extended_within_a_year_of_its_end_and_keeps_its_start() {
    use crate::ework::{Actor, Status};
    let permit = granted(date!(2026 - 01 - 10), date!(2027 - 01 - 09));
    let now = "2026-12-07T10:00:00Z";
    for bad in [date!(2027 - 01 - 09), date!(2028 - 01 - 10)] {
        assert_eq!(
            permit.ask_extension(bad, TODAY, now).unwrap_err(),
            Code::InvalidExtension
        );
    }
    let asked = permit
        .ask_extension(date!(2027 - 12 - 31), TODAY, now)
        .unwrap();
    assert_eq!(asked.status, Status::ExtensionRequested);
    assert!(holds(&asked, TODAY), "valid while the operator decides");
    assert_eq!(
        asked
            .ask_extension(date!(2027 - 06 - 30), TODAY, now)
            .unwrap_err(),
        Code::PermitNotExtendable
    );
    assert_eq!(
        asked
            .extend(Some(date!(2028 - 01 - 01)), &Actor::System, now)
            .unwrap_err(),
        Code::InvalidExtension
    );
    let extended = asked.extend(None, &Actor::System, now).unwrap();
    assert_eq!(extended.status, Status::Confirmed);
    let grant = extended.granted().unwrap();
    assert_eq!(
        (grant.valid_from, grant.valid_until),
        (date!(2026 - 01 - 10), date!(2027 - 12 - 31))
    );
    assert_eq!(extended.version, permit.version + 2);
    let refused = asked
        .refuse_extension("No contract".into(), &Actor::System, now)
        .unwrap();
    assert_eq!(refused.granted(), permit.granted());
    assert_eq!(
        refused.extension.unwrap().refusal.as_deref(),
        Some("No contract")
    );
}

#[test]
fn an_ended_permit_cannot_be_extended_and_a_revoked_one_holds_no_more() {
    use crate::ework::{Actor, Status};
    let now = "2026-12-07T10:00:00Z";
    let ended = granted(date!(2025 - 12 - 01), date!(2026 - 11 - 30));
    assert_eq!(
        ended
            .ask_extension(date!(2027 - 03 - 01), TODAY, now)
            .unwrap_err(),
        Code::PermitNotExtendable
    );
    let permit = granted(date!(2026 - 01 - 10), date!(2027 - 01 - 09));
    assert_eq!(
        permit.extend(None, &Actor::System, now).unwrap_err(),
        Code::ExtensionNotRequested
    );
    let revoked = permit
        .revoke("Forged diploma".into(), &Actor::System, now)
        .unwrap();
    assert_eq!(revoked.status, Status::Revoked);
    assert_eq!(revoked.revocation_reason.as_deref(), Some("Forged diploma"));
    assert!(!holds(&revoked, TODAY));
    assert_eq!(
        revoked
            .revoke("again".into(), &Actor::System, now)
            .unwrap_err(),
        Code::NotRevocable
    );
}
