//! Networks over HTTP with the demo content: every page for each kind of visitor, the review
//! queue and membership through plain form posts, refusals that change nothing, renames.

use axum::http::StatusCode;
use casebook_domain::entities::{case_study, network, network_member, submission};
use casebook_domain::identity::roles::{self, Role, Source};
use casebook_domain::vocabulary::{MembershipState, SubmissionState};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::support::{attribute_after, case_study_fields, user_id, TestApp};

const LOCAL: &str = "local-digital-data";

/// The slug of the demo case study whose title starts so.
pub async fn slug_of(app: &TestApp, title_start: &str) -> anyhow::Result<String> {
    let found = case_study::Entity::find().filter(case_study::Column::Title.starts_with(title_start)).one(&app.db).await?;
    found.map(|m| m.slug).ok_or_else(|| anyhow::anyhow!("no case study starts {title_start:?}"))
}

async fn state_of(app: &TestApp, title_start: &str, network_slug: &str) -> anyhow::Result<SubmissionState> {
    let slug = slug_of(app, title_start).await?;
    let case_study = case_study::Entity::find().filter(case_study::Column::Slug.eq(&slug)).one(&app.db).await?.map_or(0, |m| m.id);
    let network = network::Entity::find().filter(network::Column::Slug.eq(network_slug)).one(&app.db).await?.map_or(0, |n| n.id);
    let found = submission::Entity::find()
        .filter(submission::Column::CaseStudyId.eq(case_study))
        .filter(submission::Column::NetworkId.eq(network))
        .one(&app.db)
        .await?;
    found.map(|s| s.state).ok_or_else(|| anyhow::anyhow!("no submission"))
}

