//! Configuration, read once at start-up from the command line and the environment.
use std::net::SocketAddr;
use std::path::PathBuf;

use std::time::Duration;

use casebook_domain::datasets::{CheckOptions, Checker, FetchError, FetchOptions, Fetcher, HealthRules, ResolveOptions};
use casebook_domain::db::DatabaseConnection;
use casebook_domain::identity::{AccountRules, SessionPolicy, VerifiedDomains};
use casebook_domain::search::{SearchEngine, SearchError};
use clap::{ArgAction, Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "casebook", version, about = "Casebook: case studies of open data in public services")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site (the default), and run the background work too unless told not to.
    Serve {
        /// Serve requests only, leaving the background work to `casebook worker` instances.
        #[arg(long)]
        no_workers: bool,
    },
    /// Run the background work only (search indexing, dataset checks, downloads, notifications
    /// and mail), serving no requests, until stopped.
    Worker,
    /// Print how far behind each consumer of the event log is and what last went wrong, then exit.
    Workers,
    /// Mail.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Load the demo content (once; running it again changes nothing), then exit.
    SeedDemo,
    /// Manage roles.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Manage networks.
    #[command(subcommand)]
    Network(NetworkCommand),
    /// Rebuild the search index from the database, then exit. With the embedded engine, stop
    /// the server on this data folder first.
    Reindex,
    /// Check datasets' links now, whatever their schedule, then exit.
    #[command(subcommand)]
    Datasets(DatasetCommand),
    /// Import published case studies from a JSON or CSV file (the site's own downloads, or any
    /// spreadsheet with its headings mapped by --map), then exit. A row's `id` is its key:
    /// importing the same file again changes nothing.
    Import {
        file: PathBuf,
        /// Whose case studies they become: an email address or a profile number (they need to
        /// have signed in once).
        #[arg(long = "as", value_name = "PERSON")]
        author: String,
        /// Check every row and report, saving nothing.
        #[arg(long)]
        dry_run: bool,
        /// With a CSV: the datasets download (case-study-datasets.csv) holding each dataset's details.
        #[arg(long)]
        datasets: Option<PathBuf>,
        /// With a CSV: read a heading as one of the download's columns (repeatable).
        #[arg(long = "map", value_name = "HEADING=COLUMN")]
        map: Vec<String>,
    },
    /// Write the open data downloads (into the data folder's open-data/) now, then exit. A
    /// running server keeps them up to date by itself.
    WriteDownloads,
    /// Add this many synthetic case studies (for benchmarks; never on a real service), then exit.
    #[command(hide = true)]
    SeedSynthetic { count: u32 },
    /// Print, for each search query string, a line of JSON with the Meilisearch index and the
    /// request body a search sends it (for the benchmark to send the same straight to
    /// Meilisearch), then exit.
    #[command(hide = true)]
    SearchRequest { queries: Vec<String> },
    /// Add a network with this many approved case studies and a collection of this many items,
    /// over the synthetic ones (for benchmarks; never on a real service), then exit.
    #[command(hide = true)]
    SeedBenchNetwork { approved: u64, items: u64 },
    /// Add an unchecked dataset for each address in this file, one a line (for benchmarks;
    /// never on a real service), then exit.
    #[command(hide = true)]
    SeedBenchDatasets { file: PathBuf },
    /// Add this many people following a pattern, mailed at once (for benchmarks; never on a
    /// real service), then exit.
    #[command(hide = true)]
    SeedBenchFollowers { count: u32, pattern: String },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Bring notifications up to date and cut this delivery's next window now, whatever the
    /// clock says (a running server sends what it queues), then exit.
    Digest {
        #[arg(value_parser = ["at_once", "daily", "weekly"])]
        delivery: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum DatasetCommand {
    /// Check datasets now: those never checked, with `--all` every one, or those at `--url`.
    Check {
        #[arg(long)]
        all: bool,
        /// Only the dataset linked at this address (repeatable).
        #[arg(long = "url")]
        urls: Vec<String>,
        /// Record the checks as made at this moment (RFC 3339), to see how health changes over
        /// days without waiting for them.
        #[arg(long)]
        at: Option<chrono::DateTime<chrono::Utc>>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Make someone (an email address or profile number; they must have signed in once) an admin.
    Grant { person: String },
    /// Take admin away from someone (an email address or profile number).
    Revoke { person: String },
}

#[derive(Debug, Subcommand)]
pub enum NetworkCommand {
    /// Create a network; name its first organisers with `network organiser add`.
    Create {
        /// The address it lives at, like local-digital-data.
        slug: String,
        /// Its name, as people read it.
        name: String,
        /// Who may join: open, request or invite.
        #[arg(long, default_value = "request")]
        join: String,
        /// Which submissions are reviewed: every, trusted (members after --trusted-after
        /// approvals) or organisers (organisers' and reviewers' own approved at once).
        #[arg(long, default_value = "every")]
        review: String,
        #[arg(long, default_value_t = 3)]
        trusted_after: i32,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long, default_value = "")]
        website: String,
    },
    /// Manage a network's organisers.
    #[command(subcommand)]
    Organiser(OrganiserCommand),
}

