//! The secrets the template grants a function.

use std::collections::BTreeSet;

use serde_norway::Value;

use super::{Template, str_of};

/// The secret ids a function's variables name, and those its policies let it read (by
/// the variable naming the same secret).
pub(super) fn secrets_in(
    template: &Template,
    props: &Value,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let vars = props["Environment"]["Variables"].as_mapping();
    let named_by: Vec<(String, String)> = vars
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| {
                    let k = k.as_str()?;
                    k.ends_with("_SECRET_ID").then(|| (k.to_owned(), str_of(v)))
                })
                .collect()
        })
        .unwrap_or_default();
    let readable: BTreeSet<String> = props["Policies"]
        .as_sequence()
        .map(|policies| {
            policies
                .iter()
                .filter_map(|p| {
                    let arn = &p["AWSSecretsManagerGetSecretValuePolicy"]["SecretArn"];
                    (!arn.is_null()).then(|| str_of(arn))
                })
                .collect()
        })
        .unwrap_or_default();
    for logical in &readable {
        assert!(
            template.resources.contains_key(logical.as_str()),
            "a policy names the missing secret {logical}"
        );
    }
    let named = named_by.iter().map(|(k, _)| k.clone()).collect();
    let granted = named_by
        .into_iter()
        .filter(|(_, secret)| readable.contains(secret))
        .map(|(k, _)| k)
        .collect();
    (named, granted)
}
