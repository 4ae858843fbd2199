//! Who belongs to a network and in what role: joining, asking to join, invitations, leaving,
//! and organisers' changes to members and roles. A network always keeps one organiser.
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    TransactionSession, TransactionTrait,
};

use super::records::find;
use crate::entities::{network_member, user};
use crate::events::{self, Change, Detail, Entry};
use crate::forms::{limits, FieldErrors, MemberForm};
use crate::identity::roles;
use crate::permissions::{NetworkAction, NetworkStanding};
use crate::text::timestamp_text;
use crate::views::{MemberRow, MembersView, PersonLink};
use crate::vocabulary::{MembershipState, NetworkRole};
use crate::DomainError;

/// The account an organiser means: a profile number, or the email address its sign-in gave.
pub(crate) async fn person_for(db: &impl ConnectionTrait, who: &str) -> Result<Option<i32>, DomainError> {
    let who = who.trim().trim_start_matches('#');
    if let Ok(id) = who.parse::<i32>() {
        return Ok(user::Entity::find_by_id(id).one(db).await?.map(|u| u.id));
    }
    if !who.contains('@') {
        return Ok(None);
    }
    // Addresses are kept as providers gave them; they are compared without case.
    let lower = ExprTrait::eq(Expr::expr(Func::lower(Expr::col(user::Column::Email))), who.to_lowercase());
    Ok(user::Entity::find().filter(lower).one(db).await?.map(|u| u.id))
}

