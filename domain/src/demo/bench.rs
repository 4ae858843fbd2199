//! A network and a collection at benchmark size, over the synthetic case studies: never on a
//! real service. The rows are written in bulk, as the demo's services would take minutes.
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{case_study, collection, collection_item, collection_network, network, submission, user};
use crate::forms::NetworkForm;
use crate::vocabulary::{CollectionStatus, MembershipState, NetworkRole, Status, SubmissionState};
use crate::{networks, DomainError};

pub const NETWORK: &str = "bench-network";
pub const COLLECTION: &str = "bench-collection";

/// `bench-network` with `approved` published case studies approved in it, and `bench-collection`
/// (owned by it) holding `items` of them. Returns how many of each it made.
pub async fn seed_bench_network(db: &DatabaseConnection, approved: u64, items: u64) -> Result<(usize, usize), DomainError> {
    let form = NetworkForm {
        name: "Benchmark network".into(),
        slug: NETWORK.into(),
        description: "A network at benchmark size.".into(),
        join_policy: "open".into(),
        review_policy: "every".into(),
        ..Default::default()
    };
    networks::create(db, None, &form).await?;
    let n = network::Entity::find().filter(network::Column::Slug.eq(NETWORK)).one(db).await?.ok_or(DomainError::NotFound)?;
    let now = Utc::now();
    let organiser = user::Entity::insert(super::demo_person("Bench Organiser", "", now)).exec(db).await?.last_insert_id;
    networks::set_membership(db, NETWORK, organiser, NetworkRole::Organiser, MembershipState::Active).await?;
    let ids: Vec<(i32, String)> = case_study::Entity::find()
        .select_only()
        .column(case_study::Column::Id)
        .column(case_study::Column::Title)
        .filter(case_study::Column::Status.eq(Status::Published))
        .order_by_desc(case_study::Column::Id)
        .limit(approved.max(items))
        .into_tuple()
        .all(db)
        .await?;
    let rows: Vec<submission::ActiveModel> = ids
        .iter()
        .take(approved as usize)
        .map(|(id, _)| submission::ActiveModel {
            network_id: Set(n.id),
            case_study_id: Set(*id),
            submitted_by: Set(Some(organiser)),
            state: Set(SubmissionState::Approved),
            reason: Set(None),
            decided_by: Set(Some(organiser)),
            decided_at: Set(Some(now)),
            approved_version: Set(Some(1)),
            hidden: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        submission::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    let id = collection::Entity::insert(collection::ActiveModel {
        slug: Set(COLLECTION.into()),
        title: Set("Benchmark collection".into()),
        introduction: Set("A collection at benchmark size.".into()),
        status: Set(CollectionStatus::Published),
        featured: Set(true),
        version: Set(1),
        is_demo: Set(true),
        created_by: Set(Some(organiser)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?
    .last_insert_id;
    collection_network::Entity::insert(collection_network::ActiveModel { collection_id: Set(id), network_id: Set(n.id) }).exec(db).await?;
    let entries: Vec<collection_item::ActiveModel> = ids
        .iter()
        .take(items as usize)
        .enumerate()
        .map(|(position, (case_study_id, title))| collection_item::ActiveModel {
            collection_id: Set(id),
            case_study_id: Set(Some(*case_study_id)),
            position: Set(position as i32 + 1),
            note: Set(format!("Why number {} is here.", position + 1)),
            title: Set(title.clone()),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in entries.chunks(500) {
        collection_item::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    Ok((rows.len(), entries.len()))
}

/// Adds a dataset row for each of these addresses that has none, unchecked and linked to no
/// case study: the dataset resolution benchmark checks them. Returns how many it added.
pub async fn seed_bench_datasets(db: &DatabaseConnection, urls: &[String]) -> Result<usize, DomainError> {
    use crate::entities::dataset;
    let now = Utc::now();
    let mut added = 0;
    for chunk in urls.chunks(500) {
        let rows = chunk.iter().map(|url| dataset::ActiveModel {
            title: Set(String::new()),
            url: Set(url.clone()),
            publisher: Set(String::new()),
            licence: Set(String::new()),
            format: Set(String::new()),
            created_at: Set(now),
            ..Default::default()
        });
        let inserted =
            dataset::Entity::insert_many(rows).on_conflict_do_nothing_on([dataset::Column::Url]).exec_without_returning(db).await?;
        if let sea_orm::TryInsertResult::Inserted(n) = inserted {
            added += n as usize;
        }
    }
    Ok(added)
}

/// `count` people, each with an address at a reserved domain, following `pattern` with mail at
/// once: the notifications benchmark's audience. Returns how many it made.
pub async fn seed_bench_followers(db: &DatabaseConnection, count: u32, pattern: &str) -> Result<u32, DomainError> {
    use crate::entities::follow;
    use crate::vocabulary::{Delivery, FollowLevel, FollowTarget};
    crate::notifications::find(db, FollowTarget::Pattern, pattern).await?;
    let now = Utc::now();
    let txn = crate::db::begin(db).await?;
    for start in (0..count).step_by(500) {
        let people: Vec<user::ActiveModel> = (start..(start + 500).min(count))
            .map(|n| user::ActiveModel {
                email: Set(Some(format!("bench-follower-{n}@bench.casebook.example"))),
                ..super::demo_person(&format!("Bench Follower {n}"), "", now)
            })
            .collect();
        user::Entity::insert_many(people).exec(&txn).await?;
    }
    let ids: Vec<i32> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::DisplayName.starts_with("Bench Follower "))
        .into_tuple()
        .all(&txn)
        .await?;
    for chunk in ids.chunks(500) {
        let follows = chunk.iter().map(|&user_id| follow::ActiveModel {
            user_id: Set(user_id),
            target: Set(FollowTarget::Pattern),
            target_key: Set(pattern.to_string()),
            level: Set(FollowLevel::Everything),
            delivery: Set(Delivery::AtOnce),
            automatic: Set(false),
            created_at: Set(now),
            ..Default::default()
        });
        follow::Entity::insert_many(follows).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(count)
}
