//! Case studies submitted to networks. `next_state` is the one place a submission's state
//! moves; each move is kept in `submission_change` with who and when, and written to the event
//! log, as it changes where the case study is shown.
use chrono::Utc;
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use super::records::find;
use crate::case_studies::{self, authorship};
use crate::entities::{case_study, network, submission, submission_change};
use crate::events::{self, Change, Detail, Entry};
use crate::forms::{limits, DecisionForm, FieldErrors, SubmitForm};
use crate::identity::roles;
use crate::permissions::{may, Action, NetworkAction, NetworkStanding};
use crate::text::{char_len, clean};
use crate::vocabulary::{ReviewPolicy, Status, SubmissionState};
use crate::DomainError;

/// What someone does to a submission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Its author submits (or submits again after a rejection or a withdrawal); `at_once` when
    /// the network's review policy trusts them.
    Submit {
        at_once: bool,
    },
    Approve,
    Reject,
    /// Its author takes it back, pending or approved.
    Withdraw,
}

/// The state a step leads to from `from` (`None`: never submitted), or why it cannot be taken.
pub fn next_state(from: Option<SubmissionState>, step: Step) -> Result<SubmissionState, String> {
    use SubmissionState::*;
    match (from, step) {
        (None | Some(Rejected | Withdrawn), Step::Submit { at_once }) => Ok(if at_once { Approved } else { Pending }),
        (Some(Pending), Step::Submit { .. }) => Err("It is already waiting for review in this network".into()),
        (Some(Approved), Step::Submit { .. }) => Err("It is already shared in this network".into()),
        (Some(Pending), Step::Approve) => Ok(Approved),
        (Some(Pending), Step::Reject) => Ok(Rejected),
        (Some(Pending | Approved), Step::Withdraw) => Ok(Withdrawn),
        (Some(Withdrawn), Step::Approve | Step::Reject) => Err("Its author withdrew it, so there is nothing to decide".into()),
        (Some(state @ (Approved | Rejected)), Step::Approve | Step::Reject) => {
            Err(format!("It has already been decided: {}", state.label().to_lowercase()))
        }
        (Some(Rejected | Withdrawn), Step::Withdraw) => Err("It is not shared in this network, so there is nothing to withdraw".into()),
        (None, _) => Err("It was never submitted to this network".into()),
    }
}

/// Whether the network's review policy approves this submitter's submission at once.
fn approved_at_once(n: &network::Model, standing: NetworkStanding, approved_before: u64) -> bool {
    let trusted_role = matches!(standing, NetworkStanding::Organiser | NetworkStanding::Reviewer);
    match n.review_policy {
        ReviewPolicy::Every => false,
        ReviewPolicy::OrganisersTrusted => trusted_role,
        ReviewPolicy::TrustedAfter => trusted_role || approved_before >= n.trusted_after.max(0) as u64,
    }
}

/// `SELECT case_study_id FROM submission WHERE network_id = ? AND approved AND not hidden`: the
/// case studies a network shows (those published among them, as every list asks).
pub(crate) fn shared_in(network_id: i32) -> SelectStatement {
    Query::select()
        .column(submission::Column::CaseStudyId)
        .from(submission::Entity)
        .and_where(submission::Column::NetworkId.eq(network_id))
        .and_where(submission::Column::State.eq(SubmissionState::Approved))
        .and_where(submission::Column::Hidden.eq(false))
        .to_owned()
}

