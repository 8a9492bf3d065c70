//! The `printing` function: the documents users print, and their public verification.
//! A host prints the talon of a valid registration: rendered once per version of the
//! registration, stored in S3, handed out as a link valid five minutes. Its QR code
//! carries a signed payload (Ed25519 over the document id, its version and a hash of the
//! printed fields); `verify` checks the signature and says whether the document is valid
//! now, expired, revoked or unknown, with no more than a checker needs.

mod card;
pub mod ework;
mod extract;
mod permit;
pub mod sheet;
pub mod talon;

use std::sync::Arc;
use std::time::Duration;

use adapters::Deps;
use axum::extract::{Path, Query, State};
use axum::{Json, Router};
use domain::account::sign_up::Profile;
use domain::clock::{bishkek_offset, today_in_bishkek};
use domain::printed::{DocumentSigner, Payload, fields_hash};
use domain::stay::{Stay, StayStatus};
use domain::{Code, DomainError};
use http_edge::{ApiError, EregHost, SourceIp, unexpected};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::talon::Talon;

/// The secrets this function is granted (the template gives it exactly these).
pub const SECRETS: &[adapters::secrets::Secret] = &[adapters::secrets::Secret::PrintSigning];

/// A printed document's link is valid this long.
pub const LINK_VALID_SECS: u64 = 5 * 60;
/// Verifications per source and minute.
pub const VERIFICATIONS_PER_MINUTE: u32 = 30;

pub struct App {
    stays: adapters::stays::DynamoStays,
    applications: adapters::ework::DynamoApplications,
    accounts: adapters::accounts::DynamoAccounts,
    documents: adapters::documents::DynamoDocuments,
    rate_limit: adapters::rate_limit::DynamoRateLimit,
    signer: DocumentSigner,
    bucket: adapters::bucket::S3UploadsBucket,
    public_url: String,
}

/// The routes, with their OpenAPI description.
pub fn router(deps: &Deps) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(print_talon))
        .routes(routes!(extract::print_extract))
        .routes(routes!(permit::print_permit))
        .routes(routes!(card::print_card))
        .routes(routes!(verification_key))
        .routes(routes!(verify))
        .with_state(Arc::new(App {
            stays: deps.stays(),
            applications: deps.applications(),
            accounts: deps.accounts(),
            documents: deps.documents(),
            rate_limit: deps.rate_limit(),
            signer: DocumentSigner::from_seed(deps.settings.secrets.print_signing()),
            bucket: deps.uploads_bucket(),
            public_url: deps.settings.public_url.clone(),
        }))
}

/// The whole function as Lambda runs it.
pub fn app(deps: &Deps) -> Router {
    let (router, _) = router(deps).split_for_parts();
    http_edge::lambda_app(router)
}

fn day(date: time::Date) -> String {
    format!(
        "{:02}.{:02}.{}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// `at` (RFC 3339; now when it is not one) as printed documents give their issue time:
/// `DD.MM.YYYY HH:MM` in GMT+6.
fn issued_at(at: Option<&str>) -> String {
    let issued = at
        .and_then(|at| {
            time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()
        })
        .unwrap_or_else(time::OffsetDateTime::now_utc)
        .to_offset(bishkek_offset());
    format!(
        "{} {:02}:{:02}",
        day(issued.date()),
        issued.hour(),
        issued.minute()
    )
}

/// `sheet` as a PDF with the print copy of photo `photo` (when there is one) and a QR
/// code of `url`.
async fn rendered(
    app: &App,
    sheet: sheet::Sheet,
    photo: Option<String>,
    url: String,
) -> Result<Vec<u8>, ApiError> {
    let photo = match photo {
        Some(id) => photo_print_copy(app, &id).await.map_err(unexpected)?,
        None => None,
    };
    http_edge::blocking(move || sheet::render(&sheet, photo.as_deref(), &url))
        .await?
        .map_err(unexpected)
}

/// The talon of a registration, as printed; `None` before it is confirmed.
async fn talon_of(app: &App, record: &Stay) -> Result<Option<Talon>, ApiError> {
    let Some(registration_number) = record.registration_number.clone() else {
        return Ok(None);
    };
    let host = app.accounts.get(&record.owner).await?;
    let host = host
        .map(|h| {
            let document = match &h.profile {
                Profile::LegalEntityHost { tax_id, .. } => format!("ИНН/INN {tax_id}"),
                profile => profile
                    .identity()
                    .map(|i| format!("{} {}", i.document_country, i.document_number.masked()))
                    .unwrap_or_default(),
            };
            format!("{}, {document}", h.profile.display_name())
        })
        .unwrap_or_default();
    let g = &record.guest;
    Ok(Some(Talon {
        registration_number,
        full_name: record.guest_name.clone(),
        birth_date: day(g.birth_date),
        sex: g.sex.as_str().to_owned(),
        // The country's name in three languages; a code of no state as printed.
        citizenship: domain::country::Country::of_zone(g.nationality.as_ref())
            .map(|c| c.names().join(" / "))
            .unwrap_or_else(|| g.nationality.to_string()),
        // The type in the three languages, the issuing state and the number.
        document: format!(
            "{}, {} {}",
            g.document_type.names().join(" / "),
            g.document_country,
            g.document_number
        ),
        document_valid_until: day(g.document_expires),
        entry_date: day(record.entry_date),
        address: record.address.clone(),
        valid_from: day(record.stay_from),
        valid_to: day(record.stay_to),
        host,
        issued_at: issued_at(record.decided_at.as_deref()),
    }))
}

/// A printed document, ready to download.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Printed {
    /// `T<registration number>`.
    pub document_id: String,
    /// The registration's version this print shows; a change makes a new one.
    pub version: u64,
    /// The PDF, valid five minutes.
    pub url: String,
    pub expires_in_secs: u64,
    /// What the QR code leads to.
    pub verify_url: String,
}

/// Prints the talon of one of the caller's registrations once it is valid.
#[utoipa::path(post, path = "/v1/registrations/{number}/talon", tag = "printing", security(("session" = [])),
    params(("number" = String, Path, description = "The 10-digit application number")),
    responses(
        (status = 200, description = "The talon, as a link", body = Printed),
        (status = 401, description = "`unauthenticated`", body = http_edge::ProblemBody),
        (status = 403, description = "`not_for_account_type`: ereg hosts only", body = http_edge::ProblemBody),
        (status = 404, description = "`registration_not_found`, also for another host's", body = http_edge::ProblemBody),
        (status = 409, description = "`not_printable`: not (or no longer) \"registration valid\"", body = http_edge::ProblemBody),
    ))]
