//! The fee through the payment port and cancellation by the host: a wrong amount
//! settles nothing, a payment is recorded once, and money paid for a cancelled
//! registration is marked to go back.

use adapters::stay_lifecycle::MoveError;
use domain::Code;
use reqwest::Method;

use crate::helpers::*;

#[tokio::test]
async fn the_fee_settles_only_at_its_amount_and_only_once() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let number = host
        .submitted_registration(&owner.token, &guest.with_pin())
        .await;

    // Payment through the payment port: a wrong amount settles nothing.
    let wrong = host.pay_amount(&number, 100).await;
    assert!(matches!(
        wrong,
        Err(MoveError::Refused(Code::PaymentMismatch))
    ));
    let paid = host.pay(&number).await.unwrap();
    assert_eq!(paid.status, domain::stay::StayStatus::Paid);
    // A duplicate payment report changes nothing.
    assert_eq!(host.pay(&number).await.unwrap().version, paid.version);
}

#[tokio::test]
async fn a_host_cancels_its_unpaid_registration_and_a_payment_after_that_goes_back() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let stranger = host.active_ereg_host().await.token;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let unpaid = host
        .submitted_registration(&owner.token, &guest.with_pin())
        .await;
    for (who, expected) in [(&stranger, 404), (&owner.token, 200)] {
        let (status, _) = host
            .api(
                Method::GET,
                &format!("/v1/registrations/{unpaid}"),
                Some(who),
                None,
            )
            .await;
        assert_eq!(status, expected);
    }
    let cancel = format!("/v1/registrations/{unpaid}/cancel");
    let (status, _) = host.api(Method::POST, &cancel, Some(&stranger), None).await;
    assert_eq!(status, 404);
    let (status, cancelled) = host
        .api(Method::POST, &cancel, Some(&owner.token), None)
        .await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    // Paid after the cancellation: the money goes back.
    assert_eq!(
        host.pay(&unpaid).await.unwrap().payment,
        domain::stay::PaymentStatus::RefundDue
    );
}

#[tokio::test]
async fn cancelling_a_paid_registration_marks_the_fee_for_refund_and_happens_once() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let paid = host
        .paid_registration(&owner.token, &guest.with_pin())
        .await;
    let cancel = format!("/v1/registrations/{paid}/cancel");
    let (_, cancelled) = host
        .api(Method::POST, &cancel, Some(&owner.token), None)
        .await;
    assert_eq!(cancelled["payment"], "refund_due");
    let (status, body) = host
        .api(Method::POST, &cancel, Some(&owner.token), None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("registration_not_cancellable"))
    );
}
