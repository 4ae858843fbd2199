//! Accounts from sign-ins. A provider and the subject it gives always reach the same account;
//! a second provider joins an account only when its owner, signed in, links it. Accounts are
//! never merged by matching email addresses.
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::roles::{self, Role};
use crate::entities::{identity, user};
use crate::forms::limits;
use crate::text::clean;
use crate::DomainError;

/// What a provider told us about the person signing in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderProfile {
    pub provider: String,
    pub subject: String,
    pub display_name: String,
    /// Only addresses the provider vouches for (verified); anything else is left out.
    pub vouched_emails: Vec<String>,
    pub avatar_url: Option<String>,
}

/// Email domains whose people count as verified public servants; subdomains are included.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifiedDomains(Vec<String>);

impl VerifiedDomains {
    /// From a comma-separated list such as `gov.uk,nhs.uk`.
    pub fn parse(list: &str) -> Self {
        VerifiedDomains(list.split(',').map(|d| d.trim().trim_start_matches('.').to_ascii_lowercase()).filter(|d| !d.is_empty()).collect())
    }

    /// The domain of `email` when it is a listed domain or one of its subdomains.
    pub fn domain_of(&self, email: &str) -> Option<String> {
        let (local, domain) = email.trim().rsplit_once('@')?;
        let domain = domain.to_ascii_lowercase();
        if local.is_empty() || domain.is_empty() {
            return None;
        }
        self.0.iter().any(|listed| domain == *listed || domain.ends_with(&format!(".{listed}"))).then_some(domain)
    }
}

/// The rules sign-in applies, from the configuration.
#[derive(Clone, Debug, Default)]
pub struct AccountRules {
    pub verified_domains: VerifiedDomains,
    /// People whose vouched email is listed become admins when they sign in.
    pub admin_emails: Vec<String>,
}

impl AccountRules {
    /// The email to keep for an identity and the verified domain it earns, if any: a
    /// verified public-sector address is preferred.
    fn email_and_domain(&self, profile: &ProviderProfile) -> (Option<String>, Option<String>) {
        let emails: Vec<String> = profile.vouched_emails.iter().map(|e| e.trim().to_ascii_lowercase()).collect();
        match emails.iter().find_map(|e| self.verified_domains.domain_of(e).map(|d| (e.clone(), d))) {
            Some((email, domain)) => (Some(email), Some(domain)),
            None => (emails.into_iter().next(), None),
        }
    }

    fn names_an_admin(&self, profile: &ProviderProfile) -> bool {
        profile.vouched_emails.iter().any(|e| self.admin_emails.iter().any(|a| a.trim().eq_ignore_ascii_case(e.trim())))
    }
}

/// The account a sign-in reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub user_id: i32,
    pub new_account: bool,
}

fn display_name(profile: &ProviderProfile) -> String {
    let name: String = clean(&profile.display_name).split_whitespace().collect::<Vec<_>>().join(" ");
    let name: String = name.chars().take(limits::DISPLAY_NAME).collect();
    if name.is_empty() {
        "New member".to_string()
    } else {
        name
    }
}

