//! Related case studies: those sharing the most tags, datasets, organisations and patterns with
//! one case study, its service area, and words of its title and summary.
use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::case_studies::cards::{cards, published_by_ids};
use crate::entities::{case_study, case_study_dataset, case_study_organisation, case_study_pattern, case_study_tag};
use crate::views::CaseStudyCard;
use crate::DomainError;

pub const MAX_RELATED: usize = 5;
/// Candidates read per kind of link, so a very common tag costs no more than a rare one.
const CANDIDATES_PER_LINK: u64 = 50;

/// What one case study shares with another, as ids of the things linked to.
#[derive(Default)]
struct Links {
    patterns: HashSet<i32>,
    tags: HashSet<i32>,
    datasets: HashSet<i32>,
    organisations: HashSet<i32>,
}

impl Links {
    fn score(&self, other: &Links) -> usize {
        let shared = |a: &HashSet<i32>, b: &HashSet<i32>| a.intersection(b).count();
        3 * shared(&self.tags, &other.tags)
            + 3 * shared(&self.datasets, &other.datasets)
            + 2 * shared(&self.organisations, &other.organisations)
            + shared(&self.patterns, &other.patterns)
    }
}

/// Words worth comparing: not short ones, which are mostly "the", "and", "for".
fn words(model: &case_study::Model) -> HashSet<String> {
    format!("{} {}", model.title, model.summary)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 5)
        .map(str::to_lowercase)
        .collect()
}

/// Up to five published case studies most like `this`, best first.
pub async fn related(db: &impl ConnectionTrait, this: &case_study::Model) -> Result<Vec<CaseStudyCard>, DomainError> {
    let case_study_id = this.id;
    let mine = links_of(db, &[case_study_id]).await?.remove(&case_study_id).unwrap_or_default();

    let mut candidates: HashSet<i32> = HashSet::new();
    macro_rules! sharing {
        ($entity:ident, $column:ident, $ids:expr) => {
            if !$ids.is_empty() {
                let found: Vec<i32> = $entity::Entity::find()
                    .select_only()
                    .column($entity::Column::CaseStudyId)
                    .filter($entity::Column::$column.is_in($ids.iter().copied().collect::<Vec<_>>()))
                    .filter($entity::Column::CaseStudyId.ne(case_study_id))
                    .order_by_desc($entity::Column::CaseStudyId)
                    .limit(CANDIDATES_PER_LINK)
                    .into_tuple()
                    .all(db)
                    .await?;
                candidates.extend(found);
            }
        };
    }
    sharing!(case_study_tag, TagId, mine.tags);
    sharing!(case_study_dataset, DatasetId, mine.datasets);
    sharing!(case_study_organisation, OrganisationId, mine.organisations);
    sharing!(case_study_pattern, PatternId, mine.patterns);
    // Newest first by id, and published ones kept below: SQLite then walks ids and stops early.
    let same_area: Vec<i32> = case_study::Entity::find()
        .select_only()
        .column(case_study::Column::Id)
        .filter(case_study::Column::ServiceArea.eq(this.service_area))
        .filter(case_study::Column::Id.ne(case_study_id))
        .order_by_desc(case_study::Column::Id)
        .limit(CANDIDATES_PER_LINK)
        .into_tuple()
        .all(db)
        .await?;
    candidates.extend(same_area);

    let models = published_by_ids(db, candidates.into_iter().collect()).await?;
    let ids: Vec<i32> = models.iter().map(|m| m.id).collect();
    let mut theirs = links_of(db, &ids).await?;
    let my_words = words(this);
    let mut scored: Vec<(usize, case_study::Model)> = models
        .into_iter()
        .map(|model| {
            let links = theirs.remove(&model.id).unwrap_or_default();
            let text = words(&model).intersection(&my_words).count().min(3);
            let area = usize::from(model.service_area == this.service_area);
            (mine.score(&links) + text + area, model)
        })
        .filter(|(score, _)| *score > 0)
        .collect();
    scored.sort_by(|(a, x), (b, y)| b.cmp(a).then_with(|| y.published_at.cmp(&x.published_at)).then_with(|| y.id.cmp(&x.id)));
    scored.truncate(MAX_RELATED);
    cards(db, scored.into_iter().map(|(_, model)| model).collect()).await
}

async fn links_of(db: &impl ConnectionTrait, ids: &[i32]) -> Result<HashMap<i32, Links>, DomainError> {
    let mut links: HashMap<i32, Links> = HashMap::new();
    macro_rules! collect {
        ($entity:ident, $column:ident, $field:ident) => {
            let pairs: Vec<(i32, i32)> = $entity::Entity::find()
                .select_only()
                .column($entity::Column::CaseStudyId)
                .column($entity::Column::$column)
                .filter($entity::Column::CaseStudyId.is_in(ids.to_vec()))
                .into_tuple()
                .all(db)
                .await?;
            for (case_study_id, other) in pairs {
                links.entry(case_study_id).or_default().$field.insert(other);
            }
        };
    }
    collect!(case_study_pattern, PatternId, patterns);
    collect!(case_study_tag, TagId, tags);
    collect!(case_study_dataset, DatasetId, datasets);
    collect!(case_study_organisation, OrganisationId, organisations);
    Ok(links)
}