#[derive(Debug, Subcommand)]
pub enum OrganiserCommand {
    /// Make someone (an email address or profile number; they must have signed in once) an
    /// organiser of the network at this slug.
    Add { network: String, person: String },
}

#[derive(Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub site_addr: SocketAddr,
    /// Folder holding the built site (pkg/ with CSS, JS and WASM).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// Folder for the SQLite database and the secret key when they are not configured otherwise.
    #[arg(long, env = "CASEBOOK_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// `postgres://…` or `sqlite://…`; default: a SQLite file in the data folder.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// The address people reach the site at; an https address makes cookies Secure.
    #[arg(long, env = "CASEBOOK_PUBLIC_URL", default_value = "http://127.0.0.1:3000")]
    pub public_url: String,
    /// Offer the development sign-in (choose a demo persona). Never on a real service.
    #[arg(long, env = "CASEBOOK_DEV_LOGIN", value_parser = parse_flag, default_value = "0", action = ArgAction::Set)]
    pub dev_login: bool,
    /// Behind a load balancer or reverse proxy that appends the client's address to
    /// `X-Forwarded-For`: rate limits then count by that address, not the proxy's.
    #[arg(long, env = "CASEBOOK_BEHIND_PROXY", value_parser = parse_flag, default_value = "0", action = ArgAction::Set)]
    pub behind_proxy: bool,
    /// Multiplies every rate limit (the README lists them): test suites and benchmarks act as
    /// thousands of people from one address. 0 turns them off. Leave it at 1 on a real service.
    #[arg(long, env = "CASEBOOK_RATE_LIMIT_SCALE", default_value_t = 1, value_parser = clap::value_parser!(i32).range(0..=1_000_000))]
    pub rate_limit_scale: i32,
    /// Count database queries and answer each request with how many it made, in an
    /// `X-Casebook-Queries` header: for the benchmark (`./dev bench`), never on a real service.
    #[arg(long, env = "CASEBOOK_COUNT_QUERIES", value_parser = parse_flag, default_value = "0", action = ArgAction::Set, hide = true)]
    pub count_queries: bool,
    /// How often each instance looks for changes to write into its open data dumps, in seconds.
    #[arg(long, env = "CASEBOOK_DUMP_INTERVAL_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub dump_interval_seconds: u64,
    /// Memory for pages kept for anonymous readers, in MiB; 0 renders every page every time.
    #[arg(long, env = "CASEBOOK_PAGE_CACHE_MB", default_value_t = 64, value_parser = clap::value_parser!(u64).range(0..=65536))]
    pub page_cache_mb: u64,
    /// Load the demo content at start-up when it is not there yet.
    #[arg(long, env = "CASEBOOK_DEMO_CONTENT", value_parser = parse_flag, default_value = "0", action = ArgAction::Set)]
    pub demo_content: bool,
    /// Key for signing cookies, at least 64 characters; every instance behind a load balancer
    /// needs the same one. Default: generated once and kept in the data folder.
    #[arg(long, env = "CASEBOOK_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// A session unused for this many minutes ends.
    #[arg(long, env = "CASEBOOK_SESSION_IDLE_MINUTES", default_value_t = 24 * 60, value_parser = clap::value_parser!(u32).range(1..))]
    pub session_idle_minutes: u32,
    /// No session lasts longer than this many hours after sign-in.
    #[arg(long, env = "CASEBOOK_SESSION_ABSOLUTE_HOURS", default_value_t = 14 * 24, value_parser = clap::value_parser!(u32).range(1..))]
    pub session_absolute_hours: u32,
    /// Email domains of verified public servants, comma-separated; subdomains included.
    #[arg(long, env = "CASEBOOK_VERIFIED_DOMAINS", default_value = "")]
    pub verified_domains: String,
    /// People who become admins when they sign in with one of these (provider-verified) emails.
    #[arg(long, env = "CASEBOOK_ADMIN_EMAILS", value_delimiter = ',')]
    pub admin_emails: Vec<String>,
    /// How long to wait for a sign-in provider before giving up.
    #[arg(long, env = "CASEBOOK_OAUTH_TIMEOUT_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=120))]
    pub oauth_timeout_seconds: u64,
    /// A Meilisearch server to search with. Without it, the embedded engine keeps its index in
    /// the data folder.
    #[arg(long, env = "MEILI_URL")]
    pub meili_url: Option<String>,
    #[arg(long, env = "MEILI_MASTER_KEY", hide_env_values = true)]
    pub meili_master_key: Option<String>,
    /// The Meilisearch index name (before its version suffix); instances of one site share it.
    #[arg(long, env = "CASEBOOK_MEILI_INDEX", default_value = "casebook_case_studies")]
    pub meili_index: String,
    #[command(flatten)]
    pub providers: ProviderConfig,
    #[command(flatten)]
    pub datasets: DatasetConfig,
    #[command(flatten)]
    pub mail: MailConfig,
}

