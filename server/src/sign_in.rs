//! Signing in with OAuth 2.0 and OpenID Connect providers: the authorization code flow with
//! PKCE, a single-use `state` bound to the browser by a signed cookie, and a `nonce` and a
//! verified ID token for OpenID Connect. The same flow links a second provider to an account.
mod error;
mod github;
pub(crate) mod oidc;
pub mod providers;

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use axum_extra::extract::cookie::{Cookie, SameSite, SignedCookieJar};
use casebook_app::request::RequestState;
use casebook_domain::identity::{self, Attempt, ProviderProfile, ATTEMPT_LIFETIME};
use casebook_domain::rate_limits::{self, Action, Asker};
use oauth2::PkceCodeChallenge;
use serde::Deserialize;

pub use error::SignInError;
use providers::{Protocol, Provider};

use crate::error::HttpError;
use crate::security::{constant_time_eq, safe_return_path, signed_in_cookies, ClientAddress, CsrfForm, NoFields, SignedIn, SESSION_COOKIE};
use crate::AppState;

const ATTEMPT_COOKIE: &str = "casebook_sign_in";
/// The attempt cookie goes only to the sign-in routes.
const ATTEMPT_PATH: &str = "/auth";

fn redirect_uri(state: &AppState, provider: &Provider) -> String {
    format!("{}/auth/{}/callback", state.public_url, provider.id)
}

fn provider<'a>(state: &'a AppState, id: &str) -> Result<&'a Provider, SignInError> {
    state.providers.get(id).ok_or_else(|| SignInError::UnknownProvider(id.to_string()))
}

#[derive(Deserialize)]
pub struct StartQuery {
    #[serde(default)]
    return_to: String,
}

/// `GET /auth/{provider}`: off to the provider, to come back to `return_to`.
pub async fn start(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ClientAddress(client): ClientAddress,
    jar: SignedCookieJar,
    RawQuery(query): RawQuery,
) -> Response {
    // An unknown provider costs nothing and counts against nothing; a known one is counted
    // before any other work (each start writes a row and may fetch from the provider), by
    // address only, so that no counter strangers can fill refuses everyone.
    if let Err(error) = provider(&state, &id) {
        return error.into_response();
    }
    let asker = Asker { user_id: None, address: Some(&client) };
    if let Err(error) = rate_limits::check(&state.db, Action::SignInStart, &asker, state.rate_limit_scale).await {
        tracing::warn!(client, %error, "sign-in start refused");
        return SignInError::Domain(error).into_response();
    }
    let return_to = serde_html_form::from_str::<StartQuery>(query.as_deref().unwrap_or_default()).map(|q| q.return_to).unwrap_or_default();
    begin(&state, jar, &id, safe_return_path(&return_to), None).await
}

/// `POST /auth/{provider}/link`: a signed-in person adds another way to sign in.
pub async fn link(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedIn(viewer): SignedIn,
    jar: SignedCookieJar,
    _: CsrfForm<NoFields>,
) -> Result<Response, HttpError> {
    Ok(begin(&state, jar, &id, "/account", Some(viewer.user_id)).await)
}

/// Sends the browser to the provider, with the attempt recorded and a cookie binding it to this browser.
async fn begin(state: &AppState, jar: SignedCookieJar, id: &str, return_to: &str, link_user_id: Option<i32>) -> Response {
    match attempt_and_url(state, id, return_to, link_user_id).await {
        Ok((cookie, url)) => (jar.add(cookie), Redirect::to(&url)).into_response(),
        Err(error) => error.into_response(),
    }
}

