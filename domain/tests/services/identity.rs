//! Accounts, sessions, sign-in attempts, roles and profiles against real SQLite and PostgreSQL.

use crate::support::{edit, make_user, on_both_engines, valid_form};
use casebook_domain::entities::{identity as identity_row, session, sign_in_attempt};
use casebook_domain::forms::ProfileForm;
use casebook_domain::identity::{
    self, profiles, roles, AccountRules, Attempt, AttemptError, ProviderProfile, SessionPolicy, VerifiedDomains,
};
use casebook_domain::{case_studies, DomainError};
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

fn rules() -> AccountRules {
    AccountRules { verified_domains: VerifiedDomains::parse("gov.uk,nhs.uk"), admin_emails: vec!["chief@digital.gov.uk".into()] }
}

fn profile(provider: &str, subject: &str, emails: &[&str]) -> ProviderProfile {
    ProviderProfile {
        provider: provider.into(),
        subject: subject.into(),
        display_name: "Alex Morgan".into(),
        vouched_emails: emails.iter().map(|e| e.to_string()).collect(),
        avatar_url: None,
    }
}

async fn verified_domain(db: &DatabaseConnection, user_id: i32) -> anyhow::Result<Option<String>> {
    Ok(profiles::profile(db, user_id, None).await?.verified_domain)
}