/// Sending mail.
#[derive(Clone, Args)]
pub struct MailConfig {
    /// The SMTP server to send through, as `smtp://host:port` (plain), `smtp://host?tls=required`
    /// (STARTTLS) or `smtps://user:password@host` (TLS). Without it, mail is written as files to
    /// the data folder's `mail/` and, with the development sign-in on, shown at /dev/mail.
    #[arg(long, env = "CASEBOOK_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender, as `Name <address>`. Default: Casebook at the public address's domain.
    #[arg(long, env = "CASEBOOK_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// Seconds to wait for the SMTP server at each step.
    #[arg(long, env = "CASEBOOK_SMTP_TIMEOUT_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub smtp_timeout_seconds: u64,
    /// A PEM file with the private key (RSA, PKCS#1) to DKIM-sign every mail with.
    #[arg(long, env = "CASEBOOK_DKIM_KEY_FILE")]
    pub dkim_key_file: Option<PathBuf>,
    /// The DKIM selector whose DNS record holds the public key.
    #[arg(long, env = "CASEBOOK_DKIM_SELECTOR", default_value = "casebook")]
    pub dkim_selector: String,
    /// Seconds between cuts of the "at once" mail window: the longest such mail waits, and a
    /// burst of events inside it is one mail.
    #[arg(long, env = "CASEBOOK_MAIL_AT_ONCE_SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub mail_at_once_seconds: u32,
    /// The most mails one person is sent in an hour; the rest wait for a later window.
    #[arg(long, env = "CASEBOOK_MAIL_PER_HOUR", default_value_t = 6, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub mail_per_hour: u64,
}

/// The SMTP address may hold a password.
impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("smtp", &self.smtp_url.as_ref().map_or("files in the data folder", |_| "<configured>"))
            .field("mail_from", &self.mail_from)
            .field("dkim", &self.dkim_key_file.is_some())
            .finish()
    }
}

