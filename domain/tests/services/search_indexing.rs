//! Keeping the search index in step with the database, on real SQLite and PostgreSQL with the
//! real embedded engine: the index's cursor in the event log, its retries and leases, restarts,
//! and what must never be found.

use std::path::PathBuf;
use std::time::Duration;

use crate::support::{edit, make_user, on_both_engines, valid_form};
use casebook_domain::case_studies;
use casebook_domain::events::{Consumer, ConsumerOptions};
use casebook_domain::identity::profiles;
use casebook_domain::search::{self, EngineQuery, Freshness, Indexer, SearchEngine};
use casebook_domain::workers::{self, Pace, Round};
use casebook_domain::DomainError;
use sea_orm::{DatabaseConnection, EntityTrait};

fn options() -> Pace {
    Pace {
        consumer: ConsumerOptions {
            // Long enough that "not retried before its backoff" holds on a slow machine.
            backoff: Duration::from_millis(300),
            max_backoff: Duration::from_millis(600),
            ..ConsumerOptions::default()
        },
        ..Pace::default()
    }
}

/// The index's cursor as one instance works it.
fn instance(engine: &SearchEngine, name: &str) -> Consumer {
    Consumer::new(search::cursor(engine), name, options().consumer)
}

/// One round of the indexer, as the run loop takes it.
async fn work_once(db: &DatabaseConnection, engine: &SearchEngine) -> anyhow::Result<Round> {
    work_with(db, engine, &instance(engine, "test")).await
}

async fn work_with(db: &DatabaseConnection, engine: &SearchEngine, consumer: &Consumer) -> anyhow::Result<Round> {
    Ok(workers::round(db, &Indexer { engine: engine.clone() }, consumer, options().batch).await?)
}

fn index_folder() -> PathBuf {
    std::env::temp_dir().join(format!("casebook-outbox-{}-{}", std::process::id(), rand::random::<u64>()))
}

/// Slugs of the indexed case studies that match `text`.
async fn found(engine: &SearchEngine, db: &DatabaseConnection, text: &str) -> anyhow::Result<Vec<String>> {
    let query = EngineQuery { text: text.to_string(), page: 1, per_page: 50, ..Default::default() };
    let ids: Vec<i32> = engine.search(&query).await?.hits.into_iter().map(|h| h.id).collect();
    let mut slugs = Vec::new();
    for id in ids {
        let model = casebook_domain::entities::case_study::Entity::find_by_id(id).one(db).await?;
        slugs.push(model.map_or_else(|| format!("deleted #{id}"), |m| m.slug));
    }
    Ok(slugs)
}

/// Follows the event log until nothing is due.
async fn drain(db: &DatabaseConnection, engine: &SearchEngine) -> anyhow::Result<()> {
    drain_with(db, engine, &instance(engine, "test")).await
}

#[tokio::test]
async fn publishing_while_the_index_is_locked_loses_nothing() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let folder = index_folder();
        let engine = SearchEngine::embedded(&folder)?;
        // Another process holds the index: here a rebuild, as `casebook reindex` would.
        let other = SearchEngine::embedded(&folder)?;
        let holding = other.rebuild().await?;

        let author = make_user(&db, "Priya Shah").await?;
        let slug = case_studies::create(&db, author, &valid_form("Gritting routes live map")).await?;
        let round = work_once(&db, &engine).await?;
        anyhow::ensure!(
            matches!(round, Round::Failed(DomainError::Search(search::SearchError::Busy))),
            "the busy index refused: {round:?}"
        );
        let cursor = instance(&engine, "test").state(&db).await?.ok_or_else(|| anyhow::anyhow!("no cursor"))?;
        anyhow::ensure!(cursor.position == 0 && cursor.attempts == 1, "the change waits, one attempt made: {cursor:?}");
        anyhow::ensure!(cursor.last_error.as_deref().is_some_and(|e| e.contains("in use")), "the cause is kept: {cursor:?}");
        anyhow::ensure!(search::pending(&db, &engine).await? == 2, "created and published, both waiting");
        anyhow::ensure!(matches!(work_once(&db, &engine).await?, Round::Idle), "nothing is retried before its backoff");

        drop(holding);
        tokio::time::sleep(Duration::from_millis(350)).await;
        drain(&db, &engine).await?;
        anyhow::ensure!(found(&engine, &db, "gritting").await? == [slug], "indexed once the index was free");
        anyhow::ensure!(search::pending(&db, &engine).await? == 0, "the cursor has caught up");
        std::fs::remove_dir_all(folder).ok();
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_change_committed_before_a_crash_is_indexed_after_restart() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let folder = index_folder();
        let author = make_user(&db, "Priya Shah").await?;
        let slug = {
            let engine = SearchEngine::embedded(&folder)?;
            let slug = case_studies::create(&db, author, &valid_form("Bin collection day finder")).await?;
            drain(&db, &engine).await?;
            let mut form = valid_form("Bin collection day finder");
            form.summary = "Residents check collection days, including for bulky waste.".to_string();
            edit(&db, author, &slug, &form).await?;
            // The process stops here: the edit is committed, with its event, but not indexed.
            slug
        };
        let engine = SearchEngine::embedded(&folder)?;
        anyhow::ensure!(found(&engine, &db, "bulky").await?.is_empty(), "not indexed before the restart");
        let freshness = search::ensure_fresh(&db, &engine).await?;
        anyhow::ensure!(matches!(freshness, Freshness::Fresh), "a whole index with changes pending is not rebuilt: {freshness:?}");
        drain(&db, &engine).await?;
        anyhow::ensure!(found(&engine, &db, "bulky").await? == [slug], "the worker applied the edit after restart");
        std::fs::remove_dir_all(folder).ok();
        Ok(())
    })
    .await
}

