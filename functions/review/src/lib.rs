//! The `review` function: registration operators work the queue of paid ereg
//! registrations, oldest payment first. Each opens with its documents (links valid five
//! minutes), the passport's zone, the photo's findings and the flags; the operator
//! confirms it (a 14-digit registration number, status "registration valid") or
//! refuses it with a reason. Decisions are conditional: two operators deciding at once
//! cannot both win. Operators also add the housing of legal-entity hosts.

mod timeliness;

use std::sync::Arc;
use std::time::Duration;

use adapters::audit::AuditEntry;
use adapters::documents::{DocumentRecord, Finding};
use adapters::housing::HousingRecord;
use adapters::{Deps, StoreError};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::{Extension, Json, Router};
use domain::account::sign_up::Profile;
use domain::account::values::{PropertyCode, Text, UploadId};
use domain::account::{AccountId, AccountType};
use domain::clock::now_rfc3339;
use domain::mrz::{Mismatch, MrzExtract};
use domain::payment::OrderStatus;
use domain::ports::PropertyRegistry;
use domain::session::{Principal, Role};
use domain::stay::{Actor, FlagView, RegistrationView, Stay};
use domain::{Code, DomainError, FieldError, Lang};
use http_edge::{ApiError, Authenticated, JsonBody};
use serde::{Deserialize, Serialize};
use use_cases::stays::Decision;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[];

/// A document link is valid this long.
pub const LINK_VALID_SECS: u64 = 5 * 60;
/// At most this many registrations in one view of the queue.
pub const QUEUE_PAGE: i32 = 100;

pub struct App {
    accounts: adapters::accounts::DynamoAccounts,
    documents: adapters::documents::DynamoDocuments,
    registry: adapters::registry::DynamoRegistry,
    housing: adapters::housing::DynamoHousing,
    stays: adapters::stays::DynamoStays,
    registrations: adapters::stay_lifecycle::StayLifecycle,
    orders: adapters::payments::DynamoPayments,
    bucket: adapters::bucket::S3UploadsBucket,
    /// The working days decisions are due in.
    calendar: domain::calendar::WorkCalendar,
}

impl App {
    pub fn from_deps(deps: &Deps) -> Arc<App> {
        Arc::new(App {
            accounts: deps.accounts(),
            documents: deps.documents(),
            registry: deps.registry(),
            housing: deps.housing(),
            stays: deps.stays(),
            registrations: deps.stay_lifecycle(),
            orders: deps.orders(),
            bucket: deps.uploads_bucket(),
            calendar: deps.settings.ereg.calendar.clone(),
        })
    }
}

/// The routes, with their OpenAPI description.
pub fn router(deps: &Deps) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(open))
        .routes(routes!(confirm))
        .routes(routes!(refuse))
        .routes(routes!(add_host_housing))
        .routes(routes!(flagged_payments))
        .routes(routes!(timeliness::daily))
        .with_state(App::from_deps(deps))
}

/// The whole function as Lambda runs it.
pub fn app(deps: &Deps) -> Router {
    let (router, _) = router(deps).split_for_parts();
    http_edge::lambda_app(router)
}

/// A signed-in registration operator. Applicants: 403 `operator_only`; operators of
/// the labour authority and admins: 403 `not_for_account_type`.
pub struct RegistrationOperator(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for RegistrationOperator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Authenticated(principal) = Authenticated::from_request_parts(parts, state).await?;
        match principal.role {
            Role::RegistrationOperator => Ok(RegistrationOperator(principal)),
            Role::Applicant => Err(DomainError::Forbidden(Code::OperatorOnly).into()),
            Role::LabourOperator | Role::Admin => {
                Err(DomainError::Forbidden(Code::NotForAccountType).into())
            }
        }
    }
}

impl RegistrationOperator {
    fn actor(&self) -> Actor {
        Actor::Account {
            id: self.0.account_id.clone(),
            role: "registration_operator".to_owned(),
        }
    }
}

/// A registration in the queue.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QueueItem {
    pub number: String,
    /// RFC 3339, UTC.
    pub paid_at: String,
    /// When it is due to be decided: the close (18:00 in Bishkek) of the first working
    /// day after the payment; RFC 3339, UTC.
    pub due_at: String,
    /// Past its due time.
    pub overdue: bool,
    pub guest: String,
    pub nationality: String,
    pub city: String,
    pub stay_from: String,
    pub stay_to: String,
    /// The codes of what needs a second look; empty when nothing does.
    pub flags: Vec<String>,
}

