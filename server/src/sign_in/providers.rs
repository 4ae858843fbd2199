//! The sign-in providers this instance offers, built once from the configuration.
use casebook_domain::views::SignInOption;

use crate::config::{ConfigError, ProviderConfig};

/// How a provider is spoken to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// OAuth 2.0, with the profile and verified emails read from GitHub's API.
    GitHub { web_url: String, api_url: String },
    /// OpenID Connect, from the issuer's discovery document.
    OpenIdConnect { issuer: String, emails: EmailTrust },
}

/// Which emails in an ID token or user info the provider vouches for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmailTrust {
    /// Those marked `email_verified`.
    VerifiedClaim,
    /// Microsoft Entra ID: accounts that are members of this tenant (not guests from elsewhere),
    /// whose addresses the tenant manages, or any marked as domain-owner verified.
    EntraTenant(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// As in `/auth/<id>`; also what identities are recorded under.
    pub id: String,
    pub label: String,
    pub client_id: String,
    pub client_secret: String,
    pub protocol: Protocol,
}

impl Provider {
    pub fn scopes(&self) -> &'static [&'static str] {
        match self.protocol {
            Protocol::GitHub { .. } => &["read:user", "user:email"],
            Protocol::OpenIdConnect { .. } => &["openid", "email", "profile"],
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Providers(Vec<Provider>);

fn both(id: &Option<String>, secret: &Option<String>) -> Option<(String, String)> {
    match (id.as_deref().map(str::trim), secret.as_deref().map(str::trim)) {
        (Some(id), Some(secret)) if !id.is_empty() && !secret.is_empty() => Some((id.to_string(), secret.to_string())),
        _ => None,
    }
}

fn trimmed(url: &str) -> String {
    url.trim().trim_end_matches('/').to_string()
}

impl Providers {
    pub fn from_config(config: &ProviderConfig) -> Result<Self, ConfigError> {
        let mut providers = Vec::new();
        let mut add = |id: &str, label: &str, (client_id, client_secret): (String, String), protocol| {
            providers.push(Provider { id: id.into(), label: label.into(), client_id, client_secret, protocol })
        };
        if let Some(client) = both(&config.github_client_id, &config.github_client_secret) {
            let web_url = trimmed(&config.github_url);
            // github.com keeps its API on a host of its own; GitHub Enterprise Server under /api/v3.
            let api_url = if web_url == "https://github.com" { "https://api.github.com".to_string() } else { format!("{web_url}/api/v3") };
            add("github", "GitHub", client, Protocol::GitHub { web_url, api_url });
        }
        if let Some(client) = both(&config.gitlab_client_id, &config.gitlab_client_secret) {
            let protocol = Protocol::OpenIdConnect { issuer: trimmed(&config.gitlab_url), emails: EmailTrust::VerifiedClaim };
            add("gitlab", "GitLab", client, protocol);
        }
        if let Some(client) = both(&config.google_client_id, &config.google_client_secret) {
            let protocol = Protocol::OpenIdConnect { issuer: "https://accounts.google.com".into(), emails: EmailTrust::VerifiedClaim };
            add("google", "Google", client, protocol);
        }
        if let Some(client) = both(&config.entra_client_id, &config.entra_client_secret) {
            let tenant = config.entra_tenant_id.as_deref().map(str::trim).filter(|t| !t.is_empty()).ok_or_else(|| {
                ConfigError::Missing("CASEBOOK_ENTRA_TENANT_ID (Microsoft Entra ID signs in one tenant's accounts)".into())
            })?;
            if ["common", "organizations", "consumers"].contains(&tenant) {
                return Err(ConfigError::Invalid(format!(
                    "CASEBOOK_ENTRA_TENANT_ID must be a tenant id, not {tenant:?}: ID tokens are checked against one tenant's issuer"
                )));
            }
            let issuer = format!("https://login.microsoftonline.com/{tenant}/v2.0");
            add("entra", "Microsoft", client, Protocol::OpenIdConnect { issuer, emails: EmailTrust::EntraTenant(tenant.to_string()) });
        }
        for generic in config.generic_oidc()? {
            let protocol = Protocol::OpenIdConnect { issuer: trimmed(&generic.issuer), emails: EmailTrust::VerifiedClaim };
            add(&generic.name, &generic.label, (generic.client_id, generic.client_secret), protocol);
        }
        Ok(Providers(providers))
    }

    pub fn get(&self, id: &str) -> Option<&Provider> {
        self.0.iter().find(|p| p.id == id)
    }

    /// The buttons on the sign-in page.
    pub fn options(&self) -> Vec<SignInOption> {
        self.0.iter().map(|p| SignInOption { id: p.id.clone(), label: p.label.clone() }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_provider_is_offered_only_with_both_id_and_secret() {
        let config = ProviderConfig {
            github_client_id: Some("id".into()),
            github_client_secret: Some("secret".into()),
            github_url: "https://github.com/".into(),
            google_client_id: Some("id".into()),
            google_client_secret: Some("  ".into()),
            ..Default::default()
        };
        let providers = Providers::from_config(&config).expect("valid");
        assert_eq!(providers.options().iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), ["github"]);
        assert_eq!(
            providers.get("github").map(|p| &p.protocol),
            Some(&Protocol::GitHub { web_url: "https://github.com".into(), api_url: "https://api.github.com".into() })
        );
    }

    #[test]
    fn entra_needs_one_tenant() {
        let entra = |tenant: Option<&str>| ProviderConfig {
            entra_client_id: Some("id".into()),
            entra_client_secret: Some("secret".into()),
            entra_tenant_id: tenant.map(String::from),
            ..Default::default()
        };
        assert!(Providers::from_config(&entra(None)).is_err());
        assert!(Providers::from_config(&entra(Some("common"))).is_err());
        let providers = Providers::from_config(&entra(Some("72f988bf-86f1-41af-91ab-2d7cd011db47"))).expect("valid");
        assert!(matches!(
            &providers.get("entra").expect("entra").protocol,
            Protocol::OpenIdConnect { issuer, .. } if issuer == "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
        ));
    }
}
