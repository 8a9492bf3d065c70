//! What the tests of this module start from.

use time::Date;
use time::macros::date;

use super::StayForm;

pub(crate) const TODAY: Date = date!(2026 - 11 - 23);

/// A complete form, valid on [`TODAY`].
pub(crate) fn form() -> StayForm {
    StayForm {
        housing_code: Some("1-02-03-0004-0005".into()),
        passport_scan: Some(format!("upl_{}", "a".repeat(32))),
        photo: Some(format!("upl_{}", "b".repeat(32))),
        surname: Some("Karimov".into()),
        given_names: Some("Rustam".into()),
        patronymic: None,
        birth_date: Some("1988-03-02".into()),
        sex: Some("M".into()),
        nationality: Some("UZB".into()),
        document_type: None,
        document_country: Some("UZB".into()),
        document_number: Some("FA1234567".into()),
        document_issued: Some("2021-05-17".into()),
        document_expires: Some("2031-05-16".into()),
        entry_date: Some("2026-11-20".into()),
        phone: Some("996700123456".into()),
        email: Some("rustam@example.uz".into()),
        stay_from: Some("2026-11-21".into()),
        stay_to: Some("2027-02-20".into()),
        purpose: Some("work".into()),
        pin: None,
    }
}

/// The registration of [`form`], just submitted.
pub(crate) fn stay() -> super::Stay {
    let request = form()
        .parse(TODAY, &super::StayPolicy::default())
        .expect("the sample form parses");
    super::Stay::submitted(
        "9754336625".into(),
        crate::account::AccountId::new(),
        request,
        super::Place {
            housing_code: "1-02-03-0004-0005".into(),
            city: "Бишкек".into(),
            address: "г. Бишкек, ул. Исанова, 16".into(),
        },
        Vec::new(),
        "2026-11-23T09:00:00Z",
    )
}

/// The registration of [`form`], its fee paid at `paid_at` (RFC 3339).
pub(crate) fn paid_stay(paid_at: &str) -> super::Stay {
    match stay().pay(&super::fee(), paid_at) {
        Ok(super::PaymentOutcome::Paid(paid)) => paid,
        other => panic!("{other:?}"),
    }
}