/// The queue.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Queue {
    pub registrations: Vec<QueueItem>,
}

/// Which part of the queue to show.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `true`: only the registrations past their due time.
    pub overdue: Option<String>,
}

/// Paid registrations waiting for a decision, oldest payment first, each with its due
/// time in working days; `?overdue=true` lists only those past it (the oldest payments
/// are due first, so they lead the queue).
#[utoipa::path(get, path = "/v1/operator/registrations", tag = "review", params(QueueQuery), security(("session" = [])),
    responses(
        (status = 200, description = "The queue", body = Queue),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`: registration operators only", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `overdue`: `invalid_value` (not `true` or `false`)", body = http_edge::ProblemBody),
    ))]
async fn queue(
    State(app): State<Arc<App>>,
    _operator: RegistrationOperator,
    Query(query): Query<QueueQuery>,
) -> Result<Json<Queue>, ApiError> {
    let only_overdue = match query.overdue.as_deref().map(str::trim) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(
                DomainError::Invalid(vec![FieldError::new("overdue", Code::InvalidValue)]).into(),
            );
        }
    };
    let now = time::OffsetDateTime::now_utc();
    let waiting = app.stays.queue(QUEUE_PAGE).await?;
    Ok(Json(Queue {
        registrations: waiting
            .iter()
            .map(|r| (r, r.overdue(&app.calendar, now)))
            .filter(|(_, overdue)| *overdue || !only_overdue)
            .map(|(r, overdue)| QueueItem {
                number: r.number.clone(),
                paid_at: r.paid_at.clone().unwrap_or_default(),
                due_at: r
                    .decision_due(&app.calendar)
                    .map(domain::clock::rfc3339_of)
                    .unwrap_or_default(),
                overdue,
                guest: r.guest_name.clone(),
                nationality: r.guest.nationality.to_string(),
                city: r.city.clone(),
                stay_from: r.stay_from.to_string(),
                stay_to: r.stay_to.to_string(),
                flags: r.flags.iter().map(|f| f.code.clone()).collect(),
            })
            .collect(),
    }))
}

/// A document as the operator sees it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DocumentView {
    pub upload_id: String,
    pub status: domain::document::DocumentStatus,
    pub findings: Vec<Finding>,
    /// The file, for five minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The host as the operator sees it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HostView {
    pub account_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub email: String,
    pub phone: String,
}

/// Everything an operator needs to decide.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Review {
    pub registration: RegistrationView,
    /// The passport number in full (the host's view masks it).
    pub document_number: String,
    pub host: Option<HostView>,
    pub flags: Vec<FlagView>,
    pub passport_scan: Option<DocumentView>,
    /// The zone as read from the scan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mrz: Option<MrzExtract>,
    /// The typed fields that differ from the zone.
    pub mismatches: Vec<Mismatch>,
    pub photo: Option<DocumentView>,
    /// Every change, oldest first.
    pub audit: Vec<AuditEntry>,
}

async fn registration(app: &App, raw: &str) -> Result<Stay, ApiError> {
    let not_found = || ApiError::from(DomainError::NotFound(Code::RegistrationNotFound));
    let number = domain::stay::parse_application_number(raw).ok_or_else(not_found)?;
    app.stays.get(&number).await?.ok_or_else(not_found)
}

async fn document_view(
    app: &App,
    record: Option<&DocumentRecord>,
) -> Result<Option<DocumentView>, ApiError> {
    let Some(record) = record else {
        return Ok(None);
    };
    let link = (app.bucket)
        .download_link(&record.key, Duration::from_secs(LINK_VALID_SECS))
        .await?;
    Ok(Some(DocumentView {
        upload_id: record.upload_id.clone(),
        status: record.status,
        findings: record.findings.clone(),
        link: Some(link),
    }))
}

async fn review_of(app: &App, record: Stay, lang: Lang) -> Result<Review, ApiError> {
    let (scan, photo, host, audit) = tokio::try_join!(
        app.documents.get(&record.passport_scan),
        app.documents.get(&record.photo),
        app.accounts.get(&record.owner),
        app.stays.audit_of(&record.number),
    )?;
    let mrz = scan.as_ref().and_then(|d| d.mrz.clone());
    let mismatches = mrz
        .as_ref()
        .and_then(|z| z.fields.as_ref())
        .map(|fields| domain::mrz::cross_check(fields, &record.guest.typed()))
        .unwrap_or_default();
    Ok(Review {
        document_number: record.guest.document_number.to_string(),
        host: host.map(|h| HostView {
            account_id: h.account_id.to_string(),
            kind: h.kind.as_str().to_owned(),
            name: h.profile.display_name(),
            email: h.email.to_string(),
            phone: h.phone.to_string(),
        }),
        flags: record.flags.iter().map(|f| FlagView::of(f, lang)).collect(),
        passport_scan: document_view(app, scan.as_ref()).await?,
        mrz,
        mismatches,
        photo: document_view(app, photo.as_ref()).await?,
        audit,
        registration: RegistrationView::of(&record, &app.calendar),
    })
}

/// One registration with its documents, zone, flags and audit trail.
#[utoipa::path(get, path = "/v1/operator/registrations/{number}", operation_id = "open_registration", tag = "review", security(("session" = [])),
    params(("number" = String, Path, description = "The 10-digit application number")),
    responses(
        (status = 200, description = "The registration and what to decide it by", body = Review),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`registration_not_found`", body = http_edge::ProblemBody),
    ))]
async fn open(
    State(app): State<Arc<App>>,
    _operator: RegistrationOperator,
    Extension(lang): Extension<Lang>,
    Path(number): Path<String>,
) -> Result<Json<Review>, ApiError> {
    let record = registration(&app, &number).await?;
    Ok(Json(review_of(&app, record, lang).await?))
}

/// Confirms a paid registration: a new 14-digit registration number, status
/// "registration valid"; the host hears by email and SMS.
#[utoipa::path(post, path = "/v1/operator/registrations/{number}/confirm", tag = "review", security(("session" = [])),
    params(("number" = String, Path, description = "The 10-digit application number")),
    responses(
        (status = 200, description = "Confirmed", body = RegistrationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`registration_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`registration_not_awaiting_decision` (unpaid, or decided by someone else first) or `stay_overlaps`", body = http_edge::ProblemBody),
    ))]
