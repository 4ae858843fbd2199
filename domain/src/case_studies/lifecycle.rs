//! How a case study moves between draft, published and archived. The form says which status
//! the person wants; this says which action that is (for the permission table), which event it
//! writes, and refuses what is not a move a case study can make.
use crate::events::Change;
use crate::permissions::Action;
use crate::vocabulary::Status;

/// One allowed move, with what it needs and what it records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub action: Action,
    pub change: Change,
}

/// The move from `from` to `to`; `None` when the status stays as it is.
pub fn transition(from: Status, to: Status) -> Option<Transition> {
    let (action, change) = match (from, to) {
        (Status::Draft, Status::Published) | (Status::Archived, Status::Published) => (Action::Publish, Change::Published),
        (Status::Published, Status::Draft) => (Action::Unpublish, Change::Unpublished),
        (Status::Draft, Status::Archived) | (Status::Published, Status::Archived) => (Action::Archive, Change::Archived),
        (Status::Archived, Status::Draft) => (Action::Restore, Change::Restored),
        (Status::Draft, Status::Draft) | (Status::Published, Status::Published) | (Status::Archived, Status::Archived) => return None,
    };
    Some(Transition { action, change })
}

/// What a new case study may start as: a draft, or published at once.
pub fn may_start_as(status: Status) -> bool {
    matches!(status, Status::Draft | Status::Published)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pair_of_statuses_is_a_move_or_a_stay() {
        for &from in Status::ALL {
            for &to in Status::ALL {
                assert_eq!(transition(from, to).is_none(), from == to, "{from:?} to {to:?}");
            }
        }
        assert_eq!(transition(Status::Published, Status::Draft).map(|t| t.action), Some(Action::Unpublish));
        assert_eq!(transition(Status::Archived, Status::Draft).map(|t| t.change), Some(Change::Restored));
        assert!(!may_start_as(Status::Archived));
    }
}