async fn print_talon(
    State(app): State<Arc<App>>,
    EregHost(principal): EregHost,
    Path(number): Path<String>,
) -> Result<Json<Printed>, ApiError> {
    let not_found = || ApiError::from(DomainError::NotFound(Code::RegistrationNotFound));
    let number = domain::stay::parse_application_number(&number).ok_or_else(not_found)?;
    let record = app
        .stays
        .get(&number)
        .await?
        .filter(|r| r.owner == principal.account_id)
        .ok_or_else(not_found)?;
    let talon = talon_of(&app, &record).await?;
    let (Some(talon), StayStatus::Valid) = (talon, record.status) else {
        return Err(DomainError::Conflict(Code::NotPrintable).into());
    };
    if record.stay_to < today_in_bishkek() {
        return Err(DomainError::Conflict(Code::NotPrintable).into());
    }
    let (payload, verify_url) = signed(
        &app,
        format!("T{}", talon.registration_number),
        record.version,
        &talon.fields(),
    );
    let key = format!("printed/talon/{}/v{}.pdf", record.number, record.version);
    let url = verify_url.clone();
    let pdf = async {
        let photo = photo_print_copy(&app, &record.photo)
            .await
            .map_err(unexpected)?;
        http_edge::blocking(move || talon::render(&talon, photo.as_deref(), &url))
            .await?
            .map_err(unexpected)
    };
    Ok(Json(printed(&app, &key, pdf, payload, verify_url).await?))
}

/// The caller's own e-work application `number`; another account's answers as missing.
async fn own_application(
    app: &App,
    number: &str,
    owner: &domain::account::AccountId,
) -> Result<domain::ework::Application, ApiError> {
    Ok(app
        .applications
        .get(number)
        .await?
        .filter(|a| &a.owner == owner)
        .ok_or(DomainError::NotFound(Code::ApplicationNotFound))?)
}

/// The print of a granted `application` (a work permit, a Digital Nomad card) as
/// `sheet` over its printed `fields`, with `photo`: its document id is `prefix` and the
/// number without its dash, stored per version under `printed/<dir>/`.
async fn granted_print(
    app: &App,
    application: &domain::ework::Application,
    (prefix, dir): (&str, &str),
    (sheet, fields): (sheet::Sheet, String),
    photo: Option<String>,
) -> Result<Printed, ApiError> {
    let id = format!("{prefix}{}", application.number.replace('-', ""));
    let (payload, verify_url) = signed(app, id, application.version, &fields);
    let key = format!(
        "printed/{dir}/{}/v{}.pdf",
        application.number, application.version
    );
    let pdf = rendered(app, sheet, photo, verify_url.clone());
    printed(app, &key, pdf, payload, verify_url).await
}

/// The signed payload of document `id` at `version` over its printed `fields`, and
/// the verification URL its QR code carries.
fn signed(app: &App, id: String, version: u64, fields: &str) -> (Payload, String) {
    let payload = Payload {
        id,
        version,
        hash: fields_hash(fields),
    };
    let verify_url = format!("{}/verify?d={}", app.public_url, app.signer.sign(&payload));
    (payload, verify_url)
}

