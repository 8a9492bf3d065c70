//! Messages from the ministry to an applicant about one application: an operator's own
//! words, or a standard text that every status change leaves. A standard text is kept
//! as what happened and put into words when read, so the applicant reads it in the
//! language they read in (the seed's "Dear user, your … application for NAME is
//! rejected. For more information, …").

use serde::{Deserialize, Serialize};

use super::{Kind, Status};
use crate::Lang;
use crate::account::AccountId;

/// The longest message an operator may write.
pub const MESSAGE_MAX: usize = 2000;

/// What a message says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MessageBody {
    /// An operator's own words, as written.
    Text { text: String },
    /// The standard text of a status change: the application of `kind` for `name` is
    /// now `status`; `note` is the reason or what the operator asks for.
    StatusChanged {
        kind: Kind,
        status: Status,
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The state fee of the application of `kind` for `name` was not paid by `due_by`:
    /// its allocation lapsed.
    AllocationLapsed {
        kind: Kind,
        name: String,
        due_by: time::Date,
    },
    /// The work permit for `name` was extended to `valid_until`.
    PermitExtended {
        name: String,
        valid_until: time::Date,
    },
    /// The extension of the work permit for `name` was refused for `reason`; the
    /// permit keeps its dates.
    ExtensionRefused { name: String, reason: String },
}

/// The signature under every standard text.
fn ministry(lang: Lang) -> &'static str {
    match lang {
        Lang::Ky => "Кыргыз Республикасынын Эмгек, социалдык камсыздоо жана миграция министрлиги",
        Lang::Ru => "Министерство труда, социального обеспечения и миграции Кыргызской Республики",
        Lang::En => "Ministry of Labour, Social Security and Migration of the Kyrgyz Republic",
    }
}

/// What happened to the application, as the sentence's verb.
fn verb(status: Status, lang: Lang) -> &'static str {
    match (status, lang) {
        (Status::Submitted, Lang::Ky) => "кайра каралууга кабыл алынды",
        (Status::Submitted, Lang::Ru) => "принято к рассмотрению",
        (Status::Submitted, Lang::En) => "is accepted for examination",
        (Status::InClarification, Lang::Ky) => "тактоо үчүн кайтарылды",
        (Status::InClarification, Lang::Ru) => "возвращено на уточнение",
        (Status::InClarification, Lang::En) => "is returned for clarification",
        (Status::Confirmed, Lang::Ky) => "ырасталды",
        (Status::Confirmed, Lang::Ru) => "подтверждено",
        (Status::Confirmed, Lang::En) => "is confirmed",
        (Status::Rejected, Lang::Ky) => "четке кагылды",
        (Status::Rejected, Lang::Ru) => "отклонено",
        (Status::Rejected, Lang::En) => "is rejected",
        (Status::Annulled, Lang::Ky) => "жокко чыгарылды",
        (Status::Annulled, Lang::Ru) => "аннулировано",
        (Status::Annulled, Lang::En) => "is annulled",
        (Status::Exhausted, Lang::Ky) => "канааттандырылбайт: квотадагы орундар түгөндү",
        (Status::Exhausted, Lang::Ru) => "не может быть удовлетворено: места квоты исчерпаны",
        (Status::Exhausted, Lang::En) => "cannot be granted: the places of the quota are used up",
        (Status::ExtensionRequested, Lang::Ky) => "узартууга жөнөтүлдү",
        (Status::ExtensionRequested, Lang::Ru) => "направлено на продление",
        (Status::ExtensionRequested, Lang::En) => "is sent for extension",
        (Status::Revoked, Lang::Ky) => "кайтарылып алынды",
        (Status::Revoked, Lang::Ru) => "отозвано",
        (Status::Revoked, Lang::En) => "is revoked",
    }
}

/// The heading of the note under the sentence.
fn note_heading(status: Status, lang: Lang) -> &'static str {
    match (status == Status::InClarification, lang) {
        (true, Lang::Ky) => "Эмне керек",
        (true, Lang::Ru) => "Что необходимо",
        (true, Lang::En) => "What is needed",
        (false, Lang::Ky) => "Себеби",
        (false, Lang::Ru) => "Причина",
        (false, Lang::En) => "Reason",
    }
}

