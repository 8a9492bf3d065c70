//! Orders, settlement and reconciliation over in-memory stores and processor: every
//! outcome of the settlement table as a delivery makes it, duplicates, and a webhook
//! that never came.

use domain::account::AccountId;
use domain::payment::{EventStatus, OrderStatus};
use domain::stay::{Actor, PaymentStatus, StayStatus};

use super::*;
use crate::memory::contacts::{MemoryContacts, MemoryNotifier};
use crate::memory::payments::{MemoryOrders, MemoryProcessor};
use crate::memory::stays::MemoryStays;
use crate::stays::tests::{World, host, submitted, world};

type Fees = crate::ework::ApplicationLifecycle<
    crate::memory::ework::MemoryApplications,
    crate::memory::ework::MemoryApplications,
    crate::memory::documents::MemoryDocuments,
    MemoryContacts,
    MemoryNotifier,
>;
type Subject =
    Payments<MemoryOrders, MemoryProcessor, MemoryStays, MemoryContacts, MemoryNotifier, Fees>;

struct Shop {
    world: World,
    orders: MemoryOrders,
    processor: MemoryProcessor,
    payments: Subject,
}

fn shop() -> Shop {
    let world = world(false);
    let (orders, processor) = Default::default();
    let lifecycle = crate::stays::StayLifecycle::new(
        world.stays.clone(),
        world.contacts.clone(),
        world.notifier.clone(),
        domain::stay::StayPolicy::default(),
    );
    Shop {
        payments: Payments::new(
            MemoryOrders::clone(&orders),
            MemoryProcessor::clone(&processor),
            lifecycle,
            crate::ework::ApplicationLifecycle::new(
                crate::memory::ework::MemoryApplications::default(),
                crate::memory::ework::MemoryApplications::default(),
                crate::memory::documents::MemoryDocuments::default(),
                world.contacts.clone(),
                world.notifier.clone(),
                domain::ework::FeePolicy::default(),
            ),
            world.contacts.clone(),
            world.notifier.clone(),
        ),
        world,
        orders,
        processor,
    }
}

/// A registration awaiting payment and its open order: (owner, order).
async fn ordered(shop: &Shop, number: &str) -> (AccountId, Order) {
    let owner = host(&shop.world);
    submitted(&shop.world, &owner, number, &format!("FB{}", &number[3..]));
    let order = shop
        .payments
        .order_for_registration(&owner, number)
        .await
        .unwrap();
    (owner, order)
}

fn outcomes(shop: &Shop, order_number: &str) -> Vec<Settlement> {
    let mut entries = shop.orders.ledger_of(order_number);
    entries.sort_by(|a, b| a.received_at.cmp(&b.received_at));
    entries.into_iter().map(|e| e.outcome).collect()
}

fn stay_of(shop: &Shop, number: &str) -> domain::stay::Stay {
    shop.world.stays.get(number).unwrap()
}

#[tokio::test]
async fn an_application_has_one_open_order_at_a_time() {
    let shop = shop();
    let (owner, order) = ordered(&shop, "2000000001").await;
    assert_eq!(order.status, OrderStatus::Pending);
    assert_eq!(order.amount, domain::stay::fee());
    let session = shop.processor.session(&order.order_number).unwrap();
    assert_eq!(session.description, "ereg 2000000001");
    let again = shop
        .payments
        .order_for_registration(&owner, "2000000001")
        .await
        .unwrap();
    assert_eq!(again, order);
    let stranger = shop
        .payments
        .order_for_registration(&AccountId::new(), "2000000001")
        .await;
    assert!(matches!(
        stranger,
        Err(MoveError::Refused(Code::RegistrationNotFound))
    ));
}

#[tokio::test]
async fn a_payment_in_time_settles_the_order_pays_the_registration_and_sends_a_receipt() {
    let shop = shop();
    let (_, order) = ordered(&shop, "2000000002").await;
    let event = shop
        .processor
        .charge(&order.order_number, EventStatus::Succeeded, now_secs())
        .unwrap();
    let settled = shop.payments.settle(&event).await.unwrap();
    assert_eq!(
        (settled.outcome, settled.first_time),
        (Settlement::Settled, true)
    );
    let paid = shop.orders.get(&order.order_number).unwrap();
    assert_eq!(paid.status, OrderStatus::Paid);
    assert_eq!(paid.paid_event.as_deref(), Some(event.event_id.as_str()));
    assert_eq!(stay_of(&shop, "2000000002").status, StayStatus::Paid);
    let sent = shop.world.notifier.sent();
    assert_eq!(
        sent[0].id,
        format!("payment-received:{}", order.order_number)
    );
    assert!(matches!(
        &sent[0].template,
        Template::PaymentReceived { amount, .. } if amount == "103.00 KGS"
    ));
    // The order is no longer payable, and no new one is made.
    let after = shop
        .payments
        .order_for_registration(&order.owner, "2000000002")
        .await;
    assert!(matches!(after, Err(MoveError::Refused(Code::NotPayable))));
}

