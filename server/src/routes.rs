use axum::extract::{Request, State};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use casebook_app::{shell, App};
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use crate::render::{app_context, not_found};
use crate::{account, forms, health, search, security, sign_in, AppState};

/// The whole site: pages, form posts, server functions, health checks and static files.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let static_files = ServeDir::new(&*state.leptos_options.site_root).fallback(axum::routing::any(not_found).with_state(state.clone()));
    Router::new()
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
        .route("/case-studies/new", post(forms::create_case_study))
        .route("/case-studies/{slug}/edit", post(forms::update_case_study))
        .route("/sign-in/dev", post(forms::dev_sign_in))
        .route("/sign-out", post(forms::sign_out))
        .route("/sign-out/everywhere", post(forms::sign_out_everywhere))
        .route("/auth/{provider}", get(sign_in::start))
        .route("/auth/{provider}/link", post(sign_in::link))
        .route("/auth/{provider}/callback", get(sign_in::callback))
        .route("/account", post(account::update_profile))
        .route("/account/export.json", get(account::export))
        .route("/account/delete", post(account::delete))
        .route("/api/v1/search", get(search::api))
        .route("/api/{*function}", post(server_function))
        .leptos_routes_with_context(&state, routes, app_context(&state), move || shell(options.clone()))
        .fallback_service(static_files)
        .layer(middleware::from_fn_with_state(state.clone(), security::load_request_state))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn server_function(State(state): State<AppState>, request: Request) -> Response {
    handle_server_fns_with_context(app_context(&state), request).await.into_response()
}
