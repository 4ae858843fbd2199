//! People as others see them (profiles, author credits with badges) and as they manage
//! themselves: the profile form, their data export, and deleting their account.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::Query;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::case_studies::{self, cards_linked_with_status, Checker, LinkedBy};
use crate::catalogue;
use crate::entities::{case_study, case_study_author, identity, organisation, revision, role_grant, session, user};
use crate::forms::{limits, FieldErrors, ProfileForm};
use crate::markdown;
use crate::text::timestamp_text;
use crate::views::{AccountView, AuthorCredit, Link, LinkedIdentity, ProfileView};
use crate::vocabulary::Status;
use crate::DomainError;

pub const FORMER_MEMBER: &str = "Former member";

/// The verified public-sector domain each of these people holds, if any.
async fn verified_domains(db: &impl ConnectionTrait, user_ids: &[i32]) -> Result<HashMap<i32, String>, DomainError> {
    let mut found: HashMap<i32, String> = HashMap::new();
    let identities = identity::Entity::find()
        .filter(identity::Column::UserId.is_in(user_ids.to_vec()))
        .filter(identity::Column::VerifiedDomain.is_not_null())
        .order_by_desc(identity::Column::LastSignInAt)
        .all(db)
        .await?;
    for linked in identities {
        if let Some(domain) = linked.verified_domain {
            found.entry(linked.user_id).or_insert(domain);
        }
    }
    Ok(found)
}

/// Who a case study is credited to, by name with badges; a former member when every author has gone.
pub async fn author_credits(db: &impl ConnectionTrait, user_ids: &[i32]) -> Result<Vec<AuthorCredit>, DomainError> {
    let domains = verified_domains(db, user_ids).await?;
    let mut credits: Vec<AuthorCredit> = user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids.to_vec()))
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .map(|u| AuthorCredit { verified_domain: domains.get(&u.id).cloned(), user_id: Some(u.id), name: u.display_name })
        .collect();
    if credits.is_empty() {
        credits.push(AuthorCredit { user_id: None, name: FORMER_MEMBER.to_string(), verified_domain: None });
    }
    Ok(credits)
}

async fn organisation_of(db: &impl ConnectionTrait, person: &user::Model) -> Result<Option<organisation::Model>, DomainError> {
    Ok(match person.organisation_id {
        Some(id) => organisation::Entity::find_by_id(id).one(db).await?,
        None => None,
    })
}

async fn find_user(db: &impl ConnectionTrait, user_id: i32) -> Result<user::Model, DomainError> {
    user::Entity::find_by_id(user_id).one(db).await?.ok_or(DomainError::NotFound)
}

/// A person's public profile. Their drafts are listed only for themselves.
pub async fn profile(db: &DatabaseConnection, user_id: i32, viewer: Option<i32>) -> Result<ProfileView, DomainError> {
    let person = find_user(db, user_id).await?;
    let organisation = organisation_of(db, &person).await?.map(|o| Link { slug: o.slug, name: o.name });
    let is_self = viewer == Some(user_id);
    let drafts = if is_self { cards_linked_with_status(db, LinkedBy::Author(user_id), Status::Draft).await? } else { Vec::new() };
    let submissions = if is_self { crate::networks::submissions_by(db, user_id).await? } else { Vec::new() };
    Ok(ProfileView {
        networks: crate::networks::memberships_of(db, user_id, &super::roles::actor(db, viewer).await?).await?,
        submissions,
        user_id,
        organisation,
        verified_domain: verified_domains(db, &[user_id]).await?.remove(&user_id),
        published: cards_linked_with_status(db, LinkedBy::Author(user_id), Status::Published).await?,
        drafts,
        is_self,
        bio_html: markdown::render(&person.bio),
        display_name: person.display_name,
        job_role: person.job_role,
        is_demo: person.is_demo,
    })
}

/// The account page of `user_id`, with a rejected profile form put back where there is one.
pub async fn account(
    db: &DatabaseConnection,
    user_id: i32,
    submitted: Option<(ProfileForm, FieldErrors)>,
) -> Result<AccountView, DomainError> {
    let person = find_user(db, user_id).await?;
    let (_, organisations) = catalogue::choices(db).await?;
    let (form, errors) = match submitted {
        Some(submitted) => submitted,
        None => {
            let organisation = organisation_of(db, &person).await?.map(|o| o.slug).unwrap_or_default();
            let form = ProfileForm { display_name: person.display_name, organisation, job_role: person.job_role, bio: person.bio };
            (form, FieldErrors::default())
        }
    };
    let identities = identity::Entity::find()
        .filter(identity::Column::UserId.eq(user_id))
        .order_by_asc(identity::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|i| LinkedIdentity {
            provider: i.provider,
            email: i.email,
            verified_domain: i.verified_domain,
            last_sign_in: i.last_sign_in_at.map(timestamp_text),
        })
        .collect();
    let case_study_count = case_study::Entity::find().filter(LinkedBy::Author(user_id).condition()).count(db).await?;
    Ok(AccountView {
        user_id,
        form,
        errors,
        organisations,
        identities,
        case_study_count,
        delete_errors: FieldErrors::default(),
        providers: Vec::new(),
    })
}

