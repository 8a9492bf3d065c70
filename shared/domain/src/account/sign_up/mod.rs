//! Account sign-up (self-registration) of the five applicant types: the form as sent,
//! and the typed registration it becomes when every field holds. Not a stay
//! registration, which is [`crate::stay`].

use serde::{Deserialize, Serialize};
use time::Date;

use super::AccountType;
use super::form::{ADDRESS_MAX, FieldErrors, TEXT_MAX, text};
use super::password::Password;
use super::values::*;
use crate::error::{Code, DomainError};
use crate::{EmailAddress, Lang, PhoneNumber};

/// The profile a registration makes, named here beside the form it is parsed from.
pub use super::profile::{PersonIdentity, Profile, SignInName};

/// The registration form as the client sends it. Every field is optional here so that
/// each missing or malformed one is reported by name, all at once.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationForm {
    /// `employer`, `foreign_entrepreneur`, `digital_nomad`, `host_citizen` or `host_foreign_owner`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Consent to the user agreement and the privacy policy.
    pub consent: Option<bool>,
    pub challenge_id: Option<String>,
    pub challenge_answer: Option<String>,
    /// The registration draft whose uploads the form names (`POST
    /// /v1/registration-drafts`); required when the form names any document.
    pub draft_token: Option<String>,
    pub lang: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub login: Option<String>,
    pub password: Option<String>,
    pub password_repeat: Option<String>,
    // A person, as in the passport.
    pub surname: Option<String>,
    pub given_names: Option<String>,
    pub patronymic: Option<String>,
    pub birth_date: Option<String>,
    pub birth_place: Option<String>,
    pub sex: Option<String>,
    /// `ordinary_passport` (when left out), `diplomatic_passport`, `service_passport`,
    /// `id_card` or `travel_document`; the zone's prefill suggests it.
    pub document_type: Option<String>,
    pub document_country: Option<String>,
    pub document_number: Option<String>,
    pub document_issued: Option<String>,
    pub document_expires: Option<String>,
    pub personal_number: Option<String>,
    pub stateless: Option<bool>,
    pub education: Option<String>,
    pub marital_status: Option<String>,
    pub whatsapp: Option<String>,
    pub viber: Option<String>,
    // An employer.
    pub representative_surname: Option<String>,
    pub representative_name: Option<String>,
    pub legal_name: Option<String>,
    pub registration_number: Option<String>,
    pub tax_id: Option<String>,
    pub founders: Option<String>,
    pub activity: Option<String>,
    pub legal_address: Option<String>,
    pub actual_address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub phones: Option<Vec<String>>,
    // Documents, by upload id.
    pub photo: Option<String>,
    pub passport_scan: Option<String>,
    pub passport_page1: Option<String>,
    pub passport_page2: Option<String>,
    pub staff_list: Option<String>,
    pub registration_certificate: Option<String>,
    /// Whether the employer's activity is a licensed one: then its `licence` is required.
    pub licensed_activity: Option<bool>,
    pub licence: Option<String>,
}

/// A valid registration, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub kind: AccountType,
    /// The portal the account uses (every self-registering type has one).
    pub portal: super::Portal,
    pub sign_in: SignInName,
    pub email: EmailAddress,
    pub phone: PhoneNumber,
    pub password: Password,
    pub lang: Lang,
    pub profile: Profile,
}

/// The anti-bot answer the form carries, checked separately (it needs the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeAnswer {
    pub id: String,
    pub answer: String,
}

impl RegistrationForm {
    /// The anti-bot answer, when both parts are there.
    pub fn challenge(&self) -> Option<ChallengeAnswer> {
        Some(ChallengeAnswer {
            id: self.challenge_id.clone()?,
            answer: self.challenge_answer.clone()?,
        })
    }

