//! Who may do what: one table, asked by every page, form, server function and command.
//!
//! A person's `Standing` toward a thing (a case study, a shared dataset) is worked out once from
//! who they are and how they relate to it; `may` then answers from the table alone. Nothing
//! else in Casebook decides a permission.
use serde::{Deserialize, Serialize};

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
    /// Organises a network the thing belongs to.
    Organiser,
    /// Runs the site.
    Admin,
}

impl Standing {
    pub const ALL: [Standing; 6] =
        [Standing::Anonymous, Standing::Member, Standing::Author, Standing::CoAuthor, Standing::Organiser, Standing::Admin];
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
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::ReadPublished,
        Action::ReadUnpublished,
        Action::Create,
        Action::Edit,
        Action::Publish,
        Action::Unpublish,
        Action::Archive,
        Action::Restore,
        Action::ChangeSharedDataset,
    ];
}

/// The table. Organisers gain rights over case studies submitted to their networks when
/// networks arrive; until then they stand as members do.
pub fn may(standing: Standing, action: Action) -> bool {
    use Standing::*;
    let authors_and_admins = matches!(standing, Author | CoAuthor | Admin);
    match action {
        Action::ReadPublished => true,
        Action::Create => standing != Anonymous,
        Action::ReadUnpublished | Action::Edit | Action::Publish | Action::Unpublish | Action::Archive | Action::Restore => {
            authors_and_admins
        }
        Action::ChangeSharedDataset => standing == Admin,
    }
}

/// Who is asking, as far as permissions care.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub is_admin: bool,
    /// The networks this person organises.
    pub organises: Vec<i32>,
}

/// Who wrote a case study and where it is shared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Authorship {
    pub created_by: Option<i32>,
    pub authors: Vec<i32>,
    pub networks: Vec<i32>,
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
        } else if case_study.networks.iter().any(|n| self.organises.contains(n)) {
            Standing::Organiser
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standing_is_the_strongest_tie() {
        let case_study = Authorship { created_by: Some(1), authors: vec![1, 2], networks: vec![7] };
        let actor = |user_id: Option<i32>, is_admin: bool, organises: Vec<i32>| Actor { user_id, is_admin, organises };
        assert_eq!(actor(None, false, vec![]).toward(&case_study), Standing::Anonymous);
        assert_eq!(actor(Some(1), false, vec![]).toward(&case_study), Standing::Author);
        assert_eq!(actor(Some(2), false, vec![7]).toward(&case_study), Standing::CoAuthor);
        assert_eq!(actor(Some(3), false, vec![7]).toward(&case_study), Standing::Organiser);
        assert_eq!(actor(Some(3), false, vec![8]).toward(&case_study), Standing::Member);
        assert_eq!(actor(Some(2), true, vec![]).toward(&case_study), Standing::Admin);
    }

    #[test]
    fn refusals_ask_anonymous_people_to_sign_in_and_hide_unpublished_work() {
        let case_study = Authorship { created_by: Some(1), authors: vec![1], networks: vec![] };
        let anonymous = Actor::default();
        let member = Actor { user_id: Some(5), ..Actor::default() };
        assert!(matches!(anonymous.check(&case_study, Action::Edit), Err(crate::DomainError::Unauthenticated)));
        assert!(matches!(member.check(&case_study, Action::Edit), Err(crate::DomainError::Forbidden)));
        assert!(matches!(member.check(&case_study, Action::ReadUnpublished), Err(crate::DomainError::NotFound)));
        assert!(member.check(&case_study, Action::ReadPublished).is_ok());
    }
}
