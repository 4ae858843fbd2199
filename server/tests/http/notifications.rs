//! Following, notifications and unsubscribing over HTTP: the follow button's form posts, the
//! notifications page and its unread count, and a mail's unsubscribe link (RFC 8058: the
//! one-click post stops it with no cookie; opening the link changes nothing).
use axum::http::{Method, StatusCode};
use casebook_domain::entities::{follow, mail, user};
use casebook_domain::notifications::{self, Notifier};
use casebook_domain::vocabulary::{Delivery, MailState};
use casebook_domain::workers::{self, Pace, Round};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::support::{case_study_fields, user_id, TestApp};

const PATTERN: &str = "/patterns/engage-with-services";

/// The notifier's work so far, as the background worker would do it.
async fn notify(app: &TestApp) -> anyhow::Result<()> {
    let consumer = workers::consumer(&Notifier, "test", &Pace::default());
    while let Round::Handled(_) = workers::round(&app.db, &Notifier, &consumer, 500).await? {}
    Ok(())
}

async fn follow_pattern(app: &mut TestApp) -> anyhow::Result<()> {
    let token = app.csrf_token().await?;
    let fields =
        [("csrf_token", token.as_str()), ("action", "follow"), ("target", "pattern"), ("key", "engage-with-services"), ("back", PATTERN)];
    let followed = app.post(casebook_domain::paths::FOLLOWING, &fields).await?;
    anyhow::ensure!(followed.status == StatusCode::SEE_OTHER && followed.location.as_deref() == Some(PATTERN), "{}", followed.status);
    Ok(())
}

async fn publish(app: &mut TestApp, title: &str) -> anyhow::Result<()> {
    let token = app.csrf_token().await?;
    let saved = app.post("/case-studies/new", &case_study_fields(&token, title, "published")).await?;
    anyhow::ensure!(saved.status == StatusCode::SEE_OTHER, "publishing answered {}", saved.status);
    Ok(())
}

