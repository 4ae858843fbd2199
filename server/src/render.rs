use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use casebook_app::shell;
use leptos::prelude::provide_context;

use crate::AppState;

/// The context every render of the app gets.
pub fn app_context(state: &AppState) -> impl Fn() + Clone + Send + 'static {
    let context = state.server_context();
    move || provide_context(context.for_request())
}

/// Renders the app for `request`'s path: used for pages reached outside the route table
/// (not found) and for forms shown again after a rejected post.
pub async fn render_app(state: &AppState, request: Request) -> Response {
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(app_context(state), move || shell(options.clone()));
    handler(request).await.into_response()
}

pub async fn not_found(State(state): State<AppState>, request: Request) -> Response {
    render_app(&state, request).await
}
