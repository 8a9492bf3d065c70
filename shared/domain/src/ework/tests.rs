use crate::DomainError;
use serde_json::json;
use time::macros::date;

use super::quota::{AllocationForm, QuotaForm};
use super::*;

const NOW: &str = "2026-12-04T10:00:00Z";
const LATER: &str = "2026-12-05T10:00:00Z";

fn operator() -> Actor {
    Actor::Account {
        id: AccountId::new(),
        role: "labour_operator".into(),
    }
}

fn form() -> QuotaForm {
    serde_json::from_value(json!({
        "total": 6,
        "rows": [
            {"country": "CHN", "position": "Welder", "count": 3},
            {"country": "TUR", "position": "Engineer", "count": "2"},
            {"country": "UZB", "position": "Cook", "count": 1}
        ],
        "reasons": "No local welders with the certificate",
        "tax_payments": {"monthly": ["100.00", "200", "300.5", "0", "10", "20"]},
        "social_fund_payments": {"none_reason": "Registered last month"},
        "appeal": "Please allocate",
        "local_staff_total": 15, "local_managers": 3, "local_workers": 10,
        "vacancies": 2, "earlier_applications": 1,
        "foreign_workers_two_years_ago": 0, "foreign_workers_last_year": 4
    }))
    .unwrap()
}

fn submitted() -> Application {
    let (request, _) = form().parse(date!(2026 - 12 - 04)).unwrap();
    Application::submitted(
        Kind::Quota.new_number(),
        AccountId::new(),
        "Stroi LLC".into(),
        Request::Quota(request),
        Vec::new(),
        NOW,
    )
}

