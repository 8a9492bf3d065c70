use domain::account::AccountId;
use domain::account::values::{CountryCode, DocumentNumber, Sex};
use domain::clock::{now_rfc3339, today_in_bishkek};
use domain::country::Country;
use domain::ework::permit::{Education, MaritalStatus, Region};
use domain::ework::quota::{AllocationForm, QuotaForm};
use domain::ework::{Actor, Application, FeePolicy, MessageBody, PlaceRef, Request, Status};
use domain::notification::Template;
use domain::ports::Contact;
use domain::stay::{Place as Housing, Stay, StayForm, StayPolicy, StayStatus};
use domain::{EmailAddress, Lang, PhoneNumber};
use serde_json::json;
use time::Duration;

use super::*;
use crate::ework::{ApplicationLifecycle, Decision, PermitDecision};
use crate::memory::contacts::{MemoryContacts, MemoryNotifier};
use crate::memory::documents::MemoryDocuments;
use crate::memory::ework::{MemoryApplications, MemoryBorder};
use crate::memory::stays::MemoryStays;

type Lifecycle = ApplicationLifecycle<
    MemoryApplications,
    MemoryApplications,
    MemoryDocuments,
    MemoryContacts,
    MemoryNotifier,
>;

struct World {
    lifecycle: Lifecycle,
    permits:
        WorkPermits<MemoryApplications, MemoryBorder, MemoryBorder, MemoryStays, MemoryNotifier>,
    notifier: MemoryNotifier,
    applications: MemoryApplications,
    stays: MemoryStays,
    employer: AccountId,
}

const PASSPORTS: [&str; 3] = ["E10000001", "E10000002", "E10000003"];

fn holder(number: &str) -> Holder {
    let today = today_in_bishkek();
    Holder {
        document_country: CountryCode::parse("CHN").unwrap(),
        document_number: DocumentNumber::parse(number).unwrap(),
        nationality: Country::parse("CHN").unwrap(),
        surname: "WANG".into(),
        given_names: "LEI".into(),
        patronymic: None,
        birth_date: time::macros::date!(1990 - 04 - 01),
        sex: Sex::Male,
        document_type: "ORDINARY PASSPORT".into(),
        document_valid_until: today + Duration::days(2000),
        last_entry: Some(today - Duration::days(5)),
        last_exit: None,
    }
}

fn world() -> World {
    let applications = MemoryApplications::default();
    let (contacts, notifier) = (MemoryContacts::default(), MemoryNotifier::default());
    let employer = AccountId::new();
    contacts.insert(
        employer.clone(),
        Contact {
            email: EmailAddress::parse("hr@stroi.kg").unwrap(),
            phone: PhoneNumber::parse("+996700123456").unwrap(),
            lang: Lang::En,
        },
    );
    let today = today_in_bishkek();
    let border = MemoryBorder {
        holders: PASSPORTS.iter().map(|n| holder(n)).collect(),
        visas: PASSPORTS
            .iter()
            .map(|n| {
                let visa = Visa {
                    number: format!("W{n}"),
                    visa_type: "W1".into(),
                    multiple: true,
                    valid_from: today - Duration::days(10),
                    valid_to: today + Duration::days(300),
                };
                (holder(n).key(), visa)
            })
            .collect(),
    };
    let stays = MemoryStays::default();
    World {
        lifecycle: ApplicationLifecycle::new(
            applications.clone(),
            applications.clone(),
            MemoryDocuments::default(),
            contacts,
            notifier.clone(),
            FeePolicy::default(),
        ),
        permits: WorkPermits::new(
            applications.clone(),
            border.clone(),
            border,
            stays.clone(),
            notifier.clone(),
            PermitPolicy::default(),
        ),
        notifier,
        applications,
        stays,
        employer,
    }
}

fn actor(id: &AccountId, role: &str) -> Actor {
    Actor::Account {
        id: id.clone(),
        role: role.into(),
    }
}

