//! Case study services against real SQLite and PostgreSQL databases.

use crate::support::{edit, make_user, on_both_engines, valid_form};
use casebook_domain::case_studies;
use casebook_domain::entities::{case_study, dataset, event, revision, tag};
use casebook_domain::identity::roles;
use casebook_domain::views::ListFilters;
use casebook_domain::DomainError;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

#[tokio::test]
async fn publish_read_and_list_a_case_study() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = make_user(&db, "Priya Shah").await?;
        let slug = case_studies::create(&db, author, &valid_form("Bin day finder")).await?;
        assert_eq!(slug, "bin-day-finder");

        let view = case_studies::view(&db, &Default::default(), &Default::default(), &slug, None).await?;
        assert_eq!(view.card.title, "Bin day finder");
        assert!(view.body_html.contains("<strong>bin days</strong>"));
        assert_eq!(view.card.patterns.len(), 1);
        assert_eq!(view.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), vec!["bin collection", "uprn"]);
        assert_eq!(view.datasets.len(), 1);
        assert_eq!(view.datasets[0].usage, "Looks up the round for an address");
        assert_eq!(view.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["Priya Shah"]);
        assert_eq!(view.revisions.len(), 1);
        assert_eq!(view.revisions[0].changed, vec!["Created"]);
        assert!(view.published.is_some());
        assert!(!view.can_edit, "readers who are not authors cannot edit");
        assert!(case_studies::view(&db, &Default::default(), &Default::default(), &slug, Some(author)).await?.can_edit);

        let page = case_studies::list(&db, &Default::default(), &Default::default(), &ListFilters::default()).await?;
        assert_eq!(page.total_items, 1);
        assert_eq!(page.items[0].slug, slug);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn same_titles_get_distinct_stable_slugs() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = make_user(&db, "Sam").await?;
        let first = case_studies::create(&db, author, &valid_form("Bus times")).await?;
        let second = case_studies::create(&db, author, &valid_form("Bus times")).await?;
        let reserved = case_studies::create(&db, author, &valid_form("New")).await?;
        assert_eq!((first.as_str(), second.as_str(), reserved.as_str()), ("bus-times", "bus-times-2", "new-2"));

        let mut changes = valid_form("Bus times, renamed");
        changes.summary = "Changed".into();
        let kept = edit(&db, author, &first, &changes).await?;
        assert_eq!(kept, "bus-times", "editing the title keeps the address");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = make_user(&db, "Sam").await?;
        let mut form = valid_form("");
        form.patterns = vec!["not-a-pattern".into()];
        form.dataset_url = vec!["javascript:alert(1)".into()];
        match case_studies::create(&db, author, &form).await {
            Err(DomainError::Invalid(errors)) => {
                assert!(errors.get("title").is_some());
                assert!(errors.get("patterns").is_some());
                assert!(errors.get("dataset_url_1").is_some());
            }
            other => anyhow::bail!("expected field errors, got {other:?}"),
        }
        assert_eq!(case_study::Entity::find().count(&db).await?, 0);
        assert_eq!(revision::Entity::find().count(&db).await?, 0);
        assert_eq!(tag::Entity::find().count(&db).await?, 0);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn only_authors_edit_and_every_edit_keeps_a_revision() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = make_user(&db, "Priya Shah").await?;
        let stranger = make_user(&db, "Someone else").await?;
        let slug = case_studies::create(&db, author, &valid_form("Bin day finder")).await?;

        let mut changes = valid_form("Bin day finder");
        changes.phase = "beta".into();
        changes.tags = "bin collection, recycling".into();
        assert!(matches!(edit(&db, stranger, &slug, &changes).await, Err(DomainError::Forbidden)));
        assert!(matches!(edit(&db, author, "no-such-case-study", &changes).await, Err(DomainError::NotFound)));

        edit(&db, author, &slug, &changes).await?;
        let view = case_studies::view(&db, &Default::default(), &Default::default(), &slug, None).await?;
        assert_eq!(view.card.phase.slug(), "beta");
        assert_eq!(view.revisions.len(), 2);
        assert_eq!(view.revisions[0].number, 2, "newest first");
        assert_eq!(view.revisions[0].changed, vec!["Phase", "Tags"]);
        assert_eq!(view.revisions[0].author, "Priya Shah");

        edit(&db, author, &slug, &changes).await?;
        assert_eq!(
            case_studies::view(&db, &Default::default(), &Default::default(), &slug, None).await?.revisions.len(),
            2,
            "saving without changes is not an edit"
        );

        let snapshot = revision::Entity::find().all(&db).await?.into_iter().last().map(|r| r.snapshot).unwrap_or_default();
        assert!(snapshot.contains("\"phase\":\"beta\""), "each revision keeps the whole version: {snapshot}");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn drafts_are_seen_only_by_their_authors() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = make_user(&db, "Priya Shah").await?;
        let reader = make_user(&db, "Reader").await?;
        let mut form = valid_form("Early discovery notes");
        form.status = "draft".into();
        let slug = case_studies::create(&db, author, &form).await?;

        assert!(matches!(case_studies::view(&db, &Default::default(), &Default::default(), &slug, None).await, Err(DomainError::NotFound)));
        assert!(matches!(
            case_studies::view(&db, &Default::default(), &Default::default(), &slug, Some(reader)).await,
            Err(DomainError::NotFound)
        ));
        let own = case_studies::view(&db, &Default::default(), &Default::default(), &slug, Some(author)).await?;
        assert!(own.published.is_none());
        assert_eq!(case_studies::list(&db, &Default::default(), &Default::default(), &ListFilters::default()).await?.total_items, 0);
        assert!(matches!(case_studies::editor(&db, reader, Some(&slug), None).await, Err(DomainError::Forbidden)));

        form.status = "published".into();
        edit(&db, author, &slug, &form).await?;
        assert!(
            case_studies::view(&db, &Default::default(), &Default::default(), &slug, None).await?.published.is_some(),
            "publishing stamps the date"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn filters_and_pages_narrow_the_list() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = make_user(&db, "Sam").await?;
        for n in 0..12 {
            let mut form = valid_form(&format!("Bus study {n}"));
            form.service_area = "transport".into();
            form.phase = if n % 2 == 0 { "alpha".into() } else { "live".into() };
            form.patterns = vec![if n < 3 { "develop-policy".into() } else { "engage-with-services".into() }];
            form.tags = if n == 5 { "GTFS".into() } else { "buses".into() };
            case_studies::create(&db, author, &form).await?;
        }
        case_studies::create(&db, author, &valid_form("Bin day finder")).await?;

        let all = case_studies::list(&db, &Default::default(), &Default::default(), &ListFilters::default()).await?;
        assert_eq!((all.total_items, all.total_pages, all.items.len()), (13, 2, 10));
        let second =
            case_studies::list(&db, &Default::default(), &Default::default(), &ListFilters { page: Some(2), ..Default::default() }).await?;
        assert_eq!(second.items.len(), 3);
        assert!(second.items.iter().all(|card| !all.items.iter().any(|c| c.slug == card.slug)), "pages do not overlap");

        let count = |filters: ListFilters| {
            let db = db.clone();
            async move { case_studies::list(&db, &Default::default(), &Default::default(), &filters).await.map(|p| p.total_items) }
        };
        assert_eq!(count(ListFilters { service_area: Some("transport".into()), ..Default::default() }).await?, 12);
        assert_eq!(
            count(ListFilters { service_area: Some("transport".into()), phase: Some("alpha".into()), ..Default::default() }).await?,
            6
        );
        assert_eq!(count(ListFilters { pattern: Some("develop-policy".into()), ..Default::default() }).await?, 3);
        assert_eq!(count(ListFilters { tag: Some("gtfs".into()), ..Default::default() }).await?, 1);
        assert_eq!(
            count(ListFilters { tag: Some("Bin Collection".into()), ..Default::default() }).await?,
            1,
            "tags are found as people type them"
        );
        assert_eq!(count(ListFilters { pattern: Some("no-such-pattern".into()), ..Default::default() }).await?, 0);
        assert_eq!(count(ListFilters { organisation: Some("nobody".into()), ..Default::default() }).await?, 0);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn tags_and_datasets_are_shared_not_duplicated() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = make_user(&db, "Sam").await?;
        let mut first = valid_form("First");
        first.tags = "Bin Collection".into();
        let mut second = valid_form("Second");
        second.tags = "bin collection, BIN COLLECTION".into();
        second.dataset_title = vec!["Rounds, renamed".into()];
        case_studies::create(&db, author, &first).await?;
        let original = dataset::Entity::find().one(&db).await?.map(|d| d.title).unwrap_or_default();
        case_studies::create(&db, author, &second).await?;
        assert_eq!(tag::Entity::find().count(&db).await?, 1, "one tag, however it was spelt");
        let datasets = dataset::Entity::find().all(&db).await?;
        assert_eq!(datasets.len(), 1, "the same URL is the same dataset");
        assert_eq!(datasets[0].title, original, "a dataset another case study links keeps its details");

        // An admin may change the shared record, and every case study showing it hears of it.
        let admin = make_user(&db, "Admin").await?;
        roles::grant(&db, admin, roles::Role::Admin, roles::Source::Command).await?;
        let mut third = valid_form("Third");
        third.dataset_title = vec!["Bin rounds (corrected)".into()];
        case_studies::create(&db, admin, &third).await?;
        assert_eq!(dataset::Entity::find().one(&db).await?.map(|d| d.title).as_deref(), Some("Bin rounds (corrected)"));
        let changed = event::Entity::find().filter(event::Column::Kind.eq("dataset.changed")).count(&db).await?;
        assert_eq!(changed, 1, "one event for the shared record");
        Ok(())
    })
    .await
}