fn fields(err: DomainError) -> Vec<(String, Code)> {
    match err {
        DomainError::Invalid(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        other => panic!("not a field error: {other:?}"),
    }
}

#[test]
fn numbers_are_the_kinds_letter_and_eight_digits() {
    let number = Kind::Quota.new_number();
    assert_eq!(number.len(), 10);
    assert!(number.starts_with("Q-"));
    assert_eq!(number_kind(&number), Some(Kind::Quota));
    assert_eq!(number_kind("Q-1234567"), None);
    assert_eq!(number_kind("P-12345678"), Some(Kind::Permit));
    assert_eq!(number_kind("N-12345678"), Some(Kind::Nomad));
    assert_eq!(number_kind("X-12345678"), None);
    assert_eq!(number_kind("Q-1234567a"), None);
}

#[test]
fn a_valid_form_becomes_a_typed_request_with_amounts_in_tyiyn() {
    let (request, documents) = form().parse(date!(2026 - 12 - 04)).unwrap();
    assert_eq!(request.total, 6);
    assert_eq!(request.rows.len(), 3);
    assert_eq!(request.rows[1].count, 2);
    assert_eq!(
        request.tax_payments,
        quota::Payments::Monthly(vec![10_000, 20_000, 30_050, 0, 1_000, 2_000])
    );
    assert_eq!(request.last_year, 2025);
    assert_eq!(request.local_to_foreign_ratio(), "2.50");
    assert!(documents.0.is_empty());
}

#[test]
fn a_total_that_is_not_the_rows_sum_is_refused() {
    let mut form = form();
    form.total = Some(json!(7));
    let errors = fields(form.parse(date!(2026 - 12 - 04)).unwrap_err());
    assert_eq!(errors, [("total".to_owned(), Code::QuotaTotalMismatch)]);
}

#[test]
fn every_broken_field_is_reported_at_once() {
    let mut form = form();
    form.rows[0].country = Some("XXX".into());
    form.rows[2].count = Some(json!(0));
    form.tax_payments.monthly.pop();
    form.social_fund_payments.monthly = vec!["1".into(); 6];
    form.local_workers = Some(json!(13));
    form.appeal = None;
    form.power_of_attorney = Some("upl_0123456789abcdef0123456789abcdef".into());
    let errors = fields(form.parse(date!(2026 - 12 - 04)).unwrap_err());
    let codes: Vec<(&str, Code)> = errors.iter().map(|(f, c)| (f.as_str(), *c)).collect();
    for expected in [
        ("rows[0].country", Code::InvalidCountry),
        ("rows[2].count", Code::InvalidCount),
        ("tax_payments.monthly", Code::SixMonthsExpected),
        ("social_fund_payments", Code::AmountsOrReason),
        ("local_workers", Code::StaffPartsExceedTotal),
        ("appeal", Code::Required),
        ("trustee_passport", Code::TrusteeDocumentsTogether),
    ] {
        assert!(codes.contains(&expected), "{expected:?} in {codes:?}");
    }
}

#[test]
fn clarification_sends_it_back_and_resubmission_brings_it_again() {
    let app = submitted();
    let asked = app
        .ask_clarification("Attach the staff list".into(), &operator(), LATER)
        .unwrap();
    assert_eq!(asked.status, Status::InClarification);
    assert_eq!(asked.version, 2);
    assert_eq!(asked.status_at, LATER);
    let attachment = Attachment {
        slot: "added".into(),
        upload_id: "upl_1".into(),
        kind: DocumentKind::StaffList,
        attached_at: LATER.into(),
    };
    let added = asked.attach(attachment.clone(), LATER).unwrap();
    assert_eq!(
        added.attach(attachment, LATER),
        Err(Code::DocumentAlreadyAttached)
    );
    let again = added.resubmit(LATER).unwrap();
    assert_eq!(again.status, Status::Submitted);
    assert_eq!(
        again.clarification.as_deref(),
        Some("Attach the staff list")
    );
    assert_eq!(again.attachments.len(), 1);
}

#[test]
fn documents_are_added_and_resubmitted_only_in_clarification() {
    let app = submitted();
    assert_eq!(
        app.resubmit(LATER),
        Err(Code::ApplicationNotInClarification)
    );
    let attachment = Attachment {
        slot: "added".into(),
        upload_id: "upl_1".into(),
        kind: DocumentKind::Other,
        attached_at: LATER.into(),
    };
    assert_eq!(
        app.attach(attachment, LATER),
        Err(Code::ApplicationNotInClarification)
    );
}

#[test]
fn a_confirmation_keeps_the_commissions_allocation_which_may_differ() {
    let app = submitted();
    let Request::Quota(request) = &app.request else {
        panic!("a quota application")
    };
    let allocation: AllocationForm = serde_json::from_value(json!({
        "protocol_number": "17/2026", "decision_date": "2026-12-04", "allocated": [2, 0, 1]
    }))
    .unwrap();
    let allocation = allocation.parse(request, date!(2026 - 12 - 04)).unwrap();
    let confirmed = app
        .confirm(
            allocation,
            &FeePolicy::default(),
            date!(2026 - 12 - 04),
            &operator(),
            LATER,
        )
        .unwrap();
    assert_eq!(confirmed.status, Status::Confirmed);
    assert_eq!(confirmed.requested(), 6);
    assert_eq!(confirmed.allocated(), Some(3));
    assert_eq!(
        confirmed.confirm(
            confirmed_allocation(&app),
            &FeePolicy::default(),
            date!(2026 - 12 - 04),
            &operator(),
            LATER
        ),
        Err(Code::ApplicationNotAwaitingDecision)
    );
}

fn confirmed_allocation(app: &Application) -> Allocation {
    let Request::Quota(request) = &app.request else {
        panic!("a quota application")
    };
    AllocationForm {
        protocol_number: Some("1".into()),
        decision_date: Some("2026-12-01".into()),
        allocated: request.rows.iter().map(|r| json!(r.count)).collect(),
    }
    .parse(request, date!(2026 - 12 - 04))
    .unwrap()
}

#[test]
fn an_allocation_above_the_request_or_of_the_wrong_shape_is_refused() {
    let app = submitted();
    let Request::Quota(request) = &app.request else {
        panic!("a quota application")
    };
    let form = AllocationForm {
        protocol_number: None,
        decision_date: Some("2027-01-01".into()),
        allocated: vec![json!(4), json!(1)],
    };
    let errors = fields(form.parse(request, date!(2026 - 12 - 04)).unwrap_err());
    let codes: Vec<Code> = errors.iter().map(|(_, c)| *c).collect();
    assert!(codes.contains(&Code::Required));
    assert!(codes.contains(&Code::DateInFuture));
    assert!(codes.contains(&Code::AllocationRowsMismatch));
    assert!(codes.contains(&Code::AllocationExceedsRequest));
}

#[test]
fn only_a_confirmed_application_is_annulled_and_only_a_waiting_one_rejected() {
    let app = submitted();
    assert_eq!(
        app.annul("x".into(), &operator(), LATER),
        Err(Code::ApplicationNotConfirmed)
    );
    let rejected = app.reject("Incomplete".into(), &operator(), LATER).unwrap();
    assert_eq!(rejected.status, Status::Rejected);
    assert_eq!(
        rejected.reject("again".into(), &operator(), LATER),
        Err(Code::ApplicationNotAwaitingDecision)
    );
    let confirmed = app
        .confirm(
            confirmed_allocation(&app),
            &FeePolicy::default(),
            date!(2026 - 12 - 04),
            &operator(),
            LATER,
        )
        .unwrap();
    let annulled = confirmed.annul("Fraud".into(), &operator(), LATER).unwrap();
    assert_eq!(annulled.status, Status::Annulled);
    assert_eq!(annulled.annulment_reason.as_deref(), Some("Fraud"));
}

#[test]
fn the_standard_texts_read_as_the_seeds_in_three_languages() {
    let body = MessageBody::StatusChanged {
        kind: Kind::Quota,
        status: Status::Rejected,
        name: "Stroi LLC".into(),
        note: Some("Incomplete".into()),
    };
    let ru = body.render(Lang::Ru);
    assert!(ru.starts_with(
        "Уважаемый пользователь,\nВаше заявление на получение квоты для Stroi LLC отклонено."
    ));
    assert!(ru.contains("Для подробной информации обратитесь в Министерство труда"));
    let en = body.render(Lang::En);
    assert!(en.contains("Your quota application for Stroi LLC is rejected."));
    assert!(en.contains("Reason: Incomplete"));
    assert!(body.render(Lang::Ky).contains("четке кагылды"));
    let text = MessageBody::Text {
        text: "Bring the originals".into(),
    };
    assert_eq!(text.render(Lang::Ky), "Bring the originals");
}

#[test]
fn every_status_has_the_seeds_label() {
    assert_eq!(
        Status::InClarification.label(Lang::Ru),
        "Заявка в процессе уточнения с заявителем"
    );
    assert_eq!(Status::Confirmed.label(Lang::Ru), "Заявка подтверждена");
    assert_eq!(Status::Rejected.label(Lang::Ru), "Заявка отклонена");
    assert_eq!(Status::Annulled.label(Lang::Ru), "Заявка аннулирована");
    for status in Status::ALL {
        assert_eq!(Status::parse(status.as_str()), Some(status));
    }
}

#[test]
fn a_confirmation_makes_the_fee_of_what_was_allocated_due_in_ninety_days() {
    let app = submitted();
    let confirmed = app
        .confirm(
            confirmed_allocation(&app),
            &FeePolicy::default(),
            date!(2026 - 12 - 04),
            &operator(),
            LATER,
        )
        .unwrap();
    let fee = confirmed.fee.clone().unwrap();
    assert_eq!(fee.amount, crate::payment::Amount::new(600_000, "KGS"));
    assert_eq!(fee.due_by, date!(2027 - 03 - 04));
    assert!(!confirmed.allocation_usable());
    assert_eq!(
        confirmed.pay_fee(&crate::payment::Amount::new(1, "KGS"), LATER),
        Err(Code::PaymentMismatch)
    );
    let FeeOutcome::Paid(paid) = confirmed.pay_fee(&fee.amount, LATER).unwrap() else {
        panic!("paid")
    };
    assert!(paid.allocation_usable());
    assert_eq!(
        paid.pay_fee(&fee.amount, LATER),
        Ok(FeeOutcome::AlreadyRecorded)
    );
    assert_eq!(paid.lapse(date!(2027 - 06 - 01), LATER), None);
}

#[test]
fn an_unpaid_allocation_lapses_after_its_last_day_and_a_late_payment_goes_back() {
    let app = submitted();
    let confirmed = app
        .confirm(
            confirmed_allocation(&app),
            &FeePolicy::default(),
            date!(2026 - 12 - 04),
            &operator(),
            LATER,
        )
        .unwrap();
    assert_eq!(confirmed.lapse(date!(2027 - 03 - 04), LATER), None);
    let lapsed = confirmed.lapse(date!(2027 - 03 - 05), LATER).unwrap();
    assert_eq!(lapsed.fee.as_ref().unwrap().status, FeeStatus::Lapsed);
    assert!(!lapsed.allocation_usable());
    assert_eq!(lapsed.fee_payable().err(), Some(Code::NotPayable));
    let zero = app
        .confirm(
            AllocationForm {
                protocol_number: Some("1".into()),
                decision_date: Some("2026-12-01".into()),
                allocated: vec![json!(0), json!(0), json!(0)],
            }
            .parse(
                match &app.request {
                    Request::Quota(q) => q,
                    _ => panic!("a quota application"),
                },
                date!(2026 - 12 - 04),
            )
            .unwrap(),
            &FeePolicy::default(),
            date!(2026 - 12 - 04),
            &operator(),
            LATER,
        )
        .unwrap();
    assert_eq!(zero.fee, None);
}
