//! The revision kept at every edit: who, when, which fields changed, and the whole saved version.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::validation::{field_label, ValidCaseStudy};
use crate::entities::{revision, user};
use crate::text::timestamp_text;
use crate::views::RevisionView;
use crate::DomainError;

const CREATED: &str = "created";

/// The keys of the fields that differ between two versions, in form order.
pub fn changed_fields(before: &ValidCaseStudy, after: &ValidCaseStudy) -> Vec<String> {
    let (Ok(serde_json::Value::Object(before)), Ok(serde_json::Value::Object(after))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    after.iter().filter(|(key, value)| before.get(*key) != Some(value)).map(|(key, _)| key.clone()).collect()
}

/// Words added or removed across the prose sections that make an edit worth telling followers
/// of: a typo fix changes one or two, a new paragraph of outcomes dozens.
const SUBSTANTIAL_WORDS: usize = 25;

/// Whether followers of a case study hear of this edit. What the service is changes it at
/// once (its phase, service area, patterns, datasets or organisations); prose only when at
/// least `SUBSTANTIAL_WORDS` words were added or removed, counted as a multiset difference so
/// that moving a sentence costs nothing and retyping a word costs two.
pub fn substantial(before: &ValidCaseStudy, after: &ValidCaseStudy) -> bool {
    let structural = before.phase != after.phase
        || before.service_area != after.service_area
        || before.patterns != after.patterns
        || before.organisations != after.organisations
        || before.datasets.iter().map(|d| &d.url).ne(after.datasets.iter().map(|d| &d.url));
    if structural {
        return true;
    }
    let prose = |c: &ValidCaseStudy| [c.title.clone(), c.summary.clone(), c.body.clone(), c.outcomes.clone(), c.lessons.clone()].join(" ");
    let mut counts: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for word in prose(before).split_whitespace() {
        *counts.entry(word.to_lowercase()).or_default() += 1;
    }
    for word in prose(after).split_whitespace() {
        *counts.entry(word.to_lowercase()).or_default() -= 1;
    }
    counts.values().map(|n| n.unsigned_abs() as usize).sum::<usize>() >= SUBSTANTIAL_WORDS
}

/// Records a revision. `before` is `None` for the first version; an edit that changed nothing records nothing.
pub async fn record(
    db: &impl ConnectionTrait,
    case_study_id: i32,
    user_id: i32,
    before: Option<&ValidCaseStudy>,
    after: &ValidCaseStudy,
) -> Result<bool, DomainError> {
    let changed = match before {
        None => vec![CREATED.to_string()],
        Some(before) => changed_fields(before, after),
    };
    if changed.is_empty() {
        return Ok(false);
    }
    let row = revision::ActiveModel {
        case_study_id: Set(case_study_id),
        user_id: Set(Some(user_id)),
        created_at: Set(Utc::now()),
        changed: Set(serde_json::to_string(&changed).unwrap_or_default()),
        snapshot: Set(serde_json::to_string(after).unwrap_or_default()),
        ..Default::default()
    };
    revision::Entity::insert(row).exec(db).await?;
    Ok(true)
}

/// What a revision changed, as people read the fields.
pub(crate) fn changed_labels(r: &revision::Model) -> Vec<String> {
    let keys: Vec<String> = serde_json::from_str(&r.changed).unwrap_or_default();
    keys.iter().map(|k| if k == CREATED { "Created".to_string() } else { field_label(k).to_string() }).collect()
}

/// The history of a case study, newest first.
pub async fn history(db: &impl ConnectionTrait, case_study_id: i32) -> Result<Vec<RevisionView>, DomainError> {
    let revisions =
        revision::Entity::find().filter(revision::Column::CaseStudyId.eq(case_study_id)).order_by_asc(revision::Column::Id).all(db).await?;
    let names: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(revisions.iter().filter_map(|r| r.user_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut views: Vec<RevisionView> = revisions
        .into_iter()
        .enumerate()
        .map(|(index, r)| RevisionView {
            number: index + 1,
            author: r.user_id.and_then(|id| names.get(&id).cloned()).unwrap_or_else(|| "Former member".to_string()),
            at: timestamp_text(r.created_at),
            changed: changed_labels(&r),
        })
        .collect();
    views.reverse();
    Ok(views)
}
