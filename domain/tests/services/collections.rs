//! Collections against real SQLite and PostgreSQL: curating, the order and its limits, two
//! curators at once, a place kept for a case study that goes, and a thousand items.

use casebook_domain::entities::{case_study, collection_item};
use casebook_domain::forms::{CollectionForm, ItemForm, NetworkForm};
use casebook_domain::{case_studies, collections, networks, DomainError};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::support::{edit, make_user, on_both_engines, valid_form};

/// A network organised by a new curator, and a published collection it owns; (curator, slug).
async fn curated(db: &DatabaseConnection, name: &str) -> anyhow::Result<(i32, String)> {
    let curator = make_user(db, &format!("{name} Curator")).await?;
    let network = format!("{name}-network").to_lowercase();
    let form = NetworkForm {
        name: format!("{name} network"),
        slug: network.clone(),
        join_policy: "open".into(),
        review_policy: "every".into(),
        ..Default::default()
    };
    networks::create(db, None, &form).await?;
    networks::add_organiser(db, &network, &curator.to_string()).await?;
    let form = CollectionForm {
        title: format!("{name} reading list"),
        introduction: "Read these in order.".into(),
        status: "published".into(),
        networks: vec![network],
        ..Default::default()
    };
    Ok((curator, collections::create(db, curator, &form).await?))
}

fn add(case_study: &str, note: &str) -> ItemForm {
    ItemForm { action: "add".into(), case_study: case_study.into(), note: note.into(), ..Default::default() }
}

fn change(action: &str, item: i32, version: i32) -> ItemForm {
    ItemForm { action: action.into(), item: Some(item), version: Some(version), ..Default::default() }
}

/// The collection's items, in order: (item id, position, case study id).
async fn items(db: &DatabaseConnection, slug: &str) -> anyhow::Result<Vec<(i32, i32, Option<i32>)>> {
    let view = collections::view(db, None, slug, None).await?;
    let id = casebook_domain::entities::collection::Entity::find()
        .filter(casebook_domain::entities::collection::Column::Slug.eq(slug))
        .one(db)
        .await?
        .map_or(0, |c| c.id);
    let rows = collection_item::Entity::find()
        .filter(collection_item::Column::CollectionId.eq(id))
        .order_by_asc(collection_item::Column::Position)
        .all(db)
        .await?;
    anyhow::ensure!(view.items.total_items as usize == rows.len());
    Ok(rows.into_iter().map(|r| (r.id, r.position, r.case_study_id)).collect())
}

async fn version(db: &DatabaseConnection, slug: &str) -> anyhow::Result<i32> {
    Ok(collections::version_of(db, slug).await?)
}