async fn confirm(
    State(app): State<Arc<App>>,
    operator: RegistrationOperator,
    Path(number): Path<String>,
) -> Result<Json<RegistrationView>, ApiError> {
    let record = registration(&app, &number).await?;
    let decided = app
        .registrations
        .decide(&record.number, &operator.actor(), Decision::Confirm)
        .await?;
    Ok(Json(RegistrationView::of(&decided, &app.calendar)))
}

/// Why a registration is refused.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RegistrationRefusal)]
pub struct Refusal {
    /// Shown to the host, up to 1000 characters.
    pub reason: Option<String>,
}

/// Refuses a paid registration with a reason; the fee is marked for refund and the host
/// hears by email and SMS.
#[utoipa::path(post, path = "/v1/operator/registrations/{number}/refuse", operation_id = "refuse_registration", tag = "review", request_body = Refusal, security(("session" = [])),
    params(("number" = String, Path, description = "The 10-digit application number")),
    responses(
        (status = 200, description = "Refused", body = RegistrationView),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`registration_not_found`", body = http_edge::ProblemBody),
        (status = 409, description = "`registration_not_awaiting_decision`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `reason` is `required` or `invalid_text`", body = http_edge::ProblemBody),
    ))]
async fn refuse(
    State(app): State<Arc<App>>,
    operator: RegistrationOperator,
    Path(number): Path<String>,
    JsonBody(refusal): JsonBody<Refusal>,
) -> Result<Json<RegistrationView>, ApiError> {
    let reason = match refusal.reason.as_deref().map(str::trim) {
        None | Some("") => Err(Code::Required),
        Some(raw) => Text::parse(raw, 1000),
    }
    .map_err(|code| DomainError::Invalid(vec![FieldError::new("reason", code)]))?;
    let record = registration(&app, &number).await?;
    let decided = app
        .registrations
        .decide(
            &record.number,
            &operator.actor(),
            Decision::Refuse {
                reason: reason.to_string(),
            },
        )
        .await?;
    Ok(Json(RegistrationView::of(&decided, &app.calendar)))
}

/// Housing for a legal-entity host.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HostHousing {
    pub housing_code: Option<String>,
    /// The scan that came with the entity's letter (an upload of the operator's).
    pub document: Option<String>,
}

/// The housing added.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AddedHousing {
    pub code: String,
    pub city: String,
    pub address: String,
    pub added_at: String,
}

