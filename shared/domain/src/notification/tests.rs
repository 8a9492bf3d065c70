//! Unit tests of `notification`.

use super::*;

fn activation(lang: Lang) -> Notification {
    Notification {
        id: NotificationId::parse("activation-code:acc-1:1").unwrap(),
        lang,
        to: Recipient {
            email: Some(EmailAddress::parse("host@mail.kg").unwrap()),
            phone: Some(PhoneNumber::parse("+996700123456").unwrap()),
        },
        template: Template::ActivationCode {
            code: "482913".into(),
            valid_minutes: 10,
        },
    }
}

#[test]
fn every_template_renders_in_every_language() {
    for lang in Lang::ALL {
        let rendered = activation(lang).render().unwrap();
        let email = rendered.email.unwrap();
        assert!(email.text.contains("482913"), "{lang}: {}", email.text);
        assert!(email.html.contains("482913"), "{lang}");
        assert!(email.html.contains(&format!("lang=\"{lang}\"")));
        assert!(rendered.sms.unwrap().text.contains("482913"));

        let confirmation = Notification {
            template: Template::EmailConfirmation {
                name: "Aibek".into(),
                link: "https://e.example/confirm?t=abc&x=1".into(),
            },
            to: Recipient {
                email: Some(EmailAddress::parse("employer@mail.kg").unwrap()),
                phone: Some(PhoneNumber::parse("+996700123456").unwrap()),
            },
            ..activation(lang)
        };
        let rendered = confirmation.render().unwrap();
        assert!(
            rendered.sms.is_none(),
            "confirmation links go by email only"
        );
        let email = rendered.email.unwrap();
        assert!(email.text.contains("https://e.example/confirm?t=abc&x=1"));
        assert!(email.html.contains("t=abc&amp;x=1"));
        assert!(!email.html.contains("t=abc&x=1"));
    }
}

#[test]
fn the_operator_and_second_factor_templates_render_in_every_language() {
    for lang in Lang::ALL {
        let render = |template: Template| {
            Notification {
                template,
                ..activation(lang)
            }
            .render()
            .unwrap()
        };
        let activated = render(Template::AccountActivated {
            name: "Aibek".into(),
            sign_in_link: "https://e.example/sign-in".into(),
        });
        assert!(activated.sms.is_none());
        let email = activated.email.unwrap();
        assert!(email.text.contains("Aibek") && email.text.contains("/sign-in"));

        let refused = render(Template::AccountRefused {
            name: "Aibek".into(),
            reason: "Скан <паспорта> нечитаем".into(),
        })
        .email
        .unwrap();
        assert!(refused.text.contains("Скан <паспорта> нечитаем"));
        assert!(refused.html.contains("Скан &lt;паспорта&gt; нечитаем"));

        let set = render(Template::SetPassword {
            login: "op.labour1".into(),
            link: "https://e.example/set-password?token=t1".into(),
            valid_hours: 72,
        })
        .email
        .unwrap();
        assert!(set.text.contains("op.labour1") && set.text.contains("token=t1"));
        assert!(set.text.contains("72"));

        let code = render(Template::VerificationCode {
            code: "602118".into(),
            valid_minutes: 5,
        });
        assert!(code.email.is_none(), "verification codes go by SMS only");
        assert!(code.sms.unwrap().text.contains("602118"));

        let approved = render(Template::ChangeRequestDecided {
            approved: true,
            reason: String::new(),
        })
        .email
        .unwrap();
        let refused = render(Template::ChangeRequestDecided {
            approved: false,
            reason: "Фото не соответствует".into(),
        })
        .email
        .unwrap();
        assert_ne!(approved.subject, refused.subject);
        assert!(refused.text.contains("Фото не соответствует"));
    }
}

#[test]
fn the_account_templates_render_in_every_language() {
    for lang in Lang::ALL {
        let exists = Notification {
            template: Template::AccountExists {
                sign_in_link: "https://e.example/sign-in".into(),
                reset_link: "https://e.example/reset".into(),
            },
            ..activation(lang)
        };
        let rendered = exists.render().unwrap();
        assert!(rendered.sms.is_none());
        assert!(
            rendered
                .email
                .unwrap()
                .text
                .contains("https://e.example/reset")
        );
        let pin = Notification {
            template: Template::ActionPin { pin: "7391".into() },
            ..activation(lang)
        };
        let rendered = pin.render().unwrap();
        assert!(rendered.email.unwrap().text.contains("7391"));
        assert!(rendered.sms.unwrap().text.contains("7391"));
    }
}

#[test]
fn the_registration_decisions_render_in_every_language_by_email_and_sms() {
    for lang in Lang::ALL {
        let decided = |confirmed: bool| Notification {
            template: Template::RegistrationDecided {
                application: "9754336625".into(),
                guest: "KARIMOV RUSTAM".into(),
                confirmed,
                registration_number: if confirmed {
                    "59930207077349".into()
                } else {
                    String::new()
                },
                valid_from: "2026-11-21".into(),
                valid_to: "2027-02-20".into(),
                reason: if confirmed {
                    String::new()
                } else {
                    "Passport scan unreadable".into()
                },
            },
            ..activation(lang)
        };
        let confirmed = decided(true).render().unwrap();
        let email = confirmed.email.unwrap();
        assert!(email.subject.contains("9754336625"));
        assert!(email.text.contains("59930207077349"));
        assert!(confirmed.sms.unwrap().text.contains("59930207077349"));
        let refused = decided(false).render().unwrap();
        assert!(
            refused
                .email
                .unwrap()
                .text
                .contains("Passport scan unreadable")
        );
        assert!(refused.sms.unwrap().text.contains("KARIMOV RUSTAM"));
    }
}

