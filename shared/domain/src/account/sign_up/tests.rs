//! The registration form's rules, one test per rule.

use time::macros::date;

use super::*;

const TODAY: Date = date!(2026 - 11 - 23);

fn form(json: serde_json::Value) -> RegistrationForm {
    serde_json::from_value(json).unwrap()
}

fn host_citizen() -> serde_json::Value {
    serde_json::json!({
        "type": "host_citizen", "consent": true, "challenge_id": "chl_x", "challenge_answer": "AB3CD",
        "email": "Host@Mail.KG", "phone": "996700123456",
        "password": "Tash-Rabat#1994", "password_repeat": "Tash-Rabat#1994",
        "surname": "asanov", "given_names": "aibek",
        "birth_date": "1990-05-15", "sex": "M", "document_country": "KGZ",
        "document_number": "AC1234567", "document_issued": "2020-01-10", "document_expires": "2030-01-09",
        "personal_number": "21505199012345",
        "draft_token": "drf_x", "passport_scan": "upl_0123456789abcdef0123456789abcde1", "photo": "upl_0123456789abcdef0123456789abcde2"
    })
}

fn codes(err: DomainError) -> Vec<(String, Code)> {
    match err {
        DomainError::Invalid(fields) => fields.into_iter().map(|f| (f.field, f.code)).collect(),
        other => panic!("not a field error: {other:?}"),
    }
}

#[test]
fn a_host_citizen_registers_by_email() {
    let registration = form(host_citizen()).parse(TODAY, Lang::Ru).unwrap();
    assert_eq!(registration.kind, AccountType::HostCitizen);
    assert_eq!(registration.sign_in.key(), "email:host@mail.kg");
    assert_eq!(registration.lang, Lang::Ru);
    let Profile::Host {
        identity,
        personal_number,
        ..
    } = registration.profile
    else {
        panic!()
    };
    assert_eq!(identity.surname.as_ref(), "ASANOV");
    assert!(personal_number.is_some());
}

#[test]
fn a_host_citizen_may_leave_out_the_personal_number() {
    let mut json = host_citizen();
    json.as_object_mut().unwrap().remove("personal_number");
    let registration = form(json).parse(TODAY, Lang::En).unwrap();
    let Profile::Host {
        personal_number, ..
    } = registration.profile
    else {
        panic!()
    };
    assert_eq!(personal_number, None);
}

#[test]
fn every_broken_field_is_reported_at_once() {
    let mut json = host_citizen();
    json["email"] = "nope".into();
    json["phone"] = "+79123456789".into();
    json["surname"] = "Асанов".into();
    json["birth_date"] = "2030-01-01".into();
    json["document_expires"] = "2019-01-01".into();
    json["personal_number"] = "21606199012345".into();
    json["consent"] = false.into();
    let errors = codes(form(json).parse(TODAY, Lang::En).unwrap_err());
    for expected in [
        ("email", Code::InvalidEmail),
        ("phone", Code::InvalidKyrgyzMobile),
        ("surname", Code::InvalidLatinName),
        ("birth_date", Code::BirthDateNotInPast),
        ("document_expires", Code::ExpiryBeforeIssue),
        ("consent", Code::ConsentRequired),
    ] {
        assert!(
            errors.contains(&(expected.0.to_owned(), expected.1)),
            "{expected:?} not in {errors:?}"
        );
    }
}

#[test]
fn the_personal_number_must_carry_the_birth_date() {
    let mut json = host_citizen();
    json["personal_number"] = "21606199112345".into();
    let errors = codes(form(json).parse(TODAY, Lang::En).unwrap_err());
    assert_eq!(
        errors,
        vec![("personal_number".to_owned(), Code::PersonalNumberMismatch)]
    );
}

#[test]
fn an_expired_passport_and_a_foreign_citizen_host_are_refused() {
    let mut json = host_citizen();
    json["document_expires"] = "2025-01-09".into();
    json["document_country"] = "RUS".into();
    let errors = codes(form(json).parse(TODAY, Lang::En).unwrap_err());
    assert!(errors.contains(&("document_expires".to_owned(), Code::DocumentExpired)));
    assert!(errors.contains(&(
        "document_country".to_owned(),
        Code::CitizenNeedsKyrgyzPassport
    )));
}

#[test]
fn a_legal_entity_cannot_self_register_and_unknown_types_are_named() {
    let mut json = host_citizen();
    json["type"] = "host_legal_entity".into();
    assert!(
        codes(form(json.clone()).parse(TODAY, Lang::En).unwrap_err())
            .contains(&("type".into(), Code::NotSelfRegistered))
    );
    json["type"] = "astronaut".into();
    assert!(
        codes(form(json).parse(TODAY, Lang::En).unwrap_err())
            .contains(&("type".into(), Code::InvalidAccountType))
    );
}