/// The submission id in the review queue's form for the case study titled so.
fn submission_id(queue: &str, title: &str) -> Option<String> {
    let at = queue.find(&format!("Reason, if you do not accept “{title}”"))?;
    let form = &queue[queue[..at].rfind("<form")?..];
    attribute_after(form, r#"name="submission""#, "value")
}

#[tokio::test]
async fn every_network_page_answers_each_kind_of_visitor() -> anyhow::Result<()> {
    let mut anonymous = TestApp::start().await?;
    let mut organiser = anonymous.new_browser();
    organiser.sign_in_as("Priya").await?;
    let mut member = anonymous.new_browser();
    member.sign_in_as("Aisha").await?;
    let mut outsider = anonymous.new_browser();
    outsider.sign_in_as("Hassan").await?;

    let list = anonymous.get("/networks").await?;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains_all(
        "the networks list",
        &["Cross-Government Data Practitioners", "Local Digital Data Network", "Open Data Unconference"],
    );
    let page = anonymous.get(&format!("/networks/{LOCAL}")).await?;
    page.assert_contains_all("a network page", &["Priya Shah", "Find your bin day", "Getting started with UPRNs", "Sign in to join"]);
    assert!(!page.body.contains("Opening up Eastmere"), "a pending submission is not shown");
    assert!(!page.body.contains("A street-level air quality"), "nor a rejected one");
    assert!(member.get(&format!("/networks/{LOCAL}")).await?.body.contains("Leave this network"));
    let as_organiser = organiser.get(&format!("/networks/{LOCAL}")).await?;
    as_organiser.assert_contains_all("the organiser's view", &["Review queue (2 waiting)", "Manage members", "Edit this network"]);
    let filtered = anonymous.get(&format!("/networks/{LOCAL}?service_area=housing")).await?;
    assert!(filtered.body.contains("Bringing empty homes") && !filtered.body.contains("Find your bin day"), "the list's filters work here");

    assert_eq!(anonymous.get(&format!("/networks/{LOCAL}/review")).await?.status, StatusCode::UNAUTHORIZED);
    assert_eq!(member.get(&format!("/networks/{LOCAL}/review")).await?.status, StatusCode::FORBIDDEN);
    let queue = organiser.get(&format!("/networks/{LOCAL}/review")).await?;
    assert_eq!(queue.status, StatusCode::OK);
    queue.assert_contains_all("the queue", &["Opening up Eastmere", "Using collision data"]);
    assert!(queue.body.find("Opening up Eastmere") < queue.body.find("Using collision data"), "oldest first");

    // An open network lists its members to anyone; one that chooses its members, to members.
    assert_eq!(anonymous.get(&format!("/networks/{LOCAL}/members")).await?.status, StatusCode::OK);
    assert_eq!(outsider.get("/networks/open-data-unconference/members").await?.status, StatusCode::FORBIDDEN);
    assert!(!outsider.get("/networks/open-data-unconference").await?.body.contains("Olusegun Adeyemi"), "nor on its page");
    assert_eq!(member.get("/networks/no-such-network").await?.status, StatusCode::NOT_FOUND);
    assert_eq!(member.get("/networks/new").await?.status, StatusCode::FORBIDDEN);
    assert_eq!(member.get(&format!("/networks/{LOCAL}/edit")).await?.status, StatusCode::FORBIDDEN);
    assert_eq!(organiser.get(&format!("/networks/{LOCAL}/edit")).await?.status, StatusCode::OK);

    let profile = anonymous.get("/people/1").await?;
    assert!(profile.body.contains("Local Digital Data Network"), "a profile lists its person's networks");
    Ok(())
}

#[tokio::test]
async fn an_organiser_approves_one_and_rejects_one_and_their_authors_see_both() -> anyhow::Result<()> {
    let mut organiser = TestApp::start().await?;
    organiser.sign_in_as("Priya").await?;
    let queue = organiser.get(&format!("/networks/{LOCAL}/review")).await?;
    let approve =
        submission_id(&queue.body, "Opening up Eastmere's local plan consultation with map-based comments").expect("Aisha's submission");
    let reject =
        submission_id(&queue.body, "Using collision data to review exceptions to the 20mph default in Bryngarth").expect("Gareth's");
    let token = organiser.csrf_token().await?;
    let path = format!("/networks/{LOCAL}/review");

    // A rejection without its reason comes back with the error, and changes nothing.
    let refused = organiser.post(&path, &[("csrf_token", &token), ("submission", &reject), ("decision", "reject"), ("reason", "")]).await?;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Give the reason it is not accepted"));
    assert_eq!(state_of(&organiser, "Using collision data", LOCAL).await?, SubmissionState::Pending);

    let approved = organiser.post(&path, &[("csrf_token", &token), ("submission", &approve), ("decision", "approve")]).await?;
    assert_eq!((approved.status, approved.location.as_deref()), (StatusCode::SEE_OTHER, Some(path.as_str())));
    let reason = "Thanks: add the collision dataset's licence and submit it again.";
    let rejected =
        organiser.post(&path, &[("csrf_token", &token), ("submission", &reject), ("decision", "reject"), ("reason", reason)]).await?;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER);
    // Deciding again is a clear clash, and changes nothing.
    let again =
        organiser.post(&path, &[("csrf_token", &token), ("submission", &approve), ("decision", "reject"), ("reason", "No")]).await?;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("already been decided"));
    assert_eq!(state_of(&organiser, "Opening up Eastmere", LOCAL).await?, SubmissionState::Approved);

    let mut aisha = organiser.new_browser();
    aisha.sign_in_as("Aisha").await?;
    let eastmere = slug_of(&organiser, "Opening up Eastmere").await?;
    let page = aisha.get(&format!("/case-studies/{eastmere}")).await?;
    page.assert_contains_all("Aisha's case study", &["Your submissions", "Approved", "Shared in"]);
    let mut gareth = organiser.new_browser();
    gareth.sign_in_as("Gareth").await?;
    let collision = slug_of(&organiser, "Using collision data").await?;
    assert!(gareth.get(&format!("/case-studies/{collision}")).await?.body.contains(reason));
    let gareth_id = user_id(&organiser, "Gareth Llewellyn").await?;
    let profile = gareth.get(&format!("/people/{gareth_id}")).await?;
    profile.assert_contains_all("Gareth's own profile", &["Your case studies in networks", reason, "Not accepted"]);
    assert!(!organiser.new_browser().get(&format!("/people/{gareth_id}")).await?.body.contains(reason), "decisions are for their authors");
    let network_page = organiser.new_browser().get(&format!("/networks/{LOCAL}")).await?;
    assert!(network_page.body.contains("Opening up Eastmere") && !network_page.body.contains("Using collision data"));
    // The decision reaches the search index through the event log.
    organiser.indexed().await?;
    let found = organiser.new_browser().get(&format!("/search?network={LOCAL}")).await?;
    assert!(found.body.contains("Opening up Eastmere") && !found.body.contains("Using collision data"));
    Ok(())
}

