//! Work permits over HTTP: the employer's search says why each foreigner may not be
//! employed, a permit is applied for with a registration talon ereg confirms, worked
//! through clarification and approved, taking a place of the employer's paid quota
//! allocation; places are never over-issued.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn the_search_shows_the_border_and_visa_data_and_says_why_a_foreigner_may_not_be_employed() {
    let host = spawn_env().await;
    let labour = host.operator("labour_operator").await;
    let employer = host.active_employer(&labour).await;
    let token = &employer.token;
    // Before any paid allocation, nobody can be employed.
    assert_eq!(
        host.search_reasons(token, "CHN", "EA0000001").await,
        ["no_free_quota"]
    );
    host.paid_allocation(&labour, &employer, [3, 2, 2, 2]).await;

    let wang = host
        .search_foreigner(token, "chn", "EA 0000001", "ru")
        .await;
    assert_eq!(wang["eligible"], true, "{wang}");
    assert_eq!(wang["holder"]["surname"], "WANG");
    assert_eq!(wang["holder"]["document_type"], "ORDINARY PASSPORT");
    assert_eq!(wang["visas"][0]["type_label"], "W1 Трудовая");
    assert_eq!(wang["visas"][0]["multiplicity_label"], "Многократная");
    let yilmaz = host.search_foreigner(token, "TUR", "U0000008", "en").await;
    assert_eq!(
        (yilmaz["eligible"].clone(), yilmaz["reasons"].clone()),
        (json!(true), json!([]))
    );

    for (country, number, reason) in [
        ("CHN", "ZZ9999999", "holder_not_found"),
        ("KAZ", "N0000007", "permit_not_required"),
        ("CHN", "EA0000002", "not_in_country"),
        ("CHN", "EA0000003", "not_in_country"),
        ("IND", "Z0000004", "no_work_visa"),
        ("IND", "Z0000005", "no_work_visa"),
        ("PAK", "AB0000006", "passport_expires_soon"),
        ("D", "C0000009", "no_free_quota"),
    ] {
        assert_eq!(
            host.search_reasons(token, country, number).await,
            [reason],
            "{country} {number}"
        );
    }
    let kazakh = host.search_foreigner(token, "KAZ", "N0000007", "ky").await;
    assert_eq!(kazakh["eligible"], false);
    assert_eq!(
        kazakh["reasons"][0]["message"],
        "Бул мамлекеттин жарандарына иштөөгө уруксат талап кылынбайт."
    );

    let body = json!({"document_country": "C1N", "document_number": "??"});
    let (status, problem) = host
        .api(
            Method::POST,
            "/v1/work-permits/search",
            Some(token),
            Some(&body),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        sorted_codes_of(&problem),
        [
            ("document_country".to_owned(), "invalid_country".to_owned()),
            (
                "document_number".to_owned(),
                "invalid_document_number".to_owned()
            ),
        ]
    );
}

#[tokio::test]
async fn only_employers_search_and_only_labour_operators_decide_permits() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let registrar = host.operator("registration_operator").await;
    let labour = host.operator("labour_operator").await;
    let employer = host.active_employer(&labour).await;
    let body = json!({"document_country": "CHN", "document_number": "EA0000001"});
    let (status, problem) = host
        .api(
            Method::POST,
            "/v1/work-permits/search",
            Some(&owner.token),
            Some(&body),
        )
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (403, Some("not_for_account_type"))
    );
    let (status, problem) = host
        .api(
            Method::POST,
            "/v1/entrepreneur-permits/availability",
            Some(&employer.token),
            None,
        )
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (403, Some("not_for_account_type"))
    );
    // Every operator route of permits and statuses refuses a registration operator
    // and an applicant alike.
    for action in ["approve", "extend", "refuse-extension", "revoke"] {
        let route = format!("/v1/operator/applications/P-12345678/{action}");
        for (token, code) in [
            (&registrar, "not_for_account_type"),
            (&employer.token, "operator_only"),
        ] {
            let (status, problem) = host
                .api(
                    Method::POST,
                    &route,
                    Some(token),
                    Some(&json!({"text": "x"})),
                )
                .await;
            assert_eq!(
                (status, problem["code"].as_str()),
                (403, Some(code)),
                "{action}"
            );
        }
    }
    let approve = "/v1/operator/applications/P-12345678/approve";
    let (status, problem) = host
        .api(Method::POST, approve, Some(&labour), Some(&json!({})))
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (404, Some("application_not_found"))
    );
}

/// The check of `form` as the employer signed in with `token` sends it.
async fn check(host: &TestHost, token: &str, form: &Value) -> (u16, Value) {
    host.api(
        Method::POST,
        "/v1/work-permit-applications/check",
        Some(token),
        Some(form),
    )
    .await
}

