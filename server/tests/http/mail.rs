//! Mail through a real SMTP server (`server/tests/mail/smtp_sink.py`, aiosmtpd, which
//! `./dev test` starts): the headers list mail needs, a DKIM signature that verifies, a 550 that
//! stops mail to an address, and three instances on one PostgreSQL database sending every mail
//! once, with every event in exactly one mail.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use casebook_domain::entities::{mail, notification, user};
use casebook_domain::forms::FollowForm;
use casebook_domain::notifications::{self, Notifier};
use casebook_domain::vocabulary::{Delivery, MailState};
use casebook_domain::workers::{self, Job, Pace, Round};
use casebook_domain::{case_studies, identity};
use casebook_server::mail::{Mailer, Sender};
use casebook_server::workers::Workers;
use casebook_server::AppState;
use clap::Parser;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::support::TestApp;

struct Sink {
    url: String,
    folder: PathBuf,
    python: String,
}

/// The tests' SMTP server, where `./dev test` started one.
fn sink() -> Option<Sink> {
    match (std::env::var("CASEBOOK_TEST_SMTP_URL"), std::env::var("CASEBOOK_TEST_SMTP_DIR")) {
        (Ok(url), Ok(folder)) => {
            Some(Sink { url, folder: folder.into(), python: std::env::var("CASEBOOK_TEST_PYTHON").unwrap_or_else(|_| "python3".into()) })
        }
        _ => {
            eprintln!("CASEBOOK_TEST_SMTP_URL is not set: SKIPPING the real SMTP server tests (./dev test starts one)");
            None
        }
    }
}

/// Every message the sink accepted for `address`, whole.
fn received(sink: &Sink, address: &str) -> anyhow::Result<Vec<String>> {
    let log = std::fs::read_to_string(sink.folder.join("received.jsonl")).unwrap_or_default();
    let mut found = Vec::new();
    for line in log.lines() {
        let entry: serde_json::Value = serde_json::from_str(line)?;
        if entry["to"].as_array().is_some_and(|to| to.iter().any(|t| t.as_str() == Some(address))) {
            found.push(std::fs::read_to_string(entry["file"].as_str().unwrap_or_default())?);
        }
    }
    Ok(found)
}

/// The message's text/plain part, decoded.
fn plain_text(message: &str) -> anyhow::Result<String> {
    let parsed = mailparse::parse_mail(message.as_bytes())?;
    let part = parsed.subparts.iter().find(|p| p.ctype.mimetype == "text/plain").unwrap_or(&parsed);
    Ok(part.get_body()?)
}

/// A header's value, unfolded.
fn header(message: &str, name: &str) -> Option<String> {
    let head = message.split("\r\n\r\n").next()?;
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded.lines().find_map(|line| line.strip_prefix(&format!("{name}: ")).map(str::to_string))
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}@council.example", &identity::random_token()[..10])
}

async fn person(db: &DatabaseConnection, name: &str, address: &str) -> anyhow::Result<i32> {
    let now = chrono::Utc::now();
    let row = user::ActiveModel {
        display_name: sea_orm::ActiveValue::Set(name.into()),
        job_role: sea_orm::ActiveValue::Set(String::new()),
        bio: sea_orm::ActiveValue::Set(String::new()),
        email: sea_orm::ActiveValue::Set(Some(address.into())),
        is_demo: sea_orm::ActiveValue::Set(false),
        created_at: sea_orm::ActiveValue::Set(now),
        updated_at: sea_orm::ActiveValue::Set(now),
        ..Default::default()
    };
    Ok(user::Entity::insert(row).exec(db).await?.last_insert_id)
}

async fn follow_pattern(db: &DatabaseConnection, user_id: i32, delivery: &str) -> anyhow::Result<()> {
    let form = FollowForm {
        action: "follow".into(),
        target: "pattern".into(),
        key: "engage-with-services".into(),
        delivery: delivery.into(),
        ..Default::default()
    };
    notifications::save(db, user_id, &form).await?;
    Ok(())
}

