//! What a security review tried from outside: each hole it found, reproduced, now closed.

use axum::http::{Method, StatusCode};
use rand::{Rng, SeedableRng};

use crate::support::{case_study_fields, TestApp};

const NAPTAN: &str = "https://www.data.gov.uk/dataset/ff93ffc1-6656-47d8-9155-85ea0b8f2251/national-public-transport-access-nodes-naptan";

/// Every page route, with real slugs from the demo content.
const PAGE_ROUTES: [&str; 14] = [
    "/",
    "/case-studies",
    "/case-studies/find-your-bin-day-northshire-s-collection-day-finder-built-on-uprns",
    "/patterns",
    "/patterns/engage-with-services",
    "/tags/uprn",
    "/datasets",
    "/datasets/1",
    "/organisations",
    "/organisations/northshire-county-council",
    "/search",
    "/sign-in",
    "/people/1",
    "/api/v1/search",
];

#[tokio::test]
async fn page_numbers_past_any_page_are_refused_with_a_message_not_a_dropped_connection() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    for page in ["18446744073709551615", "9223372036854775808", "1001", "0", "-1", "abc", "1e9"] {
        let list = app.get(&format!("/case-studies?page={page}")).await?;
        assert_eq!(list.status, StatusCode::UNPROCESSABLE_ENTITY, "page={page}");
        assert!(list.body.contains("Page must be a whole number from 1 to 1000"), "page={page}");
        let search = app.get(&format!("/search?q=bins&page={page}")).await?;
        assert_eq!(search.status, StatusCode::UNPROCESSABLE_ENTITY, "search page={page}");
    }
    assert_eq!(app.get("/case-studies?page=2").await?.status, StatusCode::OK);
    Ok(())
}

/// Arbitrary query strings at every page route: whatever arrives, the answer is never a server
/// error (a property test with a fixed seed, so a failure can be replayed).
#[tokio::test]
async fn no_query_string_makes_any_page_fail() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed_ca5e);
    let keys = ["page", "q", "sort", "tag", "phase", "pattern", "service_area", "organisation", "region", "publisher", "return_to", "x"];
    let values = [
        "18446744073709551615",
        "-9223372036854775809",
        "0",
        "%00",
        "%FF%FE",
        "\u{1F600}",
        "' OR 1=1 --",
        "<script>",
        "",
        "%",
        "a%2",
        "1.5",
    ];
    for route in PAGE_ROUTES {
        for _ in 0..40 {
            let pairs: Vec<String> = (0..rng.random_range(1..5))
                .map(|_| {
                    let key = keys[rng.random_range(0..keys.len())];
                    let value = if rng.random_bool(0.3) {
                        (0..rng.random_range(0..300)).map(|_| char::from(rng.random_range(0x21u8..0x7f))).collect::<String>()
                    } else {
                        values[rng.random_range(0..values.len())].to_string()
                    };
                    let value: String = value.chars().map(|c| if c == '#' || c == ' ' { '+' } else { c }).collect();
                    format!("{key}={}", urlencode_loosely(&value))
                })
                .collect();
            let path = format!("{route}?{}", pairs.join("&"));
            let Ok(reply) = app.get(&path).await else { continue };
            assert!(!reply.status.is_server_error(), "{path} answered {}", reply.status);
        }
    }
    Ok(())
}

/// Leaves `%` sequences (valid or not) as they are, so that the server sees broken encodings too.
fn urlencode_loosely(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '&' && c != '#' { c.to_string() } else { format!("%{:02X}", u32::from(c) & 0xff) })
        .collect()
}

#[tokio::test]
async fn a_flood_of_tags_or_datasets_is_refused_at_once() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    let tags = (0..100_000).map(|i| format!("t{i}")).collect::<Vec<_>>().join(",");
    let mut fields = case_study_fields(&token, "Tag flood", "draft");
    fields.retain(|(k, _)| *k != "tags");
    fields.push(("tags", &tags));
    let started = std::time::Instant::now();
    let refused = app.post("/case-studies/new", &fields).await?;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Enter 12 tags or fewer"));
    // Not a timing test: the old quadratic check took 17.8 s; this only shows it is gone.
    assert!(started.elapsed().as_secs() < 15, "took {:?}", started.elapsed());

    let mut fields = case_study_fields(&token, "Dataset flood", "draft");
    let urls: Vec<String> = (0..20_000).map(|i| format!("https://data.example/{}", i % 3)).collect();
    fields.extend(urls.iter().map(|url| ("dataset_url", url.as_str())));
    let refused = app.post("/case-studies/new", &fields).await?;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Link 20 datasets or fewer"));
    Ok(())
}

