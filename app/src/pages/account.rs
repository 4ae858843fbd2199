use casebook_domain::forms::{limits, FieldErrors};
use casebook_domain::views::{AccountView, LinkedIdentity, SignInOption};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::account;
use crate::components::form_fields::{Choices, ErrorSummary, Select, TextArea, TextInput};
use crate::components::layout::CsrfField;
use crate::components::loaded::loaded;
use crate::components::verified_badge::VerifiedBadge;
use crate::request::set_status;

#[component]
pub fn AccountPage() -> impl IntoView {
    loaded(account(), |account| view! { <Account account/> })
}

fn label_of(providers: &[SignInOption], id: &str) -> String {
    providers.iter().find(|p| p.id == id).map(|p| p.label.clone()).unwrap_or_else(|| id.to_string())
}

#[component]
fn Account(account: AccountView) -> impl IntoView {
    let AccountView { user_id, form, errors, organisations, identities, case_study_count, delete_errors, providers } = account;
    let has_errors = !errors.is_empty() || !delete_errors.is_empty();
    if has_errors {
        set_status(casebook_domain::ErrorKind::Invalid.status());
    }
    let error = |field: &str| errors.get(field).map(str::to_string);
    let linked: Vec<String> = identities.iter().map(|i| i.provider.clone()).collect();
    let to_link: Vec<SignInOption> = providers.iter().filter(|p| !linked.contains(&p.id)).cloned().collect();
    let all_errors = FieldErrors(errors.0.iter().chain(delete_errors.0.iter()).cloned().collect());
    view! {
        <Title text=if has_errors { "Error: Your account" } else { "Your account" }/>
        <h1 class="heading-xl">"Your account"</h1>
        <ErrorSummary errors=all_errors/>
        <p><a href=casebook_domain::paths::person(user_id)>"See your public profile"</a></p>

        <h2 class="heading-l">"Your profile"</h2>
        <p class="body">"Everyone can see your profile. Your name is shown on the case studies you write."</p>
        <form method="post" action="/account" novalidate>
            <CsrfField/>
            <TextInput id="display_name" label="Your name" value=form.display_name error=error("display_name") autocomplete="name"/>
            <Select id="organisation" label="Organisation" selected=form.organisation error=error("organisation")
                choices=organisations.into_iter().map(|o| (o.slug, o.name)).collect() placeholder="None"/>
            <TextInput id="job_role" label="Job role (optional)" value=form.job_role error=error("job_role") autocomplete="organization-title"/>
            <TextArea id="bio" label="About you (optional)" value=form.bio error=error("bio") rows=4
                hint=format!("What you work on and what you could help others with. You can use Markdown. Up to {} characters.", limits::LONG_TEXT)/>
            <button type="submit" class="button">"Save your profile"</button>
        </form>

        <h2 class="heading-l">"How you sign in"</h2>
        <SignIns identities providers=providers.clone()/>
        {(!to_link.is_empty()).then(|| view! {
            <h3 class="heading-m">"Link another account"</h3>
            <p class="body">"Sign in with another account once to link it; after that either one reaches this Casebook account."</p>
            <ul class="plain-list">
                {to_link.into_iter().map(|p| view! {
                    <li>
                        <form method="post" action=casebook_domain::paths::link_provider(&p.id) class="inline-form">
                            <CsrfField/>
                            <button type="submit" class="button button-secondary">{format!("Link your {} account", p.label)}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
        })}

        <h2 class="heading-l">"Your data"</h2>
        <p class="body">"Download everything Casebook holds about you: your profile, how you sign in, your sessions, your case studies and your edits."</p>
        <p><a href="/account/export.json" download="casebook-account.json">"Download your data (JSON)"</a></p>

        <h2 class="heading-l">"Sign out everywhere"</h2>
        <p class="body">"If you signed in on a computer you no longer use, this ends every session, including this one."</p>
        <form method="post" action="/sign-out/everywhere">
            <CsrfField/>
            <button type="submit" class="button button-secondary">"Sign out everywhere"</button>
        </form>

        <h2 class="heading-l" id="delete">"Delete your account"</h2>
        <p class="body">{format!(
            "This deletes your profile and the ways you sign in, straight away. You are an author of {case_study_count} case {}.",
            if case_study_count == 1 { "study" } else { "studies" }
        )}</p>
        <form method="post" action="/account/delete" novalidate>
            <CsrfField/>
            <Choices id="case_studies" legend="What should happen to your case studies?" selected=Vec::new()
                error=delete_errors.get("case_studies").map(str::to_string)
                choices=vec![
                    ("keep".to_string(), "Keep them, credited to a former member, so others can still learn from them".to_string()),
                    ("delete".to_string(), "Delete the ones only I wrote (co-written ones stay with their other authors)".to_string()),
                ]/>
            <Choices id="confirm" legend="Confirm" selected=Vec::new() multiple=true
                error=delete_errors.get("confirm").map(str::to_string)
                choices=vec![("yes".to_string(), "I understand that deleting my account cannot be undone".to_string())]/>
            <button type="submit" class="button button-warning">"Delete your account"</button>
        </form>
    }
}

#[component]
fn SignIns(identities: Vec<LinkedIdentity>, providers: Vec<SignInOption>) -> impl IntoView {
    if identities.is_empty() {
        return view! { <p class="body">"This account has no linked sign-in: it is a demo persona."</p> }.into_any();
    }
    view! {
        <table class="table">
            <caption class="visually-hidden">"Accounts you sign in with"</caption>
            <thead><tr><th scope="col">"Provider"</th><th scope="col">"Email address it vouches for"</th><th scope="col">"Last sign-in"</th></tr></thead>
            <tbody>
                {identities.into_iter().map(|i| view! {
                    <tr>
                        <td>{label_of(&providers, &i.provider)}</td>
                        <td>
                            {i.email.unwrap_or_else(|| "None".to_string())}
                            {i.verified_domain.map(|domain| view! { " " <VerifiedBadge domain/> })}
                        </td>
                        <td>{i.last_sign_in.map(|t| view! { <time datetime=t.iso>{t.display}</time> })}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn AccountDeletedPage() -> impl IntoView {
    view! {
        <Title text="Your account has been deleted"/>
        <div class="panel-confirmation">
            <h1 class="heading-xl">"Your account has been deleted"</h1>
        </div>
        <p class="body">"Your profile, sign-ins and sessions are gone. Thank you for sharing what you learned."</p>
        <p><a href="/case-studies">"Browse case studies"</a></p>
    }
}
