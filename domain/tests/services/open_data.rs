//! The bulk dumps on both databases: the worker writes them, and a change reaches them within
//! its interval.
use std::time::{Duration, Instant};

use casebook_domain::case_studies;
use casebook_domain::open_data::{Dumps, KeepDumpsCurrent};
use casebook_domain::workers::{self, CancellationToken};

use crate::support::{make_user, on_both_engines, valid_form};

async fn dumped_titles(dumps: &Dumps) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(dumps.path(casebook_domain::open_data::JSON))?;
    let records: Vec<serde_json::Value> = serde_json::from_str(&text)?;
    Ok(records.iter().filter_map(|r| r["title"].as_str().map(str::to_string)).collect())
}

#[tokio::test]
async fn a_published_change_reaches_the_dumps_within_the_interval() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let dir = std::env::temp_dir().join(format!("casebook-dumps-{}", casebook_domain::identity::random_token()));
        let dumps = Dumps::new(&dir, "https://casebook.example");
        let author = make_user(&db, "Dumped Author").await?;
        case_studies::create(&db, author, &valid_form("First in the dump")).await?;
        let stop = CancellationToken::new();
        let job = KeepDumpsCurrent { dumps: dumps.clone(), db: db.clone() };
        let worker = tokio::spawn(workers::repeat(job, Duration::from_millis(100), stop.clone()));
        let started = Instant::now();
        while dumps.position().is_none() {
            anyhow::ensure!(started.elapsed() < Duration::from_secs(10), "the worker never wrote the dumps");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(dumped_titles(&dumps).await?, ["First in the dump"]);

        let mut draft = valid_form("Second, a draft");
        draft.status = "draft".into();
        case_studies::create(&db, author, &draft).await?;
        case_studies::create(&db, author, &valid_form("Third, published")).await?;
        let started = Instant::now();
        loop {
            let titles = dumped_titles(&dumps).await?;
            if titles.len() == 2 {
                assert_eq!(titles, ["First in the dump", "Third, published"], "drafts never reach the dumps");
                break;
            }
            anyhow::ensure!(started.elapsed() < Duration::from_secs(10), "the change did not reach the dumps: {titles:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        stop.cancel();
        worker.await?;
        let csv = std::fs::read_to_string(dumps.path(casebook_domain::open_data::CSV))?;
        assert_eq!(csv::Reader::from_reader(csv.as_bytes()).records().count(), 2);
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    })
    .await
}