    /// Checks every field for the form's account type. `today` is the date in Bishkek;
    /// `fallback_lang` the language of the request, when the form names none.
    pub fn parse(&self, today: Date, fallback_lang: Lang) -> Result<Registration, DomainError> {
        let mut c = FieldErrors::default();
        let kind = match self.kind.as_deref() {
            Some("employer") => Some(AccountType::Employer),
            Some("foreign_entrepreneur") => Some(AccountType::ForeignEntrepreneur),
            Some("digital_nomad") => Some(AccountType::DigitalNomad),
            Some("host_citizen") => Some(AccountType::HostCitizen),
            Some("host_foreign_owner") => Some(AccountType::HostForeignOwner),
            Some("host_legal_entity") => {
                c.fail("type", Code::NotSelfRegistered);
                None
            }
            Some(_) => {
                c.fail("type", Code::InvalidAccountType);
                None
            }
            None => {
                c.fail("type", Code::Required);
                None
            }
        };
        c.rule("consent", self.consent == Some(true), Code::ConsentRequired);
        c.rule(
            "challenge_answer",
            self.challenge().is_some(),
            Code::ChallengeRequired,
        );
        let lang = match self.lang.as_deref() {
            None => Some(fallback_lang),
            Some(tag) => Lang::from_tag(tag).or_else(|| {
                c.fail("lang", Code::InvalidLang);
                None
            }),
        };
        let email = c.required("email", &self.email, EmailAddress::parse);
        let password = match (&self.password, &self.password_repeat) {
            (None, _) => {
                c.fail("password", Code::Required);
                None
            }
            (Some(p), repeat) => Password::parse(p, repeat.as_deref().unwrap_or_default())
                .map_err(|code| {
                    let field = if code == Code::PasswordsDiffer {
                        "password_repeat"
                    } else {
                        "password"
                    };
                    c.fail(field, code)
                })
                .ok(),
        };
        let Some(kind) = kind else {
            return Err(DomainError::Invalid(c.errors));
        };
        let ereg = kind.portal() == Some(super::Portal::Ereg);
        let phone = if ereg {
            c.required("phone", &self.phone, PhoneNumber::parse_kyrgyz_mobile)
        } else if kind == AccountType::Employer {
            None
        } else {
            c.required("phone", &self.phone, PhoneNumber::parse)
        };
        let sign_in = if ereg {
            email.clone().map(SignInName::Email)
        } else {
            c.required("login", &self.login, Login::parse)
                .map(SignInName::Login)
        };

        let profile = self.profile_fields(&mut c, kind, today);
        let phone = match (&profile, phone) {
            (Some(Profile::Employer { phones, .. }), _) => phones.first().cloned(),
            (_, phone) => phone,
        };
        match (
            c.errors.is_empty(),
            sign_in,
            email,
            phone,
            password,
            lang,
            profile,
        ) {
            (
                true,
                Some(sign_in),
                Some(email),
                Some(phone),
                Some(password),
                Some(lang),
                Some(profile),
            ) => Ok(Registration {
                kind,
                portal: if ereg {
                    super::Portal::Ereg
                } else {
                    super::Portal::Ework
                },
                sign_in,
                email,
                phone,
                password,
                lang,
                profile,
            }),
            _ => Err(DomainError::Invalid(c.errors)),
        }
    }

    /// Checks only the fields of `kind`'s profile (a change request re-checks these).
    pub fn profile(&self, kind: AccountType, today: Date) -> Result<Profile, DomainError> {
        let mut c = FieldErrors::default();
        match self.profile_fields(&mut c, kind, today) {
            Some(profile) if c.errors.is_empty() => Ok(profile),
            _ => Err(DomainError::Invalid(c.errors)),
        }
    }

    fn profile_fields(
        &self,
        c: &mut FieldErrors,
        kind: AccountType,
        today: Date,
    ) -> Option<Profile> {
        match kind {
            AccountType::Employer => self.employer(c),
            AccountType::ForeignEntrepreneur => self.entrepreneur(c, today),
            AccountType::DigitalNomad => self.nomad(c, today),
            AccountType::HostCitizen | AccountType::HostForeignOwner => self.host(c, kind, today),
            _ => None,
        }
    }

