//! Who may do what: one table, asked by every page, form, server function and command.
//!
//! A person's `Standing` toward a thing (a case study, a shared dataset) is worked out once from
//! who they are and how they relate to it; `may` then answers from the table alone. Nothing
//! else in Casebook decides a permission.
use serde::{Deserialize, Serialize};

use crate::vocabulary::{JoinPolicy, MembershipState, NetworkRole};

/// How the person asking stands toward the thing they would act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Standing {
    /// Not signed in.
    Anonymous,
    /// Signed in, with no tie to the thing.
    Member,
    /// Started the case study.
    Author,
    /// One of its other authors.
    CoAuthor,
    /// Runs the site.
    Admin,
}

impl Standing {
    pub const ALL: [Standing; 5] = [Standing::Anonymous, Standing::Member, Standing::Author, Standing::CoAuthor, Standing::Admin];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Read a published case study.
    ReadPublished,
    /// Read a draft or archived case study, its edit form and its history.
    ReadUnpublished,
    /// Share a new case study.
    Create,
    /// Change what a case study says.
    Edit,
    /// Draft or archived to published.
    Publish,
    /// Published back to draft.
    Unpublish,
    /// Take out of circulation, kept for its authors.
    Archive,
    /// Archived back to draft.
    Restore,
    /// Change the title, publisher, licence or format of a dataset record that other case
    /// studies link to as well.
    ChangeSharedDataset,
    /// Bring case studies in from a file (`casebook import`, `/import`).
    Import,
    /// Check again a dataset whose checks were paused after they kept ending without an outcome.
    CheckDatasetAgain,
    /// Follow anything, and manage one's own follows, notifications and email.
    Follow,
}

impl Action {
    pub const ALL: [Action; 12] = [
        Action::ReadPublished,
        Action::ReadUnpublished,
        Action::Create,
        Action::Edit,
        Action::Publish,
        Action::Unpublish,
        Action::Archive,
        Action::Restore,
        Action::ChangeSharedDataset,
        Action::Import,
        Action::CheckDatasetAgain,
        Action::Follow,
    ];
}

/// The table. A case study stays its authors' work: network organisers decide whether it is
/// shown in their network (`may_in_network`), never what it says.
pub fn may(standing: Standing, action: Action) -> bool {
    use Standing::*;
    let authors_and_admins = matches!(standing, Author | CoAuthor | Admin);
    match action {
        Action::ReadPublished => true,
        Action::Create | Action::Follow => standing != Anonymous,
        Action::ReadUnpublished | Action::Edit | Action::Publish | Action::Unpublish | Action::Archive | Action::Restore => {
            authors_and_admins
        }
        Action::ChangeSharedDataset | Action::Import | Action::CheckDatasetAgain => standing == Admin,
    }
}

/// Who is asking, as far as permissions care.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub is_admin: bool,
    /// The networks this person belongs to or has been invited to or asked to join.
    pub memberships: Vec<Membership>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Membership {
    pub network_id: i32,
    pub role: NetworkRole,
    pub state: MembershipState,
}

/// Who wrote a case study and where it is shared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Authorship {
    pub created_by: Option<i32>,
    pub authors: Vec<i32>,
}

impl Actor {
    /// The strongest standing this actor has toward a case study.
    pub fn toward(&self, case_study: &Authorship) -> Standing {
        let Some(user_id) = self.user_id else { return Standing::Anonymous };
        if self.is_admin {
            Standing::Admin
        } else if case_study.created_by == Some(user_id) {
            Standing::Author
        } else if case_study.authors.contains(&user_id) {
            Standing::CoAuthor
        } else {
            Standing::Member
        }
    }

    /// `Ok` when the table allows it; otherwise the refusal to give. Anonymous people are asked
    /// to sign in; refused readers of an unpublished case study are told it is not there, so
    /// that its existence is not given away.
    pub fn check(&self, case_study: &Authorship, action: Action) -> Result<(), crate::DomainError> {
        let standing = self.toward(case_study);
        if may(standing, action) {
            Ok(())
        } else if action == Action::ReadUnpublished {
            Err(crate::DomainError::NotFound)
        } else if standing == Standing::Anonymous {
            Err(crate::DomainError::Unauthenticated)
        } else {
            Err(crate::DomainError::Forbidden)
        }
    }
}

