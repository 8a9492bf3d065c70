//! The employer's work-permit application for one foreigner: what the border service
//! and the visa registry say of the foreigner (the seed's "search"), the form that
//! follows, and the permit an operator grants.
//!
//! Choices where the seed is silent: the search takes the document's country as its
//! zone writes it and the number without spaces; a permit is tied, when submitted, to
//! one place of one of the employer's paid quota allocations for the foreigner's
//! citizenship and the position (compared without case); the registration talon is
//! given by its 14-digit number and must be a valid stay registration of the same
//! passport; required attachments are the photo, passport page 1 and the HIV test
//! certificate; at most ten accompanying relatives.

use serde::{Deserialize, Serialize};
use time::Date;

mod choices;
mod lifecycle;

pub use choices::{Education, Kinship, MaritalStatus, Region};
pub use lifecycle::{Extension, holds};

use super::quota::{NamedDocuments, POSITION_MAX};
use crate::Lang;
use crate::account::form::FieldErrors;
use crate::account::values::{CountryCode, DocumentNumber, Sex, Text, UploadId, parse_date};
use crate::country::Country;
use crate::document::DocumentKind;
use crate::error::{Code, DomainError};

/// The longest free text of the form (place of stay, notes).
pub const TEXT_MAX: usize = 500;
/// The most relatives one application may name.
pub const RELATIVES_MAX: usize = 10;

/// The document slots of the form, the kind each takes (`None`: any scan) and whether
/// it is required.
pub const SLOTS: &Slots = &[
    ("photo", Some(DocumentKind::Photo), true),
    ("passport_page_1", Some(DocumentKind::PassportScan), true),
    ("passport_page_2", None, false),
    ("hiv_certificate", Some(DocumentKind::HivCertificate), true),
    (
        "power_of_attorney",
        Some(DocumentKind::PowerOfAttorney),
        false,
    ),
    ("other", None, false),
];

/// What the border service knows of a document's holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Holder {
    /// The document's issuing state as its zone writes it (`CHN`, `D`).
    #[schema(value_type = String)]
    pub document_country: CountryCode,
    #[schema(value_type = String)]
    pub document_number: DocumentNumber,
    /// Citizenship (ISO 3166 alpha-3).
    #[schema(value_type = String)]
    pub nationality: Country,
    pub surname: String,
    pub given_names: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub birth_date: Date,
    #[schema(value_type = String)]
    pub sex: Sex,
    /// As the border service names it (`ORDINARY PASSPORT`).
    pub document_type: String,
    #[schema(value_type = String, format = Date)]
    pub document_valid_until: Date,
    /// The last entry into the Kyrgyz Republic, if any.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub last_entry: Option<Date>,
    /// The last exit, if any.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub last_exit: Option<Date>,
}

impl Holder {
    /// In the country: entered, and not left since.
    pub fn in_country(&self) -> bool {
        match (self.last_entry, self.last_exit) {
            (Some(entry), Some(exit)) => exit < entry,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// The passport's key as stores and lookups use it: `CHN#E12345678`.
    pub fn key(&self) -> String {
        holder_key(&self.document_country, &self.document_number)
    }

    pub fn full_name(&self) -> String {
        [
            Some(self.surname.as_str()),
            Some(self.given_names.as_str()),
            self.patronymic.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
    }
}

/// The key of a passport: its country and number.
pub fn holder_key(country: &CountryCode, number: &DocumentNumber) -> String {
    format!("{}#{}", country.as_ref(), number.as_ref())
}

/// A visa as the visa registry holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Visa {
    pub number: String,
    /// The category's code (`W1` work, `B1` business, `T1` tourist, `P1` private).
    pub visa_type: String,
    /// Valid for several entries.
    pub multiple: bool,
    #[schema(value_type = String, format = Date)]
    pub valid_from: Date,
    #[schema(value_type = String, format = Date)]
    pub valid_to: Date,
}

impl Visa {
    /// A work visa (the `W` categories).
    pub fn is_work(&self) -> bool {
        self.visa_type.starts_with('W')
    }

    /// A business visa (the `B` categories).
    pub fn is_business(&self) -> bool {
        self.visa_type.starts_with('B')
    }

    /// Valid on `day`.
    pub fn covers(&self, day: Date) -> bool {
        self.valid_from <= day && day <= self.valid_to
    }

    /// The category as the search shows it (`W1 Трудовая`).
    pub fn type_label(&self, lang: Lang) -> String {
        let name = match (self.visa_type.chars().next(), lang) {
            (Some('W'), Lang::Ky) => "Эмгек",
            (Some('W'), Lang::Ru) => "Трудовая",
            (Some('W'), Lang::En) => "Work",
            (Some('B'), Lang::Ky) => "Ишкердик",
            (Some('B'), Lang::Ru) => "Деловая",
            (Some('B'), Lang::En) => "Business",
            (Some('T'), Lang::Ky) => "Туристтик",
            (Some('T'), Lang::Ru) => "Туристическая",
            (Some('T'), Lang::En) => "Tourist",
            (Some('P'), Lang::Ky) => "Жеке",
            (Some('P'), Lang::Ru) => "Частная",
            (Some('P'), Lang::En) => "Private",
            _ => "",
        };
        format!("{} {name}", self.visa_type).trim().to_owned()
    }

    /// Its multiplicity as the search shows it.
    pub fn multiplicity_label(&self, lang: Lang) -> &'static str {
        match (self.multiple, lang) {
            (true, Lang::Ky) => "Көп жолку",
            (true, Lang::Ru) => "Многократная",
            (true, Lang::En) => "Multiple",
            (false, Lang::Ky) => "Бир жолку",
            (false, Lang::Ru) => "Однократная",
            (false, Lang::En) => "Single",
        }
    }
}

/// A relative staying with the foreigner, as sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RelativeForm {
    pub surname: Option<String>,
    pub given_names: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// `spouse`, `child`, `parent` or `other`.
    pub kinship: Option<String>,
}

