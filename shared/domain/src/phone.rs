//! Phone numbers in E.164, validated against the numbering plan of their country.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Code;

/// A valid phone number, kept in E.164 form (`+996700123456`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Parses an international number: `+996 700 123 456`, `996700123456` or
    /// `+7 (912) 345-67-89`. The country comes from the number itself.
    pub fn parse(raw: &str) -> Result<Self, Code> {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.len() > 32 {
            return Err(Code::InvalidPhone);
        }
        let international = if trimmed.starts_with('+') {
            trimmed.to_owned()
        } else {
            format!("+{trimmed}")
        };
        let number = phonenumber::parse(None, &international).map_err(|_| Code::InvalidPhone)?;
        if !phonenumber::is_valid(&number) {
            return Err(Code::InvalidPhone);
        }
        Ok(PhoneNumber(
            number.format().mode(phonenumber::Mode::E164).to_string(),
        ))
    }

    /// Parses a Kyrgyz mobile number, as ereg requires (`996XXXXXXXXX`).
    pub fn parse_kyrgyz_mobile(raw: &str) -> Result<Self, Code> {
        let phone = Self::parse(raw).map_err(|_| Code::InvalidKyrgyzMobile)?;
        let number = phonenumber::parse(None, &phone.0).map_err(|_| Code::InvalidKyrgyzMobile)?;
        let is_mobile = matches!(
            number.number_type(&phonenumber::metadata::DATABASE),
            phonenumber::Type::Mobile | phonenumber::Type::FixedLineOrMobile
        );
        if number.code().value() == 996 && is_mobile {
            Ok(phone)
        } else {
            Err(Code::InvalidKyrgyzMobile)
        }
    }

    /// The last two digits, for logs and messages that must not carry the number.
    pub fn masked(&self) -> String {
        let tail = &self.0[self.0.len().saturating_sub(2)..];
        format!("***{tail}")
    }
}

impl AsRef<str> for PhoneNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = Code;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_kept_in_e164() {
        assert_eq!(
            PhoneNumber::parse("+996 700 123 456").unwrap().as_ref(),
            "+996700123456"
        );
        assert_eq!(
            PhoneNumber::parse("996700123456").unwrap().as_ref(),
            "+996700123456"
        );
        assert_eq!(
            PhoneNumber::parse("+7 (912) 345-67-89").unwrap().as_ref(),
            "+79123456789"
        );
    }

    #[test]
    fn invalid_numbers_are_refused() {
        for raw in [
            "",
            "abc",
            "+996",
            "+99670012345678901",
            "123",
            "+000000000000",
        ] {
            assert_eq!(PhoneNumber::parse(raw), Err(Code::InvalidPhone), "{raw:?}");
        }
    }

    #[test]
    fn ereg_wants_a_kyrgyz_mobile() {
        assert!(PhoneNumber::parse_kyrgyz_mobile("996555123456").is_ok());
        assert_eq!(
            PhoneNumber::parse_kyrgyz_mobile("+79123456789"),
            Err(Code::InvalidKyrgyzMobile)
        );
        // A Bishkek landline is a valid number but not a mobile.
        assert_eq!(
            PhoneNumber::parse_kyrgyz_mobile("+996312123456"),
            Err(Code::InvalidKyrgyzMobile)
        );
    }

    #[test]
    fn masking_keeps_only_the_last_two_digits() {
        assert_eq!(
            PhoneNumber::parse("+996700123456").unwrap().masked(),
            "***56"
        );
    }
}
