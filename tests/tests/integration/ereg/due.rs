//! "Confirmed within one working day": each paid registration's due time in Kyrgyz
//! working days, in the operator's queue and the host's view; the overdue ones listed;
//! the administrator's daily share decided in time.

use domain::calendar::WorkCalendar;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::*;

/// The queue item of registration `number`, as `registrar` sees the queue at `path`.
async fn queued(host: &TestHost, registrar: &str, path: &str, number: &str) -> Option<Value> {
    let (status, queue) = host.api(Method::GET, path, Some(registrar), None).await;
    assert_eq!(status, 200, "{queue}");
    (queue["registrations"].as_array().unwrap().iter())
        .find(|r| r["number"] == number)
        .cloned()
}

/// The administrator's figure for `day`.
async fn timeliness(host: &TestHost, admin: &str, day: &str) -> Value {
    let path = format!("/v1/admin/registrations/timeliness?day={day}");
    let (status, figure) = host.api(Method::GET, &path, Some(admin), None).await;
    assert_eq!(status, 200, "{figure}");
    figure
}

#[tokio::test]
async fn paid_on_a_friday_evening_before_a_holiday_it_is_due_the_next_working_day_then_overdue() {
    let host = spawn_env().await;
    let owner = host.host_with_pin().await;
    let guest = host.guest_form(&owner, GUEST_SCAN).await;
    let number = host
        .paid_registration(&owner.token, &guest.with_pin())
        .await;
    let registrar = host.operator("registration_operator").await;
    let queue = "/v1/operator/registrations";

    // Just paid: due at the close of the next working day, as the host is told too.
    let item = queued(&host, &registrar, queue, &number).await.unwrap();
    let paid_at = time::OffsetDateTime::parse(
        item["paid_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let due = domain::clock::rfc3339_of(WorkCalendar::default().decision_due(paid_at));
    assert_eq!(
        (item["due_at"].as_str(), &item["overdue"]),
        (Some(due.as_str()), &Value::Bool(false))
    );
    let view = host.registration(&owner.token, &number).await;
    assert_eq!(view["decision_due_at"].as_str(), Some(due.as_str()));
    let overdue_only = format!("{queue}?overdue=true");
    assert!(
        queued(&host, &registrar, &overdue_only, &number)
            .await
            .is_none()
    );

    // As if paid on Friday 2026-08-28 at 20:00 in Bishkek, with Independence Day on
    // Monday: due on Tuesday at 18:00, and long past it.
    move_payment(&host.deps, &number, "2026-08-28T14:00:00Z").await;
    let item = queued(&host, &registrar, &overdue_only, &number)
        .await
        .unwrap();
    assert_eq!(item["due_at"], "2026-09-01T12:00:00Z");
    assert_eq!(item["overdue"], true);
    let admin = host.session("admin", ADMIN_PASSWORD).await;
    let figure = timeliness(&host, &admin, "2026-09-01").await;
    assert_eq!(
        (figure["due"].as_u64(), figure["overdue"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(figure["share_in_time"], 0.0);

    // Decided late: out of the overdue list, counted late.
    let path = format!("{queue}/{number}/confirm");
    let (status, confirmed) = host.api(Method::POST, &path, Some(&registrar), None).await;
    assert_eq!(status, 200, "{confirmed}");
    assert!(confirmed.get("decision_due_at").is_none(), "{confirmed}");
    assert!(
        queued(&host, &registrar, &overdue_only, &number)
            .await
            .is_none()
    );
    let figure = timeliness(&host, &admin, "2026-09-01").await;
    assert_eq!(
        (figure["decided_late"].as_u64(), figure["overdue"].as_u64()),
        (Some(1), Some(0))
    );
    // Monday the 31st is a holiday: nothing is due on it.
    assert_eq!(timeliness(&host, &admin, "2026-08-31").await["due"], 0);

    // Only the administrator sees the figure; a bad day is refused by field.
    let path = "/v1/admin/registrations/timeliness?day=2026-09-01";
    let (status, body) = host.api(Method::GET, path, Some(&registrar), None).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("admin_only")));
    let path = "/v1/admin/registrations/timeliness?day=yesterday";
    let (status, body) = host.api(Method::GET, path, Some(&admin), None).await;
    assert_eq!(
        codes_of(&body),
        [("day".to_owned(), "invalid_date".to_owned())],
        "{status}"
    );
}
