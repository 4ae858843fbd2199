//! Networks against real SQLite and PostgreSQL: joining by each policy, submissions through
//! every state, the review queue, reports, renames, and the queries a network page costs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use casebook_domain::entities::{submission, submission_change};
use casebook_domain::forms::{DecisionForm, MemberForm, NetworkForm, ReasonForm, SubmitForm};
use casebook_domain::permissions::NetworkStanding;
use casebook_domain::views::ListFilters;
use casebook_domain::vocabulary::{MembershipState, SubmissionState};
use casebook_domain::{case_studies, networks, DomainError};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::support::{edit, make_user, on_both_engines, valid_form};

/// A site admin, so that networks can be created from the web as they are.
async fn admin(db: &DatabaseConnection) -> anyhow::Result<i32> {
    let id = make_user(db, "Site Admin").await?;
    casebook_domain::identity::roles::grant(
        db,
        id,
        casebook_domain::identity::roles::Role::Admin,
        casebook_domain::identity::roles::Source::Command,
    )
    .await?;
    Ok(id)
}

async fn network(db: &DatabaseConnection, by: i32, slug: &str, join: &str, review: &str, organiser: i32) -> anyhow::Result<String> {
    let form = NetworkForm {
        name: format!("Network {slug}"),
        slug: slug.into(),
        join_policy: join.into(),
        review_policy: review.into(),
        trusted_after: "1".into(),
        organisers: organiser.to_string(),
        ..Default::default()
    };
    Ok(networks::create(db, Some(by), &form).await?)
}

fn member(action: &str, user: i32, role: &str) -> MemberForm {
    MemberForm { action: action.into(), user: Some(user), role: role.into(), who: String::new() }
}

async fn submission_of(db: &DatabaseConnection, case_study: &str) -> anyhow::Result<submission::Model> {
    let id = casebook_domain::entities::case_study::Entity::find()
        .filter(casebook_domain::entities::case_study::Column::Slug.eq(case_study))
        .one(db)
        .await?
        .map(|m| m.id)
        .ok_or_else(|| anyhow::anyhow!("no case study {case_study}"))?;
    submission::Entity::find().filter(submission::Column::CaseStudyId.eq(id)).one(db).await?.ok_or_else(|| anyhow::anyhow!("no submission"))
}

fn decision(submission: i32, decision: &str, reason: &str) -> DecisionForm {
    DecisionForm { submission, decision: decision.into(), reason: reason.into() }
}

async fn shown(db: &DatabaseConnection, viewer: Option<i32>, slug: &str) -> anyhow::Result<u64> {
    Ok(networks::page(db, &Default::default(), &Default::default(), viewer, slug, ListFilters::default()).await?.case_studies.total_items)
}