impl MessageBody {
    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            MessageBody::Text { text } => text.clone(),
            MessageBody::StatusChanged {
                kind,
                status,
                name,
                note,
            } => standard_text(*kind, *status, name, note.as_deref(), lang),
            MessageBody::AllocationLapsed { kind, name, due_by } => {
                lapsed_text(*kind, name, *due_by, lang)
            }
            MessageBody::PermitExtended { name, valid_until } => {
                let sentence = match lang {
                    Lang::Ky => {
                        format!("{name} үчүн иштөөгө уруксат {valid_until} чейин узартылды.")
                    }
                    Lang::Ru => {
                        format!("Разрешение на работу для {name} продлено до {valid_until}.")
                    }
                    Lang::En => {
                        format!("The work permit for {name} is extended until {valid_until}.")
                    }
                };
                framed(&sentence, lang)
            }
            MessageBody::ExtensionRefused { name, reason } => {
                let sentence = match lang {
                    Lang::Ky => format!(
                        "{name} үчүн иштөөгө уруксатты узартуудан баш тартылды; уруксат мурунку мөөнөтүнө чейин жарактуу.\nСебеби: {reason}"
                    ),
                    Lang::Ru => format!(
                        "В продлении разрешения на работу для {name} отказано; разрешение действует до прежней даты.\nПричина: {reason}"
                    ),
                    Lang::En => format!(
                        "The extension of the work permit for {name} is refused; the permit stays valid until its former last day.\nReason: {reason}"
                    ),
                };
                framed(&sentence, lang)
            }
        }
    }
}

/// The standard text of a lapsed allocation in `lang`.
fn lapsed_text(kind: Kind, name: &str, due_by: time::Date, lang: Lang) -> String {
    let sentence = match lang {
        Lang::Ky => format!(
            "{name} үчүн {} боюнча мамлекеттик алымды төлөө мөөнөтү {due_by} бүттү; бөлүнгөн квоталарды мындан ары колдонууга болбойт.",
            kind.noun(lang)
        ),
        Lang::Ru => format!(
            "Срок оплаты государственной пошлины по заявлению на получение квоты для {name} истёк {due_by}; выделенные квоты больше не могут быть использованы."
        ),
        Lang::En => format!(
            "The state fee for your quota application for {name} was not paid by {due_by}; the allocated quotas can no longer be used."
        ),
    };
    framed(&sentence, lang)
}

/// `sentence` between the standard greeting and the ministry's signature.
fn framed(sentence: &str, lang: Lang) -> String {
    let (greeting, more) = match lang {
        Lang::Ky => (
            "Урматтуу колдонуучу,",
            "Кененирээк маалымат алуу үчүн Кыргыз Республикасынын Эмгек, социалдык камсыздоо жана миграция министрлигине кайрылыңыз.",
        ),
        Lang::Ru => (
            "Уважаемый пользователь,",
            "Для подробной информации обратитесь в Министерство труда, социального обеспечения и миграции Кыргызской Республики.",
        ),
        Lang::En => (
            "Dear user,",
            "For more information, please, apply to the Ministry of Labour, Social Security and Migration of the Kyrgyz Republic.",
        ),
    };
    format!("{greeting}\n{sentence}\n{more}\n-----\n{}", ministry(lang))
}

/// The seed's standard decision text in `lang`.
fn standard_text(kind: Kind, status: Status, name: &str, note: Option<&str>, lang: Lang) -> String {
    let (greeting, sentence, more) = match lang {
        Lang::Ky => (
            "Урматтуу колдонуучу,",
            format!("{name} үчүн {} {}.", kind.noun(lang), verb(status, lang)),
            "Кененирээк маалымат алуу үчүн Кыргыз Республикасынын Эмгек, социалдык камсыздоо жана миграция министрлигине кайрылыңыз.",
        ),
        Lang::Ru => (
            "Уважаемый пользователь,",
            format!("{} для {name} {}.", kind.noun(lang), verb(status, lang)),
            "Для подробной информации обратитесь в Министерство труда, социального обеспечения и миграции Кыргызской Республики.",
        ),
        Lang::En => (
            "Dear user,",
            format!("{} for {name} {}.", kind.noun(lang), verb(status, lang)),
            "For more information, please, apply to the Ministry of Labour, Social Security and Migration of the Kyrgyz Republic.",
        ),
    };
    let note = note
        .map(|n| format!("{}: {n}\n", note_heading(status, lang)))
        .unwrap_or_default();
    format!(
        "{greeting}\n{sentence}\n{note}{more}\n-----\n{}",
        ministry(lang)
    )
}

/// A message to an applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub recipient: AccountId,
    /// The time's digits and a random suffix (`20261204100000-1f2e3d4c`): messages sort
    /// by time, never collide, and the id goes in a URL as it is.
    pub id: String,
    /// RFC 3339, UTC.
    pub at: String,
    /// The application it is about.
    pub application: String,
    pub body: MessageBody,
    /// The operator's account id, or `system`.
    pub from: String,
    #[serde(default)]
    pub read: bool,
}

impl Message {
    /// A new unread message to `recipient` about `application`, at `now`.
    pub fn new(
        recipient: AccountId,
        application: &str,
        body: MessageBody,
        from: String,
        now: &str,
    ) -> Message {
        Message {
            recipient,
            id: format!(
                "{}-{}",
                now.chars().filter(char::is_ascii_digit).collect::<String>(),
                &crate::secrets::random_token()[..8]
            ),
            at: now.to_owned(),
            application: application.to_owned(),
            body,
            from,
            read: false,
        }
    }
}
