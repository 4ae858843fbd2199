//! A person's own account: their profile, their data as JSON, and deleting it all.
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::SignedCookieJar;
use casebook_app::request::AccountSubmission;
use casebook_domain::forms::{FieldErrors, ProfileForm};
use casebook_domain::identity::profiles;
use casebook_domain::DomainError;
use serde::Deserialize;

use crate::error::HttpError;
use crate::forms::{render_again, EXPIRED_FORM};
use crate::rate_limits::SaveRefused;
use crate::security::{removal_cookie, CsrfForm, PostedForm, SignedIn};
use crate::AppState;

/// `POST /account`: saves the profile, or shows the form again with what to fix. A form whose
/// token had expired comes back with the answers too: nothing typed is lost.
pub async fn update_profile(
    State(state): State<AppState>,
    SignedIn(viewer): SignedIn,
    PostedForm { parts, fields, token_matches }: PostedForm<ProfileForm>,
) -> Result<Response, HttpError> {
    if let Some(refused) = parts.extensions.get::<SaveRefused>().copied() {
        let mut errors = FieldErrors::default();
        errors.add("display_name", refused.message());
        let mut response = render_again(&state, parts, AccountSubmission::Profile(fields, errors)).await;
        refused.mark(&mut response);
        return Ok(response);
    }
    if !token_matches {
        tracing::warn!(user = viewer.user_id, "profile form token mismatch");
        let mut errors = FieldErrors::default();
        errors.add("display_name", EXPIRED_FORM);
        let mut response = render_again(&state, parts, AccountSubmission::Profile(fields, errors)).await;
        *response.status_mut() = StatusCode::FORBIDDEN;
        return Ok(response);
    }
    match profiles::update_profile(&state.db, viewer.user_id, &fields).await {
        Ok(()) => Ok(Redirect::to(&casebook_domain::paths::person(viewer.user_id)).into_response()),
        Err(DomainError::Invalid(errors)) => Ok(render_again(&state, parts, AccountSubmission::Profile(fields, errors)).await),
        Err(other) => Err(other.into()),
    }
}

/// `GET /account/export.json`: everything Casebook holds about the person, to download.
pub async fn export(State(state): State<AppState>, SignedIn(viewer): SignedIn) -> Result<Response, HttpError> {
    let data = profiles::export(&state.db, viewer.user_id).await?;
    let body = serde_json::to_string_pretty(&data).map_err(|e| HttpError::Internal(e.to_string()))?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"casebook-account-{}.json\"", viewer.user_id)),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct DeleteAccount {
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    case_studies: String,
}

/// `POST /account/delete`: deletes the account once the person has confirmed it.
pub async fn delete(
    State(state): State<AppState>,
    SignedIn(viewer): SignedIn,
    jar: SignedCookieJar,
    CsrfForm { parts, fields }: CsrfForm<DeleteAccount>,
) -> Result<Response, HttpError> {
    let mut errors = FieldErrors::default();
    if fields.confirm != "yes" {
        errors.add("confirm", "Confirm that you want to delete your account");
    }
    let with_case_studies = match fields.case_studies.as_str() {
        "delete" => true,
        "keep" => false,
        _ => {
            errors.add("case_studies", "Choose what happens to your case studies");
            false
        }
    };
    if !errors.is_empty() {
        let mut parts = parts;
        parts.uri = Uri::from_static("/account");
        return Ok(render_again(&state, parts, AccountSubmission::Delete(errors)).await);
    }
    let deleted = profiles::delete_account(&state.db, viewer.user_id, with_case_studies).await?;
    tracing::info!(user = viewer.user_id, case_studies_deleted = deleted.case_studies, "account deleted");
    Ok((jar.remove(removal_cookie()), Redirect::to("/account/deleted")).into_response())
}
