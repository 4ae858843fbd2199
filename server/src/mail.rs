//! Sending queued mail: over SMTP (pooled, with timeouts) when configured, else as files in the
//! data folder. Each mail carries what list mail should: `List-Unsubscribe` (an https link and a
//! mailto) with RFC 8058's one-click `List-Unsubscribe-Post`, `List-Id`, `Auto-Submitted`, a
//! `Message-ID` on the site's domain, and a DKIM signature over them when a key is configured.
use std::time::Duration;

use casebook_domain::db::DatabaseConnection;
use casebook_domain::entities::mail;
use casebook_domain::notifications::{self, MailSettings, Outcome};
use casebook_domain::workers::Job;
use casebook_domain::DomainError;
use futures_util::StreamExt;
use lettre::message::dkim::{DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm, DkimSigningKey};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Config, MailConfig};

/// Mails claimed at once by one sender.
const BATCH: u64 = 50;
/// SMTP connections kept open, and mails sent at once.
const POOL: usize = 4;

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("CASEBOOK_SMTP_URL: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("the DKIM key {path}: {reason}")]
    Dkim { path: String, reason: String },
    #[error("the mail folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
}

pub struct Mailer {
    transport: Transport,
    settings: MailSettings,
    dkim: Option<std::sync::Arc<DkimConfig>>,
}

impl Clone for Mailer {
    fn clone(&self) -> Self {
        Mailer { transport: self.transport.clone(), settings: self.settings.clone(), dkim: self.dkim.clone() }
    }
}

/// What DKIM signs: the usual, and the list headers a receiver acts on (RFC 8058 asks for both
/// unsubscribe headers to be signed).
const SIGNED: [&str; 9] =
    ["From", "To", "Subject", "Date", "Message-ID", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "Auto-Submitted"];

impl Mailer {
    pub fn new(config: &Config) -> Result<Mailer, MailError> {
        let settings = config.mail_settings();
        let transport = transport(config, &config.mail)?;
        let dkim = match &config.mail.dkim_key_file {
            Some(path) => {
                let fail = |reason: String| MailError::Dkim { path: path.display().to_string(), reason };
                let pem = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
                let key = DkimSigningKey::new(&pem, DkimSigningAlgorithm::Rsa).map_err(|e| fail(e.to_string()))?;
                let headers = SIGNED.iter().map(|h| HeaderName::new_from_ascii_str(h)).collect();
                let relaxed = DkimCanonicalization { header: DkimCanonicalizationType::Relaxed, body: DkimCanonicalizationType::Relaxed };
                Some(std::sync::Arc::new(DkimConfig::new(config.mail.dkim_selector.clone(), settings.domain(), key, headers, relaxed)))
            }
            None => None,
        };
        Ok(Mailer { transport, settings, dkim })
    }

    /// The message as sent; `None` when an address in it is not one.
    fn message(&self, m: &mail::Model) -> Option<Message> {
        let from: Mailbox = self.settings.from.parse().ok()?;
        let to: Mailbox = m.address.parse().ok()?;
        let domain = self.settings.domain();
        let unsubscribe = self.settings.unsubscribe_url(&m.unsubscribe_token);
        let mailto = format!("mailto:{}?subject=unsubscribe%20{}", from.email, m.unsubscribe_token);
        let header = |name: &'static str, value: String| HeaderValue::new(HeaderName::new_from_ascii_str(name), value);
        let mut message = Message::builder()
            .from(from)
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(format!("<mail-{}.{}@{domain}>", m.id, m.dedupe_key.replace(':', "-"))))
            .raw_header(header("List-Id", format!("Casebook notifications <notifications.{domain}>")))
            .raw_header(header("List-Unsubscribe", format!("<{unsubscribe}>, <{mailto}>")))
            .raw_header(header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".into()))
            .raw_header(header("Auto-Submitted", "auto-generated".into()))
            .multipart(MultiPart::alternative_plain_html(m.text_body.clone(), m.html_body.clone()))
            .ok()?;
        if let Some(dkim) = &self.dkim {
            message.sign(dkim);
        }
        Some(message)
    }

    async fn send(&self, m: &mail::Model) -> Outcome {
        let Some(message) = self.message(m) else { return Outcome::Refused(format!("not an address: {}", m.address)) };
        match &self.transport {
            Transport::Smtp(smtp) => match smtp.send(message).await {
                Ok(_) => Outcome::Accepted,
                Err(error) if error.is_permanent() => Outcome::Refused(error.to_string()),
                Err(error) => Outcome::Deferred(error.to_string()),
            },
            Transport::Files(files) => match files.send(message).await {
                Ok(_) => Outcome::Accepted,
                Err(error) => Outcome::Deferred(error.to_string()),
            },
        }
    }
}

fn transport(config: &Config, mail: &MailConfig) -> Result<Transport, MailError> {
    let Some(url) = &mail.smtp_url else {
        let folder = config.data_dir.join("mail");
        std::fs::create_dir_all(&folder).map_err(|source| MailError::Folder { path: folder.display().to_string(), source })?;
        return Ok(Transport::Files(AsyncFileTransport::new(folder)));
    };
    let pool = PoolConfig::new().max_size(POOL as u32).idle_timeout(Duration::from_secs(60));
    let smtp = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
        .timeout(Some(Duration::from_secs(mail.smtp_timeout_seconds)))
        .pool_config(pool)
        .build();
    Ok(Transport::Smtp(smtp))
}

/// Sends what is queued, a batch at a time, each mail claimed by this instance alone.
pub struct Sender {
    pub db: DatabaseConnection,
    pub mailer: Mailer,
    pub owner: String,
}

impl Job for Sender {
    fn name(&self) -> &'static str {
        "mail sender"
    }

    async fn work(&self) -> Result<bool, DomainError> {
        let claimed = notifications::claim(&self.db, &self.owner, BATCH, chrono::Utc::now()).await?;
        let more = claimed.len() as u64 >= BATCH;
        let wanted = notifications::still_wanted(&self.db, claimed).await?;
        // As many at once as the pool holds connections; what was accepted is recorded together.
        let sent: Vec<(mail::Model, Outcome)> = futures_util::stream::iter(wanted)
            .map(|m| async { (self.mailer.send(&m).await, m) })
            .buffer_unordered(POOL)
            .map(|(o, m)| (m, o))
            .collect()
            .await;
        let (accepted, refused): (Vec<_>, Vec<_>) = sent.into_iter().partition(|(_, outcome)| *outcome == Outcome::Accepted);
        let accepted: Vec<mail::Model> = accepted.into_iter().map(|(m, _)| m).collect();
        notifications::accepted(&self.db, &accepted, chrono::Utc::now()).await?;
        for (m, outcome) in refused {
            tracing::warn!(mail = m.id, ?outcome, "mail not accepted");
            notifications::settled(&self.db, &m, outcome, chrono::Utc::now()).await?;
        }
        Ok(more)
    }
}
