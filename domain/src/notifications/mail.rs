//! A mail as people read it: plain text and HTML parts from the same notifications, grouped as
//! the notifications page groups them, each saying why it was sent and how to change it.
use super::inbox::{grouped, heading, Described};

/// What every mail needs to know of the site.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// Where people reach the site, without a trailing slash; links in mail start with it.
    pub public_url: String,
    /// The sender, as an address.
    pub from: String,
    /// How often the at-once window is cut: mail "at once" waits at most this long, and a burst
    /// of events within it is one mail.
    pub at_once_every: chrono::Duration,
    /// No one is mailed more often than this in an hour; what is left waits for a later window.
    pub per_hour: u64,
}

impl MailSettings {
    pub fn new(public_url: &str, from: &str) -> MailSettings {
        MailSettings {
            public_url: public_url.trim_end_matches('/').to_string(),
            from: from.to_string(),
            at_once_every: chrono::Duration::minutes(1),
            per_hour: 6,
        }
    }

    /// The domain of the site, for `Message-ID`s and `List-Id`.
    pub fn domain(&self) -> String {
        url::Url::parse(&self.public_url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_else(|| "casebook.invalid".into())
    }

    pub fn unsubscribe_url(&self, token: &str) -> String {
        format!("{}{}", self.public_url, crate::paths::unsubscribe(token))
    }
}

/// A mail ready to queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `period` names how it was sent ("at once", "in your daily digest").
pub fn render(settings: &MailSettings, items: Vec<Described>, period: &str, unsubscribe_token: &str) -> Rendered {
    let count = items.len();
    let subject = match items.first() {
        Some(only) if count == 1 => only.text.clone(),
        _ => {
            let groups = grouped(items.clone());
            let top =
                groups.first().map(|(kind, _, items)| format!("{} ({})", kind.label().to_lowercase(), items.len())).unwrap_or_default();
            format!("{count} updates from Casebook: {top}")
        }
    };
    let subject: String = subject.chars().take(250).collect();
    let link = |href: &str| format!("{}{href}", settings.public_url);
    let unsubscribe = settings.unsubscribe_url(unsubscribe_token);
    let following = link(crate::paths::FOLLOWING);
    let mut text = String::new();
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Casebook</title></head>\
         <body style=\"font-family: Arial, sans-serif; color: #0b0c0c; font-size: 16px; line-height: 1.4; max-width: 640px\">\
         <p style=\"background: #0b0c0c; color: #ffffff; padding: 10px; font-weight: bold; margin: 0 0 20px\">Casebook</p>",
    );
    for (kind, reason, items) in grouped(items) {
        let head = heading(kind, items.len(), &reason);
        text.push_str(&format!("{head}\n"));
        html.push_str(&format!(
            "<h2 style=\"font-size: 19px; margin: 20px 0 10px\">{}</h2><ul style=\"padding-left: 20px\">",
            escape(&head)
        ));
        for item in items {
            text.push_str(&format!("- {}\n  {}\n", item.text, link(&item.href)));
            html.push_str(&format!(
                "<li style=\"margin-bottom: 10px\"><a href=\"{}\" style=\"color: #1d70b8\">{}</a></li>",
                escape(&link(&item.href)),
                escape(&item.text)
            ));
        }
        text.push('\n');
        html.push_str("</ul>");
    }
    let why = format!("You got this email {period} because of what you follow on Casebook, or your part in a network.");
    text.push_str(&format!("{why}\nChange what you follow and how you hear of it: {following}\nUnsubscribe: {unsubscribe}\n"));
    html.push_str(&format!(
        "<hr style=\"border: 0; border-top: 1px solid #b1b4b6; margin: 30px 0 15px\"><p style=\"font-size: 14px; color: #505a5f\">{}<br>\
         <a href=\"{}\" style=\"color: #1d70b8\">Change what you follow and how you hear of it</a> · \
         <a href=\"{}\" style=\"color: #1d70b8\">Unsubscribe</a></p></body></html>",
        escape(&why),
        escape(&following),
        escape(&unsubscribe)
    ));
    Rendered { subject, text, html }
}
