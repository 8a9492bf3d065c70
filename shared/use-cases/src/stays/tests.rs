//! The stay lifecycle over in-memory stores: every move and every refusal, and two
//! deciders at once.

use domain::account::AccountId;
use domain::clock::today_in_bishkek;
use domain::notification::Template;
use domain::payment::Amount;
use domain::ports::Contact;
use domain::stay::{Action, Place, StayForm};
use domain::{EmailAddress, Lang, PhoneNumber};
use time::Duration;

use super::*;
use crate::memory::contacts::{MemoryContacts, MemoryNotifier};
use crate::memory::stays::MemoryStays;

pub(crate) type Lifecycle = StayLifecycle<MemoryStays, MemoryContacts, MemoryNotifier>;

/// A lifecycle over empty in-memory stores, and the stores.
pub(crate) struct World {
    pub stays: MemoryStays,
    pub contacts: MemoryContacts,
    pub notifier: MemoryNotifier,
    pub lifecycle: Lifecycle,
}

pub(crate) fn world(auto_confirm: bool) -> World {
    let (stays, contacts, notifier) = Default::default();
    let policy = StayPolicy {
        auto_confirm,
        ..StayPolicy::default()
    };
    World {
        lifecycle: StayLifecycle::new(
            MemoryStays::clone(&stays),
            MemoryContacts::clone(&contacts),
            MemoryNotifier::clone(&notifier),
            policy,
        ),
        stays,
        contacts,
        notifier,
    }
}

/// A host who can be reached.
pub(crate) fn host(world: &World) -> AccountId {
    let id = AccountId::new();
    world.contacts.insert(
        id.clone(),
        Contact {
            email: EmailAddress::parse("host@example.kg").unwrap(),
            phone: PhoneNumber::parse_kyrgyz_mobile("996700123456").unwrap(),
            lang: Lang::Ru,
        },
    );
    id
}

/// A registration of the passport `passport` submitted by `owner` for the next month,
/// stored as the submission would.
pub(crate) fn submitted(world: &World, owner: &AccountId, number: &str, passport: &str) -> Stay {
    let today = today_in_bishkek();
    let day = |d: i64| Some((today + Duration::days(d)).to_string());
    let form = StayForm {
        housing_code: Some("1-04-03-0178-9183-097".into()),
        passport_scan: Some(format!("upl_{}", "a".repeat(32))),
        photo: Some(format!("upl_{}", "b".repeat(32))),
        surname: Some("Karimov".into()),
        given_names: Some("Rustam".into()),
        birth_date: Some("1988-03-02".into()),
        sex: Some("M".into()),
        nationality: Some("UZB".into()),
        document_country: Some("UZB".into()),
        document_number: Some(passport.into()),
        document_issued: Some("2021-05-17".into()),
        document_expires: day(5 * 365),
        entry_date: day(-1),
        phone: Some("996700123456".into()),
        email: Some("guest@example.com".into()),
        stay_from: day(0),
        stay_to: day(30),
        purpose: Some("tourism".into()),
        ..StayForm::default()
    };
    let request = form.parse(today, &StayPolicy::default()).unwrap();
    let place = Place {
        housing_code: "1-04-03-0178-9183-097".into(),
        city: "Бишкек".into(),
        address: "г. Бишкек, ул. Исанова, 16, кв. 97".into(),
    };
    let stay = Stay::submitted(
        number.into(),
        owner.clone(),
        request,
        place,
        Vec::new(),
        &now_rfc3339(),
    );
    world.stays.insert(stay.clone());
    stay
}

fn operator() -> Actor {
    Actor::Account {
        id: AccountId::new(),
        role: "registration_operator".into(),
    }
}

fn actions(world: &World, number: &str) -> Vec<&'static str> {
    world
        .stays
        .audit_of(number)
        .iter()
        .map(|c| c.action.as_str())
        .collect()
}

/// A registration paid, waiting for an operator.
async fn paid(world: &World, number: &str, passport: &str) -> (AccountId, Stay) {
    let owner = host(world);
    submitted(world, &owner, number, passport);
    let paid = world
        .lifecycle
        .record_payment(number, &domain::stay::fee())
        .await
        .unwrap();
    (owner, paid)
}

#[tokio::test]
async fn the_fee_paid_makes_a_registration_paid() {
    let world = world(false);
    let (_, paid) = paid(&world, "1000000001", "FA1000001").await;
    assert_eq!(paid.status, StayStatus::Paid);
    assert_eq!(world.stays.get("1000000001"), Some(paid.clone()));
    assert_eq!(actions(&world, "1000000001"), ["paid"]);
    assert_eq!(world.stays.audit_of("1000000001")[0].actor, Actor::System);
    assert!(world.notifier.sent().is_empty());
    // A duplicate report changes nothing.
    let again = world
        .lifecycle
        .record_payment("1000000001", &domain::stay::fee())
        .await
        .unwrap();
    assert_eq!(again.version, paid.version);
    assert_eq!(actions(&world, "1000000001"), ["paid"]);
}

