//! OpenID Connect: discovery, the authorization request, and a verified ID token turned into a
//! profile. Each instance keeps a provider's discovery document and keys for a few minutes
//! (`Discovery`), so a burst of sign-ins does not fetch them for each one; an ID token signed
//! with a key the kept set lacks fetches them again at once, so a provider's key rotation never
//! strands anyone. Nothing kept is state another instance would miss.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use casebook_domain::identity::{Attempt, ProviderProfile};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, EmptyAdditionalClaims, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    TokenResponse,
};
use serde::Deserialize;

use super::error::{broken, unreachable, SignInError};
use super::providers::{EmailTrust, Provider};

type DiscoveredClient = CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// How long a discovery document and its keys are kept.
const DISCOVERY_LIFETIME: Duration = Duration::from_secs(300);

/// Providers' discovery documents and keys, as fetched at most `DISCOVERY_LIFETIME` ago.
#[derive(Default)]
pub struct Discovery {
    kept: Mutex<HashMap<String, (Instant, CoreProviderMetadata)>>,
}

impl Discovery {
    /// The issuer's metadata and keys: the kept copy while it is young and `fresh` is not asked
    /// for, otherwise fetched (and kept).
    pub async fn metadata(
        &self,
        http: &reqwest::Client,
        provider: &Provider,
        issuer: &str,
        fresh: bool,
    ) -> Result<CoreProviderMetadata, SignInError> {
        if !fresh {
            let kept = self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some((at, metadata)) = kept.get(issuer).filter(|(at, _)| at.elapsed() < DISCOVERY_LIFETIME) {
                tracing::debug!(issuer, age = ?at.elapsed(), "discovery from the kept copy");
                return Ok(metadata.clone());
            }
        }
        let url = IssuerUrl::new(issuer.to_string()).map_err(|e| broken(&provider.label, e))?;
        let metadata = CoreProviderMetadata::discover_async(url, http).await.map_err(|error| match &error {
            openidconnect::DiscoveryError::Request(_) => unreachable(&provider.label, &error),
            _ => broken(&provider.label, &error),
        })?;
        self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(issuer.to_string(), (Instant::now(), metadata.clone()));
        Ok(metadata)
    }
}

