//! The case study form: a blank one, one filled from the saved case study, or a rejected
//! submission put back with what to fix.
use sea_orm::DatabaseConnection;

use super::access::authorship;
use super::queries::{current_state, find};
use super::validation::ValidCaseStudy;
use crate::catalogue;
use crate::forms::{limits, CaseStudyForm, DatasetRow, FieldErrors};
use crate::identity::roles;
use crate::permissions::{Action, Authorship};
use crate::views::{EditorView, Rejected};
use crate::vocabulary::{Licence, Status};
use crate::DomainError;

/// Blank dataset rows offered on the form, so that datasets can be added without JavaScript.
const BLANK_DATASET_ROWS: usize = 2;

/// The create form (no `slug`) or the edit form of a case study `user_id` may edit.
pub async fn editor(
    db: &DatabaseConnection,
    user_id: i32,
    slug: Option<&str>,
    rejected: Option<Rejected>,
) -> Result<EditorView, DomainError> {
    let actor = roles::actor(db, Some(user_id)).await?;
    let (patterns, organisations) = catalogue::choices(db).await?;
    let (title, saved) = match slug {
        Some(slug) => {
            let model = find(db, slug).await?;
            actor.check(&authorship(db, &model).await?, Action::Edit)?;
            (format!("Edit: {}", model.title), Some((current_state(db, &model).await?, model.version)))
        }
        None => {
            actor.check(&Authorship::default(), Action::Create)?;
            ("Share a case study".to_string(), None)
        }
    };
    let Rejected { mut form, errors, conflict, lookup } = match rejected {
        Some(rejected) => rejected,
        None => {
            Rejected { form: saved.map(|(state, version)| form_from(state, version)).unwrap_or_else(blank_form), ..Rejected::default() }
        }
    };
    if let Some(conflict) = &conflict {
        // Saving again from here means "keep my answers over the version shown".
        form.version = conflict.version;
    }
    with_blank_rows(&mut form);
    Ok(EditorView {
        slug: slug.map(str::to_string),
        title,
        form,
        errors,
        conflict,
        resume_after_sign_in: None,
        patterns,
        organisations,
        lookup,
    })
}

/// The form as it was posted after its session had ended: every answer, the choices, and where
/// to sign in to carry on. Nothing of the saved case study is shown, as nobody is signed in.
pub async fn signed_out_editor(
    db: &DatabaseConnection,
    slug: Option<&str>,
    mut form: CaseStudyForm,
    resume_after_sign_in: String,
    kept: bool,
) -> Result<EditorView, DomainError> {
    let (patterns, organisations) = catalogue::choices(db).await?;
    let mut errors = FieldErrors::default();
    errors.add(
        "title",
        if kept {
            "Your session has ended, so this was not saved yet. Your answers are kept: sign in to save them."
        } else {
            "You are not signed in, so this was not saved. Your answers are below: copy them before you sign in, as they could not be kept."
        },
    );
    with_blank_rows(&mut form);
    Ok(EditorView {
        slug: slug.map(str::to_string),
        title: "Sign in to save your answers".to_string(),
        form,
        errors,
        conflict: None,
        resume_after_sign_in: Some(resume_after_sign_in),
        patterns,
        organisations,
        lookup: None,
    })
}

/// The dataset rows to show: those filled in, up to the most a case study may link (a flood
/// posted by a program is not echoed back whole), and blank ones to add more.
fn with_blank_rows(form: &mut CaseStudyForm) {
    let mut rows: Vec<DatasetRow> = form.dataset_rows().into_iter().filter(|r| !r.is_blank()).take(limits::DATASETS).collect();
    rows.extend(std::iter::repeat_with(DatasetRow::default).take(BLANK_DATASET_ROWS));
    form.set_dataset_rows(&rows);
}

fn blank_form() -> CaseStudyForm {
    CaseStudyForm { status: Status::Draft.slug().to_string(), licence: Licence::default().slug().to_string(), ..Default::default() }
}

fn form_from(saved: ValidCaseStudy, version: i32) -> CaseStudyForm {
    let mut form = CaseStudyForm {
        title: saved.title,
        summary: saved.summary,
        body: saved.body,
        service_area: saved.service_area.slug().to_string(),
        phase: saved.phase.slug().to_string(),
        status: saved.status.slug().to_string(),
        region: saved.region,
        start_date: saved.start_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        end_date: saved.end_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        outcomes: saved.outcomes,
        lessons: saved.lessons,
        contact: saved.contact,
        licence: saved.licence.slug().to_string(),
        tags: saved.tags.join(", "),
        practices: saved.practices.iter().map(|p| p.slug().to_string()).collect(),
        patterns: saved.patterns,
        organisations: saved.organisations,
        version,
        ..Default::default()
    };
    let rows: Vec<DatasetRow> = saved
        .datasets
        .into_iter()
        .map(|d| DatasetRow {
            title: d.title,
            url: d.url,
            publisher: d.publisher,
            licence: d.licence,
            format: d.format,
            usage: d.usage,
            keep_own: d.prefer_own,
        })
        .collect();
    form.set_dataset_rows(&rows);
    form
}