fn story(title: &str) -> casebook_domain::forms::CaseStudyForm {
    casebook_domain::forms::CaseStudyForm {
        title: title.into(),
        summary: "Residents check their bin collection day online.".into(),
        body: "The story.".into(),
        service_area: "waste-and-recycling".into(),
        phase: "live".into(),
        status: "published".into(),
        region: "Wales".into(),
        patterns: vec!["engage-with-services".into()],
        licence: "CC-BY-4.0".into(),
        ..Default::default()
    }
}

/// A 2048-bit RSA key (PKCS#1, as DKIM signers take it) and its public half, by openssl.
fn dkim_keys(folder: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let (private, public) = (folder.join("dkim.pem"), folder.join("dkim.pub.pem"));
    let made = std::process::Command::new("openssl").args(["genrsa", "-traditional", "-out"]).arg(&private).arg("2048").output()?;
    anyhow::ensure!(made.status.success(), "openssl genrsa: {}", String::from_utf8_lossy(&made.stderr));
    let public_made =
        std::process::Command::new("openssl").args(["rsa", "-pubout", "-in"]).arg(&private).arg("-out").arg(&public).output()?;
    anyhow::ensure!(public_made.status.success(), "openssl rsa: {}", String::from_utf8_lossy(&public_made.stderr));
    Ok((private, public))
}

async fn notify(db: &DatabaseConnection) -> anyhow::Result<()> {
    let consumer = workers::consumer(&Notifier, "test", &Pace::default());
    while let Round::Handled(_) = workers::round(db, &Notifier, &consumer, 500).await? {}
    Ok(())
}