/// A paid allocation of `places` Chinese welders: the quota's number.
async fn paid_allocation(world: &World, places: u32) -> String {
    let form: QuotaForm = serde_json::from_value(json!({
        "total": 9, "rows": [{"country": "CHN", "position": "Welder", "count": 9}],
        "reasons": "r", "tax_payments": {"none_reason": "new"},
        "social_fund_payments": {"none_reason": "new"}, "appeal": "a",
        "local_staff_total": 9, "local_managers": 1, "local_workers": 8, "vacancies": 0,
        "earlier_applications": 0, "foreign_workers_two_years_ago": 0,
        "foreign_workers_last_year": 0
    }))
    .unwrap();
    let (request, _) = form.parse(today_in_bishkek()).unwrap();
    let employer = actor(&world.employer, "employer");
    let quota = world
        .lifecycle
        .submit(
            &employer,
            &world.employer,
            "Stroi".into(),
            Request::Quota(request.clone()),
            Vec::new(),
        )
        .await
        .unwrap();
    let allocation = AllocationForm {
        protocol_number: Some("5/2026".into()),
        decision_date: Some(today_in_bishkek().to_string()),
        allocated: vec![json!(places)],
    }
    .parse(&request, today_in_bishkek())
    .unwrap();
    let operator = actor(&AccountId::new(), "labour_operator");
    let confirmed = world
        .lifecycle
        .decide(&quota.number, &operator, Decision::Confirm(allocation))
        .await
        .unwrap();
    let fee = confirmed.fee.unwrap().amount;
    world
        .lifecycle
        .record_fee(&quota.number, &fee)
        .await
        .unwrap();
    quota.number
}

/// A valid stay registration of passport `number`: its registration number.
fn valid_talon(world: &World, number: &str) -> String {
    let today = today_in_bishkek();
    let day = |d: i64| Some((today + Duration::days(d)).to_string());
    let form = StayForm {
        housing_code: Some("1-04-03-0178-9183-097".into()),
        passport_scan: Some(format!("upl_{}", "a".repeat(32))),
        photo: Some(format!("upl_{}", "b".repeat(32))),
        surname: Some("Wang".into()),
        given_names: Some("Lei".into()),
        birth_date: Some("1990-04-01".into()),
        sex: Some("M".into()),
        nationality: Some("CHN".into()),
        document_country: Some("CHN".into()),
        document_number: Some(number.into()),
        document_issued: Some("2021-05-17".into()),
        document_expires: day(5 * 365),
        entry_date: day(-5),
        phone: Some("996700123456".into()),
        email: Some("guest@example.com".into()),
        stay_from: day(0),
        stay_to: day(60),
        purpose: Some("work".into()),
        ..StayForm::default()
    };
    let request = form.parse(today, &StayPolicy::default()).unwrap();
    let housing = Housing {
        housing_code: "1-04-03-0178-9183-097".into(),
        city: "Бишкек".into(),
        address: "г. Бишкек, ул. Исанова, 16".into(),
    };
    let mut stay = Stay::submitted(
        format!("9{}", &number[1..]),
        AccountId::new(),
        request,
        housing,
        Vec::new(),
        &now_rfc3339(),
    );
    let talon = format!("41{:012}", number[1..].parse::<u64>().unwrap());
    stay.status = StayStatus::Valid;
    stay.registration_number = Some(talon.clone());
    world.stays.insert(stay);
    talon
}

fn details(talon: &str) -> PermitDetails {
    PermitDetails {
        birth_country: Country::parse("CHN").unwrap(),
        document_issued: time::macros::date!(2021 - 05 - 17),
        education: Education::Higher,
        marital_status: MaritalStatus::Married,
        place_of_stay: "Bishkek".into(),
        position: "WELDER".into(),
        work_region: Region::Bishkek,
        highly_qualified: true,
        notes: None,
        relatives: Vec::new(),
        registration_number: talon.into(),
    }
}

fn passport(number: &str) -> Passport {
    Passport {
        country: CountryCode::parse("CHN").unwrap(),
        number: DocumentNumber::parse(number).unwrap(),
    }
}

/// A submitted permit application for passport `number`.
async fn submitted_permit(world: &World, number: &str) -> Application {
    let talon = valid_talon(world, number);
    let request = world
        .permits
        .request(&world.employer, &passport(number), details(&talon))
        .await
        .unwrap();
    world
        .lifecycle
        .submit(
            &actor(&world.employer, "employer"),
            &world.employer,
            request.holder.full_name(),
            Request::Permit(Box::new(request)),
            Vec::new(),
        )
        .await
        .unwrap()
}

fn field_codes(err: ApplicationError) -> Vec<(String, Code)> {
    match err {
        ApplicationError::Ineligible(fields) => {
            fields.into_iter().map(|f| (f.field, f.code)).collect()
        }
        other => panic!("not a refusal by the lookups: {other:?}"),
    }
}

#[tokio::test]
async fn a_form_becomes_a_request_only_with_a_valid_talon_of_the_same_passport() {
    let world = world();
    let quota = paid_allocation(&world, 2).await;
    let [first, second, _] = PASSPORTS;
    let talon = valid_talon(&world, second);
    let of_another = world
        .permits
        .request(&world.employer, &passport(first), details(&talon))
        .await
        .unwrap_err();
    assert_eq!(
        field_codes(of_another),
        [("registration_number".into(), Code::TalonOfAnotherPassport)]
    );
    let unknown = world
        .permits
        .request(&world.employer, &passport(first), details("00000000000000"))
        .await
        .unwrap_err();
    assert_eq!(
        field_codes(unknown),
        [("registration_number".into(), Code::TalonNotValid)]
    );
    let request = world
        .permits
        .request(&world.employer, &passport(second), details(&talon))
        .await
        .unwrap();
    assert_eq!(request.place, PlaceRef { quota, row: 0 });
    assert_eq!(
        request.visa.as_ref().map(|v| v.visa_type.as_str()),
        Some("W1")
    );
    assert_eq!(request.holder.key(), "CHN#E10000002");
}