#[tokio::test]
async fn nobody_renames_a_dataset_another_author_links() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Tomasz").await?;
    let token = app.csrf_token().await?;
    let mut fields = case_study_fields(&token, "Bus stops again", "draft");
    fields.retain(|(k, _)| !k.starts_with("dataset_"));
    fields.extend([
        ("dataset_title", "Renamed by someone else"),
        ("dataset_url", NAPTAN),
        ("dataset_publisher", "Nobody"),
        ("dataset_licence", "All rights reserved"),
        ("dataset_format", "PDF"),
        ("dataset_usage", "My own note on how we use it"),
    ]);
    let saved = app.post("/case-studies/new", &fields).await?;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let datasets = app.new_browser().get("/datasets").await?;
    assert!(datasets.body.contains("National Public Transport Access Nodes (NaPTAN)"));
    assert!(!datasets.body.contains("Renamed by someone else") && !datasets.body.contains("Nobody"));
    let mine = app.get(saved.location.as_deref().unwrap_or_default()).await?;
    assert!(mine.body.contains("My own note on how we use it"), "the usage note stays the author's own");
    Ok(())
}

#[tokio::test]
async fn datasets_and_tags_only_drafts_use_stay_hidden() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    let mut fields = case_study_fields(&token, "Secret plans", "draft");
    fields.retain(|(k, _)| *k != "tags" && *k != "dataset_title" && *k != "dataset_url");
    fields.extend([
        ("tags", "Unannounced merger plans"),
        ("dataset_title", "Unreleased staffing list"),
        ("dataset_url", "https://data.example/secret.csv"),
    ]);
    fields.push(("dataset_title", ""));
    fields.push(("dataset_url", ""));
    assert_eq!(app.post("/case-studies/new", &fields).await?.status, StatusCode::SEE_OTHER);

    let mut reader = app.new_browser();
    let datasets = reader.get("/datasets").await?;
    assert!(!datasets.body.contains("Unreleased staffing list"));
    let listed = reader.post("/fn/datasets", &[]).await?;
    assert!(!listed.body.contains("Unreleased staffing list"), "nor through the server function");
    assert_eq!(reader.get("/tags/unannounced-merger-plans").await?.status, StatusCode::NOT_FOUND);
    // Nor in a feed, nor named in a search filter's chip.
    assert_eq!(reader.get("/feeds/tags/unannounced-merger-plans.atom").await?.status, StatusCode::NOT_FOUND);
    let search = reader.get("/search?tag=unannounced-merger-plans").await?;
    assert!(!search.body.contains("unannounced merger plans"), "the tag's name in the search page");
    Ok(())
}

#[tokio::test]
async fn oversized_bodies_get_413_with_a_clear_message() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    let huge = "x".repeat(2 * 1024 * 1024);
    let function = app.post("/fn/preview_markdown", &[("markdown", &huge)]).await?;
    assert_eq!(function.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(function.body.contains("TooLarge") && function.body.contains("over the size"), "{}", function.body);
    let form = app.post("/case-studies/new", &[("csrf_token", &token), ("body", &huge)]).await?;
    assert_eq!(form.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(form.body.contains("That is too much to send at once"));
    let profile = app.post("/account", &[("csrf_token", &token), ("bio", &"y".repeat(100 * 1024))]).await?;
    assert_eq!(profile.status, StatusCode::PAYLOAD_TOO_LARGE, "the profile form has a smaller limit");
    let small = app.post("/fn/patterns", &[("x", &"z".repeat(100 * 1024))]).await?;
    assert_eq!(small.status, StatusCode::PAYLOAD_TOO_LARGE, "so do server functions that take short values");
    Ok(())
}

#[tokio::test]
async fn every_response_carries_the_security_headers() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    for path in ["/", "/case-studies/new", "/no-such-page", "/api/v1/search?q=bus", "/healthz"] {
        let reply = app.get(path).await?;
        let header = |name: &str| reply.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let csp = header("content-security-policy");
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("img-src 'self'"), "no third-party images: {csp}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin", "{path}");
        assert!(header("permissions-policy").contains("camera=()"), "{path}");
        assert!(header("strict-transport-security").is_empty(), "no HSTS over plain http");
    }
    let mut secure = TestApp::start_with(&["--public-url", "https://casebook.example"]).await?;
    let reply = secure.get("/").await?;
    assert!(reply.headers.get("strict-transport-security").is_some_and(|v| v.to_str().unwrap_or_default().contains("max-age=63072000")));
    Ok(())
}

#[tokio::test]
async fn a_post_from_another_site_is_refused_even_with_the_session_cookie() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    for headers in [vec![("origin", "https://evil.example")], vec![("sec-fetch-site", "cross-site")]] {
        let reply = app.send_with(Method::POST, "/fn/account", Some(&[]), &headers).await?;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(reply.body.contains("This request came from another site"));
        let token = app.csrf_token().await?;
        let form = app.send_with(Method::POST, "/sign-out", Some(&[("csrf_token", &token)]), &headers).await?;
        assert_eq!(form.status, StatusCode::FORBIDDEN, "form posts too: {headers:?}");
    }
    let same = app.send_with(Method::POST, "/fn/patterns", Some(&[]), &[("sec-fetch-site", "same-origin")]).await?;
    assert_eq!(same.status, StatusCode::OK, "the site's own pages still work");
    assert!(app.get("/account").await?.body.contains("Priya Shah"), "still signed in: nothing changed");
    Ok(())
}

