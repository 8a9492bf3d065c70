//! The anti-bot check: a distorted-text image whose answer a person reads and types.
//!
//! The characters are drawn from a generator seeded with the server key and the
//! challenge id, so only the key holder can know them; the store keeps a keyed hash of
//! the answer with a short expiry, and a challenge is spent on its first attempt.

use captcha::RngCaptcha;
use captcha::filters::{Noise, Wave};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::secrets::{SecretKey, random_token};

/// How long a person has to answer.
pub const CHALLENGE_TTL_SECS: u64 = 300;

const PURPOSE_SEED: &str = "challenge-seed";
const PURPOSE_ANSWER: &str = "challenge-answer";

/// A challenge id: `chl_` and 32 hex digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeId(String);

impl ChallengeId {
    pub fn new() -> Self {
        ChallengeId(format!("chl_{}", &random_token()[..32]))
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let hex = raw.strip_prefix("chl_")?;
        (hex.len() == 32
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| ChallengeId(raw.to_owned()))
    }
}

impl Default for ChallengeId {
    fn default() -> Self {
        Self::new()
    }
}

impl AsRef<str> for ChallengeId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The answer to a challenge, as the key holder can compute it (upper-case).
pub fn answer(key: &SecretKey, id: &ChallengeId) -> String {
    image(key, id).0
}

/// The challenge's answer and its PNG image.
pub fn image(key: &SecretKey, id: &ChallengeId) -> (String, Vec<u8>) {
    let rng = StdRng::from_seed(key.seed(PURPOSE_SEED, id.as_ref()));
    let mut captcha = RngCaptcha::from_rng(rng);
    // The font lists its characters in hash order; a fixed, sorted alphabet without
    // look-alikes keeps the seeded draw reproducible and the answer readable.
    let mut alphabet: Vec<char> = captcha
        .supported_chars()
        .into_iter()
        .filter(|c| c.is_ascii_alphanumeric() && !"0Oo1lIi".contains(*c))
        .collect();
    alphabet.sort_unstable();
    alphabet.dedup();
    captcha
        .set_chars(&alphabet)
        .add_chars(5)
        .apply_filter(Noise::new(0.2))
        .apply_filter(Wave::new(2.0, 12.0))
        .view(220, 90);
    let answer = captcha.chars_as_string().to_uppercase();
    let png = captcha.as_png().expect("a captcha renders to PNG");
    (answer, png)
}

/// What the store keeps: the keyed hash of the answer.
pub fn answer_digest(key: &SecretKey, answer: &str) -> String {
    key.digest(PURPOSE_ANSWER, &normalise(answer))
}

/// Whether `given` answers the challenge whose answer hashes to `digest`. Case and
/// surrounding spaces do not matter.
pub fn is_answer(key: &SecretKey, given: &str, digest: &str) -> bool {
    key.matches(PURPOSE_ANSWER, &normalise(given), digest)
}

fn normalise(answer: &str) -> String {
    answer.trim().to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecretKey {
        SecretKey::new(vec![42; 32]).unwrap()
    }

    #[test]
    fn the_key_holder_can_reproduce_the_answer_and_the_image_is_a_png() {
        let id = ChallengeId::new();
        let (answer_a, png) = image(&key(), &id);
        assert_eq!(answer(&key(), &id), answer_a);
        assert_eq!(answer_a.len(), 5);
        assert_eq!(&png[1..4], b"PNG");
        let other = SecretKey::new(vec![43; 32]).unwrap();
        let ids: Vec<ChallengeId> = (0..5).map(|_| ChallengeId::new()).collect();
        assert!(
            ids.iter()
                .any(|id| answer(&other, id) != answer(&key(), id))
        );
    }

    #[test]
    fn answers_ignore_case_and_spaces() {
        let digest = answer_digest(&key(), "AB3CD");
        assert!(is_answer(&key(), " ab3cd ", &digest));
        assert!(!is_answer(&key(), "AB3CE", &digest));
    }

    #[test]
    fn ids_have_their_form() {
        let id = ChallengeId::new();
        assert_eq!(ChallengeId::parse(id.as_ref()), Some(id));
        assert_eq!(ChallengeId::parse("chl_XYZ"), None);
    }
}