#[tokio::test]
async fn a_follow_button_follows_changes_and_unfollows_with_plain_forms() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    let anonymous = app.get(PATTERN).await?;
    anyhow::ensure!(anonymous.body.contains("Sign in to follow this"), "anonymous readers are offered sign-in");
    app.sign_in_as("Aisha").await?;
    let page = app.get(PATTERN).await?;
    anyhow::ensure!(page.body.contains(r#"value="follow""#) && page.body.contains(">Follow<"), "a follow button");
    follow_pattern(&mut app).await?;
    let page = app.get(PATTERN).await?;
    page.assert_contains_all("the followed pattern", &["You follow the pattern", "1 person follows this", "Unfollow"]);

    let token = app.csrf_token().await?;
    let change = [
        ("csrf_token", token.as_str()),
        ("action", "change"),
        ("target", "pattern"),
        ("key", "engage-with-services"),
        ("level", "new_only"),
        ("delivery", "weekly"),
        ("back", PATTERN),
    ];
    anyhow::ensure!(app.post(casebook_domain::paths::FOLLOWING, &change).await?.status == StatusCode::SEE_OTHER);
    let following = app.get(casebook_domain::paths::FOLLOWING).await?;
    following.assert_contains_all("the following page", &["the pattern", r#"value="weekly" selected"#, r#"value="new_only" selected"#]);

    let bad = [("csrf_token", token.as_str()), ("action", "follow"), ("target", "pattern"), ("key", "no-such-pattern"), ("back", PATTERN)];
    anyhow::ensure!(app.post(casebook_domain::paths::FOLLOWING, &bad).await?.status == StatusCode::NOT_FOUND, "nothing to follow there");
    let bad = [("csrf_token", token.as_str()), ("action", "follow"), ("target", "search"), ("key", ""), ("back", "/search")];
    let refused = app.post(casebook_domain::paths::FOLLOWING, &bad).await?;
    anyhow::ensure!(
        refused.status == StatusCode::UNPROCESSABLE_ENTITY && refused.body.contains("Search for some words"),
        "{}",
        refused.status
    );

    let unfollow =
        [("csrf_token", token.as_str()), ("action", "unfollow"), ("target", "pattern"), ("key", "engage-with-services"), ("back", PATTERN)];
    anyhow::ensure!(app.post(casebook_domain::paths::FOLLOWING, &unfollow).await?.status == StatusCode::SEE_OTHER);
    anyhow::ensure!(follow::Entity::find().all(&app.db).await?.is_empty(), "unfollowed");
    Ok(())
}

#[tokio::test]
async fn notifications_show_unread_in_the_header_and_are_marked_read_with_forms() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    let mut reader = app.new_browser();
    reader.sign_in_as("Aisha").await?;
    follow_pattern(&mut reader).await?;
    app.sign_in_as("Kwame").await?;
    publish(&mut app, "Gritting routes for every street").await?;
    notify(&app).await?;

    let page = reader.get(casebook_domain::paths::NOTIFICATIONS).await?;
    page.assert_contains_all(
        "the notifications page",
        &["New case study: “Gritting routes for every street”", "You follow the pattern", "Mark all as read"],
    );
    anyhow::ensure!(page.body.contains(r#"class="count-badge">"#), "the header counts it");
    let token = reader.csrf_token().await?;
    let read = reader.post(casebook_domain::paths::NOTIFICATIONS, &[("csrf_token", &token), ("all", "all")]).await?;
    anyhow::ensure!(read.status == StatusCode::SEE_OTHER);
    let page = reader.get(casebook_domain::paths::NOTIFICATIONS).await?;
    anyhow::ensure!(page.body.contains("You have read everything") && !page.body.contains("count-badge"), "all read");
    let authors = app.get(casebook_domain::paths::NOTIFICATIONS).await?;
    let mine = authors.body.find("Gritting routes for every street").map(|at| authors.body[at.saturating_sub(300)..at + 100].to_string());
    anyhow::ensure!(mine.is_none(), "the author is not told of their own: {mine:?}");
    Ok(())
}

#[tokio::test]
async fn a_one_click_post_unsubscribes_with_no_cookie_and_opening_the_link_changes_nothing() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    let mut reader = app.new_browser();
    reader.sign_in_as("Aisha").await?;
    let aisha = user_id(&app, "Aisha Bello").await?;
    user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value("aisha@council.example"))
        .filter(user::Column::Id.eq(aisha))
        .exec(&app.db)
        .await?;
    follow_pattern(&mut reader).await?;
    app.sign_in_as("Kwame").await?;
    publish(&mut app, "Gritting routes").await?;
    notify(&app).await?;
    let settings = notifications::MailSettings::new("http://127.0.0.1:3000", "casebook@casebook.example");
    notifications::cut(&app.db, &settings, Delivery::Daily, chrono::Utc::now()).await?;
    let queued =
        mail::Entity::find().filter(mail::Column::UserId.eq(aisha)).one(&app.db).await?.ok_or_else(|| anyhow::anyhow!("no mail"))?;
    let link = casebook_domain::paths::unsubscribe(&queued.unsubscribe_token);

    let mut stranger = app.new_browser();
    let opened = stranger.get(&link).await?;
    opened.assert_contains_all("the unsubscribe page", &["Stop email about the pattern", "Send it once a week instead", "Stop all email"]);
    let delivery = || async {
        Ok::<_, anyhow::Error>(
            follow::Entity::find()
                .filter(follow::Column::UserId.eq(aisha))
                .filter(follow::Column::TargetKey.eq("engage-with-services"))
                .one(&app.db)
                .await?
                .map(|f| f.delivery),
        )
    };
    anyhow::ensure!(delivery().await? == Some(Delivery::Daily), "opening the link (as scanners do) changes nothing");
    let bodiless = stranger.send(Method::POST, &link, None).await?;
    anyhow::ensure!(
        bodiless.status == StatusCode::CONFLICT && delivery().await? == Some(Delivery::Daily),
        "a post without RFC 8058's body is refused: {}",
        bodiless.status
    );
    let dev_mail = stranger.get(casebook_domain::paths::DEV_MAIL).await?;
    anyhow::ensure!(dev_mail.body.contains("Gritting routes") && dev_mail.body.contains(&link), "/dev/mail shows what would be sent");

    let one_click =
        stranger.send_with(Method::POST, &link, Some(&[("List-Unsubscribe", "One-Click")]), &[("origin", "https://mail.example")]).await?;
    anyhow::ensure!(one_click.status == StatusCode::OK && one_click.location.is_none(), "done, with no redirect: {}", one_click.status);
    anyhow::ensure!(stranger.cookie("casebook_session").is_none());
    anyhow::ensure!(delivery().await? == Some(Delivery::SiteOnly), "that follow's mail has stopped");
    let withdrawn = mail::Entity::find_by_id(queued.id).one(&app.db).await?.map(|m| m.state);
    anyhow::ensure!(withdrawn == Some(MailState::Suppressed), "so has the mail still queued: {withdrawn:?}");
    anyhow::ensure!(stranger.get("/unsubscribe/not-a-token").await?.status == StatusCode::NOT_FOUND);
    Ok(())
}
