//! The three secrets a function may be granted, read once per cold start.
//!
//! A secret comes from its own variable where one is set (a local run names the value
//! itself), otherwise from Secrets Manager by the id in `<VARIABLE>_SECRET_ID`, which the
//! template gives only to the functions it grants the secret to. A function asks for the
//! secrets it uses; one it did not ask for is absent, and using it is a startup bug.

use domain::secrets::SecretKey;

/// A secret a function may need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Secret {
    /// Hashes one-time codes, link tokens, draft tokens and challenge answers (hex, 32
    /// bytes or more).
    Key,
    /// The card processor signs its webhooks with it (HMAC-SHA256).
    PaymentWebhook,
    /// The Ed25519 seed printed documents are signed with (hex, 32 bytes).
    PrintSigning,
}

impl Secret {
    pub const ALL: [Secret; 3] = [Secret::Key, Secret::PaymentWebhook, Secret::PrintSigning];

    /// The variable that carries the value itself.
    pub const fn variable(self) -> &'static str {
        match self {
            Secret::Key => "SECRET_KEY",
            Secret::PaymentWebhook => "PAYMENT_WEBHOOK_SECRET",
            Secret::PrintSigning => "PRINT_SIGNING_KEY",
        }
    }

    /// The variable that names it in Secrets Manager.
    pub fn id_variable(self) -> String {
        format!("{}_SECRET_ID", self.variable())
    }
}

/// The secrets a function holds; `None` for those it was not granted.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    pub key: Option<SecretKey>,
    pub payment_webhook: Option<Vec<u8>>,
    pub print_signing: Option<[u8; 32]>,
}

impl Secrets {
    /// Every secret, as a local run has them.
    pub fn all(key: SecretKey, payment_webhook: Vec<u8>, print_signing: [u8; 32]) -> Self {
        Secrets {
            key: Some(key),
            payment_webhook: Some(payment_webhook),
            print_signing: Some(print_signing),
        }
    }

    /// Takes one secret's raw value, checking its form.
    pub fn set(&mut self, secret: Secret, raw: &str) -> Result<(), String> {
        let raw = raw.trim();
        match secret {
            Secret::Key => {
                let bytes = hex::decode(raw).map_err(|_| "SECRET_KEY is not hex".to_owned())?;
                self.key = Some(SecretKey::new(bytes).map_err(|e| format!("SECRET_KEY: {e}"))?);
            }
            Secret::PaymentWebhook => {
                if raw.len() < 32 {
                    return Err("PAYMENT_WEBHOOK_SECRET is shorter than 32 characters".into());
                }
                self.payment_webhook = Some(raw.as_bytes().to_vec());
            }
            Secret::PrintSigning => {
                let seed = hex::decode(raw)
                    .ok()
                    .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                    .ok_or("PRINT_SIGNING_KEY is not 32 bytes of hex")?;
                self.print_signing = Some(seed);
            }
        }
        Ok(())
    }

    /// Reads the `wanted` secrets: from their variables (`var`) where set, otherwise
    /// from Secrets Manager by the ids their `_SECRET_ID` variables give, all at once.
    /// Panics with the variable's name when one is missing or malformed: a function must
    /// not start without its secrets.
    pub async fn load(
        sdk: &aws_config::SdkConfig,
        wanted: &[Secret],
        var: impl Fn(&str) -> Option<String>,
    ) -> Secrets {
        let mut secrets = Secrets::default();
        let mut remote = Vec::new();
        for &secret in wanted {
            match var(secret.variable()) {
                Some(value) => secrets
                    .set(secret, &value)
                    .unwrap_or_else(|err| panic!("{err}")),
                None => {
                    let name = secret.id_variable();
                    let id = var(&name).unwrap_or_else(|| {
                        panic!("neither {} nor {name} is set", secret.variable())
                    });
                    remote.push((secret, id));
                }
            }
        }
        if !remote.is_empty() {
            for (secret, value) in fetch(sdk, remote).await {
                secrets
                    .set(secret, &value)
                    .unwrap_or_else(|err| panic!("{err}"));
            }
        }
        secrets
    }

