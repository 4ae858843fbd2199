//! Related case studies: those sharing the most tags, datasets, organisations and patterns with
//! one case study, its service area, and words of its title and summary.
use std::collections::{HashMap, HashSet};

use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, IntoIden, Order, Query, SelectStatement, UnionType};
use sea_orm::ConnectionTrait;

use crate::case_studies::cards::{cards, published_by_ids};
use crate::entities::case_study;
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

    // Those sharing each kind of link, and the newest in the same service area, in one query.
    let ids = |set: &HashSet<i32>| set.iter().copied().collect::<Vec<_>>();
    let mut sharing = vec![sharing(
        case_study::Entity,
        case_study::Column::Id,
        case_study::Column::ServiceArea,
        vec![this.service_area.into()],
        case_study_id,
    )];
    let kinds = [
        (LinkTable::Tag, ids(&mine.tags)),
        (LinkTable::Dataset, ids(&mine.datasets)),
        (LinkTable::Organisation, ids(&mine.organisations)),
        (LinkTable::Pattern, ids(&mine.patterns)),
    ];
    for (table, ids) in kinds.into_iter().filter(|(_, ids)| !ids.is_empty()) {
        sharing.push(table.sharing(ids, case_study_id));
    }
    let mut union = Query::select();
    union.column(Asterisk).from_subquery(sharing.remove(0), Alias::new("s0"));
    for (n, query) in sharing.into_iter().enumerate() {
        union.union(UnionType::All, Query::select().column(Asterisk).from_subquery(query, Alias::new(format!("s{}", n + 1))).to_owned());
    }
    let candidates: HashSet<i32> =
        db.query_all(&union).await?.iter().map(|row| row.try_get::<i32>("", "case_study_id")).collect::<Result<_, _>>()?;

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

/// The tables linking case studies to patterns, tags, datasets and organisations.
#[derive(Clone, Copy)]
enum LinkTable {
    Pattern,
    Tag,
    Dataset,
    Organisation,
}

impl LinkTable {
    const ALL: [LinkTable; 4] = [LinkTable::Pattern, LinkTable::Tag, LinkTable::Dataset, LinkTable::Organisation];

    /// The table, and its column naming what the case study links to.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            LinkTable::Pattern => ("case_study_pattern", "pattern_id"),
            LinkTable::Tag => ("case_study_tag", "tag_id"),
            LinkTable::Dataset => ("case_study_dataset", "dataset_id"),
            LinkTable::Organisation => ("case_study_organisation", "organisation_id"),
        }
    }

    /// Case studies (but `except`) linked to any of `ids`: the newest few.
    fn sharing(self, ids: Vec<i32>, except: i32) -> SelectStatement {
        let (table, column) = self.names();
        sharing(Alias::new(table), Alias::new("case_study_id"), Alias::new(column), ids.into_iter().map(Into::into).collect(), except)
    }
}

/// `SELECT id AS case_study_id FROM table WHERE column IN values AND id <> except`, newest first
/// by id, at most `CANDIDATES_PER_LINK`: so a very common tag costs no more than a rare one, and
/// SQLite walks ids and stops early.
fn sharing(
    table: impl IntoIden,
    id: impl IntoIden + Clone,
    column: impl IntoIden,
    values: Vec<sea_orm::Value>,
    except: i32,
) -> SelectStatement {
    Query::select()
        .expr_as(Expr::col(id.clone()), Alias::new("case_study_id"))
        .from(table)
        .and_where(Expr::col(column).is_in(values))
        .and_where(Expr::col(id.clone()).ne(except))
        .order_by(id, Order::Desc)
        .limit(CANDIDATES_PER_LINK)
        .to_owned()
}

/// Each case study's links of every kind, in one query.
async fn links_of(db: &impl ConnectionTrait, ids: &[i32]) -> Result<HashMap<i32, Links>, DomainError> {
    let mut links: HashMap<i32, Links> = HashMap::new();
    if ids.is_empty() {
        return Ok(links);
    }
    let select = |(n, table): (usize, LinkTable)| {
        let (name, column) = table.names();
        Query::select()
            .expr_as(Expr::val(n as i32), Alias::new("kind"))
            .column(Alias::new("case_study_id"))
            .expr_as(Expr::col(Alias::new(column)), Alias::new("other"))
            .from(Alias::new(name))
            .and_where(Expr::col(Alias::new("case_study_id")).is_in(ids.to_vec()))
            .to_owned()
    };
    let mut selects = LinkTable::ALL.into_iter().enumerate().map(select);
    let Some(mut union) = selects.next() else { return Ok(links) };
    for other in selects {
        union.union(UnionType::All, other);
    }
    for row in db.query_all(&union).await? {
        let (kind, case_study_id, other): (i32, i32, i32) =
            (row.try_get("", "kind")?, row.try_get("", "case_study_id")?, row.try_get("", "other")?);
        let entry = links.entry(case_study_id).or_default();
        let set = match LinkTable::ALL.get(kind as usize) {
            Some(LinkTable::Pattern) => &mut entry.patterns,
            Some(LinkTable::Tag) => &mut entry.tags,
            Some(LinkTable::Dataset) => &mut entry.datasets,
            Some(LinkTable::Organisation) | None => &mut entry.organisations,
        };
        set.insert(other);
    }
    Ok(links)
}
