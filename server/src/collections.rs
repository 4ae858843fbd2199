//! The collection form posts: creating and editing collections, and every change to their items
//! (add, move, annotate, remove), each a plain form that works without JavaScript.
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use casebook_app::request::CollectionSubmission;
use casebook_domain::forms::{CollectionForm, ItemForm};
use casebook_domain::{collections, paths, DomainError};
use serde::Deserialize;

use crate::error::HttpError;
use crate::forms::{answer, render_again_with_status};
use crate::security::{safe_return_path, CsrfForm, SignedIn};
use crate::AppState;

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer): SignedIn,
    form: CsrfForm<CollectionForm>,
) -> Result<Response, HttpError> {
    let CsrfForm { parts, fields } = form;
    let outcome = collections::create(&state.db, viewer.user_id, &fields).await;
    saved(&state, parts, fields, None, outcome).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(viewer): SignedIn,
    form: CsrfForm<CollectionForm>,
) -> Result<Response, HttpError> {
    let CsrfForm { parts, fields } = form;
    let outcome = collections::update(&state.db, viewer.user_id, &slug, &fields).await;
    saved(&state, parts, fields, Some(slug), outcome).await
}

async fn saved(
    state: &AppState,
    parts: Parts,
    mut form: CollectionForm,
    slug: Option<String>,
    outcome: Result<String, DomainError>,
) -> Result<Response, HttpError> {
    match outcome {
        Ok(slug) => Ok(Redirect::to(&paths::collection(&slug)).into_response()),
        Err(DomainError::Invalid(errors)) => Ok(render_again_with_status(state, parts, CollectionSubmission(form, errors), 422).await),
        // Another curator saved first: the answers stay, over the version now saved, with the
        // message; saving again keeps them.
        Err(DomainError::Conflict(message)) => {
            if let Some(slug) = slug {
                form.version = collections::version_of(&state.db, &slug).await?.to_string();
            }
            let mut errors = casebook_domain::forms::FieldErrors::default();
            errors.add("title", message);
            Ok(render_again_with_status(state, parts, CollectionSubmission(form, errors), 409).await)
        }
        Err(other) => Err(other.into()),
    }
}

/// A change to one collection's items, from its own page.
pub async fn items(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(viewer): SignedIn,
    form: CsrfForm<ItemForm>,
) -> Result<Response, HttpError> {
    let CsrfForm { parts, fields } = form;
    let outcome = collections::change_items(&state.db, viewer.user_id, &slug, &fields).await;
    let onward = format!("{}#items-heading", paths::collection(&slug));
    answer(&state, parts, outcome.map(|()| onward)).await
}

#[derive(Deserialize)]
pub struct AddForm {
    collection: String,
    case_study: String,
    #[serde(default)]
    return_to: String,
}

/// Adding a case study to the collection chosen, from a case study's page or search results:
/// back there afterwards, with a refusal shown on that page.
pub async fn add(State(state): State<AppState>, SignedIn(viewer): SignedIn, form: CsrfForm<AddForm>) -> Result<Response, HttpError> {
    let CsrfForm { mut parts, fields } = form;
    let item = ItemForm { action: "add".into(), case_study: fields.case_study, ..ItemForm::default() };
    let outcome = collections::change_items(&state.db, viewer.user_id, fields.collection.trim(), &item).await;
    let back = safe_return_path(&fields.return_to).to_string();
    if outcome.is_err() {
        parts.uri = back.parse::<Uri>().unwrap_or_else(|_| Uri::from_static("/"));
    }
    answer(&state, parts, outcome.map(|()| back)).await
}
