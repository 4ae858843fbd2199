//! A dataset's health: each check's outcome kept as history, and the rules that turn a run of
//! outcomes into what people see (withdrawn only after checks a day apart found it gone; stale
//! once it is older than its update frequency allows).
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, DatabaseConnection, EntityTrait};

use super::resolve::Lookup;
use crate::entities::{dataset, dataset_check};
use crate::events::{self, Change, Detail, Entry};
use crate::text::slugify;
use crate::vocabulary::{CheckOutcome, DatasetCondition};
use crate::DomainError;

/// The schedule and thresholds; read once from the configuration.
#[derive(Clone, Debug)]
pub struct HealthRules {
    pub check_every: Duration,
    /// Gone on checks at least this far apart: withdrawn.
    pub withdraw_after: Duration,
    /// How old a dataset that states no update frequency may get before it counts as stale.
    pub stale_after_unstated: Duration,
    /// How often the portal's description is read again; the checks between only probe the link.
    pub resolve_every: Duration,
}

impl Default for HealthRules {
    fn default() -> Self {
        HealthRules {
            check_every: Duration::days(1),
            withdraw_after: Duration::hours(24),
            stale_after_unstated: Duration::days(365),
            resolve_every: Duration::days(7),
        }
    }
}

/// `(gone_since, withdrawn_since)` after a check with `outcome` at `now`. A failure that says
/// nothing about the dataset (a timeout, a server error) leaves both as they were.
pub fn next_gone(
    gone_since: Option<DateTime<Utc>>,
    withdrawn_since: Option<DateTime<Utc>>,
    outcome: CheckOutcome,
    now: DateTime<Utc>,
    rules: &HealthRules,
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    match outcome {
        CheckOutcome::Gone => {
            let since = gone_since.unwrap_or(now);
            let withdrawn = withdrawn_since.or((now - since >= rules.withdraw_after).then_some(since));
            (Some(since), withdrawn)
        }
        CheckOutcome::Ok | CheckOutcome::Moved | CheckOutcome::Private => (None, None),
        _ => (gone_since, withdrawn_since),
    }
}

/// Older than its frequency allows, with half a period's grace; never for a dataset not expected
/// to change (`Some(0)`).
pub fn is_stale(modified: Option<DateTime<Utc>>, every_days: Option<i32>, now: DateTime<Utc>, rules: &HealthRules) -> bool {
    let Some(modified) = modified else { return false };
    let allowed = match every_days {
        Some(0) => return false,
        Some(days) => Duration::hours(i64::from(days) * 36),
        None => rules.stale_after_unstated,
    };
    now - modified > allowed
}

/// How far apart checks must be to agree that a portal is unreachable, as for withdrawal.
const AGREE_AFTER: Duration = Duration::hours(24);

/// Outcomes that say the portal could not be reached at all, not that the dataset has a problem:
/// offline, or with the portal down for an hour, they say nothing about the data.
pub fn is_unreachable(outcome: CheckOutcome) -> bool {
    matches!(outcome, CheckOutcome::DnsFailure | CheckOutcome::ConnectionFailure | CheckOutcome::Timeout | CheckOutcome::ServerError)
}

/// Never reached, and not yet found unreachable by checks a day apart: no alarm for readers
/// (every demo dataset read "Unavailable" on a newcomer's first run offline).
pub fn not_yet_reached(row: &dataset::Model) -> bool {
    is_unreachable(row.health)
        && row.resolved_at.is_none()
        && row.unreachable_since.zip(row.checked_at).is_none_or(|(since, last)| last - since < AGREE_AFTER)
}

/// The one condition shown for a dataset: the worst that applies.
pub fn condition(row: &dataset::Model) -> DatasetCondition {
    if row.withdrawn_since.is_some() {
        return DatasetCondition::Withdrawn;
    }
    if not_yet_reached(row) {
        return DatasetCondition::Unchecked;
    }
    match row.health {
        CheckOutcome::Unchecked => DatasetCondition::Unchecked,
        CheckOutcome::Private => DatasetCondition::Private,
        CheckOutcome::Moved => DatasetCondition::Moved,
        CheckOutcome::Ok if row.stale => DatasetCondition::Stale,
        CheckOutcome::Ok => DatasetCondition::Available,
        _ => DatasetCondition::Unavailable,
    }
}

/// Whether the next check should read the portal's description again, not only probe the link.
pub fn wants_resolution(row: &dataset::Model, now: DateTime<Utc>, rules: &HealthRules) -> bool {
    row.resolved_at.is_none_or(|at| now - at >= rules.resolve_every)
}

/// What people see of a dataset, to tell whether a check changed it.
fn visible(row: &dataset::Model) -> impl PartialEq {
    (
        condition(row),
        row.health_detail.clone(),
        row.resolved_title.clone(),
        row.resolved_publisher.clone(),
        row.licence_title.clone(),
        row.licence_open,
        row.formats.clone(),
        row.source_modified_at,
        row.withdrawn_since,
        row.held_since,
    )
}