/// A relative, typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Relative {
    pub surname: String,
    pub given_names: String,
    #[schema(value_type = String, format = Date)]
    pub birth_date: Date,
    pub kinship: Kinship,
}

/// The work-permit form as sent, after a search found the foreigner. Every field is
/// checked and every broken one reported at once.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PermitForm {
    /// The document's country, as searched (`CHN`).
    pub document_country: Option<String>,
    /// The passport number, as searched.
    pub document_number: Option<String>,
    /// ISO 3166 alpha-3.
    pub birth_country: Option<String>,
    /// `YYYY-MM-DD`.
    pub document_issued: Option<String>,
    /// `higher`, `vocational`, `secondary` or `basic`.
    pub education: Option<String>,
    /// `single`, `married`, `divorced` or `widowed`.
    pub marital_status: Option<String>,
    /// The address where the foreigner stays.
    pub place_of_stay: Option<String>,
    /// The position, as a row of a paid quota allocation names it.
    pub position: Option<String>,
    /// `bishkek`, `osh_city`, `batken`, `chuy`, `issyk_kul`, `jalal_abad`, `naryn`,
    /// `osh` or `talas`.
    pub work_region: Option<String>,
    #[serde(default)]
    pub highly_qualified: bool,
    pub notes: Option<String>,
    /// Relatives staying with the foreigner in the Kyrgyz Republic.
    #[serde(default)]
    pub relatives: Vec<RelativeForm>,
    /// The 14-digit number of the foreigner's registration talon (ereg).
    pub registration_number: Option<String>,
    /// Upload ids.
    pub photo: Option<String>,
    pub passport_page_1: Option<String>,
    pub passport_page_2: Option<String>,
    pub hiv_certificate: Option<String>,
    pub power_of_attorney: Option<String>,
    pub other: Option<String>,
}

/// The form's own fields, typed; the lookups and the place are added on submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PermitDetails {
    #[schema(value_type = String)]
    pub birth_country: Country,
    #[schema(value_type = String, format = Date)]
    pub document_issued: Date,
    pub education: Education,
    pub marital_status: MaritalStatus,
    pub place_of_stay: String,
    pub position: String,
    pub work_region: Region,
    pub highly_qualified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default)]
    pub relatives: Vec<Relative>,
    /// The registration talon's number, checked against ereg.
    pub registration_number: String,
}

/// The passport a form is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passport {
    pub country: CountryCode,
    pub number: DocumentNumber,
}

/// The place of a quota allocation a permit takes: the quota application and the row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlaceRef {
    /// The quota application (`Q-` and 8 digits).
    pub quota: String,
    /// The allocation's row, from 0.
    pub row: usize,
}

/// A row of one of the employer's paid allocations and how many of its places are
/// free.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub place: PlaceRef,
    pub country: Country,
    pub position: String,
    pub free: u32,
}

impl Place {
    /// For this citizenship and, when given, this position (compared without case).
    pub fn fits(&self, nationality: &Country, position: Option<&str>) -> bool {
        &self.country == nationality
            && position
                .is_none_or(|p| self.position.trim().to_lowercase() == p.trim().to_lowercase())
    }
}

/// A work-permit application's request: who the foreigner is by the lookups, the form,
/// and the place it takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PermitRequest {
    pub holder: Holder,
    /// The work visa the search found, if the foreigner needs one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visa: Option<Visa>,
    #[serde(flatten)]
    pub details: PermitDetails,
    pub place: PlaceRef,
}

/// The permit an operator grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Grant {
    #[schema(value_type = String, format = Date)]
    pub valid_from: Date,
    #[schema(value_type = String, format = Date)]
    pub valid_until: Date,
}

