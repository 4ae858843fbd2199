//! The public read API under `/api/v1/`: JSON only, its OpenAPI 3.1 document generated from
//! these handlers, conditional requests, CORS for reading, and errors as problem+json.
mod case_studies;
mod catalogue;
mod datasets;
mod extract;
mod networks;
mod problem;
mod search;

use crate::conditional::{digest, matches_tag};
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use casebook_domain::ErrorKind;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use problem::Problem;

use crate::AppState;

pub const PREFIX: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Casebook API",
        version = "1.0.0",
        description = "Read Casebook's published case studies of services built with open data, and the patterns, tags, organisations, datasets, networks and collections they link to. Everything here is open data: each case study carries its licence. Lists of case studies and datasets are paged with an opaque `cursor`; every answer has an ETag, so `If-None-Match` gets 304 Not Modified while nothing has changed. Errors are `application/problem+json` (RFC 9457).",
        license(name = "Each case study's own licence", url = "/data"),
    ),
    tags(
        (name = "case studies", description = "Published case studies"),
        (name = "catalogue", description = "Patterns, tags and organisations"),
        (name = "datasets", description = "The datasets case studies use, and their health"),
        (name = "networks", description = "Networks and the collections their organisers curate"),
        (name = "search", description = "Typo-tolerant, faceted search")
    )
)]
struct ApiDoc;

/// The API's routes, and the OpenAPI document describing exactly those.
pub fn router() -> Router<AppState> {
    let (routes, document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(case_studies::list))
        .routes(routes!(case_studies::one))
        .routes(routes!(catalogue::patterns))
        .routes(routes!(catalogue::tags))
        .routes(routes!(catalogue::organisations))
        .routes(routes!(datasets::list))
        .routes(routes!(datasets::one))
        .routes(routes!(networks::list))
        .routes(routes!(networks::one))
        .routes(routes!(networks::collections))
        .routes(routes!(networks::collection))
        .routes(routes!(search::search))
        .split_for_parts();
    let document = with_rate_limits(document).to_json().unwrap_or_default();
    routes
        .route(&format!("{PREFIX}/openapi.json"), get(move || async move { ([(header::CONTENT_TYPE, "application/json")], document) }))
        .route(&format!("{PREFIX}/{{*rest}}"), axum::routing::any(unknown))
        .layer(axum::middleware::from_fn(conditional))
}

/// Every operation may answer 429 (`crate::rate_limits`): said once here rather than on each.
fn with_rate_limits(mut document: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::content::ContentBuilder;
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::response::ResponseBuilder;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{Ref, RefOr};
    let too_many = ResponseBuilder::new()
        .description("Too many requests from this address in a short time")
        .header(
            "Retry-After",
            HeaderBuilder::new().schema(ObjectBuilder::new().schema_type(Type::Integer)).description(Some("Seconds to wait")).build(),
        )
        .content(problem::CONTENT_TYPE, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
        .build();
    for operation in document.paths.paths.values_mut().filter_map(|item| item.get.as_mut()) {
        operation.responses.responses.insert("429".into(), RefOr::T(too_many.clone()));
    }
    document
}

async fn unknown() -> Problem {
    Problem::new(ErrorKind::NotFound, "There is no such address in the API: the OpenAPI document at /api/v1/openapi.json lists them all")
}

/// How long shared caches may keep an answer; the ETag makes checking again cheap.
const CACHE_CONTROL: &str = "public, max-age=60";

/// CORS for reading from any site, and conditional GETs: every successful answer carries an
/// ETag of its bytes, and a request already holding it gets 304 with no body.
async fn conditional(request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS && request.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD) {
        let mut response = StatusCode::NO_CONTENT.into_response();
        let headers = response.headers_mut();
        cors(headers);
        headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD"));
        headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("If-None-Match"));
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
        return response;
    }
    let reading = matches!(*request.method(), Method::GET | Method::HEAD);
    let held = request.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_string);
    let response = next.run(request).await;
    let (mut parts, body) = response.into_parts();
    cors(&mut parts.headers);
    if !reading || parts.status != StatusCode::OK {
        parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return Response::from_parts(parts, body);
    }
    // Answers are built whole in memory already; reading them back costs no more.
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return Problem::new(ErrorKind::Internal, ErrorKind::Internal.explain().message).into_response();
    };
    let tag = format!("W/\"{}\"", digest(&bytes));
    parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    if let Ok(value) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, value);
    }
    if held.is_some_and(|held| matches_tag(&held, &tag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn cors(headers: &mut HeaderMap) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("ETag"));
}
