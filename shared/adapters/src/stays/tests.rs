//! The record's attribute names and index keys, and the archive cursor.

use super::*;

#[test]
fn an_archive_cursor_is_taken_only_from_the_host_it_was_handed_to() {
    let owner = AccountId::new();
    let cursor = |pk: &str, owner: &str, created: &str| {
        use base64::Engine;
        let key = serde_json::json!([pk, owner, created]).to_string();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key)
    };
    let mine = cursor("stay#1234567890", owner.as_ref(), "2026-12-04T10:00:00Z");
    assert!(cursor_is_for(&mine, &owner));
    assert!(!cursor_is_for(&mine, &AccountId::new()));
    assert!(!cursor_is_for(&cursor("stay#1234567890", "", "x"), &owner));
    let long = "9".repeat(5000);
    assert!(!cursor_is_for(
        &cursor("stay#1234567890", owner.as_ref(), &long),
        &owner
    ));
    assert!(!cursor_is_for(
        &cursor("app#Q-00000001", owner.as_ref(), "x"),
        &owner
    ));
}

#[test]
fn dates_are_stored_as_iso_days_so_index_ranges_sort_by_day() {
    let day = time::macros::date!(2026 - 11 - 21);
    assert_eq!(
        serde_dynamo::to_attribute_value::<_, AttributeValue>(day).unwrap(),
        s("2026-11-21")
    );
}

/// A registration submitted today, paid: every optional attribute but the
/// decision's is set.
fn paid_stay() -> Stay {
    let today = domain::clock::today_in_bishkek();
    let day = |d: i64| Some((today + time::Duration::days(d)).to_string());
    let form = domain::stay::StayForm {
        housing_code: Some("1-04-03-0178-9183-097".into()),
        passport_scan: Some(format!("upl_{}", "a".repeat(32))),
        photo: Some(format!("upl_{}", "b".repeat(32))),
        surname: Some("Karimov".into()),
        given_names: Some("Rustam".into()),
        birth_date: Some("1988-03-02".into()),
        sex: Some("M".into()),
        nationality: Some("UZB".into()),
        document_country: Some("UZB".into()),
        document_number: Some("FA1234567".into()),
        document_issued: Some("2021-05-17".into()),
        document_expires: day(3650),
        entry_date: day(-1),
        phone: Some("996700123456".into()),
        email: Some("guest@example.com".into()),
        stay_from: day(0),
        stay_to: day(30),
        purpose: Some("tourism".into()),
        ..Default::default()
    };
    let request = form
        .parse(today, &domain::stay::StayPolicy::default())
        .unwrap();
    let place = domain::stay::Place {
        housing_code: "1-04-03-0178-9183-097".into(),
        city: "Бишкек".into(),
        address: "г. Бишкек, ул. Исанова, 16, кв. 97".into(),
    };
    let now = "2026-11-23T10:00:00Z";
    let stay = Stay::submitted(
        "9754336625".into(),
        AccountId::new(),
        request,
        place,
        Vec::new(),
        now,
    );
    match stay.pay(&domain::stay::fee(), now) {
        Ok(domain::stay::PaymentOutcome::Paid(paid)) => paid,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_record_keeps_the_stored_attribute_names_and_reads_back() {
    let stay = paid_stay();
    let item: HashMap<String, AttributeValue> =
        serde_dynamo::to_item(StayRecord::from(&stay)).unwrap();
    let mut names: Vec<&str> = item.keys().map(String::as_str).collect();
    names.sort();
    let mut stored = vec![
        "pk",
        "number",
        "owner",
        "version",
        "status",
        "payment",
        "fee_minor",
        "currency",
        "housing_code",
        "city",
        "address",
        "guest",
        "guest_name",
        "entry_date",
        "phone",
        "email",
        "stay_from",
        "stay_to",
        "purpose",
        "passport_scan",
        "photo",
        "flags",
        "created_at",
        "updated_at",
        "paid_at",
        "paid_day",
        "passport_key",
        "queue_key",
        "queued_at",
    ];
    stored.sort();
    assert_eq!(names, stored);
    assert_eq!(item["pk"], s("stay#9754336625"));
    assert_eq!(
        AuditEntry::subject(&stay.number),
        StayRecord::key(&stay.number)
    );
    assert_eq!(item["fee_minor"], AttributeValue::N("10300".into()));
    assert_eq!(item["queue_key"], s(QUEUE_KEY));
    assert_eq!(item["queued_at"], item["paid_at"]);
    assert_eq!(item["passport_key"], s("FA1234567"));
    // Paid at 10:00 UTC on 2026-11-23: 16:00 that day in Bishkek.
    assert_eq!(item["paid_day"], s("2026-11-23"));
    let read: StayRecord = serde_dynamo::from_item(item).unwrap();
    assert_eq!(read.stay, stay);
}

#[test]
fn only_a_valid_record_is_in_the_expiry_index() {
    let valid = paid_stay()
        .confirm(
            "59930207077341".into(),
            &Actor::System,
            "2026-11-23T11:00:00Z",
        )
        .unwrap();
    let record = StayRecord::from(&valid);
    assert_eq!(record.valid_key.as_deref(), Some(VALID_KEY));
    assert_eq!((record.queue_key, record.queued_at), (None, None));
}

#[test]
fn a_cursor_decodes_to_the_key_it_was_made_from() {
    let cursor = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(r#"["stay#1234567890","acc","2026-11-23T10:00:00Z"]"#)
    };
    let key = decode_cursor(&cursor).unwrap();
    assert_eq!(key["pk"], s("stay#1234567890"));
    assert_eq!(decode_cursor("not base64!"), None);
}