#[tokio::test]
async fn drafts_archived_and_deleted_case_studies_are_never_found() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let folder = index_folder();
        let engine = SearchEngine::embedded(&folder)?;
        let author = make_user(&db, "Sam Okafor").await?;
        let mut form = valid_form("Pothole reporting with photos");
        form.status = "draft".to_string();
        let slug = case_studies::create(&db, author, &form).await?;
        drain(&db, &engine).await?;
        anyhow::ensure!(found(&engine, &db, "pothole").await?.is_empty(), "a draft is not indexed");

        form.status = "published".to_string();
        edit(&db, author, &slug, &form).await?;
        drain(&db, &engine).await?;
        anyhow::ensure!(found(&engine, &db, "pothole").await? == [slug.clone()], "published, it is found");

        form.status = "archived".to_string();
        edit(&db, author, &slug, &form).await?;
        drain(&db, &engine).await?;
        anyhow::ensure!(found(&engine, &db, "pothole").await?.is_empty(), "archived, it is gone");

        form.status = "published".to_string();
        edit(&db, author, &slug, &form).await?;
        drain(&db, &engine).await?;
        profiles::delete_account(&db, author, true).await?;
        drain(&db, &engine).await?;
        anyhow::ensure!(found(&engine, &db, "pothole").await?.is_empty(), "deleted with its author's account, it is gone");
        anyhow::ensure!(engine.count().await? == 0, "nothing is left in the index");
        std::fs::remove_dir_all(folder).ok();
        Ok(())
    })
    .await
}

#[tokio::test]
async fn reindex_and_start_up_rebuild_from_the_database() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let folder = index_folder();
        let author = make_user(&db, "Alex Morgan").await?;
        for title in ["Bus stop finder", "School places checker", "Flood alerts by text"] {
            case_studies::create(&db, author, &valid_form(title)).await?;
        }
        let mut draft = valid_form("Unfinished draft");
        draft.status = "draft".to_string();
        case_studies::create(&db, author, &draft).await?;

        let engine = SearchEngine::embedded(&folder)?;
        match search::ensure_fresh(&db, &engine).await? {
            Freshness::Rebuilt(done) => anyhow::ensure!(done.documents == 3, "three published: {done:?}"),
            Freshness::Fresh => anyhow::bail!("an empty index with published case studies must be rebuilt"),
        }
        anyhow::ensure!(engine.count().await? == 3, "the index holds the published three");
        anyhow::ensure!(found(&engine, &db, "unfinished").await?.is_empty(), "not the draft");
        let again = search::reindex(&db, &engine).await?;
        anyhow::ensure!(again.documents == 3 && engine.count().await? == 3, "reindexing replaces, never duplicates");
        std::fs::remove_dir_all(folder).ok();
        Ok(())
    })
    .await
}

/// A TCP relay to the Meilisearch server that can be cut and restored, so the server seems to
/// go down and come back while the test runs.
struct Relay {
    address: std::net::SocketAddr,
    target: String,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Relay {
    async fn start(target: &str) -> anyhow::Result<Relay> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let mut relay = Relay { address: listener.local_addr()?, target: target.to_string(), task: None };
        relay.serve(listener);
        Ok(relay)
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let target = self.target.clone();
        self.task = Some(tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                connections.spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        }));
    }

    /// Refuses connections and drops the open ones.
    fn cut(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }

    async fn restore(&mut self) -> anyhow::Result<()> {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let listener = tokio::net::TcpListener::bind(self.address).await?;
        self.serve(listener);
        Ok(())
    }
}

