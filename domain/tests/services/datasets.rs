//! Resolving dataset links against a portal the test serves, the safety of fetching, the pace
//! per host, and health over time with a controllable clock.
use std::time::{Duration, Instant};

use casebook_domain::datasets::{self, CheckOptions, Checker, FetchError, FetchOptions, Fetcher, HealthRules, Lookup, ResolveOptions};
use casebook_domain::entities::{dataset, dataset_check, event};
use casebook_domain::vocabulary::{CheckOutcome, DatasetCondition, PortalKind};
use chrono::{Duration as Days, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use std::sync::atomic::Ordering;
use url::Url;

use crate::portal::{self, Served};
use crate::support::{make_user, on_both_engines, sqlite, valid_form};

fn options(served: &Served) -> FetchOptions {
    let mut options = FetchOptions::new("http://casebook.test");
    let port = served.addr.port();
    options.allow_hosts = vec![format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    options.timeout = Duration::from_secs(2);
    options.host_interval = Duration::from_millis(5);
    options
}

fn checker(db: &DatabaseConnection, served: &Served) -> anyhow::Result<Checker> {
    Ok(Checker {
        fetcher: Fetcher::new(db.clone(), options(served))?,
        resolve: ResolveOptions { data_gov_uk_hosts: vec!["localhost".into()], data_gov_uk_api: Url::parse(&served.url("/dgu-api"))? },
        rules: HealthRules::default(),
        options: CheckOptions::default(),
    })
}

/// A portal, a SQLite database and a checker allowed to reach the portal.
async fn on_sqlite() -> anyhow::Result<(Served, DatabaseConnection, Checker)> {
    let served = portal::serve().await?;
    let db = sqlite().await?;
    let checker = checker(&db, &served)?;
    Ok((served, db, checker))
}

async fn look_up(checker: &Checker, address: &str) -> anyhow::Result<Lookup> {
    datasets::look_up(&checker.fetcher, &checker.resolve, &Url::parse(address)?).await.map_err(|d| anyhow::anyhow!("deferred: {d:?}"))
}

#[tokio::test]
async fn each_kind_of_portal_is_read() -> anyhow::Result<()> {
    let (served, _db, checker) = on_sqlite().await?;
    // (address, portal, title, publisher, licence, open, formats, frequency)
    let cases = [
        (
            served.named("/dataset/0f6b9d2e-4c1a-4a57-9d0e-2b1c8e7f6a01/bus-stops-in-northshire"),
            PortalKind::DataGovUk,
            "Bus stops in Northshire",
            "Northshire County Council",
            "Open Government Licence v3.0",
            Some(true),
            vec!["CSV", "GEOJSON"],
            Some("monthly"),
        ),
        (
            served.url("/ckan/dataset/bin-rounds"),
            PortalKind::Ckan,
            "Bin collection rounds",
            "Northshire Council",
            "Open Government Licence 3.0 (United Kingdom)",
            Some(true),
            vec!["CSV", "JSON"],
            Some("weekly"),
        ),
        (
            served.url("/quiet/dataset/street-lights"),
            PortalKind::Ckan,
            "Bin collection rounds",
            "Northshire Council",
            "Open Government Licence 3.0 (United Kingdom)",
            Some(true),
            vec!["CSV", "JSON"],
            Some("weekly"),
        ),
        (
            served.url("/dataset/bin-collections-2xq7p"),
            PortalKind::DataPress,
            "Bin collections",
            "Leeds City Council",
            "OGL-UK-3.0",
            Some(true),
            vec!["CSV", "JSON"],
            Some("monthly"),
        ),
        (
            served.url("/dcat/dataset/air-quality"),
            PortalKind::Dcat,
            "Air quality readings",
            "City Council",
            "Creative Commons Attribution 4.0",
            Some(true),
            vec!["CSV", "JSON"],
            Some("daily"),
        ),
        (
            served.url("/dcat/dataset/planning.rdf"),
            PortalKind::Dcat,
            "Planning applications",
            "Borough Planning Service",
            "Open Government Licence v3.0",
            Some(true),
            vec!["XLSX"],
            Some("weekly"),
        ),
        (
            served.url("/dcat/dataset/school-places.jsonld"),
            PortalKind::Dcat,
            "School places",
            "County Education Department",
            "Creative Commons Zero 1.0",
            Some(true),
            vec!["CSV"],
            None,
        ),
        (
            served.url("/schema/parking"),
            PortalKind::SchemaOrg,
            "Car park occupancy",
            "Eastport Borough Council",
            "Creative Commons Attribution 4.0",
            Some(true),
            vec!["APPLICATION/JSON", "TEXT/CSV"],
            None,
        ),
        (served.url("/plain"), PortalKind::Page, "Gritting routes map", "", "", None, vec![], None),
    ];
    for (address, portal, title, publisher, licence, open, formats, frequency) in cases {
        let lookup = look_up(&checker, &address).await?;
        anyhow::ensure!(lookup.probe.outcome == CheckOutcome::Ok, "{address}: {:?}", lookup.probe);
        let found = lookup.found.ok_or_else(|| anyhow::anyhow!("{address}: nothing found"))?;
        anyhow::ensure!(found.portal == portal, "{address}: read as {:?}", found.portal);
        anyhow::ensure!(found.title == title, "{address}: title {:?}", found.title);
        anyhow::ensure!(found.publisher == publisher, "{address}: publisher {:?}", found.publisher);
        let got = found.licence.clone().unwrap_or_default();
        anyhow::ensure!(got.title == licence && got.open == open, "{address}: licence {got:?}");
        anyhow::ensure!(found.formats == formats, "{address}: formats {:?}", found.formats);
        anyhow::ensure!(found.frequency.as_ref().map(|f| f.label.as_str()) == frequency, "{address}: frequency {:?}", found.frequency);
    }
    // data.gov.uk's promoted `date_updated`, and the newest resource date on a plain CKAN.
    let dgu =
        look_up(&checker, &served.named("/dataset/0f6b9d2e-4c1a-4a57-9d0e-2b1c8e7f6a01/bus-stops-in-northshire")).await?.found.unwrap();
    assert_eq!(dgu.modified.unwrap().to_rfc3339(), "2025-11-20T00:00:00+00:00");
    assert_eq!(dgu.resource_count, Some(2));
    assert!(dgu.description.starts_with("Every bus stop"));
    let ckan = look_up(&checker, &served.url("/ckan/dataset/bin-rounds")).await?.found.unwrap();
    assert_eq!(ckan.modified.unwrap().to_rfc3339(), "2026-11-30T07:00:00+00:00");
    let dcat = look_up(&checker, &served.url("/dcat/dataset/air-quality")).await?.found.unwrap();
    assert_eq!(dcat.resource_count, Some(2));
    // Each request names Casebook and the site.
    let agents = served.portal.agents.lock().unwrap().clone();
    anyhow::ensure!(agents.iter().all(|a| a.starts_with("Casebook/") && a.ends_with("(+http://casebook.test)")), "user agents: {agents:?}");
    Ok(())
}

#[tokio::test]
async fn private_deleted_moved_and_head_refusing_links_are_told_apart() -> anyhow::Result<()> {
    let (served, _db, checker) = on_sqlite().await?;
    let private = look_up(&checker, &served.url("/ckan/dataset/private-one")).await?;
    assert_eq!((private.probe.outcome, private.probe.status, private.found), (CheckOutcome::Private, Some(403), None));
    let deleted = look_up(&checker, &served.url("/ckan/dataset/deleted-one")).await?;
    assert_eq!((deleted.probe.outcome, deleted.probe.status, deleted.found), (CheckOutcome::Gone, Some(404), None));
    let moved = look_up(&checker, &served.url("/moved")).await?;
    assert_eq!(moved.probe.outcome, CheckOutcome::Moved);
    assert_eq!(moved.probe.moved_to, Some(served.url("/plain")));
    let head = datasets::check(&checker.fetcher, &Url::parse(&served.url("/no-head"))?).await.unwrap();
    assert_eq!(head.outcome, CheckOutcome::Ok, "HEAD refused with 405 falls back to GET");
    let methods: Vec<_> =
        served.requests().into_iter().filter(|(_, p, _)| p.starts_with("/no-head")).map(|(m, _, _)| m.to_string()).collect();
    assert_eq!(methods, ["HEAD", "GET"]);
    Ok(())
}

#[tokio::test]
async fn hostile_answers_are_refused_or_cut_short_and_block_nothing_else() -> anyhow::Result<()> {
    let (served, db, checker) = on_sqlite().await?;
    for path in ["/to-loopback", "/to-metadata", "/to-localhost"] {
        let lookup = look_up(&checker, &served.url(path)).await?;
        anyhow::ensure!(lookup.probe.outcome == CheckOutcome::Refused && lookup.found.is_none(), "{path}: {:?}", lookup.probe);
    }
    for address in
        ["http://127.0.0.1:1/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]:8080/", "file:///etc/passwd"]
    {
        let lookup = look_up(&checker, address).await?;
        anyhow::ensure!(lookup.probe.outcome == CheckOutcome::Refused, "{address}: {:?}", lookup.probe);
    }
    // A name that resolves to loopback, without the tests' allow list: refused (here already for
    // its port, which is not 80 or 443).
    let strict = Fetcher::new(db.clone(), FetchOptions::new("http://casebook.test"))?;
    let refused = strict.get(&Url::parse(&served.named("/plain"))?).await.unwrap_err();
    assert!(matches!(&refused, FetchError::Refused(host) if host.starts_with("localhost")), "{refused:?}");

    let looped = look_up(&checker, &served.url("/loop")).await?;
    assert_eq!(looped.probe.outcome, CheckOutcome::ClientError);
    assert_eq!(looped.probe.detail, "more than 5 redirects");
    assert_eq!(served.requests().iter().filter(|(_, p, _)| p.starts_with("/loop")).count(), 6, "the first request and five redirects");

    // The slow drip ends at the timeout, while other look-ups go on meanwhile.
    let started = Instant::now();
    let slow_url = served.url("/slow");
    let (slow, plain) = tokio::join!(look_up(&checker, &slow_url), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let at = Instant::now();
        let found = look_up(&checker, &served.url("/schema/parking")).await;
        (found, at.elapsed())
    });
    assert_eq!(slow?.probe.outcome, CheckOutcome::Timeout);
    assert!(started.elapsed() < Duration::from_secs(4), "the drip held on for {:?}", started.elapsed());
    let (plain, took) = plain;
    assert!(plain?.found.is_some());
    assert!(took < Duration::from_secs(1), "another look-up waited {took:?} behind the drip");

    for path in ["/huge", "/huge-declared"] {
        let lookup = look_up(&checker, &served.url(path)).await?;
        anyhow::ensure!(lookup.probe.outcome == CheckOutcome::Ok && lookup.found.is_none(), "{path}: {:?}", lookup.probe);
        anyhow::ensure!(lookup.probe.detail.contains("larger than"), "{path}: {:?}", lookup.probe.detail);
    }
    // Malformed JSON from the API: the page's own title is the last resort.
    let broken = look_up(&checker, &served.url("/bad-json/dataset/broken")).await?.found.unwrap();
    assert_eq!((broken.portal, broken.title.as_str()), (PortalKind::Page, "Bin collection rounds - Northshire Open Data"));
    let bad_rdf = look_up(&checker, &served.url("/bad-rdf.ttl")).await?;
    assert_eq!((bad_rdf.probe.outcome, bad_rdf.found), (CheckOutcome::Ok, None));
    Ok(())
}

#[tokio::test]
async fn requests_to_one_host_keep_their_pace_across_instances() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let served = portal::serve().await?;
        let mut paced = options(&served);
        paced.host_interval = Duration::from_millis(200);
        paced.max_wait = Duration::from_secs(5);
        // Two instances, each with its own client, sharing the database.
        let one = Fetcher::new(db.clone(), paced.clone())?;
        let two = Fetcher::new(db.clone(), paced)?;
        let url = Url::parse(&served.url("/plain"))?;
        let gets = (0..10).map(|i| {
            let (fetcher, url) = (if i % 2 == 0 { one.clone() } else { two.clone() }, url.clone());
            async move { fetcher.get(&url).await }
        });
        for answer in futures_util::future::join_all(gets).await {
            answer?;
        }
        let mut arrivals: Vec<Instant> = served.requests().into_iter().map(|(_, _, at)| at).collect();
        arrivals.sort();
        let gaps: Vec<Duration> = arrivals.windows(2).map(|w| w[1] - w[0]).collect();
        let shortest = gaps.iter().min().copied().unwrap_or_default();
        anyhow::ensure!(arrivals.len() == 10 && shortest >= Duration::from_millis(170), "gaps between requests: {gaps:?}");

        // A turn further off than a request may wait is not taken: the work is put off.
        let mut impatient = options(&served);
        impatient.host_interval = Duration::from_secs(30);
        impatient.max_wait = Duration::ZERO;
        let impatient = Fetcher::new(db.clone(), impatient)?;
        let other = Url::parse(&served.named("/plain"))?;
        impatient.get(&other).await?;
        anyhow::ensure!(
            matches!(impatient.get(&other).await, Err(FetchError::Busy(_))),
            "a second request within the interval was not put off"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn health_over_time_gone_once_is_not_withdrawn_twice_a_day_apart_is_and_back_clears_it() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let served = portal::serve().await?;
        let checker = checker(&db, &served)?;
        let author = make_user(&db, "Ada").await?;
        let mut form = valid_form("Bin day finder");
        form.dataset_url = vec![served.url("/switch/dataset/rounds")];
        form.dataset_title = vec![String::new()];
        let slug = casebook_domain::case_studies::create(&db, author, &form).await?;
        let row = || async { Ok::<_, anyhow::Error>(dataset::Entity::find().one(&db).await?.unwrap()) };
        anyhow::ensure!(row().await?.health == CheckOutcome::Unchecked && row().await?.next_check_at.is_none(), "the save fetched nothing");

        // The event log's consumer makes the new dataset due; the worker's round checks it.
        anyhow::ensure!(checker.follow_events("test").await? > 0, "no events followed");
        anyhow::ensure!(checker.run_once(Utc::now()).await? == 1, "the due dataset was not claimed");
        let resolved = row().await?;
        anyhow::ensure!(resolved.resolved_title.as_deref() == Some("Bin collection rounds"), "{:?}", resolved.resolved_title);
        anyhow::ensure!(datasets::condition(&resolved) == DatasetCondition::Available, "{:?}", resolved.health);
        anyhow::ensure!(
            resolved.licence_open == Some(true) && resolved.publisher_slug.as_deref() == Some("northshire-council"),
            "{resolved:?}"
        );
        let page = casebook_domain::case_studies::view(&db, &Default::default(), &Default::default(), &slug, None).await?;
        let shown = page.datasets[0].shown();
        anyhow::ensure!(shown.title == "Bin collection rounds" && shown.publisher_name == "Northshire Council", "{shown:?}");

        // The portal withdraws it.
        served.portal.switch.store(410, Ordering::SeqCst);
        let t0 = Utc::now();
        let once = checker.check_now(vec![resolved.id], t0).await?.remove(0);
        anyhow::ensure!(
            once.withdrawn_since.is_none() && datasets::condition(&once) == DatasetCondition::Unavailable,
            "gone once: {once:?}"
        );
        let not_a_day = checker.check_now(vec![resolved.id], t0 + Days::hours(23)).await?.remove(0);
        anyhow::ensure!(not_a_day.withdrawn_since.is_none(), "gone twice 23 hours apart is not yet withdrawn");
        let changes_before = event::Entity::find().filter(event::Column::Kind.eq("dataset.changed")).count(&db).await?;
        let a_day = checker.check_now(vec![resolved.id], t0 + Days::hours(25)).await?.remove(0);
        anyhow::ensure!(datasets::condition(&a_day) == DatasetCondition::Withdrawn, "gone a day apart: {a_day:?}");
        anyhow::ensure!(a_day.withdrawn_since.map(|w| w.timestamp()) == Some(t0.timestamp()), "withdrawn since the first gone check");
        let changes_after = event::Entity::find().filter(event::Column::Kind.eq("dataset.changed")).count(&db).await?;
        anyhow::ensure!(changes_after == changes_before + 1, "withdrawal is one change for search and pages to follow");
        let page = casebook_domain::case_studies::view(&db, &Default::default(), &Default::default(), &slug, None).await?;
        let summary = &page.datasets[0].dataset.health.summary;
        anyhow::ensure!(summary.starts_with("Withdrawn since "), "the case study says {summary:?}");

        // Back again.
        served.portal.switch.store(200, Ordering::SeqCst);
        let back = checker.check_now(vec![resolved.id], t0 + Days::hours(26)).await?.remove(0);
        anyhow::ensure!(back.withdrawn_since.is_none() && back.gone_since.is_none(), "back again clears it: {back:?}");
        anyhow::ensure!(datasets::condition(&back) == DatasetCondition::Available, "{:?}", back.health);
        let history = dataset_check::Entity::find().filter(dataset_check::Column::DatasetId.eq(resolved.id)).count(&db).await?;
        anyhow::ensure!(history == 5, "every check is kept: {history}");
        let page = casebook_domain::datasets::dataset_page(&db, resolved.id).await?;
        anyhow::ensure!(
            page.checks.len() == 5 && page.uses.len() == 1 && page.uses[0].usage == "Looks up the round for an address",
            "{page:?}"
        );
        let publisher = casebook_domain::datasets::publisher_page(&db, "northshire-council").await?;
        anyhow::ensure!(publisher.services.len() == 1 && publisher.datasets.len() == 1, "{publisher:?}");
        Ok(())
    })
    .await
}

