//! Secrets at rest: passwords and PINs hashed with Argon2id; one-time codes, link tokens
//! and challenge answers hashed with a keyed HMAC (they are short-lived and random, so a
//! server-side key is what stops an offline guess of a 6-digit code from a leaked table).

use std::fmt;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Argon2id memory cost in KiB (19 MiB), iterations and lanes: the OWASP baseline,
/// which fits a 256 MB Lambda with room to spare.
pub const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
pub const ARGON2_ITERATIONS: u32 = 2;
pub const ARGON2_LANES: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_LANES, None)
        .expect("Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password or PIN to a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub fn hash_secret(secret: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(secret.as_bytes(), &salt)
        .expect("hashing with valid parameters succeeds")
        .to_string()
}

/// Checks a secret against its PHC string. A malformed hash never verifies.
pub fn verify_secret(secret: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|hash| {
            Argon2::default()
                .verify_password(secret.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to compare against when there is no account, so that an unknown login costs
/// the same time as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_secret("no account has this password"))
}

/// The server's key for hashing codes and tokens. `Debug` never shows it.
#[derive(Clone)]
pub struct SecretKey(Vec<u8>);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

impl SecretKey {
    /// At least 32 bytes.
    pub fn new(bytes: Vec<u8>) -> Result<Self, &'static str> {
        if bytes.len() >= 32 {
            Ok(SecretKey(bytes))
        } else {
            Err("a secret key has at least 32 bytes")
        }
    }

    /// Keyed hash of `value` for `purpose` (purposes never collide: an activation code
    /// cannot be replayed as a PIN reset code). Hex.
    pub fn digest(&self, purpose: &str, value: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Whether `value` hashes to `expected`, in constant time.
    pub fn matches(&self, purpose: &str, value: &str, expected: &str) -> bool {
        self.digest(purpose, value)
            .as_bytes()
            .ct_eq(expected.as_bytes())
            .into()
    }

    /// 32 bytes of seed derived from the key, for generators that must be reproducible
    /// by the key holder (the image challenge).
    pub fn seed(&self, purpose: &str, value: &str) -> [u8; 32] {
        let mut seed = [0u8; 32];
        hex::decode_to_slice(self.digest(purpose, value), &mut seed)
            .expect("a digest is 32 bytes of hex");
        seed
    }
}

/// A uniformly random code of `digits` decimal digits (leading zeros kept).
pub fn random_code(digits: u32) -> String {
    let n = rand::rng().random_range(0..10u64.pow(digits));
    format!("{n:0width$}", width = digits as usize)
}

/// A random token of 32 bytes, hex: for links and sessions.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_secret_verifies_and_a_wrong_one_does_not() {
        let phc = hash_secret("Tash-Rabat#1994");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_secret("Tash-Rabat#1994", &phc));
        assert!(!verify_secret("Tash-Rabat#1995", &phc));
        assert!(!verify_secret("anything", "not a hash"));
        assert_ne!(hash_secret("same"), hash_secret("same"), "salted");
    }

    #[test]
    fn digests_depend_on_key_purpose_and_value() {
        let key = SecretKey::new(vec![7; 32]).unwrap();
        let other = SecretKey::new(vec![8; 32]).unwrap();
        let d = key.digest("activation", "123456");
        assert!(key.matches("activation", "123456", &d));
        assert!(!key.matches("activation", "123457", &d));
        assert!(!key.matches("pin-reset", "123456", &d));
        assert!(!other.matches("activation", "123456", &d));
        assert!(SecretKey::new(vec![1; 31]).is_err());
    }

    #[test]
    fn codes_have_their_length_and_tokens_are_long() {
        for _ in 0..200 {
            let code = random_code(6);
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
        assert_eq!(random_token().len(), 64);
        assert_ne!(random_token(), random_token());
    }
}
