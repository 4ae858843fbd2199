//! Follows, the notifier and mail on real SQLite and PostgreSQL: who is told of what, digests
//! cut by positions in the event log (the same whatever the clock does, once however many
//! instances cut), and unsubscribing.
use casebook_domain::entities::{mail, notification, user};
use casebook_domain::forms::{DecisionForm, FollowForm, NetworkForm, SubmitForm};
use casebook_domain::notifications::{self, Choice, MailSettings, Notifier};
use casebook_domain::vocabulary::{Delivery, MailState, NotificationKind};
use casebook_domain::workers::{self, Handler, Pace, Round};
use casebook_domain::{case_studies, networks};
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::support::{edit, make_user, on_both_engines, valid_form};

fn settings() -> MailSettings {
    MailSettings::new("https://casebook.example", "Casebook <casebook@casebook.example>")
}

/// A person with an address a provider vouched for.
async fn person(db: &DatabaseConnection, name: &str) -> anyhow::Result<i32> {
    let id = make_user(db, name).await?;
    let address = format!("{}@council.example", name.to_lowercase().replace(' ', "."));
    user::Entity::update_many().col_expr(user::Column::Email, Expr::value(address)).filter(user::Column::Id.eq(id)).exec(db).await?;
    Ok(id)
}

fn follow(target: &str, key: &str, delivery: &str) -> FollowForm {
    FollowForm { action: "follow".into(), target: target.into(), key: key.into(), delivery: delivery.into(), ..Default::default() }
}

/// Runs the notifier until it has handled every event.
async fn notify(db: &DatabaseConnection) -> anyhow::Result<()> {
    let consumer = workers::consumer(&Notifier, "test", &Pace::default());
    loop {
        match workers::round(db, &Notifier, &consumer, 500).await? {
            Round::Idle => return Ok(()),
            Round::Handled(_) => {}
            Round::Failed(error) => anyhow::bail!("the notifier failed: {error}"),
        }
    }
}

async fn told(db: &DatabaseConnection, user_id: i32) -> anyhow::Result<Vec<notification::Model>> {
    Ok(notification::Entity::find().filter(notification::Column::UserId.eq(user_id)).order_by_asc(notification::Column::Id).all(db).await?)
}

async fn mails(db: &DatabaseConnection, user_id: i32) -> anyhow::Result<Vec<mail::Model>> {
    Ok(mail::Entity::find().filter(mail::Column::UserId.eq(user_id)).order_by_asc(mail::Column::Id).all(db).await?)
}