    /// The hashing key. Panics when the function did not ask for it.
    pub fn key(&self) -> &SecretKey {
        self.key
            .as_ref()
            .expect("this function did not ask for SECRET_KEY (its SECRETS)")
    }

    /// The webhook secret. Panics when the function did not ask for it.
    pub fn payment_webhook(&self) -> &[u8] {
        self.payment_webhook
            .as_deref()
            .expect("this function did not ask for PAYMENT_WEBHOOK_SECRET (its SECRETS)")
    }

    /// The document signing seed. Panics when the function did not ask for it.
    pub fn print_signing(&self) -> [u8; 32] {
        self.print_signing
            .expect("this function did not ask for PRINT_SIGNING_KEY (its SECRETS)")
    }
}

/// The values of the secrets with these ids, read concurrently.
#[cfg(feature = "secrets")]
async fn fetch(sdk: &aws_config::SdkConfig, ids: Vec<(Secret, String)>) -> Vec<(Secret, String)> {
    let client = aws_sdk_secretsmanager::Client::new(sdk);
    let reads = ids.into_iter().map(|(secret, id)| {
        let client = client.clone();
        async move {
            let name = secret.id_variable();
            let value = client
                .get_secret_value()
                .secret_id(id)
                .send()
                .await
                .unwrap_or_else(|err| {
                    panic!(
                        "reading {name} from Secrets Manager: {}",
                        aws_sdk_secretsmanager::error::DisplayErrorContext(&err)
                    )
                })
                .secret_string
                .unwrap_or_else(|| panic!("the secret {name} names holds no string"));
            (secret, value)
        }
    });
    futures::future::join_all(reads).await
}

#[cfg(not(feature = "secrets"))]
async fn fetch(_: &aws_config::SdkConfig, ids: Vec<(Secret, String)>) -> Vec<(Secret, String)> {
    let missing: Vec<&str> = ids.iter().map(|(s, _)| s.variable()).collect();
    panic!("{missing:?} not set, and this build reads no secrets from Secrets Manager");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_secret_is_checked_for_its_form() {
        let mut secrets = Secrets::default();
        assert!(secrets.set(Secret::Key, "abc").is_err());
        assert!(secrets.set(Secret::Key, &"ab".repeat(16)).is_err());
        assert!(secrets.set(Secret::Key, &"ab".repeat(32)).is_ok());
        assert!(secrets.set(Secret::PaymentWebhook, "short").is_err());
        assert!(secrets.set(Secret::PaymentWebhook, &"w".repeat(32)).is_ok());
        assert!(secrets.set(Secret::PrintSigning, &"0f".repeat(31)).is_err());
        assert!(secrets.set(Secret::PrintSigning, &"0f".repeat(32)).is_ok());
        assert_eq!(secrets.print_signing(), [0x0f; 32]);
        assert_eq!(secrets.payment_webhook(), "w".repeat(32).as_bytes());
    }

    #[tokio::test]
    async fn a_secret_neither_given_nor_named_stops_the_start_with_both_variables() {
        let sdk = aws_config::SdkConfig::builder().build();
        let started =
            tokio::spawn(async move { Secrets::load(&sdk, &[Secret::Key], |_| None).await });
        let failure = started.await.expect_err("no key, no start");
        let message = failure
            .into_panic()
            .downcast::<String>()
            .map(|m| *m)
            .unwrap_or_default();
        assert!(
            message.contains("SECRET_KEY") && message.contains("SECRET_KEY_SECRET_ID"),
            "{message}"
        );
    }

    #[test]
    fn a_secret_not_asked_for_is_absent() {
        let secrets = Secrets::default();
        assert!(secrets.key.is_none());
        let taken = std::panic::catch_unwind(|| secrets.print_signing());
        assert!(taken.is_err());
    }
}
