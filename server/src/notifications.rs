//! The following and notifications forms, and a mail's unsubscribe link: RFC 8058's one-click
//! post (exactly `List-Unsubscribe=One-Click`, no cookie, no redirect) stops the mail's list at
//! once; the page's own choices show what they did.
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use casebook_domain::forms::{FollowForm, MarkReadForm, UnsubscribeForm};
use casebook_domain::notifications::{self, Choice};
use casebook_domain::{paths, DomainError};

use crate::error::HttpError;
use crate::forms::{answer, render_again};
use crate::security::{read_body, CsrfForm, SignedIn, SMALL_FORM_BYTES};
use crate::AppState;

/// Follow, change, unfollow (from any page's follow button, or the following page), or switch
/// email on or off.
pub async fn following(
    State(state): State<AppState>,
    SignedIn(viewer): SignedIn,
    form: CsrfForm<FollowForm>,
) -> Result<Response, HttpError> {
    let CsrfForm { parts, fields } = form;
    let outcome = if fields.action == "email" {
        notifications::set_email(&state.db, viewer.user_id, &fields.email).await.map(|()| paths::FOLLOWING.to_string())
    } else {
        notifications::save(&state.db, viewer.user_id, &fields).await
    };
    answer(&state, parts, outcome).await
}

pub async fn mark_read(
    State(state): State<AppState>,
    SignedIn(viewer): SignedIn,
    form: CsrfForm<MarkReadForm>,
) -> Result<Response, HttpError> {
    notifications::mark_read(&state.db, viewer.user_id, &form.fields).await?;
    Ok(Redirect::to(paths::NOTIFICATIONS).into_response())
}

/// The exact body RFC 8058 has a mail program post.
const ONE_CLICK: &[u8] = b"List-Unsubscribe=One-Click";

pub async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>, request: Request) -> Result<Response, HttpError> {
    let (parts, body) = request.into_parts();
    let bytes = read_body(&parts, body, SMALL_FORM_BYTES).await?;
    if bytes.as_ref() == ONE_CLICK {
        notifications::unsubscribe(&state.db, &token, Choice::Stop).await?;
        return Ok((StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "Unsubscribed.\n").into_response());
    }
    let form: UnsubscribeForm = serde_html_form::from_bytes(&bytes).map_err(|e| HttpError::BadForm(e.to_string()))?;
    let choice = match form.choice.as_str() {
        "stop" => Choice::Stop,
        "weekly" => Choice::Weekly,
        "all" => Choice::AllEmail,
        // A one-click post with any other body, or none, is refused rather than guessed at.
        _ => return Err(DomainError::Conflict("Choose what to stop on the unsubscribe page".into()).into()),
    };
    let done = notifications::unsubscribe(&state.db, &token, choice).await?;
    Ok(render_again(&state, parts, done).await)
}