/// Puts a person in a network in a role and state, with the event that tells pages (member
/// counts, organisers) it changed.
pub(crate) async fn upsert_member<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    by: Option<i32>,
    network_id: i32,
    user_id: i32,
    role: NetworkRole,
    state: MembershipState,
) -> Result<(), DomainError> {
    let now = Utc::now();
    let txn = crate::db::begin(db).await?;
    // The same role and state again changes nothing pages show: no event, and kept pages stay.
    if membership(&txn, network_id, user_id).await?.is_some_and(|m| (m.role, m.state) == (role, state)) {
        return Ok(());
    }
    network_member::Entity::insert(network_member::ActiveModel {
        network_id: Set(network_id),
        user_id: Set(user_id),
        role: Set(role),
        state: Set(state),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([network_member::Column::NetworkId, network_member::Column::UserId])
            .update_columns([network_member::Column::Role, network_member::Column::State, network_member::Column::UpdatedAt])
            .to_owned(),
    )
    .exec(&txn)
    .await?;
    let detail = Detail::Membership { user_id, state: Some(state) };
    events::record(&txn, Entry::new(Change::MembersChanged, network_id, 0).by(by).with(detail)).await?;
    txn.commit().await?;
    Ok(())
}

/// Takes a person out of a network, with the event.
async fn remove_member(db: &DatabaseConnection, by: i32, network_id: i32, user_id: i32) -> Result<(), DomainError> {
    let txn = crate::db::begin(db).await?;
    network_member::Entity::delete_by_id((network_id, user_id)).exec(&txn).await?;
    let detail = Detail::Membership { user_id, state: None };
    events::record(&txn, Entry::new(Change::MembersChanged, network_id, 0).by(by).with(detail)).await?;
    txn.commit().await?;
    Ok(())
}

async fn membership(db: &impl ConnectionTrait, network_id: i32, user_id: i32) -> Result<Option<network_member::Model>, DomainError> {
    Ok(network_member::Entity::find_by_id((network_id, user_id)).one(db).await?)
}

async fn organiser_count(db: &impl ConnectionTrait, network_id: i32) -> Result<u64, DomainError> {
    Ok(network_member::Entity::find()
        .filter(network_member::Column::NetworkId.eq(network_id))
        .filter(network_member::Column::Role.eq(NetworkRole::Organiser))
        .filter(network_member::Column::State.eq(MembershipState::Active))
        .count(db)
        .await?)
}

/// Refuses a change that would leave the network with no organiser.
async fn keep_an_organiser(db: &impl ConnectionTrait, network_id: i32, member: &network_member::Model) -> Result<(), DomainError> {
    if member.role == NetworkRole::Organiser && member.state == MembershipState::Active && organiser_count(db, network_id).await? <= 1 {
        return Err(DomainError::Conflict(
            "A network needs an organiser: make someone else an organiser before this one steps down".into(),
        ));
    }
    Ok(())
}

/// Joins an open network, accepts an invitation, or asks to join a network that asks.
/// Returns the membership state it leaves the person in.
pub async fn join(db: &DatabaseConnection, user_id: i32, slug: &str) -> Result<MembershipState, DomainError> {
    let n = find(db, slug).await?;
    // Site admins join as anyone would: their admin standing is not membership.
    let actor = crate::permissions::Actor { is_admin: false, ..roles::actor(db, Some(user_id)).await? };
    let standing = actor.in_network(n.id);
    if matches!(standing, NetworkStanding::Member | NetworkStanding::Reviewer | NetworkStanding::Organiser) {
        return Err(DomainError::Conflict("You are already a member of this network".into()));
    }
    if standing == NetworkStanding::Requested {
        return Err(DomainError::Conflict("You have already asked to join: an organiser will answer".into()));
    }
    if actor.may_in(n.id, n.join_policy, NetworkAction::Join) {
        let role = actor.membership(n.id).map_or(NetworkRole::Member, |m| m.role);
        upsert_member(db, Some(user_id), n.id, user_id, role, MembershipState::Active).await?;
        Ok(MembershipState::Active)
    } else if actor.may_in(n.id, n.join_policy, NetworkAction::RequestToJoin) {
        upsert_member(db, Some(user_id), n.id, user_id, NetworkRole::Member, MembershipState::Requested).await?;
        Ok(MembershipState::Requested)
    } else {
        Err(DomainError::Forbidden)
    }
}

/// Leaves a network, withdraws a request to join, or declines an invitation.
pub async fn leave(db: &DatabaseConnection, user_id: i32, slug: &str) -> Result<(), DomainError> {
    let n = find(db, slug).await?;
    let Some(member) = membership(db, n.id, user_id).await? else {
        return Err(DomainError::Conflict("You are not a member of this network".into()));
    };
    keep_an_organiser(db, n.id, &member).await?;
    remove_member(db, user_id, n.id, user_id).await
}

/// An organiser's change to one person's membership.
pub async fn manage(db: &DatabaseConnection, user_id: i32, slug: &str, form: &MemberForm) -> Result<(), DomainError> {
    let n = find(db, slug).await?;
    let actor = roles::actor(db, Some(user_id)).await?;
    let invalid = |field: &str, message: &str| {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        DomainError::Invalid(errors)
    };
    match form.action.as_str() {
        "invite" => {
            actor.check_in(n.id, n.join_policy, NetworkAction::ManageMembers)?;
            let who = form.who.trim();
            if who.is_empty() {
                return Err(invalid("who", "Enter the email address or profile number of the person to invite"));
            }
            if who.chars().count() > limits::EMAIL {
                return Err(invalid("who", &format!("An email address is {} characters or fewer", limits::EMAIL)));
            }
            let Some(invited) = person_for(db, who).await? else {
                return Err(invalid("who", "No one with that email address or profile number has signed in to Casebook yet"));
            };
            match membership(db, n.id, invited).await? {
                Some(m) if m.state == MembershipState::Active => Err(DomainError::Conflict("They are already a member".into())),
                // Someone who asked to join is let in by the invitation.
                Some(m) if m.state == MembershipState::Requested => {
                    upsert_member(db, Some(user_id), n.id, invited, NetworkRole::Member, MembershipState::Active).await
                }
                _ => upsert_member(db, Some(user_id), n.id, invited, NetworkRole::Member, MembershipState::Invited).await,
            }
        }
        action => {
            let target = form.user.ok_or_else(|| invalid("user", "Choose a person"))?;
            let member = membership(db, n.id, target).await?.ok_or(DomainError::NotFound)?;
            match action {
                "admit" => {
                    actor.check_in(n.id, n.join_policy, NetworkAction::ManageMembers)?;
                    if member.state != MembershipState::Requested {
                        return Err(DomainError::Conflict("They have not asked to join, or are already a member".into()));
                    }
                    upsert_member(db, Some(user_id), n.id, target, member.role, MembershipState::Active).await
                }
                "remove" => {
                    actor.check_in(n.id, n.join_policy, NetworkAction::ManageMembers)?;
                    keep_an_organiser(db, n.id, &member).await?;
                    remove_member(db, user_id, n.id, target).await
                }
                "role" => {
                    actor.check_in(n.id, n.join_policy, NetworkAction::ManageRoles)?;
                    let role =
                        NetworkRole::from_slug(form.role.trim()).ok_or_else(|| invalid("role", "Choose member, reviewer or organiser"))?;
                    if member.state != MembershipState::Active {
                        return Err(DomainError::Conflict("Only members can be given a role: let them in first".into()));
                    }
                    if role != NetworkRole::Organiser {
                        keep_an_organiser(db, n.id, &member).await?;
                    }
                    upsert_member(db, Some(user_id), n.id, target, role, MembershipState::Active).await
                }
                _ => Err(invalid("action", "Choose what to do")),
            }
        }
    }
}

/// Makes someone an organiser, from the command line (no permission asked: the command is run
/// by whoever runs the site).
pub async fn add_organiser(db: &DatabaseConnection, slug: &str, who: &str) -> Result<i32, DomainError> {
    let user_id = person_for(db, who).await?.ok_or(DomainError::NotFound)?;
    set_membership(db, slug, user_id, NetworkRole::Organiser, MembershipState::Active).await?;
    Ok(user_id)
}

/// Puts a person in a network in a role, as the demo content and the command line do.
pub(crate) async fn set_membership(
    db: &DatabaseConnection,
    slug: &str,
    user_id: i32,
    role: NetworkRole,
    state: MembershipState,
) -> Result<(), DomainError> {
    let n = find(db, slug).await?;
    upsert_member(db, None, n.id, user_id, role, state).await
}

/// The members page: members for those who may see them; requests and invitations for
/// organisers.
pub async fn members(db: &DatabaseConnection, viewer: Option<i32>, slug: &str) -> Result<MembersView, DomainError> {
    let n = find(db, slug).await?;
    let actor = roles::actor(db, viewer).await?;
    actor.check_in(n.id, n.join_policy, NetworkAction::SeeMembers)?;
    let can_manage = actor.may_in(n.id, n.join_policy, NetworkAction::ManageMembers);
    let rows = network_member::Entity::find()
        .filter(network_member::Column::NetworkId.eq(n.id))
        .order_by_asc(network_member::Column::CreatedAt)
        .all(db)
        .await?;
    let names = names(db, rows.iter().map(|r| r.user_id).collect()).await?;
    let (mut members, mut waiting) = (Vec::new(), Vec::new());
    for row in rows {
        let person = PersonLink { user_id: row.user_id, name: names.get(&row.user_id).cloned().unwrap_or_default() };
        let entry = MemberRow { person, role: row.role, state: row.state, since: timestamp_text(row.created_at) };
        if row.state == MembershipState::Active {
            members.push(entry);
        } else if can_manage {
            waiting.push(entry);
        }
    }
    members.sort_by(|a, b| b.role.cmp_rank().cmp(&a.role.cmp_rank()).then_with(|| a.person.name.cmp(&b.person.name)));
    Ok(MembersView { slug: n.slug, name: n.name, members, waiting, can_manage })
}

/// Display names by user id, in one query.
pub(crate) async fn names(db: &impl ConnectionTrait, ids: Vec<i32>) -> Result<std::collections::HashMap<i32, String>, DomainError> {
    Ok(user::Entity::find().filter(user::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|u| (u.id, u.display_name)).collect())
}

impl NetworkRole {
    /// Organisers first, then reviewers, then members.
    fn cmp_rank(self) -> u8 {
        match self {
            NetworkRole::Member => 0,
            NetworkRole::Reviewer => 1,
            NetworkRole::Organiser => 2,
        }
    }
}

/// Active members of each network, for lists.
pub(crate) async fn member_counts(db: &impl ConnectionTrait, ids: Vec<i32>) -> Result<std::collections::HashMap<i32, u64>, DomainError> {
    use sea_orm::QuerySelect;
    let counts: Vec<(i32, i64)> = network_member::Entity::find()
        .select_only()
        .column(network_member::Column::NetworkId)
        .column_as(network_member::Column::UserId.count(), "n")
        .filter(network_member::Column::NetworkId.is_in(ids))
        .filter(network_member::Column::State.eq(MembershipState::Active))
        .group_by(network_member::Column::NetworkId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts.into_iter().map(|(id, n)| (id, n as u64)).collect())
}
