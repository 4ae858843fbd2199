//! GitHub: OAuth 2.0 (it has no OpenID Connect for people), then the profile and the verified
//! email addresses from its API.
use casebook_domain::identity::ProviderProfile;
use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError,
    Scope, TokenResponse, TokenUrl,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::error::{broken, unreachable, SignInError};
use super::providers::Provider;

#[derive(Debug, Deserialize)]
struct User {
    id: u64,
    login: String,
    name: Option<String>,
    avatar_url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Email {
    email: String,
    verified: bool,
    primary: bool,
}

type GitHubClient =
    BasicClient<oauth2::EndpointSet, oauth2::EndpointNotSet, oauth2::EndpointNotSet, oauth2::EndpointNotSet, oauth2::EndpointSet>;

fn client(provider: &Provider, web_url: &str, redirect: &str) -> Result<GitHubClient, SignInError> {
    Ok(BasicClient::new(ClientId::new(provider.client_id.clone()))
        .set_client_secret(ClientSecret::new(provider.client_secret.clone()))
        .set_auth_uri(AuthUrl::new(format!("{web_url}/login/oauth/authorize")).map_err(|e| broken(&provider.label, e))?)
        .set_token_uri(TokenUrl::new(format!("{web_url}/login/oauth/access_token")).map_err(|e| broken(&provider.label, e))?)
        .set_redirect_uri(RedirectUrl::new(redirect.to_string()).map_err(|e| broken(&provider.label, e))?))
}

pub fn authorize_url(
    provider: &Provider,
    web_url: &str,
    redirect: &str,
    state: &str,
    challenge: PkceCodeChallenge,
) -> Result<String, SignInError> {
    let state = state.to_string();
    let client = client(provider, web_url, redirect)?;
    let mut request = client.authorize_url(move || CsrfToken::new(state));
    for scope in provider.scopes() {
        request = request.add_scope(Scope::new((*scope).to_string()));
    }
    Ok(request.set_pkce_challenge(challenge).url().0.to_string())
}

async fn get<T: DeserializeOwned>(http: &reqwest::Client, provider: &Provider, url: String, token: &str) -> Result<T, SignInError> {
    let response = http
        .get(url)
        .bearer_auth(token)
        .header(reqwest::header::ACCEPT, "application/vnd.github+json")
        .header(reqwest::header::USER_AGENT, "Casebook")
        .send()
        .await
        .map_err(|e| unreachable(&provider.label, &e))?;
    if !response.status().is_success() {
        return Err(broken(&provider.label, format!("the API answered {}", response.status())));
    }
    response.json().await.map_err(|e| broken(&provider.label, e))
}

pub async fn profile(
    http: &reqwest::Client,
    provider: &Provider,
    (web_url, api_url): (&str, &str),
    redirect: &str,
    code: String,
    verifier: String,
) -> Result<ProviderProfile, SignInError> {
    let tokens = client(provider, web_url, redirect)?
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier))
        .request_async(http)
        .await
        .map_err(|error| match &error {
            RequestTokenError::ServerResponse(refusal) => {
                SignInError::CodeRefused { provider: provider.label.clone(), detail: refusal.to_string() }
            }
            // GitHub refuses a code with 200 OK and an error body, which reads as a parse failure.
            RequestTokenError::Parse(_, body) => match refusal_in(body) {
                Some(detail) => SignInError::CodeRefused { provider: provider.label.clone(), detail },
                None => broken(&provider.label, &error),
            },
            RequestTokenError::Request(_) => unreachable(&provider.label, &error),
            _ => broken(&provider.label, &error),
        })?;
    let token = tokens.access_token().secret();
    let user: User = get(http, provider, format!("{api_url}/user"), token).await?;
    let emails: Vec<Email> = get(http, provider, format!("{api_url}/user/emails"), token).await?;
    Ok(to_profile(&provider.id, user, emails))
}

fn refusal_in(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<oauth2::basic::BasicErrorResponse>(body).ok().map(|refusal| refusal.to_string())
}

/// GitHub's numeric id is the subject (logins can change); only verified addresses count,
/// the primary one first.
fn to_profile(provider: &str, user: User, mut emails: Vec<Email>) -> ProviderProfile {
    emails.sort_by_key(|e| !e.primary);
    ProviderProfile {
        provider: provider.to_string(),
        subject: user.id.to_string(),
        display_name: user.name.filter(|n| !n.trim().is_empty()).unwrap_or(user.login),
        vouched_emails: emails.into_iter().filter(|e| e.verified).map(|e| e.email).collect(),
        avatar_url: user.avatar_url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Recorded from GitHub's API documentation for GET /user and GET /user/emails.
    const USER: &str = r#"{"login":"octocat","id":583231,"node_id":"MDQ6VXNlcjU4MzIzMQ==","avatar_url":"https://avatars.githubusercontent.com/u/583231?v=4","type":"User","site_admin":false,"name":"The Octocat","company":"@github","blog":"https://github.blog","location":"San Francisco","email":null,"hireable":null,"bio":null,"public_repos":8,"followers":9000,"following":9,"created_at":"2011-01-25T18:44:36Z"}"#;
    const EMAILS: &str = r#"[{"email":"octocat@github.com","verified":true,"primary":false,"visibility":"public"},{"email":"octo.cat@camden.gov.uk","verified":true,"primary":true,"visibility":null},{"email":"unconfirmed@nhs.uk","verified":false,"primary":false,"visibility":null}]"#;

    #[test]
    fn the_profile_keeps_verified_emails_only_primary_first() {
        let user: User = serde_json::from_str(USER).expect("user");
        let emails: Vec<Email> = serde_json::from_str(EMAILS).expect("emails");
        let profile = to_profile("github", user, emails);
        assert_eq!(profile.subject, "583231");
        assert_eq!(profile.display_name, "The Octocat");
        assert_eq!(profile.vouched_emails, ["octo.cat@camden.gov.uk", "octocat@github.com"]);
    }

    #[test]
    fn a_refused_code_is_told_from_a_broken_answer() {
        // Recorded from GitHub's token endpoint for a code used twice (it answers 200 OK).
        let refused = br#"{"error":"bad_verification_code","error_description":"The code passed is incorrect or expired.","error_uri":"https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code"}"#;
        assert!(refusal_in(refused).is_some_and(|detail| detail.contains("bad_verification_code")));
        assert_eq!(refusal_in(b"<html>Service unavailable</html>"), None);
    }

    #[test]
    fn a_person_without_a_name_is_known_by_their_login() {
        let user: User = serde_json::from_str(&USER.replace(r#""name":"The Octocat""#, r#""name":null"#)).expect("user");
        assert_eq!(to_profile("github", user, Vec::new()).display_name, "octocat");
    }
}