#[tokio::test]
async fn a_member_joins_a_network_and_submits_a_case_study_without_javascript() -> anyhow::Result<()> {
    let mut hassan = TestApp::start().await?;
    hassan.sign_in_as("Hassan").await?;
    let token = hassan.csrf_token().await?;
    let joined = hassan.post(&format!("/networks/{LOCAL}"), &[("csrf_token", &token), ("action", "join")]).await?;
    assert_eq!(joined.status, StatusCode::SEE_OTHER);
    assert!(hassan.get(&format!("/networks/{LOCAL}")).await?.body.contains("You are a member of this network."));
    let pharmacy = slug_of(&hassan, "A pharmacy finder").await?;
    let page = hassan.get(&format!("/case-studies/{pharmacy}")).await?;
    assert!(page.body.contains("Submit it to your networks"));
    let empty = hassan.post(&format!("/case-studies/{pharmacy}"), &[("csrf_token", &token), ("action", "submit")]).await?;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "choosing no network is an error");
    let submitted =
        hassan.post(&format!("/case-studies/{pharmacy}"), &[("csrf_token", &token), ("action", "submit"), ("networks", LOCAL)]).await?;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER);
    assert!(hassan.get(&format!("/case-studies/{pharmacy}")).await?.body.contains("Waiting for review"));
    assert!(!hassan.new_browser().get(&format!("/networks/{LOCAL}")).await?.body.contains("A pharmacy finder"));

    // Asking to join a network that chooses, and an invitation-only one refusing.
    let asked = hassan.post("/networks/open-data-unconference", &[("csrf_token", &token), ("action", "join")]).await?;
    assert_eq!(asked.status, StatusCode::FORBIDDEN);
    let left = hassan.post(&format!("/networks/{LOCAL}"), &[("csrf_token", &token), ("action", "leave")]).await?;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    Ok(())
}

#[tokio::test]
async fn non_organisers_are_refused_every_organiser_action_and_nothing_changes() -> anyhow::Result<()> {
    let mut member = TestApp::start().await?;
    member.sign_in_as("Aisha").await?;
    let token = member.csrf_token().await?;
    let pending = submission::Entity::find().filter(submission::Column::State.eq(SubmissionState::Pending)).one(&member.db).await?;
    let pending = pending.expect("a pending demo submission").id.to_string();
    let review = format!("/networks/{LOCAL}/review");
    let decided = member.post(&review, &[("csrf_token", &token), ("submission", &pending), ("decision", "approve")]).await?;
    assert_eq!(decided.status, StatusCode::FORBIDDEN);
    let crafted = member.post(&review, &[("csrf_token", &token), ("report", "1"), ("decision", "hide")]).await?;
    assert_eq!(crafted.status, StatusCode::FORBIDDEN);
    let members = format!("/networks/{LOCAL}/members");
    let promoted = member.post(&members, &[("csrf_token", &token), ("action", "role"), ("user", "3"), ("role", "organiser")]).await?;
    assert_eq!(promoted.status, StatusCode::FORBIDDEN);
    let removed = member.post(&members, &[("csrf_token", &token), ("action", "remove"), ("user", "1")]).await?;
    assert_eq!(removed.status, StatusCode::FORBIDDEN);
    let edited = member
        .post(
            &format!("/networks/{LOCAL}/edit"),
            &[("csrf_token", &token), ("name", "Taken over"), ("join_policy", "open"), ("review_policy", "every")],
        )
        .await?;
    assert_eq!(edited.status, StatusCode::FORBIDDEN);
    let created = member
        .post("/networks/new", &[("csrf_token", &token), ("name", "Mine"), ("join_policy", "open"), ("review_policy", "every")])
        .await?;
    assert_eq!(created.status, StatusCode::FORBIDDEN);
    let curated = member
        .post("/collections/getting-started-with-uprns", &[("csrf_token", &token), ("action", "remove"), ("item", "1"), ("version", "4")])
        .await?;
    assert_eq!(curated.status, StatusCode::FORBIDDEN);
    let reordered = member
        .post(
            "/fn/reorder_collection",
            &[("slug", "getting-started-with-uprns"), ("version", "4"), ("order[0]", "3"), ("order[1]", "2"), ("order[2]", "1")],
        )
        .await?;
    assert!(
        reordered.status != StatusCode::OK && reordered.body.to_lowercase().contains("forbidden"),
        "the drag and drop server function asks the same table: {} {}",
        reordered.status,
        reordered.body
    );
    let anonymous =
        member.new_browser().post(&review, &[("csrf_token", &token), ("submission", &pending), ("decision", "approve")]).await?;
    assert!(matches!(anonymous.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN));

    assert_eq!(submission::Entity::find().filter(submission::Column::State.eq(SubmissionState::Pending)).count(&member.db).await?, 4);
    assert_eq!(network::Entity::find().count(&member.db).await?, 3);
    let organisers = network_member::Entity::find()
        .filter(network_member::Column::Role.eq(casebook_domain::vocabulary::NetworkRole::Organiser))
        .filter(network_member::Column::State.eq(MembershipState::Active))
        .count(&member.db)
        .await?;
    assert_eq!(organisers, 3);
    let items = casebook_domain::collections::view(&member.db, None, "getting-started-with-uprns", None).await?;
    assert_eq!(items.items.total_items, 3);
    Ok(())
}