/// A dataset whose check never came to an outcome was claimed again after every restart: a
/// draft linking a document that killed the server crash-looped it. Now each try is counted as
/// it is claimed, waits longer after each, and after a few is paused until an admin asks.
#[tokio::test]
async fn checks_that_keep_dying_back_off_then_wait_for_an_admin() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let served = portal::serve().await?;
        let mut checker = checker(&db, &served)?;
        // The slow drip outlasts a check's time limit, as a hostile document once outlasted the server.
        checker.options.time_limit = Duration::from_millis(500);
        let author = make_user(&db, "Ada").await?;
        let admin = make_user(&db, "Grace").await?;
        casebook_domain::identity::roles::grant(
            &db,
            admin,
            casebook_domain::identity::roles::Role::Admin,
            casebook_domain::identity::roles::Source::Command,
        )
        .await?;
        let mut form = valid_form("Slow portal");
        form.dataset_url = vec![served.url("/slow")];
        form.dataset_title = vec!["Dripping dataset".into()];
        casebook_domain::case_studies::create(&db, author, &form).await?;
        checker.follow_events("test").await?;
        let row = || async { Ok::<_, anyhow::Error>(dataset::Entity::find().one(&db).await?.unwrap()) };

        // Whole seconds: PostgreSQL keeps microseconds, and the waits are read back from it.
        let mut at = chrono::DateTime::from_timestamp(Utc::now().timestamp() + 1, 0).unwrap();
        let mut waits = Vec::new();
        for attempt in 1..=datasets::MAX_ATTEMPTS {
            anyhow::ensure!(checker.run_once(at).await? == 1, "try {attempt} was not claimed");
            let tried = row().await?;
            anyhow::ensure!(tried.check_attempts == attempt && tried.claimed_until.is_none(), "{tried:?}");
            anyhow::ensure!(tried.check_problem.as_deref().is_some_and(|p| p.contains("longer than")), "{:?}", tried.check_problem);
            let next = tried.next_check_at.unwrap();
            waits.push((next - at).num_minutes());
            anyhow::ensure!(checker.run_once(next - Days::seconds(1)).await? == 0, "claimed before its wait was over");
            at = next;
        }
        anyhow::ensure!(waits == [15, 30, 60], "waits grow: {waits:?}");
        // The next claim finds one try too many: held, and said on its pages.
        anyhow::ensure!(checker.run_once(at).await? == 0, "a dataset past its tries was checked again");
        let held = row().await?;
        anyhow::ensure!(held.held_since.is_some(), "{held:?}");
        anyhow::ensure!(checker.run_once(at + Days::days(30)).await? == 0, "a held dataset is never claimed");
        let summary = datasets::dataset_view(&held).health.summary;
        anyhow::ensure!(summary.contains("Checks are paused") && summary.contains("an admin can check it again"), "{summary}");
        let listed = datasets::problems(&db, &casebook_domain::identity::roles::actor(&db, Some(admin)).await?).await?;
        anyhow::ensure!(listed.iter().any(|p| p.dataset.id == held.id && p.may_check_again), "the admin sees it with its button");

        // Only an admin starts its checks again.
        let refused = datasets::check_again(&db, author, held.id).await;
        anyhow::ensure!(matches!(refused, Err(casebook_domain::DomainError::Forbidden)), "{refused:?}");
        datasets::check_again(&db, admin, held.id).await?;
        let released = row().await?;
        anyhow::ensure!(released.held_since.is_none() && released.check_attempts == 0, "{released:?}");
        anyhow::ensure!(checker.run_once(Utc::now()).await? == 1, "due again at once");
        Ok(())
    })
    .await
}

