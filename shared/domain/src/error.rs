//! Errors of the domain, each with a stable code and a message in ky, ru and en.

use serde::Serialize;

use crate::Lang;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal { ky: $ky:literal, ru: $ru:literal, en: $en:literal } )*) => {
        /// A stable error code. Clients branch on `as_str()`; people read `message()`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, for documentation and catalogue checks.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable machine-readable code.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The human message in the caller's language.
            pub fn message(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (Code::$variant, Lang::Ky) => $ky,
                        (Code::$variant, Lang::Ru) => $ru,
                        (Code::$variant, Lang::En) => $en,
                    )*
                }
            }
        }
    };
}

codes! {
    /// The body is not JSON of the expected shape.
    InvalidBody = "invalid_body" {
        ky: "Сурамдын мазмуну туура эмес. Маалыматтарды текшерип, кайра жөнөтүңүз.",
        ru: "Неверный формат запроса. Проверьте данные и отправьте ещё раз.",
        en: "The request body is malformed. Check the data and send it again."
    }
    /// One or more fields failed validation; `errors` lists them.
    InvalidFields = "invalid_fields" {
        ky: "Айрым талаалар туура эмес толтурулган.",
        ru: "Некоторые поля заполнены неверно.",
        en: "Some fields are not filled in correctly."
    }
    /// A required field is missing or empty.
    Required = "required" {
        ky: "Бул талааны толтуруу милдеттүү.",
        ru: "Это поле обязательно для заполнения.",
        en: "This field is required."
    }
    /// Not a valid email address.
    InvalidEmail = "invalid_email" {
        ky: "Электрондук почтанын дареги туура эмес.",
        ru: "Неверный адрес электронной почты.",
        en: "The email address is not valid."
    }
    /// Not a valid international phone number.
    InvalidPhone = "invalid_phone" {
        ky: "Телефон номери туура эмес. Номерди эл аралык форматта жазыңыз, мисалы +996700123456.",
        ru: "Неверный номер телефона. Укажите номер в международном формате, например +996700123456.",
        en: "The phone number is not valid. Enter it in international format, e.g. +996700123456."
    }
    /// Not a Kyrgyz mobile number of the form 996XXXXXXXXX.
    InvalidKyrgyzMobile = "invalid_kyrgyz_mobile" {
        ky: "Кыргызстандын мобилдик номерин 996XXXXXXXXX форматында жазыңыз.",
        ru: "Укажите мобильный номер Кыргызстана в формате 996XXXXXXXXX.",
        en: "Enter a Kyrgyz mobile number in the form 996XXXXXXXXX."
    }
    /// The body is not `application/json`.
    UnsupportedMediaType = "unsupported_media_type" {
        ky: "Сурам JSON форматында жөнөтүлүшү керек.",
        ru: "Запрос должен быть отправлен в формате JSON.",
        en: "The request must be sent as JSON."
    }
    /// The body is larger than the route accepts.
    PayloadTooLarge = "payload_too_large" {
        ky: "Сурам өтө чоң.",
        ru: "Запрос слишком большой.",
        en: "The request is too large."
    }
    /// No such route.
    RouteNotFound = "route_not_found" {
        ky: "Мындай дарек жок.",
        ru: "Такого адреса нет.",
        en: "There is no such address."
    }
    /// The route exists but not with this method.
    MethodNotAllowed = "method_not_allowed" {
        ky: "Бул дарекке мындай сурам жөнөтүүгө болбойт.",
        ru: "Этот метод запроса не поддерживается для данного адреса.",
        en: "This method is not allowed for this address."
    }
    /// Something failed on our side; the cause is in the logs under the request id.
    Internal = "internal" {
        ky: "Ички ката кетти. Бир аздан кийин кайра аракет кылыңыз.",
        ru: "Произошла внутренняя ошибка. Повторите попытку позже.",
        en: "Something went wrong on our side. Please try again later."
    }
    /// A service we depend on did not answer.
    Unavailable = "unavailable" {
        ky: "Кызмат убактылуу жеткиликсиз. Бир аздан кийин кайра аракет кылыңыз.",
        ru: "Сервис временно недоступен. Повторите попытку позже.",
        en: "The service is temporarily unavailable. Please try again later."
    }
    /// A queued notification that can never be sent (bad address, unknown template).
    InvalidNotification = "invalid_notification" {
        ky: "Билдирүүнү жөнөтүүгө мүмкүн эмес.",
        ru: "Уведомление не может быть отправлено.",
        en: "The notification cannot be sent."
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A field that failed validation: its path in the request and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: Code,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: Code) -> Self {
        Self {
            field: field.into(),
            code,
        }
    }
}

/// What the domain can refuse. The HTTP edge maps each variant to a status once.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DomainError {
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("not found: {0}")]
    NotFound(Code),
    #[error("conflict: {0}")]
    Conflict(Code),
    #[error("forbidden: {0}")]
    Forbidden(Code),
    #[error("unauthenticated: {0}")]
    Unauthenticated(Code),
    #[error("too many requests: {code}")]
    TooManyRequests { code: Code, retry_after_secs: u64 },
}

impl DomainError {
    pub fn code(&self) -> Code {
        match self {
            DomainError::Invalid(_) => Code::InvalidFields,
            DomainError::NotFound(code)
            | DomainError::Conflict(code)
            | DomainError::Forbidden(code)
            | DomainError::Unauthenticated(code)
            | DomainError::TooManyRequests { code, .. } => *code,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_match_serde() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(s.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{s}");
            assert_eq!(serde_json::to_value(code).unwrap(), s);
        }
    }

    #[test]
    fn every_code_has_a_distinct_message_in_each_language() {
        for code in Code::ALL {
            let [ky, ru, en] = Lang::ALL.map(|lang| code.message(lang));
            assert!(!ky.is_empty() && !ru.is_empty() && !en.is_empty());
            assert_ne!(ky, ru, "{code}: ky equals ru");
            assert_ne!(ru, en, "{code}: ru equals en");
            assert!(
                ru.chars()
                    .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap()))
            );
        }
    }
}
