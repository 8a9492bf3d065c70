//! Parsing a form field by field: the errors of every broken field collected at once,
//! and the free-text limits the account forms share.

use time::Date;

use super::values::{Text, UploadId};
use crate::error::{Code, FieldError};

/// The field errors of a form, collected as each field is parsed so that every broken
/// field is reported at once.
#[derive(Default)]
pub(crate) struct FieldErrors {
    pub(crate) errors: Vec<FieldError>,
}

impl FieldErrors {
    pub(crate) fn fail(&mut self, field: &str, code: Code) {
        self.errors.push(FieldError::new(field, code));
    }

    pub(crate) fn required<T>(
        &mut self,
        field: &str,
        raw: &Option<String>,
        parse: impl Fn(&str) -> Result<T, Code>,
    ) -> Option<T> {
        match raw.as_deref().map(str::trim) {
            None | Some("") => {
                self.fail(field, Code::Required);
                None
            }
            Some(value) => parse(value).map_err(|code| self.fail(field, code)).ok(),
        }
    }

    /// A document the form must name: `Some(upload)` once it parses, `None` (with the
    /// field's error) when missing or malformed.
    pub(crate) fn document(
        &mut self,
        field: &str,
        raw: &Option<String>,
    ) -> Option<Option<UploadId>> {
        self.required(field, raw, UploadId::parse).map(Some)
    }

    pub(crate) fn optional<T>(
        &mut self,
        field: &str,
        raw: &Option<String>,
        parse: impl Fn(&str) -> Result<T, Code>,
    ) -> Option<Option<T>> {
        match raw.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(value) => parse(value)
                .map(Some)
                .map_err(|code| self.fail(field, code))
                .ok(),
        }
    }

    pub(crate) fn rule(&mut self, field: &str, holds: bool, code: Code) {
        if !holds {
            self.fail(field, code);
        }
    }

    /// The dates of a person's identity document (`birth_date`, `document_issued`,
    /// `document_expires`): born in the past, issued after birth and not in the future,
    /// expiring after issue and not yet expired.
    pub(crate) fn document_dates(
        &mut self,
        birth_date: Option<Date>,
        issued: Option<Date>,
        expires: Option<Date>,
        today: Date,
    ) {
        if let Some(birth) = birth_date {
            self.rule(
                "birth_date",
                birth < today && birth.year() >= 1900,
                Code::BirthDateNotInPast,
            );
        }
        if let Some(issued) = issued {
            self.rule(
                "document_issued",
                issued <= today && birth_date.is_none_or(|b| issued > b),
                Code::InvalidIssueDate,
            );
        }
        if let (Some(issued), Some(expires)) = (issued, expires) {
            self.rule(
                "document_expires",
                expires > issued,
                Code::ExpiryBeforeIssue,
            );
        }
        if let Some(expires) = expires {
            self.rule("document_expires", expires >= today, Code::DocumentExpired);
        }
    }
}

/// The longest free text of a form field, and of an address or a description.
pub(crate) const TEXT_MAX: usize = 200;
pub(crate) const ADDRESS_MAX: usize = 300;

/// A parser of free text up to `max` characters.
pub(crate) fn text(max: usize) -> impl Fn(&str) -> Result<Text, Code> {
    move |raw| Text::parse(raw, max)
}