fn client(provider: &Provider, metadata: CoreProviderMetadata, redirect: &str) -> Result<DiscoveredClient, SignInError> {
    let redirect = RedirectUrl::new(redirect.to_string()).map_err(|e| broken(&provider.label, e))?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(provider.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

/// Where to send the browser, and the nonce the ID token must carry.
pub async fn authorize_url(
    (http, discovery): (&reqwest::Client, &Discovery),
    provider: &Provider,
    issuer: &str,
    redirect: &str,
    state: &str,
    challenge: PkceCodeChallenge,
) -> Result<(String, String), SignInError> {
    let client = client(provider, discovery.metadata(http, provider, issuer, false).await?, redirect)?;
    let state = state.to_string();
    let mut request = client.authorize_url(CoreAuthenticationFlow::AuthorizationCode, move || CsrfToken::new(state), Nonce::new_random);
    for scope in provider.scopes() {
        request = request.add_scope(Scope::new((*scope).to_string()));
    }
    let (url, _, nonce) = request.set_pkce_challenge(challenge).url();
    Ok((url.to_string(), nonce.secret().clone()))
}

/// Claims outside the standard set that decide whether Microsoft Entra ID vouches for an email.
#[derive(Clone, Debug, Default, Deserialize)]
struct EntraClaims {
    tid: Option<String>,
    /// Present for guests: the identity provider they really come from.
    idp: Option<String>,
    /// "Email domain owner verified".
    xms_edov: Option<serde_json::Value>,
}

impl EntraClaims {
    /// From a verified ID token's payload.
    fn from_token(token: &str) -> Self {
        token
            .split('.')
            .nth(1)
            .and_then(|payload| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).ok())
            .and_then(|json| serde_json::from_slice(&json).ok())
            .unwrap_or_default()
    }

    fn domain_owner_verified(&self) -> bool {
        matches!(&self.xms_edov, Some(serde_json::Value::Bool(true)))
            || matches!(&self.xms_edov, Some(serde_json::Value::String(s)) if s == "1" || s == "true")
    }
}

/// The addresses a provider vouches for, given what it said about one address.
fn vouched(trust: &EmailTrust, email: Option<&str>, email_verified: Option<bool>, entra: &EntraClaims) -> Vec<String> {
    let Some(email) = email.filter(|e| e.contains('@')) else {
        return Vec::new();
    };
    let trusted = match trust {
        EmailTrust::VerifiedClaim => email_verified == Some(true),
        EmailTrust::EntraTenant(tenant) => {
            let member = entra.tid.as_deref() == Some(tenant.as_str()) && entra.idp.is_none();
            member || entra.domain_owner_verified()
        }
    };
    if trusted {
        vec![email.to_string()]
    } else {
        Vec::new()
    }
}

/// What a provider says about a person, from an ID token or from user info.
#[derive(Debug, Default)]
struct Person {
    name: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    preferred_username: Option<String>,
    email: Option<String>,
    email_verified: Option<bool>,
}

/// ID tokens and user info answer the same accessors, on different types.
macro_rules! person_of {
    ($claims:expr) => {
        Person {
            name: $claims.name().and_then(|n| n.get(None)).map(|n| n.to_string()),
            given_name: $claims.given_name().and_then(|n| n.get(None)).map(|n| n.to_string()),
            family_name: $claims.family_name().and_then(|n| n.get(None)).map(|n| n.to_string()),
            preferred_username: $claims.preferred_username().map(|u| u.to_string()),
            email: $claims.email().map(|e| e.to_string()),
            email_verified: $claims.email_verified(),
        }
    };
}

impl Person {
    fn display_name(&self) -> Option<String> {
        let full = match (&self.given_name, &self.family_name) {
            (Some(g), Some(f)) => Some(format!("{g} {f}")),
            (g, f) => g.clone().or(f.clone()),
        };
        self.name.clone().or(full).or(self.preferred_username.clone())
    }
}

/// Exchanges the code (with the PKCE verifier), verifies the ID token (signature against the
/// provider's keys, issuer, audience, expiry, nonce) and reads the profile.
pub async fn profile(
    (http, discovery): (&reqwest::Client, &Discovery),
    provider: &Provider,
    issuer: &str,
    trust: &EmailTrust,
    redirect: &str,
    code: String,
    attempt: &Attempt,
) -> Result<ProviderProfile, SignInError> {
    let nonce = attempt.nonce.as_deref().ok_or_else(|| SignInError::InvalidIdToken("the attempt has no nonce".into()))?;
    let client = client(provider, discovery.metadata(http, provider, issuer, false).await?, redirect)?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| broken(&provider.label, e))?
        .set_pkce_verifier(PkceCodeVerifier::new(attempt.pkce_verifier.clone()))
        .request_async(http)
        .await
        .map_err(|error| match &error {
            RequestTokenError::ServerResponse(refusal) => {
                SignInError::CodeRefused { provider: provider.label.clone(), detail: refusal.to_string() }
            }
            RequestTokenError::Request(_) => unreachable(&provider.label, &error),
            _ => broken(&provider.label, &error),
        })?;
    let id_token = tokens.id_token().ok_or_else(|| SignInError::InvalidIdToken("the token response had no ID token".into()))?;
    let nonce = Nonce::new(nonce.to_string());
    let verified = match id_token.claims(&client.id_token_verifier(), &nonce) {
        Ok(claims) => Ok(claims.clone()),
        // Signed with a key the kept set lacks: the provider may have rotated its keys since.
        Err(ClaimsVerificationError::SignatureVerification(_)) => {
            let rotated = self::client(provider, discovery.metadata(http, provider, issuer, true).await?, redirect)?;
            let claims = id_token.claims(&rotated.id_token_verifier(), &nonce).cloned();
            claims
        }
        Err(other) => Err(other),
    };
    let claims = verified.map_err(|e| SignInError::InvalidIdToken(e.to_string()))?;
    let claims = &claims;
    let subject = claims.subject().to_string();
    let entra = EntraClaims::from_token(&id_token.to_string());
    let mut person = person_of!(claims);
    // Many providers put the email and name in user info only.
    if person.email.is_none() || person.display_name().is_none() {
        if let Ok(request) = client.user_info(tokens.access_token().clone(), Some(claims.subject().clone())) {
            let info: openidconnect::UserInfoClaims<EmptyAdditionalClaims, CoreGenderClaim> =
                request.request_async(http).await.map_err(|error| match &error {
                    openidconnect::UserInfoError::Request(_) => unreachable(&provider.label, &error),
                    _ => broken(&provider.label, &error),
                })?;
            person = person_of!(info);
        }
    }
    Ok(ProviderProfile {
        provider: provider.id.clone(),
        subject,
        display_name: person.display_name().unwrap_or_default(),
        vouched_emails: vouched(trust, person.email.as_deref(), person.email_verified, &entra),
        avatar_url: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real HTTP server with a discovery document, counting how often it is asked.
    async fn issuer() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let issuer = format!("http://{}", listener.local_addr().expect("an address"));
        let asked = std::sync::Arc::new(AtomicUsize::new(0));
        let document = serde_json::json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{issuer}/auth"),
            "token_endpoint": format!("{issuer}/token"),
            "jwks_uri": format!("{issuer}/jwks"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        });
        let counter = asked.clone();
        let app = axum::Router::new()
            .route(
                "/.well-known/openid-configuration",
                axum::routing::get(move || {
                    counter.fetch_add(1, Ordering::SeqCst);
                    let document = document.clone();
                    async move { axum::Json(document) }
                }),
            )
            .route("/jwks", axum::routing::get(|| async { axum::Json(serde_json::json!({ "keys": [] })) }));
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        (issuer, asked)
    }

    #[tokio::test]
    async fn discovery_is_kept_for_a_while_and_fetched_again_when_asked_fresh() {
        let (issuer, asked) = issuer().await;
        let provider = Provider {
            id: "test".into(),
            label: "Test".into(),
            client_id: "c".into(),
            client_secret: "s".into(),
            protocol: super::super::providers::Protocol::OpenIdConnect { issuer: issuer.clone(), emails: EmailTrust::VerifiedClaim },
        };
        let (http, discovery) = (reqwest::Client::new(), Discovery::default());
        for _ in 0..3 {
            discovery.metadata(&http, &provider, &issuer, false).await.expect("discovery");
        }
        assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 1, "three sign-ins, one discovery");
        discovery.metadata(&http, &provider, &issuer, true).await.expect("discovery again");
        assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 2, "an unknown signing key fetches the keys again");
    }

    const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    #[test]
    fn only_verified_emails_are_vouched_for() {
        let none = EntraClaims::default();
        assert_eq!(vouched(&EmailTrust::VerifiedClaim, Some("a@leeds.gov.uk"), Some(true), &none), ["a@leeds.gov.uk"]);
        assert!(vouched(&EmailTrust::VerifiedClaim, Some("a@leeds.gov.uk"), Some(false), &none).is_empty());
        assert!(vouched(&EmailTrust::VerifiedClaim, Some("a@leeds.gov.uk"), None, &none).is_empty());
        assert!(vouched(&EmailTrust::VerifiedClaim, Some("not-an-address"), Some(true), &none).is_empty());
    }

    #[test]
    fn entra_vouches_for_its_own_members_not_guests() {
        let trust = EmailTrust::EntraTenant(TENANT.into());
        let member = EntraClaims { tid: Some(TENANT.into()), ..Default::default() };
        let guest = EntraClaims { tid: Some(TENANT.into()), idp: Some("https://sts.windows.net/other/".into()), ..Default::default() };
        let elsewhere = EntraClaims { tid: Some("another-tenant".into()), ..Default::default() };
        let verified_guest = EntraClaims { xms_edov: Some(serde_json::Value::Bool(true)), ..guest.clone() };
        assert_eq!(vouched(&trust, Some("a@dft.gov.uk"), None, &member), ["a@dft.gov.uk"]);
        assert!(vouched(&trust, Some("a@dft.gov.uk"), None, &guest).is_empty());
        assert!(vouched(&trust, Some("a@dft.gov.uk"), None, &elsewhere).is_empty());
        assert_eq!(vouched(&trust, Some("a@dft.gov.uk"), None, &verified_guest), ["a@dft.gov.uk"]);
    }

    #[test]
    fn extra_claims_are_read_from_the_token_payload() {
        // A recorded Entra ID token's payload (signature part elided: it is verified before this).
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
            r#"{{"aud":"casebook","iss":"https://login.microsoftonline.com/{TENANT}/v2.0","tid":"{TENANT}","xms_edov":true}}"#
        ));
        let claims = EntraClaims::from_token(&format!("eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln"));
        assert_eq!(claims.tid.as_deref(), Some(TENANT));
        assert!(claims.domain_owner_verified());
        assert!(EntraClaims::from_token("garbage").tid.is_none());
    }
}