#[tokio::test]
async fn an_admin_creates_a_network_an_organiser_renames_it_and_old_links_still_arrive() -> anyhow::Result<()> {
    let mut admin = TestApp::start().await?;
    let emma = user_id(&admin, "Emma Thornton").await?;
    roles::grant(&admin.db, emma, Role::Admin, Source::Command).await?;
    admin.sign_in_as("Emma").await?;
    let token = admin.csrf_token().await?;
    assert_eq!(admin.get("/networks/new").await?.status, StatusCode::OK);
    let long = "n".repeat(121);
    let refused = admin
        .post("/networks/new", &[("csrf_token", &token), ("name", &long), ("join_policy", "open"), ("review_policy", "every")])
        .await?;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains_all("the refused form", &["Name must be 120 characters or fewer", "Name at least one organiser"]);
    assert_eq!(network::Entity::find().count(&admin.db).await?, 3, "nothing was created");
    let created = admin
        .post(
            "/networks/new",
            &[
                ("csrf_token", &token),
                ("name", "Data in Wales"),
                ("join_policy", "request"),
                ("review_policy", "every"),
                ("organisers", "4"),
            ],
        )
        .await?;
    assert_eq!((created.status, created.location.as_deref()), (StatusCode::SEE_OTHER, Some("/networks/data-in-wales")));

    let mut organiser = admin.new_browser();
    let organiser_name =
        casebook_domain::entities::user::Entity::find_by_id(4).one(&admin.db).await?.map(|u| u.display_name).unwrap_or_default();
    organiser.sign_in_as(organiser_name.split(' ').next().unwrap_or_default()).await?;
    let token = organiser.csrf_token().await?;
    let renamed = organiser
        .post(
            "/networks/data-in-wales/edit",
            &[
                ("csrf_token", &token),
                ("name", "Data Cymru"),
                ("slug", "data-cymru"),
                ("join_policy", "request"),
                ("review_policy", "every"),
            ],
        )
        .await?;
    assert_eq!((renamed.status, renamed.location.as_deref()), (StatusCode::SEE_OTHER, Some("/networks/data-cymru")));
    let old = admin.new_browser().get("/networks/data-in-wales/members?x=1").await?;
    assert_eq!((old.status, old.location.as_deref()), (StatusCode::PERMANENT_REDIRECT, Some("/networks/data-cymru/members?x=1")));
    assert!(admin.new_browser().get("/networks/data-cymru").await?.body.contains("Data Cymru"));
    Ok(())
}

#[tokio::test]
async fn reports_reach_the_organisers_and_a_hidden_case_study_leaves_the_network() -> anyhow::Result<()> {
    let mut reader = TestApp::start().await?;
    reader.sign_in_as("Hassan").await?;
    let token = reader.csrf_token().await?;
    let bins = slug_of(&reader, "Find your bin day").await?;
    let page = reader.get(&format!("/case-studies/{bins}")).await?;
    assert!(page.body.contains("Report a problem with this case study"));
    let path = format!("/case-studies/{bins}");
    let empty = reader.post(&path, &[("csrf_token", &token), ("action", "report"), ("network", LOCAL), ("reason", "")]).await?;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let long = "r".repeat(501);
    let too_long = reader.post(&path, &[("csrf_token", &token), ("action", "report"), ("network", LOCAL), ("reason", &long)]).await?;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    let sent = reader
        .post(&path, &[("csrf_token", &token), ("action", "report"), ("network", LOCAL), ("reason", "The finder link is broken.")])
        .await?;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);

    let mut organiser = reader.new_browser();
    organiser.sign_in_as("Priya").await?;
    let queue = organiser.get(&format!("/networks/{LOCAL}/review")).await?;
    assert!(queue.body.contains("The finder link is broken."));
    let report = attribute_after(&queue.body[queue.body.find("The finder link is broken.").unwrap_or(0)..], r#"name="report""#, "value")
        .expect("report id");
    let token = organiser.csrf_token().await?;
    let hidden =
        organiser.post(&format!("/networks/{LOCAL}/review"), &[("csrf_token", &token), ("report", &report), ("decision", "hide")]).await?;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER);
    assert!(!reader.get(&format!("/networks/{LOCAL}")).await?.body.contains("Find your bin day"));
    Ok(())
}