/// Records a check of `row` at `now`, in one transaction: the history row, the dataset's new
/// state, and a `dataset.changed` event when what people see of it changed (so search and the downloads
/// follow), `dataset.checked` otherwise (so pages show the check).
pub async fn record(
    db: &DatabaseConnection,
    row: dataset::Model,
    lookup: &Lookup,
    now: DateTime<Utc>,
    rules: &HealthRules,
) -> Result<dataset::Model, DomainError> {
    let probe = &lookup.probe;
    let row_withdrawn_since = row.withdrawn_since;
    let mut next = row.clone();
    next.health = probe.outcome;
    next.health_detail = match probe.outcome {
        CheckOutcome::Moved => probe.moved_to.clone(),
        _ => Some(probe.detail.clone()).filter(|d| !d.is_empty()),
    };
    (next.gone_since, next.withdrawn_since) = next_gone(row.gone_since, row.withdrawn_since, probe.outcome, now, rules);
    next.unreachable_since = if is_unreachable(probe.outcome) { row.unreachable_since.or(Some(now)) } else { None };
    next.checked_at = Some(now);
    next.next_check_at = Some(now + rules.check_every);
    next.claimed_until = None;
    // The check came to an outcome: whatever failed before is over.
    next.check_attempts = 0;
    next.check_problem = None;
    if let Some(found) = &lookup.found {
        next.resolved_title = Some(found.title.clone());
        next.description = Some(found.description.clone()).filter(|d| !d.is_empty());
        next.resolved_publisher = Some(found.publisher.clone()).filter(|p| !p.is_empty());
        next.publisher_slug = next.resolved_publisher.as_deref().map(|p| slugify(p, 80)).filter(|s| !s.is_empty());
        next.licence_id = found.licence.as_ref().map(|l| l.id.clone()).filter(|s| !s.is_empty());
        next.licence_title = found.licence.as_ref().map(|l| l.title.clone()).filter(|s| !s.is_empty());
        next.licence_url = found.licence.as_ref().map(|l| l.url.clone()).filter(|s| !s.is_empty());
        next.licence_open = found.licence.as_ref().and_then(|l| l.open);
        next.formats = Some(found.formats.join(", ")).filter(|f| !f.is_empty());
        next.resource_count = found.resource_count;
        next.source_modified_at = found.modified;
        next.update_frequency = found.frequency.as_ref().map(|f| f.label.clone());
        next.update_every_days = found.frequency.as_ref().and_then(|f| f.every_days);
        next.portal_kind = Some(found.portal.slug().to_string());
        next.api_url = Some(found.api_url.clone());
        next.resolved_at = Some(now);
    }
    next.stale = is_stale(next.source_modified_at, next.update_every_days, now, rules);
    let changed = visible(&row) != visible(&next);

    let txn = crate::db::begin(db).await?;
    dataset_check::Entity::insert(dataset_check::ActiveModel {
        dataset_id: Set(row.id),
        checked_at: Set(now),
        outcome: Set(probe.outcome),
        http_status: Set(probe.status.map(i32::from)),
        detail: Set(next.health_detail.clone()),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    // Every column the check owns; what authors typed is theirs, and may change meanwhile.
    let mut update = dataset::ActiveModel::from(next).reset_all();
    (update.title, update.url, update.publisher, update.licence, update.format, update.created_at) =
        (NotSet, NotSet, NotSet, NotSet, NotSet, NotSet);
    let saved = update.update(&txn).await?;
    // Every check changes the page (its time and history); only some change the record.
    let change = if changed { Change::DatasetChanged } else { Change::DatasetChecked };
    let withdrawn = saved.withdrawn_since.is_some() && row_withdrawn_since.is_none();
    events::record(&txn, Entry::new(change, saved.id, 0).with(Detail::Dataset { withdrawn })).await?;
    txn.commit().await?;
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
    }

    #[test]
    fn gone_once_is_not_withdrawn_gone_a_day_apart_is_and_back_again_clears_it() {
        let rules = HealthRules::default();
        let (gone, withdrawn) = next_gone(None, None, CheckOutcome::Gone, at(3, 9), &rules);
        assert_eq!((gone, withdrawn), (Some(at(3, 9)), None));
        let (gone, withdrawn) = next_gone(gone, withdrawn, CheckOutcome::Gone, at(4, 8), &rules);
        assert_eq!(withdrawn, None, "23 hours apart is not yet a day");
        let (gone, withdrawn) = next_gone(gone, withdrawn, CheckOutcome::Timeout, at(4, 9), &rules);
        assert_eq!((gone, withdrawn), (Some(at(3, 9)), None), "a timeout says nothing either way");
        let (gone, withdrawn) = next_gone(gone, withdrawn, CheckOutcome::Gone, at(4, 9), &rules);
        assert_eq!((gone, withdrawn), (Some(at(3, 9)), Some(at(3, 9))), "withdrawn since it was first found gone");
        assert_eq!(next_gone(gone, withdrawn, CheckOutcome::Ok, at(5, 9), &rules), (None, None));
    }

    #[test]
    fn stale_once_older_than_its_frequency_allows() {
        let rules = HealthRules::default();
        let now = at(31, 0);
        assert!(is_stale(Some(at(1, 0)), Some(7), now, &rules));
        assert!(!is_stale(Some(at(1, 0)), Some(31), now, &rules));
        assert!(!is_stale(Some(at(1, 0)), Some(0), now, &rules), "a dataset not expected to change is never stale");
        assert!(!is_stale(Some(at(1, 0)), None, now, &rules), "a year's grace where no frequency is stated");
        assert!(is_stale(Some(at(1, 0) - Duration::days(400)), None, now, &rules));
        assert!(!is_stale(None, Some(1), now, &rules));
    }
}
