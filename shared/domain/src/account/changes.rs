//! Changes of an account's general data, photo or passport pages. The holder asks; an
//! operator of the account's authority approves or refuses. A change is checked by the
//! same rules as registration, applied to the whole profile as it would become.

use serde_json::{Map, Value};
use time::Date;

use super::AccountType;
use super::profile::{PersonIdentity, Profile};
use super::sign_up::RegistrationForm;
use crate::document::DocumentKind;
use crate::error::{Code, DomainError, FieldError};

/// The fields a change request may carry besides the documents it names: those that
/// describe the holder. Login, email, phone and password change elsewhere.
pub const CHANGEABLE: &[&str] = &[
    "surname",
    "given_names",
    "patronymic",
    "birth_date",
    "birth_place",
    "sex",
    "document_type",
    "document_country",
    "document_number",
    "document_issued",
    "document_expires",
    "personal_number",
    "stateless",
    "education",
    "marital_status",
    "whatsapp",
    "viber",
    "representative_surname",
    "representative_name",
    "legal_name",
    "registration_number",
    "tax_id",
    "founders",
    "activity",
    "legal_address",
    "actual_address",
    "latitude",
    "longitude",
    "phones",
];

/// Whether a change request may carry `field`: one of [`CHANGEABLE`], or a field
/// naming a document ([`DocumentKind::FORM_FIELDS`]).
fn changeable(field: &str) -> bool {
    CHANGEABLE.contains(&field) || DocumentKind::FORM_FIELDS.contains(&field)
}

/// The profile as a form, every field as the holder would type it.
pub fn form_of(profile: &Profile) -> RegistrationForm {
    let mut form = RegistrationForm::default();
    let some = |v: &dyn ToString| Some(v.to_string());
    let identity = |form: &mut RegistrationForm, id: &PersonIdentity| {
        form.surname = some(&id.surname);
        form.given_names = some(&id.given_names);
        form.patronymic = id.patronymic.as_ref().map(ToString::to_string);
        form.birth_date = some(&id.birth_date);
        form.sex = Some(id.sex.as_str().to_owned());
        form.document_type = Some(id.document_type.as_str().to_owned());
        form.document_country = some(&id.document_country);
        form.document_number = some(&id.document_number);
        form.document_issued = some(&id.document_issued);
        form.document_expires = some(&id.document_expires);
    };
    let upload = |u: &Option<super::values::UploadId>| u.as_ref().map(ToString::to_string);
    match profile {
        Profile::Employer {
            representative_surname,
            representative_name,
            legal_name,
            registration_number,
            tax_id,
            founders,
            activity,
            legal_address,
            actual_address,
            location,
            phones,
            staff_list,
            registration_certificate,
            licensed_activity,
            licence,
        } => {
            form.representative_surname = some(representative_surname);
            form.representative_name = some(representative_name);
            form.legal_name = some(legal_name);
            form.registration_number = some(registration_number);
            form.tax_id = some(tax_id);
            form.founders = some(founders);
            form.activity = some(activity);
            form.legal_address = some(legal_address);
            form.actual_address = some(actual_address);
            form.latitude = location.map(|(lat, _)| lat);
            form.longitude = location.map(|(_, lon)| lon);
            form.phones = Some(phones.iter().map(ToString::to_string).collect());
            form.staff_list = upload(staff_list);
            form.registration_certificate = upload(registration_certificate);
            form.licensed_activity = Some(*licensed_activity);
            form.licence = upload(licence);
        }
        Profile::ForeignEntrepreneur {
            identity: id,
            birth_place,
            stateless,
            education,
            marital_status,
            whatsapp,
            viber,
            photo,
            passport_page1,
            passport_page2,
        } => {
            identity(&mut form, id);
            form.birth_place = some(birth_place);
            form.stateless = Some(*stateless);
            form.education = education.as_ref().map(ToString::to_string);
            form.marital_status = marital_status.as_ref().map(ToString::to_string);
            form.whatsapp = whatsapp.as_ref().map(ToString::to_string);
            form.viber = viber.as_ref().map(ToString::to_string);
            form.photo = upload(photo);
            form.passport_page1 = upload(passport_page1);
            form.passport_page2 = upload(passport_page2);
        }
        Profile::DigitalNomad {
            identity: id,
            photo,
            passport_page1,
            passport_page2,
        } => {
            identity(&mut form, id);
            form.photo = upload(photo);
            form.passport_page1 = upload(passport_page1);
            form.passport_page2 = upload(passport_page2);
        }
        Profile::Host {
            identity: id,
            personal_number,
            passport_scan,
            photo,
        } => {
            identity(&mut form, id);
            form.personal_number = personal_number.as_ref().map(ToString::to_string);
            form.passport_scan = upload(passport_scan);
            form.photo = upload(photo);
        }
        Profile::LegalEntityHost { .. } | Profile::Staff { .. } => {}
    }
    form
}