    fn identity(
        &self,
        c: &mut FieldErrors,
        today: Date,
        patronymic_allowed: bool,
    ) -> Option<PersonIdentity> {
        let surname = c.required("surname", &self.surname, LatinName::parse);
        let given_names = c.required("given_names", &self.given_names, LatinName::parse);
        let patronymic = if patronymic_allowed {
            c.optional("patronymic", &self.patronymic, LatinName::parse)
        } else {
            c.rule(
                "patronymic",
                self.patronymic
                    .as_deref()
                    .is_none_or(|p| p.trim().is_empty()),
                Code::NotExpected,
            );
            Some(None)
        };
        let birth_date = c.required("birth_date", &self.birth_date, parse_date);
        let sex = c.required("sex", &self.sex, Sex::parse);
        let document_type = c.optional("document_type", &self.document_type, DocumentType::parse);
        let document_country = c.required(
            "document_country",
            &self.document_country,
            CountryCode::parse,
        );
        let document_number = c.required(
            "document_number",
            &self.document_number,
            DocumentNumber::parse,
        );
        let issued = c.required("document_issued", &self.document_issued, parse_date);
        let expires = c.required("document_expires", &self.document_expires, parse_date);
        c.document_dates(birth_date, issued, expires, today);
        Some(PersonIdentity {
            surname: surname?,
            given_names: given_names?,
            patronymic: patronymic?,
            birth_date: birth_date?,
            sex: sex?,
            document_type: document_type?.unwrap_or_default(),
            document_country: document_country?,
            document_number: document_number?,
            document_issued: issued?,
            document_expires: expires?,
        })
    }

    fn host(&self, c: &mut FieldErrors, kind: AccountType, today: Date) -> Option<Profile> {
        // Names in Latin letters as in the passport, "and the patronymic is not
        // written" (the ereg manual).
        let identity = self.identity(c, today, false);
        // Optional for citizens too, as the portal has it; without it, the property
        // registry matches an owner by the passport number.
        let personal_number = c.optional(
            "personal_number",
            &self.personal_number,
            PersonalNumber::parse,
        );
        if let (Some(id), Some(Some(pin))) = (&identity, &personal_number) {
            c.rule(
                "personal_number",
                pin.birth_date() == id.birth_date,
                Code::PersonalNumberMismatch,
            );
        }
        if let Some(id) = &identity {
            let citizen = id.document_country.is_kyrgyzstan();
            match kind {
                AccountType::HostCitizen => c.rule(
                    "document_country",
                    citizen,
                    Code::CitizenNeedsKyrgyzPassport,
                ),
                _ => c.rule(
                    "document_country",
                    !citizen,
                    Code::ForeignOwnerNeedsForeignPassport,
                ),
            }
        }
        // The passport scan and the photo, as the ereg portal asks of every host.
        let passport_scan = c.document("passport_scan", &self.passport_scan);
        let photo = c.document("photo", &self.photo);
        Some(Profile::Host {
            identity: identity?,
            personal_number: personal_number?,
            passport_scan: passport_scan?,
            photo: photo?,
        })
    }

    fn entrepreneur(&self, c: &mut FieldErrors, today: Date) -> Option<Profile> {
        let identity = self.identity(c, today, true);
        let birth_place = c.required("birth_place", &self.birth_place, text(TEXT_MAX));
        let education = c.optional("education", &self.education, text(TEXT_MAX));
        let marital_status = c.optional("marital_status", &self.marital_status, text(TEXT_MAX));
        let whatsapp = c.optional("whatsapp", &self.whatsapp, PhoneNumber::parse);
        let viber = c.optional("viber", &self.viber, PhoneNumber::parse);
        // The photo and both passport pages, as the e-work portal asks.
        let photo = c.document("photo", &self.photo);
        let page1 = c.document("passport_page1", &self.passport_page1);
        let page2 = c.document("passport_page2", &self.passport_page2);
        Some(Profile::ForeignEntrepreneur {
            identity: identity?,
            birth_place: birth_place?,
            stateless: self.stateless.unwrap_or(false),
            education: education?,
            marital_status: marital_status?,
            whatsapp: whatsapp?,
            viber: viber?,
            photo: photo?,
            passport_page1: page1?,
            passport_page2: page2?,
        })
    }