async fn save(
    db: &impl ConnectionTrait,
    existing: Option<submission::Model>,
    fresh: (i32, i32),
    state: SubmissionState,
    by: i32,
    reason: Option<String>,
    version: i32,
) -> Result<(), DomainError> {
    let now = Utc::now();
    let decided = matches!(state, SubmissionState::Approved | SubmissionState::Rejected);
    let mut row = submission::ActiveModel { state: Set(state), reason: Set(reason.clone()), updated_at: Set(now), ..Default::default() };
    if decided {
        row.decided_by = Set(Some(by));
        row.decided_at = Set(Some(now));
    }
    if state == SubmissionState::Approved {
        row.approved_version = Set(Some(version));
    }
    if state == SubmissionState::Pending {
        row.submitted_by = Set(Some(by));
        row.created_at = Set(now);
        row.hidden = Set(false);
        row.decided_by = Set(None);
        row.decided_at = Set(None);
    }
    let id = match existing {
        Some(existing) => {
            row.id = Set(existing.id);
            submission::Entity::update(row).exec(db).await?;
            existing.id
        }
        None => {
            let (network_id, case_study_id) = fresh;
            row.network_id = Set(network_id);
            row.case_study_id = Set(case_study_id);
            row.submitted_by = Set(Some(by));
            row.created_at = Set(now);
            row.hidden = Set(false);
            submission::Entity::insert(row).exec(db).await?.last_insert_id
        }
    };
    let detail = Detail::Submission { network_id: fresh.0, state, reason: reason.clone() };
    submission_change::Entity::insert(submission_change::ActiveModel {
        submission_id: Set(id),
        state: Set(state),
        reason: Set(reason),
        changed_by: Set(Some(by)),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?;
    events::record(db, Entry::new(Change::SharingChanged, fresh.1, version).by(by).with(detail)).await
}

async fn existing(db: &impl ConnectionTrait, network_id: i32, case_study_id: i32) -> Result<Option<submission::Model>, DomainError> {
    Ok(submission::Entity::find()
        .filter(submission::Column::NetworkId.eq(network_id))
        .filter(submission::Column::CaseStudyId.eq(case_study_id))
        .one(db)
        .await?)
}

/// Submits a published case study, by one of its authors, to the networks ticked (slugs), all
/// or none. Returns the state each submission is now in, by network slug.
pub async fn submit(
    db: &DatabaseConnection,
    user_id: i32,
    slug: &str,
    form: &SubmitForm,
) -> Result<Vec<(String, SubmissionState)>, DomainError> {
    let model = case_studies::find(db, slug).await?;
    let actor = roles::actor(db, Some(user_id)).await?;
    let authors = authorship(db, &model).await?;
    actor.check(&authors, Action::ReadPublished)?;
    if !may(actor.toward(&authors), Action::Edit) {
        return Err(DomainError::Forbidden);
    }
    if model.status != Status::Published {
        return Err(DomainError::Conflict("Publish the case study before sharing it with a network".into()));
    }
    let mut chosen: Vec<&str> = form.networks.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    chosen.dedup();
    if chosen.is_empty() {
        let mut errors = FieldErrors::default();
        errors.add("networks", "Choose at least one network to submit it to");
        return Err(DomainError::Invalid(errors));
    }
    if chosen.len() > 50 {
        return Err(DomainError::Invalid({
            let mut errors = FieldErrors::default();
            errors.add("networks", "Choose at most 50 networks at once");
            errors
        }));
    }
    let txn = crate::db::begin(db).await?;
    let mut states = Vec::new();
    for network_slug in chosen {
        let n = find(&txn, network_slug).await?;
        let standing = actor.in_network(n.id);
        actor.check_in(n.id, n.join_policy, NetworkAction::Submit)?;
        let approved_before = submission::Entity::find()
            .filter(submission::Column::NetworkId.eq(n.id))
            .filter(submission::Column::SubmittedBy.eq(user_id))
            .filter(submission::Column::State.eq(SubmissionState::Approved))
            .count(&txn)
            .await?;
        let found = existing(&txn, n.id, model.id).await?;
        let state = next_state(found.as_ref().map(|s| s.state), Step::Submit { at_once: approved_at_once(&n, standing, approved_before) })
            .map_err(|why| DomainError::Conflict(format!("{}: {why}", n.name)))?;
        save(&txn, found, (n.id, model.id), state, user_id, None, model.version).await?;
        states.push((n.slug, state));
    }
    txn.commit().await?;
    Ok(states)
}

/// A reviewer's decision on a pending submission. A rejection needs its reason, which the
/// authors are shown.
pub async fn decide(
    db: &DatabaseConnection,
    user_id: i32,
    network_slug: &str,
    form: &DecisionForm,
) -> Result<SubmissionState, DomainError> {
    let n = find(db, network_slug).await?;
    let actor = roles::actor(db, Some(user_id)).await?;
    actor.check_in(n.id, n.join_policy, NetworkAction::Review)?;
    let step = match form.decision.as_str() {
        "approve" => Step::Approve,
        "reject" => Step::Reject,
        _ => {
            let mut errors = FieldErrors::default();
            errors.add(format!("decision-{}", form.submission), "Choose approve or reject");
            return Err(DomainError::Invalid(errors));
        }
    };
    let reason = clean(&form.reason);
    let mut errors = FieldErrors::default();
    let field = format!("reason-{}", form.submission);
    if step == Step::Reject && reason.is_empty() {
        errors.add(field, "Give the reason it is not accepted: its authors will read it");
    } else if char_len(&reason) > limits::REASON {
        errors.add(field, format!("The reason must be {} characters or fewer (it has {})", limits::REASON, char_len(&reason)));
    }
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    let txn = crate::db::begin(db).await?;
    let found = submission::Entity::find_by_id(form.submission)
        .filter(submission::Column::NetworkId.eq(n.id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let state = next_state(Some(found.state), step).map_err(DomainError::Conflict)?;
    let model = case_study::Entity::find_by_id(found.case_study_id).one(&txn).await?.ok_or(DomainError::NotFound)?;
    // What reviewers would approve is what readers see: nothing, once its authors took it back.
    if model.status != Status::Published {
        return Err(DomainError::Conflict("Its authors unpublished it, so there is nothing to decide".into()));
    }
    let case_study_id = found.case_study_id;
    save(&txn, Some(found), (n.id, case_study_id), state, user_id, (!reason.is_empty()).then_some(reason), model.version).await?;
    txn.commit().await?;
    Ok(state)
}

/// The note an author finds on a submission withdrawn because they unpublished its case study.
pub const WITHDRAWN_ON_UNPUBLISHING: &str = "Withdrawn when the case study stopped being published: submit it again once it is published";

/// Withdraws every submission of `case_study_id` still waiting for review, in the transaction
/// that takes it out of "published": reviewers never see, or approve, what readers cannot.
pub(crate) async fn withdraw_pending(db: &impl ConnectionTrait, case_study_id: i32, by: i32, version: i32) -> Result<(), DomainError> {
    let waiting = submission::Entity::find()
        .filter(submission::Column::CaseStudyId.eq(case_study_id))
        .filter(submission::Column::State.eq(SubmissionState::Pending))
        .all(db)
        .await?;
    for found in waiting {
        let network_id = found.network_id;
        let note = Some(WITHDRAWN_ON_UNPUBLISHING.to_string());
        save(db, Some(found), (network_id, case_study_id), SubmissionState::Withdrawn, by, note, version).await?;
    }
    Ok(())
}

/// An author takes their case study back from a network.
pub async fn withdraw(db: &DatabaseConnection, user_id: i32, slug: &str, network_slug: &str) -> Result<(), DomainError> {
    let model = case_studies::find(db, slug).await?;
    let actor = roles::actor(db, Some(user_id)).await?;
    let authors = authorship(db, &model).await?;
    if !may(actor.toward(&authors), Action::Edit) {
        return Err(DomainError::Forbidden);
    }
    let n = find(db, network_slug).await?;
    let txn = crate::db::begin(db).await?;
    let found = existing(&txn, n.id, model.id).await?;
    let state = next_state(found.as_ref().map(|s| s.state), Step::Withdraw).map_err(DomainError::Conflict)?;
    save(&txn, found, (n.id, model.id), state, user_id, None, model.version).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use SubmissionState::*;

    #[test]
    fn every_step_from_every_state() {
        let submit = Step::Submit { at_once: false };
        let trusted = Step::Submit { at_once: true };
        let states = [None, Some(Pending), Some(Approved), Some(Rejected), Some(Withdrawn)];
        let expect = |step| states.map(|from| next_state(from, step).ok());
        assert_eq!(expect(submit), [Some(Pending), None, None, Some(Pending), Some(Pending)]);
        assert_eq!(expect(trusted), [Some(Approved), None, None, Some(Approved), Some(Approved)]);
        assert_eq!(expect(Step::Approve), [None, Some(Approved), None, None, None]);
        assert_eq!(expect(Step::Reject), [None, Some(Rejected), None, None, None]);
        assert_eq!(expect(Step::Withdraw), [None, Some(Withdrawn), Some(Withdrawn), None, None]);
        assert!(next_state(Some(Withdrawn), Step::Approve).unwrap_err().contains("withdrew"));
        assert!(next_state(Some(Approved), Step::Reject).unwrap_err().contains("already been decided"));
    }

    #[test]
    fn review_policies_trust_in_turn() {
        let network = |review_policy| network::Model {
            id: 1,
            slug: "n".into(),
            name: "N".into(),
            description: String::new(),
            website: String::new(),
            join_policy: crate::vocabulary::JoinPolicy::Open,
            review_policy,
            trusted_after: 2,
            is_demo: false,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        use NetworkStanding::*;
        assert!(!approved_at_once(&network(ReviewPolicy::Every), Organiser, 10));
        assert!(approved_at_once(&network(ReviewPolicy::OrganisersTrusted), Organiser, 0));
        assert!(!approved_at_once(&network(ReviewPolicy::OrganisersTrusted), Member, 10));
        assert!(!approved_at_once(&network(ReviewPolicy::TrustedAfter), Member, 1));
        assert!(approved_at_once(&network(ReviewPolicy::TrustedAfter), Member, 2));
        assert!(approved_at_once(&network(ReviewPolicy::TrustedAfter), Reviewer, 0));
    }
}