#[test]
fn the_payment_receipt_renders_in_every_language_by_email_only() {
    for lang in Lang::ALL {
        let receipt = Notification {
            template: Template::PaymentReceived {
                application: "9754336625".into(),
                order_number: "9754336625_1682365175".into(),
                amount: "103.00 KGS".into(),
            },
            ..activation(lang)
        };
        let rendered = receipt.render().unwrap();
        assert!(rendered.sms.is_none());
        let email = rendered.email.unwrap();
        assert!(email.subject.contains("9754336625"));
        assert!(email.text.contains("103.00 KGS"));
        assert!(email.text.contains("9754336625_1682365175"));
    }
}

#[test]
fn the_languages_differ() {
    let subjects: Vec<_> = Lang::ALL
        .map(|lang| activation(lang).render().unwrap().email.unwrap().subject)
        .into();
    assert_ne!(subjects[0], subjects[1]);
    assert_ne!(subjects[1], subjects[2]);
}

#[test]
fn values_are_escaped_in_html_but_not_in_text() {
    let n = Notification {
        template: Template::EmailConfirmation {
            name: "<script>alert(1)</script>".into(),
            link: "https://e.example/c".into(),
        },
        ..activation(Lang::En)
    };
    let email = n.render().unwrap().email.unwrap();
    assert!(!email.html.contains("<script>"));
    assert!(email.html.contains("&lt;script&gt;"));
    assert!(email.text.contains("<script>"));
}

#[test]
fn a_recipient_without_a_usable_channel_is_undeliverable() {
    let n = Notification {
        to: Recipient {
            email: None,
            phone: Some(PhoneNumber::parse("+996700123456").unwrap()),
        },
        template: Template::EmailConfirmation {
            name: "A".into(),
            link: "https://e.example/c".into(),
        },
        ..activation(Lang::Ru)
    };
    assert!(matches!(n.render(), Err(Undeliverable::NoChannel { .. })));
}

#[test]
fn the_wire_format_is_stable() {
    let json = serde_json::to_value(activation(Lang::Ru)).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "id": "activation-code:acc-1:1",
            "lang": "ru",
            "to": {"email": "host@mail.kg", "phone": "+996700123456"},
            "template": "activation_code",
            "params": {"code": "482913", "valid_minutes": 10}
        })
    );
    let back: Notification = serde_json::from_value(json).unwrap();
    assert_eq!(back, activation(Lang::Ru));
}

#[test]
fn bad_addresses_and_unknown_templates_do_not_parse() {
    let mut json = serde_json::to_value(activation(Lang::Ru)).unwrap();
    json["to"]["email"] = "not an address".into();
    assert!(serde_json::from_value::<Notification>(json.clone()).is_err());
    json["to"]["email"] = "host@mail.kg".into();
    json["template"] = "no_such_template".into();
    assert!(serde_json::from_value::<Notification>(json).is_err());
}

#[test]
fn notification_ids_are_restricted() {
    assert!(NotificationId::parse("registration-confirmed:9754336625:v2").is_ok());
    assert!(NotificationId::parse("").is_err());
    assert!(NotificationId::parse("has space").is_err());
    assert!(NotificationId::parse(&"a".repeat(201)).is_err());
}

#[test]
fn the_reset_link_goes_by_email_only_in_every_language() {
    for lang in Lang::ALL {
        let reset = Notification {
            template: Template::PasswordReset {
                link: "https://e.example/reset?t=1".into(),
                valid_minutes: 60,
            },
            ..activation(lang)
        };
        let rendered = reset.render().unwrap();
        assert!(rendered.sms.is_none());
        let email = rendered.email.unwrap();
        assert!(email.text.contains("https://e.example/reset?t=1"));
        assert!(email.text.contains("60"));
    }
}

#[test]
fn an_application_update_names_only_the_number_and_the_status_by_email() {
    for lang in Lang::ALL {
        let render = |status: Option<crate::ework::Status>| {
            Notification {
                template: Template::ApplicationUpdate {
                    application: "Q-12345678".into(),
                    status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
                    status_label: status.map(|s| s.label(lang).to_owned()).unwrap_or_default(),
                },
                ..activation(lang)
            }
            .render()
            .unwrap()
        };
        // Every status, those of every kind included, renders in every language.
        for status in crate::ework::Status::ALL {
            let changed = render(Some(status));
            assert!(changed.sms.is_none());
            let email = changed.email.unwrap();
            assert!(email.subject.contains("Q-12345678"));
            assert!(
                email.subject.contains(status.label(lang)),
                "{lang}: {}",
                email.subject
            );
        }
        let message = render(None).email.unwrap();
        assert!(message.subject.contains("Q-12345678"));
        assert!(message.text.contains("Q-12345678"));
    }
}

#[test]
fn a_permit_change_reaches_its_holder_by_email_and_sms_in_every_language() {
    for lang in Lang::ALL {
        for change in ["granted", "extended", "revoked"] {
            let rendered = Notification {
                template: Template::PermitChanged {
                    permit: "P-41627985".into(),
                    change: change.into(),
                    valid_until: "2027-12-06".into(),
                    employer: "Ala-Too Kurulush LLC".into(),
                },
                ..activation(lang)
            }
            .render()
            .unwrap();
            let email = rendered.email.unwrap();
            assert!(email.subject.contains("P-41627985"), "{lang} {change}");
            assert!(
                email.text.contains("Ala-Too Kurulush LLC"),
                "{lang} {change}"
            );
            let sms = rendered.sms.unwrap().text;
            assert!(sms.contains("P-41627985"), "{lang} {change}: {sms}");
            assert_eq!(
                sms.contains("2027-12-06"),
                change != "revoked",
                "{lang} {change}: {sms}"
            );
        }
    }
}
