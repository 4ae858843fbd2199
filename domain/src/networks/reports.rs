//! Reports of a case study to a network's organisers. They join the review queue; organisers
//! dismiss them or hide the case study from their network.
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use super::records::find;
use crate::case_studies;
use crate::entities::{report, submission};
use crate::events::{self, Change, Detail, Entry};
use crate::forms::{limits, FieldErrors, ReasonForm};
use crate::identity::roles;
use crate::permissions::NetworkAction;
use crate::text::{char_len, clean};
use crate::vocabulary::{ReportState, Status, SubmissionState};
use crate::DomainError;

/// Reports a published case study shared in a network to that network's organisers.
pub async fn report(db: &DatabaseConnection, user_id: i32, slug: &str, form: &ReasonForm) -> Result<(), DomainError> {
    let model = case_studies::find(db, slug).await?;
    if model.status != Status::Published {
        return Err(DomainError::NotFound);
    }
    let mut errors = FieldErrors::default();
    let n = match find(db, form.network.trim()).await {
        Ok(n) => Some(n),
        Err(DomainError::NotFound) => {
            errors.add("report-network", "Choose the network to report it to");
            None
        }
        Err(other) => return Err(other),
    };
    let reason = clean(&form.reason);
    if reason.is_empty() {
        errors.add("report-reason", "Say what is wrong, so the organisers can look into it");
    } else if char_len(&reason) > limits::REASON {
        errors.add("report-reason", format!("The reason must be {} characters or fewer (it has {})", limits::REASON, char_len(&reason)));
    }
    let Some(n) = n.filter(|_| errors.is_empty()) else { return Err(DomainError::Invalid(errors)) };
    let actor = roles::actor(db, Some(user_id)).await?;
    actor.check_in(n.id, n.join_policy, NetworkAction::Report)?;
    let shared = submission::Entity::find()
        .filter(submission::Column::NetworkId.eq(n.id))
        .filter(submission::Column::CaseStudyId.eq(model.id))
        .filter(submission::Column::State.eq(SubmissionState::Approved))
        .count(db)
        .await?;
    if shared == 0 {
        return Err(DomainError::Conflict(format!("This case study is not shared in {}", n.name)));
    }
    let open = report::Entity::find()
        .filter(report::Column::NetworkId.eq(n.id))
        .filter(report::Column::CaseStudyId.eq(model.id))
        .filter(report::Column::ReportedBy.eq(user_id))
        .filter(report::Column::State.eq(ReportState::Open))
        .count(db)
        .await?;
    if open > 0 {
        return Err(DomainError::Conflict("You have reported this already: the organisers will look into it".into()));
    }
    let txn = crate::db::begin(db).await?;
    report::Entity::insert(report::ActiveModel {
        network_id: Set(n.id),
        case_study_id: Set(model.id),
        reported_by: Set(Some(user_id)),
        reason: Set(reason),
        state: Set(ReportState::Open),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let detail = Detail::Report { network_id: n.id, case_study_id: model.id, state: ReportState::Open };
    events::record(&txn, Entry::new(Change::ReportChanged, n.id, 0).by(user_id).with(detail)).await?;
    txn.commit().await?;
    Ok(())
}

/// Dismisses a report (reviewers and organisers) or hides its case study from the network
/// (organisers), which settles every open report of it there.
pub async fn resolve_report(
    db: &DatabaseConnection,
    user_id: i32,
    network_slug: &str,
    report_id: i32,
    hide: bool,
) -> Result<(), DomainError> {
    let n = find(db, network_slug).await?;
    let actor = roles::actor(db, Some(user_id)).await?;
    actor.check_in(n.id, n.join_policy, if hide { NetworkAction::Hide } else { NetworkAction::Review })?;
    let txn = crate::db::begin(db).await?;
    let found =
        report::Entity::find_by_id(report_id).filter(report::Column::NetworkId.eq(n.id)).one(&txn).await?.ok_or(DomainError::NotFound)?;
    if found.state != ReportState::Open {
        return Err(DomainError::Conflict(format!("This report was already settled: {}", found.state.label().to_lowercase())));
    }
    let now = Utc::now();
    let settle = |state| report::ActiveModel {
        state: Set(state),
        resolved_by: Set(Some(user_id)),
        resolved_at: Set(Some(now)),
        ..Default::default()
    };
    if hide {
        report::Entity::update_many()
            .set(settle(ReportState::Hidden))
            .filter(report::Column::NetworkId.eq(n.id))
            .filter(report::Column::CaseStudyId.eq(found.case_study_id))
            .filter(report::Column::State.eq(ReportState::Open))
            .exec(&txn)
            .await?;
        submission::Entity::update_many()
            .set(submission::ActiveModel { hidden: Set(true), updated_at: Set(now), ..Default::default() })
            .filter(submission::Column::NetworkId.eq(n.id))
            .filter(submission::Column::CaseStudyId.eq(found.case_study_id))
            .exec(&txn)
            .await?;
        let detail = Detail::Report { network_id: n.id, case_study_id: found.case_study_id, state: ReportState::Hidden };
        events::record(&txn, Entry::new(Change::SharingChanged, found.case_study_id, 0).by(user_id).with(detail)).await?;
    } else {
        report::Entity::update(report::ActiveModel { id: Set(found.id), ..settle(ReportState::Dismissed) }).exec(&txn).await?;
        let detail = Detail::Report { network_id: n.id, case_study_id: found.case_study_id, state: ReportState::Dismissed };
        events::record(&txn, Entry::new(Change::ReportChanged, n.id, 0).by(user_id).with(detail)).await?;
    }
    txn.commit().await?;
    Ok(())
}