#[tokio::test]
async fn mail_reaches_a_real_smtp_server_with_list_headers_and_dkim_and_a_550_stops_mail_to_that_address() -> anyhow::Result<()> {
    let Some(sink) = sink() else { return Ok(()) };
    let keys = tempfile_dir()?;
    let (private, public) = dkim_keys(&keys)?;
    let key_option = private.to_string_lossy().to_string();
    let app =
        TestApp::start_with(&["--smtp-url", &sink.url, "--public-url", "http://casebook.test", "--dkim-key-file", &key_option]).await?;
    let db = &app.db;
    let (good, bounced, deferred) = (unique("reader"), unique("bounce"), unique("defer"));
    let reader = person(db, "Rhi Reader", &good).await?;
    let bouncer = person(db, "Bo Bounce", &bounced).await?;
    let deferrer = person(db, "Di Defer", &deferred).await?;
    // The demo content's events are old news to them.
    notify(db).await?;
    for who in [reader, bouncer, deferrer] {
        follow_pattern(db, who, "at_once").await?;
    }
    let author = person(db, "Ama Author", &unique("author")).await?;
    case_studies::create(db, author, &story("Bin days by text message")).await?;
    notify(db).await?;
    let settings = app.config.mail_settings();
    notifications::cut(db, &settings, Delivery::AtOnce, chrono::Utc::now()).await?;
    let sender = Sender { db: db.clone(), mailer: Mailer::new(&app.config)?, owner: "test".into() };
    while sender.work().await? {}

    let got = received(&sink, &good)?;
    anyhow::ensure!(got.len() == 1, "one mail reached the server: {}", got.len());
    let message = &got[0];
    let unsubscribe = header(message, "List-Unsubscribe").unwrap_or_default();
    anyhow::ensure!(unsubscribe.starts_with("<http://casebook.test/unsubscribe/") && unsubscribe.contains(", <mailto:"), "{unsubscribe}");
    anyhow::ensure!(header(message, "List-Unsubscribe-Post").as_deref() == Some("List-Unsubscribe=One-Click"));
    anyhow::ensure!(header(message, "List-Id").is_some_and(|v| v.contains("<notifications.casebook.test>")));
    anyhow::ensure!(header(message, "Auto-Submitted").as_deref() == Some("auto-generated"));
    anyhow::ensure!(header(message, "Message-ID").is_some_and(|v| v.ends_with("@casebook.test>")), "{:?}", header(message, "Message-ID"));
    let subject = mailparse::parse_mail(message.as_bytes())?.headers.iter().find(|h| h.get_key() == "Subject").map(|h| h.get_value());
    anyhow::ensure!(subject.as_deref().is_some_and(|s| s.contains("Bin days by text message")), "{subject:?}");
    anyhow::ensure!(plain_text(message)?.contains("http://casebook.test/case-studies/"), "links to the site");
    anyhow::ensure!(header(message, "Content-Type").is_some_and(|v| v.starts_with("multipart/alternative")), "text and HTML parts");
    anyhow::ensure!(message.contains("text/plain") && message.contains("text/html"));
    anyhow::ensure!(
        header(message, "DKIM-Signature").is_some_and(|v| v.contains("list-unsubscribe-post")),
        "signed, unsubscribe headers too"
    );
    let file = keys.join("received.eml");
    std::fs::write(&file, message)?;
    let verified = std::process::Command::new(&sink.python)
        .arg("server/tests/mail/dkim_verify.py")
        .arg(&public)
        .arg(&file)
        .current_dir("..")
        .output()?;
    anyhow::ensure!(
        verified.status.success(),
        "DKIM: {}{}",
        String::from_utf8_lossy(&verified.stdout),
        String::from_utf8_lossy(&verified.stderr)
    );

    // 550: no more mail to that address until its person confirms it.
    anyhow::ensure!(received(&sink, &bounced)?.is_empty());
    let state = |id: i32| async move { Ok::<_, anyhow::Error>(mail::Entity::find().filter(mail::Column::UserId.eq(id)).one(db).await?) };
    anyhow::ensure!(state(bouncer).await?.map(|m| m.state) == Some(MailState::Bounced));
    let bouncer_row = user::Entity::find_by_id(bouncer).one(db).await?.unwrap();
    anyhow::ensure!(bouncer_row.email_bounced_at.is_some(), "the address is marked");
    // 451: kept, to be tried again later.
    let deferred_mail = state(deferrer).await?.unwrap();
    anyhow::ensure!(
        deferred_mail.state == MailState::Queued && deferred_mail.attempts == 1 && deferred_mail.available_at > chrono::Utc::now()
    );

    case_studies::create(db, author, &story("Missed bins reported online")).await?;
    notify(db).await?;
    notifications::cut(db, &settings, Delivery::AtOnce, chrono::Utc::now() + chrono::Duration::minutes(2)).await?;
    let theirs = notification::Entity::find().filter(notification::Column::UserId.eq(bouncer)).all(db).await?;
    anyhow::ensure!(theirs.iter().any(|n| n.delivery == Delivery::SiteOnly), "a bounced address is told on the site only: {theirs:?}");
    anyhow::ensure!(mail::Entity::find().filter(mail::Column::UserId.eq(bouncer)).all(db).await?.len() == 1, "and mailed no more");
    notifications::set_email(db, bouncer, "on").await?;
    anyhow::ensure!(user::Entity::find_by_id(bouncer).one(db).await?.unwrap().email_bounced_at.is_none(), "until they turn it on again");
    std::fs::remove_dir_all(keys).ok();
    Ok(())
}

fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("casebook-mail-{}", identity::random_token()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A database of its own on the test PostgreSQL server.
async fn postgres_database() -> anyhow::Result<(String, DatabaseConnection, String)> {
    let admin_url = std::env::var("CASEBOOK_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let admin = casebook_domain::db::connect(&admin_url).await?;
    let name = format!("casebook_mail_{}", &identity::random_token()[..12]);
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
    let base = admin_url.rsplit_once('/').map(|(base, _)| base.to_string()).unwrap_or(admin_url.clone());
    Ok((format!("{base}/{name}"), admin, name))
}

#[tokio::test]
async fn three_instances_on_postgres_send_every_mail_once_with_every_event_in_exactly_one() -> anyhow::Result<()> {
    let Some(sink) = sink() else { return Ok(()) };
    let (url, admin, name) = postgres_database().await?;
    let db = casebook_domain::db::connect_and_migrate(&url).await?;
    let followers: Vec<String> = (0..6).map(|i| unique(&format!("follower{i}"))).collect();
    let mut ids = Vec::new();
    for (i, address) in followers.iter().enumerate() {
        let id = person(&db, &format!("Follower {i}"), address).await?;
        follow_pattern(&db, id, if i % 2 == 0 { "at_once" } else { "daily" }).await?;
        ids.push(id);
    }
    let author = person(&db, "Ama Author", &unique("author")).await?;

    // Three instances, each with its own data folder and search index, sharing the database.
    let mut instances = Vec::new();
    for _ in 0..3 {
        let folder = tempfile_dir()?;
        let folder_text = folder.to_string_lossy().to_string();
        let args = [
            "casebook",
            "--data-dir",
            &folder_text,
            "--site-root",
            &folder_text,
            "--database-url",
            &url,
            "--smtp-url",
            &sink.url,
            "--mail-at-once-seconds",
            "1",
            "--mail-per-hour",
            "1000",
            "--checks",
            "0",
            "--public-url",
            "http://casebook.test",
        ];
        let cli = casebook_server::config::Cli::try_parse_from(args)?;
        let mut config = cli.config;
        config.meili_url = None;
        let state = AppState::new(&config, db.clone(), config.search_engine().await?)?;
        instances.push((Workers::start(&state, &config)?, folder));
    }
    let titles: Vec<String> = (0..10).map(|i| format!("Shared service number {i}")).collect();
    for title in &titles {
        case_studies::create(&db, author, &story(title)).await?;
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    // The daily window is cut once the at-once mail is out: by a command, as an operator might.
    let started = Instant::now();
    let all_sent = || async {
        let owed = notification::Entity::find().filter(notification::Column::UserId.is_in(ids.clone())).all(&db).await?;
        let at_once_done = owed.iter().filter(|n| n.delivery == Delivery::AtOnce).all(|n| n.mail_id.is_some());
        let unsent = mail::Entity::find().filter(mail::Column::State.ne(MailState::Sent)).all(&db).await?;
        Ok::<_, anyhow::Error>((owed.len(), at_once_done, unsent.is_empty()))
    };
    loop {
        let (owed, at_once_done, none_unsent) = all_sent().await?;
        if owed == titles.len() * followers.len() && at_once_done && none_unsent {
            break;
        }
        anyhow::ensure!(started.elapsed() < Duration::from_secs(60), "mail did not go out: {owed} notifications");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let settings = casebook_domain::notifications::MailSettings::new("http://casebook.test", "casebook@casebook.test");
    let cut = notifications::cut(&db, &settings, Delivery::Daily, chrono::Utc::now()).await?;
    anyhow::ensure!(cut.as_ref().is_some_and(|c| c.mails == followers.len() / 2), "one digest for each daily follower: {cut:?}");
    loop {
        let (_, _, none_unsent) = all_sent().await?;
        let daily_done = notification::Entity::find()
            .filter(notification::Column::UserId.is_in(ids.clone()))
            .filter(notification::Column::MailId.is_null())
            .all(&db)
            .await?
            .is_empty();
        if none_unsent && daily_done {
            break;
        }
        let left: Vec<_> = notification::Entity::find().filter(notification::Column::MailId.is_null()).all(&db).await?;
        anyhow::ensure!(started.elapsed() < Duration::from_secs(90), "the digest did not go out: {left:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for (workers, _) in instances.drain(..) {
        workers.stop().await;
    }

    // Counted at the SMTP server: no mail twice, every case study in exactly one mail per follower.
    let mut message_ids = BTreeSet::new();
    let mut total = 0;
    for address in &followers {
        let got = received(&sink, address)?;
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for message in &got {
            let id = header(message, "Message-ID").unwrap_or_default();
            anyhow::ensure!(message_ids.insert(id.clone()), "{id} reached the server twice");
            let text = plain_text(message)?;
            for title in &titles {
                if text.contains(&format!("“{title}”")) {
                    *seen.entry(title).or_default() += 1;
                }
            }
        }
        for title in &titles {
            anyhow::ensure!(
                seen.get(title.as_str()) == Some(&1),
                "{address} got “{title}” {:?} times in {} mails",
                seen.get(title.as_str()),
                got.len()
            );
        }
        total += got.len();
    }
    let sent = mail::Entity::find().filter(mail::Column::UserId.is_in(ids)).all(&db).await?;
    anyhow::ensure!(total == sent.len(), "{total} mails at the server, {} sent", sent.len());
    eprintln!("three instances: {} events, {} mails to {} followers, each event once", titles.len(), total, followers.len());
    drop(db);
    admin.execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)")).await?;
    Ok(())
}