/// Fetching dataset links and checking them.
#[derive(Clone, Debug, Args)]
pub struct DatasetConfig {
    /// Hosts (`name` or `name:port`) let through the public-address check. For tests only: it
    /// opens the server's own network to anyone who can link a dataset.
    #[arg(long, env = "CASEBOOK_FETCH_ALLOW_HOSTS", value_delimiter = ',')]
    pub fetch_allow_hosts: Vec<String>,
    /// Seconds to wait for a portal to accept a connection.
    #[arg(long, env = "CASEBOOK_FETCH_CONNECT_SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=60))]
    pub fetch_connect_seconds: u64,
    /// Seconds a whole answer may take, body included.
    #[arg(long, env = "CASEBOOK_FETCH_TIMEOUT_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=120))]
    pub fetch_timeout_seconds: u64,
    /// The largest answer read, in bytes.
    #[arg(long, env = "CASEBOOK_FETCH_MAX_BYTES", default_value_t = 5 * 1024 * 1024)]
    pub fetch_max_bytes: usize,
    /// Requests a second to one host, shared by every instance.
    #[arg(long, env = "CASEBOOK_FETCH_PER_HOST_PER_SECOND", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=100))]
    pub fetch_per_host_per_second: u64,
    /// Hours between checks of each dataset.
    #[arg(long, env = "CASEBOOK_DATASET_CHECK_HOURS", default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..))]
    pub check_hours: u32,
    /// Days a dataset that states no update frequency may go unchanged before it counts as stale.
    #[arg(long, env = "CASEBOOK_DATASET_STALE_DAYS", default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..))]
    pub stale_days: u32,
    /// Dataset checks run at once by one instance; each host's pace holds whatever this is.
    #[arg(long, env = "CASEBOOK_DATASET_CHECK_CONCURRENCY", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub check_concurrency: u32,
    /// Whether this instance checks datasets in the background (any number of instances may).
    #[arg(long, env = "CASEBOOK_DATASET_CHECKS", value_parser = parse_flag, default_value = "1", action = ArgAction::Set)]
    pub checks: bool,
    /// data.gov.uk's page hosts, whose `/dataset/<uuid>/<slug>` pages map to its CKAN API.
    #[arg(long, env = "CASEBOOK_DATA_GOV_UK_HOSTS", value_delimiter = ',', default_value = "www.data.gov.uk,data.gov.uk")]
    pub data_gov_uk_hosts: Vec<String>,
    /// The CKAN behind data.gov.uk's pages.
    #[arg(long, env = "CASEBOOK_DATA_GOV_UK_API", default_value = "https://ckan.publishing.service.gov.uk")]
    pub data_gov_uk_api: url::Url,
}

/// Sign-in providers. Each is offered only when its client id and secret are both set.
#[derive(Clone, Default, Args)]
pub struct ProviderConfig {
    #[arg(long, env = "CASEBOOK_GITHUB_CLIENT_ID")]
    pub github_client_id: Option<String>,
    #[arg(long, env = "CASEBOOK_GITHUB_CLIENT_SECRET", hide_env_values = true)]
    pub github_client_secret: Option<String>,
    /// GitHub's web address; another one for GitHub Enterprise Server.
    #[arg(long, env = "CASEBOOK_GITHUB_URL", default_value = "https://github.com")]
    pub github_url: String,
    #[arg(long, env = "CASEBOOK_GITLAB_CLIENT_ID")]
    pub gitlab_client_id: Option<String>,
    #[arg(long, env = "CASEBOOK_GITLAB_CLIENT_SECRET", hide_env_values = true)]
    pub gitlab_client_secret: Option<String>,
    /// GitLab's address; another one for a self-managed GitLab.
    #[arg(long, env = "CASEBOOK_GITLAB_URL", default_value = "https://gitlab.com")]
    pub gitlab_url: String,
    #[arg(long, env = "CASEBOOK_GOOGLE_CLIENT_ID")]
    pub google_client_id: Option<String>,
    #[arg(long, env = "CASEBOOK_GOOGLE_CLIENT_SECRET", hide_env_values = true)]
    pub google_client_secret: Option<String>,
    #[arg(long, env = "CASEBOOK_ENTRA_CLIENT_ID")]
    pub entra_client_id: Option<String>,
    #[arg(long, env = "CASEBOOK_ENTRA_CLIENT_SECRET", hide_env_values = true)]
    pub entra_client_secret: Option<String>,
    /// The Microsoft Entra ID tenant (directory) id whose accounts may sign in.
    #[arg(long, env = "CASEBOOK_ENTRA_TENANT_ID")]
    pub entra_tenant_id: Option<String>,
    /// Names of further OpenID Connect providers, comma-separated. Each NAME is configured by
    /// CASEBOOK_OIDC_<NAME>_ISSUER, _CLIENT_ID, _CLIENT_SECRET and, optionally, _LABEL.
    #[arg(long, env = "CASEBOOK_OIDC_PROVIDERS", value_delimiter = ',')]
    pub oidc_providers: Vec<String>,
}

