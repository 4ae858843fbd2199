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

        let listed = case_studies::list(&db, &Default::default(), &Default::default(), &ListFilters::default()).await?;
        assert_eq!(listed.total_items as usize, added);
        assert!(listed.items.iter().all(|card| card.is_demo), "demo content is marked");
        for pattern in catalogue::patterns_with_counts(&db).await? {
            assert!(pattern.case_studies >= 3, "{} has {} case studies", pattern.slug, pattern.case_studies);
        }
        assert!(catalogue::organisations(&db).await?.len() >= 5);
        assert!(casebook_domain::datasets::datasets(&db, None).await?.total_items >= 10);
        let (counts, memory) = (catalogue::CatalogueMemory::default(), case_studies::CaseStudyMemory::default());
        let home = case_studies::home(&db, &Default::default(), &counts, &memory).await?;
        assert_eq!(home.featured.len(), 3);
        assert_eq!(home.latest.len(), 6);

        // Kept counts, and the kept home page, follow the next publish at once.
        let engage = |patterns: &[casebook_domain::views::PatternView]| {
            patterns.iter().find(|p| p.slug == "engage-with-services").map_or(0, |p| p.case_studies)
        };
        let before = engage(&home.patterns);
        assert_eq!(engage(&counts.patterns(&db, &Default::default()).await?), before, "kept");
        let author = crate::support::make_user(&db, "Priya Shah").await?;
        case_studies::create(&db, author, &crate::support::valid_form("Bin collection day finder")).await?;
        let home = case_studies::home(&db, &Default::default(), &counts, &memory).await?;
        assert_eq!(engage(&home.patterns), before + 1, "counted again after the publish");
        assert_eq!(home.latest[0].title, "Bin collection day finder", "the newest comes first at once");
        assert!(identity::personas(&db).await?.len() >= 3);
        Ok(())
    })
    .await
}
