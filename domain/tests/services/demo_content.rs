//! Demo content against real SQLite and PostgreSQL databases.

use crate::support::on_both_engines;
use casebook_domain::views::ListFilters;
use casebook_domain::{case_studies, catalogue, demo, identity};

#[tokio::test]
async fn demo_content_loads_once_and_covers_every_pattern() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let added = demo::seed(&db).await?;
        assert!(added >= 24, "at least 24 demo case studies, got {added}");
        assert_eq!(demo::seed(&db).await?, 0, "loading twice changes nothing");

        let listed = case_studies::list(&db, &ListFilters::default()).await?;
        assert_eq!(listed.total_items as usize, added);
        assert!(listed.items.iter().all(|card| card.is_demo), "demo content is marked");
        for pattern in catalogue::patterns_with_counts(&db).await? {
            assert!(pattern.case_studies >= 3, "{} has {} case studies", pattern.slug, pattern.case_studies);
        }
        assert!(catalogue::organisations(&db).await?.len() >= 5);
        assert!(casebook_domain::datasets::datasets(&db).await?.len() >= 10);
        let home = case_studies::home(&db).await?;
        assert_eq!(home.featured.len(), 3);
        assert_eq!(home.latest.len(), 6);
        assert!(identity::personas(&db).await?.len() >= 3);
        Ok(())
    })
    .await
}
