//! Unit tests of `error`.

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
