//! Synthetic case studies for benchmarks: realistic words in realistic proportions (services,
//! places, datasets, publishers, phases), generated from a fixed seed so runs compare.
//! Written in bulk, without revisions or the outbox: run `casebook reindex` afterwards.
use chrono::{Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use crate::entities::{
    case_study, case_study_dataset, case_study_organisation, case_study_pattern, case_study_tag, dataset, organisation, pattern, tag,
};
use crate::text::slugify;
use crate::vocabulary::{Licence, OrganisationKind, Phase, ServiceArea, Status};
use crate::DomainError;

const BATCH: usize = 500;
const SERVICES: [(&str, ServiceArea, &str); 16] = [
    ("Bin collection day finder", ServiceArea::WasteAndRecycling, "refuse rounds"),
    ("Missed bin reporting", ServiceArea::WasteAndRecycling, "collection crews"),
    ("Recycling centre opening times", ServiceArea::WasteAndRecycling, "household recycling"),
    ("Real-time bus arrivals", ServiceArea::Transport, "bus stops"),
    ("Roadworks map", ServiceArea::Transport, "street works permits"),
    ("Car park occupancy", ServiceArea::Transport, "parking sensors"),
    ("GP appointment availability", ServiceArea::HealthAndCare, "general practice"),
    ("Care home vacancies", ServiceArea::HealthAndCare, "adult social care"),
    ("Housing repairs tracker", ServiceArea::Housing, "council homes"),
    ("Empty homes register", ServiceArea::Housing, "council tax records"),
    ("Planning applications search", ServiceArea::Planning, "planning permission"),
    ("Brownfield land register", ServiceArea::Planning, "development sites"),
    ("School admissions checker", ServiceArea::Education, "school places"),
    ("Air quality alerts", ServiceArea::Environment, "pollution monitors"),
    ("Flood warning service", ServiceArea::Environment, "river levels"),
    ("Spending transparency explorer", ServiceArea::Finance, "council spending"),
];
const PLACES: [&str; 40] = [
    "Ashford",
    "Barnsley",
    "Bristol",
    "Cardiff",
    "Carlisle",
    "Chester",
    "Derby",
    "Dundee",
    "Durham",
    "Exeter",
    "Glasgow",
    "Gloucester",
    "Harrogate",
    "Hull",
    "Inverness",
    "Ipswich",
    "Kendal",
    "Lancaster",
    "Leeds",
    "Leicester",
    "Lincoln",
    "Luton",
    "Margate",
    "Middlesbrough",
    "Newport",
    "Norwich",
    "Oldham",
    "Oxford",
    "Plymouth",
    "Preston",
    "Reading",
    "Salford",
    "Sheffield",
    "Stirling",
    "Sunderland",
    "Swansea",
    "Truro",
    "Wakefield",
    "Worcester",
    "York",
];
const REGIONS: [&str; 12] = [
    "North East England",
    "North West England",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East England",
    "South West England",
    "Wales",
    "Scotland",
    "Northern Ireland",
];
const TAGS: [&str; 24] = [
    "bin collection",
    "UPRN",
    "GTFS",
    "real-time",
    "API",
    "open standards",
    "address data",
    "accessibility",
    "chatbot",
    "SMS",
    "maps",
    "linked data",
    "CSV",
    "dashboards",
    "performance data",
    "digital inclusion",
    "low code",
    "user needs",
    "reuse",
    "data quality",
    "alerts",
    "forecasting",
    "geospatial",
    "transparency",
];
const PUBLISHERS: [&str; 12] = [
    "Ordnance Survey",
    "Department for Transport",
    "Environment Agency",
    "NHS England",
    "Office for National Statistics",
    "Land Registry",
    "Met Office",
    "Ofsted",
    "Valuation Office Agency",
    "Department for Education",
    "Bus Open Data Service",
    "Local authority",
];
const SENTENCES: [&str; 8] = [
    "Residents told us in user research that they could not find {topic} information online.",
    "A multidisciplinary team of a service designer, a developer and a data analyst worked in two-week sprints.",
    "We published the {topic} data as open data so that others could build on it.",
    "Calls to the contact centre about {topic} fell after the service went live.",
    "The hardest part was getting the data owners to agree a common standard.",
    "We tested the service with people who use assistive technology.",
    "Other councils reused our code and our data schema for their own {topic} services.",
    "We measured demand before and after, and shared what we learned at LocalGovCamp.",
];

fn sentence(rng: &mut StdRng, topic: &str) -> String {
    SENTENCES.choose(rng).unwrap_or(&SENTENCES[0]).replace("{topic}", topic)
}

/// Adds `count` synthetic case studies, with the organisations, tags and datasets they need.
pub async fn seed_synthetic(db: &DatabaseConnection, count: u32) -> Result<u32, DomainError> {
    let mut rng = StdRng::seed_from_u64(20261128);
    let now = Utc::now();
    let patterns: Vec<i32> = pattern::Entity::find().select_only().column(pattern::Column::Id).into_tuple().all(db).await?;
    let organisations = ensure_organisations(db, now).await?;
    let tags = ensure_tags(db).await?;
    let datasets = ensure_datasets(db, now).await?;
    let run = rng.random::<u32>();
    let mut added = 0;
    while added < count {
        let size = (count - added).min(BATCH as u32);
        let txn = crate::db::begin(db).await?;
        let mut rows = Vec::new();
        let mut picks = Vec::new();
        for n in 0..size {
            let (service, area, topic) = *SERVICES.choose(&mut rng).unwrap_or(&SERVICES[0]);
            let place = *PLACES.choose(&mut rng).unwrap_or(&PLACES[0]);
            let title = format!("{service} for {place}");
            let slug = format!("{}-{run}-{}", slugify(&title, 60), added + n);
            let status = match rng.random_range(0..20) {
                0 => Status::Draft,
                1 => Status::Archived,
                _ => Status::Published,
            };
            let published_at = (status != Status::Draft).then(|| now - Duration::minutes(rng.random_range(0..60 * 24 * 365 * 5)));
            let body = (0..6).map(|_| sentence(&mut rng, topic)).collect::<Vec<_>>().join(" ");
            rows.push(case_study::ActiveModel {
                slug: Set(slug.clone()),
                title: Set(title),
                summary: Set(format!("How {place} used open data about {topic} to improve the {} service.", service.to_lowercase())),
                body: Set(format!("## The problem\n\n{body}")),
                service_area: Set(area),
                phase: Set(*Phase::ALL.choose(&mut rng).unwrap_or(&Phase::Live)),
                status: Set(status),
                region: Set(REGIONS.choose(&mut rng).unwrap_or(&REGIONS[0]).to_string()),
                start_date: Set(None),
                end_date: Set(None),
                outcomes: Set(sentence(&mut rng, topic)),
                lessons: Set(sentence(&mut rng, topic)),
                practices: Set("user-research,agile".to_string()),
                contact: Set(String::new()),
                licence: Set(Licence::default()),
                featured: Set(false),
                is_demo: Set(true),
                created_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                published_at: Set(published_at),
                ..Default::default()
            });
            let (np, nt, nd) = (rng.random_range(1..=2), rng.random_range(1..=4), rng.random_range(1..=3));
            picks.push((
                slug,
                patterns.choose_multiple(&mut rng, np).copied().collect::<Vec<_>>(),
                *organisations.choose(&mut rng).unwrap_or(&0),
                tags.choose_multiple(&mut rng, nt).copied().collect::<Vec<_>>(),
                datasets.choose_multiple(&mut rng, nd).copied().collect::<Vec<_>>(),
            ));
        }
        case_study::Entity::insert_many(rows).exec(&txn).await?;
        let slugs: Vec<String> = picks.iter().map(|p| p.0.clone()).collect();
        let ids: Vec<(i32, String)> = case_study::Entity::find()
            .select_only()
            .column(case_study::Column::Id)
            .column(case_study::Column::Slug)
            .filter(case_study::Column::Slug.is_in(slugs))
            .into_tuple()
            .all(&txn)
            .await?;
        let id_of: std::collections::HashMap<String, i32> = ids.into_iter().map(|(id, slug)| (slug, id)).collect();
        let (mut p, mut o, mut t, mut d) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (slug, pattern_ids, organisation_id, tag_ids, dataset_ids) in picks {
            let Some(&id) = id_of.get(&slug) else { continue };
            p.extend(
                pattern_ids
                    .into_iter()
                    .map(|pattern_id| case_study_pattern::ActiveModel { case_study_id: Set(id), pattern_id: Set(pattern_id) }),
            );
            o.push(case_study_organisation::ActiveModel { case_study_id: Set(id), organisation_id: Set(organisation_id) });
            t.extend(tag_ids.into_iter().map(|tag_id| case_study_tag::ActiveModel { case_study_id: Set(id), tag_id: Set(tag_id) }));
            d.extend(dataset_ids.into_iter().map(|dataset_id| case_study_dataset::ActiveModel {
                case_study_id: Set(id),
                dataset_id: Set(dataset_id),
                usage: Set("Shown to residents on the service".to_string()),
                prefer_own: Set(false),
            }));
        }
        case_study_pattern::Entity::insert_many(p).exec(&txn).await?;
        case_study_organisation::Entity::insert_many(o).exec(&txn).await?;
        case_study_tag::Entity::insert_many(t).exec(&txn).await?;
        case_study_dataset::Entity::insert_many(d).exec(&txn).await?;
        txn.commit().await?;
        added += size;
    }
    Ok(added)
}

async fn ensure_organisations(db: &DatabaseConnection, now: chrono::DateTime<Utc>) -> Result<Vec<i32>, DomainError> {
    for place in PLACES {
        for kind in ["City Council", "County Council", "NHS Trust"] {
            let name = format!("{place} {kind}");
            let slug = slugify(&name, 80);
            if organisation::Entity::find().filter(organisation::Column::Slug.eq(&slug)).one(db).await?.is_none() {
                let local = if kind == "NHS Trust" { OrganisationKind::Health } else { OrganisationKind::LocalGovernment };
                organisation::Entity::insert(organisation::ActiveModel {
                    slug: Set(slug),
                    name: Set(name),
                    kind: Set(local),
                    website: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                })
                .exec(db)
                .await?;
            }
        }
    }
    Ok(organisation::Entity::find().select_only().column(organisation::Column::Id).into_tuple().all(db).await?)
}

async fn ensure_tags(db: &DatabaseConnection) -> Result<Vec<i32>, DomainError> {
    for name in TAGS {
        let slug = slugify(name, 60);
        if tag::Entity::find().filter(tag::Column::Slug.eq(&slug)).one(db).await?.is_none() {
            tag::Entity::insert(tag::ActiveModel { slug: Set(slug), name: Set(name.to_string()), ..Default::default() }).exec(db).await?;
        }
    }
    Ok(tag::Entity::find().select_only().column(tag::Column::Id).into_tuple().all(db).await?)
}

async fn ensure_datasets(db: &DatabaseConnection, now: chrono::DateTime<Utc>) -> Result<Vec<i32>, DomainError> {
    for (service, _, topic) in SERVICES {
        for publisher in PUBLISHERS {
            let url = format!("https://data.example.org/{}/{}.csv", slugify(publisher, 40), slugify(service, 40));
            if dataset::Entity::find().filter(dataset::Column::Url.eq(&url)).one(db).await?.is_none() {
                dataset::Entity::insert(dataset::ActiveModel {
                    title: Set(format!("{} ({topic})", service)),
                    url: Set(url),
                    publisher: Set(publisher.to_string()),
                    licence: Set("OGL-UK-3.0".to_string()),
                    format: Set("CSV".to_string()),
                    created_at: Set(now),
                    ..Default::default()
                })
                .exec(db)
                .await?;
            }
        }
    }
    Ok(dataset::Entity::find().select_only().column(dataset::Column::Id).into_tuple().all(db).await?)
}
