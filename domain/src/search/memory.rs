//! What searches share between requests: the cards of the case studies that come up and the
//! names of facet values, kept as of one position of the event log (`events::Kept`). A search
//! then asks the database only for the newest event, unless something has changed since.
use crate::events::Kept;
use crate::views::CaseStudyCard;

use super::params::Dimension;

/// Enough for every card and name a busy hour of searches shows, at a few MB.
const CARDS: usize = 10_000;
const LABELS: usize = 10_000;

#[derive(Debug)]
pub struct SearchMemory {
    /// By case study id; `None` for a hit that is not (or no longer) published.
    pub(super) cards: Kept<i32, Option<CaseStudyCard>>,
    /// By dimension and slug; `None` where nothing has that slug.
    pub(super) labels: Kept<(Dimension, String), Option<String>>,
}

impl Default for SearchMemory {
    fn default() -> Self {
        SearchMemory { cards: Kept::new(CARDS), labels: Kept::new(LABELS) }
    }
}
