use casebook_domain::views::Persona;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::server_context;
use super::ApiError;

/// The demo personas to sign in as, or none when the development sign-in is off.
#[server(endpoint = "dev_personas")]
pub async fn dev_personas() -> Result<Vec<Persona>, ApiError> {
    let context = server_context()?;
    if !context.dev_login {
        return Ok(Vec::new());
    }
    Ok(casebook_domain::identity::personas(&context.db).await?)
}