async fn attempt_and_url(
    state: &AppState,
    id: &str,
    return_to: &str,
    link_user_id: Option<i32>,
) -> Result<(Cookie<'static>, String), SignInError> {
    let provider = provider(state, id)?;
    let token = identity::random_token();
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let redirect = redirect_uri(state, provider);
    let (url, nonce) = match &provider.protocol {
        Protocol::GitHub { web_url, .. } => (github::authorize_url(provider, web_url, &redirect, &token, challenge)?, None),
        Protocol::OpenIdConnect { issuer, .. } => {
            let (url, nonce) = oidc::authorize_url((&state.http, &state.discovery), provider, issuer, &redirect, &token, challenge).await?;
            (url, Some(nonce))
        }
    };
    identity::begin_attempt(
        &state.db,
        &Attempt {
            state: token.clone(),
            provider: provider.id.clone(),
            pkce_verifier: verifier.secret().clone(),
            nonce,
            return_to: return_to.to_string(),
            link_user_id,
        },
    )
    .await?;
    let cookie = Cookie::build((ATTEMPT_COOKIE, token))
        .path(ATTEMPT_PATH)
        .http_only(true)
        .secure(state.secure_cookies)
        // Lax: the provider sends the browser back with a top-level GET from its own site.
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(ATTEMPT_LIFETIME.num_seconds()))
        .build();
    Ok((cookie, url))
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// `GET /auth/{provider}/callback`: the provider sends the browser back here.
pub async fn callback(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Extension(request_state): Extension<RequestState>,
    jar: SignedCookieJar,
    RawQuery(query): RawQuery,
) -> Response {
    let query = serde_html_form::from_str::<CallbackQuery>(query.as_deref().unwrap_or_default()).unwrap_or_default();
    let bound_state = jar.get(ATTEMPT_COOKIE).map(|c| c.value().to_string());
    let jar = jar.remove(Cookie::build(ATTEMPT_COOKIE).path(ATTEMPT_PATH).build());
    match finish(&state, &id, query, bound_state, &request_state, &jar).await {
        Ok(Finished::SignedIn { session, return_to }) => {
            (signed_in_cookies(jar, session, &state), Redirect::to(&return_to)).into_response()
        }
        Ok(Finished::Linked) => (jar, Redirect::to("/account")).into_response(),
        Err(error) => (jar, error).into_response(),
    }
}

enum Finished {
    SignedIn { session: String, return_to: String },
    Linked,
}

async fn finish(
    state: &AppState,
    id: &str,
    query: CallbackQuery,
    bound_state: Option<String>,
    request_state: &RequestState,
    jar: &SignedCookieJar,
) -> Result<Finished, SignInError> {
    let provider = provider(state, id)?;
    let returned_state = query.state.filter(|s| !s.is_empty()).ok_or(SignInError::Incomplete("state"))?;
    let bound = bound_state.is_some_and(|b| constant_time_eq(b.as_bytes(), returned_state.as_bytes()));
    if !bound {
        return Err(SignInError::OtherBrowser);
    }
    // The attempt is used up whatever happens next, so nothing can be replayed.
    let attempt = identity::take_attempt(&state.db, &returned_state, &provider.id).await?;
    if let Some(error) = query.error {
        let description = query.error_description.unwrap_or_default();
        return Err(SignInError::ProviderRefused { provider: provider.label.clone(), error, description });
    }
    let code = query.code.filter(|c| !c.is_empty()).ok_or(SignInError::Incomplete("code"))?;
    let profile = provider_profile(state, provider, code, &attempt).await?;
    let rules = &state.account_rules;
    if let Some(linker) = attempt.link_user_id {
        if request_state.viewer.as_ref().map(|v| v.user_id) != Some(linker) {
            return Err(SignInError::NotLinker);
        }
        identity::link(&state.db, linker, &profile, rules).await?;
        tracing::info!(provider = %provider.id, user = linker, "linked a sign-in");
        return Ok(Finished::Linked);
    }
    let signed_in = identity::sign_in(&state.db, &profile, rules).await?;
    let previous = jar.get(SESSION_COOKIE).map(|c| c.value().to_string());
    let session = identity::start_session(&state.db, previous.as_deref(), signed_in.user_id, state.session_policy).await?;
    tracing::info!(provider = %provider.id, user = signed_in.user_id, new_account = signed_in.new_account, "signed in");
    Ok(Finished::SignedIn { session, return_to: safe_return_path(&attempt.return_to).to_string() })
}

async fn provider_profile(state: &AppState, provider: &Provider, code: String, attempt: &Attempt) -> Result<ProviderProfile, SignInError> {
    let redirect = redirect_uri(state, provider);
    match &provider.protocol {
        Protocol::GitHub { web_url, api_url } => {
            github::profile(&state.http, provider, (web_url, api_url), &redirect, code, attempt.pkce_verifier.clone()).await
        }
        Protocol::OpenIdConnect { issuer, emails } => {
            oidc::profile((&state.http, &state.discovery), provider, issuer, emails, &redirect, code, attempt).await
        }
    }
}
