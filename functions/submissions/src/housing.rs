//! Housing: the property registry resolves a code to its address and owners; a host adds
//! housing the registry lists them as an owner of, with its technical passport scan.

use std::sync::Arc;

use adapters::StoreError;
use adapters::housing::HousingRecord;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::account::AccountType;
use domain::account::sign_up::Profile;
use domain::account::values::{PropertyCode, UploadId};
use domain::clock::now_rfc3339;
use domain::document::DocumentKind;
use domain::ports::{Property, PropertyRegistry};
use domain::{Code, DomainError, FieldError};
use http_edge::{ApiError, JsonBody};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use http_edge::EregHost as Host;

use crate::App;

/// A property code to look up.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HousingCheck {
    /// The property identification code from the technical passport, e.g. `1-02-03-0004-0005`.
    pub housing_code: Option<String>,
}

/// Housing to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHousing {
    pub housing_code: Option<String>,
    /// The upload id of the technical passport (or purchase contract) scan, of kind
    /// `technical_passport`, whose check passed.
    pub document: Option<String>,
}

/// A property as the registry resolves it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PropertyView {
    pub code: String,
    pub city: String,
    pub address: String,
}

/// One of the host's housing.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Housing {
    pub code: String,
    pub city: String,
    pub address: String,
    /// RFC 3339, UTC.
    pub added_at: String,
}

impl From<&HousingRecord> for Housing {
    fn from(r: &HousingRecord) -> Self {
        Housing {
            code: r.code.clone(),
            city: r.city.clone(),
            address: r.address.clone(),
            added_at: r.added_at.clone(),
        }
    }
}

/// The host's housing list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HousingList {
    pub housing: Vec<Housing>,
}

/// The property `raw` names, if the registry lists the caller as an owner.
async fn owned_property(
    app: &App,
    host: &Host,
    raw: &Option<String>,
) -> Result<Property, ApiError> {
    let field = |code| DomainError::Invalid(vec![FieldError::new("housing_code", code)]);
    let code = match raw.as_deref().map(str::trim) {
        None | Some("") => return Err(field(Code::Required).into()),
        Some(raw) => PropertyCode::parse(raw).map_err(field)?,
    };
    let property = app
        .registry
        .find(&code)
        .await?
        .ok_or_else(|| field(Code::PropertyNotFound))?;
    let account = app
        .accounts
        .get(&host.0.account_id)
        .await?
        .ok_or(DomainError::Unauthenticated(Code::Unauthenticated))?;
    let ids: Vec<String> = match &account.profile {
        Profile::Host {
            identity,
            personal_number,
            ..
        } => personal_number
            .iter()
            .map(|p| p.to_string())
            .chain([identity.document_number.to_string()])
            .collect(),
        Profile::LegalEntityHost { tax_id, .. } => vec![tax_id.to_string()],
        _ => Vec::new(),
    };
    if !property.owners.iter().any(|owner| ids.contains(owner)) {
        return Err(field(Code::NotPropertyOwner).into());
    }
    Ok(property)
}

/// "Check": the address of a property the registry lists the caller as an owner of.
#[utoipa::path(post, path = "/v1/housing/check", operation_id = "check_housing", tag = "ereg", request_body = HousingCheck, security(("session" = [])),
    responses(
        (status = 200, description = "The property's address", body = PropertyView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: ereg hosts only", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `housing_code` is `required`, `invalid_property_code`, `property_not_found` or `not_property_owner`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn check(
    State(app): State<Arc<App>>,
    host: Host,
    JsonBody(request): JsonBody<HousingCheck>,
) -> Result<Json<PropertyView>, ApiError> {
    let property = owned_property(&app, &host, &request.housing_code).await?;
    Ok(Json(PropertyView {
        code: property.code,
        city: property.city,
        address: property.address,
    }))
}

/// Adds housing the registry lists the caller as an owner of. Legal-entity hosts have
/// theirs added by a registration operator.
#[utoipa::path(post, path = "/v1/housing", tag = "ereg", request_body = NewHousing, security(("session" = [])),
    responses(
        (status = 201, description = "Added", body = Housing),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: ereg hosts only; legal entities through an operator", body = http_edge::ProblemBody),
        (status = 409, description = "`housing_already_added`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `housing_code` as for the check; `document` is `required`, `document_not_found`, `document_not_checked` or `document_rejected`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn add(
    State(app): State<Arc<App>>,
    host: Host,
    JsonBody(request): JsonBody<NewHousing>,
) -> Result<(StatusCode, Json<Housing>), ApiError> {
    if host.0.kind == AccountType::HostLegalEntity {
        return Err(DomainError::Forbidden(Code::NotForAccountType).into());
    }
    let owner = &host.0.account_id;
    let mut errors = Vec::new();
    let property = match owned_property(&app, &host, &request.housing_code).await {
        Ok(property) => Some(property),
        Err(ApiError::Domain(DomainError::Invalid(fields))) => {
            errors.extend(fields);
            None
        }
        Err(other) => return Err(other),
    };
    let document = match request.document.as_deref().map(str::trim) {
        None | Some("") => {
            errors.push(FieldError::new("document", Code::Required));
            None
        }
        Some(raw) => match UploadId::parse(raw) {
            Err(code) => {
                errors.push(FieldError::new("document", code));
                None
            }
            Ok(id) => {
                let refused = app
                    .documents
                    .checked_of_owner(
                        owner,
                        [(
                            "document".to_owned(),
                            id.to_string(),
                            Some(DocumentKind::TechnicalPassport),
                        )],
                    )
                    .await?;
                let ok = refused.is_empty();
                errors.extend(refused);
                ok.then_some(id)
            }
        },
    };
    DomainError::unless_valid(errors)?;
    let (property, document) = property
        .zip(document)
        .expect("without field errors both parsed");
    let record = HousingRecord {
        owner: owner.clone(),
        code: property.code,
        city: property.city,
        address: property.address,
        document: Some(document.to_string()),
        added_at: now_rfc3339(),
        added_by: None,
    };
    match app.housing.add(&record).await {
        Err(StoreError::Conflict) => Err(DomainError::Conflict(Code::HousingAlreadyAdded).into()),
        Err(other) => Err(other.into()),
        Ok(()) => Ok((StatusCode::CREATED, Json(Housing::from(&record)))),
    }
}

/// The caller's housing, by code.
#[utoipa::path(get, path = "/v1/housing", operation_id = "list_housing", tag = "ereg", security(("session" = [])),
    responses(
        (status = 200, description = "Own housing", body = HousingList),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`", body = http_edge::ProblemBody),
    ))]
pub(crate) async fn list(
    State(app): State<Arc<App>>,
    host: Host,
) -> Result<Json<HousingList>, ApiError> {
    let records = app.housing.of_owner(&host.0.account_id).await?;
    Ok(Json(HousingList {
        housing: records.iter().map(Housing::from).collect(),
    }))
}