#[tokio::test]
async fn the_same_event_delivered_again_is_settled_once() {
    let shop = shop();
    let (_, order) = ordered(&shop, "2000000003").await;
    let event = shop
        .processor
        .charge(&order.order_number, EventStatus::Succeeded, now_secs())
        .unwrap();
    let (a, b, c) = tokio::join!(
        shop.payments.settle(&event),
        shop.payments.settle(&event),
        shop.payments.settle(&event),
    );
    let firsts = [a.unwrap(), b.unwrap(), c.unwrap()]
        .iter()
        .filter(|s| s.first_time)
        .count();
    assert_eq!(firsts, 1);
    let again = shop.payments.settle(&event).await.unwrap();
    assert_eq!(
        (again.outcome, again.first_time),
        (Settlement::Settled, false)
    );
    assert_eq!(outcomes(&shop, &order.order_number), [Settlement::Settled]);
    assert_eq!(stay_of(&shop, "2000000003").version, 2, "paid once");
}

#[tokio::test]
async fn another_success_for_a_paid_order_is_a_duplicate() {
    let shop = shop();
    let (_, order) = ordered(&shop, "2000000004").await;
    let charge = || {
        shop.processor
            .charge(&order.order_number, EventStatus::Succeeded, now_secs())
            .unwrap()
    };
    shop.payments.settle(&charge()).await.unwrap();
    let second = shop.payments.settle(&charge()).await.unwrap();
    assert_eq!(second.outcome, Settlement::DuplicateSuccess);
    assert_eq!(shop.world.notifier.sent().len(), 1, "one receipt");
}

#[tokio::test]
async fn a_failure_after_success_changes_nothing() {
    let shop = shop();
    let (_, order) = ordered(&shop, "2000000005").await;
    let number = &order.order_number;
    let success = shop
        .processor
        .charge(number, EventStatus::Succeeded, now_secs())
        .unwrap();
    shop.payments.settle(&success).await.unwrap();
    let failure = shop
        .processor
        .charge(number, EventStatus::Failed, now_secs())
        .unwrap();
    let settled = shop.payments.settle(&failure).await.unwrap();
    assert_eq!(settled.outcome, Settlement::FailureAfterSuccess);
    assert_eq!(shop.orders.get(number).unwrap().status, OrderStatus::Paid);
    assert_eq!(stay_of(&shop, "2000000005").payment, PaymentStatus::Paid);
}

#[tokio::test]
async fn a_declined_card_leaves_the_order_open() {
    let shop = shop();
    let (_, order) = ordered(&shop, "2000000006").await;
    let declined = shop
        .processor
        .charge(&order.order_number, EventStatus::Failed, now_secs())
        .unwrap();
    let settled = shop.payments.settle(&declined).await.unwrap();
    assert_eq!(settled.outcome, Settlement::Failed);
    assert_eq!(shop.orders.get(&order.order_number), Some(order));
}

#[tokio::test]
async fn a_wrong_amount_is_flagged_and_pays_nothing() {
    let shop = shop();
    let (_, order) = ordered(&shop, "2000000007").await;
    let mut short = shop
        .processor
        .charge(&order.order_number, EventStatus::Succeeded, now_secs())
        .unwrap();
    short.amount_minor = 100;
    let settled = shop.payments.settle(&short).await.unwrap();
    assert_eq!(settled.outcome, Settlement::WrongAmount);
    let flagged = shop.orders.get(&order.order_number).unwrap();
    assert_eq!(flagged.flags, ["payment_mismatch"]);
    assert_eq!(flagged.status, OrderStatus::Pending);
    assert_eq!(stay_of(&shop, "2000000007").payment, PaymentStatus::Unpaid);
}

#[tokio::test]
async fn a_payment_after_the_session_ended_is_late_flagged_and_goes_back() {
    let shop = shop();
    let (_, order) = ordered(&shop, "2000000008").await;
    let late = shop
        .processor
        .charge(
            &order.order_number,
            EventStatus::Succeeded,
            order.expires_at + 30,
        )
        .unwrap();
    let settled = shop.payments.settle(&late).await.unwrap();
    assert_eq!(settled.outcome, Settlement::Late);
    let flagged = shop.orders.get(&order.order_number).unwrap();
    assert_eq!(
        (flagged.status, flagged.refund_due),
        (OrderStatus::Expired, true)
    );
    assert_eq!(flagged.flags, ["paid_after_expiry"]);
    assert_eq!(stay_of(&shop, "2000000008").payment, PaymentStatus::Unpaid);
}

