//! Publishing and editing through the real form posts, with sessions and form tokens.

use crate::support::{case_study_fields, TestApp};
use axum::http::StatusCode;
use casebook_domain::entities::case_study;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};

#[tokio::test]
async fn sign_in_publish_read_edit_and_see_the_revision() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let home = app.get("/").await?;
    assert!(home.body.contains("Signed in as"));

    let form = app.get("/case-studies/new").await?;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Share a case study"));
    assert!(form.body.contains("/pkg/casebook.wasm"), "the form preloads the islands' WASM under the name the site build writes");
    assert!(form.body.contains(r#"<script type="module" src="/islands.js">"#), "the islands load from a file, not an inline script");
    let token = app.csrf_token().await?;

    let saved = app.post("/case-studies/new", &case_study_fields(&token, "Repairs reporting in Caerdydd", "published")).await?;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(saved.location.as_deref(), Some("/case-studies/repairs-reporting-in-caerdydd"));

    let page = app.get("/case-studies/repairs-reporting-in-caerdydd").await?;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Edit this case study"));
    assert!(page.body.contains("Repair times") && page.body.contains("Shows how long repairs take"));
    let list = app.get("/case-studies?service_area=housing").await?;
    assert!(list.body.contains("Repairs reporting in Caerdydd"));

    let mut edit = case_study_fields(&token, "Repairs reporting in Caerdydd", "published");
    edit.retain(|(k, _)| *k != "phase");
    edit.push(("phase", "live"));
    let saved = app.post_edit("repairs-reporting-in-caerdydd", &edit).await?;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = app.get("/case-studies/repairs-reporting-in-caerdydd").await?;
    assert!(page.body.contains("Revision 2"));
    assert!(page.body.contains("Changed: Phase"));
    Ok(())
}

#[tokio::test]
async fn a_rejected_form_comes_back_whole_with_its_errors() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    let before = case_study::Entity::find().count(&app.db).await?;
    let mut fields = case_study_fields(&token, "", "published");
    fields.retain(|(k, _)| *k != "patterns" && *k != "start_date");
    fields.push(("start_date", "2024-02-31"));
    let long_summary = "x".repeat(400);
    fields.retain(|(k, _)| *k != "summary");
    fields.push(("summary", &long_summary));
    let reply = app.post("/case-studies/new", &fields).await?;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    reply.assert_contains_all(
        "the rejected form",
        &[
            "There is a problem",
            "Enter title",
            "Select at least one pattern",
            "must be a real date",
            "300 characters or fewer",
            r##"href="#title""##,
        ],
    );
    assert!(reply.body.contains("Error: Share a case study"), "the title says there is an error");
    assert!(reply.body.contains("Shows how long repairs take"), "what was typed is kept");
    assert!(reply.body.contains(&long_summary));
    assert_eq!(case_study::Entity::find().count(&app.db).await?, before, "nothing was saved");
    Ok(())
}

#[tokio::test]
async fn forms_need_a_session_and_the_right_token() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    let before = case_study::Entity::find().count(&app.db).await?;
    let token = app.csrf_token().await?;

    let anonymous = app.post("/case-studies/new", &case_study_fields(&token, "Anonymous", "published")).await?;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let form = app.get("/case-studies/new").await?;
    assert_eq!(form.status, StatusCode::UNAUTHORIZED);
    assert!(form.body.contains(r#"href="/sign-in?return_to=%2Fcase-studies%2Fnew""#), "signing in comes back to the form");

    let forged_sign_in = app.post("/sign-in/dev", &[("csrf_token", "forged"), ("persona", "1")]).await?;
    assert_eq!(forged_sign_in.status, StatusCode::FORBIDDEN);
    assert!(app.cookie("casebook_session").is_none());

    app.sign_in_as("Priya").await?;
    let forged = app.post("/case-studies/new", &case_study_fields("0".repeat(64).as_str(), "Forged", "published")).await?;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY, "the form comes back to be sent again");
    assert!(forged.body.contains("This form had expired"));
    assert!(forged.body.contains("Forged"), "nothing typed is lost");
    assert_eq!(case_study::Entity::find().count(&app.db).await?, before);

    let unreadable = app.post("/sign-in/dev", &[("csrf_token", &token), ("persona", "not-a-number")]).await?;
    assert_eq!(unreadable.status, StatusCode::BAD_REQUEST);
    Ok(())
}

