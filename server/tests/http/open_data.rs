//! The public API and the bulk downloads over HTTP: pages by cursor, conditional requests,
//! CORS, problems, and dumps that keep formulas as text.
use std::collections::HashSet;

use axum::http::{Method, StatusCode};

use crate::support::{case_study_fields, TestApp};

fn header(reply: &crate::support::Reply, name: &str) -> Option<String> {
    reply.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

#[tokio::test]
async fn a_program_pages_through_every_case_study_and_asks_again_cheaply() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    let mut seen = Vec::new();
    let mut path = "/api/v1/case-studies?limit=7".to_string();
    loop {
        let reply = app.get(&path).await?;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(header(&reply, "access-control-allow-origin").as_deref(), Some("*"));
        assert_eq!(header(&reply, "cache-control").as_deref(), Some("public, max-age=60"));
        let page: serde_json::Value = serde_json::from_str(&reply.body)?;
        for item in page["items"].as_array().into_iter().flatten() {
            assert_eq!(item["licence"], "CC-BY-4.0", "every record carries its licence");
            seen.push(item["id"].as_str().unwrap_or_default().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/case-studies?limit=7&cursor={cursor}"),
            None => break,
        }
    }
    app.indexed().await?;
    let everything: serde_json::Value = serde_json::from_str(&app.get("/api/v1/search").await?.body)?;
    assert_eq!(seen.len() as u64, everything["total"].as_u64().unwrap_or_default(), "every published case study, once");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len(), "none twice across pages");

    let first = app.get("/api/v1/case-studies/find-your-bin-day-northshire-s-collection-day-finder-built-on-uprns").await?;
    assert_eq!(first.status, StatusCode::OK);
    let record: serde_json::Value = serde_json::from_str(&first.body)?;
    assert!(!record["revisions"].as_array().map(Vec::is_empty).unwrap_or(true), "the history is there");
    assert!(record["datasets"][0]["usage"].as_str().is_some_and(|u| !u.is_empty()), "datasets come with how they are used");
    let tag = header(&first, "etag").expect("an ETag");
    let again = app
        .send_with(
            Method::GET,
            "/api/v1/case-studies/find-your-bin-day-northshire-s-collection-day-finder-built-on-uprns",
            None,
            &[("if-none-match", &tag)],
        )
        .await?;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());

    let preflight = app
        .send_with(
            Method::OPTIONS,
            "/api/v1/patterns",
            None,
            &[("origin", "https://elsewhere.example"), ("access-control-request-method", "GET")],
        )
        .await?;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    assert_eq!(header(&preflight, "access-control-allow-methods").as_deref(), Some("GET, HEAD"));

    for (path, status) in [
        ("/api/v1/case-studies/no-such-thing", StatusCode::NOT_FOUND),
        ("/api/v1/case-studies?cursor=abc", StatusCode::BAD_REQUEST),
        ("/api/v1/case-studies?limit=101", StatusCode::BAD_REQUEST),
        ("/api/v1/case-studies?phase=finished", StatusCode::BAD_REQUEST),
        ("/api/v1/datasets/abc", StatusCode::BAD_REQUEST),
        ("/api/v1/nothing-here", StatusCode::NOT_FOUND),
    ] {
        let reply = app.get(path).await?;
        assert_eq!(reply.status, status, "{path}");
        assert_eq!(header(&reply, "content-type").as_deref(), Some("application/problem+json"), "{path}");
        let problem: serde_json::Value = serde_json::from_str(&reply.body)?;
        assert_eq!(problem["status"], status.as_u16(), "{path}");
    }
    let collections: Vec<serde_json::Value> = serde_json::from_str(&app.get("/api/v1/collections").await?.body)?;
    assert!(!collections.is_empty());
    for summary in &collections {
        let path = format!("/api/v1/collections/{}", summary["slug"].as_str().unwrap_or_default());
        let collection: serde_json::Value = serde_json::from_str(&app.get(&path).await?.body)?;
        let positions: Vec<i64> = collection["items"].as_array().into_iter().flatten().filter_map(|i| i["position"].as_i64()).collect();
        assert_eq!(positions.len() as u64, summary["item_count"].as_u64().unwrap_or_default(), "{path}: every item");
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{path}: in the curators' order");
    }

    let document: serde_json::Value = serde_json::from_str(&app.get("/api/v1/openapi.json").await?.body)?;
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["paths"].as_object().map(|p| p.len()), Some(12));
    // Generated clients name a method after each operation: every one needs its own.
    let ids: Vec<&str> = document["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .flat_map(|operations| operations.as_object().into_iter().flat_map(|o| o.values()))
        .filter_map(|operation| operation["operationId"].as_str())
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!((ids.len(), unique.len()), (12, 12), "{ids:?}");
    let with_429 = document["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter(|operations| operations["get"]["responses"]["429"]["headers"]["Retry-After"].is_object())
        .count();
    assert_eq!(with_429, 12, "every operation says it may be refused for its rate");
    // The networks come a page at a time; the demo's three fit on the first, with no next page.
    let networks = app.get("/api/v1/networks?page=1").await?;
    assert_eq!(networks.status, StatusCode::OK);
    assert!(networks.headers.get("link").is_none());
    assert_eq!(app.get("/api/v1/networks?page=0").await?.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/api/v1/networks?page=").await?.status, StatusCode::BAD_REQUEST);
    // What the document forbids, the API refuses (Schemathesis with another seed found this).
    assert_eq!(app.get("/api/v1/search?sort=").await?.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/api/v1/search?q=bins&page=").await?.status, StatusCode::UNPROCESSABLE_ENTITY);
    Ok(())
}

#[tokio::test]
async fn drafts_stay_out_of_the_api_and_the_dumps_and_formulas_stay_text() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    app.post("/case-studies/new", &case_study_fields(&token, "=HYPERLINK(\"http://evil.example\",\"Click\")", "published")).await?;
    app.post("/case-studies/new", &case_study_fields(&token, "A draft nobody may see", "draft")).await?;
    let mut reader = app.new_browser();

    let csv = reader.get("/data/case-studies.csv").await?;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(header(&csv, "content-type").as_deref(), Some("text/csv; charset=utf-8; header=present"));
    let mut rows = csv::Reader::from_reader(csv.body.as_bytes());
    let headings: Vec<String> = rows.headers()?.iter().map(str::to_string).collect();
    assert_eq!(headings[..3], ["id", "url", "title"]);
    let titles: Vec<String> = rows.records().map(|r| r.map(|r| r[2].to_string())).collect::<Result<_, _>>()?;
    assert!(titles.contains(&"'=HYPERLINK(\"http://evil.example\",\"Click\")".to_string()), "the formula is neutralised: {titles:?}");
    assert!(!titles.iter().any(|t| t.contains("A draft nobody may see")));
    assert!(!titles.iter().any(|t| t.starts_with('=')));

    let json = reader.get("/data/case-studies.json").await?;
    let records: Vec<serde_json::Value> = serde_json::from_str(&json.body)?;
    assert_eq!(records.len(), titles.len(), "the JSON and the CSV hold the same case studies");
    assert!(records.iter().any(|r| r["title"] == "=HYPERLINK(\"http://evil.example\",\"Click\")"), "JSON keeps the title as written");

    let links = reader.get("/data/case-study-datasets.csv").await?;
    assert!(links.body.contains("Shows how long repairs take"), "the usage notes are in the links file");
    assert_eq!(reader.get("/data/secrets.txt").await?.status, StatusCode::NOT_FOUND);

    let api = reader.get("/api/v1/case-studies/a-draft-nobody-may-see").await?;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    Ok(())
}