/// The operator's approval as sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct GrantForm {
    /// The permit's last day (`YYYY-MM-DD`); by default a year from today less a day,
    /// or the passport's last day if that comes first.
    pub valid_until: Option<String>,
}

impl GrantForm {
    /// The permit granted `today` for `request`: from today to the day asked, which must
    /// be after today, within a year and within the passport.
    pub fn parse(&self, request: &PermitRequest, today: Date) -> Result<Grant, DomainError> {
        self.parse_until(request.holder.document_valid_until, today)
    }

    /// The permit granted `today` for a passport valid until `passport_until`.
    pub(crate) fn parse_until(
        &self,
        passport_until: Date,
        today: Date,
    ) -> Result<Grant, DomainError> {
        let year = today
            .replace_year(today.year() + 1)
            .unwrap_or(today + time::Duration::days(365))
            - time::Duration::days(1);
        let longest = year.min(passport_until);
        let mut e = FieldErrors::default();
        let asked = e.optional("valid_until", &self.valid_until, parse_date);
        let valid_until = match asked {
            Some(Some(day)) => {
                e.rule(
                    "valid_until",
                    day > today && day <= longest,
                    Code::InvalidPermitValidity,
                );
                day
            }
            _ => longest,
        };
        DomainError::unless_valid(e.errors)?;
        Ok(Grant {
            valid_from: today,
            valid_until,
        })
    }
}

/// The work-permit archive's own columns as filters (the seed's «Filter by» under
/// each): text columns match any part without case, the choices and dates exactly,
/// `relatives` by whether there are any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermitColumns {
    pub surname: Option<String>,
    pub given_names: Option<String>,
    pub birth_date: Option<Date>,
    pub birth_country: Option<String>,
    pub document_country: Option<String>,
    pub passport_number: Option<String>,
    pub position: Option<String>,
    pub place_of_stay: Option<String>,
    pub education: Option<Education>,
    pub marital_status: Option<MaritalStatus>,
    pub relatives: Option<bool>,
}

impl PermitColumns {
    /// Whether no column is filtered.
    pub fn is_empty(&self) -> bool {
        self == &PermitColumns::default()
    }

    /// Whether `request` shows in the archive so filtered.
    pub fn matches(&self, request: &PermitRequest) -> bool {
        let part = |filter: &Option<String>, value: &str| {
            filter
                .as_deref()
                .is_none_or(|f| value.to_lowercase().contains(&f.trim().to_lowercase()))
        };
        let holder = &request.holder;
        let details = &request.details;
        part(&self.surname, &holder.surname)
            && part(&self.given_names, &holder.given_names)
            && self.birth_date.is_none_or(|d| holder.birth_date == d)
            && part(&self.birth_country, details.birth_country.as_ref())
            && part(&self.document_country, holder.document_country.as_ref())
            && part(&self.passport_number, holder.document_number.as_ref())
            && part(&self.position, &details.position)
            && part(&self.place_of_stay, &details.place_of_stay)
            && self.education.is_none_or(|e| details.education == e)
            && self
                .marital_status
                .is_none_or(|m| details.marital_status == m)
            && self
                .relatives
                .is_none_or(|has| has != details.relatives.is_empty())
    }
}

/// A talon's number: 14 digits.
pub(crate) fn talon_number(raw: &str) -> Result<String, Code> {
    let raw = raw.trim();
    (raw.len() == 14 && raw.bytes().all(|b| b.is_ascii_digit()))
        .then(|| raw.to_owned())
        .ok_or(Code::InvalidValue)
}

