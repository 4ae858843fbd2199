use anyhow::Context;
use casebook_server::config::{AdminCommand, Cli, Command, DatasetCommand, MailCommand, NetworkCommand, OrganiserCommand};
use casebook_server::workers::Workers;
use casebook_server::{router, AppState, Config};
use clap::Parser;
use tracing_subscriber::EnvFilter;

// Rendering and the database driver allocate a great deal per request; glibc's malloc was about
// a sixth of a signed-in page's CPU under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,meilisearch_sdk=error")),
        )
        .init();
    let cli = Cli::parse();
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve { no_workers: false }) {
        Command::Serve { no_workers } => serve(config, !no_workers).await,
        Command::Worker => work(config).await,
        Command::Mail(MailCommand::Digest { delivery }) => {
            use casebook_domain::notifications::{self, Notifier};
            use casebook_domain::workers::{self, Pace, Round};
            let db = connect(&config).await?;
            let consumer = workers::consumer(&Notifier, "casebook mail digest", &Pace::default());
            loop {
                match workers::round(&db, &Notifier, &consumer, 500).await? {
                    Round::Handled(_) => {}
                    Round::Idle => break,
                    Round::Failed(error) => return Err(error.into()),
                }
            }
            let delivery = casebook_domain::vocabulary::Delivery::from_slug(&delivery).context("a delivery")?;
            match notifications::cut(&db, &config.mail_settings(), delivery, chrono::Utc::now()).await? {
                Some(cut) => println!("queued {} mails for events {} to {}", cut.mails, cut.from + 1, cut.to),
                None => println!("nothing to send, or another instance cut this window first"),
            }
            Ok(())
        }
        Command::Workers => {
            let db = connect(&config).await?;
            println!("consumer\tposition\tbehind\tattempts\theld by\tlast error");
            for w in casebook_domain::workers::status(&db).await? {
                let held = w.held_by.as_deref().unwrap_or("-");
                let error = w.last_error.as_deref().unwrap_or("-");
                println!("{}\t{}\t{}\t{}\t{held}\t{error}", w.name, w.position, w.lag, w.attempts);
            }
            Ok(())
        }
        Command::Migrate => {
            connect(&config).await?;
            tracing::info!("the database is up to date");
            Ok(())
        }
        Command::SeedDemo => {
            let db = connect(&config).await?;
            let added = casebook_domain::demo::seed(&db).await?;
            tracing::info!(added, "demo content loaded");
            Ok(())
        }
        Command::Admin(command) => {
            let db = connect(&config).await?;
            let (person, admin) = match command {
                AdminCommand::Grant { person } => (person, true),
                AdminCommand::Revoke { person } => (person, false),
            };
            let user = casebook_domain::identity::set_admin(&db, &person, admin)
                .await
                .with_context(|| format!("no account is {person}; they need to sign in once first"))?;
            tracing::info!(user, admin, "admin role changed");
            Ok(())
        }
        Command::Network(command) => {
            let db = connect(&config).await?;
            match command {
                NetworkCommand::Create { slug, name, join, review, trusted_after, description, website } => {
                    let form = casebook_domain::forms::NetworkForm {
                        name,
                        slug,
                        description,
                        website,
                        join_policy: join,
                        review_policy: review,
                        trusted_after: trusted_after.to_string(),
                        organisers: String::new(),
                    };
                    match casebook_domain::networks::create(&db, None, &form).await {
                        Ok(slug) => {
                            println!("created the network {slug}; name its organisers with: casebook network organiser add {slug} EMAIL")
                        }
                        Err(casebook_domain::DomainError::Invalid(errors)) => {
                            anyhow::bail!("the network was not created: {}", errors.summary())
                        }
                        Err(other) => return Err(other.into()),
                    }
                }
                NetworkCommand::Organiser(OrganiserCommand::Add { network, person }) => {
                    let user = casebook_domain::networks::add_organiser(&db, &network, &person).await.with_context(|| {
                        format!("no network is at {network}, or no account is {person} (they need to sign in once first)")
                    })?;
                    println!("person {user} organises {network}");
                }
            }
            Ok(())
        }
        Command::Import { file, author, dry_run, datasets, map } => {
            let db = connect(&config).await?;
            let report = import(&db, &file, &author, dry_run, datasets.as_deref(), &map).await?;
            if !report.problems.is_empty() {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::WriteDownloads => {
            let db = connect(&config).await?;
            let started = std::time::Instant::now();
            let written = config.dumps().write(&db).await?;
            // One line on stdout, for people and for the benchmark to read.
            println!(
                "wrote {} case studies and {} dataset links in {:.2} s",
                written.case_studies,
                written.dataset_links,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Reindex => {
            let db = connect(&config).await?;
            let engine = config.search_engine().await.context("opening the search index")?;
            let done = casebook_domain::search::reindex(&db, &engine).await?;
            let seconds = done.elapsed.as_secs_f64();
            // One line on stdout, for people and for the benchmark to read.
            println!(
                "reindexed {} case studies in {seconds:.2} s ({:.0} per second) with the {} engine",
                done.documents,
                done.documents as f64 / seconds.max(f64::EPSILON),
                engine.name()
            );
            Ok(())
        }
        Command::Datasets(DatasetCommand::Check { all, urls, at }) => {
            let db = connect(&config).await?;
            let checker = config.dataset_checker(db.clone())?;
            let at = at.unwrap_or_else(chrono::Utc::now);
            let ids = casebook_domain::datasets::to_check(&db, all, &urls).await?;
            let started = std::time::Instant::now();
            let checked = checker.check_now(ids, at).await?;
            for d in &checked {
                println!("{}\t{}\t{}", d.id, casebook_domain::datasets::condition(d).slug(), d.url);
            }
            println!("checked {} datasets in {:.2} s", checked.len(), started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::SeedBenchNetwork { approved, items } => {
            let db = connect(&config).await?;
            let (approved, items) = casebook_domain::demo::seed_bench_network(&db, approved, items).await?;
            tracing::info!(approved, items, "benchmark network and collection added");
            Ok(())
        }
        Command::SeedBenchDatasets { file } => {
            let db = connect(&config).await?;
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let urls: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
            let added = casebook_domain::demo::seed_bench_datasets(&db, &urls).await?;
            tracing::info!(added, "benchmark datasets added");
            Ok(())
        }
        Command::SeedBenchFollowers { count, pattern } => {
            let db = connect(&config).await?;
            let added = casebook_domain::demo::seed_bench_followers(&db, count, &pattern).await?;
            tracing::info!(added, pattern, "benchmark followers added");
            Ok(())
        }
        Command::SearchRequest { queries } => {
            let engine = config.search_engine().await.context("opening the search index")?;
            for query in queries {
                let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
                let params = casebook_domain::search::SearchParams::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                    .map_err(|errors| anyhow::anyhow!("{query}: {errors:?}"))?;
                let (index, body) = engine
                    .meilisearch_request(&casebook_domain::search::engine_query(&params))
                    .context("search-request needs MEILI_URL: the embedded engine takes no requests")?;
                println!("{}", serde_json::json!({ "query": query, "index": index, "body": body }));
            }
            Ok(())
        }
        Command::SeedSynthetic { count } => {
            let db = connect(&config).await?;
            let added = casebook_domain::demo::seed_synthetic(&db, count).await?;
            tracing::info!(added, "synthetic case studies added");
            Ok(())
        }
    }
}

/// `casebook import`: reads, checks and saves, with a progress bar on a terminal and a report of
/// every problem by row and column.
async fn import(
    db: &casebook_domain::db::DatabaseConnection,
    file: &std::path::Path,
    author: &str,
    dry_run: bool,
    datasets: Option<&std::path::Path>,
    map: &[String],
) -> anyhow::Result<casebook_domain::views::ImportReport> {
    use casebook_domain::open_data::import::{self, ImportFile, MAX_BYTES};
    let read = |path: &std::path::Path| -> anyhow::Result<Vec<u8>> {
        let size = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?.len();
        anyhow::ensure!(size <= MAX_BYTES as u64, "{} is larger than {} MB", path.display(), MAX_BYTES / 1024 / 1024);
        Ok(std::fs::read(path)?)
    };
    let mut mapping = std::collections::HashMap::new();
    for pair in map {
        let (heading, column) = pair.split_once('=').with_context(|| format!("--map {pair}: write it as HEADING=COLUMN"))?;
        anyhow::ensure!(import::columns().any(|c| c == column), "--map {pair}: {column} is not a column of case-studies.csv");
        mapping.insert(heading.trim().to_string(), column.to_string());
    }
    let author = import::author(db, author).await.with_context(|| format!("no account is {author} (they need to sign in once first)"))?;
    let (bytes, datasets) = (read(file)?, datasets.map(read).transpose()?);
    let name = file.to_string_lossy();
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows {elapsed_precise}")?);
    let file = ImportFile { name: &name, bytes: &bytes, datasets: datasets.as_deref(), mapping: &mapping };
    let report = import::run(db, author, file, dry_run, |done, of| {
        bar.set_length(of as u64);
        bar.set_position(done as u64);
    })
    .await
    .context("only admins import (casebook admin grant PERSON)")?;
    bar.finish_and_clear();
    for problem in &report.problems {
        let column = if problem.column.is_empty() { String::new() } else { format!(", column {}", problem.column) };
        println!("row {}{column}: {}", problem.row, problem.message);
    }
    println!(
        "{} rows{}: created {}, updated {}, unchanged {}, left out with problems {}; organisations added {}",
        report.rows,
        if dry_run { " checked (a dry run: nothing was saved; an import would have)" } else { " imported" },
        report.created,
        report.updated,
        report.unchanged,
        report.rows_with_problems(),
        report.organisations_created,
    );
    Ok(report)
}

async fn connect(config: &Config) -> anyhow::Result<casebook_domain::db::DatabaseConnection> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir).with_context(|| format!("creating the data folder {}", config.data_dir.display()))?;
    }
    casebook_domain::db::connect_and_migrate(&config.database_url()).await.context("connecting to the database and migrating it")
}

/// The state both roles share: the database (migrated, with demo content if asked) and the
/// search engine.
async fn start(config: &Config) -> anyhow::Result<AppState> {
    tracing::info!(?config, "starting");
    let mut db = connect(config).await?;
    if config.count_queries {
        tracing::warn!("CASEBOOK_COUNT_QUERIES is on: every response says how many database queries it made");
        casebook_server::query_count::count(&mut db);
    }
    if config.demo_content {
        let added = casebook_domain::demo::seed(&db).await?;
        if added > 0 {
            tracing::info!(added, "demo content loaded");
        }
    }
    if config.dev_login {
        tracing::warn!("CASEBOOK_DEV_LOGIN is on: anyone can sign in as a demo persona. Never use this on a real service.");
    }
    let search = config.search_engine().await.context("opening the search engine")?;
    tracing::info!(engine = search.name(), "search");
    Ok(AppState::new(config, db, search)?)
}

async fn serve(config: Config, with_workers: bool) -> anyhow::Result<()> {
    let state = start(&config).await?;
    let workers = if with_workers { Some(Workers::start(&state, &config)?) } else { None };
    let sign_in: Vec<String> = state.providers.options().into_iter().map(|option| option.id).collect();
    tracing::info!(?sign_in, "sign-in providers");
    let listener = tokio::net::TcpListener::bind(config.site_addr).await.with_context(|| format!("listening on {}", config.site_addr))?;
    tracing::info!("listening on http://{}", config.site_addr);
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    if let Some(workers) = workers {
        workers.stop().await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// `casebook worker`: the background roles alone, until SIGTERM or Ctrl-C.
async fn work(config: Config) -> anyhow::Result<()> {
    let state = start(&config).await?;
    let workers = Workers::start(&state, &config)?;
    tracing::info!("background work running");
    shutdown_signal().await;
    workers.stop().await;
    tracing::info!("stopped");
    Ok(())
}

/// SIGTERM or Ctrl-C: stop accepting connections, finish the requests in flight, exit 0.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "could not listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "could not listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
