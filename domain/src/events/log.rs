//! Writing events and reading them in order.
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use serde::{Deserialize, Serialize};

use crate::entities::event;
use crate::vocabulary::{MembershipState, ReportState, SubmissionState};
use crate::DomainError;

/// What an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    CaseStudy,
    Dataset,
    Network,
    Collection,
    /// A person's public profile: their name, role, organisation, and what vouches for them.
    Person,
}

impl Subject {
    pub fn slug(self) -> &'static str {
        match self {
            Subject::CaseStudy => "case_study",
            Subject::Dataset => "dataset",
            Subject::Network => "network",
            Subject::Collection => "collection",
            Subject::Person => "person",
        }
    }
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Created,
    Edited,
    Published,
    Unpublished,
    Archived,
    Restored,
    Deleted,
    /// A shared dataset record's details changed.
    DatasetChanged,
    /// Where a case study is shared changed: a submission was made, decided, withdrawn, hidden.
    SharingChanged,
    /// A network was created or changed (a new name or address changes every case study's
    /// network facet).
    NetworkChanged,
    /// A collection or its items changed.
    CollectionChanged,
    /// A dataset was checked and nothing but the check itself changed (its time and history).
    DatasetChecked,
    /// Who is in a network, or in which role, changed.
    MembersChanged,
    /// A person's public profile changed.
    ProfileChanged,
    /// A report to a network's organisers was made or dismissed (hiding is `SharingChanged`).
    ReportChanged,
}

impl Change {
    pub const ALL: [Change; 15] = [
        Change::Created,
        Change::Edited,
        Change::Published,
        Change::Unpublished,
        Change::Archived,
        Change::Restored,
        Change::Deleted,
        Change::DatasetChanged,
        Change::SharingChanged,
        Change::NetworkChanged,
        Change::CollectionChanged,
        Change::DatasetChecked,
        Change::MembersChanged,
        Change::ProfileChanged,
        Change::ReportChanged,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Change::Created => "case_study.created",
            Change::Edited => "case_study.edited",
            Change::Published => "case_study.published",
            Change::Unpublished => "case_study.unpublished",
            Change::Archived => "case_study.archived",
            Change::Restored => "case_study.restored",
            Change::Deleted => "case_study.deleted",
            Change::DatasetChanged => "dataset.changed",
            Change::SharingChanged => "case_study.sharing_changed",
            Change::NetworkChanged => "network.changed",
            Change::CollectionChanged => "collection.changed",
            Change::DatasetChecked => "dataset.checked",
            Change::MembersChanged => "network.members_changed",
            Change::ProfileChanged => "person.changed",
            Change::ReportChanged => "network.report_changed",
        }
    }

    /// Changes to what pages show around case studies, never to a case study's record (what the
    /// search index and the downloads hold: neither names members or profiles).
    const AROUND_RECORDS: [Change; 4] = [Change::DatasetChecked, Change::MembersChanged, Change::ProfileChanged, Change::ReportChanged];

    /// Whether a change of this kind (its slug) can change a case study's record. A profile saved
    /// made every instance rewrite every download.
    pub fn changes_records(self) -> bool {
        !Change::AROUND_RECORDS.contains(&self)
    }

    pub fn subject(self) -> Subject {
        match self {
            Change::DatasetChanged => Subject::Dataset,
            Change::NetworkChanged => Subject::Network,
            Change::CollectionChanged => Subject::Collection,
            Change::DatasetChecked => Subject::Dataset,
            Change::MembersChanged | Change::ReportChanged => Subject::Network,
            Change::ProfileChanged => Subject::Person,
            _ => Subject::CaseStudy,
        }
    }
}

/// One change to record: what happened to which thing, who did it, and what changed.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub change: Change,
    pub subject_id: i32,
    /// The subject's version after the change (0 for things without versions).
    pub version: i32,
    pub actor: Option<i32>,
    pub detail: Detail,
}

impl Entry {
    pub fn new(change: Change, subject_id: i32, version: i32) -> Self {
        Entry { change, subject_id, version, actor: None, detail: Detail::Nothing }
    }

    /// Made by this person.
    pub fn by(self, actor: impl Into<Option<i32>>) -> Self {
        Entry { actor: actor.into(), ..self }
    }

    pub fn with(self, detail: Detail) -> Self {
        Entry { detail, ..self }
    }
}