/// The answer for a printed document stored at `key`, rendering it with `pdf` first
/// when this version was never stored.
async fn printed(
    app: &App,
    key: &str,
    pdf: impl std::future::Future<Output = Result<Vec<u8>, ApiError>>,
    payload: Payload,
    verify_url: String,
) -> Result<Printed, ApiError> {
    // A failure to look counts as not stored: the document is made again.
    if !app.bucket.exists(key).await.unwrap_or(false) {
        app.bucket.write(key, "application/pdf", pdf.await?).await?;
    }
    let url = (app.bucket)
        .download_link(key, Duration::from_secs(LINK_VALID_SECS))
        .await?;
    Ok(Printed {
        document_id: payload.id,
        version: payload.version,
        url,
        expires_in_secs: LINK_VALID_SECS,
        verify_url,
    })
}

/// The photo as the page embeds it: the print copy the photo check stored; for a photo
/// checked before copies were made, one made now from the original. `None` when the
/// photo is gone.
async fn photo_print_copy(app: &App, photo: &str) -> anyhow::Result<Option<Vec<u8>>> {
    let copy_key = adapters::documents::DocumentRecord::print_copy_key(photo);
    if let Some(copy) = app.bucket.read_whole(&copy_key).await? {
        return Ok(Some(copy));
    }
    let Some(document) = app.documents.get(photo).await? else {
        return Ok(None);
    };
    let Some(original) = app.bucket.read_whole(&document.key).await? else {
        return Ok(None);
    };
    Ok(tokio::task::spawn_blocking(move || imaging::print_copy_of(&original)).await?)
}

/// The key printed documents are signed with.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VerificationKey {
    /// `Ed25519`.
    pub algorithm: String,
    /// The 32-byte public key, base64url without padding.
    pub public_key: String,
    /// What is signed: `<id>.<version>.<hash>`; the QR payload is that and `.<signature>`.
    pub signed: String,
}

/// The public key to check printed documents offline.
#[utoipa::path(get, path = "/v1/public/verification-key", tag = "printing",
    responses((status = 200, description = "The key", body = VerificationKey)))]
async fn verification_key(State(app): State<Arc<App>>) -> Json<VerificationKey> {
    Json(VerificationKey {
        algorithm: "Ed25519".into(),
        public_key: app.signer.public_key(),
        signed: "<id>.<version>.<hash>".into(),
    })
}

/// The QR code's payload.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerifyQuery {
    /// `<id>.<version>.<hash>.<signature>`.
    pub d: Option<String>,
}

/// What a checker learns.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Verification {
    /// `valid`, `expired`, `revoked` (cancelled, refused, or replaced by a newer
    /// version) or `unknown` (not ours, or tampered with).
    pub status: String,
    /// Why a print is not valid, when there is more to say: `superseded` (a newer
    /// version, e.g. after an extension, replaces it) or `revoked`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<String>,
}

impl Verification {
    fn unknown() -> Self {
        Verification {
            status: "unknown".into(),
            reason: None,
            document_type: None,
            name: None,
            valid_from: None,
            valid_to: None,
        }
    }
}

/// Checks a printed document's QR payload: the signature, then whether it is valid now.
#[utoipa::path(get, path = "/v1/public/documents/verify", tag = "printing", params(VerifyQuery),
    responses(
        (status = 200, description = "The document's standing", body = Verification),
        (status = 429, description = "`rate_limited`: thirty a minute per source", body = http_edge::ProblemBody),
    ))]
async fn verify(
    State(app): State<Arc<App>>,
    SourceIp(source): SourceIp,
    Query(query): Query<VerifyQuery>,
) -> Result<Json<Verification>, ApiError> {
    app.rate_limit
        .admit("verify", &source, VERIFICATIONS_PER_MINUTE, 60)
        .await??;
    let Some(payload) = query.d.as_deref().and_then(|d| app.signer.verify(d)) else {
        return Ok(Json(Verification::unknown()));
    };
    if let Some(number) = card::application_of(&payload.id) {
        return Ok(Json(card::verify_card(&app, &number, &payload.hash).await?));
    }
    if let Some(number) = permit::application_of(&payload.id) {
        return Ok(Json(
            permit::verify_permit(&app, &number, &payload.hash).await?,
        ));
    }
    if let Some(number) = extract::application_of(&payload.id) {
        return Ok(Json(
            extract::verify_extract(&app, &number, &payload.hash).await?,
        ));
    }
    let Some(registration_number) = payload.id.strip_prefix('T') else {
        return Ok(Json(Verification::unknown()));
    };
    let Some(record) = app
        .stays
        .by_registration_number(registration_number)
        .await?
    else {
        return Ok(Json(Verification::unknown()));
    };
    let current = talon_of(&app, &record).await?;
    let status = match record.status {
        StayStatus::Expired => "expired",
        StayStatus::Valid if record.stay_to < today_in_bishkek() => "expired",
        StayStatus::Valid
            if current.as_ref().map(|t| fields_hash(&t.fields())) == Some(payload.hash) =>
        {
            "valid"
        }
        _ => "revoked",
    };
    Ok(Json(Verification {
        status: status.into(),
        reason: None,
        document_type: Some("registration_talon".into()),
        name: Some(record.guest_name.clone()),
        valid_from: Some(record.stay_from.to_string()),
        valid_to: Some(record.stay_to.to_string()),
    }))
}