/// How the person asking stands toward a network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NetworkStanding {
    Anonymous,
    /// Signed in, with no tie to the network.
    Outsider,
    /// Asked to join; not yet a member.
    Requested,
    /// Invited by an organiser; not yet a member.
    Invited,
    Member,
    Reviewer,
    Organiser,
    /// Runs the site.
    Admin,
}

impl NetworkStanding {
    pub const ALL: [NetworkStanding; 8] = [
        NetworkStanding::Anonymous,
        NetworkStanding::Outsider,
        NetworkStanding::Requested,
        NetworkStanding::Invited,
        NetworkStanding::Member,
        NetworkStanding::Reviewer,
        NetworkStanding::Organiser,
        NetworkStanding::Admin,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NetworkAction {
    /// Start a network (site admins only).
    Create,
    /// See who belongs, beyond the organisers every network page names.
    SeeMembers,
    /// Become a member at once: open networks, or accepting an invitation.
    Join,
    /// Ask an organiser to be let in.
    RequestToJoin,
    /// Stop belonging (or withdraw a request, or decline an invitation).
    Leave,
    /// Submit one's own published case study.
    Submit,
    /// Report a case study to the organisers.
    Report,
    /// See the review queue and its reports; approve, reject, dismiss a report.
    Review,
    /// Hide a case study from the network.
    Hide,
    /// Let in those who asked, invite, remove members.
    ManageMembers,
    /// Make members reviewers or organisers, and back.
    ManageRoles,
    /// Change the network's name, address, description and policies.
    Edit,
    /// Create and change the collections the network owns.
    Curate,
}

impl NetworkAction {
    pub const ALL: [NetworkAction; 13] = [
        NetworkAction::Create,
        NetworkAction::SeeMembers,
        NetworkAction::Join,
        NetworkAction::RequestToJoin,
        NetworkAction::Leave,
        NetworkAction::Submit,
        NetworkAction::Report,
        NetworkAction::Review,
        NetworkAction::Hide,
        NetworkAction::ManageMembers,
        NetworkAction::ManageRoles,
        NetworkAction::Edit,
        NetworkAction::Curate,
    ];
}

/// The network table. The join policy matters to joining and to who sees the members: those of a
/// network that chooses its members are not listed to outsiders.
pub fn may_in_network(standing: NetworkStanding, action: NetworkAction, join: JoinPolicy) -> bool {
    use NetworkStanding::*;
    let belongs = matches!(standing, Member | Reviewer | Organiser);
    let runs = matches!(standing, Organiser | Admin);
    match action {
        NetworkAction::Create => standing == Admin,
        NetworkAction::SeeMembers => join == JoinPolicy::Open || belongs || standing == Admin,
        NetworkAction::Join => (standing == Outsider && join == JoinPolicy::Open) || standing == Invited,
        NetworkAction::RequestToJoin => standing == Outsider && join == JoinPolicy::Request,
        NetworkAction::Leave => belongs || matches!(standing, Requested | Invited),
        NetworkAction::Submit => belongs,
        NetworkAction::Report => standing != Anonymous,
        NetworkAction::Review => matches!(standing, Reviewer | Organiser | Admin),
        NetworkAction::Hide | NetworkAction::ManageMembers | NetworkAction::ManageRoles | NetworkAction::Edit | NetworkAction::Curate => {
            runs
        }
    }
}

impl Actor {
    /// This actor's membership of a network, if any.
    pub fn membership(&self, network_id: i32) -> Option<Membership> {
        self.memberships.iter().copied().find(|m| m.network_id == network_id)
    }

    /// How this actor stands toward a network. Site admins who also belong stand as admins.
    pub fn in_network(&self, network_id: i32) -> NetworkStanding {
        if self.user_id.is_none() {
            return NetworkStanding::Anonymous;
        }
        if self.is_admin {
            return NetworkStanding::Admin;
        }
        match self.membership(network_id) {
            None => NetworkStanding::Outsider,
            Some(Membership { state: MembershipState::Requested, .. }) => NetworkStanding::Requested,
            Some(Membership { state: MembershipState::Invited, .. }) => NetworkStanding::Invited,
            Some(Membership { role: NetworkRole::Member, .. }) => NetworkStanding::Member,
            Some(Membership { role: NetworkRole::Reviewer, .. }) => NetworkStanding::Reviewer,
            Some(Membership { role: NetworkRole::Organiser, .. }) => NetworkStanding::Organiser,
        }
    }

    pub fn may_in(&self, network_id: i32, join: JoinPolicy, action: NetworkAction) -> bool {
        may_in_network(self.in_network(network_id), action, join)
    }

    /// `Ok` when the network table allows it; otherwise the refusal to give.
    pub fn check_in(&self, network_id: i32, join: JoinPolicy, action: NetworkAction) -> Result<(), crate::DomainError> {
        if self.may_in(network_id, join, action) {
            Ok(())
        } else if self.user_id.is_none() {
            Err(crate::DomainError::Unauthenticated)
        } else {
            Err(crate::DomainError::Forbidden)
        }
    }

    /// For actions about no network in particular (starting one): a standing with no membership,
    /// the same toward every network.
    pub fn may_anywhere(&self, action: NetworkAction) -> bool {
        let standing = match (self.user_id, self.is_admin) {
            (None, _) => NetworkStanding::Anonymous,
            (Some(_), true) => NetworkStanding::Admin,
            (Some(_), false) => NetworkStanding::Outsider,
        };
        may_in_network(standing, action, JoinPolicy::Invite)
    }

    pub fn check_anywhere(&self, action: NetworkAction) -> Result<(), crate::DomainError> {
        if self.may_anywhere(action) {
            Ok(())
        } else if self.user_id.is_none() {
            Err(crate::DomainError::Unauthenticated)
        } else {
            Err(crate::DomainError::Forbidden)
        }
    }

    /// For actions about the site rather than one case study (importing, checks paused): the
    /// table's answer for this actor's standing toward none in particular.
    pub fn may_site(&self, action: Action) -> bool {
        may(self.toward(&Authorship::default()), action)
    }

    /// The list of datasets with problems is for those who look after others' work: site admins
    /// and the organisers of any network.
    pub fn check_dataset_health(&self) -> Result<(), crate::DomainError> {
        if self.is_admin || self.organises().next().is_some() {
            Ok(())
        } else if self.user_id.is_none() {
            Err(crate::DomainError::Unauthenticated)
        } else {
            Err(crate::DomainError::Forbidden)
        }
    }

    /// The networks this actor organises. (Site admins curate every network's collections too;
    /// `may_in` answers for them.)
    pub fn organises(&self) -> impl Iterator<Item = i32> + '_ {
        self.memberships.iter().filter(|m| m.state == MembershipState::Active && m.role == NetworkRole::Organiser).map(|m| m.network_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standing_is_the_strongest_tie() {
        let case_study = Authorship { created_by: Some(1), authors: vec![1, 2] };
        let actor = |user_id: Option<i32>, is_admin: bool| Actor { user_id, is_admin, memberships: Vec::new() };
        assert_eq!(actor(None, false).toward(&case_study), Standing::Anonymous);
        assert_eq!(actor(Some(1), false).toward(&case_study), Standing::Author);
        assert_eq!(actor(Some(2), false).toward(&case_study), Standing::CoAuthor);
        assert_eq!(actor(Some(3), false).toward(&case_study), Standing::Member);
        assert_eq!(actor(Some(2), true).toward(&case_study), Standing::Admin);
    }

    #[test]
    fn refusals_ask_anonymous_people_to_sign_in_and_hide_unpublished_work() {
        let case_study = Authorship { created_by: Some(1), authors: vec![1] };
        let anonymous = Actor::default();
        let member = Actor { user_id: Some(5), ..Actor::default() };
        assert!(matches!(anonymous.check(&case_study, Action::Edit), Err(crate::DomainError::Unauthenticated)));
        assert!(matches!(member.check(&case_study, Action::Edit), Err(crate::DomainError::Forbidden)));
        assert!(matches!(member.check(&case_study, Action::ReadUnpublished), Err(crate::DomainError::NotFound)));
        assert!(member.check(&case_study, Action::ReadPublished).is_ok());
    }

    #[test]
    fn the_network_table_row_by_row() {
        use NetworkAction as A;
        use NetworkStanding as S;
        // Each row: the standings allowed the action in an open network, and in one that
        // chooses its members (request to join; invitation only differs only for RequestToJoin).
        let open = |action| NetworkStanding::ALL.into_iter().filter(|s| may_in_network(*s, action, JoinPolicy::Open)).collect::<Vec<_>>();
        let closed =
            |action| NetworkStanding::ALL.into_iter().filter(|s| may_in_network(*s, action, JoinPolicy::Request)).collect::<Vec<_>>();
        let runs = vec![S::Organiser, S::Admin];
        assert_eq!(open(A::Create), vec![S::Admin]);
        assert_eq!(open(A::SeeMembers), NetworkStanding::ALL.to_vec());
        assert_eq!(closed(A::SeeMembers), vec![S::Member, S::Reviewer, S::Organiser, S::Admin]);
        assert_eq!(open(A::Join), vec![S::Outsider, S::Invited]);
        assert_eq!(closed(A::Join), vec![S::Invited]);
        assert_eq!(open(A::RequestToJoin), Vec::<S>::new());
        assert_eq!(closed(A::RequestToJoin), vec![S::Outsider]);
        assert!(!may_in_network(S::Outsider, A::RequestToJoin, JoinPolicy::Invite));
        assert!(!may_in_network(S::Outsider, A::Join, JoinPolicy::Invite));
        assert_eq!(open(A::Leave), vec![S::Requested, S::Invited, S::Member, S::Reviewer, S::Organiser]);
        assert_eq!(open(A::Submit), vec![S::Member, S::Reviewer, S::Organiser]);
        assert_eq!(open(A::Report), NetworkStanding::ALL[1..].to_vec());
        assert_eq!(open(A::Review), vec![S::Reviewer, S::Organiser, S::Admin]);
        for action in [A::Hide, A::ManageMembers, A::ManageRoles, A::Edit, A::Curate] {
            assert_eq!(open(action), runs, "{action:?}");
            assert_eq!(closed(action), runs, "{action:?}");
        }
    }

    #[test]
    fn network_standing_follows_role_and_state() {
        let membership = |role, state| Membership { network_id: 4, role, state };
        let actor = |memberships: Vec<Membership>| Actor { user_id: Some(9), is_admin: false, memberships };
        assert_eq!(Actor::default().in_network(4), NetworkStanding::Anonymous);
        assert_eq!(actor(vec![]).in_network(4), NetworkStanding::Outsider);
        assert_eq!(actor(vec![membership(NetworkRole::Organiser, MembershipState::Requested)]).in_network(4), NetworkStanding::Requested);
        assert_eq!(actor(vec![membership(NetworkRole::Member, MembershipState::Invited)]).in_network(4), NetworkStanding::Invited);
        assert_eq!(actor(vec![membership(NetworkRole::Reviewer, MembershipState::Active)]).in_network(4), NetworkStanding::Reviewer);
        assert_eq!(actor(vec![membership(NetworkRole::Organiser, MembershipState::Active)]).in_network(5), NetworkStanding::Outsider);
        let refused =
            actor(vec![membership(NetworkRole::Member, MembershipState::Active)]).check_in(4, JoinPolicy::Open, NetworkAction::Review);
        assert!(matches!(refused, Err(crate::DomainError::Forbidden)));
        assert!(matches!(Actor::default().check_in(4, JoinPolicy::Open, NetworkAction::Join), Err(crate::DomainError::Unauthenticated)));
    }
}
