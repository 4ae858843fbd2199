//! Demo content: realistic, fictional organisations, people and case studies, marked as demo
//! content, so a new installation has something to explore. Loading it twice changes nothing.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Deserialize;

use crate::case_studies::{insert, validate, Extras};
use crate::catalogue::{self, id_for_slug};
use crate::entities::{case_study, organisation, user};
use crate::forms::{CaseStudyForm, DatasetRow, FieldErrors};
use crate::DomainError;

mod bench;
mod networks;
mod synthetic;

pub use bench::{seed_bench_datasets, seed_bench_followers, seed_bench_network, COLLECTION as BENCH_COLLECTION, NETWORK as BENCH_NETWORK};
pub use synthetic::seed_synthetic;

const CONTENT: &str = include_str!("demo/demo_content.json");

#[derive(Deserialize)]
struct Content {
    organisations: Vec<DemoOrganisation>,
    users: Vec<DemoUser>,
    datasets: Vec<DemoDataset>,
    case_studies: Vec<DemoCaseStudy>,
    networks: Vec<networks::DemoNetwork>,
    submissions: Vec<networks::DemoSubmission>,
    collections: Vec<networks::DemoCollection>,
}

#[derive(Deserialize)]
struct DemoOrganisation {
    slug: String,
    name: String,
    kind: crate::vocabulary::OrganisationKind,
    website: String,
}

#[derive(Deserialize)]
struct DemoUser {
    key: String,
    display_name: String,
    organisation: String,
    job_role: String,
    bio: String,
}

#[derive(Deserialize)]
struct DemoDataset {
    key: String,
    title: String,
    url: String,
    publisher: String,
    licence: String,
    format: String,
}

#[derive(Deserialize)]
struct DemoCaseStudy {
    title: String,
    summary: String,
    body: String,
    service_area: String,
    phase: String,
    region: String,
    start_date: Option<String>,
    end_date: Option<String>,
    outcomes: String,
    lessons: String,
    practices: Vec<String>,
    contact: String,
    patterns: Vec<String>,
    tags: Vec<String>,
    organisations: Vec<String>,
    authors: Vec<String>,
    datasets: Vec<DemoUsage>,
    featured: bool,
}