#[tokio::test]
async fn tampered_cookies_and_open_redirects_are_refused() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let session = app.cookie("casebook_session").cloned().unwrap_or_default();
    let mut tampered = session.clone();
    tampered.replace_range(0..1, if tampered.starts_with('A') { "B" } else { "A" });
    app.set_cookie("casebook_session", &tampered);
    assert!(!app.get("/").await?.body.contains("Signed in as"), "a tampered cookie signs nobody in");

    let mut other = app.new_browser();
    let page = other.get("/sign-in").await?;
    let persona = crate::support::attribute_after(&page.body, r#"name="persona""#, "value").unwrap_or_default();
    for hostile in ["https://evil.example/", "//evil.example/x", "/\\evil.example"] {
        // Each sign-in issues a new form token.
        let token = other.csrf_token().await?;
        let reply = other.post("/sign-in/dev", &[("csrf_token", &token), ("persona", &persona), ("return_to", hostile)]).await?;
        assert_eq!(reply.location.as_deref(), Some("/"), "{hostile}");
    }
    let token = other.csrf_token().await?;
    let reply = other.post("/sign-in/dev", &[("csrf_token", &token), ("persona", &persona), ("return_to", "/patterns")]).await?;
    assert_eq!(reply.location.as_deref(), Some("/patterns"));
    Ok(())
}

#[tokio::test]
async fn only_authors_edit_drafts_stay_private_and_sign_out_ends_the_session() -> anyhow::Result<()> {
    let mut author = TestApp::start().await?;
    author.sign_in_as("Priya").await?;
    let token = author.csrf_token().await?;
    let saved = author.post("/case-studies/new", &case_study_fields(&token, "A private draft", "draft")).await?;
    let path = saved.location.unwrap_or_default();
    assert_eq!(author.get(&path).await?.status, StatusCode::OK);
    assert!(author.get(&path).await?.body.contains("This is a draft"));

    let mut reader = author.new_browser();
    assert_eq!(reader.get(&path).await?.status, StatusCode::NOT_FOUND);
    assert!(!reader.get("/case-studies").await?.body.contains("A private draft"));
    reader.sign_in_as("Kwame").await?;
    assert_eq!(reader.get(&path).await?.status, StatusCode::NOT_FOUND);
    assert_eq!(reader.get(&format!("{path}/edit")).await?.status, StatusCode::FORBIDDEN);
    let reader_token = reader.csrf_token().await?;
    let refused = reader.post(&format!("{path}/edit"), &case_study_fields(&reader_token, "Taken over", "published")).await?;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let token = author.csrf_token().await?;
    let out = author.post("/sign-out", &[("csrf_token", &token)]).await?;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(author.get(&path).await?.status, StatusCode::NOT_FOUND, "signed out, the draft is hidden again");
    Ok(())
}

#[tokio::test]
async fn hostile_markdown_is_published_harmless() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    let mut fields = case_study_fields(&token, "Hostile story", "published");
    fields.retain(|(k, _)| *k != "body");
    fields.push(("body", "<script>alert('x')</script>\n\n[click](javascript:alert(1))\n\n<img src=x onerror=alert(1)>"));
    let refused = app.post("/case-studies/new", &fields).await?;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "an image without alternative text is an error at its line");
    assert!(refused.body.contains("Line 5: add alternative text"), "{}", refused.body);
    fields.retain(|(k, _)| *k != "body");
    fields.push(("body", "<script>alert('x')</script>\n\n[click](javascript:alert(1))\n\n<img src=/x.png alt=\"A map\" onerror=alert(1)>"));
    let saved = app.post("/case-studies/new", &fields).await?;
    let page = app.get(&saved.location.unwrap_or_default()).await?;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert"));
    assert!(!page.body.contains("javascript:alert"));
    assert!(!page.body.contains("onerror"));
    Ok(())
}

#[tokio::test]
async fn a_failure_on_our_side_keeps_the_answers() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    // A real failure from the database on save: the row is refused.
    app.db
        .execute_unprepared(
            "CREATE TRIGGER refuse_case_studies BEFORE INSERT ON case_study BEGIN SELECT RAISE(ABORT, 'storage unavailable'); END;",
        )
        .await?;
    let reply = app.post("/case-studies/new", &case_study_fields(&token, "Kept despite a failure", "published")).await?;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(reply.body.contains("could not save this just now"));
    assert!(reply.body.contains("Kept despite a failure") && reply.body.contains("Shows how long repairs take"), "the answers come back");
    Ok(())
}