/// Signs in with a provider's profile: the account that provider and subject belong to, or a
/// new one made from the profile. What the provider vouches for is re-checked every time.
pub async fn sign_in(db: &DatabaseConnection, profile: &ProviderProfile, rules: &AccountRules) -> Result<SignedIn, DomainError> {
    let (email, verified_domain) = rules.email_and_domain(profile);
    let txn = crate::db::begin(db).await?;
    let now = Utc::now();
    let existing = find_identity(&txn, profile).await?;
    let signed_in = match existing {
        Some(found) => {
            refresh_identity(&txn, &found, email, verified_domain).await?;
            SignedIn { user_id: found.user_id, new_account: false }
        }
        None => {
            let created = user::Entity::insert(user::ActiveModel {
                display_name: Set(display_name(profile)),
                organisation_id: Set(None),
                job_role: Set(String::new()),
                bio: Set(String::new()),
                avatar_url: Set(profile.avatar_url.clone()),
                email: Set(email.clone()),
                is_demo: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
            insert_identity(&txn, created.last_insert_id, profile, email, verified_domain).await?;
            SignedIn { user_id: created.last_insert_id, new_account: true }
        }
    };
    sync_configured_admin(&txn, signed_in.user_id, rules).await?;
    txn.commit().await?;
    Ok(signed_in)
}

/// Links another provider's account to `user_id`, who is signed in. An account already linked
/// to someone else stays theirs.
pub async fn link(db: &DatabaseConnection, user_id: i32, profile: &ProviderProfile, rules: &AccountRules) -> Result<(), DomainError> {
    let (email, verified_domain) = rules.email_and_domain(profile);
    let txn = crate::db::begin(db).await?;
    let existing = find_identity(&txn, profile).await?;
    match existing {
        Some(found) if found.user_id == user_id => refresh_identity(&txn, &found, email, verified_domain).await?,
        Some(_) => return Err(DomainError::Conflict("That account is already linked to another Casebook account.".into())),
        None => {
            if verified_domain.is_some() {
                // Pages credit the person as a verified public servant from now on.
                crate::events::record(&txn, crate::events::Entry::new(crate::events::Change::ProfileChanged, user_id, 0)).await?;
            }
            insert_identity(&txn, user_id, profile, email, verified_domain).await?
        }
    }
    sync_configured_admin(&txn, user_id, rules).await?;
    txn.commit().await?;
    Ok(())
}

/// Admin by configuration follows the list: granted while a provider-vouched address of the
/// person's is in `CASEBOOK_ADMIN_EMAILS`, taken away at the first sign-in after it has left.
async fn sync_configured_admin(txn: &impl sea_orm::ConnectionTrait, user_id: i32, rules: &AccountRules) -> Result<(), DomainError> {
    let vouched: Vec<String> =
        identity::Entity::find().filter(identity::Column::UserId.eq(user_id)).all(txn).await?.into_iter().filter_map(|i| i.email).collect();
    if rules.names_an_admin(&ProviderProfile { vouched_emails: vouched, ..ProviderProfile::default() }) {
        roles::grant(txn, user_id, Role::Admin, roles::Source::Config).await
    } else if roles::revoke_configured(txn, user_id, Role::Admin).await? {
        tracing::info!(user = user_id, "admin taken away: no address of theirs is in CASEBOOK_ADMIN_EMAILS any more");
        Ok(())
    } else {
        Ok(())
    }
}

async fn find_identity(txn: &impl sea_orm::ConnectionTrait, profile: &ProviderProfile) -> Result<Option<identity::Model>, DomainError> {
    Ok(identity::Entity::find()
        .filter(identity::Column::Provider.eq(&profile.provider))
        .filter(identity::Column::Subject.eq(&profile.subject))
        .one(txn)
        .await?)
}

async fn insert_identity(
    txn: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    profile: &ProviderProfile,
    email: Option<String>,
    verified_domain: Option<String>,
) -> Result<(), DomainError> {
    let now = Utc::now();
    identity::Entity::insert(identity::ActiveModel {
        user_id: Set(user_id),
        provider: Set(profile.provider.clone()),
        subject: Set(profile.subject.clone()),
        created_at: Set(now),
        email: Set(email),
        verified_domain: Set(verified_domain),
        last_sign_in_at: Set(Some(now)),
        ..Default::default()
    })
    .exec(txn)
    .await?;
    Ok(())
}

/// Keeps what a provider vouches for current; pages credit people by it, so a change to the
/// verified domain is an event.
async fn refresh_identity(
    txn: &impl sea_orm::ConnectionTrait,
    found: &identity::Model,
    email: Option<String>,
    verified_domain: Option<String>,
) -> Result<(), DomainError> {
    if found.verified_domain != verified_domain {
        crate::events::record(txn, crate::events::Entry::new(crate::events::Change::ProfileChanged, found.user_id, 0)).await?;
    }
    let identity_id = found.id;
    identity::Entity::update_many()
        .col_expr(identity::Column::Email, Expr::value(email))
        .col_expr(identity::Column::VerifiedDomain, Expr::value(verified_domain))
        .col_expr(identity::Column::LastSignInAt, Expr::value(Some(Utc::now())))
        .filter(identity::Column::Id.eq(identity_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Grants or revokes admin for a person: a profile number, or an email address matched against
/// the addresses providers vouched for and the account's own.
pub async fn set_admin(db: &DatabaseConnection, who: &str, admin: bool) -> Result<i32, DomainError> {
    let who = who.trim();
    let user_id = if let Ok(id) = who.trim_start_matches('#').parse::<i32>() {
        user::Entity::find_by_id(id).one(db).await?.map(|u| u.id).ok_or(DomainError::NotFound)?
    } else {
        let email = who.to_ascii_lowercase();
        let by_identity = identity::Entity::find().filter(identity::Column::Email.eq(&email)).one(db).await?.map(|i| i.user_id);
        match by_identity {
            Some(id) => id,
            None => {
                user::Entity::find().filter(user::Column::Email.eq(&email)).one(db).await?.map(|u| u.id).ok_or(DomainError::NotFound)?
            }
        }
    };
    if admin {
        roles::grant(db, user_id, Role::Admin, roles::Source::Command).await?;
    } else {
        roles::revoke(db, user_id, Role::Admin).await?;
    }
    Ok(user_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verified_domains_include_subdomains_and_nothing_else() {
        let domains = VerifiedDomains::parse("gov.uk, NHS.uk,,.police.uk");
        assert_eq!(domains.domain_of("alex@camden.gov.uk").as_deref(), Some("camden.gov.uk"));
        assert_eq!(domains.domain_of("Sam@NHS.UK").as_deref(), Some("nhs.uk"));
        assert_eq!(domains.domain_of("kim@met.police.uk").as_deref(), Some("met.police.uk"));
        for outsider in ["a@notgov.uk", "a@gov.uk.evil.com", "a@example.com", "gov.uk", "@gov.uk", "a@", ""] {
            assert_eq!(domains.domain_of(outsider), None, "{outsider}");
        }
    }

    #[test]
    fn a_verified_public_sector_address_is_preferred() {
        let rules = AccountRules { verified_domains: VerifiedDomains::parse("gov.uk"), admin_emails: vec!["Boss@Example.org".into()] };
        let profile = ProviderProfile {
            provider: "github".into(),
            subject: "1".into(),
            display_name: "  ".into(),
            vouched_emails: vec!["me@example.org".into(), "Me@Leeds.GOV.uk".into()],
            avatar_url: None,
        };
        assert_eq!(rules.email_and_domain(&profile), (Some("me@leeds.gov.uk".into()), Some("leeds.gov.uk".into())));
        assert!(!rules.names_an_admin(&profile));
        assert!(rules.names_an_admin(&ProviderProfile { vouched_emails: vec!["boss@example.org".into()], ..profile.clone() }));
        assert_eq!(display_name(&profile), "New member");
    }
}
