//! Second factors at sign-in: an authenticator app (TOTP, RFC 6238) with ten single-use
//! backup codes, or a code sent by SMS.
//!
//! No TOTP secret is stored: it is derived from the server key and a random seed kept
//! on the account, so a copy of the tables alone cannot produce codes. Backup codes are
//! stored only as keyed digests.

use serde::{Deserialize, Serialize};
use totp_rs::{Algorithm, Builder, Totp};

use crate::secrets::{SecretKey, random_token};

/// Backup codes issued with an authenticator app.
pub const BACKUP_CODES: usize = 10;
/// A sign-in waiting for an authenticator app's code lasts this long.
pub const PENDING_SIGN_IN_SECS: u64 = 5 * 60;
/// A sign-in code sent by SMS lives this long, as the state sign-in service (ESI) states.
pub const SMS_CODE_SECS: u64 = 3 * 60;

impl SecondFactor {
    /// How long a sign-in waits for this factor's code.
    pub fn pending_secs(&self) -> u64 {
        match self {
            SecondFactor::Totp { .. } => PENDING_SIGN_IN_SECS,
            SecondFactor::Sms => SMS_CODE_SECS,
        }
    }
}
/// Wrong second-factor codes allowed per pending sign-in.
pub const MAX_ATTEMPTS: u32 = 5;
/// The name authenticator apps show for the service (no colon allowed).
pub const ISSUER: &str = "Migration e-services KG";

const PURPOSE_TOTP: &str = "totp-secret";
/// The purpose under which backup codes are digested.
pub const PURPOSE_BACKUP: &str = "backup-code";

/// The second factor an account signs in with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum SecondFactor {
    /// An authenticator app; `backup_codes` are the digests of the unused backup codes.
    Totp {
        seed: String,
        backup_codes: Vec<String>,
    },
    /// A code by SMS to the account's phone.
    Sms,
}

impl SecondFactor {
    pub fn method(&self) -> &'static str {
        match self {
            SecondFactor::Totp { .. } => "totp",
            SecondFactor::Sms => "sms",
        }
    }
}

/// A fresh random seed for a new enrolment.
pub fn new_seed() -> String {
    random_token()
}

fn totp(key: &SecretKey, seed: &str, account_name: &str) -> Totp {
    let secret = key.seed(PURPOSE_TOTP, seed);
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(&secret[..20])
        .with_account_name(account_name.replace(':', " "))
        .with_issuer(Some(ISSUER))
        .build()
        .expect("20 secret bytes, 6 digits and a colon-free name are valid")
}

/// What the holder needs to add the account to an authenticator app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// The secret in base32, for typing in by hand.
    pub secret: String,
    /// The `otpauth://` URI the QR code carries.
    pub uri: String,
    /// The QR code as a PNG image.
    pub qr_png: Vec<u8>,
}

/// The enrolment of `seed` for the account shown as `account_name`.
pub fn enrolment(key: &SecretKey, seed: &str, account_name: &str) -> Enrolment {
    let totp = totp(key, seed, account_name);
    let uri = totp.to_url().expect("the account name is set");
    let qr_png = qr_png(&uri);
    Enrolment {
        secret: totp_rs::Secret::from(&key.seed(PURPOSE_TOTP, seed)[..20]).to_base32(),
        uri,
        qr_png,
    }
}

/// The time step a right code belongs to (one step either side is allowed), or `None`.
/// The caller must accept each step once.
pub fn check_code(key: &SecretKey, seed: &str, code: &str, now: u64) -> Option<u64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    totp(key, seed, "check").check(code, now)
}

/// Ten fresh backup codes, as shown once (`xxxxx-xxxxx`, 40 random bits each).
pub fn new_backup_codes() -> Vec<String> {
    (0..BACKUP_CODES)
        .map(|_| {
            let raw = random_token();
            format!("{}-{}", &raw[..5], &raw[5..10])
        })
        .collect()
}

/// A backup code as typed, normalised for its digest: no spaces or dashes, lowercase.
pub fn normalise_backup_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A QR code of `text` as a black-on-white PNG, four modules of quiet zone, 6 px a module.
pub fn qr_png(text: &str) -> Vec<u8> {
    const SCALE: usize = 6;
    const QUIET: usize = 4;
    let code = qrcode::QrCode::new(text.as_bytes()).expect("an otpauth URI fits a QR code");
    let width = code.width();
    let side = (width + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for y in 0..width {
        for x in 0..width {
            if code[(x, y)] == qrcode::Color::Dark {
                for dy in 0..SCALE {
                    let row = (y + QUIET) * SCALE + dy;
                    let start = row * side + (x + QUIET) * SCALE;
                    pixels[start..start + SCALE].fill(0);
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .expect("writing to memory does not fail");
        writer
            .write_image_data(&pixels)
            .expect("the buffer has the declared size");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The code an authenticator shows at `now`.
    pub fn code_at(key: &SecretKey, seed: &str, now: u64) -> String {
        totp(key, seed, "check").generate(now).to_string()
    }

    fn key() -> SecretKey {
        SecretKey::new(vec![7; 32]).unwrap()
    }

    #[test]
    fn the_code_of_now_and_of_the_neighbouring_steps_pass_and_others_do_not() {
        let seed = new_seed();
        let now = 1_800_000_000;
        let code = code_at(&key(), &seed, now);
        assert_eq!(check_code(&key(), &seed, &code, now), Some(now / 30));
        assert_eq!(check_code(&key(), &seed, &code, now + 30), Some(now / 30));
        assert_eq!(check_code(&key(), &seed, &code, now + 90), None);
        assert_eq!(check_code(&key(), &new_seed(), &code, now), None);
        assert_eq!(check_code(&key(), &seed, "12345", now), None);
        assert_eq!(check_code(&key(), &seed, "abcdef", now), None);
    }

    #[test]
    fn the_enrolment_uri_names_the_issuer_and_carries_the_same_secret() {
        let seed = new_seed();
        let e = enrolment(&key(), &seed, "host@mail.kg");
        assert!(e.uri.starts_with("otpauth://totp/"), "{}", e.uri);
        assert!(e.uri.contains(&format!("secret={}", e.secret)), "{}", e.uri);
        assert!(e.uri.contains("issuer=Migration"), "{}", e.uri);
        assert_eq!(&e.qr_png[..8], b"\x89PNG\r\n\x1a\n");
        let parsed = Totp::from_url(&e.uri).unwrap();
        assert_eq!(
            parsed.generate(1_800_000_000).to_string(),
            code_at(&key(), &seed, 1_800_000_000)
        );
    }

    #[test]
    fn backup_codes_are_ten_distinct_and_normalise_as_typed() {
        let codes = new_backup_codes();
        assert_eq!(codes.len(), BACKUP_CODES);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), BACKUP_CODES);
        assert_eq!(normalise_backup_code(" AB12-cd34 "), "ab12cd34");
    }
}