#[tokio::test]
async fn publishing_while_meilisearch_is_down_loses_nothing() -> anyhow::Result<()> {
    let Some(url) = std::env::var("MEILI_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("SKIPPED: Meilisearch indexing test: MEILI_URL is not set");
        return Ok(());
    };
    let key = std::env::var("MEILI_MASTER_KEY").ok();
    let target = url.trim_start_matches("http://").trim_end_matches('/').to_string();
    on_both_engines(|db| {
        let (key, target) = (key.clone(), target.clone());
        async move {
            let mut relay = Relay::start(&target).await?;
            let prefix = format!("casebook_indexing_test_{}", rand::random::<u32>());
            let engine = SearchEngine::meilisearch(&format!("http://{}", relay.address), key.as_deref(), &prefix).await?;
            let author = make_user(&db, "Robin Patel").await?;
            relay.cut();
            let slug = case_studies::create(&db, author, &valid_form("Streetlight fault reporting")).await?;
            let round = work_once(&db, &engine).await?;
            anyhow::ensure!(
                matches!(round, Round::Failed(DomainError::Search(search::SearchError::Meilisearch(_)))),
                "Meilisearch is down: {round:?}"
            );
            anyhow::ensure!(search::pending(&db, &engine).await? == 2, "the change waits in the event log");
            relay.restore().await?;
            tokio::time::sleep(Duration::from_millis(350)).await;
            drain(&db, &engine).await?;
            anyhow::ensure!(found(&engine, &db, "streetlight").await? == [slug], "indexed once Meilisearch is back");
            Ok(())
        }
    })
    .await
}

/// The ordering race of the old per-row outbox: two instances each took a different change to
/// the same case study, and the slower one could write the older state last. The cursor is one
/// lease: while one instance holds it the other does nothing, and an instance whose lease ran
/// out cannot move the cursor.
#[tokio::test]
async fn one_instance_at_a_time_follows_the_log_so_an_older_state_never_lands_last() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let folder = index_folder();
        let engine = SearchEngine::embedded(&folder)?;
        let author = make_user(&db, "Priya Shah").await?;
        let slug = case_studies::create(&db, author, &valid_form("Winter gritting routes")).await?;

        // Long enough for the edit below on a slow machine; the test then waits it out.
        let lease = Duration::from_secs(3);
        let slow = Consumer::new(search::cursor(&engine), "slow instance", ConsumerOptions { lease, ..options().consumer });
        let quick = instance(&engine, "quick instance");
        let held = slow.claim(&db).await?.ok_or_else(|| anyhow::anyhow!("the free cursor is taken"))?;
        let claimed = std::time::Instant::now();
        let mut form = valid_form("Winter gritting routes");
        form.summary = "Routes and times for salt spreading, updated live by the depots.".to_string();
        edit(&db, author, &slug, &form).await?;
        let round = work_with(&db, &engine, &quick).await?;
        anyhow::ensure!(matches!(round, Round::Idle), "the other instance waits while the cursor is held: {round:?}");

        tokio::time::sleep((lease + Duration::from_millis(100)).saturating_sub(claimed.elapsed())).await;
        drain_with(&db, &engine, &quick).await?;
        anyhow::ensure!(found(&engine, &db, "salt").await? == [slug.clone()], "the newest state is indexed");
        anyhow::ensure!(!slow.advance(&db, held.position).await?, "the slow instance's lease is gone: it moves nothing");
        anyhow::ensure!(search::pending(&db, &engine).await? == 0, "and the cursor did not go back");
        std::fs::remove_dir_all(folder).ok();
        Ok(())
    })
    .await
}

async fn drain_with(db: &DatabaseConnection, engine: &SearchEngine, consumer: &Consumer) -> anyhow::Result<()> {
    loop {
        match work_with(db, engine, consumer).await? {
            Round::Idle => return Ok(()),
            Round::Handled(_) => {}
            Round::Failed(error) => anyhow::bail!("indexing failed: {error}"),
        }
    }
}

#[tokio::test]
async fn the_log_and_the_index_positions_move_with_every_change_pages_show() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let folder = index_folder();
        let engine = SearchEngine::embedded(&folder)?;
        let name = instance(&engine, "test").name;
        let (log, index) = casebook_domain::events::positions(&db, &name).await?;
        anyhow::ensure!((log, index) == (0, 0), "nothing yet: {log}, {index}");
        let author = make_user(&db, "Priya Shah").await?;
        case_studies::create(&db, author, &valid_form("Bin collection day finder")).await?;
        let (log, index) = casebook_domain::events::positions(&db, &name).await?;
        anyhow::ensure!(log > 0 && index == 0, "the log moved, the index not yet: {log}, {index}");
        drain(&db, &engine).await?;
        anyhow::ensure!(casebook_domain::events::positions(&db, &name).await? == (log, log), "the index caught up");

        // A profile change is an event pages follow; neither the downloads nor search hold people,
        // so neither follows it.
        let form = casebook_domain::forms::ProfileForm { display_name: "Priya Shah-Jones".to_string(), ..Default::default() };
        profiles::update_profile(&db, author, &form).await?;
        let (moved, _) = casebook_domain::events::positions(&db, &name).await?;
        anyhow::ensure!(moved > log, "a profile change moves the log");
        anyhow::ensure!(casebook_domain::events::newest_record_change(&db).await? < moved, "no record changes with a profile");
        drain(&db, &engine).await?;
        anyhow::ensure!(casebook_domain::events::positions(&db, &name).await? == (moved, moved));
        std::fs::remove_dir_all(folder).ok();
        Ok(())
    })
    .await
}