/// What changed, kept with the event so that consumers (the notifier first) need not re-read
/// history to learn who approved what, where.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Detail {
    #[default]
    Nothing,
    /// A case study's text was saved: the fields that changed, and whether that was
    /// substantial (`case_studies::substantial`), which followers are told of.
    Edited { fields: Vec<String>, substantial: bool },
    /// A submission moved to `state` in a network, with the reason given for a decision.
    Submission { network_id: i32, state: SubmissionState, reason: Option<String> },
    /// A person's membership of the network changed (`state` `None`: they left or were removed).
    Membership { user_id: i32, state: Option<MembershipState> },
    /// A report about a case study in a network was made or decided.
    Report { network_id: i32, case_study_id: i32, state: ReportState },
    /// A dataset's record changed; `withdrawn` when its portal says it is gone.
    Dataset { withdrawn: bool },
}

/// Records one change. Call it inside the transaction that makes the change.
///
/// On PostgreSQL, ids come from a sequence when a row is inserted, not when it is committed, so
/// a slower transaction could commit id 10 after a consumer had read id 11 and moved past 10.
/// Writers therefore take the event table's lock first: each waits for the one before to
/// commit, and ids are handed out in commit order. (SQLite has one writer at a time anyway.)
pub async fn record(db: &impl ConnectionTrait, entry: Entry) -> Result<(), DomainError> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_unprepared("LOCK TABLE event IN SHARE ROW EXCLUSIVE MODE").await?;
    }
    let payload = match entry.detail {
        Detail::Nothing => None,
        detail => Some(serde_json::to_string(&detail).map_err(|e| DomainError::Files(e.to_string()))?),
    };
    event::Entity::insert(event::ActiveModel {
        kind: Set(entry.change.slug().to_string()),
        subject: Set(entry.change.subject().slug().to_string()),
        subject_id: Set(entry.subject_id),
        version: Set(entry.version),
        created_at: Set(Utc::now()),
        actor_id: Set(entry.actor),
        payload: Set(payload),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

impl event::Model {
    /// What happened, typed; `None` for a kind this version does not know (a newer instance
    /// wrote it during a rolling upgrade).
    pub fn change(&self) -> Option<Change> {
        Change::ALL.iter().copied().find(|c| c.slug() == self.kind)
    }

    /// What changed; `Nothing` when the payload is missing or from a newer version.
    pub fn detail(&self) -> Detail {
        self.payload.as_deref().and_then(|p| serde_json::from_str(p).ok()).unwrap_or_default()
    }
}

/// Up to `limit` events after `position`, oldest first.
pub async fn after(db: &impl ConnectionTrait, position: i64, limit: u64) -> Result<Vec<event::Model>, DomainError> {
    Ok(event::Entity::find().filter(event::Column::Id.gt(position)).order_by_asc(event::Column::Id).limit(limit).all(db).await?)
}

/// The id of the newest event, or 0.
pub async fn newest(db: &impl ConnectionTrait) -> Result<i64, DomainError> {
    let newest: Option<Option<i64>> =
        event::Entity::find().select_only().column_as(event::Column::Id.max(), "newest").into_tuple().one(db).await?;
    Ok(newest.flatten().unwrap_or(0))
}

/// The id of the newest event that can change a case study's record (`Change::changes_records`),
/// or 0.
pub async fn newest_record_change(db: &impl ConnectionTrait) -> Result<i64, DomainError> {
    let ignored = Change::AROUND_RECORDS.map(Change::slug);
    // Newest first along the key, to the first that counts: MAX with this filter read the whole log.
    let newest: Option<i64> = event::Entity::find()
        .select_only()
        .column(event::Column::Id)
        .filter(event::Column::Kind.is_not_in(ignored))
        .order_by_desc(event::Column::Id)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    Ok(newest.unwrap_or(0))
}

/// Where the log and one consumer stand, read together in one query: the newest event's id and
/// the consumer's position (0 for either when there is none). Pages built from both the
/// database and a consumer's copy (the search index) are current while neither has moved.
pub async fn positions(db: &impl ConnectionTrait, consumer: &str) -> Result<(i64, i64), DomainError> {
    let backend = db.get_database_backend();
    let p = if backend == DatabaseBackend::Postgres { "$1" } else { "?1" };
    let sql = format!(
        "SELECT CAST(COALESCE((SELECT MAX(id) FROM event), 0) AS BIGINT) AS newest, \
         CAST(COALESCE((SELECT position FROM event_consumer WHERE name = {p}), 0) AS BIGINT) AS consumer"
    );
    let row = db.query_one_raw(sea_orm::Statement::from_sql_and_values(backend, sql, [consumer.into()])).await?;
    let row = row.ok_or(DomainError::NotFound)?;
    Ok((row.try_get::<i64>("", "newest")?, row.try_get::<i64>("", "consumer")?))
}

/// How many events come after `position`.
pub async fn pending_after(db: &impl ConnectionTrait, position: i64) -> Result<u64, DomainError> {
    Ok(event::Entity::find().filter(event::Column::Id.gt(position)).count(db).await?)
}
