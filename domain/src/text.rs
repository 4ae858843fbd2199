//! Text rules shared by every kind of content: slugs, tags, lengths, dates.
mod cleaning;
mod dates;
mod slugs;

pub use cleaning::{char_len, clean};
pub use dates::{date_text, timestamp_text};
pub use slugs::{normalise_tag, parse_tags, slugify};