#[derive(Deserialize)]
struct DemoUsage {
    dataset: String,
    usage: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the demo content is malformed: {0}")]
    Malformed(String),
    #[error("demo case study {title:?} breaks the rules: {errors:?}")]
    Invalid { title: String, errors: FieldErrors },
    #[error(transparent)]
    Domain(#[from] DomainError),
}

impl From<sea_orm::DbErr> for DemoError {
    fn from(error: sea_orm::DbErr) -> Self {
        DemoError::Domain(error.into())
    }
}

/// Loads the demo content unless it is there already; returns how many case studies it added.
/// An installation that has the demo case studies from before networks gets the demo networks.
pub async fn seed(db: &DatabaseConnection) -> Result<usize, DemoError> {
    let content: Content = serde_json::from_str(CONTENT).map_err(|e| DemoError::Malformed(e.to_string()))?;
    let added = if case_study::Entity::find().filter(case_study::Column::IsDemo.eq(true)).count(db).await? > 0 {
        0
    } else {
        seed_case_studies(db, &content).await?
    };
    let personas: HashMap<String, String> = content.users.iter().map(|u| (u.key.clone(), u.display_name.clone())).collect();
    networks::seed(db, &content.networks, &content.submissions, &content.collections, &personas).await?;
    Ok(added)
}

async fn seed_case_studies(db: &DatabaseConnection, content: &Content) -> Result<usize, DemoError> {
    let now = Utc::now();

    for org in &content.organisations {
        if id_for_slug::<organisation::Entity>(db, organisation::Column::Id, organisation::Column::Slug, &org.slug).await?.is_none() {
            organisation::Entity::insert(organisation::ActiveModel {
                slug: Set(org.slug.clone()),
                name: Set(org.name.clone()),
                kind: Set(org.kind),
                website: Set(Some(org.website.clone())),
                created_at: Set(now),
                ..Default::default()
            })
            .exec(db)
            .await?;
        }
    }

    let mut users: HashMap<&str, i32> = HashMap::new();
    for person in &content.users {
        let organisation_id =
            id_for_slug::<organisation::Entity>(db, organisation::Column::Id, organisation::Column::Slug, &person.organisation).await?;
        let row = user::ActiveModel {
            organisation_id: Set(organisation_id),
            bio: Set(person.bio.clone()),
            ..demo_person(&person.display_name, &person.job_role, now)
        };
        let id = user::Entity::insert(row).exec(db).await?.last_insert_id;
        users.insert(person.key.as_str(), id);
    }

    let datasets: HashMap<&str, &DemoDataset> = content.datasets.iter().map(|d| (d.key.as_str(), d)).collect();
    let (patterns, organisations) = catalogue::choices(db).await?;
    let mut added = 0;
    // Oldest first, so the newest-first lists show the order the file gives.
    for study in content.case_studies.iter().rev() {
        let form = form_for(study, &datasets)?;
        let valid =
            validate(&form, &patterns, &organisations).map_err(|errors| DemoError::Invalid { title: study.title.clone(), errors })?;
        let authors: Vec<i32> = study
            .authors
            .iter()
            .map(|key| users.get(key.as_str()).copied().ok_or_else(|| DemoError::Malformed(format!("unknown author {key}"))))
            .collect::<Result<_, _>>()?;
        insert(db, &authors, &valid, Extras { is_demo: true, featured: study.featured, may_change_shared_datasets: false }, None).await?;
        added += 1;
    }
    Ok(added)
}

/// A fictional person, marked as demo content, with an address at a reserved domain (RFC 2606):
/// `./dev run` shows the mail they would get at /dev/mail, and none can reach anyone.
fn demo_person(display_name: &str, job_role: &str, now: chrono::DateTime<Utc>) -> user::ActiveModel {
    let local: String = display_name.to_lowercase().split_whitespace().collect::<Vec<_>>().join(".");
    let local: String = local.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '.').collect();
    user::ActiveModel {
        display_name: Set(display_name.to_string()),
        email: Set(Some(format!("{local}@demo.casebook.example"))),
        job_role: Set(job_role.to_string()),
        bio: Set(String::new()),
        is_demo: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

fn form_for(study: &DemoCaseStudy, datasets: &HashMap<&str, &DemoDataset>) -> Result<CaseStudyForm, DemoError> {
    let rows = study
        .datasets
        .iter()
        .map(|u| {
            let d = datasets.get(u.dataset.as_str()).ok_or_else(|| DemoError::Malformed(format!("unknown dataset {}", u.dataset)))?;
            Ok(DatasetRow {
                title: d.title.clone(),
                url: d.url.clone(),
                publisher: d.publisher.clone(),
                licence: d.licence.clone(),
                format: d.format.clone(),
                usage: u.usage.clone(),
                keep_own: false,
            })
        })
        .collect::<Result<Vec<_>, DemoError>>()?;
    let mut form = CaseStudyForm {
        title: study.title.clone(),
        summary: study.summary.clone(),
        body: study.body.clone(),
        service_area: study.service_area.clone(),
        phase: study.phase.clone(),
        status: "published".to_string(),
        region: study.region.clone(),
        start_date: study.start_date.clone().unwrap_or_default(),
        end_date: study.end_date.clone().unwrap_or_default(),
        outcomes: study.outcomes.clone(),
        lessons: study.lessons.clone(),
        contact: study.contact.clone(),
        licence: String::new(),
        tags: study.tags.join(", "),
        practices: study.practices.clone(),
        patterns: study.patterns.clone(),
        organisations: study.organisations.clone(),
        ..Default::default()
    };
    form.set_dataset_rows(&rows);
    Ok(form)
}
