//! The HTTP side: every HTTP function's router behind one listener, as API Gateway
//! routes them, plus `/health` and `/openapi.json`.

use std::sync::Arc;
use std::time::Instant;

use adapters::Deps;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::functions::{FUNCTIONS, Start};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Migration e-services of the Kyrgyz Republic",
        description = "One API for e-work (quotas, work permits, entrepreneurs, Digital Nomads) \
and ereg (registration of foreigners at the place of stay). Every error is \
`application/problem+json` with a stable `code` and a message in the language of \
`Accept-Language` (ky, ru, en; Kyrgyz by default).",
        license(name = "Apache-2.0"),
    ),
    components(schemas(http_edge::ProblemBody, http_edge::ProblemField)),
    modifiers(&SessionScheme),
    tags(
        (name = "platform", description = "Health and API description"),
        (name = "accounts", description = "Registration, confirmation and activation of accounts"),
        (name = "sessions", description = "Signing in and out, second factors, own profile"),
        (name = "uploads", description = "Documents: upload forms S3 enforces, checks, downloads"),
        (name = "ereg", description = "Registration of foreigners at the place of stay: housing, registrations, the public status check"),
        (name = "review", description = "Registration operators: the queue of paid registrations, decisions, housing of legal-entity hosts"),
        (name = "printing", description = "Printed documents with signed QR codes, and their public verification"),
        (name = "payments", description = "Payment orders and the card processor's webhook"),
        (name = "operators", description = "Operators and admins: activation, legal-entity hosts, change requests, operator accounts"),
    )
)]
struct ApiDoc;

/// The bearer session token every protected route takes.
struct SessionScheme;

impl utoipa::Modify for SessionScheme {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The token from `POST /v1/sessions`."))
                    .build(),
            ),
        );
    }
}

/// What `/health` reports.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Health {
    /// `ok` while the host runs.
    pub status: &'static str,
    /// The AWS endpoint every function uses.
    pub endpoint: String,
    pub functions: Vec<FunctionHealth>,
}

/// One function as the host runs it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FunctionHealth {
    pub name: &'static str,
    /// `http`, `sqs` or `s3`.
    pub trigger: &'static str,
    /// The queue it consumes, for queue and S3 triggers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue_url: Option<String>,
    pub endpoint: String,
}

/// Reports every function and the endpoint it uses.
#[utoipa::path(get, path = "/health", tag = "platform",
    responses((status = 200, description = "The host and its functions", body = Health)))]
async fn health(State(health): State<Arc<Health>>) -> Json<Health> {
    Json(health.as_ref().clone())
}

/// The OpenAPI 3.1 description of every route.
#[utoipa::path(get, path = "/openapi.json", tag = "platform",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
async fn openapi(State(doc): State<Arc<OpenApiDoc>>) -> Json<OpenApiDoc> {
    Json(doc.as_ref().clone())
}

/// Each HTTP function's router, with its OpenAPI paths, under the function's name.
fn http_functions(deps: &Deps) -> Vec<(&'static str, OpenApiRouter)> {
    FUNCTIONS
        .iter()
        .filter_map(|spec| match spec.start {
            Start::Routes(routes) => Some((spec.name, routes(deps))),
            _ => None,
        })
        .collect()
}

/// What the authorizer puts in front of every HTTP function's routes.
fn guarded(routes: Router, deps: &Deps) -> Router {
    FUNCTIONS
        .iter()
        .fold(routes, |routes, spec| match spec.start {
            Start::Guard(guard) => guard(routes, deps),
            _ => routes,
        })
}

/// The routers of every HTTP function, merged.
fn function_routers(deps: &Deps) -> OpenApiRouter {
    http_functions(deps)
        .into_iter()
        .fold(OpenApiRouter::new(), |all, (_, router)| all.merge(router))
}

/// One HTTP route as API Gateway routes it: which function, which method and path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    pub function: &'static str,
    /// Upper case, e.g. `POST`.
    pub method: String,
    /// With `{param}` placeholders, as both axum and API Gateway write them.
    pub path: String,
}

