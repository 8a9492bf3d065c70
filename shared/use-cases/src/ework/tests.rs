use domain::account::AccountId;
use domain::account::values::UploadId;
use domain::document::record::DocumentRecord;
use domain::document::{DocumentKind, DocumentStatus};
use domain::ework::quota::{AllocationForm, QuotaForm};
use domain::ework::{Action, Actor, Application, MessageBody, Request, Status};
use domain::ports::Contact;
use domain::{EmailAddress, Lang, PhoneNumber};
use serde_json::json;

use super::*;
use crate::memory::contacts::{MemoryContacts, MemoryNotifier};
use crate::memory::documents::MemoryDocuments;
use crate::memory::ework::MemoryApplications;

type Lifecycle = ApplicationLifecycle<
    MemoryApplications,
    MemoryApplications,
    MemoryDocuments,
    MemoryContacts,
    MemoryNotifier,
>;

struct World {
    lifecycle: Lifecycle,
    applications: MemoryApplications,
    documents: MemoryDocuments,
    notifier: MemoryNotifier,
    employer: AccountId,
}

fn world() -> World {
    let (applications, documents) = (MemoryApplications::default(), MemoryDocuments::default());
    let (contacts, notifier) = (MemoryContacts::default(), MemoryNotifier::default());
    let employer = AccountId::new();
    contacts.insert(
        employer.clone(),
        Contact {
            email: EmailAddress::parse("hr@stroi.kg").unwrap(),
            phone: PhoneNumber::parse("+996700123456").unwrap(),
            lang: Lang::Ru,
        },
    );
    World {
        lifecycle: ApplicationLifecycle::new(
            applications.clone(),
            applications.clone(),
            documents.clone(),
            contacts,
            notifier.clone(),
            domain::ework::FeePolicy::default(),
        ),
        applications,
        documents,
        notifier,
        employer,
    }
}

fn employer(world: &World) -> Actor {
    Actor::Account {
        id: world.employer.clone(),
        role: "employer".into(),
    }
}

fn operator() -> Actor {
    Actor::Account {
        id: AccountId::new(),
        role: "labour_operator".into(),
    }
}

fn request() -> Request {
    let form: QuotaForm = serde_json::from_value(json!({
        "total": 3, "rows": [{"country": "CHN", "position": "Welder", "count": 3}],
        "reasons": "r", "tax_payments": {"none_reason": "new"},
        "social_fund_payments": {"none_reason": "new"}, "appeal": "a",
        "local_staff_total": 9, "local_managers": 1, "local_workers": 8, "vacancies": 0,
        "earlier_applications": 0, "foreign_workers_two_years_ago": 0,
        "foreign_workers_last_year": 0
    }))
    .unwrap();
    Request::Quota(form.parse(domain::clock::today_in_bishkek()).unwrap().0)
}

/// A checked document of `owner`'s of `kind`.
fn document(world: &World, owner: &AccountId, kind: DocumentKind) -> UploadId {
    let id = format!("upl_{}", &domain::secrets::random_token()[..32]);
    let mut record = DocumentRecord::awaiting_upload(
        id.clone(),
        owner.clone(),
        kind,
        "application/pdf",
        domain::clock::now_rfc3339(),
        0,
    );
    record.status = DocumentStatus::Checked;
    world.documents.put(record);
    UploadId::parse(&id).unwrap()
}

async fn submitted(world: &World) -> Application {
    world
        .lifecycle
        .submit(
            &employer(world),
            &world.employer,
            "Stroi LLC".into(),
            request(),
            Vec::new(),
        )
        .await
        .unwrap()
}

fn allocation(application: &Application, counts: &[u32]) -> domain::ework::Allocation {
    let Request::Quota(request) = &application.request else {
        panic!("a quota application")
    };
    AllocationForm {
        protocol_number: Some("17/2026".into()),
        decision_date: Some(domain::clock::today_in_bishkek().to_string()),
        allocated: counts.iter().map(|c| json!(c)).collect(),
    }
    .parse(request, domain::clock::today_in_bishkek())
    .unwrap()
}

#[tokio::test]
async fn only_the_applicants_own_checked_documents_of_the_right_kind_attach() {
    let world = world();
    let own = document(&world, &world.employer, DocumentKind::StaffList);
    let photo = document(&world, &world.employer, DocumentKind::Photo);
    let others = document(&world, &AccountId::new(), DocumentKind::StaffList);
    let named = [
        ("staff_list", own.clone(), Some(DocumentKind::StaffList)),
        (
            "power_of_attorney",
            others,
            Some(DocumentKind::PowerOfAttorney),
        ),
        ("added", photo, None),
    ];
    let Err(ApplicationError::Documents(errors)) =
        world.lifecycle.attachments(&world.employer, &named).await
    else {
        panic!("refused")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["power_of_attorney", "added"]);
    let attachments = world
        .lifecycle
        .attachments(&world.employer, &named[..1])
        .await
        .unwrap();
    let application = world
        .lifecycle
        .submit(
            &employer(&world),
            &world.employer,
            "Stroi LLC".into(),
            request(),
            attachments,
        )
        .await
        .unwrap();
    assert!(application.number.starts_with("Q-"));
    assert!(world.applications.is_locked(own.as_ref()));
    assert_eq!(
        world.applications.audit(&application.number)[0].action,
        Action::Submitted
    );
}