#[tokio::test]
async fn a_talon_of_another_passport_or_none_at_all_is_refused_at_its_field() {
    let host = spawn_env().await;
    let (employer, _, talon, country, number) = host.registered_foreigner().await;
    let token = &employer.token;
    let documents = host.permit_documents(token).await;
    // The form is about a foreigner of the demo data; the talon is the guest's.
    let others = permit_form("CHN", "EA0000001", &talon, &documents);
    let (status, problem) = check(&host, token, &others).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        codes_of(&problem),
        [(
            "registration_number".to_owned(),
            "talon_of_another_passport".to_owned()
        )]
    );
    let mut unknown = permit_form(&country, &number, "00000000000000", &documents);
    unknown["position"] = json!("Cook");
    let (_, problem) = check(&host, token, &unknown).await;
    assert_eq!(
        sorted_codes_of(&problem),
        [
            ("position".to_owned(), "no_free_quota".to_owned()),
            (
                "registration_number".to_owned(),
                "talon_not_valid".to_owned()
            ),
        ]
    );
    let (status, checked) = check(
        &host,
        token,
        &permit_form(&country, &number, &talon, &documents),
    )
    .await;
    assert_eq!(status, 200, "{checked}");
    assert_eq!(checked["holder"]["surname"], "WANG");
    assert_eq!(checked["holder"]["document_number"], json!(number));
    assert_eq!(checked["holder"]["nationality"], json!(country));
}

#[tokio::test]
async fn a_permit_is_applied_for_clarified_and_approved_and_the_foreigner_then_holds_it() {
    let host = spawn_env().await;
    let (employer, labour, submitted, country, number) = host.submitted_permit().await;
    let token = &employer.token;
    let permit = submitted["number"].as_str().unwrap().to_owned();
    assert!(permit.starts_with("P-"), "{permit}");
    assert_eq!(
        (submitted["kind"].as_str(), submitted["status"].as_str()),
        (Some("permit"), Some("submitted"))
    );
    assert_eq!(submitted["attachments"].as_array().unwrap().len(), 3);
    assert_eq!(
        host.search_reasons(token, &country, &number).await,
        ["already_holds_permit"]
    );
    let again = host
        .clarification_round(&labour, &employer, &permit, "Add the signed contract")
        .await;
    assert_eq!(again["status"], "submitted");
    let (status, wrong) = host
        .decide_application(&labour, &permit, "confirm", &json!({}))
        .await;
    assert_eq!(
        (status, wrong["code"].as_str()),
        (409, Some("decision_not_for_kind"))
    );
    let (status, approved) = host
        .decide_application(&labour, &permit, "approve", &json!({}))
        .await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["status"], "confirmed");
    let year = domain::clock::today_in_bishkek() + time::Duration::days(364);
    assert!(approved["grant"]["valid_until"].as_str().unwrap() <= year.to_string().as_str());
    let text = host.messages(token, "en").await[0]["text"].clone();
    assert!(
        text.as_str()
            .unwrap()
            .contains("Your work permit application for WANG LEI is confirmed"),
        "{text}"
    );
    let (status, queue) = host
        .api(
            Method::GET,
            "/v1/operator/applications?kind=permit&status=confirmed",
            Some(&labour),
            None,
        )
        .await;
    assert_eq!(status, 200, "{queue}");
    assert_eq!(queue[0]["number"], json!(permit));
    assert_eq!(
        host.search_reasons(token, &country, &number).await,
        ["already_holds_permit"]
    );
}

#[tokio::test]
async fn the_permit_archive_shows_the_seeds_columns_and_filters_by_each() {
    let host = spawn_env().await;
    let (employer, _, submitted, _, number) = host.submitted_permit().await;
    let permit = &submitted["permit"];
    assert_eq!(permit["education_label"], "Высшее");
    assert_eq!(permit["marital_status_label"], "Женат/замужем");
    assert_eq!(permit["relatives_label"], "Есть");
    assert_eq!(permit["holder"]["given_names"], "LEI");
    assert_eq!(permit["birth_country"], "CHN");
    assert_eq!(permit["position"], "welder");
    assert_eq!(submitted["status_label"], "Заявка подана");
    let found = |query: String| {
        let token = employer.token.clone();
        let host = &host;
        async move {
            let (status, page) = host
                .api(
                    Method::GET,
                    &format!("/v1/applications?{query}"),
                    Some(&token),
                    None,
                )
                .await;
            assert_eq!(status, 200, "{page}");
            page["items"].as_array().unwrap().len()
        }
    };
    let tail = &number[number.len() - 4..];
    for query in [
        "kind=permit".to_owned(),
        format!("surname=wan&given_names=le&passport_number={tail}"),
        "birth_date=1990-04-01&birth_country=chn&education=higher".to_owned(),
        "marital_status=married&relatives=yes&position=WELD&place_of_stay=chui".to_owned(),
    ] {
        assert_eq!(found(query.clone()).await, 1, "{query}");
    }
    for query in [
        "kind=quota&surname=wang",
        "relatives=no",
        "marital_status=single",
        "status=exhausted",
    ] {
        assert_eq!(found(query.to_owned()).await, 0, "{query}");
    }
    let (status, problem) = host
        .api(
            Method::GET,
            "/v1/applications?education=doctorate&relatives=maybe",
            Some(&employer.token),
            None,
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        sorted_codes_of(&problem),
        [
            ("education".to_owned(), "invalid_value".to_owned()),
            ("relatives".to_owned(), "invalid_value".to_owned()),
        ]
    );
}