#[tokio::test]
async fn a_wrong_amount_pays_nothing() {
    let world = world(false);
    let owner = host(&world);
    submitted(&world, &owner, "1000000002", "FA1000002");
    let wrong = world
        .lifecycle
        .record_payment("1000000002", &Amount::new(100, "KGS"))
        .await;
    assert!(matches!(
        wrong,
        Err(MoveError::Refused(Code::PaymentMismatch))
    ));
    let missing = world
        .lifecycle
        .record_payment("1999999999", &domain::stay::fee())
        .await;
    assert!(matches!(
        missing,
        Err(MoveError::Refused(Code::RegistrationNotFound))
    ));
    assert_eq!(world.stays.get("1000000002").unwrap().version, 1);
}

#[tokio::test]
async fn under_the_policy_an_unflagged_paid_registration_confirms_itself() {
    let world = world(true);
    let (_, decided) = paid(&world, "1000000003", "FA1000003").await;
    assert_eq!(decided.status, StayStatus::Valid);
    assert_eq!(decided.decided_by.as_deref(), Some("system"));
    assert_eq!(actions(&world, "1000000003"), ["paid", "confirmed"]);
    let sent = world.notifier.sent();
    assert_eq!(sent.len(), 1);
    assert!(matches!(
        &sent[0].template,
        Template::RegistrationDecided {
            confirmed: true,
            ..
        }
    ));
}

#[tokio::test]
async fn under_the_policy_a_flagged_registration_waits_for_an_operator() {
    let world = world(true);
    let owner = host(&world);
    let mut flagged = submitted(&world, &owner, "1000000004", "FA1000004");
    flagged.flags = domain::stay::review_flags(None, false, &flagged.guest, &[]);
    world.stays.insert(flagged);
    let paid = world
        .lifecycle
        .record_payment("1000000004", &domain::stay::fee())
        .await
        .unwrap();
    assert_eq!(paid.status, StayStatus::Paid);
}

#[tokio::test]
async fn an_operator_confirms_and_the_host_hears_of_it() {
    let world = world(false);
    let (_, paid) = paid(&world, "1000000005", "FA1000005").await;
    let by = operator();
    let valid = world
        .lifecycle
        .decide("1000000005", &by, Decision::Confirm)
        .await
        .unwrap();
    assert_eq!(valid.status, StayStatus::Valid);
    let registration_number = valid.registration_number.clone().unwrap();
    assert_eq!(registration_number.len(), 14);
    assert_eq!(valid.version, paid.version + 1);
    let audit = world.stays.audit_of("1000000005");
    assert_eq!(audit[1].action, Action::Confirmed);
    assert_eq!(
        (audit[1].actor.clone(), audit[1].previous),
        (by, Some(StayStatus::Paid))
    );
    let sent = world.notifier.sent();
    assert_eq!(
        sent[0].id,
        format!("stay-decided:1000000005:{}", valid.version)
    );
    assert_eq!(sent[0].lang, Lang::Ru);
    assert!(sent[0].to.phone.is_some() && sent[0].to.email.is_some());
    let Template::RegistrationDecided {
        registration_number: told,
        ..
    } = &sent[0].template
    else {
        panic!("{:?}", sent[0].template);
    };
    assert_eq!(told, &registration_number);
}

#[tokio::test]
async fn an_operator_refuses_with_a_reason_and_the_fee_goes_back() {
    let world = world(false);
    paid(&world, "1000000006", "FA1000006").await;
    let refusal = Decision::Refuse {
        reason: "Duplicate".into(),
    };
    let refused = world
        .lifecycle
        .decide("1000000006", &operator(), refusal)
        .await
        .unwrap();
    assert_eq!(
        (refused.status, refused.payment),
        (StayStatus::Refused, domain::stay::PaymentStatus::RefundDue)
    );
    let audit = world.stays.audit_of("1000000006");
    assert_eq!(audit[1].reason.as_deref(), Some("Duplicate"));
    assert!(matches!(
        &world.notifier.sent()[0].template,
        Template::RegistrationDecided { confirmed: false, reason, .. } if reason == "Duplicate"
    ));
}