#[tokio::test]
async fn search_offers_the_networks_case_studies_are_shared_in() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.indexed().await?;
    let found = app.get(&format!("/search?network={LOCAL}")).await?;
    assert_eq!(found.status, StatusCode::OK);
    found.assert_contains_all("a network filter", &["Find your bin day", "Network", "Local Digital Data Network"]);
    assert!(!found.body.contains("Opening up Eastmere"), "pending submissions are not in the filter");
    assert!(!found.body.contains("Daily care home vacancy"), "nor case studies shared only elsewhere");
    let api = app.get(&format!("/api/v1/search?network={LOCAL}")).await?;
    assert!(api.body.contains("\"network\""), "the API has the facet too");
    Ok(())
}

/// `/networks/<slug>/members` was refused for a network that chooses its members, but every
/// profile listed all its person's networks: walking `/people/1..N` rebuilt the hidden list.
#[tokio::test]
async fn profiles_show_a_membership_only_to_those_who_may_see_that_networks_members() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    let mei = format!("/people/{}", crate::support::user_id(&app, "Mei Lin Chen").await?);
    let closed = ["Cross-Government Data Practitioners", "Open Data Unconference"];
    let mut anonymous = app.new_browser();
    let seen = anonymous.get(&mei).await?;
    assert!(seen.body.contains("Local Digital Data Network"), "an open network's members are public");
    for name in closed {
        assert!(!seen.body.contains(name), "{name} shown to a stranger");
    }
    let mut outsider = app.new_browser();
    outsider.sign_in_as("Aisha").await?;
    let seen = outsider.get(&mei).await?;
    assert!(closed.iter().all(|name| !seen.body.contains(name)), "nor to someone outside those networks");
    let mut fellow = app.new_browser();
    fellow.sign_in_as("Kwame").await?;
    fellow.get(&mei).await?.assert_contains_all("a fellow member's view", &closed);
    app.sign_in_as("Mei").await?;
    app.get(&mei).await?.assert_contains_all("her own profile", &closed);
    Ok(())
}

/// The review queue showed a case study's current title and story to reviewers after its
/// authors unpublished it, and let them approve it.
#[tokio::test]
async fn unpublishing_withdraws_what_waits_for_review_and_reviewers_never_see_it() -> anyhow::Result<()> {
    let mut organiser = TestApp::start().await?;
    organiser.sign_in_as("Priya").await?;
    let review = format!("/networks/{LOCAL}/review");
    let queue = organiser.get(&review).await?;
    let title = "Opening up Eastmere";
    let waiting = submission_id(&queue.body, "Opening up Eastmere's local plan consultation with map-based comments")
        .ok_or_else(|| anyhow::anyhow!("not in the queue"))?;

    let mut author = organiser.new_browser();
    author.sign_in_as("Aisha").await?;
    let slug = slug_of(&author, title).await?;
    let token = author.csrf_token().await?;
    let secret = "Unpublished and now saying something else";
    let unpublished = author.post_edit(&slug, &case_study_fields(&token, secret, "draft")).await?;
    assert_eq!(unpublished.status, StatusCode::SEE_OTHER);
    assert_eq!(state_of(&author, secret, LOCAL).await?, SubmissionState::Withdrawn);
    let profile = author.get(&format!("/people/{}", user_id(&author, "Aisha Bello").await?)).await?;
    profile.assert_contains_all("the author's note", &[casebook_domain::networks::WITHDRAWN_ON_UNPUBLISHING]);

    let queue = organiser.get(&review).await?;
    assert!(!queue.body.contains(title) && !queue.body.contains(secret), "the queue shows what readers cannot see");
    let token = organiser.csrf_token().await?;
    let approve = organiser.post(&review, &[("csrf_token", &token), ("submission", &waiting), ("decision", "approve")]).await?;
    assert_eq!(approve.status, StatusCode::CONFLICT);
    assert_eq!(state_of(&author, secret, LOCAL).await?, SubmissionState::Withdrawn, "nothing decided");
    Ok(())
}
