//! Email addresses, normalised so that one mailbox is one login.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Code;

/// A syntactically valid email address, trimmed and lower-cased (the login of ereg hosts,
/// so `Ivan@Mail.KG` and `ivan@mail.kg` must be the same account).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    /// RFC 5321 limits a forward path to 256 octets including the angle brackets.
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, Code> {
        let normalised = raw.trim().to_lowercase();
        if normalised.is_empty() || normalised.len() > Self::MAX_LEN {
            return Err(Code::InvalidEmail);
        }
        let options = email_address::Options::default()
            .without_display_text()
            .without_domain_literal()
            .with_required_tld();
        email_address::EmailAddress::parse_with_options(&normalised, options)
            .map(|_| EmailAddress(normalised))
            .map_err(|_| Code::InvalidEmail)
    }

    /// The domain part, for logs that must not carry the whole address.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or_default()
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = Code;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        let email = EmailAddress::parse("  Aibek.Asanov@Mail.KG ").unwrap();
        assert_eq!(email.as_ref(), "aibek.asanov@mail.kg");
        assert_eq!(email.domain(), "mail.kg");
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for raw in [
            "",
            "   ",
            "plainaddress",
            "@mail.kg",
            "aibek@",
            "aibek@mail",
            "aibek@@mail.kg",
            "Aibek <aibek@mail.kg>",
            "aibek@[127.0.0.1]",
            "aibek mail@mail.kg",
        ] {
            assert_eq!(EmailAddress::parse(raw), Err(Code::InvalidEmail), "{raw:?}");
        }
    }

    #[test]
    fn overlong_addresses_are_refused() {
        let raw = format!("{}@mail.kg", "a".repeat(250));
        assert_eq!(EmailAddress::parse(&raw), Err(Code::InvalidEmail));
    }

    #[test]
    fn deserialising_validates() {
        assert!(serde_json::from_str::<EmailAddress>("\"a@b.kg\"").is_ok());
        assert!(serde_json::from_str::<EmailAddress>("\"not-an-email\"").is_err());
    }
}