/// Secrets stay out of logs.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("site_addr", &self.site_addr)
            .field("site_root", &self.site_root)
            .field("data_dir", &self.data_dir)
            .field("database", &self.database_kind())
            .field("public_url", &self.public_url)
            .field("dev_login", &self.dev_login)
            .field("behind_proxy", &self.behind_proxy)
            .field("rate_limit_scale", &self.rate_limit_scale)
            .field("demo_content", &self.demo_content)
            .field("count_queries", &self.count_queries)
            .field("dump_interval_seconds", &self.dump_interval_seconds)
            .field("page_cache_mb", &self.page_cache_mb)
            .field("secret_key", &self.secret_key.as_ref().map(|_| "<redacted>"))
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_absolute_hours", &self.session_absolute_hours)
            .field("verified_domains", &self.verified_domains)
            .field("admin_emails", &self.admin_emails.len())
            .field("search", &self.meili_url.as_deref().unwrap_or("embedded"))
            .field("datasets", &self.datasets)
            .field("mail", &self.mail)
            .finish()
    }
}

fn parse_flag(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        other => Err(format!("expected 1 or 0, got {other:?}")),
    }
}

impl Config {
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}?mode=rwc", self.data_dir.join("casebook.db").display()),
        }
    }

    fn database_kind(&self) -> &'static str {
        if self.database_url().starts_with("postgres") {
            "postgresql"
        } else {
            "sqlite"
        }
    }

    /// The open data dumps, in the data folder.
    pub fn dumps(&self) -> casebook_domain::open_data::Dumps {
        casebook_domain::open_data::Dumps::new(self.data_dir.join("open-data"), &self.public_url)
    }

    pub fn mail_settings(&self) -> casebook_domain::notifications::MailSettings {
        let mut settings = casebook_domain::notifications::MailSettings::new(&self.public_url, "");
        settings.from = self.mail.mail_from.clone().unwrap_or_else(|| format!("Casebook <casebook@{}>", settings.domain()));
        settings.at_once_every = chrono::Duration::seconds(self.mail.mail_at_once_seconds.into());
        settings.per_hour = self.mail.mail_per_hour;
        settings
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn session_policy(&self) -> SessionPolicy {
        SessionPolicy {
            idle: chrono::Duration::minutes(self.session_idle_minutes.into()),
            absolute: chrono::Duration::hours(self.session_absolute_hours.into()),
        }
    }

    /// Meilisearch when `MEILI_URL` is set, else the embedded engine in the data folder.
    pub async fn search_engine(&self) -> Result<SearchEngine, SearchError> {
        match self.meili_url.as_deref().filter(|url| !url.trim().is_empty()) {
            Some(url) => SearchEngine::meilisearch(url, self.meili_master_key.as_deref(), &self.meili_index).await,
            None => SearchEngine::embedded(&self.data_dir.join("search")),
        }
    }

    /// How dataset links are fetched and checked.
    pub fn dataset_checker(&self, db: DatabaseConnection) -> Result<Checker, FetchError> {
        let d = &self.datasets;
        let mut fetch = FetchOptions::new(self.public_url.trim_end_matches('/'));
        fetch.allow_hosts = d.fetch_allow_hosts.iter().map(|h| h.trim().to_string()).filter(|h| !h.is_empty()).collect();
        fetch.connect_timeout = Duration::from_secs(d.fetch_connect_seconds);
        fetch.timeout = Duration::from_secs(d.fetch_timeout_seconds);
        fetch.max_bytes = d.fetch_max_bytes;
        // A tenth more than the rate allows: see `FetchOptions::host_interval`.
        fetch.host_interval = Duration::from_millis(1100 / d.fetch_per_host_per_second);
        let rules = HealthRules {
            check_every: chrono::Duration::hours(d.check_hours.into()),
            stale_after_unstated: chrono::Duration::days(d.stale_days.into()),
            ..HealthRules::default()
        };
        let resolve = ResolveOptions { data_gov_uk_hosts: d.data_gov_uk_hosts.clone(), data_gov_uk_api: d.data_gov_uk_api.clone() };
        let options = CheckOptions { concurrency: d.check_concurrency as usize, ..CheckOptions::default() };
        Ok(Checker { fetcher: Fetcher::new(db, fetch)?, resolve, rules, options })
    }

    pub fn account_rules(&self) -> AccountRules {
        AccountRules {
            verified_domains: VerifiedDomains::parse(&self.verified_domains),
            admin_emails: self.admin_emails.iter().map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect(),
        }
    }
}

