//! The password policy: at least 8 characters with a lower-case letter, an upper-case
//! letter, a digit and a symbol (the stricter of the portals' rules), and not built on a
//! common password from the list shipped with the code.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use crate::error::Code;

/// A password that meets the policy. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub const MIN_LEN: usize = 8;
    /// Long enough for passphrases, short enough that hashing stays bounded.
    pub const MAX_LEN: usize = 128;

    /// Checks the policy; `repeat` is the "password again" field.
    pub fn parse(raw: &str, repeat: &str) -> Result<Self, Code> {
        let length = raw.chars().count();
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&length) {
            return Err(Code::WeakPassword);
        }
        let lower = raw.chars().any(char::is_lowercase);
        let upper = raw.chars().any(char::is_uppercase);
        let digit = raw.chars().any(|c| c.is_ascii_digit());
        let symbol = raw
            .chars()
            .any(|c| !c.is_alphanumeric() && !c.is_whitespace());
        if !(lower && upper && digit && symbol) {
            return Err(Code::WeakPassword);
        }
        if is_common(raw) {
            return Err(Code::CommonPassword);
        }
        if raw != repeat {
            return Err(Code::PasswordsDiffer);
        }
        Ok(Password(raw.to_owned()))
    }

    /// A password typed at sign-in, checked only for length (the policy applies when it is set).
    pub fn given(raw: &str) -> Result<Self, Code> {
        if raw.is_empty() || raw.chars().count() > Self::MAX_LEN {
            return Err(Code::InvalidCredentials);
        }
        Ok(Password(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

fn common_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        include_str!("../../data/common-passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// `P@ssw0rd2024!` → `password`: case folded, look-alike digits and symbols read as
/// letters, and the digits and symbols around the word removed.
fn base_word(raw: &str) -> String {
    let trimmed = raw.trim_matches(|c: char| !c.is_alphabetic());
    trimmed
        .chars()
        .map(|c| match c.to_lowercase().next().unwrap_or(c) {
            '0' => 'o',
            '1' | '!' | '|' => 'i',
            '3' => 'e',
            '4' | '@' => 'a',
            '5' | '$' => 's',
            '7' => 't',
            other => other,
        })
        .collect()
}

fn is_common(raw: &str) -> bool {
    let word = base_word(raw);
    let words = common_words();
    if words.contains(word.as_str()) {
        return true;
    }
    // "qwertyqwerty", "Password-password"
    let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
    words.contains(letters.as_str())
        || (2..=4).any(|n| {
            letters.len().is_multiple_of(n) && {
                let part = &letters[..letters.len() / n];
                words.contains(part) && part.repeat(n) == letters
            }
        })
        || numeric_only(raw)
}

/// Sequences like `12345678` dressed up with one letter and one symbol.
fn numeric_only(raw: &str) -> bool {
    let letters = raw.chars().filter(|c| c.is_alphabetic()).count();
    letters <= 2 && raw.chars().filter(|c| c.is_ascii_digit()).count() >= raw.chars().count() - 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strong_password_passes() {
        assert!(Password::parse("Tash-Rabat#1994", "Tash-Rabat#1994").is_ok());
        assert!(Password::parse("kOk-Jar7ly!", "kOk-Jar7ly!").is_ok());
    }

    #[test]
    fn each_missing_class_or_short_length_is_weak() {
        for weak in [
            "Sh0rt!a",
            "alllower1!",
            "ALLUPPER1!",
            "NoDigits!!",
            "NoSymbol123",
            &format!("Aa1!{}", "x".repeat(130)),
        ] {
            assert_eq!(
                Password::parse(weak, weak),
                Err(Code::WeakPassword),
                "{weak}"
            );
        }
    }

    #[test]
    fn common_passwords_dressed_up_are_refused() {
        for common in [
            "P@ssw0rd1!",
            "Qwerty123!",
            "Bishkek2024!",
            "!Kyrgyzstan1",
            "Passw0rd!",
            "QwertyQwerty1!",
            "1234567Aa!",
        ] {
            assert_eq!(
                Password::parse(common, common),
                Err(Code::CommonPassword),
                "{common}"
            );
        }
    }

    #[test]
    fn the_repeat_must_match() {
        assert_eq!(
            Password::parse("Tash-Rabat#1994", "Tash-Rabat#1995"),
            Err(Code::PasswordsDiffer)
        );
    }

    #[test]
    fn debug_never_shows_the_password() {
        let password = Password::parse("Tash-Rabat#1994", "Tash-Rabat#1994").unwrap();
        assert_eq!(format!("{password:?}"), "Password(***)");
    }
}