#[tokio::test]
async fn a_provider_and_subject_always_reach_the_same_account_and_emails_never_merge() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let first = identity::sign_in(&db, &profile("google", "g-1", &["alex@leeds.gov.uk"]), &rules()).await?;
        assert!(first.new_account);
        let again = identity::sign_in(&db, &profile("google", "g-1", &["alex@leeds.gov.uk"]), &rules()).await?;
        assert_eq!((again.user_id, again.new_account), (first.user_id, false));
        // The same address vouched for by another provider is another person until they link it.
        let other = identity::sign_in(&db, &profile("github", "42", &["alex@leeds.gov.uk"]), &rules()).await?;
        assert!(other.new_account);
        assert_ne!(other.user_id, first.user_id);
        assert_eq!(identity_row::Entity::find().count(&db).await?, 2);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn linking_adds_a_provider_but_never_takes_one_from_another_account() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let alex = identity::sign_in(&db, &profile("google", "g-1", &[]), &rules()).await?.user_id;
        identity::link(&db, alex, &profile("gitlab", "gl-7", &[]), &rules()).await?;
        assert_eq!(identity::sign_in(&db, &profile("gitlab", "gl-7", &[]), &rules()).await?.user_id, alex);
        let sam = identity::sign_in(&db, &profile("github", "99", &[]), &rules()).await?.user_id;
        let taken = identity::link(&db, sam, &profile("google", "g-1", &[]), &rules()).await;
        assert!(matches!(taken, Err(DomainError::Conflict(_))), "{taken:?}");
        assert_eq!(identity::sign_in(&db, &profile("google", "g-1", &[]), &rules()).await?.user_id, alex, "still Alex's");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_verified_badge_follows_what_the_provider_vouches_for_at_each_sign_in() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let user = identity::sign_in(&db, &profile("google", "g-1", &["alex@leeds.gov.uk"]), &rules()).await?.user_id;
        assert_eq!(verified_domain(&db, user).await?.as_deref(), Some("leeds.gov.uk"));
        // The provider no longer vouches for the address: the badge goes.
        identity::sign_in(&db, &profile("google", "g-1", &[]), &rules()).await?;
        assert_eq!(verified_domain(&db, user).await?, None);
        let outsider = identity::sign_in(&db, &profile("github", "5", &["alex@leeds.gov.uk.example.com"]), &rules()).await?.user_id;
        assert_eq!(verified_domain(&db, outsider).await?, None);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn admins_come_from_the_configured_emails_and_the_command() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let chief = identity::sign_in(&db, &profile("entra", "e-1", &["Chief@Digital.gov.uk"]), &rules()).await?.user_id;
        assert!(roles::is_admin(&db, chief).await?);
        let member = identity::sign_in(&db, &profile("google", "g-2", &["sam@nhs.uk"]), &rules()).await?.user_id;
        assert!(!roles::is_admin(&db, member).await?);
        assert_eq!(identity::set_admin(&db, "SAM@nhs.uk", true).await?, member);
        assert!(roles::is_admin(&db, member).await?);
        identity::set_admin(&db, "sam@nhs.uk", false).await?;
        assert!(!roles::is_admin(&db, member).await?);
        assert!(matches!(identity::set_admin(&db, "nobody@nowhere.org", true).await, Err(DomainError::NotFound)));
        // By profile number, as `casebook admin grant 7` does for someone without an address.
        assert_eq!(identity::set_admin(&db, &format!("#{member}"), true).await?, member);
        assert!(roles::is_admin(&db, member).await?);
        identity::set_admin(&db, &member.to_string(), false).await?;
        assert!(!roles::is_admin(&db, member).await?);
        assert!(matches!(identity::set_admin(&db, "99999", true).await, Err(DomainError::NotFound)));

        // An admin may edit anyone's case study; another member may not.
        let author = make_user(&db, "Priya Shah").await?;
        let slug = case_studies::create(&db, author, &valid_form("Bin day finder")).await?;
        let edited = valid_form("Bin day finder, improved");
        assert!(matches!(edit(&db, member, &slug, &edited).await, Err(DomainError::Forbidden)));
        edit(&db, chief, &slug, &edited).await?;
        assert!(case_studies::view(&db, &Default::default(), &Default::default(), &slug, Some(chief)).await?.can_edit);

        // The address leaves CASEBOOK_ADMIN_EMAILS: the next sign-in takes the grant away. A
        // grant by command stays.
        let without_chief = AccountRules { admin_emails: vec![], ..rules() };
        identity::sign_in(&db, &profile("entra", "e-1", &["chief@digital.gov.uk"]), &without_chief).await?;
        assert!(!roles::is_admin(&db, chief).await?, "configured admin is taken away");
        identity::set_admin(&db, "sam@nhs.uk", true).await?;
        identity::sign_in(&db, &profile("google", "g-2", &["sam@nhs.uk"]), &without_chief).await?;
        assert!(roles::is_admin(&db, member).await?, "an admin by command stays one");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn sessions_are_stored_hashed_and_end_when_idle_too_old_or_everywhere() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let policy = SessionPolicy { idle: Duration::minutes(30), absolute: Duration::hours(8) };
        let user = make_user(&db, "Priya Shah").await?;
        let token = identity::start_session(&db, None, user, policy).await?;
        assert_eq!(token.len(), 64);
        assert!(session::Entity::find_by_id(token.clone()).one(&db).await?.is_none(), "the token itself is not stored");
        case_studies::create(&db, user, &valid_form("Bin collection day finder")).await?;
        let (viewer, now) = identity::session_viewer(&db, &token, policy).await?;
        let viewer = viewer.expect("a live session");
        assert_eq!((viewer.user_id, viewer.display_name.as_str()), (user, "Priya Shah"));
        // The event log's position comes with it, so the request's kept values need no other read.
        let newest = casebook_domain::events::newest(&db).await?;
        assert!(newest > 0, "publishing wrote events");
        assert_eq!(now.position(&db).await?, newest);
        assert!(identity::session_viewer(&db, "forged", policy).await?.0.is_none());

        // Unused for longer than the idle lifetime: ended.
        let age = |column: session::Column, by: Duration| {
            session::Entity::update_many().col_expr(column, Expr::value(Utc::now() - by)).filter(session::Column::UserId.eq(user))
        };
        age(session::Column::LastSeenAt, Duration::minutes(31)).exec(&db).await?;
        assert!(identity::session_viewer(&db, &token, policy).await?.0.is_none());

        // Busy but past the absolute lifetime: ended.
        let token = identity::start_session(&db, None, user, policy).await?;
        age(session::Column::ExpiresAt, Duration::seconds(1)).exec(&db).await?;
        assert!(identity::session_viewer(&db, &token, policy).await?.0.is_none());

        let (laptop, phone) =
            (identity::start_session(&db, None, user, policy).await?, identity::start_session(&db, None, user, policy).await?);
        identity::end_session(&db, &laptop).await?;
        assert!(identity::session_viewer(&db, &laptop, policy).await?.0.is_none());
        assert!(identity::session_viewer(&db, &phone, policy).await?.0.is_some());
        identity::start_session(&db, None, user, policy).await?;
        assert_eq!(identity::end_all_sessions(&db, user).await?, 2);
        assert!(identity::session_viewer(&db, &phone, policy).await?.0.is_none());
        assert!(
            identity::sign_in_as_persona(&db, None, user, policy).await.is_err(),
            "only demo personas can be signed into without a provider"
        );
        Ok(())
    })
    .await
}