#[tokio::test]
async fn a_document_withdrawn_before_the_write_fails_the_submission() {
    let world = world();
    let own = document(&world, &world.employer, DocumentKind::StaffList);
    let named = [("staff_list", own.clone(), Some(DocumentKind::StaffList))];
    let attachments = world
        .lifecycle
        .attachments(&world.employer, &named)
        .await
        .unwrap();
    world.applications.withdraw(own.as_ref());
    let refused = world
        .lifecycle
        .submit(
            &employer(&world),
            &world.employer,
            "Stroi LLC".into(),
            request(),
            attachments,
        )
        .await;
    assert!(matches!(
        refused,
        Err(ApplicationError::Refused(Code::DocumentNotUsable))
    ));
}

/// The statuses the messages so far announce, oldest first.
fn statuses(world: &World) -> Vec<Status> {
    world
        .applications
        .messages()
        .iter()
        .map(|m| match &m.body {
            MessageBody::StatusChanged { status, .. } => *status,
            other => panic!("{other:?}"),
        })
        .collect()
}

#[tokio::test]
async fn clarification_comes_back_with_a_document_and_every_change_leaves_a_message() {
    let world = world();
    let application = submitted(&world).await;
    let number = &application.number;
    let asked = Decision::AskClarification("Attach the staff list".into());
    world
        .lifecycle
        .decide(number, &operator(), asked)
        .await
        .unwrap();
    let staff = document(&world, &world.employer, DocumentKind::StaffList);
    let added = world
        .lifecycle
        .attachments(&world.employer, &[(ADDED, staff, None)])
        .await
        .unwrap();
    let me = employer(&world);
    world
        .lifecycle
        .attach(number, &me, &world.employer, added[0].clone())
        .await
        .unwrap();
    let again = world
        .lifecycle
        .resubmit(number, &me, &world.employer)
        .await
        .unwrap();
    assert_eq!(again.status, Status::Submitted);
    assert_eq!(again.attachments.len(), 1);
    assert_eq!(
        again.clarification.as_deref(),
        Some("Attach the staff list")
    );
    let confirmed = world
        .lifecycle
        .decide(
            number,
            &operator(),
            Decision::Confirm(allocation(&again, &[2])),
        )
        .await
        .unwrap();
    assert_eq!(confirmed.allocated(), Some(2));

    assert_eq!(
        statuses(&world),
        [
            Status::InClarification,
            Status::Submitted,
            Status::Confirmed
        ]
    );
    let asked_text = world.applications.messages()[0].body.render(Lang::Ru);
    assert!(asked_text.contains("Что необходимо: Attach the staff list"));
    let sent = world.notifier.sent();
    assert_eq!(sent.len(), 3);
    assert!(
        sent.iter()
            .all(|s| s.to.phone.is_none() && s.lang == Lang::Ru)
    );
    let actions: Vec<Action> = world
        .applications
        .audit(number)
        .iter()
        .map(|c| c.action)
        .collect();
    assert_eq!(
        actions,
        [
            Action::Submitted,
            Action::ClarificationAsked,
            Action::DocumentAdded,
            Action::Resubmitted,
            Action::Confirmed
        ]
    );
}

#[tokio::test]
async fn two_operators_deciding_at_once_cannot_both_win() {
    let world = world();
    let application = submitted(&world).await;
    let number = &application.number;
    let (first, second) = (operator(), operator());
    let (confirm, reject) = tokio::join!(
        world.lifecycle.decide(
            number,
            &first,
            Decision::Confirm(allocation(&application, &[3]))
        ),
        world
            .lifecycle
            .decide(number, &second, Decision::Reject("No".into())),
    );
    let won = [confirm.is_ok(), reject.is_ok()];
    assert_eq!(
        won.iter().filter(|w| **w).count(),
        1,
        "{confirm:?} {reject:?}"
    );
    let lost = match (confirm, reject) {
        (Ok(_), Err(lost)) | (Err(lost), Ok(_)) => lost,
        _ => unreachable!("exactly one won"),
    };
    assert!(matches!(
        lost,
        ApplicationError::Refused(Code::ApplicationNotAwaitingDecision)
    ));
    assert_eq!(world.applications.get(number).unwrap().version, 2);
    assert_eq!(world.applications.messages().len(), 1);
}