    fn nomad(&self, c: &mut FieldErrors, today: Date) -> Option<Profile> {
        // Names "as in the passport", the patronymic too where the passport has one
        // (the seed's form and the e-card print it).
        let identity = self.identity(c, today, true);
        // The photo and both passport pages, as the e-work portal asks.
        let photo = c.document("photo", &self.photo);
        let page1 = c.document("passport_page1", &self.passport_page1);
        let page2 = c.document("passport_page2", &self.passport_page2);
        Some(Profile::DigitalNomad {
            identity: identity?,
            photo: photo?,
            passport_page1: page1?,
            passport_page2: page2?,
        })
    }

    fn employer(&self, c: &mut FieldErrors) -> Option<Profile> {
        let representative_surname = c.required(
            "representative_surname",
            &self.representative_surname,
            text(TEXT_MAX),
        );
        let representative_name = c.required(
            "representative_name",
            &self.representative_name,
            text(TEXT_MAX),
        );
        let legal_name = c.required("legal_name", &self.legal_name, text(TEXT_MAX));
        let registration_number = c.required(
            "registration_number",
            &self.registration_number,
            RegistrationNumber::parse,
        );
        let tax_id = c.required("tax_id", &self.tax_id, TaxId::parse);
        let founders = c.required("founders", &self.founders, text(ADDRESS_MAX));
        let activity = c.required("activity", &self.activity, text(ADDRESS_MAX));
        let legal_address = c.required("legal_address", &self.legal_address, text(ADDRESS_MAX));
        let actual_address = c.required("actual_address", &self.actual_address, text(ADDRESS_MAX));
        let location = match (self.latitude, self.longitude) {
            (None, None) => Some(None),
            (Some(lat), Some(lon))
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
            {
                Some(Some((lat, lon)))
            }
            _ => {
                c.fail("latitude", Code::InvalidLocation);
                None
            }
        };
        let phones: Option<Vec<PhoneNumber>> = match self.phones.as_deref() {
            None | Some([]) => {
                c.fail("phones", Code::Required);
                None
            }
            Some(list) if list.len() > 5 => {
                c.fail("phones", Code::TooMany);
                None
            }
            Some(list) => {
                let parsed: Vec<_> = list
                    .iter()
                    .enumerate()
                    .map(|(i, raw)| {
                        PhoneNumber::parse(raw)
                            .map_err(|code| c.fail(&format!("phones[{i}]"), code))
                            .ok()
                    })
                    .collect();
                parsed.into_iter().collect()
            }
        };
        // The staff list and the state registration certificate always; the licence
        // when the activity is a licensed one.
        let staff_list = c.document("staff_list", &self.staff_list);
        let certificate = c.document("registration_certificate", &self.registration_certificate);
        let licensed = self.licensed_activity.unwrap_or(false);
        let licence = if licensed {
            c.document("licence", &self.licence)
        } else {
            c.optional("licence", &self.licence, UploadId::parse)
        };
        Some(Profile::Employer {
            representative_surname: representative_surname?,
            representative_name: representative_name?,
            legal_name: legal_name?,
            registration_number: registration_number?,
            tax_id: tax_id?,
            founders: founders?,
            activity: activity?,
            legal_address: legal_address?,
            actual_address: actual_address?,
            location: location?,
            phones: phones?,
            staff_list: staff_list?,
            registration_certificate: certificate?,
            licensed_activity: licensed,
            licence: licence?,
        })
    }
}

#[cfg(test)]
mod tests;
