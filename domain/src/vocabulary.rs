//! The fixed vocabularies a case study is described with. Each term has a stable slug (stored and
//! used in URLs) and a label for people.

#[cfg(feature = "server")]
use sea_orm::sea_query::StringLen;

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $slug:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        // Stored as the slug: a column holding anything else fails to load, loudly, rather than
        // being read as some default.
        #[cfg_attr(feature = "server", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
        #[cfg_attr(feature = "server", sea_orm(rs_type = "String", db_type = "String(StringLen::None)"))]
        pub enum $name {
            $(#[serde(rename = $slug)] #[cfg_attr(feature = "server", sea_orm(string_value = $slug))] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug,)+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            pub fn from_slug(slug: &str) -> Option<Self> {
                match slug { $($slug => Some($name::$variant),)+ _ => None }
            }
        }

        // The public API publishes each vocabulary as an enumeration of its slugs.
        #[cfg(feature = "server")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{ObjectBuilder, Type};
                ObjectBuilder::new().schema_type(Type::String).enum_values(Some([$($slug),+])).into()
            }
        }

        #[cfg(feature = "server")]
        impl utoipa::ToSchema for $name {}

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

vocabulary! {
    /// The area of public service a case study belongs to.
    ServiceArea {
        WasteAndRecycling => "waste-and-recycling", "Waste and recycling";
        Transport => "transport", "Transport";
        HealthAndCare => "health-and-care", "Health and care";
        Housing => "housing", "Housing";
        Planning => "planning", "Planning";
        Education => "education", "Education";
        Environment => "environment", "Environment";
        DemocracyAndPolicy => "democracy-and-policy", "Democracy and policy";
        Finance => "finance", "Finance";
        Other => "other", "Other";
    }
}

vocabulary! {
    /// How far the service got, in the phases of the GOV.UK service manual.
    Phase {
        Discovery => "discovery", "Discovery";
        Alpha => "alpha", "Alpha";
        Beta => "beta", "Beta";
        Live => "live", "Live";
        Retired => "retired", "Retired";
    }
}

vocabulary! {
    /// Who can see a case study: drafts only their authors, published everyone, archived nobody in lists.
    Status {
        Draft => "draft", "Draft";
        Published => "published", "Published";
        Archived => "archived", "Archived";
    }
}

vocabulary! {
    OrganisationKind {
        CentralGovernment => "central-government", "Central government";
        LocalGovernment => "local-government", "Local government";
        Health => "health", "Health";
        Charity => "charity", "Charity";
        Academic => "academic", "Academic";
        Private => "private", "Private sector";
        Other => "other", "Other";
    }
}

vocabulary! {
    /// Ways of working a team used.
    Practice {
        UserResearch => "user-research", "User research";
        AgileDelivery => "agile-delivery", "Agile delivery";
        MultidisciplinaryTeam => "multidisciplinary-team", "Multidisciplinary team";
        ServiceDesign => "service-design", "Service design";
        OpenWorking => "open-working", "Working in the open";
        OpenSource => "open-source", "Open source";
        Accessibility => "accessibility", "Accessibility";
        DataStandards => "data-standards", "Data standards";
        ApiFirst => "api-first", "API first";
        CoDesign => "co-design", "Co-design";
    }
}

vocabulary! {
    /// The licence a case study's write-up is shared under. Casebook's own content is open data.
    Licence {
        CcBy4 => "CC-BY-4.0", "Creative Commons Attribution 4.0 (CC BY 4.0)";
        CcBySa4 => "CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)";
        Cc0 => "CC0-1.0", "Creative Commons Zero 1.0 (public domain)";
        Ogl3 => "OGL-UK-3.0", "Open Government Licence v3.0";
    }
}

impl Licence {
    /// The licence's own page, which linked data names it by.
    pub fn url(self) -> &'static str {
        match self {
            Licence::CcBy4 => "https://creativecommons.org/licenses/by/4.0/",
            Licence::CcBySa4 => "https://creativecommons.org/licenses/by-sa/4.0/",
            Licence::Cc0 => "https://creativecommons.org/publicdomain/zero/1.0/",
            Licence::Ogl3 => "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        }
    }
}