#[tokio::test]
async fn each_grant_takes_a_place_and_one_after_the_last_exhausts_its_application() {
    let world = world();
    paid_allocation(&world, 2).await;
    let mut permits = Vec::new();
    for number in PASSPORTS {
        permits.push(submitted_permit(&world, number).await);
    }
    let operator = actor(&AccountId::new(), "labour_operator");
    let today = today_in_bishkek();
    let grant = || {
        PermitDecision::Grant(domain::ework::Grant {
            valid_from: today,
            valid_until: today + Duration::days(300),
        })
    };
    for permit in &permits[..2] {
        let granted = world
            .lifecycle
            .decide_permit(&permit.number, &operator, grant())
            .await
            .unwrap();
        assert_eq!(granted.status, Status::Confirmed);
    }
    let third = world
        .lifecycle
        .decide_permit(&permits[2].number, &operator, grant())
        .await
        .unwrap_err();
    assert!(matches!(
        third,
        ApplicationError::Refused(Code::AllocationExhausted)
    ));
    let exhausted = world.applications.get(&permits[2].number).unwrap();
    assert_eq!(exhausted.status, Status::Exhausted);
    let last = world.applications.messages().pop().unwrap();
    assert!(matches!(
        last.body,
        MessageBody::StatusChanged {
            status: Status::Exhausted,
            ..
        }
    ));
    // No place is left for the next foreigner.
    let places = world.applications.places_of(&world.employer).await.unwrap();
    assert_eq!(places[0].free, 0);
}

#[tokio::test]
async fn an_extension_asked_is_granted_then_the_permit_is_revoked_and_the_employer_reads_each() {
    let world = world();
    paid_allocation(&world, 1).await;
    let permit = submitted_permit(&world, PASSPORTS[0]).await;
    let operator = actor(&AccountId::new(), "labour_operator");
    let today = today_in_bishkek();
    let grant = domain::ework::Grant {
        valid_from: today,
        valid_until: today + Duration::days(100),
    };
    let number = &permit.number;
    world
        .lifecycle
        .decide_permit(number, &operator, PermitDecision::Grant(grant))
        .await
        .unwrap();
    let employer = actor(&world.employer, "employer");
    let until = today + Duration::days(300);
    let asked = world
        .lifecycle
        .ask_extension(number, &employer, &world.employer, until)
        .await
        .unwrap();
    assert_eq!(asked.status, Status::ExtensionRequested);
    let stranger = AccountId::new();
    let theirs = world
        .lifecycle
        .ask_extension(number, &actor(&stranger, "employer"), &stranger, until)
        .await
        .unwrap_err();
    assert!(matches!(
        theirs,
        ApplicationError::Refused(Code::ApplicationNotFound)
    ));
    let extended = world
        .lifecycle
        .decide_permit(number, &operator, PermitDecision::Extend(None))
        .await
        .unwrap();
    assert_eq!(extended.granted().unwrap().valid_until, until);
    // The foreigner hears of it at their registration's contacts, and of nothing else.
    world.permits.tell_holder(&extended, "Stroi").await.unwrap();
    world.permits.tell_holder(&asked, "Stroi").await.unwrap();
    let told: Vec<_> = world
        .notifier
        .sent()
        .into_iter()
        .filter(|s| matches!(s.template, Template::PermitChanged { .. }))
        .collect();
    assert_eq!(told.len(), 1);
    assert_eq!(
        told[0].to.email.as_ref().map(|e| e.as_ref()),
        Some("guest@example.com")
    );
    let revoked = world
        .lifecycle
        .decide_permit(number, &operator, PermitDecision::Revoke("Forged".into()))
        .await
        .unwrap();
    assert_eq!(revoked.status, Status::Revoked);
    let texts: Vec<String> = world
        .applications
        .messages()
        .iter()
        .map(|m| m.body.render(Lang::En))
        .collect();
    let last = &texts[texts.len() - 3..];
    assert!(last[0].contains("is sent for extension"), "{last:?}");
    assert!(
        last[1].contains(&format!("extended until {until}")),
        "{last:?}"
    );
    assert!(
        last[2].contains("is revoked") && last[2].contains("Forged"),
        "{last:?}"
    );
}
