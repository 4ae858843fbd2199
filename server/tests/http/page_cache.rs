//! Pages kept for anonymous readers: sent again from memory with their ETag, never to someone
//! signed in, and never stale: a change made on one instance shows on the next anonymous request
//! to another.
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::http::{header, Method, StatusCode};

use crate::networks::slug_of;
use crate::support::{case_study_fields, checker, ckan_portal, with_portal_dataset, Reply, TestApp};

const LOCAL: &str = "local-digital-data";

#[tokio::test]
async fn an_anonymous_page_is_sent_again_from_memory_with_its_etag() -> anyhow::Result<()> {
    let mut reader = TestApp::start().await?;
    let first = reader.get("/patterns").await?;
    assert_eq!(first.status, StatusCode::OK);
    let etag = first.headers.get(header::ETAG).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(etag.starts_with('"') && etag.len() > 2, "a strong ETag: {etag:?}");
    assert_eq!(first.headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("public, no-cache"));
    assert!(first.headers.get(header::VARY).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("Cookie")));
    assert!(first.headers.get(header::SET_COOKIE).is_none(), "a page without a form sets no cookie");
    assert!(first.headers.contains_key(header::CONTENT_SECURITY_POLICY), "kept with the security headers");

    let again = reader.get("/patterns").await?;
    assert_eq!((again.body.as_str(), again.headers.get(header::ETAG)), (first.body.as_str(), first.headers.get(header::ETAG)));
    let unchanged = reader.send_with(Method::GET, "/patterns", None, &[("if-none-match", &etag)]).await?;
    assert_eq!((unchanged.status, unchanged.body.as_str()), (StatusCode::NOT_MODIFIED, ""));
    let other = reader.send_with(Method::GET, "/patterns", None, &[("if-none-match", "\"something-else\"")]).await?;
    assert_eq!(other.status, StatusCode::OK);

    let compressed = reader.send_bytes("/patterns", &[("accept-encoding", "gzip, br")]).await?;
    assert_eq!(compressed.0.get(header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()), Some("gzip"));
    let mut unzipped = String::new();
    flate2::read::GzDecoder::new(&compressed.1[..]).read_to_string(&mut unzipped)?;
    assert_eq!(unzipped, first.body, "the gzip copy is the same page");
    Ok(())
}

#[tokio::test]
async fn signed_in_pages_are_private_and_a_page_with_a_form_token_is_never_kept() -> anyhow::Result<()> {
    let mut reader = TestApp::start().await?;
    let slug = slug_of(&reader, "A pharmacy finder").await?;
    let path = format!("/case-studies/{slug}");
    let anonymous = reader.get(&path).await?;
    assert_eq!(anonymous.headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("public, no-cache"));

    let mut hassan = reader.new_browser();
    hassan.sign_in_as("Hassan").await?;
    let signed_in = hassan.get(&path).await?;
    assert!(signed_in.body.contains("Signed in as"), "the signed-in page, not the kept one");
    assert_eq!(signed_in.headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("private, no-cache"));
    assert!(signed_in.headers.get(header::ETAG).is_none());
    assert!(!reader.get(&path).await?.body.contains("Signed in as"), "and the kept page is still anonymous");

    // The sign-in page carries a form token: it is that browser's alone.
    let first = reader.new_browser().get("/sign-in").await?;
    let second = reader.new_browser().get("/sign-in").await?;
    assert!(first.headers.contains_key(header::SET_COOKIE), "a first visit to a form sets the token's cookie");
    assert_eq!(first.headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("private, no-cache"));
    assert_ne!(token_of(&first), token_of(&second), "each browser its own token");
    Ok(())
}

/// Signed-in pages are never kept whole, but what every reader sees of them is remembered until
/// the event log moves, at the position read with the session: an edit on one instance shows on
/// the next signed-in request on another.
#[tokio::test]
async fn a_signed_in_reader_sees_an_edit_from_another_instance_on_their_next_request() -> anyhow::Result<()> {
    let mut priya = TestApp::start().await?;
    let mut hassan = priya.another_instance()?;
    priya.sign_in_as("Priya").await?;
    hassan.sign_in_as("Hassan").await?;
    let token = priya.csrf_token().await?;
    let fields = case_study_fields(&token, "Pothole reports", "published");
    assert_eq!(priya.post("/case-studies/new", &fields).await?.status, StatusCode::SEE_OTHER);
    let pages = ["/", "/case-studies", "/patterns/engage-with-services", "/case-studies/pothole-reports"];
    // Twice, so that the second read comes from what the instance remembered.
    for _ in 0..2 {
        every_page_shows(&mut hassan, &pages, "Pothole reports").await?;
    }

    let mut edited = fields.clone();
    edited.retain(|(name, _)| *name != "title");
    edited.push(("title", "Pothole reports, mapped"));
    assert_eq!(priya.post_edit("pothole-reports", &edited).await?.status, StatusCode::SEE_OTHER);
    every_page_shows(&mut hassan, &pages, "Pothole reports, mapped").await
}