#[tokio::test]
async fn followers_of_a_pattern_and_a_saved_search_hear_of_a_new_case_study_once_in_one_digest() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = person(&db, "Ama Author").await?;
        let newcomer = person(&db, "Nia Newcomer").await?;
        let searcher = person(&db, "Sol Searcher").await?;
        let elsewhere = person(&db, "Eli Elsewhere").await?;
        notifications::save(&db, newcomer, &follow("pattern", "engage-with-services", "daily")).await?;
        // Typo and all: the search's own rules decide.
        notifications::save(&db, newcomer, &follow("search", "q=colection", "weekly")).await?;
        notifications::save(&db, searcher, &follow("search", "q=colection&service_area=waste-and-recycling", "at_once")).await?;
        notifications::save(&db, elsewhere, &follow("search", "q=collection&service_area=transport", "at_once")).await?;
        case_studies::create(&db, author, &valid_form("Bin collection days")).await?;
        notify(&db).await?;

        let heard = told(&db, newcomer).await?;
        anyhow::ensure!(heard.len() == 1, "one notification however many follows match: {heard:?}");
        anyhow::ensure!(
            heard[0].kind == NotificationKind::NewCaseStudy && heard[0].delivery == Delivery::Daily,
            "the soonest delivery wins: {heard:?}"
        );
        let heard = told(&db, searcher).await?;
        anyhow::ensure!(heard.len() == 1 && heard[0].reason.contains("colection"), "the saved search matched: {heard:?}");
        anyhow::ensure!(told(&db, elsewhere).await?.is_empty(), "a search filtered to another service area does not match");
        anyhow::ensure!(told(&db, author).await?.is_empty(), "authors are not told of their own work");

        let now = Utc::now();
        let cuts = notifications::cut_due(&db, &settings(), now).await?;
        anyhow::ensure!(cuts.len() == 3, "the first window of each delivery is cut at once: {cuts:?}");
        let sent = mails(&db, newcomer).await?;
        anyhow::ensure!(sent.len() == 1, "one digest: {sent:?}");
        anyhow::ensure!(
            sent[0].text_body.contains("Bin collection days") && sent[0].text_body.contains("https://casebook.example/case-studies/"),
            "{}",
            sent[0].text_body
        );
        anyhow::ensure!(sent[0].text_body.contains("/unsubscribe/") && sent[0].html_body.contains("Unsubscribe"), "says how to stop it");
        anyhow::ensure!(mails(&db, searcher).await?.len() == 1, "the at-once follower was mailed too");
        anyhow::ensure!(notifications::cut_due(&db, &settings(), now).await?.is_empty(), "nothing is due again at once");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn an_organiser_hears_of_a_submission_and_the_author_of_the_decision_with_its_reason() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let organiser = person(&db, "Rae Reviewer").await?;
        let author = person(&db, "Ama Author").await?;
        let form = NetworkForm {
            name: "Reviewed".into(),
            slug: "reviewed".into(),
            join_policy: "open".into(),
            review_policy: "every".into(),
            trusted_after: "1".into(),
            organisers: organiser.to_string(),
            ..Default::default()
        };
        networks::create(&db, None, &form).await?;
        networks::join(&db, author, "reviewed").await?;
        let slug = case_studies::create(&db, author, &valid_form("Bin days")).await?;
        networks::submit(&db, author, &slug, &SubmitForm { networks: vec!["reviewed".into()] }).await?;
        notify(&db).await?;
        let heard = told(&db, organiser).await?;
        anyhow::ensure!(heard.iter().any(|n| n.kind == NotificationKind::SubmissionWaiting && n.delivery == Delivery::AtOnce), "{heard:?}");

        let page = notifications::page(&db, organiser).await?;
        anyhow::ensure!(page.unread == 1 && page.groups[0].items[0].text.contains("is waiting for review in Reviewed"), "{page:?}");
        anyhow::ensure!(page.groups[0].items[0].href == "/networks/reviewed/review", "{page:?}");

        let submission = casebook_domain::entities::submission::Entity::find().one(&db).await?.unwrap();
        let reason = "Please add the dataset's licence";
        networks::decide(
            &db,
            organiser,
            "reviewed",
            &DecisionForm { submission: submission.id, decision: "reject".into(), reason: reason.into() },
        )
        .await?;
        notify(&db).await?;
        let page = notifications::page(&db, author).await?;
        let texts: Vec<&str> = page.groups.iter().flat_map(|g| g.items.iter().map(|i| i.text.as_str())).collect();
        anyhow::ensure!(
            texts.iter().any(|t| t.contains("did not accept") && t.contains(reason)),
            "the reason reaches the author: {texts:?}"
        );
        anyhow::ensure!(!told(&db, organiser).await?.iter().any(|n| n.kind == NotificationKind::Decision), "not the one who decided");

        notifications::mark_read(&db, author, &casebook_domain::forms::MarkReadForm { all: Some("all".into()), id: None }).await?;
        anyhow::ensure!(notifications::unread(&db, author).await? == 0);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_typo_fix_is_not_news_but_a_substantial_edit_is() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = person(&db, "Ama Author").await?;
        let reader = person(&db, "Rhi Reader").await?;
        let slug = case_studies::create(&db, author, &valid_form("Bin days")).await?;
        notify(&db).await?;
        notifications::save(&db, reader, &follow("case_study", &slug, "at_once")).await?;
        let mut form = valid_form("Bin days");
        form.summary = "Residents check their bin collection day online instead of phoning us.".into();
        edit(&db, author, &slug, &form).await?;
        notify(&db).await?;
        anyhow::ensure!(told(&db, reader).await?.is_empty(), "a few words changed is not news");
        form.outcomes = "Calls about bin days fell by a third in the first six months, and the contact centre moved two people \
                         onto missed collections, which now get a same-day answer; residents rated the service four out of five."
            .into();
        edit(&db, author, &slug, &form).await?;
        notify(&db).await?;
        let heard = told(&db, reader).await?;
        anyhow::ensure!(heard.len() == 1 && heard[0].kind == NotificationKind::Changed, "{heard:?}");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn digest_windows_are_positions_the_same_after_clock_jumps_restarts_and_racing_instances() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = person(&db, "Ama Author").await?;
        let reader = person(&db, "Rhi Reader").await?;
        notifications::save(&db, reader, &follow("pattern", "engage-with-services", "daily")).await?;
        let start = Utc::now();
        case_studies::create(&db, author, &valid_form("First")).await?;
        notify(&db).await?;
        let first = notifications::cut(&db, &settings(), Delivery::Daily, start).await?.expect("a window");
        case_studies::create(&db, author, &valid_form("Second")).await?;
        case_studies::create(&db, author, &valid_form("Third")).await?;
        notify(&db).await?;
        // The clock jumps back and forth by ten minutes: nothing is due until a day has passed.
        for jump in [Duration::minutes(10), Duration::minutes(-10)] {
            let daily: Vec<_> =
                notifications::cut_due(&db, &settings(), start + jump).await?.into_iter().filter(|c| c.run != first.run).collect();
            anyhow::ensure!(daily.iter().all(|c| c.mails == 0), "no daily digest before its day: {daily:?}");
        }
        // Two instances cut the same window (one restarted mid-window): one wins, once.
        let later = start + Duration::days(1) + Duration::minutes(10);
        let settings = settings();
        let (a, b) = tokio::join!(
            notifications::cut(&db, &settings, Delivery::Daily, later),
            notifications::cut(&db, &settings, Delivery::Daily, later)
        );
        let cuts: Vec<_> = [a, b].into_iter().filter_map(|r| r.ok().flatten()).filter(|c| c.mails > 0).collect();
        anyhow::ensure!(cuts.len() == 1, "one window, one mail: {cuts:?}");
        anyhow::ensure!(cuts[0].from == first.to, "windows follow each other with no gap: {cuts:?} after {first:?}");
        let sent = mails(&db, reader).await?;
        anyhow::ensure!(sent.len() == 2, "{sent:?}");
        anyhow::ensure!(sent[0].text_body.contains("First") && !sent[0].text_body.contains("Second"), "{}", sent[0].text_body);
        anyhow::ensure!(
            sent[1].text_body.contains("Second") && sent[1].text_body.contains("Third") && !sent[1].text_body.contains("First")
        );
        let heard = told(&db, reader).await?;
        anyhow::ensure!(heard.len() == 3 && heard.iter().all(|n| n.mail_id.is_some()), "every event in exactly one digest: {heard:?}");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn one_click_unsubscribe_stops_the_next_mail_and_what_is_queued() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = person(&db, "Ama Author").await?;
        let reader = person(&db, "Rhi Reader").await?;
        // The tag comes into being with the first case study that uses it.
        case_studies::create(&db, author, &valid_form("Zeroth")).await?;
        notify(&db).await?;
        notifications::save(&db, reader, &follow("tag", "bin-collection", "at_once")).await?;
        case_studies::create(&db, author, &valid_form("First")).await?;
        notify(&db).await?;
        let now = Utc::now();
        notifications::cut(&db, &settings(), Delivery::AtOnce, now).await?;
        let sent = mails(&db, reader).await?;
        anyhow::ensure!(sent.len() == 1 && sent[0].state == MailState::Queued, "{sent:?}");
        let page = notifications::unsubscribe_page(&db, &sent[0].unsubscribe_token).await?;
        anyhow::ensure!(page.about.contains("the tag bin collection") && page.done.is_none(), "opening the link changes nothing: {page:?}");
        notifications::unsubscribe(&db, &sent[0].unsubscribe_token, Choice::Stop).await?;
        anyhow::ensure!(mails(&db, reader).await?[0].state == MailState::Suppressed, "the queued mail is withdrawn");

        case_studies::create(&db, author, &valid_form("Second")).await?;
        notify(&db).await?;
        notifications::cut(&db, &settings(), Delivery::AtOnce, now + Duration::minutes(2)).await?;
        anyhow::ensure!(mails(&db, reader).await?.len() == 1, "no next mail");
        let heard = told(&db, reader).await?;
        anyhow::ensure!(heard.len() == 2, "still told on the site: {heard:?}");
        anyhow::ensure!(Notifier.cursor() == notifications::CURSOR);
        Ok(())
    })
    .await
}