/// A form's document slots: each slot, the kind of document it takes (`None`: any
/// scan but a photo) and whether it is required.
pub(crate) type Slots = [(&'static str, Option<DocumentKind>, bool)];

impl FieldErrors {
    /// The uploads a form names in `slots` (`raw` gives the form's value of a slot),
    /// each a valid upload id and the required ones present.
    pub(crate) fn documents<'f>(
        &mut self,
        slots: &Slots,
        raw: impl Fn(&str) -> &'f Option<String>,
    ) -> Vec<(&'static str, UploadId, Option<DocumentKind>)> {
        let mut documents = Vec::new();
        for (slot, kind, required) in slots {
            let id = if *required {
                self.required(slot, raw(slot), UploadId::parse).map(Some)
            } else {
                self.optional(slot, raw(slot), UploadId::parse)
            };
            if let Some(Some(id)) = id {
                documents.push((*slot, id, *kind));
            }
        }
        documents
    }

    /// `first` and `second` (a power of attorney and its trustee's document) are named
    /// both or neither; the missing one's error otherwise.
    pub(crate) fn together(
        &mut self,
        documents: &[(&'static str, UploadId, Option<DocumentKind>)],
        first: &str,
        second: &str,
    ) {
        let has = |slot: &str| documents.iter().any(|(s, _, _)| *s == slot);
        if has(first) != has(second) {
            let missing = if has(first) { second } else { first };
            self.fail(missing, Code::TrusteeDocumentsTogether);
        }
    }

    pub(crate) fn relatives(&mut self, relatives: &[RelativeForm], today: Date) -> Vec<Relative> {
        self.rule("relatives", relatives.len() <= RELATIVES_MAX, Code::TooMany);
        let mut typed = Vec::new();
        for (i, r) in relatives.iter().enumerate().take(RELATIVES_MAX) {
            let field = |name: &str| format!("relatives[{i}].{name}");
            let name = |raw: &str| Text::parse(raw, super::quota::POSITION_MAX);
            let surname = self.required(&field("surname"), &r.surname, name);
            let given = self.required(&field("given_names"), &r.given_names, name);
            let birth = self.required(&field("birth_date"), &r.birth_date, parse_date);
            if let Some(birth) = birth {
                self.rule(
                    &field("birth_date"),
                    birth < today,
                    Code::BirthDateNotInPast,
                );
            }
            let kinship = self.required(&field("kinship"), &r.kinship, Kinship::parse);
            if let (Some(surname), Some(given), Some(birth_date), Some(kinship)) =
                (surname, given, birth, kinship)
            {
                typed.push(Relative {
                    surname: surname.to_string(),
                    given_names: given.to_string(),
                    birth_date,
                    kinship,
                });
            }
        }
        typed
    }
}

impl PermitForm {
    /// The passport the form is about, or its field errors.
    pub fn passport(&self) -> Result<Passport, DomainError> {
        let mut e = FieldErrors::default();
        let country = e.required(
            "document_country",
            &self.document_country,
            CountryCode::parse,
        );
        let number = e.required(
            "document_number",
            &self.document_number,
            DocumentNumber::parse,
        );
        DomainError::unless_valid(e.errors)?;
        match (country, number) {
            (Some(country), Some(number)) => Ok(Passport { country, number }),
            _ => Err(DomainError::Invalid(Vec::new())),
        }
    }

    /// The typed details and the documents they name, or every field error at once.
    /// `today` is the day of submission (Bishkek).
    pub fn parse(
        &self,
        today: Date,
    ) -> Result<(Passport, PermitDetails, NamedDocuments), DomainError> {
        let mut e = FieldErrors::default();
        let passport = match self.passport() {
            Ok(passport) => Some(passport),
            Err(DomainError::Invalid(errors)) => {
                e.errors.extend(errors);
                None
            }
            Err(other) => return Err(other),
        };
        let birth_country = e.required("birth_country", &self.birth_country, Country::parse);
        let issued = e.required("document_issued", &self.document_issued, parse_date);
        if let Some(issued) = issued {
            e.rule("document_issued", issued <= today, Code::InvalidIssueDate);
        }
        let education = e.required("education", &self.education, Education::parse);
        let marital = e.required("marital_status", &self.marital_status, MaritalStatus::parse);
        let text = |raw: &str| Text::parse(raw, TEXT_MAX);
        let place_of_stay = e.required("place_of_stay", &self.place_of_stay, text);
        let position = e.required("position", &self.position, |raw| {
            Text::parse(raw, POSITION_MAX)
        });
        let region = e.required("work_region", &self.work_region, Region::parse);
        let notes = e.optional("notes", &self.notes, text);
        let relatives = e.relatives(&self.relatives, today);
        let talon = e.required(
            "registration_number",
            &self.registration_number,
            talon_number,
        );
        let documents = e.documents(SLOTS, |slot| match slot {
            "photo" => &self.photo,
            "passport_page_1" => &self.passport_page_1,
            "passport_page_2" => &self.passport_page_2,
            "hiv_certificate" => &self.hiv_certificate,
            "power_of_attorney" => &self.power_of_attorney,
            _ => &self.other,
        });
        let relatives_whole = relatives.len() == self.relatives.len();
        DomainError::unless_valid(e.errors)?;
        let missing = || DomainError::Invalid(Vec::new());
        if !relatives_whole {
            return Err(missing());
        }
        Ok((
            passport.ok_or_else(missing)?,
            PermitDetails {
                birth_country: birth_country.ok_or_else(missing)?,
                document_issued: issued.ok_or_else(missing)?,
                education: education.ok_or_else(missing)?,
                marital_status: marital.ok_or_else(missing)?,
                place_of_stay: place_of_stay.ok_or_else(missing)?.to_string(),
                position: position.ok_or_else(missing)?.to_string(),
                work_region: region.ok_or_else(missing)?,
                highly_qualified: self.highly_qualified,
                notes: notes.flatten().map(|n| n.to_string()),
                relatives,
                registration_number: talon.ok_or_else(missing)?,
            },
            NamedDocuments(documents),
        ))
    }
}

#[cfg(test)]
mod tests;
