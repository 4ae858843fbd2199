//! Limits on how often something may be done, counted in the database so that every instance
//! behind a load balancer counts together. Fixed windows: simple, and good enough to stop a
//! flood; a burst at a window's edge can reach twice the limit.
//!
//! `Action` is the one table of what is limited and how much; the server asks it before any
//! work is done for a request.
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entities::rate_limit;
use crate::DomainError;

mod tally;
pub use tally::Tally;

/// At most `requests` in each window of `window_seconds`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub requests: i32,
    pub window_seconds: i64,
}

const fn per_minute(requests: i32) -> Limit {
    Limit { requests, window_seconds: 60 }
}

const fn per_hour(requests: i32) -> Limit {
    Limit { requests, window_seconds: 3600 }
}

/// Everything that is limited. Each is counted for the person (when signed in) and for the
/// address it comes from (IPv6 by its /64, which one household or server is given), so that
/// neither many accounts on one address nor one account on many addresses gets further.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Starting a sign-in: each writes a row and may fetch from the provider.
    SignInStart,
    /// Saving a case study: each save may fetch up to 20 datasets.
    SaveCaseStudy,
    /// The story's preview, asked as the author types.
    Preview,
    /// Looking up one dataset link, which fetches from its portal.
    LookUpDataset,
    /// Reporting a case study to a network's organisers.
    Report,
    /// Joining or leaving a network, inviting, admitting or removing its members.
    Membership,
    /// Submitting a case study to a network, withdrawing it, or deciding on one.
    Submission,
    /// Creating a network or changing one.
    NetworkChange,
    /// Creating a collection, changing it or its items.
    CollectionChange,
    /// Saving one's profile, or deleting one's account.
    ProfileSave,
    /// Uploading or confirming an import.
    Import,
    /// A form kept for someone whose session ended while they typed.
    KeepForm,
    /// The search page and the search API.
    Search,
    /// The rest of the public API.
    Api,
    /// Following, unfollowing, changing how one is told, marking notifications read.
    Follow,
    /// A mail's unsubscribe link, posted or opened, counted by address: it needs no sign-in.
    Unsubscribe,
}

impl Action {
    /// What a busy person does in a minute and in an hour, with room to spare; a script that
    /// goes past it is refused until its window passes.
    pub const fn limits(self) -> [Limit; 2] {
        match self {
            Action::SignInStart => [per_minute(30), per_hour(300)],
            Action::SaveCaseStudy => [per_minute(20), per_hour(200)],
            Action::Preview => [per_minute(60), per_hour(1200)],
            Action::LookUpDataset => [per_minute(20), per_hour(300)],
            Action::Report => [per_minute(5), per_hour(30)],
            Action::Membership => [per_minute(30), per_hour(300)],
            Action::Submission => [per_minute(30), per_hour(300)],
            Action::NetworkChange => [per_minute(10), per_hour(60)],
            Action::CollectionChange => [per_minute(60), per_hour(600)],
            Action::ProfileSave => [per_minute(10), per_hour(60)],
            Action::Import => [per_minute(5), per_hour(30)],
            Action::KeepForm => [per_minute(5), per_hour(20)],
            Action::Search => [per_minute(120), per_hour(3000)],
            Action::Api => [per_minute(300), per_hour(6000)],
            Action::Follow => [per_minute(60), per_hour(600)],
            Action::Unsubscribe => [per_minute(20), per_hour(200)],
        }
    }

    /// The name buckets are counted under.
    pub const fn name(self) -> &'static str {
        match self {
            Action::SignInStart => "sign-in",
            Action::SaveCaseStudy => "save",
            Action::Preview => "preview",
            Action::LookUpDataset => "dataset-look-up",
            Action::Report => "report",
            Action::Membership => "membership",
            Action::Submission => "submission",
            Action::NetworkChange => "network",
            Action::CollectionChange => "collection",
            Action::ProfileSave => "profile",
            Action::Import => "import",
            Action::KeepForm => "keep-form",
            Action::Search => "search",
            Action::Api => "api",
            Action::Follow => "follow",
            Action::Unsubscribe => "unsubscribe",
        }
    }

    /// Reads every anonymous visitor makes: counted by `Tally`, which costs them no write each.
    pub const fn read(self) -> bool {
        matches!(self, Action::Search | Action::Api)
    }

    pub const ALL: [Action; 16] = [
        Action::SignInStart,
        Action::SaveCaseStudy,
        Action::Preview,
        Action::LookUpDataset,
        Action::Report,
        Action::Membership,
        Action::Submission,
        Action::NetworkChange,
        Action::CollectionChange,
        Action::ProfileSave,
        Action::Import,
        Action::KeepForm,
        Action::Search,
        Action::Api,
        Action::Follow,
        Action::Unsubscribe,
    ];
}

/// Who is asking: the person, when signed in, and the address (already grouped by `address_key`).
#[derive(Clone, Debug)]
pub struct Asker<'a> {
    pub user_id: Option<i32>,
    pub address: Option<&'a str>,
}