#[tokio::test]
async fn a_save_made_from_an_older_version_comes_back_with_both_versions() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    let saved = app.post("/case-studies/new", &case_study_fields(&token, "Two tabs open", "published")).await?;
    let slug = saved.location.unwrap_or_default().trim_start_matches("/case-studies/").to_string();
    let path = format!("/case-studies/{slug}/edit");
    let tab = app.get(&path).await?;
    let version = crate::support::attribute_after(&tab.body, r#"name="version""#, "value").unwrap_or_default();

    let mut first = case_study_fields(&token, "Two tabs open", "published");
    first.retain(|(k, _)| *k != "summary");
    first.extend([("summary", "Saved first, from the other tab."), ("version", &version)]);
    assert_eq!(app.post(&path, &first).await?.status, StatusCode::SEE_OTHER);

    let mut second = case_study_fields(&token, "Two tabs open", "published");
    second.retain(|(k, _)| *k != "lessons");
    second.extend([("lessons", "Typed in this tab, never lost."), ("version", &version)]);
    let conflict = app.post(&path, &second).await?;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    conflict.assert_contains_all(
        "conflict",
        &[
            "Someone else saved this case study while you were editing it",
            "Saved first, from the other tab.",
            "Typed in this tab, never lost.",
        ],
    );
    let page = app.get(&format!("/case-studies/{slug}")).await?;
    assert!(page.body.contains("Saved first, from the other tab.") && !page.body.contains("Typed in this tab"), "the first save stands");

    // Saving again from the form shown keeps this tab's answers.
    let newer = crate::support::attribute_after(&conflict.body, r#"name="version""#, "value").unwrap_or_default();
    assert_ne!(newer, version);
    second.retain(|(k, _)| *k != "version");
    second.push(("version", &newer));
    assert_eq!(app.post(&path, &second).await?.status, StatusCode::SEE_OTHER);
    assert!(app.get(&format!("/case-studies/{slug}")).await?.body.contains("Typed in this tab, never lost."));
    Ok(())
}

#[tokio::test]
async fn a_session_that_ends_mid_edit_loses_nothing_typed() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    // The session ends while the form is open (idle too long, or signed out elsewhere).
    casebook_domain::entities::session::Entity::delete_many().exec(&app.db).await?;
    let mut fields = case_study_fields(&token, "Typed before the session ended", "draft");
    fields.retain(|(k, _)| *k != "lessons");
    fields.push(("lessons", "Every word of this must survive."));
    let kept = app.post("/case-studies/new", &fields).await?;
    assert_eq!(kept.status, StatusCode::UNAUTHORIZED);
    kept.assert_contains_all(
        "the form again",
        &["Sign in to save your answers", "Typed before the session ended", "Every word of this must survive.", "Your answers are kept"],
    );
    let sign_in = crate::support::attribute_after(&kept.body, r#"class="button">Sign in to save your answers"#, "href")
        .ok_or_else(|| anyhow::anyhow!("no sign-in link"))?;
    let return_to =
        sign_in.split_once("return_to=").map(|(_, r)| r.replace("%2F", "/").replace("%3F", "?").replace("%3D", "=")).unwrap_or_default();
    assert!(return_to.starts_with("/case-studies/new?resume="), "{sign_in}");

    // Back from signing in, the form opens with every answer; the kept copy is used up.
    let token = app.csrf_token().await?;
    let page = app.get("/sign-in").await?;
    let persona = crate::support::attribute_after(&page.body, r#"name="persona""#, "value").unwrap_or_default();
    let back = app.post("/sign-in/dev", &[("csrf_token", &token), ("persona", &persona), ("return_to", &return_to)]).await?;
    assert_eq!(back.location.as_deref(), Some(return_to.as_str()));
    let resumed = app.get(&return_to).await?;
    assert_eq!(resumed.status, StatusCode::OK);
    resumed
        .assert_contains_all("resumed form", &["Share a case study", "Typed before the session ended", "Every word of this must survive."]);
    assert!(!app.get(&return_to).await?.body.contains("Every word of this must survive."), "a kept form opens once");

    // The profile form with an expired token comes back with the answers, not a dead end.
    let stale = app.post("/account", &[("csrf_token", "expired"), ("display_name", "Priya S."), ("bio", "Kept bio text")]).await?;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
    stale.assert_contains_all("profile again", &["This form had expired", "Kept bio text", "Priya S."]);
    Ok(())
}
