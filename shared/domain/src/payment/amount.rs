//! An amount of money: integer minor units (tyiyn for the som) and the currency. Every
//! fee, order and payment carries one, so the two never travel apart.

use serde::{Deserialize, Serialize};

/// An amount in integer minor units of `currency` (`10300` KGS is 103.00 som). Stored
/// and sent as `amount_minor` and `currency`, the names the API has always used.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Amount {
    pub amount_minor: u64,
    /// Three letters, `KGS`.
    pub currency: String,
}

impl Amount {
    /// `amount_minor` minor units of `currency`.
    pub fn new(amount_minor: u64, currency: impl Into<String>) -> Self {
        Amount {
            amount_minor,
            currency: currency.into(),
        }
    }

    /// The number as printed, without the currency: `103.00`.
    pub fn text(&self) -> String {
        super::amount_text(self.amount_minor)
    }
}

/// `103.00 KGS`.
impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.text(), self.currency)
    }
}

/// An amount stored as `fee_minor` and `currency`, as a registration's fee is: for
/// `#[serde(flatten, with = "fee_fields")]`.
pub mod fee_fields {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Amount;

    #[derive(Serialize)]
    struct FeeRef<'a> {
        fee_minor: u64,
        currency: &'a str,
    }

    #[derive(Deserialize)]
    struct Fee {
        fee_minor: u64,
        currency: String,
    }

    pub fn serialize<S: Serializer>(amount: &Amount, serializer: S) -> Result<S::Ok, S::Error> {
        FeeRef {
            fee_minor: amount.amount_minor,
            currency: &amount.currency,
        }
        .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        let fee = Fee::deserialize(deserializer)?;
        Ok(Amount::new(fee.fee_minor, fee.currency))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_prints_with_two_decimals_and_its_currency() {
        assert_eq!(Amount::new(10_300, "KGS").to_string(), "103.00 KGS");
        assert_eq!(Amount::new(5, "KGS").text(), "0.05");
    }

    #[test]
    fn a_fee_keeps_its_stored_field_names() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct WithFee {
            number: String,
            #[serde(flatten, with = "fee_fields")]
            fee: Amount,
        }
        let value = WithFee {
            number: "1".into(),
            fee: Amount::new(10_300, "KGS"),
        };
        let json = serde_json::to_value(&value).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"number": "1", "fee_minor": 10_300, "currency": "KGS"})
        );
        assert_eq!(serde_json::from_value::<WithFee>(json).unwrap(), value);
    }
}
