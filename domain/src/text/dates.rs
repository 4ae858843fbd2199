//! Dates and moments for people and machines.

/// A calendar date for people ("5 March 2024") and machines.
pub fn date_text(date: chrono::NaiveDate) -> crate::views::DateText {
    crate::views::DateText { iso: date.format("%Y-%m-%d").to_string(), display: date.format("%-d %B %Y").to_string() }
}

/// A moment for people ("5 March 2024 at 14:07 UTC") and machines.
pub fn timestamp_text(at: chrono::DateTime<chrono::Utc>) -> crate::views::DateText {
    crate::views::DateText {
        iso: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        display: at.format("%-d %B %Y at %H:%M UTC").to_string(),
    }
}