#[tokio::test]
async fn another_account_cannot_touch_an_application_and_only_a_confirmed_one_is_annulled() {
    let world = world();
    let application = submitted(&world).await;
    let number = &application.number;
    let stranger = AccountId::new();
    let actor = Actor::Account {
        id: stranger.clone(),
        role: "employer".into(),
    };
    let refused = world.lifecycle.resubmit(number, &actor, &stranger).await;
    assert!(matches!(
        refused,
        Err(ApplicationError::Refused(Code::ApplicationNotFound))
    ));
    let annul = world
        .lifecycle
        .decide(number, &operator(), Decision::Annul("x".into()))
        .await;
    assert!(matches!(
        annul,
        Err(ApplicationError::Refused(Code::ApplicationNotConfirmed))
    ));
    world
        .lifecycle
        .decide(
            number,
            &operator(),
            Decision::Confirm(allocation(&application, &[0])),
        )
        .await
        .unwrap();
    let annulled = world
        .lifecycle
        .decide(
            number,
            &operator(),
            Decision::Annul("Forged payments".into()),
        )
        .await
        .unwrap();
    assert_eq!(annulled.status, Status::Annulled);
}

#[tokio::test]
async fn an_operators_message_reaches_the_applicant_by_email_without_personal_data() {
    let world = world();
    let application = submitted(&world).await;
    let message = world
        .lifecycle
        .write(
            &application.number,
            &operator(),
            "Bring the originals".into(),
        )
        .await
        .unwrap();
    assert_eq!(message.recipient, world.employer);
    assert_eq!(message.body.render(Lang::En), "Bring the originals");
    let sent = world.notifier.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].template,
        Template::ApplicationUpdate {
            application: application.number.clone(),
            status: String::new(),
            status_label: String::new(),
        }
    );
}

#[tokio::test]
async fn a_fee_paid_in_time_makes_the_allocation_usable_once() {
    let world = world();
    let application = submitted(&world).await;
    let number = &application.number;
    let confirm = Decision::Confirm(allocation(&application, &[2]));
    let confirmed = world
        .lifecycle
        .decide(number, &operator(), confirm)
        .await
        .unwrap();
    let fee = world
        .lifecycle
        .fee_due(&world.employer, number)
        .await
        .unwrap();
    assert_eq!(Some(&fee), confirmed.fee.as_ref().map(|f| &f.amount));
    let stranger = world.lifecycle.fee_due(&AccountId::new(), number).await;
    assert!(matches!(
        stranger,
        Err(ApplicationError::Refused(Code::ApplicationNotFound))
    ));
    let paid = world.lifecycle.record_fee(number, &fee).await.unwrap();
    assert!(paid.allocation_usable());
    let again = world.lifecycle.record_fee(number, &fee).await.unwrap();
    assert_eq!(again.version, paid.version, "recorded once");
    let actions: Vec<Action> = world
        .applications
        .audit(number)
        .iter()
        .map(|c| c.action)
        .collect();
    assert_eq!(actions.last(), Some(&Action::FeePaid));
    let paid_twice = world.lifecycle.fee_due(&world.employer, number).await;
    assert!(matches!(
        paid_twice,
        Err(ApplicationError::Refused(Code::NotPayable))
    ));
}

#[tokio::test]
async fn an_unpaid_allocation_lapses_once_with_a_message_and_a_late_fee_goes_back() {
    let world = world();
    let application = submitted(&world).await;
    let number = &application.number;
    let confirm = Decision::Confirm(allocation(&application, &[1]));
    let confirmed = world
        .lifecycle
        .decide(number, &operator(), confirm)
        .await
        .unwrap();
    let due_by = confirmed.fee.as_ref().unwrap().due_by;
    assert_eq!(world.lifecycle.lapse_unpaid(due_by).await.unwrap(), 0);
    let after = due_by + time::Duration::days(1);
    assert_eq!(world.lifecycle.lapse_unpaid(after).await.unwrap(), 1);
    assert_eq!(world.lifecycle.lapse_unpaid(after).await.unwrap(), 0);
    let lapsed = world.applications.get(number).unwrap();
    assert!(!lapsed.allocation_usable());
    let last = world.applications.messages().pop().unwrap();
    assert!(matches!(last.body, MessageBody::AllocationLapsed { .. }));
    let fee = confirmed.fee.unwrap().amount;
    let late = world.lifecycle.record_fee(number, &fee).await.unwrap();
    assert_eq!(
        late.fee.unwrap().status,
        domain::ework::FeeStatus::RefundDue
    );
}