/// Adds housing to a legal-entity host, from the documents the entity sent with its
/// letter. The registry must know the code; ownership is what the operator checked on
/// paper (entities often rent).
#[utoipa::path(post, path = "/v1/operator/hosts/{account_id}/housing", tag = "review", request_body = HostHousing, security(("session" = [])),
    params(("account_id" = String, Path, description = "The legal-entity host's account id")),
    responses(
        (status = 201, description = "Added", body = AddedHousing),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
        (status = 404, description = "`account_not_found`: no legal-entity host with this id", body = http_edge::ProblemBody),
        (status = 409, description = "`housing_already_added`", body = http_edge::ProblemBody),
        (status = 422, description = "`invalid_fields`: `housing_code` is `required`, `invalid_property_code` or `property_not_found`; `document` is `invalid_upload_id`", body = http_edge::ProblemBody),
    ))]
async fn add_host_housing(
    State(app): State<Arc<App>>,
    operator: RegistrationOperator,
    Path(account_id): Path<String>,
    JsonBody(request): JsonBody<HostHousing>,
) -> Result<(StatusCode, Json<AddedHousing>), ApiError> {
    let not_found = || ApiError::from(DomainError::NotFound(Code::AccountNotFound));
    let id = AccountId::parse(&account_id).ok_or_else(not_found)?;
    let host = app
        .accounts
        .get(&id)
        .await?
        .filter(|a| {
            a.kind == AccountType::HostLegalEntity
                && matches!(a.profile, Profile::LegalEntityHost { .. })
        })
        .ok_or_else(not_found)?;
    let field = |name: &str, code| DomainError::Invalid(vec![FieldError::new(name, code)]);
    let code = match request.housing_code.as_deref().map(str::trim) {
        None | Some("") => return Err(field("housing_code", Code::Required).into()),
        Some(raw) => PropertyCode::parse(raw).map_err(|c| field("housing_code", c))?,
    };
    let document = match request.document.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(UploadId::parse(raw).map_err(|c| field("document", c))?),
    };
    let property = app
        .registry
        .find(&code)
        .await?
        .ok_or_else(|| field("housing_code", Code::PropertyNotFound))?;
    let record = HousingRecord {
        owner: host.account_id.clone(),
        code: property.code,
        city: property.city,
        address: property.address,
        document: document.map(|d| d.to_string()),
        added_at: now_rfc3339(),
        added_by: Some(operator.0.account_id.clone()),
    };
    match app.housing.add(&record).await {
        Err(StoreError::Conflict) => {
            return Err(DomainError::Conflict(Code::HousingAlreadyAdded).into());
        }
        other => other?,
    }
    Ok((
        StatusCode::CREATED,
        Json(AddedHousing {
            code: record.code,
            city: record.city,
            address: record.address,
            added_at: record.added_at,
        }),
    ))
}

/// A payment an operator must look at.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FlaggedPayment {
    pub order_number: String,
    pub application: String,
    pub amount_minor: u64,
    pub currency: String,
    pub status: OrderStatus,
    /// The money must go back.
    pub refund_due: bool,
    /// `payment_mismatch`, `paid_after_expiry`, `paid_after_cancellation`.
    pub flags: Vec<String>,
    pub created_at: String,
}

/// The flagged payments.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FlaggedPayments {
    pub payments: Vec<FlaggedPayment>,
}

/// Payments that came late, for a cancelled application or with a wrong amount, oldest
/// order first.
#[utoipa::path(get, path = "/v1/operator/payments/flagged", tag = "review", security(("session" = [])),
    responses(
        (status = 200, description = "Flagged payments", body = FlaggedPayments),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`operator_only` or `not_for_account_type`", body = http_edge::ProblemBody),
    ))]
async fn flagged_payments(
    State(app): State<Arc<App>>,
    _operator: RegistrationOperator,
) -> Result<Json<FlaggedPayments>, ApiError> {
    let orders = app.orders.flagged(QUEUE_PAGE).await?;
    Ok(Json(FlaggedPayments {
        payments: orders
            .into_iter()
            .map(|o| FlaggedPayment {
                order_number: o.order_number,
                application: o.application,
                amount_minor: o.amount.amount_minor,
                currency: o.amount.currency,
                status: o.status,
                refund_due: o.refund_due,
                flags: o.flags,
                created_at: o.created_at,
            })
            .collect(),
    }))
}
