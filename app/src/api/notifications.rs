use casebook_domain::views::{FollowButtonView, FollowingView, MailView, NotificationsView, UnsubscribeView};
use casebook_domain::vocabulary::FollowTarget;
use leptos::prelude::*;

use super::ApiError;
#[cfg(feature = "ssr")]
use {
    super::server_context,
    crate::request::{request_state, submitted},
    casebook_domain::{notifications, DomainError},
};

#[server(prefix = "/fn", endpoint = "notifications_page")]
pub async fn notifications_page() -> Result<NotificationsView, ApiError> {
    let viewer = request_state().viewer.ok_or(DomainError::Unauthenticated)?;
    Ok(notifications::page(&server_context()?.db, viewer.user_id).await?)
}

#[server(prefix = "/fn", endpoint = "following_page")]
pub async fn following_page() -> Result<FollowingView, ApiError> {
    let viewer = request_state().viewer.ok_or(DomainError::Unauthenticated)?;
    Ok(notifications::following(&server_context()?.db, viewer.user_id).await?)
}

/// The viewer's follow button for a thing; `None` for someone not signed in (the page offers
/// to sign in instead, and stays the same for every anonymous reader).
#[server(prefix = "/fn", endpoint = "follow_button")]
pub async fn follow_button(target: FollowTarget, key: String) -> Result<Option<FollowButtonView>, ApiError> {
    let Some(viewer) = request_state().viewer else { return Ok(None) };
    Ok(Some(notifications::button(&server_context()?.db, viewer.user_id, target, &key).await?))
}

/// The page a mail's unsubscribe link opens, or what a choice made on it did.
#[server(prefix = "/fn", endpoint = "unsubscribe_page")]
pub async fn unsubscribe_page(token: String) -> Result<UnsubscribeView, ApiError> {
    if let Some(done) = submitted::<UnsubscribeView>() {
        return Ok(done);
    }
    Ok(notifications::unsubscribe_page(&server_context()?.db, &token).await?)
}

/// What would have been mailed, while the development sign-in is on.
#[server(prefix = "/fn", endpoint = "dev_mail")]
pub async fn dev_mail() -> Result<Vec<MailView>, ApiError> {
    let context = server_context()?;
    if !context.dev_login {
        return Err(DomainError::NotFound.into());
    }
    let settings = notifications::MailSettings::new(&context.public_url, "");
    Ok(notifications::recent(&context.db, &settings, 50).await?)
}
