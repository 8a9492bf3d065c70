//! What an account holds about its holder: the profile of each account type, the
//! identity document of a person, and the name the account signs in with.

use serde::{Deserialize, Serialize};
use time::Date;

use super::values::*;
use crate::{EmailAddress, PhoneNumber};

/// The identity document of a person, as its data page prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonIdentity {
    pub surname: LatinName,
    pub given_names: LatinName,
    pub patronymic: Option<LatinName>,
    pub birth_date: Date,
    pub sex: Sex,
    /// Ordinary passport unless the person said otherwise (records made before the
    /// type was asked for read as one).
    #[serde(default)]
    pub document_type: DocumentType,
    pub document_country: CountryCode,
    pub document_number: DocumentNumber,
    pub document_issued: Date,
    pub document_expires: Date,
}

/// What each type registers with, beyond login, email, phone and password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Profile {
    Employer {
        representative_surname: Text,
        representative_name: Text,
        legal_name: Text,
        registration_number: RegistrationNumber,
        tax_id: TaxId,
        founders: Text,
        activity: Text,
        legal_address: Text,
        actual_address: Text,
        location: Option<(f64, f64)>,
        phones: Vec<PhoneNumber>,
        staff_list: Option<UploadId>,
        registration_certificate: Option<UploadId>,
        /// The activity needs a licence, so the licence is attached.
        #[serde(default)]
        licensed_activity: bool,
        licence: Option<UploadId>,
    },
    ForeignEntrepreneur {
        identity: PersonIdentity,
        birth_place: Text,
        stateless: bool,
        education: Option<Text>,
        marital_status: Option<Text>,
        whatsapp: Option<PhoneNumber>,
        viber: Option<PhoneNumber>,
        photo: Option<UploadId>,
        passport_page1: Option<UploadId>,
        passport_page2: Option<UploadId>,
    },
    DigitalNomad {
        identity: PersonIdentity,
        photo: Option<UploadId>,
        passport_page1: Option<UploadId>,
        passport_page2: Option<UploadId>,
    },
    Host {
        identity: PersonIdentity,
        personal_number: Option<PersonalNumber>,
        passport_scan: Option<UploadId>,
        photo: Option<UploadId>,
    },
    /// A legal-entity host, entered by a registration operator from its letter.
    LegalEntityHost {
        legal_name: Text,
        tax_id: TaxId,
        representative_surname: Text,
        representative_name: Text,
        legal_address: Text,
        /// The entity's letter asking for the account.
        letter: UploadId,
        /// Scans that came with the letter.
        scans: Vec<UploadId>,
    },
    /// An operator or admin.
    Staff { surname: Text, given_names: Text },
}

impl Profile {
    /// The full name to show: the person, or the representative and the entity.
    pub fn display_name(&self) -> String {
        match self {
            Profile::Employer {
                representative_surname,
                representative_name,
                legal_name,
                ..
            }
            | Profile::LegalEntityHost {
                representative_surname,
                representative_name,
                legal_name,
                ..
            } => format!("{representative_surname} {representative_name} ({legal_name})"),
            Profile::ForeignEntrepreneur { identity, .. }
            | Profile::DigitalNomad { identity, .. }
            | Profile::Host { identity, .. } => {
                format!("{} {}", identity.surname, identity.given_names)
            }
            Profile::Staff {
                surname,
                given_names,
            } => format!("{surname} {given_names}"),
        }
    }

    /// The name to greet the holder by.
    pub fn given_name(&self) -> String {
        match self {
            Profile::Employer {
                representative_name,
                ..
            }
            | Profile::LegalEntityHost {
                representative_name,
                ..
            } => representative_name.to_string(),
            Profile::ForeignEntrepreneur { identity, .. }
            | Profile::DigitalNomad { identity, .. }
            | Profile::Host { identity, .. } => identity.given_names.to_string(),
            Profile::Staff { given_names, .. } => given_names.to_string(),
        }
    }

    /// The documents a self-registered profile names: each form field and its upload.
    /// (A legal-entity host's letter and scans are an operator's uploads.)
    pub fn documents(&self) -> Vec<(&'static str, &UploadId)> {
        let named = match self {
            Profile::Employer {
                staff_list,
                registration_certificate,
                licence,
                ..
            } => vec![
                ("staff_list", staff_list),
                ("registration_certificate", registration_certificate),
                ("licence", licence),
            ],
            Profile::ForeignEntrepreneur {
                photo,
                passport_page1,
                passport_page2,
                ..
            }
            | Profile::DigitalNomad {
                photo,
                passport_page1,
                passport_page2,
                ..
            } => vec![
                ("photo", photo),
                ("passport_page1", passport_page1),
                ("passport_page2", passport_page2),
            ],
            Profile::Host {
                passport_scan,
                photo,
                ..
            } => vec![("passport_scan", passport_scan), ("photo", photo)],
            Profile::LegalEntityHost { .. } | Profile::Staff { .. } => Vec::new(),
        };
        named
            .into_iter()
            .filter_map(|(field, id)| Some((field, id.as_ref()?)))
            .collect()
    }

    /// The identity document, if the profile has one.
    pub fn identity(&self) -> Option<&PersonIdentity> {
        match self {
            Profile::ForeignEntrepreneur { identity, .. }
            | Profile::DigitalNomad { identity, .. }
            | Profile::Host { identity, .. } => Some(identity),
            _ => None,
        }
    }
}

/// How an account signs in: ereg hosts by email, e-work accounts by a chosen login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInName {
    Email(EmailAddress),
    Login(Login),
}

impl SignInName {
    /// The normalised key stored for uniqueness and lookup.
    pub fn key(&self) -> String {
        match self {
            SignInName::Email(email) => format!("email:{email}"),
            SignInName::Login(login) => format!("login:{login}"),
        }
    }

    /// What the holder types to sign in, read back from a stored [`Self::key`].
    pub fn typed_in(key: &str) -> &str {
        key.split_once(':').map_or(key, |(_, name)| name)
    }
}
