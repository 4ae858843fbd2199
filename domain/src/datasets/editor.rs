//! The editor's "Look up": what a portal says about an address, before anything is saved.
use url::Url;

use super::checks::Checker;
use super::resolve::{self, Deferred};
use crate::rate_limits::{self, Action, Asker};
use crate::views::DatasetLookupView;
use crate::vocabulary::CheckOutcome;
use crate::DomainError;

impl Checker {
    /// Looks `address` up for the signed-in person `user_id`. An address that is not one, or a
    /// portal that does not answer, is said in `problem`, never as an error.
    pub async fn look_up_for(&self, user_id: i32, address: &str) -> Result<DatasetLookupView, DomainError> {
        let address = address.trim();
        let mut view = DatasetLookupView { url: address.chars().take(2000).collect(), ..DatasetLookupView::default() };
        let url = match Url::parse(address) {
            Ok(url) if address.len() <= 2000 && matches!(url.scheme(), "http" | "https") => url,
            _ => {
                view.problem = Some("Enter a web address starting with http:// or https://".into());
                return Ok(view);
            }
        };
        // Each look-up fetches from the portal, so one person gets a few a minute.
        rate_limits::check(self.fetcher.db(), Action::LookUpDataset, &Asker { user_id: Some(user_id), address: None }, 1).await?;
        match resolve::look_up(&self.fetcher, &self.resolve, &url).await {
            Err(Deferred(_)) => view.problem = Some("The portal is busy: try again in a few seconds".into()),
            Ok(lookup) => match lookup.found {
                Some(found) => {
                    view.title = found.title;
                    view.publisher = found.publisher;
                    view.licence = found.licence.map(|l| l.title).unwrap_or_default();
                    view.formats = found.formats.join(", ");
                    view.source = found.portal.label().to_string();
                }
                None => {
                    view.problem = Some(match lookup.probe.outcome {
                        CheckOutcome::Ok | CheckOutcome::Moved => {
                            "The page answered but says nothing Casebook can read about the dataset".into()
                        }
                        CheckOutcome::Refused => "This address is not on the public internet".into(),
                        other if lookup.probe.detail.is_empty() => format!("Nothing found: {}", other.label().to_lowercase()),
                        _ => format!("Nothing found: {}", lookup.probe.detail),
                    })
                }
            },
        }
        Ok(view)
    }
}
