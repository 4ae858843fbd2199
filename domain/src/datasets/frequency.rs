//! How often a dataset says it is updated, from the words and codes portals use: CKAN and
//! data.gov.uk words, Dublin Core's frequency terms, the EU's frequency authority, ISO 8601.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frequency {
    /// As people read it: "daily", "annual", ...
    pub label: String,
    /// Days between updates; 0 for a dataset not expected to change; `None` for irregular.
    pub every_days: Option<i32>,
}

pub fn parse(text: &str) -> Option<Frequency> {
    let raw = text.trim();
    if raw.is_empty() {
        return None;
    }
    // The last part of an address (`.../freq/annual`, `.../frequency/ANNUAL`), lower case.
    let word = raw.rsplit(['/', '#']).next().unwrap_or(raw).to_ascii_lowercase().replace(['_', ' '], "-");
    let known: Option<(&str, Option<i32>)> = match word.as_str() {
        "continuous" | "realtime" | "real-time" | "cont" | "updatecont" | "hourly" | "bihourly" => Some(("continuous", Some(1))),
        "daily" | "day" => Some(("daily", Some(1))),
        "weekly" | "week" | "biweekly" | "semiweekly" | "fortnightly" => Some(("weekly", Some(14))),
        "monthly" | "month" | "bimonthly" | "semimonthly" => Some(("monthly", Some(31))),
        "quarterly" | "quarter" => Some(("quarterly", Some(92))),
        "biannual" | "biannually" | "semiannual" | "six-monthly" => Some(("twice a year", Some(183))),
        "annual" | "annually" | "yearly" | "year" => Some(("annual", Some(366))),
        "biennial" => Some(("every two years", Some(731))),
        "triennial" => Some(("every three years", Some(1096))),
        "never" | "not-planned" | "notplanned" | "discontinued" | "one-off" | "oneoff" | "as-needed" => Some(("not planned", Some(0))),
        "irregular" | "irreg" | "other" | "unknown" | "ad-hoc" | "adhoc" => Some(("irregular", None)),
        _ => None,
    };
    if let Some((label, every_days)) = known {
        return Some(Frequency { label: label.to_string(), every_days });
    }
    iso_duration_days(raw.trim_start_matches("R/")).map(|days| Frequency { label: raw.chars().take(60).collect(), every_days: Some(days) })
}

/// Whole days in an ISO 8601 duration such as `P1D`, `P1M`, `P1Y`, `PT1H` (rounded up to a day).
fn iso_duration_days(text: &str) -> Option<i32> {
    let rest = text.strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut days = 0i64;
    let mut number = String::new();
    for c in date.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().ok()?;
        number.clear();
        days += n * match c {
            'Y' => 366,
            'M' => 31,
            'W' => 7,
            'D' => 1,
            _ => return None,
        };
    }
    if !number.is_empty() {
        return None;
    }
    if days == 0 && !time.is_empty() {
        days = 1;
    }
    (days > 0).then(|| days.min(36_600) as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_words_codes_and_durations() {
        assert_eq!(parse("annual").unwrap().every_days, Some(366));
        assert_eq!(parse("http://purl.org/cld/freq/monthly").unwrap().label, "monthly");
        assert_eq!(parse("http://publications.europa.eu/resource/authority/frequency/ANNUAL").unwrap().every_days, Some(366));
        assert_eq!(parse("R/P1W").unwrap().every_days, Some(7));
        assert_eq!(parse("PT15M").unwrap().every_days, Some(1));
        assert_eq!(parse("never").unwrap().every_days, Some(0));
        assert_eq!(parse("irregular").unwrap().every_days, None);
        assert_eq!(parse("when we feel like it"), None);
    }
}
