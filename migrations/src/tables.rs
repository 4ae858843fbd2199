//! Table and column names, shared by the migrations that create and reference them.
use sea_orm_migration::prelude::*;

#[derive(Clone, Copy, DeriveIden)]
pub enum Organisation {
    Table,
    Id,
    Slug,
    Name,
    Kind,
    Website,
    CreatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum AppUser {
    Table,
    Id,
    DisplayName,
    OrganisationId,
    JobRole,
    Bio,
    AvatarUrl,
    Email,
    IsDemo,
    CreatedAt,
    UpdatedAt,
    EmailOff,
    EmailBouncedAt,
    EmailSoftFailures,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum Identity {
    Table,
    Id,
    UserId,
    Provider,
    Subject,
    CreatedAt,
    Email,
    VerifiedDomain,
    LastSignInAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum Pattern {
    Table,
    Id,
    Slug,
    Name,
    Summary,
    Description,
    Curated,
    Position,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum Tag {
    Table,
    Id,
    Slug,
    Name,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum Dataset {
    Table,
    Id,
    Title,
    Url,
    Publisher,
    Licence,
    Format,
    CreatedAt,
    ResolvedTitle,
    Description,
    ResolvedPublisher,
    PublisherSlug,
    LicenceId,
    LicenceTitle,
    LicenceUrl,
    LicenceOpen,
    Formats,
    ResourceCount,
    SourceModifiedAt,
    UpdateFrequency,
    UpdateEveryDays,
    PortalKind,
    ApiUrl,
    ResolvedAt,
    Health,
    HealthDetail,
    Stale,
    CheckedAt,
    GoneSince,
    WithdrawnSince,
    NextCheckAt,
    ClaimedUntil,
    UnreachableSince,
    CheckAttempts,
    HeldSince,
    CheckProblem,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum CaseStudy {
    Table,
    Version,
    Id,
    Slug,
    Title,
    Summary,
    Body,
    ServiceArea,
    Phase,
    Status,
    Region,
    StartDate,
    EndDate,
    Outcomes,
    Lessons,
    Practices,
    Contact,
    Licence,
    Featured,
    IsDemo,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
    ImportId,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum CaseStudyAuthor {
    Table,
    CaseStudyId,
    UserId,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum CaseStudyOrganisation {
    Table,
    CaseStudyId,
    OrganisationId,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum CaseStudyPattern {
    Table,
    CaseStudyId,
    PatternId,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum CaseStudyTag {
    Table,
    CaseStudyId,
    TagId,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum CaseStudyDataset {
    Table,
    CaseStudyId,
    DatasetId,
    Usage,
    PreferOwn,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum DatasetCheck {
    Table,
    Id,
    DatasetId,
    CheckedAt,
    Outcome,
    HttpStatus,
    Detail,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum FetchHost {
    Table,
    Host,
    NextAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum Revision {
    Table,
    Id,
    CaseStudyId,
    UserId,
    CreatedAt,
    Changed,
    Snapshot,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum Session {
    Table,
    Id,
    UserId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum RoleGrant {
    Table,
    Source,
    Id,
    UserId,
    Role,
    NetworkId,
    CreatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum SignInAttempt {
    Table,
    State,
    Provider,
    PkceVerifier,
    Nonce,
    ReturnTo,
    LinkUserId,
    ExpiresAt,
}

/// A foreign key that removes the row with its parent.
pub fn cascade(name: &str, from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[derive(Clone, Copy, DeriveIden)]
pub enum SearchOutbox {
    Table,
    Id,
    CaseStudyId,
    EnqueuedAt,
    Attempts,
    AvailableAt,
    LastError,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum Event {
    Table,
    Id,
    Kind,
    Subject,
    SubjectId,
    Version,
    CreatedAt,
    ActorId,
    Payload,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum EventConsumer {
    Table,
    Name,
    Position,
    LeaseOwner,
    LeaseUntil,
    Attempts,
    AvailableAt,
    LastError,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum RateLimit {
    Table,
    Bucket,
    WindowStart,
    Count,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum PendingSubmission {
    Table,
    Token,
    Path,
    Form,
    CreatedAt,
}

/// A foreign key that empties the column when its parent goes, keeping the row.
pub fn set_null(name: &str, from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::SetNull).to_owned()
}

#[derive(Clone, Copy, DeriveIden)]
pub enum Network {
    Table,
    Id,
    Slug,
    Name,
    Description,
    Website,
    JoinPolicy,
    ReviewPolicy,
    TrustedAfter,
    IsDemo,
    CreatedAt,
    UpdatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum NetworkFormerSlug {
    Table,
    Slug,
    NetworkId,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum NetworkMember {
    Table,
    NetworkId,
    UserId,
    Role,
    State,
    CreatedAt,
    UpdatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum Submission {
    Table,
    Id,
    NetworkId,
    CaseStudyId,
    SubmittedBy,
    State,
    Reason,
    DecidedBy,
    DecidedAt,
    ApprovedVersion,
    Hidden,
    CreatedAt,
    UpdatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum SubmissionChange {
    Table,
    Id,
    SubmissionId,
    State,
    Reason,
    ChangedBy,
    CreatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum Report {
    Table,
    Id,
    NetworkId,
    CaseStudyId,
    ReportedBy,
    Reason,
    State,
    ResolvedBy,
    ResolvedAt,
    CreatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum Collection {
    Table,
    Id,
    Slug,
    Title,
    Introduction,
    Status,
    Featured,
    Version,
    IsDemo,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum CollectionNetwork {
    Table,
    CollectionId,
    NetworkId,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum CollectionItem {
    Table,
    Id,
    CollectionId,
    CaseStudyId,
    Position,
    Note,
    Title,
    CreatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum Follow {
    Table,
    Id,
    UserId,
    Target,
    TargetKey,
    Level,
    Delivery,
    Automatic,
    CreatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum Notification {
    Table,
    Id,
    UserId,
    EventId,
    Kind,
    CaseStudyId,
    NetworkId,
    FollowId,
    Reason,
    Delivery,
    CreatedAt,
    ReadAt,
    MailId,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum Mail {
    Table,
    Id,
    UserId,
    Address,
    DedupeKey,
    Subject,
    TextBody,
    HtmlBody,
    UnsubscribeToken,
    State,
    Attempts,
    AvailableAt,
    ClaimedBy,
    ClaimedUntil,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum UnsubscribeToken {
    Table,
    Token,
    UserId,
    Scope,
    CreatedAt,
}

#[derive(Clone, Copy, DeriveIden)]
pub enum DigestRun {
    Table,
    Id,
    Period,
    FromPosition,
    ToPosition,
    CutAt,
}
