//! Networks of practitioners: the network itself (`records`), who belongs and in what role
//! (`membership`), case studies submitted and the decisions on them (`submissions`), reports to
//! organisers (`reports`) and the pages that show them (`queries`). Every entry point asks
//! `crate::permissions::may_in_network`.
mod membership;
pub(crate) use membership::person_for;
mod queries;
mod records;
mod reports;
mod submissions;

pub use membership::{add_organiser, join, leave, manage, members};
pub use queries::{list, memberships_of, page, queue, sharing, submissions_by, submitted, Submitted};
pub use records::{create, editor, moved_to, update};
pub use reports::{report, resolve_report};
pub use submissions::{decide, next_state, submit, withdraw, Step, WITHDRAWN_ON_UNPUBLISHING};

pub(crate) use membership::set_membership;
pub(crate) use records::find;
pub(crate) use submissions::{shared_in, withdraw_pending};
