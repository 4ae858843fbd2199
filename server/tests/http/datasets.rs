//! Datasets over HTTP: the editor's "Look up" without JavaScript, the resolved details on the
//! case study page, the dataset and publisher pages, and who may see the health list.
use axum::http::StatusCode;

use crate::support::{attribute_after, case_study_fields, checker, ckan_portal, with_portal_dataset, TestApp};

#[tokio::test]
async fn an_author_looks_a_dataset_up_without_javascript_and_the_page_shows_what_its_portal_says() -> anyhow::Result<()> {
    let addr = ckan_portal(Default::default()).await?;
    let allow = addr.to_string();
    let mut author = TestApp::start_with(&["--fetch-allow-hosts", &allow]).await?;
    author.sign_in_as("Priya").await?;
    let token = author.csrf_token().await?;
    let url = format!("http://{addr}/dataset/bin-rounds");
    let mut fields = with_portal_dataset(case_study_fields(&token, "Bin day finder for Northshire", "published"), &url);
    fields.push(("lookup", "1"));
    let looked_up = author.post("/case-studies/new", &fields).await?;
    assert_eq!(looked_up.status, StatusCode::OK, "a look-up shows the form again");
    looked_up.assert_contains_all(
        "the looked-up form",
        &["Found on CKAN", "Northshire Council", "Open Government Licence 3.0 (United Kingdom)"],
    );
    assert_eq!(attribute_after(&looked_up.body, r#"id="dataset_title_1""#, "value").as_deref(), Some("Bin collection rounds"));
    assert_eq!(
        attribute_after(&looked_up.body, r#"id="title""#, "value").as_deref(),
        Some("Bin day finder for Northshire"),
        "nothing typed is lost"
    );
    assert_eq!(author.get("/case-studies/bin-day-finder-for-northshire").await?.status, StatusCode::NOT_FOUND, "a look-up saves nothing");

    // Saving leaves the title empty (the portal names it), then the dataset is checked.
    fields.retain(|(k, _)| *k != "lookup");
    let saved = author.post("/case-studies/new", &fields).await?;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let checker = checker(&author, &allow)?;
    checker.follow_events("test").await?;
    checker.run_once(chrono::Utc::now()).await?;

    let page = author.get("/case-studies/bin-day-finder-for-northshire").await?;
    page.assert_contains_all(
        "the case study",
        &["Bin collection rounds", "Northshire Council", "Open Government Licence 3.0 (United Kingdom)", "Available", "Last checked"],
    );
    let id = page.body.split("/datasets/").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or_default().to_string();
    let dataset = author.get(&format!("/datasets/{id}")).await?;
    assert_eq!(dataset.status, StatusCode::OK, "the dataset page /datasets/{id}");
    dataset.assert_contains_all(
        "the dataset page",
        &["How this service uses it", "Shows how long repairs take", "Health history", "CKAN", "Bin day finder for Northshire"],
    );
    let publisher = author.get("/publishers/northshire-council").await?;
    assert_eq!(publisher.status, StatusCode::OK);
    publisher.assert_contains_all(
        "the publisher page",
        &["Northshire Council", "Your data is used by 1 service", "Bin day finder for Northshire"],
    );
    assert_eq!(author.get("/publishers/nobody-at-all").await?.status, StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test]
async fn the_dataset_health_list_is_for_organisers_and_admins() -> anyhow::Result<()> {
    let mut anonymous = TestApp::start().await?;
    let mut organiser = anonymous.new_browser();
    organiser.sign_in_as("Priya").await?;
    let mut outsider = anonymous.new_browser();
    outsider.sign_in_as("Hassan").await?;
    assert_eq!(organiser.get("/datasets/health").await?.status, StatusCode::OK);
    assert_eq!(outsider.get("/datasets/health").await?.status, StatusCode::FORBIDDEN);
    assert_eq!(anonymous.get("/datasets/health").await?.status, StatusCode::UNAUTHORIZED);
    Ok(())
}

/// `/datasets/health`, open to any network's organiser, listed datasets only drafts link, with
/// the address and what the draft's author typed.
#[tokio::test]
async fn organisers_see_only_the_datasets_published_case_studies_use() -> anyhow::Result<()> {
    use casebook_domain::identity::roles::{self, Role, Source};
    let mut author = TestApp::start().await?;
    author.sign_in_as("Hassan").await?;
    let token = author.csrf_token().await?;
    let fields = crate::support::with_portal_dataset(
        case_study_fields(&token, "A draft about secret data", "draft"),
        "http://127.0.0.1:9/private-draft-dataset",
    );
    let mut fields = fields;
    if let Some(title) = fields.iter_mut().find(|(k, _)| *k == "dataset_title") {
        title.1 = "Unreleased payroll extract";
    }
    assert_eq!(author.post("/case-studies/new", &fields).await?.status, StatusCode::SEE_OTHER);
    let checker = crate::support::checker(&author, "127.0.0.1:1")?;
    checker.follow_events("test").await?;
    checker.run_once(chrono::Utc::now()).await?;

    let mut admin = author.new_browser();
    roles::grant(&admin.db, crate::support::user_id(&admin, "Gareth Llewellyn").await?, Role::Admin, Source::Command).await?;
    admin.sign_in_as("Gareth").await?;
    let everything = admin.get("/datasets/health").await?;
    everything.assert_contains_all("the admin's list", &["Unreleased payroll extract"]);
    let mut organiser = author.new_browser();
    organiser.sign_in_as("Priya").await?;
    let published_only = organiser.get("/datasets/health").await?;
    assert_eq!(published_only.status, StatusCode::OK);
    assert!(!published_only.body.contains("Unreleased payroll extract"), "a draft's dataset shown to an organiser");
    assert!(!published_only.body.contains("private-draft-dataset"));
    Ok(())
}