#[tokio::test]
async fn curators_add_annotate_and_reorder_and_others_are_refused() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let (curator, slug) = curated(&db, "Order").await?;
        let outsider = make_user(&db, "Not A Curator").await?;
        let mut studies = Vec::new();
        for n in 1..=3 {
            studies.push(case_studies::create(&db, outsider, &valid_form(&format!("Ordered case study {n}"))).await?);
        }
        assert!(matches!(collections::change_items(&db, outsider, &slug, &add(&studies[0], "")).await, Err(DomainError::Forbidden)));
        for study in &studies {
            collections::change_items(&db, curator, &slug, &add(study, "Read this one.")).await?;
        }
        assert!(
            matches!(collections::change_items(&db, curator, &slug, &add(&studies[0], "")).await, Err(DomainError::Conflict(_))),
            "once each"
        );
        let long = ItemForm { note: "n".repeat(1001), ..add(&studies[1], "") };
        assert!(matches!(collections::change_items(&db, curator, &slug, &long).await, Err(DomainError::Invalid(_))), "a note has a limit");

        let before = items(&db, &slug).await?;
        let (first, third) = (before[0].0, before[2].0);
        let v = version(&db, &slug).await?;
        collections::change_items(&db, curator, &slug, &ItemForm { position: "1".into(), ..change("to", third, v) }).await?;
        let v = version(&db, &slug).await?;
        collections::change_items(&db, curator, &slug, &change("down", first, v)).await?;
        let after = items(&db, &slug).await?;
        assert_eq!(after.iter().map(|i| i.0).collect::<Vec<_>>(), [third, before[1].0, first]);
        assert_eq!(after.iter().map(|i| i.1).collect::<Vec<_>>(), [1, 2, 3]);

        // An edit made from an older version is refused and changes nothing.
        let stale = collections::change_items(&db, curator, &slug, &change("up", first, v)).await;
        assert!(matches!(stale, Err(DomainError::Conflict(_))), "{stale:?}");
        assert_eq!(items(&db, &slug).await?, after);
        let bad = ItemForm { position: "9".into(), ..change("to", first, version(&db, &slug).await?) };
        assert!(matches!(collections::change_items(&db, curator, &slug, &bad).await, Err(DomainError::Invalid(_))));
        assert_eq!(items(&db, &slug).await?, after);

        // An archived case study keeps its place, marked as no longer available.
        let archived = casebook_domain::forms::CaseStudyForm { status: "archived".into(), ..valid_form("Ordered case study 3") };
        edit(&db, outsider, &studies[2], &archived).await?;
        let view = collections::view(&db, None, &slug, None).await?;
        assert_eq!(view.items.items.len(), 3);
        assert!(view.items.items[0].card.is_none() && view.items.items[0].title == "Ordered case study 3");
        // A deleted one too.
        case_study::Entity::delete_many().filter(case_study::Column::Slug.eq(&studies[0])).exec(&db).await?;
        let view = collections::view(&db, None, &slug, None).await?;
        assert_eq!(view.items.items[2].card, None);
        assert_eq!(view.items.items[2].title, "Ordered case study 1");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn two_curators_reordering_at_once_lose_no_item_and_keep_positions_dense() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let (curator, slug) = curated(&db, "Race").await?;
        let other = make_user(&db, "Second Curator").await?;
        let network = "race-network";
        networks::join(&db, other, network).await?;
        networks::manage(
            &db,
            curator,
            network,
            &casebook_domain::forms::MemberForm { action: "role".into(), user: Some(other), role: "organiser".into(), who: String::new() },
        )
        .await?;
        for n in 0..12 {
            let study = case_studies::create(&db, curator, &valid_form(&format!("Raced case study {n}"))).await?;
            collections::change_items(&db, curator, &slug, &add(&study, "")).await?;
        }
        let race = |who: i32, seed: usize| {
            let (db, slug) = (db.clone(), slug.clone());
            tokio::spawn(async move {
                let (mut done, mut refused) = (0, 0);
                for round in 0..25 {
                    // Each curator acts on what they last saw; a stale view is refused, then reloaded.
                    let v = collections::version_of(&db, &slug).await?;
                    let seen = collections::view(&db, Some(who), &slug, None).await?;
                    let item = seen.items.items[(round * 7 + seed) % seen.items.items.len()].item_id;
                    let form = match round % 3 {
                        0 => ItemForm { position: ((round + seed) % 12 + 1).to_string(), ..change("to", item, v) },
                        1 => change("up", item, v),
                        _ => change("down", item, v),
                    };
                    match collections::change_items(&db, who, &slug, &form).await {
                        Ok(()) => done += 1,
                        Err(DomainError::Conflict(_)) => refused += 1,
                        Err(other) => return Err(anyhow::anyhow!(other)),
                    }
                }
                Ok::<_, anyhow::Error>((done, refused))
            })
        };
        let (a, b) = (race(curator, 1), race(other, 4));
        let (a, b) = (a.await??, b.await??);
        assert!(a.0 + b.0 > 0, "some moves were made");
        let after = items(&db, &slug).await?;
        assert_eq!(after.len(), 12, "no item lost or doubled");
        assert_eq!(after.iter().map(|i| i.1).collect::<Vec<_>>(), (1..=12).collect::<Vec<_>>(), "positions dense");
        let mut studies: Vec<_> = after.iter().map(|i| i.2).collect();
        studies.sort();
        studies.dedup();
        assert_eq!(studies.len(), 12);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_collection_of_a_thousand_items_pages_and_reorders() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let (curator, slug) = curated(&db, "Large").await?;
        casebook_domain::demo::seed_synthetic(&db, 1000).await?;
        let collection = casebook_domain::entities::collection::Entity::find()
            .filter(casebook_domain::entities::collection::Column::Slug.eq(&slug))
            .one(&db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no collection"))?;
        let studies = case_study::Entity::find().order_by_asc(case_study::Column::Id).all(&db).await?;
        let rows = studies.iter().enumerate().map(|(n, s)| collection_item::ActiveModel {
            collection_id: Set(collection.id),
            case_study_id: Set(Some(s.id)),
            position: Set(n as i32 + 1),
            note: Set(String::new()),
            title: Set(s.title.clone()),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        });
        for chunk in rows.collect::<Vec<_>>().chunks(200) {
            collection_item::Entity::insert_many(chunk.to_vec()).exec(&db).await?;
        }
        let last_page = collections::view(&db, None, &slug, Some(20)).await?;
        assert_eq!((last_page.items.total_items, last_page.items.total_pages, last_page.items.items.len()), (1000, 20, 50));
        let last = last_page.items.items[49].item_id;
        collections::change_items(&db, curator, &slug, &ItemForm { position: "1".into(), ..change("to", last, collection.version) })
            .await?;
        let first_page = collections::view(&db, None, &slug, None).await?;
        assert_eq!(first_page.items.items[0].item_id, last);
        let positions: Vec<i32> = items(&db, &slug).await?.iter().map(|i| i.1).collect();
        assert_eq!(positions, (1..=1000).collect::<Vec<_>>());
        Ok(())
    })
    .await
}