/// Every route of every HTTP function, read from their OpenAPI descriptions.
pub fn http_routes(deps: &Deps) -> Vec<Route> {
    let mut routes = Vec::new();
    for (function, router) in http_functions(deps) {
        let (_, doc) = router.split_for_parts();
        for (path, item) in doc.paths.paths {
            let methods = [
                ("GET", item.get.is_some()),
                ("PUT", item.put.is_some()),
                ("POST", item.post.is_some()),
                ("DELETE", item.delete.is_some()),
                ("PATCH", item.patch.is_some()),
            ];
            for (method, present) in methods {
                if present {
                    routes.push(Route {
                        function,
                        method: method.to_owned(),
                        path: path.clone(),
                    });
                }
            }
        }
    }
    routes.sort();
    routes
}

/// Schema names two functions give different shapes: merged into one document, one
/// shape would stand for the other's answers. `name: first function, second function`.
pub fn clashing_schemas(deps: &Deps) -> Vec<String> {
    let mut seen: std::collections::BTreeMap<String, (&'static str, serde_json::Value)> =
        std::collections::BTreeMap::new();
    let mut clashes = Vec::new();
    for (function, router) in http_functions(deps) {
        let (_, doc) = router.split_for_parts();
        let Some(components) = doc.components else {
            continue;
        };
        for (name, schema) in components.schemas {
            let shape = serde_json::to_value(&schema).unwrap_or_default();
            match seen.get(&name) {
                Some((first, earlier)) if *earlier != shape => {
                    clashes.push(format!("{name}: {first}, {function}"));
                }
                Some(_) => {}
                None => {
                    seen.insert(name, (function, shape));
                }
            }
        }
    }
    clashes
}

/// The document every route contributes to.
pub fn openapi_document(deps: &Deps) -> OpenApiDoc {
    let (_, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(platform_routes(
            Arc::new(placeholder_health()),
            Arc::new(OpenApiDoc::default()),
        ))
        .merge(function_routers(deps))
        .split_for_parts();
    let mut doc = doc;
    crate::edge_responses::declare(&mut doc);
    doc
}

fn placeholder_health() -> Health {
    Health {
        status: "ok",
        endpoint: String::new(),
        functions: Vec::new(),
    }
}

fn platform_routes(health_state: Arc<Health>, doc: Arc<OpenApiDoc>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(health))
        .with_state(health_state)
        .merge(
            OpenApiRouter::new()
                .routes(routes!(openapi))
                .with_state(doc),
        )
}

/// The whole HTTP surface of the host, with the web portal's files from `portal`.
pub fn app(deps: &Deps, endpoint: &str, portal: Option<std::path::PathBuf>) -> Router {
    let functions = FUNCTIONS
        .iter()
        .map(|spec| FunctionHealth {
            name: spec.name,
            trigger: spec.trigger.kind(),
            queue_url: spec
                .trigger
                .queue()
                .map(|q| deps.resources.queue_url(q).to_owned()),
            endpoint: endpoint.to_owned(),
        })
        .collect();
    let health_state = Arc::new(Health {
        status: "ok",
        endpoint: endpoint.to_owned(),
        functions,
    });
    let doc = Arc::new(openapi_document(deps));
    let (platform, _) = platform_routes(health_state, doc).split_for_parts();
    let functions = http_functions(deps)
        .into_iter()
        .fold(Router::new(), |all, (name, router)| {
            let (router, _) = router.split_for_parts();
            all.merge(router.layer(middleware::from_fn_with_state(name, log_invocation)))
        });
    let functions = guarded(functions, deps);
    platform
        .layer(middleware::from_fn_with_state("dev-host", log_invocation))
        .merge(crate::processor::routes(deps.processor.clone()))
        .merge(crate::local_aid::routes(
            deps.settings.secrets.key().clone(),
        ))
        .merge(functions)
        .fallback(crate::portal::fallback(portal, endpoint))
        .layer(middleware::from_fn(http_edge::edge))
}

/// One JSON line per HTTP invocation, as the dev host logs every invocation.
async fn log_invocation(
    State(function): State<&'static str>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| request.uri().path().to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let outcome = if status >= 500 { "error" } else { "ok" };
    tracing::info!(
        target: "invocation",
        function,
        trigger = "http",
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        outcome,
        method = %method,
        route,
        status,
        "invocation"
    );
    response
}