/// Counts one `action` for the person and the address, each against both its limits (times
/// `scale`, which test suites raise); refuses with `RateLimited` and the seconds until the
/// fullest window ends once any is over.
pub async fn check(db: &impl ConnectionTrait, action: Action, asker: &Asker<'_>, scale: i32) -> Result<(), DomainError> {
    let mut wait = 0;
    for (bucket, limit) in counted(action, asker, scale) {
        if let Err(retry) = hit(db, &bucket, limit).await {
            wait = Ord::max(wait, retry);
        }
    }
    refused_for(wait)
}

/// Every bucket one request of `action` counts in, with its limit times `scale`.
fn counted(action: Action, asker: &Asker<'_>, scale: i32) -> Vec<(String, Limit)> {
    let by_address = asker.address.map(|address| format!("{}:a:{address}", action.name()));
    let by_person = asker.user_id.map(|id| format!("{}:u:{id}", action.name()));
    let buckets: Vec<String> = by_address.into_iter().chain(by_person).collect();
    action
        .limits()
        .into_iter()
        .flat_map(|limit| {
            let limit = Limit { requests: limit.requests.saturating_mul(Ord::max(scale, 1)), ..limit };
            buckets.iter().map(move |bucket| (bucket.clone(), limit))
        })
        .collect()
}

/// Refused for `wait` seconds, the fullest window's rest; nothing to wait for is no refusal.
fn refused_for(wait: i64) -> Result<(), DomainError> {
    if wait > 0 {
        Err(DomainError::RateLimited { retry_after: wait })
    } else {
        Ok(())
    }
}

/// An address as limits count it: IPv4 whole, IPv6 by its /64 (one subscriber is given a whole
/// /64, so counting single addresses would give them 2^64 tries).
pub fn address_key(address: std::net::IpAddr) -> String {
    match address {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Counts one request in `bucket` (what is limited, and for whom); once the window's count is
/// over the limit, answers how many seconds are left of the window.
async fn hit(db: &impl ConnectionTrait, bucket: &str, limit: Limit) -> Result<(), i64> {
    let window = Window::of(bucket, limit);
    match window.add(db, 1).await {
        Ok(count) if count <= limit.requests => Ok(()),
        Ok(_) => Err(window.left),
        // A counter that cannot be written refuses nothing: the request meets its own errors.
        Err(error) => {
            tracing::error!(%error, bucket, "a rate limit could not be counted");
            Ok(())
        }
    }
}

/// The window a request falls in now, for one bucket and limit.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Window {
    /// The bucket, kept bounded (callers name buckets from what requests say), with the window's
    /// length, as one action counts a minute and an hour.
    key: String,
    start: i64,
    /// When it ends, in seconds since 1970, and how many seconds are left until then.
    ends: i64,
    left: i64,
}

impl Window {
    fn of(bucket: &str, limit: Limit) -> Window {
        let now = Utc::now().timestamp();
        let length = Ord::max(limit.window_seconds, 1);
        let start = now - now.rem_euclid(length);
        let ends = start + length;
        Window { key: format!("{length}:{}", bucket.chars().take(200).collect::<String>()), start, ends, left: ends - now }
    }

    /// Adds `n` to the window's count in the database, shared by every instance; the count after.
    async fn add(&self, db: &impl ConnectionTrait, n: i32) -> Result<i32, sea_orm::DbErr> {
        rate_limit::Entity::insert(rate_limit::ActiveModel { bucket: Set(self.key.clone()), window_start: Set(self.start), count: Set(n) })
            .on_conflict(
                OnConflict::columns([rate_limit::Column::Bucket, rate_limit::Column::WindowStart])
                    .value(rate_limit::Column::Count, Expr::col((rate_limit::Entity, rate_limit::Column::Count)).add(n))
                    .to_owned(),
            )
            .exec(db)
            .await?;
        Ok(rate_limit::Entity::find_by_id((self.key.clone(), self.start)).one(db).await?.map_or(0, |row| row.count))
    }
}

/// Forgets windows that ended over an hour ago; run on a timer (by `window_start`'s index), not
/// by the requests being counted.
pub async fn sweep(db: &impl ConnectionTrait) -> Result<u64, DomainError> {
    let before = Utc::now().timestamp() - 2 * 3600;
    Ok(rate_limit::Entity::delete_many().filter(rate_limit::Column::WindowStart.lt(before)).exec(db).await?.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_count_by_their_64() {
        let a = address_key("2001:db8:1:2:aaaa::1".parse().unwrap());
        assert_eq!(a, address_key("2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap()));
        assert_ne!(a, address_key("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(address_key("::ffff:81.2.69.160".parse().unwrap()), "81.2.69.160");
        assert_eq!(address_key("81.2.69.160".parse().unwrap()), "81.2.69.160");
    }

    #[test]
    fn every_action_allows_fewer_in_a_minute_than_in_an_hour() {
        for action in Action::ALL {
            let [minute, hour] = action.limits();
            assert_eq!((minute.window_seconds, hour.window_seconds), (60, 3600), "{action:?}");
            assert!(0 < minute.requests && minute.requests <= hour.requests, "{action:?}");
        }
    }
}