fn attempt(state: &str) -> Attempt {
    Attempt {
        state: state.into(),
        provider: "google".into(),
        pkce_verifier: "v".repeat(43),
        nonce: Some("n".into()),
        return_to: "/patterns".into(),
        link_user_id: None,
    }
}

#[tokio::test]
async fn sign_in_attempts_are_single_use_short_lived_and_tied_to_their_provider() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        identity::begin_attempt(&db, &attempt("s1")).await?;
        assert!(matches!(identity::take_attempt(&db, "s1", "github").await, Err(AttemptError::OtherProvider)));
        assert!(matches!(identity::take_attempt(&db, "s1", "google").await, Err(AttemptError::Unknown)), "used up by the first take");

        identity::begin_attempt(&db, &attempt("s2")).await?;
        assert_eq!(identity::take_attempt(&db, "s2", "google").await?.return_to, "/patterns");
        assert!(matches!(identity::take_attempt(&db, "s2", "google").await, Err(AttemptError::Unknown)), "a replay finds nothing");

        identity::begin_attempt(&db, &attempt("s3")).await?;
        sign_in_attempt::Entity::update_many()
            .col_expr(sign_in_attempt::Column::ExpiresAt, Expr::value(Utc::now() - Duration::seconds(1)))
            .exec(&db)
            .await?;
        assert!(matches!(identity::take_attempt(&db, "s3", "google").await, Err(AttemptError::Expired)));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn profiles_are_edited_with_every_problem_reported_and_nothing_changed() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        casebook_domain::demo::seed(&db).await?;
        let user = identity::sign_in(&db, &profile("google", "g-1", &["alex@leeds.gov.uk"]), &rules()).await?.user_id;
        let bad =
            ProfileForm { display_name: " ".into(), organisation: "no-such-org".into(), job_role: "x".repeat(121), bio: String::new() };
        let Err(DomainError::Invalid(errors)) = profiles::update_profile(&db, user, &bad).await else {
            anyhow::bail!("accepted a bad form")
        };
        for field in ["display_name", "organisation", "job_role"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        assert_eq!(profiles::profile(&db, user, None).await?.display_name, "Alex Morgan", "nothing changed");

        let organisation = profiles::account(&db, user, None).await?.organisations[0].clone();
        let good = ProfileForm {
            display_name: "Alex  Morgan-Jones".into(),
            organisation: organisation.slug.clone(),
            job_role: "Data lead".into(),
            bio: "I look after **open data**.".into(),
        };
        profiles::update_profile(&db, user, &good).await?;
        let seen = profiles::profile(&db, user, None).await?;
        assert_eq!(seen.display_name, "Alex Morgan-Jones");
        assert_eq!(seen.organisation.map(|o| o.slug), Some(organisation.slug));
        assert!(seen.bio_html.contains("<strong>open data</strong>"));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_person_sees_their_drafts_others_see_only_what_is_published() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let user = make_user(&db, "Priya Shah").await?;
        case_studies::create(&db, user, &valid_form("Published bin finder")).await?;
        case_studies::create(&db, user, &casebook_domain::forms::CaseStudyForm { status: "draft".into(), ..valid_form("Draft bus times") })
            .await?;
        let own = profiles::profile(&db, user, Some(user)).await?;
        assert_eq!((own.published.len(), own.drafts.len(), own.is_self), (1, 1, true));
        let theirs = profiles::profile(&db, user, None).await?;
        assert_eq!((theirs.published.len(), theirs.drafts.len(), theirs.is_self), (1, 0, false));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_export_holds_everything_about_the_person() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let user = identity::sign_in(&db, &profile("google", "g-1", &["alex@leeds.gov.uk"]), &rules()).await?.user_id;
        identity::start_session(&db, None, user, SessionPolicy::default()).await?;
        let slug = case_studies::create(&db, user, &valid_form("Bin day finder")).await?;
        let export = profiles::export(&db, user).await?;
        assert_eq!(export["account"]["display_name"], "Alex Morgan");
        assert_eq!(export["sign_ins"][0]["provider"], "google");
        assert_eq!(export["sign_ins"][0]["email"], "alex@leeds.gov.uk");
        assert_eq!(export["sign_ins"][0]["verified_domain"], "leeds.gov.uk");
        assert_eq!(export["sessions"].as_array().map(Vec::len), Some(1));
        assert_eq!(export["case_studies"][0]["slug"], slug.as_str());
        assert_eq!(export["case_studies"][0]["case_study"]["title"], "Bin day finder");
        assert_eq!(export["revisions"][0]["case_study"], slug.as_str());
        Ok(())
    })
    .await
}

