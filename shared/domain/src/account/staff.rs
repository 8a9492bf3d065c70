//! Accounts that operators create: operators themselves (by an admin) and legal-entity
//! hosts (by a registration operator, from the entity's letter). Neither chooses a
//! password here: each receives a single-use link to set it.

use serde::Deserialize;

use super::AccountType;
use super::form::{ADDRESS_MAX, FieldErrors, TEXT_MAX, text};
use super::profile::{Profile, SignInName};
use super::values::{Login, TaxId, UploadId};
use crate::error::{Code, DomainError};
use crate::{EmailAddress, Lang, PhoneNumber};

/// Scans that may come with a legal entity's letter.
pub const MAX_SCANS: usize = 10;

/// An account made by staff, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewStaffMade {
    pub kind: AccountType,
    pub sign_in: SignInName,
    pub email: EmailAddress,
    pub phone: PhoneNumber,
    pub lang: Lang,
    pub profile: Profile,
}

fn lang(c: &mut FieldErrors, raw: &Option<String>, fallback: Lang) -> Option<Lang> {
    match raw.as_deref() {
        None => Some(fallback),
        Some(tag) => Lang::from_tag(tag).or_else(|| {
            c.fail("lang", Code::InvalidLang);
            None
        }),
    }
}

/// A new operator, as an admin enters it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OperatorForm {
    /// `labour_operator` or `registration_operator`.
    pub role: Option<String>,
    /// Latin letters and digits, 4 to 32.
    pub login: Option<String>,
    pub email: Option<String>,
    /// International format.
    pub phone: Option<String>,
    pub surname: Option<String>,
    pub given_names: Option<String>,
    pub lang: Option<String>,
}

impl OperatorForm {
    pub fn parse(&self, fallback_lang: Lang) -> Result<NewStaffMade, DomainError> {
        let mut c = FieldErrors::default();
        let kind = c.required("role", &self.role, |raw| match raw {
            "labour_operator" => Ok(AccountType::LabourOperator),
            "registration_operator" => Ok(AccountType::RegistrationOperator),
            _ => Err(Code::InvalidRole),
        });
        let login = c.required("login", &self.login, Login::parse);
        let email = c.required("email", &self.email, EmailAddress::parse);
        let phone = c.required("phone", &self.phone, PhoneNumber::parse);
        let surname = c.required("surname", &self.surname, text(TEXT_MAX));
        let given_names = c.required("given_names", &self.given_names, text(TEXT_MAX));
        let lang = lang(&mut c, &self.lang, fallback_lang);
        match (kind, login, email, phone, surname, given_names, lang) {
            (
                Some(kind),
                Some(login),
                Some(email),
                Some(phone),
                Some(surname),
                Some(given_names),
                Some(lang),
            ) if c.errors.is_empty() => Ok(NewStaffMade {
                kind,
                sign_in: SignInName::Login(login),
                email,
                phone,
                lang,
                profile: Profile::Staff {
                    surname,
                    given_names,
                },
            }),
            _ => Err(DomainError::Invalid(c.errors)),
        }
    }
}

/// A legal-entity host, as a registration operator enters it from the entity's letter.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalEntityHostForm {
    pub legal_name: Option<String>,
    /// 14 digits.
    pub tax_id: Option<String>,
    pub representative_surname: Option<String>,
    pub representative_name: Option<String>,
    pub legal_address: Option<String>,
    /// The sign-in name; the set-password link goes here.
    pub email: Option<String>,
    /// Kyrgyz mobile `996XXXXXXXXX`; the action PIN goes here.
    pub phone: Option<String>,
    pub lang: Option<String>,
    /// Upload id of the entity's letter.
    pub letter: Option<String>,
    /// Upload ids of the scans that came with it.
    pub scans: Option<Vec<String>>,
}

