//! The answers every route can give before or beside its own logic, declared once in
//! the API document so that it states every status a client can meet: the edge's
//! refusals of a body (`400 invalid_body`, `413 payload_too_large`, `415
//! unsupported_media_type`, `422 invalid_fields`), of parameters (`400
//! invalid_parameters`), of a missing session (`401 unauthenticated`), and a
//! dependency out of reach (`503 unavailable` with `Retry-After`). A route's own
//! description of a status is kept.

use utoipa::openapi::path::Operation;
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder, Type,
};

/// Declares the edge's answers on every operation of `doc`.
pub(crate) fn declare(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            declare_on(operation);
        }
    }
}

fn declare_on(operation: &mut Operation) {
    let has_body = operation.request_body.is_some();
    let has_parameters = operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let needs_session = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut add = |status: &str, description: &str| {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(problem(description)));
    };
    if has_body {
        add(
            "400",
            "`invalid_body`: not JSON, or not of the expected shape",
        );
        add(
            "413",
            "`payload_too_large`: the body is over the route's limit",
        );
        add(
            "415",
            "`unsupported_media_type`: the body is not `application/json`",
        );
        add(
            "422",
            "`invalid_fields`: each field that broke a rule, with its code",
        );
    }
    if has_parameters {
        add(
            "400",
            "`invalid_parameters`: a path or query parameter missing, repeated or malformed",
        );
    }
    if needs_session {
        add("401", "`unauthenticated`: no live session");
    }
    let unavailable = operation
        .responses
        .responses
        .entry("503".to_owned())
        .or_insert_with(|| RefOr::T(problem("`unavailable`: a service it depends on is out of reach; try again after `Retry-After` seconds")));
    if let RefOr::T(response) = unavailable {
        response
            .headers
            .entry("Retry-After".to_owned())
            .or_insert_with(|| {
                HeaderBuilder::new()
                    .schema(
                        utoipa::openapi::schema::ObjectBuilder::new().schema_type(Type::Integer),
                    )
                    .description(Some("Seconds to wait"))
                    .build()
            });
    }
}

fn problem(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ProblemBody")))
                .build(),
        )
        .build()
}
