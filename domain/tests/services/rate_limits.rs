//! Rate limits counted in the database, so that instances count together: exactly for writes,
//! and for anonymous reads through a tally that adds to the database's count now and then.
use casebook_domain::rate_limits::{self, Action, Asker, Tally};

use crate::support::on_both_engines;

/// A read counted with a write of its own cost a third of the search API's throughput.
#[tokio::test]
async fn reads_are_refused_at_the_limit_on_one_instance_and_near_it_across_two() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let [per_minute, _] = Action::Search.limits();
        let limit = per_minute.requests as usize;
        let asker = Asker { user_id: None, address: Some("203.0.113.7") };
        let alone = Tally::default();
        let allowed = {
            let mut allowed = 0;
            for _ in 0..limit + 10 {
                allowed += usize::from(alone.check(&db, Action::Search, &asker, 1).await.is_ok());
            }
            allowed
        };
        anyhow::ensure!(allowed == limit, "one instance lets through exactly its limit: {allowed}");

        // Two instances, one address, taking turns: together near the limit, never far past it.
        let (first, second) = (Tally::default(), Tally::default());
        let another = Asker { user_id: None, address: Some("198.51.100.9") };
        let mut allowed = 0;
        for n in 0..2 * limit {
            let instance = if n % 2 == 0 { &first } else { &second };
            allowed += usize::from(instance.check(&db, Action::Search, &another, 1).await.is_ok());
        }
        let margin = 2 * (limit / 10);
        anyhow::ensure!((limit..=limit + margin).contains(&allowed), "two instances let through {allowed} of a limit of {limit}");
        // The reads reached the database, where any instance (and the sweep) finds them.
        let refused = rate_limits::check(&db, Action::Search, &another, 1).await;
        anyhow::ensure!(refused.is_err(), "the database's count holds both instances' reads");
        Ok(())
    })
    .await
}
