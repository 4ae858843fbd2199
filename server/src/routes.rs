use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use casebook_app::api::ApiError;
use casebook_app::{shell, App};
use casebook_domain::{paths, ErrorKind};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use crate::render::{app_context, not_found};
use crate::{
    account, api, browser_policy, collections, datasets, downloads, feeds, forms, health, import, networks, notifications, page_cache,
    page_markup, query_count, rate_limits, security, sign_in, AppState,
};

/// Where Leptos serves the server functions (each `#[server]` names this prefix), apart from the
/// public API under `/api/v1/`.
const SERVER_FUNCTIONS: &str = "/fn/";

/// The whole site: pages, form posts, server functions, health checks and static files.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let static_files = ServeDir::new(&*state.leptos_options.site_root).fallback(axum::routing::any(not_found).with_state(state.clone()));
    Router::new()
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
        .route("/case-studies/new", post(forms::create_case_study))
        .route("/case-studies/{slug}", post(networks::case_study))
        .route("/case-studies/{slug}/edit", post(forms::update_case_study))
        .route("/networks/new", post(networks::create))
        .route("/networks/{slug}", post(networks::membership))
        .route("/networks/{slug}/edit", post(networks::update))
        .route("/networks/{slug}/members", post(networks::members))
        .route("/networks/{slug}/review", post(networks::review))
        .route("/collections/new", post(collections::create))
        .route("/collections/add", post(collections::add))
        .route("/collections/{slug}", post(collections::items))
        .route("/collections/{slug}/edit", post(collections::update))
        .route("/sign-in/dev", post(forms::dev_sign_in))
        .route("/sign-out", post(forms::sign_out))
        .route("/sign-out/everywhere", post(forms::sign_out_everywhere))
        .route("/auth/{provider}", get(sign_in::start))
        .route("/auth/{provider}/link", post(sign_in::link))
        .route("/auth/{provider}/callback", get(sign_in::callback))
        .route(paths::DATASET_HEALTH, post(datasets::check_again))
        .route(paths::FOLLOWING, post(notifications::following))
        .route(paths::NOTIFICATIONS, post(notifications::mark_read))
        .route("/unsubscribe/{token}", post(notifications::unsubscribe))
        .route("/account", post(account::update_profile))
        .route("/account/export.json", get(account::export))
        .route("/account/delete", post(account::delete))
        .route("/data/{file}", get(downloads::download))
        // The handler holds the upload to its own limit.
        .route(paths::IMPORT, post(import::upload).layer(axum::extract::DefaultBodyLimit::disable()))
        .route(paths::IMPORT_CONFIRM, post(import::confirm))
        .route(paths::CATALOGUE_TURTLE, get(downloads::catalogue))
        .route(paths::CATALOGUE_JSON_LD, get(downloads::catalogue))
        .route(paths::LATEST_FEED, get(feeds::latest))
        .route("/feeds/{kind}/{file}", get(feeds::of))
        .merge(api::router())
        .leptos_routes_with_context(&state, routes, app_context(&state), move || shell(options.clone()))
        .fallback_service(static_files)
        .layer(middleware::from_fn(limit_server_function_body))
        .layer(middleware::from_fn(page_markup::tidy))
        .layer(middleware::from_fn_with_state(state.clone(), networks::follow_renames))
        .layer(middleware::from_fn_with_state(state.clone(), query_count::header))
        .layer(middleware::from_fn_with_state(state.clone(), rate_limits::refuse_floods))
        .layer(middleware::from_fn_with_state(state.clone(), security::load_request_state))
        .layer(middleware::from_fn_with_state(state.clone(), browser_policy::refuse_cross_site))
        .layer(middleware::from_fn_with_state(state.clone(), browser_policy::headers))
        .layer(middleware::from_fn_with_state(state.clone(), page_cache::serve))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The story preview takes a whole story; every other server function takes a few short values.
fn server_function_limit(path: &str) -> usize {
    if path.ends_with("/preview_markdown") {
        security::CASE_STUDY_FORM_BYTES
    } else {
        security::SMALL_FORM_BYTES
    }
}

/// Holds a server function's body to its limit before Leptos reads it (Leptos routes each
/// server function itself, and would answer an oversized body with a 500).
async fn limit_server_function_body(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with(SERVER_FUNCTIONS) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    match security::read_body(&parts, body, server_function_limit(parts.uri.path())).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(_) => {
            let error = ApiError { kind: ErrorKind::TooLarge, message: ErrorKind::TooLarge.explain().message.to_string() };
            (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(error)).into_response()
        }
    }
}