/// Saves the profile form, or reports everything wrong with it and changes nothing.
pub async fn update_profile(db: &DatabaseConnection, user_id: i32, form: &ProfileForm) -> Result<(), DomainError> {
    let mut c = Checker { errors: FieldErrors::default() };
    let display_name = c.single_line("display_name", "Your name", &form.display_name, true, limits::DISPLAY_NAME);
    let job_role = c.single_line("job_role", "Job role", &form.job_role, false, limits::JOB_ROLE);
    let bio = c.text("bio", "About you", &form.bio, false, limits::LONG_TEXT);
    let organisation_id = match form.organisation.trim() {
        "" => None,
        slug => {
            let found =
                catalogue::id_for_slug::<organisation::Entity>(db, organisation::Column::Id, organisation::Column::Slug, slug).await?;
            if found.is_none() {
                c.errors.add("organisation", "Select an organisation from the list");
            }
            found
        }
    };
    if !c.errors.is_empty() {
        return Err(DomainError::Invalid(c.errors));
    }
    let found = find_user(db, user_id).await?;
    // A save that changes nothing writes nothing: an event would empty every kept page.
    if (&found.display_name, &found.job_role, &found.bio, found.organisation_id) == (&display_name, &job_role, &bio, organisation_id) {
        return Ok(());
    }
    let mut person: user::ActiveModel = found.into();
    person.display_name = Set(display_name);
    person.job_role = Set(job_role);
    person.bio = Set(bio);
    person.organisation_id = Set(organisation_id);
    person.updated_at = Set(Utc::now());
    let txn = crate::db::begin(db).await?;
    user::Entity::update(person).exec(&txn).await?;
    crate::events::record(&txn, crate::events::Entry::new(crate::events::Change::ProfileChanged, user_id, 0)).await?;
    txn.commit().await?;
    Ok(())
}

/// Everything Casebook holds about a person, as JSON they can keep.
pub async fn export(db: &DatabaseConnection, user_id: i32) -> Result<serde_json::Value, DomainError> {
    let person = find_user(db, user_id).await?;
    let organisation = organisation_of(db, &person).await?.map(|o| o.name);
    let identities: Vec<_> = identity::Entity::find()
        .filter(identity::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| {
            json!({
                "provider": i.provider,
                "subject": i.subject,
                "email": i.email,
                "verified_domain": i.verified_domain,
                "linked_at": i.created_at,
                "last_sign_in_at": i.last_sign_in_at,
            })
        })
        .collect();
    let roles: Vec<String> =
        role_grant::Entity::find().filter(role_grant::Column::UserId.eq(user_id)).all(db).await?.into_iter().map(|g| g.role).collect();
    let sessions: Vec<_> = session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| json!({ "started_at": s.created_at, "last_seen_at": s.last_seen_at, "expires_at": s.expires_at }))
        .collect();
    let case_studies: Vec<_> = case_studies::authored_by(db, user_id)
        .await?
        .into_iter()
        .map(|(slug, saved)| json!({ "slug": slug, "case_study": saved }))
        .collect();
    let slugs: HashMap<i32, String> = case_study::Entity::find()
        .filter(
            case_study::Column::Id.in_subquery(
                Query::select()
                    .column(revision::Column::CaseStudyId)
                    .from(revision::Entity)
                    .and_where(revision::Column::UserId.eq(user_id))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.slug))
        .collect();
    let revisions: Vec<_> = revision::Entity::find()
        .filter(revision::Column::UserId.eq(user_id))
        .order_by_asc(revision::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| json!({ "case_study": slugs.get(&r.case_study_id), "saved_at": r.created_at, "changed": r.changed }))
        .collect();
    Ok(json!({
        "exported_at": Utc::now(),
        "account": {
            "id": person.id,
            "display_name": person.display_name,
            "organisation": organisation,
            "job_role": person.job_role,
            "bio": person.bio,
            "email": person.email,
            "avatar_url": person.avatar_url,
            "created_at": person.created_at,
            "updated_at": person.updated_at,
        },
        "sign_ins": identities,
        "roles": roles,
        "sessions": sessions,
        "case_studies": case_studies,
        "revisions": revisions,
    }))
}

/// What deleting an account removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deleted {
    pub case_studies: u64,
}

/// Deletes an account with its sign-ins, sessions and roles. Its case studies stay, credited
/// to a former member, unless `with_case_studies`: then those the person wrote alone go too,
/// and those written with others stay with their other authors.
pub async fn delete_account(db: &DatabaseConnection, user_id: i32, with_case_studies: bool) -> Result<Deleted, DomainError> {
    find_user(db, user_id).await?;
    let txn = crate::db::begin(db).await?;
    let mut removed = 0;
    if with_case_studies {
        let mine: Vec<i32> = case_study_author::Entity::find()
            .filter(case_study_author::Column::UserId.eq(user_id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|a| a.case_study_id)
            .collect();
        let shared: Vec<i32> = case_study_author::Entity::find()
            .filter(case_study_author::Column::CaseStudyId.is_in(mine.clone()))
            .filter(case_study_author::Column::UserId.ne(user_id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|a| a.case_study_id)
            .collect();
        let alone: Vec<i32> = mine.into_iter().filter(|id| !shared.contains(id)).collect();
        for &id in &alone {
            crate::events::record(&txn, crate::events::Entry::new(crate::events::Change::Deleted, id, 0)).await?;
        }
        removed = case_study::Entity::delete_many().filter(case_study::Column::Id.is_in(alone)).exec(&txn).await?.rows_affected;
    }
    user::Entity::delete_by_id(user_id).exec(&txn).await?;
    // Their name leaves every page that credited them, and their memberships every network.
    crate::events::record(&txn, crate::events::Entry::new(crate::events::Change::ProfileChanged, user_id, 0)).await?;
    txn.commit().await?;
    Ok(Deleted { case_studies: removed })
}