#[tokio::test]
async fn joining_follows_each_join_policy_and_a_network_keeps_an_organiser() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let admin = admin(&db).await?;
        let organiser = make_user(&db, "Olu Organiser").await?;
        let person = make_user(&db, "Pat Person").await?;
        let outsider = make_user(&db, "Oz Outsider").await?;
        network(&db, admin, "open-net", "open", "every", organiser).await?;
        network(&db, admin, "asking-net", "request", "every", organiser).await?;
        network(&db, admin, "invite-net", "invite", "every", organiser).await?;

        assert_eq!(networks::join(&db, person, "open-net").await?, MembershipState::Active);
        assert!(matches!(networks::join(&db, person, "open-net").await, Err(DomainError::Conflict(_))), "joining twice is a clash");
        assert_eq!(networks::join(&db, person, "asking-net").await?, MembershipState::Requested);
        assert!(matches!(networks::join(&db, person, "invite-net").await, Err(DomainError::Forbidden)));

        // Members of a network that chooses its members are not listed to outsiders.
        assert!(networks::members(&db, Some(outsider), "open-net").await.is_ok());
        assert!(matches!(networks::members(&db, Some(outsider), "asking-net").await, Err(DomainError::Forbidden)));
        assert!(matches!(networks::members(&db, None, "invite-net").await, Err(DomainError::Unauthenticated)));

        // Only organisers let people in, invite and change roles.
        let admit = member("admit", person, "");
        assert!(matches!(networks::manage(&db, outsider, "asking-net", &admit).await, Err(DomainError::Forbidden)));
        assert!(matches!(
            networks::manage(&db, person, "open-net", &member("role", person, "organiser")).await,
            Err(DomainError::Forbidden)
        ));
        networks::manage(&db, organiser, "asking-net", &admit).await?;
        let invite = MemberForm { action: "invite".into(), who: person.to_string(), ..Default::default() };
        networks::manage(&db, organiser, "invite-net", &invite).await?;
        assert_eq!(
            networks::page(&db, &Default::default(), &Default::default(), Some(person), "invite-net", ListFilters::default())
                .await?
                .standing,
            NetworkStanding::Invited
        );
        assert_eq!(networks::join(&db, person, "invite-net").await?, MembershipState::Active);
        let listed = networks::members(&db, Some(person), "asking-net").await?;
        assert_eq!(listed.members.len(), 2, "the organiser and the person let in");
        assert!(!listed.can_manage && listed.waiting.is_empty(), "requests are for organisers' eyes");

        // The last organiser cannot leave, step down or be removed.
        let refused = networks::leave(&db, organiser, "open-net").await;
        assert!(matches!(refused, Err(DomainError::Conflict(_))), "{refused:?}");
        let demote = member("role", organiser, "member");
        assert!(matches!(networks::manage(&db, organiser, "open-net", &demote).await, Err(DomainError::Conflict(_))));
        networks::manage(&db, organiser, "open-net", &member("role", person, "organiser")).await?;
        networks::leave(&db, organiser, "open-net").await?;
        assert_eq!(
            networks::page(&db, &Default::default(), &Default::default(), Some(organiser), "open-net", ListFilters::default())
                .await?
                .standing,
            NetworkStanding::Outsider
        );
        let profile = casebook_domain::identity::profiles::profile(&db, person, Some(person)).await?;
        assert_eq!(profile.networks.len(), 3, "a person belongs to many networks, and their own profile lists them");
        let seen = casebook_domain::identity::profiles::profile(&db, person, None).await?;
        assert_eq!(seen.networks.len(), 1, "to a stranger, only the network whose members anyone may see");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_submission_moves_through_its_states_and_is_shown_only_once_approved() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let admin = admin(&db).await?;
        let organiser = make_user(&db, "Rae Reviewer").await?;
        let author = make_user(&db, "Ama Author").await?;
        let stranger = make_user(&db, "Sam Stranger").await?;
        network(&db, admin, "reviewed", "open", "every", organiser).await?;
        networks::join(&db, author, "reviewed").await?;
        let slug = case_studies::create(&db, author, &valid_form("Bin days for the review queue")).await?;
        let to_network = SubmitForm { networks: vec!["reviewed".into()] };
        assert!(
            matches!(networks::submit(&db, stranger, &slug, &to_network).await, Err(DomainError::Forbidden)),
            "only its authors submit it"
        );
        assert_eq!(networks::submit(&db, author, &slug, &to_network).await?, vec![("reviewed".to_string(), SubmissionState::Pending)]);

        // Pending: invisible on the network's page, in its counts, in the list filter and on
        // the case study's page, except to its authors and the reviewers.
        assert_eq!(shown(&db, None, "reviewed").await?, 0);
        assert_eq!(networks::list(&db, None, None).await?.networks.items[0].case_study_count, 0);
        let filtered = case_studies::list(
            &db,
            &Default::default(),
            &Default::default(),
            &ListFilters { network: Some("reviewed".into()), ..Default::default() },
        )
        .await?;
        assert_eq!(filtered.total_items, 0);
        assert!(case_studies::view(&db, &Default::default(), &Default::default(), &slug, None).await?.sharing.shared_in.is_empty());
        assert!(case_studies::view(&db, &Default::default(), &Default::default(), &slug, Some(stranger))
            .await?
            .sharing
            .submissions
            .is_empty());
        assert_eq!(
            case_studies::view(&db, &Default::default(), &Default::default(), &slug, Some(author)).await?.sharing.submissions[0].state,
            SubmissionState::Pending
        );
        assert!(matches!(networks::queue(&db, Some(author), "reviewed").await, Err(DomainError::Forbidden)));
        let queue = networks::queue(&db, Some(organiser), "reviewed").await?;
        assert_eq!(queue.pending.len(), 1);

        let id = submission_of(&db, &slug).await?.id;
        assert!(matches!(networks::decide(&db, author, "reviewed", &decision(id, "approve", "")).await, Err(DomainError::Forbidden)));
        assert_eq!(networks::decide(&db, organiser, "reviewed", &decision(id, "approve", "")).await?, SubmissionState::Approved);
        assert_eq!(shown(&db, None, "reviewed").await?, 1);
        assert_eq!(networks::list(&db, None, None).await?.networks.items[0].case_study_count, 1);
        assert_eq!(case_studies::view(&db, &Default::default(), &Default::default(), &slug, None).await?.sharing.shared_in.len(), 1);
        let twice = networks::decide(&db, organiser, "reviewed", &decision(id, "reject", "Changed my mind")).await;
        assert!(matches!(&twice, Err(DomainError::Conflict(why)) if why.contains("already been decided")), "{twice:?}");

        networks::withdraw(&db, author, &slug, "reviewed").await?;
        assert_eq!(shown(&db, None, "reviewed").await?, 0);
        let withdrawn = networks::decide(&db, organiser, "reviewed", &decision(id, "approve", "")).await;
        assert!(matches!(&withdrawn, Err(DomainError::Conflict(why)) if why.contains("withdrew")), "{withdrawn:?}");

        networks::submit(&db, author, &slug, &to_network).await?;
        let no_reason = networks::decide(&db, organiser, "reviewed", &decision(id, "reject", "  ")).await;
        assert!(matches!(&no_reason, Err(DomainError::Invalid(e)) if e.get(&format!("reason-{id}")).is_some()), "{no_reason:?}");
        let long = networks::decide(&db, organiser, "reviewed", &decision(id, "reject", &"x".repeat(501))).await;
        assert!(matches!(long, Err(DomainError::Invalid(_))), "a reason has a limit");
        assert_eq!(submission_of(&db, &slug).await?.state, SubmissionState::Pending, "refusals change nothing");
        let reason = "Say which datasets the service uses.";
        assert_eq!(networks::decide(&db, organiser, "reviewed", &decision(id, "reject", reason)).await?, SubmissionState::Rejected);

        // The author sees each decision with its reason, on the case study and their profile.
        let mine = casebook_domain::identity::profiles::profile(&db, author, Some(author)).await?.submissions;
        assert_eq!((mine[0].state, mine[0].reason.as_deref()), (SubmissionState::Rejected, Some(reason)));
        assert!(casebook_domain::identity::profiles::profile(&db, author, Some(stranger)).await?.submissions.is_empty());
        // Every change is kept, with who made it.
        let changes = submission_change::Entity::find().filter(submission_change::Column::SubmissionId.eq(id)).all(&db).await?;
        let states: Vec<SubmissionState> = changes.iter().map(|c| c.state).collect();
        use SubmissionState::*;
        assert_eq!(states, [Pending, Approved, Withdrawn, Pending, Rejected]);
        assert_eq!(changes.iter().map(|c| c.changed_by).collect::<Vec<_>>(), [author, organiser, author, author, organiser].map(Some));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn review_policies_share_trusted_work_at_once_and_edits_after_approval_show_in_the_queue() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let admin = admin(&db).await?;
        let organiser = make_user(&db, "Tia Trusting").await?;
        let author = make_user(&db, "Max Member").await?;
        network(&db, admin, "trusting", "open", "trusted", organiser).await?;
        networks::join(&db, author, "trusting").await?;
        let to_network = SubmitForm { networks: vec!["trusting".into()] };
        let first = case_studies::create(&db, author, &valid_form("First from a new member")).await?;
        let second = case_studies::create(&db, author, &valid_form("Second from a trusted member")).await?;
        let own = case_studies::create(&db, organiser, &valid_form("The organiser's own")).await?;
        assert_eq!(networks::submit(&db, author, &first, &to_network).await?[0].1, SubmissionState::Pending);
        let id = submission_of(&db, &first).await?.id;
        networks::decide(&db, organiser, "trusting", &decision(id, "approve", "")).await?;
        assert_eq!(networks::submit(&db, author, &second, &to_network).await?[0].1, SubmissionState::Approved, "trusted after one");
        assert_eq!(networks::submit(&db, organiser, &own, &to_network).await?[0].1, SubmissionState::Approved);

        // Edited after approval: still shared, and the queue says what changed.
        edit(
            &db,
            author,
            &first,
            &casebook_domain::forms::CaseStudyForm { summary: "Now with the costs saved.".into(), ..valid_form("First from a new member") },
        )
        .await?;
        assert_eq!(submission_of(&db, &first).await?.state, SubmissionState::Approved);
        let queue = networks::queue(&db, Some(organiser), "trusting").await?;
        assert_eq!(queue.changed.len(), 1);
        assert_eq!(queue.changed[0].changed, ["Summary"]);

        // A draft cannot be submitted.
        let draft =
            case_studies::create(&db, author, &casebook_domain::forms::CaseStudyForm { status: "draft".into(), ..valid_form("A draft") })
                .await?;
        assert!(matches!(networks::submit(&db, author, &draft, &to_network).await, Err(DomainError::Conflict(_))));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn reports_join_the_queue_and_organisers_hide_a_case_study_from_their_network() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let admin = admin(&db).await?;
        let organiser = make_user(&db, "Hal Hider").await?;
        let reviewer = make_user(&db, "Rob Reviewer").await?;
        let reader = make_user(&db, "Rita Reader").await?;
        network(&db, admin, "moderated", "open", "organisers", organiser).await?;
        networks::join(&db, reviewer, "moderated").await?;
        networks::manage(&db, organiser, "moderated", &member("role", reviewer, "reviewer")).await?;
        let slug = case_studies::create(&db, organiser, &valid_form("Shared then reported")).await?;
        networks::submit(&db, organiser, &slug, &SubmitForm { networks: vec!["moderated".into()] }).await?;

        let empty = networks::report(&db, reader, &slug, &ReasonForm { network: "moderated".into(), reason: " ".into() }).await;
        assert!(matches!(empty, Err(DomainError::Invalid(_))), "a report needs its reason");
        let reason = ReasonForm { network: "moderated".into(), reason: "The contact address bounces.".into() };
        networks::report(&db, reader, &slug, &reason).await?;
        assert!(matches!(networks::report(&db, reader, &slug, &reason).await, Err(DomainError::Conflict(_))), "once is enough");
        let queue = networks::queue(&db, Some(reviewer), "moderated").await?;
        assert_eq!(queue.reports.len(), 1);
        assert!(!queue.can_hide, "reviewers dismiss; organisers hide");
        let report = queue.reports[0].report_id;
        assert!(matches!(networks::resolve_report(&db, reviewer, "moderated", report, true).await, Err(DomainError::Forbidden)));
        networks::resolve_report(&db, organiser, "moderated", report, true).await?;
        assert_eq!(shown(&db, None, "moderated").await?, 0, "hidden from the network");
        assert!(networks::queue(&db, Some(organiser), "moderated").await?.reports.is_empty());
        assert!(matches!(networks::resolve_report(&db, organiser, "moderated", report, false).await, Err(DomainError::Conflict(_))));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_renamed_network_keeps_its_old_address_and_only_organisers_rename_it() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let admin = admin(&db).await?;
        let organiser = make_user(&db, "Rene Renamer").await?;
        let member_id = make_user(&db, "Mo Member").await?;
        network(&db, admin, "old-name", "open", "every", organiser).await?;
        networks::join(&db, member_id, "old-name").await?;
        let form = NetworkForm {
            name: "New name".into(),
            slug: "new-name".into(),
            join_policy: "open".into(),
            review_policy: "every".into(),
            ..Default::default()
        };
        assert!(matches!(networks::update(&db, member_id, "old-name", &form).await, Err(DomainError::Forbidden)));
        assert!(
            matches!(networks::create(&db, Some(organiser), &form).await, Err(DomainError::Forbidden)),
            "only site admins create networks"
        );
        let crowd = NetworkForm { organisers: (0..21).map(|n| n.to_string()).collect::<Vec<_>>().join(","), ..form.clone() };
        let refused = networks::create(&db, Some(admin), &crowd).await;
        assert!(matches!(&refused, Err(DomainError::Invalid(e)) if e.get("organisers").is_some()), "limits before lookups: {refused:?}");
        let long = MemberForm { action: "invite".into(), who: format!("{}@example.org", "a".repeat(320)), ..Default::default() };
        assert!(matches!(networks::manage(&db, organiser, "old-name", &long).await, Err(DomainError::Invalid(_))));
        // People are found by the address their sign-in gave, whatever its case.
        use sea_orm::{ActiveValue::Set, EntityTrait};
        casebook_domain::entities::user::Entity::update(casebook_domain::entities::user::ActiveModel {
            id: Set(member_id),
            email: Set(Some("Mo.Member@Example.org".into())),
            ..Default::default()
        })
        .exec(&db)
        .await?;
        let by_email = MemberForm { action: "invite".into(), who: "mo.member@example.ORG".into(), ..Default::default() };
        let found = networks::manage(&db, organiser, "old-name", &by_email).await;
        assert!(matches!(&found, Err(DomainError::Conflict(why)) if why.contains("already a member")), "{found:?}");
        let stranger = MemberForm { who: "nobody@example.org".into(), ..by_email };
        assert!(matches!(networks::manage(&db, organiser, "old-name", &stranger).await, Err(DomainError::Invalid(_))));
        assert_eq!(networks::update(&db, organiser, "old-name", &form).await?, "new-name");
        assert_eq!(networks::moved_to(&db, "old-name").await?.as_deref(), Some("new-name"));
        let taken = NetworkForm { slug: "old-name".into(), ..form.clone() };
        network(&db, admin, "other", "open", "every", organiser).await?;
        assert!(
            matches!(networks::update(&db, organiser, "other", &taken).await, Err(DomainError::Invalid(_))),
            "an old address stays taken"
        );
        Ok(())
    })
    .await
}