#[test]
fn an_employer_registers_by_login_with_its_phones() {
    let json = serde_json::json!({
        "type": "employer", "consent": true, "challenge_id": "chl_x", "challenge_answer": "AB3CD",
        "email": "hr@alatoo.kg", "login": "AlaToo2026",
        "password": "Kok-Jar7ly!", "password_repeat": "Kok-Jar7ly!",
        "representative_surname": "Асанова", "representative_name": "Айгерим",
        "legal_name": "ОсОО «Ала-Тоо Курулуш»", "registration_number": "123456-3301-OOO",
        "tax_id": "01234567891234", "founders": "Asanova A.", "activity": "Construction",
        "legal_address": "158 Toktogul Street, Bishkek", "actual_address": "158 Toktogul Street, Bishkek",
        "latitude": 42.872046, "longitude": 74.62243, "phones": ["+996312123456", "+996700123456"],
        "staff_list": "upl_0123456789abcdef0123456789abcde1", "registration_certificate": "upl_0123456789abcdef0123456789abcde2"
    });
    let registration = form(json).parse(TODAY, Lang::Ky).unwrap();
    assert_eq!(registration.sign_in.key(), "login:alatoo2026");
    assert_eq!(registration.phone.as_ref(), "+996312123456");
}

#[test]
fn a_nomad_gives_a_patronymic_as_in_the_passport_and_an_e_work_login() {
    let json = serde_json::json!({
        "type": "digital_nomad", "consent": true, "challenge_id": "chl_x", "challenge_answer": "AB3CD",
        "email": "nomad@example.de", "login": "nomad01", "phone": "+4915112345678",
        "password": "Kok-Jar7ly!", "password_repeat": "Kok-Jar7ly!",
        "surname": "IVANOVA", "given_names": "ANNA", "patronymic": "SERGEEVNA",
        "birth_date": "1992-03-01", "sex": "F", "document_country": "D", "document_type": "ordinary_passport",
        "document_number": "C01X00T47", "document_issued": "2021-01-01", "document_expires": "2031-01-01",
        "photo": "upl_0123456789abcdef0123456789abcde1", "passport_page1": "upl_0123456789abcdef0123456789abcde2", "passport_page2": "upl_0123456789abcdef0123456789abcde3"
    });
    let registration = form(json.clone()).parse(TODAY, Lang::En).unwrap();
    assert_eq!(registration.sign_in.key(), "login:nomad01");
    let Profile::DigitalNomad { identity, .. } = &registration.profile else {
        panic!("a nomad's profile")
    };
    assert_eq!(
        identity.patronymic.as_ref().map(|p| p.as_ref()),
        Some("SERGEEVNA")
    );
    let mut without = json;
    without["patronymic"] = serde_json::Value::Null;
    assert!(form(without).parse(TODAY, Lang::En).is_ok(), "optional");
}

#[test]
fn a_host_writes_no_patronymic_as_the_ereg_manual_says() {
    let mut json = host_citizen();
    json["patronymic"] = "bakytovich".into();
    let errors = codes(form(json).parse(TODAY, Lang::En).unwrap_err());
    assert_eq!(errors, vec![("patronymic".to_owned(), Code::NotExpected)]);
}

#[test]
fn unknown_fields_are_refused() {
    let mut json = host_citizen();
    json["is_admin"] = true.into();
    assert!(serde_json::from_value::<RegistrationForm>(json).is_err());
}

#[test]
fn each_type_names_the_documents_its_portal_requires() {
    let mut host = host_citizen();
    for field in ["passport_scan", "photo"] {
        host.as_object_mut().unwrap().remove(field);
    }
    assert_eq!(
        codes(form(host).parse(TODAY, Lang::En).unwrap_err()),
        vec![
            ("passport_scan".to_owned(), Code::Required),
            ("photo".to_owned(), Code::Required)
        ]
    );
    let employer = serde_json::json!({
        "type": "employer", "consent": true, "challenge_id": "chl_x", "challenge_answer": "AB3CD",
        "email": "hr@alatoo.kg", "login": "AlaToo2026",
        "password": "Kok-Jar7ly!", "password_repeat": "Kok-Jar7ly!",
        "representative_surname": "Asanova", "representative_name": "Aigerim",
        "legal_name": "Ala-Too Kurulush", "registration_number": "123456-3301-OOO",
        "tax_id": "01234567891234", "founders": "Asanova A.", "activity": "Mining",
        "legal_address": "158 Toktogul Street", "actual_address": "158 Toktogul Street",
        "phones": ["+996312123456"], "licensed_activity": true
    });
    assert_eq!(
        codes(form(employer.clone()).parse(TODAY, Lang::En).unwrap_err()),
        ["staff_list", "registration_certificate", "licence"]
            .map(|f| (f.to_owned(), Code::Required))
            .to_vec()
    );
    // An activity that needs no licence needs no licence attached.
    let mut unlicensed = employer;
    unlicensed["licensed_activity"] = false.into();
    unlicensed["staff_list"] = "upl_0123456789abcdef0123456789abcde1".into();
    unlicensed["registration_certificate"] = "upl_0123456789abcdef0123456789abcde2".into();
    let Profile::Employer {
        licence,
        licensed_activity,
        ..
    } = form(unlicensed).parse(TODAY, Lang::En).unwrap().profile
    else {
        panic!("an employer's profile")
    };
    assert_eq!((licence, licensed_activity), (None, false));
}
