//! Configuration, read once at start-up from the command line and the environment.
use std::net::SocketAddr;
use std::path::PathBuf;

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
    /// Serve the site (the default).
    Serve,
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Load the demo content (once; running it again changes nothing), then exit.
    SeedDemo,
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
    /// Load the demo content at start-up when it is not there yet.
    #[arg(long, env = "CASEBOOK_DEMO_CONTENT", value_parser = parse_flag, default_value = "0", action = ArgAction::Set)]
    pub demo_content: bool,
    /// Key for signing cookies, at least 64 characters; every instance behind a load balancer
    /// needs the same one. Default: generated once and kept in the data folder.
    #[arg(long, env = "CASEBOOK_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
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
            .field("demo_content", &self.demo_content)
            .field("secret_key", &self.secret_key.as_ref().map(|_| "<redacted>"))
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

    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
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
}