#[expect(clippy::derivable_impls, reason = "the enum comes from the vocabulary macro, which derives no Default")]
impl Default for Licence {
    fn default() -> Self {
        Licence::CcBy4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_round_trips_through_its_slug() {
        for area in ServiceArea::ALL {
            assert_eq!(ServiceArea::from_slug(area.slug()), Some(*area));
        }
        for phase in Phase::ALL {
            assert_eq!(Phase::from_slug(phase.slug()), Some(*phase));
        }
        for practice in Practice::ALL {
            assert_eq!(Practice::from_slug(practice.slug()), Some(*practice));
        }
        assert_eq!(Phase::from_slug("Beta"), None, "slugs are exact");
    }

    #[test]
    fn serde_uses_the_slug() {
        assert_eq!(serde_json::to_string(&ServiceArea::WasteAndRecycling).ok().as_deref(), Some("\"waste-and-recycling\""));
    }
}

vocabulary! {
    /// Who may join a network.
    JoinPolicy {
        Open => "open", "Anyone signed in can join";
        Request => "request", "People ask to join and an organiser says yes";
        Invite => "invite", "Invitation only";
    }
}

vocabulary! {
    /// Which submissions to a network wait for a reviewer. Each is more trusting than the one
    /// before: organisers' and reviewers' own submissions are approved at once under the last two.
    ReviewPolicy {
        Every => "every", "Every submission is reviewed";
        TrustedAfter => "trusted", "Members are trusted after a number of approved submissions";
        OrganisersTrusted => "organisers", "Organisers' and reviewers' own submissions are approved at once";
    }
}

vocabulary! {
    /// A person's role in a network, weakest first.
    NetworkRole {
        Member => "member", "Member";
        Reviewer => "reviewer", "Reviewer";
        Organiser => "organiser", "Organiser";
    }
}

vocabulary! {
    /// Where a person's membership of a network stands.
    MembershipState {
        Active => "active", "Member";
        Requested => "requested", "Asked to join";
        Invited => "invited", "Invited";
    }
}

vocabulary! {
    /// Where a case study submitted to a network stands.
    SubmissionState {
        Pending => "pending", "Waiting for review";
        Approved => "approved", "Approved";
        Rejected => "rejected", "Not accepted";
        Withdrawn => "withdrawn", "Withdrawn";
    }
}

vocabulary! {
    /// What became of a report to a network's organisers.
    ReportState {
        Open => "open", "Open";
        Dismissed => "dismissed", "Dismissed";
        Hidden => "hidden", "Hidden from the network";
    }
}

vocabulary! {
    /// Whether a collection can be read by everyone.
    CollectionStatus {
        Draft => "draft", "Draft";
        Published => "published", "Published";
    }
}

vocabulary! {
    /// What one check of a dataset's link found.
    CheckOutcome {
        Unchecked => "unchecked", "Not checked yet";
        Ok => "ok", "Available";
        Moved => "moved", "Moved";
        Private => "private", "Private";
        Gone => "gone", "Not found";
        ServerError => "server_error", "Server error";
        Timeout => "timeout", "Timed out";
        DnsFailure => "dns_failure", "Address not found";
        ConnectionFailure => "connection_failure", "Could not connect";
        Refused => "refused", "Not a public address";
        ClientError => "client_error", "Request refused";
    }
}

vocabulary! {
    /// A dataset's condition as people see it and search counts it: one per dataset, the worst
    /// that applies.
    DatasetCondition {
        Available => "available", "Available";
        Stale => "stale", "Not updated on time";
        Moved => "moved", "Moved";
        Private => "private", "Private";
        Unavailable => "unavailable", "Unavailable";
        Withdrawn => "withdrawn", "Withdrawn";
        Unchecked => "unchecked", "Not checked yet";
    }
}

vocabulary! {
    /// Where a dataset's details came from.
    PortalKind {
        Ckan => "ckan", "CKAN";
        DataGovUk => "data_gov_uk", "data.gov.uk";
        DataPress => "datapress", "DataPress";
        Dcat => "dcat", "DCAT";
        SchemaOrg => "schema_org", "schema.org";
        Page => "page", "the page’s title";
    }
}

vocabulary! {
    /// What a person can follow.
    FollowTarget {
        Network => "network", "network";
        Pattern => "pattern", "pattern";
        Tag => "tag", "tag";
        Organisation => "organisation", "organisation";
        Dataset => "dataset", "dataset";
        CaseStudy => "case_study", "case study";
        Search => "search", "search";
    }
}

vocabulary! {
    /// How much of what happens to a followed thing a person is told (Discourse's levels).
    FollowLevel {
        Everything => "everything", "Everything: new case studies and substantial changes";
        NewOnly => "new_only", "New case studies only";
        Muted => "muted", "Nothing (muted)";
    }
}

vocabulary! {
    /// When a person is emailed about what they follow.
    Delivery {
        AtOnce => "at_once", "By email at once";
        Daily => "daily", "In a daily email digest";
        Weekly => "weekly", "In a weekly email digest";
        SiteOnly => "site_only", "Only on the site, no email";
    }
}

vocabulary! {
    /// Where one queued email stands.
    MailState {
        Queued => "queued", "Waiting to be sent";
        Sent => "sent", "Sent";
        Bounced => "bounced", "Refused by the recipient's mail server";
        Failed => "failed", "Given up after retries";
        Suppressed => "suppressed", "Not sent: email is off for this person or address";
    }
}

vocabulary! {
    /// What a person is told about.
    NotificationKind {
        NewCaseStudy => "new_case_study", "New case studies";
        NewInNetwork => "new_in_network", "New in a network";
        Changed => "changed", "Case studies changed";
        CoAuthorEdit => "co_author_edit", "Edits by co-authors";
        SubmissionWaiting => "submission_waiting", "Submissions waiting for review";
        Decision => "decision", "Decisions on your submissions";
        Report => "report", "Reports to organisers";
        ReportOutcome => "report_outcome", "Reports about your case studies";
        JoinRequest => "join_request", "Requests to join";
        Invitation => "invitation", "Invitations";
        DatasetWithdrawn => "dataset_withdrawn", "Datasets withdrawn";
        WorkLikeYours => "work_like_yours", "Work like yours";
    }
}
