//! Size limits, in characters, shared by validation and the forms' hints.
pub const TITLE: usize = 150;
pub const SUMMARY: usize = 300;
pub const BODY: usize = 50_000;
pub const REGION: usize = 120;
pub const LONG_TEXT: usize = 5_000;
pub const CONTACT: usize = 500;
pub const TAGS: usize = 12;
pub const TAG: usize = 40;
pub const DATASETS: usize = 20;
pub const DATASET_TITLE: usize = 200;
pub const URL: usize = 500;
pub const SHORT_TEXT: usize = 200;
pub const USAGE: usize = 1_000;
pub const DISPLAY_NAME: usize = 120;
pub const JOB_ROLE: usize = 120;
pub const NETWORK_NAME: usize = 120;
pub const SLUG: usize = 80;
pub const DESCRIPTION: usize = 10_000;
pub const REASON: usize = 500;
pub const COLLECTION_TITLE: usize = 150;
pub const INTRODUCTION: usize = 10_000;
pub const CURATOR_NOTE: usize = 1_000;
/// The most approved submissions a network may ask of a member before trusting them.
pub const TRUSTED_AFTER: i32 = 100;
/// Items in one collection.
pub const COLLECTION_ITEMS: u64 = 5_000;
/// The longest email address (RFC 5321's path limit).
pub const EMAIL: usize = 320;
/// First organisers named when a network is created.
pub const ORGANISERS: usize = 20;
/// Things one person may follow.
pub const FOLLOWS: u64 = 500;
/// A followed search's query string.
pub const FOLLOW_KEY: usize = 1_000;
