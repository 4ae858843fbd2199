//! The demo networks, their members, submissions and decisions, and collections. Loaded through
//! the same services people use, so the demo follows the rules: a submission an organiser's
//! policy trusts is approved at once, the others wait for the decision the content gives.
use std::collections::HashMap;

use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Deserialize;

use super::DemoError;
use crate::entities::{case_study, collection, collection_network, network, submission, user};
use crate::forms::{CollectionForm, DecisionForm, ItemForm, NetworkForm, SubmitForm};
use crate::networks::set_membership;
use crate::vocabulary::{MembershipState, NetworkRole, SubmissionState};
use crate::{collections, networks, DomainError};

#[derive(Deserialize)]
pub(super) struct DemoNetwork {
    slug: String,
    name: String,
    description: String,
    website: String,
    join_policy: String,
    review_policy: String,
    trusted_after: i32,
    organisers: Vec<String>,
    reviewers: Vec<String>,
    members: Vec<String>,
    requests: Vec<String>,
}

#[derive(Deserialize)]
pub(super) struct DemoSubmission {
    network: String,
    case_study: String,
    by: String,
    decision: Option<String>,
    #[serde(default)]
    decided_by: Option<String>,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
pub(super) struct DemoCollection {
    slug: String,
    title: String,
    curator: String,
    networks: Vec<String>,
    status: String,
    featured: bool,
    introduction: String,
    /// (case study title, curator's note), in order.
    items: Vec<(String, String)>,
}

fn malformed(what: impl Into<String>) -> DemoError {
    DemoError::Malformed(what.into())
}

/// Loads the demo networks unless there are some already.
pub(super) async fn seed(
    db: &DatabaseConnection,
    demo_networks: &[DemoNetwork],
    submissions: &[DemoSubmission],
    demo_collections: &[DemoCollection],
    personas: &HashMap<String, String>,
) -> Result<(), DemoError> {
    if network::Entity::find().filter(network::Column::IsDemo.eq(true)).count(db).await? > 0 {
        return Ok(());
    }
    // Demo people by their key, through their display name.
    let people: HashMap<String, i32> = user::Entity::find()
        .filter(user::Column::IsDemo.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|u| personas.iter().find(|(_, name)| **name == u.display_name).map(|(key, _)| (key.clone(), u.id)))
        .collect();
    let person = |key: &str| people.get(key).copied().ok_or_else(|| malformed(format!("unknown demo person {key}")));

    for n in demo_networks {
        let form = NetworkForm {
            name: n.name.clone(),
            slug: n.slug.clone(),
            description: n.description.clone(),
            website: n.website.clone(),
            join_policy: n.join_policy.clone(),
            review_policy: n.review_policy.clone(),
            trusted_after: n.trusted_after.to_string(),
            organisers: String::new(),
        };
        networks::create(db, None, &form).await?;
        network::Entity::update_many()
            .set(network::ActiveModel { is_demo: Set(true), ..Default::default() })
            .filter(network::Column::Slug.eq(&n.slug))
            .exec(db)
            .await?;
        let groups = [
            (&n.organisers, NetworkRole::Organiser, MembershipState::Active),
            (&n.reviewers, NetworkRole::Reviewer, MembershipState::Active),
            (&n.members, NetworkRole::Member, MembershipState::Active),
            (&n.requests, NetworkRole::Member, MembershipState::Requested),
        ];
        for (keys, role, state) in groups {
            for key in keys {
                set_membership(db, &n.slug, person(key)?, role, state).await?;
            }
        }
    }

    for s in submissions {
        let study = demo_case_study(db, &s.case_study).await?;
        let states = networks::submit(db, person(&s.by)?, &study.slug, &SubmitForm { networks: vec![s.network.clone()] }).await?;
        let trusted = states.iter().any(|(_, state)| *state == SubmissionState::Approved);
        if let (Some(decision), false) = (&s.decision, trusted) {
            let decider = person(s.decided_by.as_deref().ok_or_else(|| malformed("a decision needs decided_by"))?)?;
            let n = network::Entity::find().filter(network::Column::Slug.eq(&s.network)).one(db).await?.ok_or(DomainError::NotFound)?;
            let id = submission::Entity::find()
                .filter(submission::Column::CaseStudyId.eq(study.id))
                .filter(submission::Column::NetworkId.eq(n.id))
                .one(db)
                .await?
                .ok_or_else(|| malformed("the submission was not saved"))?
                .id;
            let form = DecisionForm { submission: id, decision: decision.clone(), reason: s.reason.clone() };
            networks::decide(db, decider, &s.network, &form).await?;
        }
    }

    for c in demo_collections {
        let curator = person(&c.curator)?;
        let form = CollectionForm {
            title: c.title.clone(),
            slug: c.slug.clone(),
            introduction: c.introduction.clone(),
            status: c.status.clone(),
            featured: c.featured.then(|| "on".into()),
            networks: c.networks.iter().take(1).cloned().collect(),
            version: String::new(),
        };
        let slug = collections::create(db, curator, &form).await?;
        let saved = collection::Entity::find().filter(collection::Column::Slug.eq(&slug)).one(db).await?.ok_or(DomainError::NotFound)?;
        collection::Entity::update(collection::ActiveModel { id: Set(saved.id), is_demo: Set(true), ..Default::default() })
            .exec(db)
            .await?;
        // A collection owned jointly: the other networks are added as a site admin would.
        for other in c.networks.iter().skip(1) {
            let n = network::Entity::find().filter(network::Column::Slug.eq(other)).one(db).await?.ok_or(DomainError::NotFound)?;
            collection_network::Entity::insert(collection_network::ActiveModel { collection_id: Set(saved.id), network_id: Set(n.id) })
                .exec(db)
                .await?;
        }
        for (title, note) in &c.items {
            let form = ItemForm { action: "add".into(), case_study: slug_of(db, title).await?, note: note.clone(), ..ItemForm::default() };
            collections::change_items(db, curator, &slug, &form).await?;
        }
    }
    Ok(())
}

async fn demo_case_study(db: &DatabaseConnection, title: &str) -> Result<case_study::Model, DemoError> {
    case_study::Entity::find()
        .filter(case_study::Column::Title.eq(title))
        .filter(case_study::Column::IsDemo.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| malformed(format!("no demo case study is called {title:?}")))
}

async fn slug_of(db: &DatabaseConnection, title: &str) -> Result<String, DemoError> {
    Ok(demo_case_study(db, title).await?.slug)
}