/// Queries a network's page costs with `shared` case studies approved in it.
async fn page_queries(db: &DatabaseConnection, shared: usize) -> anyhow::Result<u64> {
    let admin = admin(db).await?;
    let organiser = make_user(db, "Quentin Queries").await?;
    let slug = format!("counted-{shared}");
    network(db, admin, &slug, "open", "organisers", organiser).await?;
    for n in 0..shared {
        let case_study = case_studies::create(db, organiser, &valid_form(&format!("Counted {shared} number {n}"))).await?;
        networks::submit(db, organiser, &case_study, &SubmitForm { networks: vec![slug.clone()] }).await?;
    }
    let count = Arc::new(AtomicU64::new(0));
    let mut counted = db.clone();
    let counter = count.clone();
    counted.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let page = networks::page(&counted, &Default::default(), &Default::default(), None, &slug, ListFilters::default()).await?;
    anyhow::ensure!(page.case_studies.total_items == shared as u64);
    Ok(count.load(Ordering::Relaxed))
}

#[tokio::test]
async fn a_network_page_costs_the_same_queries_however_many_case_studies_it_shares() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let few = page_queries(&db, 2).await?;
        let many = page_queries(&db, 12).await?;
        assert!(few > 0, "the callback counts");
        assert_eq!(few, many, "queries for 2 and for 12 shared case studies");
        Ok(())
    })
    .await
}

/// `/networks` and the API listed every network at once.
#[tokio::test]
async fn the_networks_list_pages_with_each_pages_counts() -> anyhow::Result<()> {
    let db = crate::support::sqlite().await?;
    let admin = admin(&db).await?;
    let organiser = make_user(&db, "Oli Organiser").await?;
    for n in 0..55 {
        network(&db, admin, &format!("net-{n:02}"), "open", "every", organiser).await?;
    }
    let first = networks::list(&db, None, None).await?.networks;
    assert_eq!((first.total_items, first.total_pages, first.items.len()), (55, 2, 50));
    assert!(first.items.iter().all(|n| n.member_count == 1), "each network counts its own members");
    let second = networks::list(&db, None, Some(2)).await?.networks;
    assert_eq!(second.items.iter().map(|n| n.slug.as_str()).collect::<Vec<_>>(), ["net-50", "net-51", "net-52", "net-53", "net-54"]);
    assert!(networks::list(&db, None, Some(0)).await.is_err(), "page 0 is refused");
    Ok(())
}