#[tokio::test]
async fn confirming_is_refused_while_another_registration_holds_the_passport() {
    let world = world(false);
    paid(&world, "1000000007", "FA1000007").await;
    let other_host = host(&world);
    submitted(&world, &other_host, "1000000008", "FA1000007");
    let overlapping = world
        .lifecycle
        .decide("1000000007", &operator(), Decision::Confirm)
        .await;
    assert!(matches!(
        overlapping,
        Err(MoveError::Refused(Code::StayOverlaps))
    ));
    assert_eq!(
        world.stays.get("1000000007").unwrap().status,
        StayStatus::Paid
    );
}

#[tokio::test]
async fn a_registration_not_yet_paid_awaits_no_decision() {
    let world = world(false);
    let owner = host(&world);
    submitted(&world, &owner, "1000000009", "FA1000009");
    let early = world
        .lifecycle
        .decide("1000000009", &operator(), Decision::Confirm)
        .await;
    assert!(matches!(
        early,
        Err(MoveError::Refused(Code::RegistrationNotAwaitingDecision))
    ));
}

#[tokio::test]
async fn of_two_operators_deciding_at_once_exactly_one_wins() {
    let world = world(false);
    paid(&world, "1000000010", "FA1000010").await;
    let refusal = Decision::Refuse {
        reason: "Duplicate".into(),
    };
    let (first, second) = (operator(), operator());
    let (confirmed, refused) = tokio::join!(
        world
            .lifecycle
            .decide("1000000010", &first, Decision::Confirm),
        world.lifecycle.decide("1000000010", &second, refusal),
    );
    let lost = match (&confirmed, &refused) {
        (Ok(_), Err(lost)) | (Err(lost), Ok(_)) => lost,
        other => panic!("exactly one must win: {other:?}"),
    };
    assert!(matches!(
        lost,
        MoveError::Refused(Code::RegistrationNotAwaitingDecision)
    ));
    assert_eq!(
        actions(&world, "1000000010").len(),
        2,
        "paid and one decision"
    );
    assert_eq!(world.notifier.sent().len(), 1);
}

#[tokio::test]
async fn a_host_cancels_before_a_decision_and_a_paid_fee_goes_back() {
    let world = world(false);
    let owner = host(&world);
    submitted(&world, &owner, "1000000011", "FA1000011");
    let host_actor = Actor::Account {
        id: owner,
        role: "host_individual".into(),
    };
    let unpaid = world
        .lifecycle
        .cancel("1000000011", &host_actor)
        .await
        .unwrap();
    assert_eq!(
        (unpaid.status, unpaid.payment),
        (StayStatus::Cancelled, domain::stay::PaymentStatus::Unpaid)
    );
    paid(&world, "1000000012", "FA1000012").await;
    let paid = world
        .lifecycle
        .cancel("1000000012", &host_actor)
        .await
        .unwrap();
    assert_eq!(paid.payment, domain::stay::PaymentStatus::RefundDue);
    assert_eq!(actions(&world, "1000000012"), ["paid", "cancelled"]);
    // Cancelled twice: refused.
    let again = world.lifecycle.cancel("1000000012", &host_actor).await;
    assert!(matches!(
        again,
        Err(MoveError::Refused(Code::RegistrationNotCancellable))
    ));
}

#[tokio::test]
async fn a_payment_after_cancellation_is_marked_for_refund() {
    let world = world(true);
    let owner = host(&world);
    submitted(&world, &owner, "1000000013", "FA1000013");
    world
        .lifecycle
        .cancel("1000000013", &Actor::System)
        .await
        .unwrap();
    let late = world
        .lifecycle
        .record_payment("1000000013", &domain::stay::fee())
        .await
        .unwrap();
    assert_eq!(
        (late.status, late.payment),
        (
            StayStatus::Cancelled,
            domain::stay::PaymentStatus::RefundDue
        )
    );
    assert_eq!(
        actions(&world, "1000000013"),
        ["cancelled", "payment_after_cancel"]
    );
}

#[tokio::test]
async fn valid_registrations_past_their_last_day_expire_once() {
    let world = world(true);
    let (_, valid) = paid(&world, "1000000014", "FA1000014").await;
    paid(&world, "1000000015", "FA1000015").await;
    let after = valid.stay_to + Duration::days(1);
    assert_eq!(world.lifecycle.expire_due(valid.stay_to).await.unwrap(), 0);
    assert_eq!(world.lifecycle.expire_due(after).await.unwrap(), 2);
    assert_eq!(
        world.stays.get("1000000014").unwrap().status,
        StayStatus::Expired
    );
    assert_eq!(
        actions(&world, "1000000014"),
        ["paid", "confirmed", "expired"]
    );
    assert_eq!(world.lifecycle.expire_due(after).await.unwrap(), 0);
}