/// The form allows a 200-character dataset licence; PostgreSQL's column held 120, so a valid
/// form failed there with "try again in a few minutes".
#[tokio::test]
async fn every_length_the_form_allows_fits_its_column() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = make_user(&db, "Sam").await?;
        let mut form = valid_form(&"T".repeat(casebook_domain::forms::limits::TITLE));
        form.dataset_licence = vec!["L".repeat(casebook_domain::forms::limits::SHORT_TEXT)];
        form.dataset_publisher = vec!["P".repeat(casebook_domain::forms::limits::SHORT_TEXT)];
        form.dataset_title = vec!["D".repeat(casebook_domain::forms::limits::DATASET_TITLE)];
        form.summary = "S".repeat(casebook_domain::forms::limits::SUMMARY);
        form.region = "R".repeat(casebook_domain::forms::limits::REGION);
        form.contact = "C".repeat(casebook_domain::forms::limits::CONTACT);
        let slug = case_studies::create(&db, author, &form).await?;
        let saved = dataset::Entity::find().one(&db).await?.map(|d| d.licence.len());
        assert_eq!(saved, Some(casebook_domain::forms::limits::SHORT_TEXT), "{slug}");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn writers_at_once_all_land_and_related_case_studies_share_links() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = make_user(&db, "Priya Shah").await?;
        // Eight saves at once: on SQLite each transaction waits its turn for the write lock.
        let saves: Vec<_> = (0..8)
            .map(|n| {
                let db = db.clone();
                tokio::spawn(async move { case_studies::create(&db, author, &valid_form(&format!("Bin collection day finder {n}"))).await })
            })
            .collect();
        let mut slugs = Vec::new();
        for save in saves {
            slugs.push(save.await??);
        }
        anyhow::ensure!(slugs.len() == 8, "every save landed");
        let first = case_study::Entity::find().filter(case_study::Column::Slug.eq(&slugs[0])).one(&db).await?.expect("saved");
        let related = casebook_domain::search::related(&db, &first).await?;
        anyhow::ensure!(related.len() == 5, "five alike: {}", related.len());
        anyhow::ensure!(related.iter().all(|c| c.slug != slugs[0] && c.title.starts_with("Bin collection day finder")));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_pattern_page_counts_every_case_study_and_pages_through_them() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let author = make_user(&db, "Priya Shah").await?;
        for n in 0..25 {
            case_studies::create(&db, author, &valid_form(&format!("Street lighting map {n}"))).await?;
        }
        let first =
            casebook_domain::catalogue::pattern(&db, &Default::default(), &Default::default(), "engage-with-services", None).await?;
        anyhow::ensure!(first.subject.case_studies == 25 && first.case_studies.total_items == 25, "every one counted");
        anyhow::ensure!(first.case_studies.items.len() == 10 && first.case_studies.total_pages == 3);
        let last =
            casebook_domain::catalogue::pattern(&db, &Default::default(), &Default::default(), "engage-with-services", Some(3)).await?;
        anyhow::ensure!(last.case_studies.items.len() == 5, "the rest on page 3");
        let tag = casebook_domain::catalogue::tag(&db, &Default::default(), &Default::default(), "uprn", Some(3)).await?;
        anyhow::ensure!(tag.case_studies.total_items == 25 && tag.case_studies.items.len() == 5, "a tag's page reads the same way");
        Ok(())
    })
    .await
}

