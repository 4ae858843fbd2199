//! Every page renders on the server, whole, with the right status.

use crate::support::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn reading_pages_render_with_their_content() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    let home = app.get("/").await?;
    assert_eq!(home.status, StatusCode::OK);
    home.assert_contains_all(
        "home page",
        &[
            "Learn how public services use open data",
            "Featured case studies",
            "Patterns at a glance",
            "Browse 28 case studies",
            "<title>Casebook</title>",
        ],
    );
    assert!(app.cookie("casebook_csrf").is_none(), "a page without a form sets no cookie: it is the same for every reader");

    let list = app.get("/case-studies").await?;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("28 case studies"));
    assert!(list.body.contains(r#"aria-label="Page 3""#), "28 case studies make three pages");
    let second = app.get("/case-studies?page=2").await?;
    assert!(second.body.contains(r#"aria-current="page">2<"#));

    let live = app.get("/case-studies?phase=live").await?;
    assert!(live.body.contains("case studies") && !live.body.contains("28 case studies"), "the phase filter narrows the list");
    let none = app.get("/case-studies?pattern=nothing-like-this").await?;
    assert!(none.body.contains("No case studies match these filters"));

    let marker = r#"class="card-title"><a href=""#;
    let start = home.body.find(marker).map(|i| i + marker.len()).unwrap_or_default();
    let slug = home.body[start..].split('"').next().unwrap_or_default().to_string();
    let study = app.get(&slug).await?;
    assert_eq!(study.status, StatusCode::OK, "{slug}");
    study.assert_contains_all(
        "case study page",
        &["Facts", "Revision history", "Datasets the service uses", "Demo content", "Creative Commons Attribution 4.0"],
    );

    for path in
        ["/patterns", "/patterns/develop-policy", "/datasets", "/organisations", "/organisations/northshire-county-council", "/sign-in"]
    {
        let page = app.get(path).await?;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains("<h1"), "{path} has a heading");
    }
    let tag_page = app.get("/tags/uprn").await?;
    assert_eq!(tag_page.status, StatusCode::OK);
    let dataset_page = app.get("/datasets/1").await?;
    assert_eq!(dataset_page.status, StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn missing_things_answer_404_with_a_styled_page() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    for path in [
        "/no-such-page",
        "/case-studies/no-such-case-study",
        "/patterns/none",
        "/tags/none",
        "/datasets/999999",
        "/datasets/abc",
        "/organisations/none",
    ] {
        let page = app.get(path).await?;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("Page not found"), "{path}");
        assert!(page.body.contains("/pkg/casebook.css"), "{path} is styled");
    }
    Ok(())
}

#[tokio::test]
async fn health_and_readiness() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    assert_eq!(app.get("/healthz").await?.status, StatusCode::OK);
    assert_eq!(app.get("/readyz").await?.status, StatusCode::OK);
    app.db.clone().close().await?;
    assert_eq!(app.get("/readyz").await?.status, StatusCode::SERVICE_UNAVAILABLE, "not ready without a database");
    assert_eq!(app.get("/healthz").await?.status, StatusCode::OK, "still alive");
    Ok(())
}

#[tokio::test]
async fn hostile_query_strings_do_not_break_pages() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    // Page numbers out of range are refused: see hostile_requests.
    for path in [
        "/case-studies?tag=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/case-studies?service_area=%00%FF",
        "/case-studies?phase=%27%20OR%201=1%20--",
    ] {
        let page = app.get(path).await?;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.body.contains("<script>alert(1)"), "{path} reflects markup unescaped");
    }
    Ok(())
}

/// The Nu HTML Checker refused Leptos's `<!>` markers ("Bogus comment") and the scripts it put
/// after `</html>`; the journeys run the checker itself on every kind of page.
#[tokio::test]
async fn pages_end_at_their_html_and_carry_no_bogus_comments() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    for path in ["/", "/case-studies", "/patterns", "/search?q=bus", "/no-such-page"] {
        let page = app.get(path).await?;
        assert!(!page.body.contains("<!>"), "{path} has a bogus comment");
        assert!(page.body.trim_end().ends_with("</html>"), "{path} has something after </html>");
        assert!(!page.body.contains("crossorigin=\"") || page.body.contains("crossorigin=\"anonymous\""), "{path}");
    }
    Ok(())
}