impl LegalEntityHostForm {
    pub fn parse(&self, fallback_lang: Lang) -> Result<NewStaffMade, DomainError> {
        let mut c = FieldErrors::default();
        let legal_name = c.required("legal_name", &self.legal_name, text(TEXT_MAX));
        let tax_id = c.required("tax_id", &self.tax_id, TaxId::parse);
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
        let legal_address = c.required("legal_address", &self.legal_address, text(ADDRESS_MAX));
        let email = c.required("email", &self.email, EmailAddress::parse);
        let phone = c.required("phone", &self.phone, PhoneNumber::parse_kyrgyz_mobile);
        let lang = lang(&mut c, &self.lang, fallback_lang);
        let letter = c.required("letter", &self.letter, UploadId::parse);
        let raw_scans = self.scans.clone().unwrap_or_default();
        c.rule("scans", raw_scans.len() <= MAX_SCANS, Code::TooMany);
        let scans: Vec<UploadId> = raw_scans
            .iter()
            .enumerate()
            .filter_map(|(i, raw)| {
                UploadId::parse(raw)
                    .map_err(|code| c.fail(&format!("scans[{i}]"), code))
                    .ok()
            })
            .collect();
        match (
            legal_name,
            tax_id,
            representative_surname,
            representative_name,
            legal_address,
            email,
            phone,
            lang,
            letter,
        ) {
            (
                Some(legal_name),
                Some(tax_id),
                Some(representative_surname),
                Some(representative_name),
                Some(legal_address),
                Some(email),
                Some(phone),
                Some(lang),
                Some(letter),
            ) if c.errors.is_empty() => Ok(NewStaffMade {
                kind: AccountType::HostLegalEntity,
                sign_in: SignInName::Email(email.clone()),
                email,
                phone,
                lang,
                profile: Profile::LegalEntityHost {
                    legal_name,
                    tax_id,
                    representative_surname,
                    representative_name,
                    legal_address,
                    letter,
                    scans,
                },
            }),
            _ => Err(DomainError::Invalid(c.errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(err: DomainError) -> Vec<(String, Code)> {
        match err {
            DomainError::Invalid(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_operator_needs_a_known_role_and_every_field() {
        let form: OperatorForm = serde_json::from_value(serde_json::json!({
            "role": "labour_operator", "login": "OpLabour1", "email": "op@mlsp.gov.kg",
            "phone": "+996312000001", "surname": "Асанова", "given_names": "Айгүл"
        }))
        .unwrap();
        let made = form.parse(Lang::Ru).unwrap();
        assert_eq!(made.kind, AccountType::LabourOperator);
        assert_eq!(made.sign_in.key(), "login:oplabour1");
        assert_eq!(SignInName::typed_in(&made.sign_in.key()), "oplabour1");
        assert_eq!(made.lang, Lang::Ru);

        let form: OperatorForm =
            serde_json::from_value(serde_json::json!({ "role": "admin", "login": "x" })).unwrap();
        let errors = codes(form.parse(Lang::Ru).unwrap_err());
        assert!(
            errors.contains(&("role".into(), Code::InvalidRole)),
            "{errors:?}"
        );
        assert!(errors.contains(&("login".into(), Code::InvalidLogin)));
        assert!(errors.contains(&("email".into(), Code::Required)));
        assert!(errors.contains(&("given_names".into(), Code::Required)));
    }

    #[test]
    fn a_legal_entity_host_signs_in_by_email_with_a_kyrgyz_mobile_and_its_letter() {
        let form: LegalEntityHostForm = serde_json::from_value(serde_json::json!({
            "legal_name": "ОсОО Ала-Тоо Отель", "tax_id": "01234567891234",
            "representative_surname": "Токтогулов", "representative_name": "Бакыт",
            "legal_address": "г. Бишкек, ул. Киевская 1", "email": "Hotel@AlaToo.kg",
            "phone": "996700112233", "letter": "upl_0123456789abcdef0123456789abcdef",
            "scans": ["upl_0123456789abcdef0123456789abcde0"]
        }))
        .unwrap();
        let made = form.parse(Lang::Ky).unwrap();
        assert_eq!(made.kind, AccountType::HostLegalEntity);
        assert_eq!(made.sign_in.key(), "email:hotel@alatoo.kg");

        let form: LegalEntityHostForm = serde_json::from_value(serde_json::json!({
            "phone": "+77011234567", "tax_id": "123", "scans": ["nope"]
        }))
        .unwrap();
        let errors = codes(form.parse(Lang::Ky).unwrap_err());
        assert!(
            errors.contains(&("phone".into(), Code::InvalidKyrgyzMobile)),
            "{errors:?}"
        );
        assert!(errors.contains(&("tax_id".into(), Code::InvalidTaxId)));
        assert!(errors.contains(&("letter".into(), Code::Required)));
        assert!(errors.contains(&("scans[0]".into(), Code::InvalidUploadId)));
    }
}