fn token_of(page: &Reply) -> Option<String> {
    crate::support::attribute_after(&page.body, r#"name="csrf_token""#, "value")
}

/// Fails unless every page, fetched now by `reader`, contains `text`.
async fn every_page_shows(reader: &mut TestApp, pages: &[&str], text: &str) -> anyhow::Result<()> {
    for page in pages {
        let reply = reader.get(page).await?;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
        assert!(reply.body.contains(text), "{page} does not show {text:?} yet");
    }
    Ok(())
}

/// The number in the link to a network's members.
fn member_count(page: &str) -> Option<u32> {
    let at = page.find("/members\">")? + "/members\">".len();
    page[at..].split('<').next()?.trim().parse().ok()
}

#[tokio::test]
async fn a_change_on_one_instance_shows_on_the_next_anonymous_request_to_every_page_on_another() -> anyhow::Result<()> {
    let gone = Arc::new(AtomicBool::new(false));
    let addr = ckan_portal(gone.clone()).await?;
    let allow = addr.to_string();
    let mut priya = TestApp::start_with(&["--fetch-allow-hosts", &allow]).await?;
    let mut reader = priya.another_instance()?;
    priya.sign_in_as("Priya").await?;
    let token = priya.csrf_token().await?;

    // A case study published on one instance is on the other's lists at once.
    let lists = ["/", "/case-studies", "/patterns/engage-with-services", "/tags/repairs"];
    for page in lists {
        assert!(!reader.get(page).await?.body.contains("Bin day finder"), "{page} is kept before the change");
    }
    let url = format!("http://{addr}/dataset/bin-rounds");
    let fields = with_portal_dataset(case_study_fields(&token, "Bin day finder for Northshire", "published"), &url);
    let published = priya.post("/case-studies/new", &fields).await?;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    every_page_shows(&mut reader, &lists, "Bin day finder for Northshire").await?;
    let path = "/case-studies/bin-day-finder-for-northshire";
    every_page_shows(&mut reader, &[path], "Shows how long repairs take").await?;

    // An edit, likewise, everywhere it is shown.
    let renamed: Vec<(&str, &str)> =
        fields.iter().map(|&(k, v)| if k == "title" { (k, "Bin day finder for all of Northshire") } else { (k, v) }).collect();
    let edited = priya.post_edit("bin-day-finder-for-northshire", &renamed).await?;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
    every_page_shows(&mut reader, &[&lists[..], &[path]].concat(), "Bin day finder for all of Northshire").await?;

    // The dataset's checks: resolved from its portal, then gone.
    let checker = checker(&priya, &allow)?;
    let case_study = reader.get(path).await?;
    let dataset = format!("/datasets/{}", case_study.body.split("/datasets/").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default());
    assert!(!reader.get(&dataset).await?.body.contains("Bin collection rounds"));
    checker.follow_events("test").await?;
    checker.run_once(chrono::Utc::now()).await?;
    every_page_shows(&mut reader, &[path, &dataset], "Bin collection rounds").await?;
    let checked_once = reader.get(&dataset).await?;
    gone.store(true, Ordering::Relaxed);
    let id: i32 = dataset.trim_start_matches("/datasets/").parse()?;
    checker.check_now(vec![id], chrono::Utc::now()).await?;
    let checked_twice = reader.get(&dataset).await?;
    assert_ne!(checked_twice.body, checked_once.body, "the second check is in the history");
    assert!(checked_twice.body.contains("410"), "and its answer is shown");

    // A collection made, and a case study added to it.
    let created = priya
        .post(
            "/collections/new",
            &[("csrf_token", &token), ("title", "Bins, start to finish"), ("status", "published"), ("networks", LOCAL)],
        )
        .await?;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    every_page_shows(&mut reader, &["/collections"], "Bins, start to finish").await?;
    let collection = "/collections/bins-start-to-finish";
    assert!(!reader.get(collection).await?.body.contains("Bin day finder for all of Northshire"));
    let added = priya
        .post(
            "/collections/add",
            &[
                ("csrf_token", &token),
                ("collection", "bins-start-to-finish"),
                ("case_study", "bin-day-finder-for-northshire"),
                ("return_to", "/"),
            ],
        )
        .await?;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    every_page_shows(&mut reader, &[collection], "Bin day finder for all of Northshire").await?;

    // Someone joins a network: its page counts them at once.
    let network = format!("/networks/{LOCAL}");
    let before = member_count(&reader.get(&network).await?.body).ok_or_else(|| anyhow::anyhow!("no member count"))?;
    let mut hassan = priya.new_browser();
    hassan.sign_in_as("Hassan").await?;
    let hassan_token = hassan.csrf_token().await?;
    assert_eq!(hassan.post(&network, &[("csrf_token", &hassan_token), ("action", "join")]).await?.status, StatusCode::SEE_OTHER);
    assert_eq!(member_count(&reader.get(&network).await?.body), Some(before + 1));

    // Search pages come from the index, so they follow it as it catches up.
    priya.indexed().await?;
    every_page_shows(&mut reader, &["/search?q=northshire"], "Bin day finder for all of").await?;
    Ok(())
}