#[tokio::test]
async fn an_event_for_an_unknown_order_is_recorded_and_changes_nothing() {
    let shop = shop();
    let event = ProcessorEvent {
        event_id: "evt_unknown".into(),
        order_number: "9999999999_1800000000".into(),
        status: EventStatus::Succeeded,
        amount_minor: 10_300,
        currency: "KGS".into(),
        occurred_at: now_secs(),
    };
    let settled = shop.payments.settle(&event).await.unwrap();
    assert_eq!(
        (settled.outcome, settled.first_time),
        (Settlement::UnknownOrder, true)
    );
    assert_eq!(
        outcomes(&shop, "9999999999_1800000000"),
        [Settlement::UnknownOrder]
    );
    let again = shop.payments.settle(&event).await.unwrap();
    assert!(!again.first_time);
}

#[tokio::test]
async fn a_payment_for_a_cancelled_registration_is_due_for_refund_and_flagged() {
    let shop = shop();
    let (_, order) = ordered(&shop, "2000000009").await;
    shop.world
        .lifecycle
        .cancel("2000000009", &Actor::System)
        .await
        .unwrap();
    let event = shop
        .processor
        .charge(&order.order_number, EventStatus::Succeeded, now_secs())
        .unwrap();
    let settled = shop.payments.settle(&event).await.unwrap();
    assert_eq!(settled.outcome, Settlement::Settled);
    let stay = stay_of(&shop, "2000000009");
    assert_eq!(
        (stay.status, stay.payment),
        (StayStatus::Cancelled, PaymentStatus::RefundDue)
    );
    let flagged = shop.orders.get(&order.order_number).unwrap();
    assert!(flagged.refund_due);
    assert_eq!(flagged.flags, ["paid_after_cancellation"]);
    // A repeated delivery flags nothing more.
    shop.payments.settle(&event).await.unwrap();
    let again = shop.orders.get(&order.order_number).unwrap();
    assert_eq!(again.version, flagged.version);
}

#[tokio::test]
async fn reconciliation_settles_what_was_charged_and_expires_the_rest() {
    let shop = shop();
    let (_, charged) = ordered(&shop, "2000000010").await;
    let (_, unpaid) = ordered(&shop, "2000000011").await;
    // Charged, but its webhook never came.
    shop.processor
        .charge(&charged.order_number, EventStatus::Succeeded, now_secs())
        .unwrap();
    let after_sessions = unpaid.expires_at.max(charged.expires_at) + 1;
    assert_eq!(
        shop.payments
            .reconcile(charged.expires_at - 1)
            .await
            .unwrap(),
        Reconciled {
            settled: 0,
            expired: 0
        }
    );
    let run = shop.payments.reconcile(after_sessions).await.unwrap();
    assert_eq!(
        run,
        Reconciled {
            settled: 1,
            expired: 1
        }
    );
    assert_eq!(stay_of(&shop, "2000000010").status, StayStatus::Paid);
    assert_eq!(
        outcomes(&shop, &charged.order_number),
        [Settlement::Settled]
    );
    let lapsed = shop.orders.get(&unpaid.order_number).unwrap();
    assert_eq!(lapsed.status, OrderStatus::Expired);
    assert_eq!(stay_of(&shop, "2000000011").payment, PaymentStatus::Unpaid);
    let rerun = shop.payments.reconcile(after_sessions).await.unwrap();
    assert_eq!(
        rerun,
        Reconciled {
            settled: 0,
            expired: 0
        }
    );
}

#[tokio::test]
async fn an_expired_order_gives_way_to_a_new_one() {
    let shop = shop();
    let owner = host(&shop.world);
    submitted(&shop.world, &owner, "2000000012", "FB0000012");
    let order = Order {
        status: OrderStatus::Expired,
        ..Order::pending(
            NewOrder {
                order_number: "2000000012_1700000000".into(),
                application: "2000000012".into(),
                owner: owner.clone(),
                amount: domain::stay::fee(),
                expires_at: 1_700_001_200,
                checkout_url: "https://processor.test/checkout/old".into(),
            },
            "2023-11-14T22:13:20Z",
        )
    };
    shop.orders.insert(order.clone());
    let renewed = shop
        .payments
        .order_for_registration(&owner, "2000000012")
        .await
        .unwrap();
    assert_ne!(renewed.order_number, order.order_number);
    assert_eq!(renewed.status, OrderStatus::Pending);
}