#[tokio::test]
async fn deleting_an_account_keeps_case_studies_for_a_former_member_unless_asked() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let leaver = identity::sign_in(&db, &profile("google", "g-1", &[]), &rules()).await?.user_id;
        identity::start_session(&db, None, leaver, SessionPolicy::default()).await?;
        let kept = case_studies::create(&db, leaver, &valid_form("Bin day finder")).await?;
        profiles::delete_account(&db, leaver, false).await?;
        let view = case_studies::view(&db, &Default::default(), &Default::default(), &kept, None).await?;
        assert_eq!(view.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), [profiles::FORMER_MEMBER]);
        assert_eq!(session::Entity::find().count(&db).await?, 0, "sessions go with the account");
        assert_eq!(identity_row::Entity::find().count(&db).await?, 0);
        assert!(identity::sign_in(&db, &profile("google", "g-1", &[]), &rules()).await?.new_account, "signing in again starts afresh");

        let other = identity::sign_in(&db, &profile("github", "7", &[]), &rules()).await?.user_id;
        let alone = case_studies::create(&db, other, &valid_form("Bus times")).await?;
        profiles::delete_account(&db, other, true).await?;
        assert!(matches!(
            case_studies::view(&db, &Default::default(), &Default::default(), &alone, None).await,
            Err(DomainError::NotFound)
        ));
        assert!(
            case_studies::view(&db, &Default::default(), &Default::default(), &kept, None).await.is_ok(),
            "others' case studies are untouched"
        );
        assert!(matches!(profiles::delete_account(&db, other, true).await, Err(DomainError::NotFound)));
        Ok(())
    })
    .await
}

/// A profile saved unchanged wrote an event (emptying every kept page), and any profile change
/// made every instance rewrite every download, which name no one.
#[tokio::test]
async fn a_profile_saved_unchanged_writes_nothing_and_no_profile_change_rewrites_the_downloads() -> anyhow::Result<()> {
    use casebook_domain::entities::event;
    use casebook_domain::events;
    on_both_engines(|db| async move {
        let ada = make_user(&db, "Ada").await?;
        let form = ProfileForm {
            display_name: "Ada".into(),
            organisation: String::new(),
            job_role: "Service designer".into(),
            bio: "Maps.".into(),
        };
        profiles::update_profile(&db, ada, &form).await?;
        let (events_before, records_before) = (event::Entity::find().count(&db).await?, events::newest_record_change(&db).await?);
        profiles::update_profile(&db, ada, &form).await?;
        anyhow::ensure!(event::Entity::find().count(&db).await? == events_before, "an unchanged profile wrote an event");
        profiles::update_profile(&db, ada, &ProfileForm { display_name: "Ada L.".into(), ..form.clone() }).await?;
        anyhow::ensure!(event::Entity::find().count(&db).await? == events_before + 1, "a change is one event, for the pages");
        anyhow::ensure!(events::newest_record_change(&db).await? == records_before, "and no record, search or download, changes with it");
        Ok(())
    })
    .await
}
