//! Searching through the site and the API, on the demo content with the embedded engine.

use crate::support::{case_study_fields, TestApp};
use axum::http::StatusCode;

#[tokio::test]
async fn the_search_page_finds_through_typos_and_narrows_by_filters() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.indexed().await?;

    let home = app.get("/").await?;
    assert!(home.body.contains(r#"action="/search""#) && home.body.contains(r#"id="site-search""#), "every page has the search box");
    assert!(!home.body.contains("casebook.wasm"), "the header search box needs no JavaScript");

    let typo = app.get("/search?q=pharmcy+finder").await?;
    assert_eq!(typo.status, StatusCode::OK);
    typo.assert_contains_all(
        "a search with a typo",
        &[
            "1 case study for “pharmcy finder”",
            "A <mark>pharmacy</mark> <mark>finder</mark>",
            "<title>pharmcy finder: search – Casebook</title>",
        ],
    );

    let all = app.get("/search").await?;
    all.assert_contains_all("the empty query", &["28 case studies", "Filter", "Pattern", "Service area", "Dataset publisher"]);
    assert!(all.body.contains(r#"href="/search?phase=live""#), "each facet value links to its filter");

    let bus = app.get("/search?q=bus").await?;
    let first_title = snippet(&bus.body, r#"class="card-title""#);
    assert!(first_title.contains("<mark>bus</mark>"), "a title with the word comes first: {first_title}");
    let live = app.get("/search?q=bus&phase=live").await?;
    live.assert_contains_all(
        "a filtered search",
        &["Real-time <mark>bus</mark> times", "Remove filter ", "Phase: Live", r#"href="/search?q=bus""#],
    );
    let narrowed = app.get("/search?q=bus&phase=discovery&service_area=finance").await?;
    narrowed.assert_contains_all("an empty result", &["No case studies match this search", "search without filters", "Phase: Discovery"]);
    let escaped = app.get("/search?q=%3C/title%3E%3Cscript%3Ealert(1)%3C/script%3E").await?;
    assert!(!escaped.body.contains("<script>alert"), "what people type never becomes markup: {}", snippet(&escaped.body, "script>alert"));

    let synonym = app.get("/search?q=rubbish").await?;
    assert!(
        synonym.body.contains("Rebalancing <mark>waste</mark> <mark>collection</mark> rounds"),
        "rubbish finds waste collection, marked"
    );

    let newest = app.get("/search?sort=newest&page=2").await?;
    assert!(newest.body.contains(r#"aria-current="page">2<"#), "pages keep the order");

    let bad = app.get("/search?page=0&sort=oldest").await?;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains_all(
        "bad parameters",
        &["There is a problem", "Page must be a whole number from 1 to 100", "Sort by relevance or newest"],
    );
    Ok(())
}

fn snippet<'a>(body: &'a str, marker: &str) -> &'a str {
    let at = body.find(marker).unwrap_or(0);
    &body[at.saturating_sub(200)..(at + 160).min(body.len())]
}

#[tokio::test]
async fn the_api_answers_the_same_search_as_json() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.indexed().await?;
    let reply = app.get("/api/v1/search?q=transprot&pattern=develop-policy").await?;
    assert_eq!(reply.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&reply.body)?;
    assert_eq!(json["total"], 6, "six policy case studies mention transport: {json}");
    let first = &json["hits"][0];
    assert!(first["title"].as_str().unwrap_or_default().starts_with("Designing demand-responsive rural transport"), "a title match first");
    assert_eq!(first["url"], format!("/case-studies/{}", first["slug"].as_str().unwrap_or_default()));
    let highlighted = first["highlighted"]["title"].as_str().unwrap_or_default();
    assert!(highlighted.contains("rural <mark>transport</mark> in"), "{highlighted}");
    assert_eq!(json["query"]["filters"]["pattern"][0], "develop-policy");
    let phases = json["facets"]["phase"].as_array().cloned().unwrap_or_default();
    let counted: u64 = phases.iter().filter_map(|p| p["count"].as_u64()).sum();
    assert_eq!(counted, 6, "facet counts follow the words and filters: {phases:?}");
    assert_eq!((&phases[0]["value"], &phases[0]["label"], &phases[0]["count"]), (&"alpha".into(), &"Alpha".into(), &2.into()));
    // Where the time went, phase by phase, for developer tools and the search benchmark.
    let timing = reply.headers.get("server-timing").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let named: Vec<&str> = timing.split(", ").filter_map(|m| m.split_once(";dur=").map(|(name, _)| name)).collect();
    assert_eq!(named, ["position", "engine", "cards", "labels", "json"], "{timing}");

    let hostile = app.get("/api/v1/search?q=%3Cscript%3Ebus").await?;
    assert_eq!(hostile.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&hostile.body)?;
    assert_eq!(json["query"]["q"], "<script>bus", "what people type comes back as data, in JSON");

    let bad = app.get("/api/v1/search?page=abc").await?;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let json: serde_json::Value = serde_json::from_str(&bad.body)?;
    assert_eq!(bad.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/problem+json"));
    assert_eq!(json["code"], "invalid");
    assert_eq!(json["status"], 422);
    assert_eq!(json["errors"]["page"], "Page must be a whole number from 1 to 100");
    Ok(())
}

#[tokio::test]
async fn drafts_are_never_found_and_published_case_studies_soon_are() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    let saved = app.post("/case-studies/new", &case_study_fields(&token, "Zebra crossing requests", "draft")).await?;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    app.indexed().await?;
    let draft = app.get("/api/v1/search?q=zebra").await?;
    assert!(draft.body.contains(r#""total":0"#), "a draft is not found: {}", draft.body);

    let saved = app.post_edit("zebra-crossing-requests", &case_study_fields(&token, "Zebra crossing requests", "published")).await?;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    app.indexed().await?;
    let published = app.get("/search?q=zebra").await?;
    assert!(published.body.contains("<mark>Zebra</mark> crossing requests"), "published, it is found");

    let saved = app.post_edit("zebra-crossing-requests", &case_study_fields(&token, "Zebra crossing requests", "archived")).await?;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    app.indexed().await?;
    let archived = app.get("/api/v1/search?q=zebra").await?;
    assert!(archived.body.contains(r#""total":0"#), "archived, it is gone: {}", archived.body);
    Ok(())
}

#[tokio::test]
async fn a_case_study_page_lists_related_case_studies() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    let page = app.get("/case-studies/real-time-bus-times-at-every-stop-in-west-coombe-using-bus-open-data").await?;
    assert_eq!(page.status, StatusCode::OK);
    let related = &page.body[page.body.find("Related case studies").ok_or_else(|| anyhow::anyhow!("no related section"))?..];
    let related = &related[..related.find("Revision history").unwrap_or(related.len())];
    let cards = related.matches(r#"class="card-title""#).count();
    assert!((3..=5).contains(&cards), "three to five related case studies, got {cards}");
    assert!(
        related.contains("step-free bus stops") || related.contains("timetable data quality"),
        "the closest ones are other bus services"
    );
    assert!(!related.contains("Real-time bus times at every stop"), "not itself");
    Ok(())
}

/// Searches remember cards and facet names between requests (`SearchMemory`), until the event
/// log moves: an edit made on one instance shows in the next search on another, though the words
/// searched for, and so the index's answer, stay the same.
#[tokio::test]
async fn a_search_shows_an_edit_at_once_on_every_instance() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    let mut other = app.another_instance()?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    let fields = case_study_fields(&token, "Zebra crossing requests", "published");
    assert_eq!(app.post("/case-studies/new", &fields).await?.status, StatusCode::SEE_OTHER);
    app.indexed().await?;
    let region = |body: &str| -> anyhow::Result<String> {
        let json: serde_json::Value = serde_json::from_str(body)?;
        Ok(json["hits"][0]["region"].as_str().unwrap_or_default().to_string())
    };
    // Both instances search twice, so the second answer comes from what they remembered.
    for instance in [&mut app, &mut other] {
        for _ in 0..2 {
            assert_eq!(region(&instance.get("/api/v1/search?q=zebra").await?.body)?, "Wales");
        }
    }

    let mut edited = fields.clone();
    edited.retain(|(name, _)| *name != "region");
    edited.push(("region", "North West England"));
    assert_eq!(app.post_edit("zebra-crossing-requests", &edited).await?.status, StatusCode::SEE_OTHER);
    for instance in [&mut other, &mut app] {
        let reply = instance.get("/api/v1/search?q=zebra").await?;
        assert_eq!(region(&reply.body)?, "North West England", "{}", reply.body);
    }
    Ok(())
}