/// A case study page and the list are kept between requests (`CaseStudyMemory`) only until the event log moves:
/// an edit, or a change to an author's name, shows on the very next read, and who is looking is
/// asked every time.
#[tokio::test]
async fn a_remembered_case_study_shows_every_change_at_once() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let memory = case_studies::CaseStudyMemory::default();
        let author = make_user(&db, "Priya Shah").await?;
        let slug = case_studies::create(&db, author, &valid_form("Bin day finder")).await?;
        for _ in 0..2 {
            let view = case_studies::view(&db, &Default::default(), &memory, &slug, None).await?;
            assert_eq!((view.card.summary.as_str(), view.can_edit), (valid_form("").summary.as_str(), false));
            let listed = case_studies::list(&db, &Default::default(), &memory, &ListFilters::default()).await?;
            assert_eq!(listed.items[0].summary, valid_form("").summary);
        }
        assert!(
            case_studies::view(&db, &Default::default(), &memory, &slug, Some(author)).await?.can_edit,
            "remembered, it still asks who is looking"
        );

        let mut changed = valid_form("Bin day finder");
        changed.summary = "Residents find their bin day from their postcode.".into();
        edit(&db, author, &slug, &changed).await?;
        assert_eq!(case_studies::view(&db, &Default::default(), &memory, &slug, None).await?.card.summary, changed.summary);
        assert_eq!(
            case_studies::list(&db, &Default::default(), &memory, &ListFilters::default()).await?.items[0].summary,
            changed.summary,
            "and so is the list"
        );

        let profile = casebook_domain::forms::ProfileForm { display_name: "Priya Shah-Jones".into(), ..Default::default() };
        casebook_domain::identity::profiles::update_profile(&db, author, &profile).await?;
        let authors = case_studies::view(&db, &Default::default(), &memory, &slug, None).await?.authors;
        assert_eq!(authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["Priya Shah-Jones"]);
        Ok(())
    })
    .await
}
