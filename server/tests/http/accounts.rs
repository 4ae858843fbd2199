//! Signing in with a provider (up to the provider, which the browser journeys run for real),
//! and what people do with their own account: profile, export, sign out everywhere, delete.

use crate::support::{attribute_after, case_study_fields, TestApp};
use axum::http::{Method, StatusCode};
use casebook_domain::rate_limits::Action;
use sea_orm::{EntityTrait, PaginatorTrait};

/// GitHub at an address where nothing listens, so the code exchange cannot succeed.
const GITHUB: [&str; 6] = ["--github-client-id", "gh-client", "--github-client-secret", "gh-secret", "--github-url", "http://127.0.0.1:9"];

fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| pair.strip_prefix(&format!("{name}="))).map(str::to_string)
}

#[tokio::test]
async fn sign_in_starts_with_pkce_and_a_state_bound_to_the_browser() -> anyhow::Result<()> {
    let mut app = TestApp::start_with(&GITHUB).await?;
    let page = app.get("/sign-in?return_to=/patterns").await?;
    page.assert_contains_all(
        "sign-in page",
        &[r#"href="/auth/github?return_to=%2Fpatterns""#, "Sign in with GitHub", "What Casebook does with your details"],
    );

    let start = app.get("/auth/github?return_to=/patterns").await?;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    let to = start.location.expect("a redirect to GitHub");
    assert!(to.starts_with("http://127.0.0.1:9/login/oauth/authorize?"), "{to}");
    assert_eq!(query_value(&to, "code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(query_value(&to, "client_id").as_deref(), Some("gh-client"));
    assert!(query_value(&to, "redirect_uri").is_some_and(|r| r.ends_with("%2Fauth%2Fgithub%2Fcallback")));
    let state = query_value(&to, "state").expect("a state");
    assert!(app.cookie("casebook_sign_in").is_some(), "the state is bound to this browser");

    // Another browser presenting the state is refused, and the attempt is left for its owner.
    let mut other = app.new_browser();
    let stolen = other.get(&format!("/auth/github/callback?code=c&state={state}")).await?;
    assert_eq!(stolen.status, StatusCode::BAD_REQUEST);
    stolen.assert_contains_all("refusal", &["This sign-in link has expired", "Go back to the sign-in page"]);

    // The owner's callback reaches the exchange, which fails: no session, and the state is used up.
    let unreachable = app.get(&format!("/auth/github/callback?code=c&state={state}")).await?;
    assert_eq!(unreachable.status, StatusCode::BAD_GATEWAY, "{}", unreachable.body);
    unreachable.assert_contains_all("refusal", &["Sign-in is not working at the moment", "GitHub"]);
    assert!(app.cookie("casebook_session").is_none());
    assert!(app.cookie("casebook_sign_in").is_none(), "the attempt cookie is cleared");
    let again = app.get(&format!("/auth/github/callback?code=c&state={state}")).await?;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    Ok(())
}

#[tokio::test]
async fn broken_and_hostile_callbacks_are_refused_without_a_session() -> anyhow::Result<()> {
    let mut app = TestApp::start_with(&GITHUB).await?;
    for (path, status) in [
        ("/auth/github/callback", StatusCode::BAD_REQUEST),
        ("/auth/github/callback?code=abc", StatusCode::BAD_REQUEST),
        ("/auth/github/callback?state=%00%ff&code=%3Cscript%3E", StatusCode::BAD_REQUEST),
        ("/auth/github/callback?error=access_denied&state=nope", StatusCode::BAD_REQUEST),
        ("/auth/google/callback?code=abc&state=def", StatusCode::NOT_FOUND),
        ("/auth/google", StatusCode::NOT_FOUND),
        ("/auth/..%2f..%2fetc/callback?code=1&state=2", StatusCode::NOT_FOUND),
    ] {
        let reply = app.get(path).await?;
        assert_eq!(reply.status, status, "{path}");
        assert!(!reply.body.contains("<script>"), "{path} echoes nothing as markup");
        assert!(app.cookie("casebook_session").is_none(), "{path}");
    }
    // A return path off-site is kept to the home page from the start.
    let start = app.get("/auth/github?return_to=https://evil.example/").await?;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    Ok(())
}

#[tokio::test]
async fn people_edit_their_profile_and_see_every_problem_at_once() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    assert_eq!(app.get("/account").await?.status, StatusCode::UNAUTHORIZED);
    app.sign_in_as("Priya").await?;
    let account = app.get("/account").await?;
    assert_eq!(account.status, StatusCode::OK);
    account
        .assert_contains_all("account page", &["Your profile", "Download your data (JSON)", "Sign out everywhere", "Delete your account"]);
    let token = app.csrf_token().await?;

    let rejected =
        app.post("/account", &[("csrf_token", &token), ("display_name", ""), ("organisation", "nowhere"), ("bio", "kept")]).await?;
    assert_eq!(rejected.status, StatusCode::UNPROCESSABLE_ENTITY);
    rejected.assert_contains_all(
        "rejected profile",
        &["There is a problem", "Enter your name", "Select an organisation from the list", ">kept</textarea>"],
    );

    let saved = app
        .post("/account", &[("csrf_token", &token), ("display_name", "Priya Shah-Evans"), ("job_role", "Head of data"), ("bio", "")])
        .await?;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let profile_path = saved.location.expect("to the profile");
    let profile = app.get(&profile_path).await?;
    profile.assert_contains_all("profile", &["Priya Shah-Evans", "Head of data", "Your drafts", "Published case studies"]);
    let seen_by_others = app.new_browser().get(&profile_path).await?;
    assert!(!seen_by_others.body.contains("Your drafts"), "drafts are for their author only");
    assert_eq!(app.new_browser().get("/people/999999").await?.status, StatusCode::NOT_FOUND);
    assert_eq!(app.new_browser().get("/people/not-a-number").await?.status, StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test]
async fn people_download_everything_held_about_them() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    assert_eq!(app.get("/account/export.json").await?.status, StatusCode::UNAUTHORIZED);
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    app.post("/case-studies/new", &case_study_fields(&token, "Repairs tracker", "draft")).await?;
    let export = app.get("/account/export.json").await?;
    assert_eq!(export.status, StatusCode::OK);
    let data: serde_json::Value = serde_json::from_str(&export.body)?;
    assert!(data["account"]["display_name"].as_str().is_some_and(|n| n.starts_with("Priya")));
    let titles: Vec<&str> =
        data["case_studies"].as_array().into_iter().flatten().filter_map(|c| c["case_study"]["title"].as_str()).collect();
    assert!(titles.contains(&"Repairs tracker"), "drafts are in the export too: {titles:?}");
    Ok(())
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() -> anyhow::Result<()> {
    let mut laptop = TestApp::start().await?;
    let mut phone = laptop.new_browser();
    laptop.sign_in_as("Priya").await?;
    phone.sign_in_as("Priya").await?;
    let token = laptop.csrf_token().await?;
    assert_eq!(laptop.post("/sign-out/everywhere", &[("csrf_token", "forged")]).await?.status, StatusCode::FORBIDDEN);
    assert_eq!(laptop.post("/sign-out/everywhere", &[("csrf_token", &token)]).await?.status, StatusCode::SEE_OTHER);
    assert!(phone.get("/").await?.body.contains(">Sign in</a>"), "the other device is signed out too");
    Ok(())
}

#[tokio::test]
async fn deleting_an_account_needs_confirming_and_keeps_case_studies_by_default() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    let published = app.post("/case-studies/new", &case_study_fields(&token, "Housing repairs map", "published")).await?;
    let case_study = published.location.expect("published");

    let unconfirmed = app.post("/account/delete", &[("csrf_token", &token), ("case_studies", "keep")]).await?;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    unconfirmed.assert_contains_all("unconfirmed deletion", &["Confirm that you want to delete your account"]);
    assert_eq!(app.get("/account").await?.status, StatusCode::OK, "nothing was deleted");

    let deleted = app.post("/account/delete", &[("csrf_token", &token), ("case_studies", "keep"), ("confirm", "yes")]).await?;
    assert_eq!(deleted.location.as_deref(), Some("/account/deleted"));
    assert!(app.get("/account/deleted").await?.body.contains("Your account has been deleted"));
    assert_eq!(app.get("/account").await?.status, StatusCode::UNAUTHORIZED, "signed out");
    let kept = app.get(&case_study).await?;
    assert_eq!(kept.status, StatusCode::OK);
    kept.assert_contains_all("kept case study", &["Housing repairs map", "Former member"]);
    Ok(())
}

#[tokio::test]
async fn authors_link_to_their_profiles() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let page = app.get("/").await?;
    let profile = attribute_after(&page.body, r#"href="/people/"#, "href").expect("the header links to the profile");
    page.assert_contains_all("header", &["Your account"]);
    let token = app.csrf_token().await?;
    let published = app.post("/case-studies/new", &case_study_fields(&token, "Repairs tracker", "published")).await?;
    let case_study = app.get(&published.location.expect("published")).await?;
    case_study.assert_contains_all("authors", &[&format!(r#"<a href="{profile}">Priya Shah</a>"#)]);
    assert!(!case_study.body.contains("Verified public servant"), "demo personas have no provider to vouch for them");
    Ok(())
}

#[tokio::test]
async fn a_flood_of_sign_in_starts_is_refused_and_return_paths_are_capped() -> anyhow::Result<()> {
    let mut options = GITHUB.to_vec();
    options.extend(["--behind-proxy", "1", "--rate-limit-scale", "1"]);
    let mut app = TestApp::start_with(&options).await?;
    let from = |address: &'static str| [("x-forwarded-for", address)];
    let long = format!("/case-studies?tag={}", "x".repeat(2_000));
    let start = app.send_with(Method::GET, &format!("/auth/github?return_to={long}"), None, &from("203.0.113.7")).await?;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "a 2,000-character return path is no failure");
    let [per_minute, _] = Action::SignInStart.limits();
    for _ in 1..per_minute.requests {
        assert_eq!(app.send_with(Method::GET, "/auth/github", None, &from("203.0.113.7")).await?.status, StatusCode::SEE_OTHER);
    }
    let refused = app.send_with(Method::GET, "/auth/github", None, &from("203.0.113.7")).await?;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers.get("retry-after").is_some(), "says when to come back");
    refused.assert_contains_all("refusal", &["Too many attempts", "You have not been signed in"]);
    let attempts = casebook_domain::entities::sign_in_attempt::Entity::find().all(&app.db).await?;
    assert_eq!(attempts.len(), per_minute.requests as usize, "the refused start wrote nothing");
    assert!(attempts.iter().all(|a| a.return_to.len() <= 1000), "return paths are capped");
    // Another address signs in as ever: no counter strangers fill refuses everyone.
    assert_eq!(app.send_with(Method::GET, "/auth/github", None, &from("198.51.100.9")).await?.status, StatusCode::SEE_OTHER);
    Ok(())
}

/// Every `GET /auth/{anything}` counted in one site-wide bucket before the provider was looked
/// up, so twenty addresses shut sign-in for everybody.
#[tokio::test]
async fn starts_at_unknown_providers_from_many_addresses_shut_nobody_out() -> anyhow::Result<()> {
    let mut options = GITHUB.to_vec();
    options.extend(["--behind-proxy", "1", "--rate-limit-scale", "1"]);
    let mut app = TestApp::start_with(&options).await?;
    for n in 0..1_000 {
        let address = format!("2001:db8:{n:x}::1");
        let unknown = app.send_with(Method::GET, &format!("/auth/nowhere-{n}"), None, &[("x-forwarded-for", &address)]).await?;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(casebook_domain::entities::rate_limit::Entity::find().count(&app.db).await?, 0, "unknown providers count nothing");
    let start = app.send_with(Method::GET, "/auth/github", None, &[("x-forwarded-for", "203.0.113.7")]).await?;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    Ok(())
}

#[tokio::test]
async fn the_form_token_changes_at_sign_in_and_is_host_only_over_https() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    let before = app.csrf_token().await?;
    app.sign_in_as("Priya").await?;
    let after = app.csrf_token().await?;
    assert_ne!(before, after, "a token seen before sign-in is worth nothing after it");
    let stale = app.post("/sign-out", &[("csrf_token", &before)]).await?;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post("/sign-out", &[("csrf_token", &after)]).await?.status, StatusCode::SEE_OTHER);

    let mut secure = TestApp::start_with(&["--public-url", "https://casebook.example"]).await?;
    let page = secure.get("/sign-in").await?;
    let set = page.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find(|c| c.contains("csrf")).unwrap_or_default();
    assert!(set.starts_with("__Host-casebook_csrf=") && set.contains("Secure") && set.contains("Path=/"), "{set}");
    assert!(!set.contains("Domain="), "{set}");
    Ok(())
}