#[tokio::test]
async fn ten_approvals_at_once_for_five_places_give_exactly_five_permits() {
    let host = spawn_env().await;
    let labour = host.operator("labour_operator").await;
    let employer = host.active_employer(&labour).await;
    let quota = host.paid_allocation(&labour, &employer, [5, 0, 0, 0]).await;
    let numbers = submitted_permits(&host, &employer, &quota, 10).await;
    let empty = json!({});
    let approvals = numbers
        .iter()
        .map(|number| host.decide_application(&labour, number, "approve", &empty));
    let answers: Vec<(u16, Value)> = futures::future::join_all(approvals).await;
    let approved = answers.iter().filter(|(status, _)| *status == 200).count();
    let exhausted: Vec<&Value> = answers
        .iter()
        .filter(|(status, _)| *status == 409)
        .map(|(_, body)| body)
        .collect();
    assert_eq!(approved, 5, "{answers:?}");
    assert_eq!(exhausted.len(), 5, "{answers:?}");
    assert!(
        exhausted
            .iter()
            .all(|p| p["code"] == "allocation_exhausted")
    );
    let mut statuses = Vec::new();
    let mut told = false;
    for number in &numbers {
        let (_, seen) = host
            .api(
                Method::GET,
                &format!("/v1/applications/{number}"),
                Some(&employer.token),
                None,
            )
            .await;
        statuses.push(seen["status"].as_str().unwrap().to_owned());
        if seen["status"] == "exhausted" && !told {
            // The employer is told, in the words of the status.
            email_with_subject(
                &employer.email,
                &format!("Application {number}: Permit exhausted"),
            )
            .await;
            told = true;
        }
    }
    statuses.sort();
    assert_eq!(
        statuses,
        [["confirmed"; 5], ["exhausted"; 5]].concat(),
        "{statuses:?}"
    );
    let (_, seen) = host
        .api_lang(
            Method::GET,
            &format!("/v1/applications/{}", numbers[0]),
            Some(&employer.token),
            None,
            "ru",
        )
        .await;
    assert!(
        ["Заявка подтверждена", "Разрешение исчерпано"]
            .contains(&seen["status_label"].as_str().unwrap())
    );
    // The allocation is used up: a new application under it is refused.
    assert_eq!(
        host.search_reasons(&employer.token, "CHN", "EA0000001")
            .await,
        ["no_free_quota"]
    );
}

/// `count` work-permit applications of `employer` under `quota`'s first row, each for
/// a foreigner of its own, submitted through the application lifecycle (the HTTP path
/// of one is the test above): their numbers.
async fn submitted_permits(
    host: &TestHost,
    employer: &Account,
    quota: &str,
    count: usize,
) -> Vec<String> {
    use domain::ework::permit::{Education, MaritalStatus, PermitDetails, Region};
    use domain::ework::{Actor, PermitRequest, PlaceRef, Request};
    let (_, me) = host
        .api(Method::GET, "/v1/me", Some(&employer.token), None)
        .await;
    let owner = domain::account::AccountId::parse(me["account_id"].as_str().unwrap()).unwrap();
    let mut numbers = Vec::new();
    for i in 0..count {
        let number = format!("E{:08}", 10_000_000 + i);
        let holder = host.border_knows("CHN", &number).await;
        let request = PermitRequest {
            holder,
            visa: None,
            details: PermitDetails {
                birth_country: domain::country::Country::parse("CHN").unwrap(),
                document_issued: time::macros::date!(2021 - 03 - 15),
                education: Education::Secondary,
                marital_status: MaritalStatus::Single,
                place_of_stay: "Bishkek".into(),
                position: "Welder".into(),
                work_region: Region::Chuy,
                highly_qualified: false,
                notes: None,
                relatives: Vec::new(),
                registration_number: "12345678901234".into(),
            },
            place: PlaceRef {
                quota: quota.to_owned(),
                row: 0,
            },
        };
        let actor = Actor::Account {
            id: owner.clone(),
            role: "employer".into(),
        };
        let application = host
            .deps
            .application_lifecycle()
            .submit(
                &actor,
                &owner,
                "WANG LEI".into(),
                Request::Permit(Box::new(request)),
                Vec::new(),
            )
            .await
            .unwrap();
        numbers.push(application.number);
    }
    numbers
}