/// One generic OpenID Connect provider's settings, read from its own variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenericOidc {
    pub name: String,
    pub label: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
}

impl ProviderConfig {
    /// The generic OpenID Connect providers named in CASEBOOK_OIDC_PROVIDERS, from the environment.
    pub fn generic_oidc(&self) -> Result<Vec<GenericOidc>, ConfigError> {
        self.generic_oidc_from(|name| std::env::var(name).ok())
    }

    fn generic_oidc_from(&self, var: impl Fn(&str) -> Option<String>) -> Result<Vec<GenericOidc>, ConfigError> {
        let mut found = Vec::new();
        for name in self.oidc_providers.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            let valid = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            let id = name.to_ascii_lowercase().replace('_', "-");
            if !valid || ["github", "gitlab", "google", "entra"].contains(&id.as_str()) {
                return Err(ConfigError::ProviderName(name.to_string()));
            }
            let prefix = format!("CASEBOOK_OIDC_{}_", name.to_ascii_uppercase());
            let required = |suffix: &str| {
                var(&format!("{prefix}{suffix}"))
                    .filter(|v| !v.trim().is_empty())
                    .ok_or_else(|| ConfigError::Missing(format!("{prefix}{suffix}")))
            };
            found.push(GenericOidc {
                issuer: required("ISSUER")?,
                client_id: required("CLIENT_ID")?,
                client_secret: required("CLIENT_SECRET")?,
                label: var(&format!("{prefix}LABEL")).unwrap_or_else(|| name.to_string()),
                name: id,
            });
        }
        Ok(found)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} must be set")]
    Missing(String),
    #[error("the OpenID Connect provider name {0:?} must be letters, digits and underscores, and not a built-in provider's")]
    ProviderName(String),
    #[error("{0}")]
    Invalid(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_accept_common_spellings_and_refuse_the_rest() {
        assert_eq!(parse_flag("1"), Ok(true));
        assert_eq!(parse_flag("TRUE"), Ok(true));
        assert_eq!(parse_flag("0"), Ok(false));
        assert!(parse_flag("maybe").is_err());
    }

    #[test]
    fn defaults_give_an_embedded_database_in_the_data_folder() {
        let cli = Cli::try_parse_from(["casebook", "--data-dir", "/tmp/x"]).expect("parses");
        assert_eq!(cli.config.database_url(), "sqlite:///tmp/x/casebook.db?mode=rwc");
        assert!(!cli.config.secure_cookies());
        let debug = format!("{:?}", Config { secret_key: Some("s".repeat(64)), ..cli.config });
        assert!(!debug.contains("ssss"), "secrets never reach logs");
    }

    #[test]
    fn generic_providers_are_read_from_their_own_variables() {
        let providers = ProviderConfig { oidc_providers: vec!["Network_ID".into()], ..Default::default() };
        let vars = |name: &str| match name {
            "CASEBOOK_OIDC_NETWORK_ID_ISSUER" => Some("https://id.example.org".to_string()),
            "CASEBOOK_OIDC_NETWORK_ID_CLIENT_ID" => Some("casebook".to_string()),
            "CASEBOOK_OIDC_NETWORK_ID_CLIENT_SECRET" => Some("s3cret".to_string()),
            _ => None,
        };
        let found = providers.generic_oidc_from(vars).expect("configured");
        assert_eq!(found[0].name, "network-id");
        assert_eq!(found[0].label, "Network_ID");
        let missing = providers.generic_oidc_from(|name| vars(name).filter(|_| !name.ends_with("SECRET")));
        assert!(matches!(missing, Err(ConfigError::Missing(var)) if var == "CASEBOOK_OIDC_NETWORK_ID_CLIENT_SECRET"));
        let clash = ProviderConfig { oidc_providers: vec!["github".into()], ..Default::default() };
        assert!(matches!(clash.generic_oidc_from(vars), Err(ConfigError::ProviderName(_))));
    }
}