/// Signed-out posts to the case study form were each kept for a week before any check, up to
/// 1 MiB, with no cap: thirty posts grew the database by tens of megabytes.
#[tokio::test]
async fn a_browser_that_never_had_a_session_gets_its_answers_back_but_nothing_kept() -> anyhow::Result<()> {
    use casebook_domain::entities::pending_submission;
    use sea_orm::{EntityTrait, PaginatorTrait};
    let mut app = TestApp::start_with(&["--rate-limit-scale", "1"]).await?;
    let token = app.csrf_token().await?;
    let story = "A long story. ".repeat(20_000);
    for path in ["/case-studies/new", "/case-studies/anything/edit", "/case-studies/nothing-here/edit"] {
        let mut fields = case_study_fields(&token, "Never signed in", "draft");
        fields.retain(|(k, _)| *k != "body");
        fields.push(("body", &story));
        let answer = app.post(path, &fields).await?;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{path}");
        answer.assert_contains_all("the answers shown back", &["Never signed in", "could not be kept"]);
    }
    assert_eq!(pending_submission::Entity::find().count(&app.db).await?, 0, "nothing kept without a session");

    // A browser whose session ended keeps its answers, up to a few forms a minute per address.
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    casebook_domain::entities::session::Entity::delete_many().exec(&app.db).await?;
    let [per_minute, _] = casebook_domain::rate_limits::Action::KeepForm.limits();
    for _ in 0..per_minute.requests + 3 {
        let answer = app.post("/case-studies/new", &case_study_fields(&token, "Session ended", "draft")).await?;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(pending_submission::Entity::find().count(&app.db).await?, per_minute.requests as u64);
    // A forged token keeps nothing.
    app.post("/case-studies/new", &case_study_fields(&"0".repeat(64), "Forged", "draft")).await?;
    assert_eq!(pending_submission::Entity::find().count(&app.db).await?, per_minute.requests as u64);
    Ok(())
}

/// Only sign-in starts and dataset look-ups had a limit: a signed-in stranger could save,
/// report, join and leave, and search as fast as a loop runs.
#[tokio::test]
async fn writes_past_their_limit_are_refused_with_retry_after_and_a_save_keeps_its_answers() -> anyhow::Result<()> {
    use casebook_domain::rate_limits::Action;
    let mut app = TestApp::start_with(&["--rate-limit-scale", "1"]).await?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    let [saves, _] = Action::SaveCaseStudy.limits();
    for n in 0..saves.requests {
        let title = format!("Draft number {n}");
        let saved = app.post("/case-studies/new", &case_study_fields(&token, &title, "draft")).await?;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "save {n}");
    }
    let refused = app.post("/case-studies/new", &case_study_fields(&token, "One save too many", "draft")).await?;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers.get("retry-after").is_some());
    refused.assert_contains_all("the form with its answers", &["One save too many", "You have saved many times in a short while"]);

    // The profile form too comes back with its answers.
    let [profiles, _] = Action::ProfileSave.limits();
    for n in 0..profiles.requests {
        let bio = format!("Bio number {n}");
        let saved = app.post("/account", &[("csrf_token", token.as_str()), ("display_name", "Priya Shah"), ("bio", &bio)]).await?;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "profile save {n}");
    }
    let refused =
        app.post("/account", &[("csrf_token", token.as_str()), ("display_name", "Priya Shah"), ("bio", "One save too many")]).await?;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    refused.assert_contains_all("the profile form with its answers", &["One save too many", "You have saved many times"]);

    // Reports reach organisers: a handful a minute.
    let slug = "find-your-bin-day-northshire-s-collection-day-finder-built-on-uprns";
    let [reports, _] = Action::Report.limits();
    let mut last = StatusCode::OK;
    for _ in 0..=reports.requests {
        let report = [("csrf_token", token.as_str()), ("action", "report"), ("network", "localgov-digital"), ("reason", "Spam")];
        last = app.post(&format!("/case-studies/{slug}"), &report).await?.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);

    // Anonymous searches and API calls are counted by address.
    let mut visitor = app.new_browser();
    let [searches, _] = Action::Search.limits();
    for _ in 0..searches.requests {
        assert_eq!(visitor.get("/api/v1/search?q=bins").await?.status, StatusCode::OK);
    }
    let api = visitor.get("/api/v1/search?q=bins").await?;
    assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(api.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/problem+json"));
    assert!(api.headers.get("retry-after").is_some());
    assert_eq!(visitor.get("/search?q=bins").await?.status, StatusCode::TOO_MANY_REQUESTS);
    // A signed-in person's reading is not what is limited.
    assert_eq!(app.get("/search?q=bins").await?.status, StatusCode::OK);
    Ok(())
}
