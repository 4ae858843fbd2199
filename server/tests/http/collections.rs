//! Collections over HTTP with the demo content: reading, curating with plain form posts, a stale
//! edit refused with the collection as it is now, drafts kept to their curators.

use axum::http::StatusCode;

use crate::networks::slug_of;
use crate::support::{attribute_after, TestApp};

/// The item ids of a collection's page, in the order it shows them.
fn item_ids(page: &str) -> Vec<String> {
    page.match_indices(r#" id="item-"#).filter_map(|(at, _)| page[at + 10..].split('"').next().map(str::to_string)).collect()
}

fn version(page: &str) -> String {
    attribute_after(page, r#"name="version""#, "value").unwrap_or_default()
}

#[tokio::test]
async fn collections_read_in_order_with_their_notes_and_drafts_stay_with_their_curators() -> anyhow::Result<()> {
    let mut visitor = TestApp::start().await?;
    let list = visitor.get("/collections").await?;
    list.assert_contains_all("the collections list", &["Getting started with UPRNs", "Transport data passengers notice"]);
    assert!(!list.body.contains("Spending data, from publishing to policy"), "a draft is not listed");
    let page = visitor.get("/collections/getting-started-with-uprns").await?;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains_all("a collection", &["Start here: the discovery", "Local Digital Data Network", "Last updated"]);
    let discovery = page.body.find("Discovery: how councils use UPRNs").unwrap_or(usize::MAX);
    let bins = page.body.find("Find your bin day").unwrap_or(0);
    assert!(discovery < bins, "in the curator's order");
    assert!(!page.body.contains("Move up"), "visitors do not curate");
    let joint = visitor.get("/collections/transport-data-passengers-notice").await?;
    joint.assert_contains_all("a jointly owned collection", &["Local Digital Data Network", "Open Data Unconference"]);
    assert_eq!(visitor.get("/collections/spending-data-from-publishing-to-policy").await?.status, StatusCode::NOT_FOUND);
    let mut ruth = visitor.new_browser();
    ruth.sign_in_as("Ruth").await?;
    assert_eq!(ruth.get("/collections/spending-data-from-publishing-to-policy").await?.status, StatusCode::OK);
    assert!(visitor.get("/networks/local-digital-data").await?.body.contains("Getting started with UPRNs"), "its network's page lists it");
    Ok(())
}

#[tokio::test]
async fn a_curator_builds_annotates_and_reorders_a_collection_without_javascript() -> anyhow::Result<()> {
    let mut priya = TestApp::start().await?;
    priya.sign_in_as("Priya").await?;
    let token = priya.csrf_token().await?;
    assert_eq!(priya.get("/collections/new").await?.status, StatusCode::OK);
    let refused = priya.post("/collections/new", &[("csrf_token", &token), ("title", ""), ("status", "published")]).await?;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains_all("the refused form", &["Enter title", "Choose at least one network"]);
    let created = priya
        .post(
            "/collections/new",
            &[("csrf_token", &token), ("title", "Bins, start to finish"), ("status", "published"), ("networks", "local-digital-data")],
        )
        .await?;
    assert_eq!((created.status, created.location.as_deref()), (StatusCode::SEE_OTHER, Some("/collections/bins-start-to-finish")));

    // Added from search results and from a case study's page, back to where it was added from.
    priya.indexed().await?;
    let search = priya.get("/search?q=bin").await?;
    assert!(search.body.contains("Add to a collection"), "curators can add from search results");
    for title in ["Find your bin day", "Reporting a missed bin", "Rebalancing waste"] {
        let slug = slug_of(&priya, title).await?;
        let added = priya
            .post(
                "/collections/add",
                &[("csrf_token", &token), ("collection", "bins-start-to-finish"), ("case_study", &slug), ("return_to", "/search?q=bin")],
            )
            .await?;
        assert_eq!((added.status, added.location.as_deref()), (StatusCode::SEE_OTHER, Some("/search?q=bin")));
    }
    let slug = slug_of(&priya, "Find your bin day").await?;
    let twice = priya
        .post(
            "/collections/add",
            &[("csrf_token", &token), ("collection", "bins-start-to-finish"), ("case_study", &slug), ("return_to", "/search?q=bin")],
        )
        .await?;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(
        twice.body.contains("is already in this collection") && twice.body.contains("Search case studies"),
        "shown on the page it came from: {}",
        &twice.body[twice.body.find("<main").unwrap_or(0)..][..2000.min(twice.body.len() - twice.body.find("<main").unwrap_or(0))]
    );

    let page = priya.get("/collections/bins-start-to-finish").await?;
    let ids = item_ids(&page.body);
    assert_eq!(ids.len(), 3);
    let path = "/collections/bins-start-to-finish";
    let long = "n".repeat(1001);
    let too_long = priya
        .post(path, &[("csrf_token", &token), ("action", "note"), ("item", &ids[0]), ("note", &long), ("version", &version(&page.body))])
        .await?;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    let noted = priya
        .post(
            path,
            &[
                ("csrf_token", &token),
                ("action", "note"),
                ("item", &ids[0]),
                ("note", "Where most councils begin."),
                ("version", &version(&page.body)),
            ],
        )
        .await?;
    assert_eq!(noted.status, StatusCode::SEE_OTHER);
    let page = priya.get(path).await?;
    let moved = priya
        .post(path, &[("csrf_token", &token), ("action", "to"), ("item", &ids[2]), ("position", "1"), ("version", &version(&page.body))])
        .await?;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    // The same form again, from the page as it was: refused, with the collection as it is now.
    let stale =
        priya.post(path, &[("csrf_token", &token), ("action", "down"), ("item", &ids[2]), ("version", &version(&page.body))]).await?;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Someone else changed this collection"));
    assert_eq!(item_ids(&stale.body), [ids[2].clone(), ids[0].clone(), ids[1].clone()]);

    let read = priya.new_browser().get(path).await?;
    assert_eq!(item_ids(&read.body), [ids[2].clone(), ids[0].clone(), ids[1].clone()], "a visitor reads it in that order");
    assert!(read.body.contains("Where most councils begin."));
    Ok(())
}