/// Offline, every demo dataset read "Unavailable at the last check: address not found" on a
/// newcomer's first run. A dataset never reached says it has not been checked yet until checks
/// a day apart agree that its portal cannot be reached.
#[tokio::test]
async fn a_dataset_never_reached_raises_no_alarm_until_checks_a_day_apart_agree() -> anyhow::Result<()> {
    let (_served, db, checker) = on_sqlite().await?;
    let author = make_user(&db, "Ada").await?;
    let mut form = valid_form("Offline portal");
    // `.invalid` never resolves (RFC 6761), online or off.
    form.dataset_url = vec!["http://portal.casebook-test.invalid/dataset/bins".into()];
    form.dataset_title = vec!["Bins".into()];
    casebook_domain::case_studies::create(&db, author, &form).await?;
    let id = dataset::Entity::find().one(&db).await?.unwrap().id;
    let t0 = Utc::now();
    let once = checker.check_now(vec![id], t0).await?.remove(0);
    anyhow::ensure!(once.health == CheckOutcome::DnsFailure, "{:?}", once.health);
    anyhow::ensure!(datasets::condition(&once) == DatasetCondition::Unchecked, "no alarm after one check");
    let summary = datasets::dataset_view(&once).health.summary;
    anyhow::ensure!(summary == "Not checked yet: its portal could not be reached", "{summary}");
    let later = checker.check_now(vec![id], t0 + Days::hours(23)).await?.remove(0);
    anyhow::ensure!(datasets::condition(&later) == DatasetCondition::Unchecked, "23 hours apart do not yet agree");
    let a_day = checker.check_now(vec![id], t0 + Days::hours(25)).await?.remove(0);
    anyhow::ensure!(datasets::condition(&a_day) == DatasetCondition::Unavailable, "a day apart they agree");
    Ok(())
}

/// `/datasets` listed every dataset on one page, and failed past the page size limit at scale.
#[tokio::test]
async fn the_dataset_list_pages_through_every_dataset_published_case_studies_use() -> anyhow::Result<()> {
    let db = sqlite().await?;
    let author = make_user(&db, "Ada").await?;
    for study in 0..3 {
        let mut form = valid_form(&format!("Service number {study}"));
        form.dataset_url = (0..20).map(|n| format!("https://data.example.org/{study}/{n}.csv")).collect();
        form.dataset_title = (0..20).map(|n| format!("Dataset {study}-{n:02}")).collect();
        casebook_domain::case_studies::create(&db, author, &form).await?;
    }
    let first = datasets::datasets(&db, None).await?;
    anyhow::ensure!(
        (first.total_items, first.total_pages, first.items.len()) == (60, 2, 50),
        "{:?}",
        (first.total_items, first.total_pages)
    );
    let second = datasets::datasets(&db, Some(2)).await?;
    anyhow::ensure!(second.items.len() == 10 && second.items[9].title == "Dataset 2-19", "{:?}", second.items.last());
    anyhow::ensure!(datasets::datasets(&db, Some(0)).await.is_err(), "page 0 is refused");
    Ok(())
}