fn fields(form: &RegistrationForm) -> Map<String, Value> {
    match serde_json::to_value(form) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// The holder's general data for display: every field the profile has, the document
/// number masked (`AB***03`).
pub fn general_data(profile: &Profile) -> Map<String, Value> {
    let mut data: Map<String, Value> = fields(&form_of(profile))
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .collect();
    if let Some(identity) = profile.identity() {
        data.insert(
            "document_number".into(),
            Value::String(identity.document_number.masked()),
        );
    }
    // Entered by staff, never by a form of the holder's: shown all the same.
    let entered: Vec<(&str, String)> = match profile {
        Profile::LegalEntityHost {
            legal_name,
            tax_id,
            representative_surname,
            representative_name,
            legal_address,
            ..
        } => vec![
            ("legal_name", legal_name.to_string()),
            ("tax_id", tax_id.to_string()),
            ("representative_surname", representative_surname.to_string()),
            ("representative_name", representative_name.to_string()),
            ("legal_address", legal_address.to_string()),
        ],
        Profile::Staff {
            surname,
            given_names,
        } => vec![
            ("surname", surname.to_string()),
            ("given_names", given_names.to_string()),
        ],
        _ => Vec::new(),
    };
    for (field, value) in entered {
        data.insert(field.into(), Value::String(value));
    }
    data
}

/// The profile `current` would become with `changes`, checked by the registration rules
/// of `kind`. Fields not [`changeable`] or not of this type are `not_expected`; a
/// request that changes nothing is refused with `no_changes`.
pub fn proposed_profile(
    kind: AccountType,
    current: &Profile,
    changes: &Map<String, Value>,
    today: Date,
) -> Result<Profile, DomainError> {
    let foreign: Vec<FieldError> = changes
        .keys()
        .filter(|k| !changeable(k))
        .map(|k| FieldError::new(k.as_str(), Code::NotExpected))
        .collect();
    if !foreign.is_empty() {
        return Err(DomainError::Invalid(foreign));
    }
    let mut merged = fields(&form_of(current));
    for (key, value) in changes {
        merged.insert(key.clone(), value.clone());
    }
    let form: RegistrationForm = serde_json::from_value(Value::Object(merged))
        .map_err(|_| DomainError::Invalid(vec![FieldError::new("changes", Code::InvalidBody)]))?;
    let proposed = form.profile(kind, today)?;
    // A field the type does not have is dropped by the rules: say so rather than
    // accept a change that does nothing.
    let result = fields(&form_of(&proposed));
    let ignored: Vec<FieldError> = changes
        .iter()
        .filter(|(k, v)| {
            let given = !(v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty()));
            given && result.get(k.as_str()).is_none_or(Value::is_null)
        })
        .map(|(k, _)| FieldError::new(k.as_str(), Code::NotExpected))
        .collect();
    if !ignored.is_empty() {
        return Err(DomainError::Invalid(ignored));
    }
    if &proposed == current {
        return Err(DomainError::Refused(Code::NoChanges));
    }
    Ok(proposed)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::Lang;

    fn host() -> Profile {
        let form: RegistrationForm = serde_json::from_value(serde_json::json!({
            "type": "host_citizen", "consent": true, "challenge_id": "c", "challenge_answer": "a",
            "email": "host@mail.kg", "phone": "996700123456",
            "password": "Tr1cky-Pass", "password_repeat": "Tr1cky-Pass",
            "surname": "Asanov", "given_names": "Bakyt", "birth_date": "1985-03-14", "sex": "M",
            "document_country": "KGZ", "document_number": "AC1234567",
            "document_issued": "2020-01-10", "document_expires": "2030-01-10",
            "personal_number": "21403198500123",
            "passport_scan": "upl_0123456789abcdef0123456789abcde1", "photo": "upl_0123456789abcdef0123456789abcde2"
        }))
        .unwrap();
        form.parse(date!(2026 - 11 - 23), Lang::Ky).unwrap().profile
    }

    fn changes(json: serde_json::Value) -> Map<String, Value> {
        json.as_object().unwrap().clone()
    }

    #[test]
    fn the_form_of_a_profile_parses_back_to_the_same_profile() {
        let profile = host();
        let back = form_of(&profile)
            .profile(AccountType::HostCitizen, date!(2026 - 11 - 23))
            .unwrap();
        assert_eq!(back, profile);
    }

    #[test]
    fn general_data_of_a_legal_entity_host_is_what_the_operator_entered() {
        let form: crate::account::staff::LegalEntityHostForm =
            serde_json::from_value(serde_json::json!({
                "legal_name": "Ala-Too Hotel LLC", "tax_id": "02345678912345",
                "representative_surname": "Tokonov", "representative_name": "Bakyt",
                "legal_address": "1 Kievskaya Street, Bishkek", "email": "hotel@mail.kg",
                "phone": "996700123456", "letter": "upl_0123456789abcdef0123456789abcde1"
            }))
            .unwrap();
        let data = general_data(&form.parse(Lang::Ru).unwrap().profile);
        assert_eq!(data["legal_name"], "Ala-Too Hotel LLC");
        assert_eq!(data["tax_id"], "02345678912345");
        assert_eq!(data["representative_surname"], "Tokonov");
        assert_eq!(data["legal_address"], "1 Kievskaya Street, Bishkek");
        assert!(!data.contains_key("letter"), "{data:?}");
    }

    #[test]
    fn general_data_masks_the_document_number() {
        let data = general_data(&host());
        assert_eq!(data["document_number"], "AC***67");
        assert_eq!(data["surname"], "ASANOV");
        assert!(!data.contains_key("legal_name"));
    }

    #[test]
    fn a_change_is_checked_as_the_whole_profile_would_become() {
        let today = date!(2026 - 11 - 23);
        let kind = AccountType::HostCitizen;
        let proposed = proposed_profile(
            kind,
            &host(),
            &changes(serde_json::json!({ "surname": "Asanova", "photo": "upl_0123456789abcdef0123456789abcdef" })),
            today,
        )
        .unwrap();
        assert_eq!(proposed.identity().unwrap().surname.as_ref(), "ASANOVA");

        let err = proposed_profile(
            kind,
            &host(),
            &changes(serde_json::json!({ "document_expires": "2019-01-01" })),
            today,
        )
        .unwrap_err();
        assert_eq!(
            err,
            DomainError::Invalid(vec![
                FieldError::new("document_expires", Code::ExpiryBeforeIssue),
                FieldError::new("document_expires", Code::DocumentExpired),
            ])
        );
        for (field, value) in [("email", "x@y.kg"), ("legal_name", "LLC")] {
            let err = proposed_profile(
                kind,
                &host(),
                &changes(serde_json::json!({ field: value })),
                today,
            )
            .unwrap_err();
            assert_eq!(
                err,
                DomainError::Invalid(vec![FieldError::new(field, Code::NotExpected)])
            );
        }
        let err = proposed_profile(
            kind,
            &host(),
            &changes(serde_json::json!({ "surname": "asanov" })),
            today,
        )
        .unwrap_err();
        assert_eq!(err, DomainError::Refused(Code::NoChanges));
        let err = proposed_profile(
            kind,
            &host(),
            &changes(serde_json::json!({ "stateless": "yes" })),
            today,
        )
        .unwrap_err();
        assert_eq!(
            err,
            DomainError::Invalid(vec![FieldError::new("changes", Code::InvalidBody)])
        );
    }
}
