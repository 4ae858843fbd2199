use casebook_domain::views::{AccountView, ProfileView, SignInView};
use leptos::prelude::*;

use super::ApiError;
#[cfg(feature = "ssr")]
use {
    super::server_context,
    crate::request::{request_state, submitted, AccountSubmission},
    casebook_domain::identity::{personas, profiles},
    casebook_domain::DomainError,
};

/// The providers to sign in with and, when the development sign-in is on, the demo personas.
#[server(prefix = "/fn", endpoint = "sign_in_page")]
pub async fn sign_in_page() -> Result<SignInView, ApiError> {
    let context = server_context()?;
    let personas = if context.dev_login { personas(&context.db).await? } else { Vec::new() };
    Ok(SignInView { options: context.sign_in_options.clone(), personas })
}

#[server(prefix = "/fn", endpoint = "profile")]
pub async fn profile(user_id: i32) -> Result<ProfileView, ApiError> {
    let viewer = request_state().viewer.map(|v| v.user_id);
    Ok(profiles::profile(&server_context()?.db, user_id, viewer).await?)
}

/// The signed-in person's account page, with a rejected form put back where there is one.
#[server(prefix = "/fn", endpoint = "account")]
pub async fn account() -> Result<AccountView, ApiError> {
    let viewer = request_state().viewer.ok_or(DomainError::Unauthenticated)?;
    let context = server_context()?;
    let db = &context.db;
    let view = match submitted::<AccountSubmission>() {
        Some(AccountSubmission::Profile(form, errors)) => profiles::account(db, viewer.user_id, Some((form, errors))).await?,
        Some(AccountSubmission::Delete(errors)) => {
            AccountView { delete_errors: errors, ..profiles::account(db, viewer.user_id, None).await? }
        }
        None => profiles::account(db, viewer.user_id, None).await?,
    };
    Ok(AccountView { providers: context.sign_in_options.clone(), ..view })
}
