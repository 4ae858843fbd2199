//! Form fields in the GOV.UK Design System's pattern: label, hint, error message, control,
//! with the hint and error tied to the control by `aria-describedby`.
use casebook_domain::forms::FieldErrors;
use leptos::prelude::*;

fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> = [hint.then(|| format!("{id}-hint")), error.then(|| format!("{id}-error"))].into_iter().flatten().collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

#[component]
fn HintAndError(id: String, hint: Option<String>, error: Option<String>) -> impl IntoView {
    view! {
        {hint.map(|hint| view! { <div id=format!("{id}-hint") class="hint">{hint}</div> })}
        {error.map(|error| view! {
            <p id=format!("{id}-error") class="error-message"><span class="visually-hidden">"Error: "</span>{error}</p>
        })}
    }
}

fn group_class(error: &Option<String>) -> &'static str {
    if error.is_some() {
        "form-group form-group-error"
    } else {
        "form-group"
    }
}

#[component]
pub fn TextInput(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] value: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = None)] error: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    /// The field's name when it differs from its id, as in repeated rows.
    #[prop(optional, into)]
    name: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let describedby = described_by(&id, hint.is_some(), error.is_some());
    let input_class = if error.is_some() { "input input-error" } else { "input" };
    view! {
        <div class=group_class(&error)>
            <label class="label" for=id.clone()>{label}</label>
            <HintAndError id=id.clone() hint error=error.clone()/>
            <input class=input_class id=id.clone() name=name.unwrap_or(id) type=input_type value=value aria-describedby=describedby autocomplete=autocomplete/>
        </div>
    }
}

#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] value: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = None)] error: Option<String>,
    #[prop(default = 5)] rows: u32,
    #[prop(optional, into)] name: Option<String>,
) -> impl IntoView {
    let describedby = described_by(&id, hint.is_some(), error.is_some());
    let class = if error.is_some() { "textarea input-error" } else { "textarea" };
    view! {
        <div class=group_class(&error)>
            <label class="label" for=id.clone()>{label}</label>
            <HintAndError id=id.clone() hint error=error.clone()/>
            <textarea class=class id=id.clone() name=name.unwrap_or(id) rows=rows aria-describedby=describedby>{value}</textarea>
        </div>
    }
}

/// One choice of a select, radios or checkboxes: (value, label).
pub type Choice = (String, String);

#[component]
pub fn Select(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    choices: Vec<Choice>,
    #[prop(into)] selected: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional, into)] placeholder: Option<String>,
    /// The field's name when it differs from its id.
    #[prop(optional, into)]
    name: Option<String>,
) -> impl IntoView {
    let describedby = described_by(&id, false, error.is_some());
    view! {
        <div class=group_class(&error)>
            <label class="label" for=id.clone()>{label}</label>
            <HintAndError id=id.clone() hint=None error=error.clone()/>
            <select class="select" id=id.clone() name=name.unwrap_or(id) aria-describedby=describedby>
                {placeholder.map(|text| view! { <option value="" selected=selected.is_empty()>{text}</option> })}
                {choices.into_iter().map(|(value, text)| {
                    let is_selected = value == selected;
                    view! { <option value=value selected=is_selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Radios (`multiple` false) or checkboxes (`multiple` true) in a fieldset. The first control
/// takes the field's id, so the error summary can link to it.
#[component]
pub fn Choices(
    #[prop(into)] id: String,
    #[prop(into)] legend: String,
    choices: Vec<Choice>,
    selected: Vec<String>,
    #[prop(optional)] multiple: bool,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional)] small: bool,
) -> impl IntoView {
    let describedby = described_by(&id, hint.is_some(), error.is_some());
    let kind = if multiple { "checkbox" } else { "radio" };
    let list_class = match (multiple, small) {
        (true, true) => "checkboxes checkboxes-small",
        (true, false) => "checkboxes",
        (false, _) => "radios",
    };
    let items = choices
        .into_iter()
        .enumerate()
        .map(|(index, (value, text))| {
            let control_id = if index == 0 { id.clone() } else { format!("{id}-{value}") };
            let checked = selected.contains(&value);
            view! {
                <div class="choice">
                    <input class="choice-input" id=control_id.clone() name=id.clone() type=kind value=value checked=checked/>
                    <label class="label choice-label" for=control_id>{text}</label>
                </div>
            }
        })
        .collect_view();
    let class = group_class(&error);
    view! {
        <div class=class>
            <fieldset class="fieldset" aria-describedby=describedby>
                <legend class="fieldset-legend">{legend}</legend>
                <HintAndError id=id.clone() hint error/>
                <div class=list_class>{items}</div>
            </fieldset>
        </div>
    }
}

/// The summary at the top of a form with errors, each linking to its field.
#[component]
pub fn ErrorSummary(errors: FieldErrors) -> impl IntoView {
    if errors.is_empty() {
        return ().into_any();
    }
    view! {
        <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
            <h2 class="error-summary-title" id="error-summary-title">"There is a problem"</h2>
            <ul class="error-summary-list">
                {errors.0.into_iter().map(|e| view! { <li><a href=format!("#{}", e.field)>{e.message}</a></li> }).collect_view()}
            </ul>
        </div>
    }
    .into_any()
}

/// A refused post, above the page it came from: its clash with what is there, or its errors.
#[component]
pub fn ProblemSummary(problem: Option<casebook_domain::views::FormProblem>) -> impl IntoView {
    let Some(problem) = problem else { return ().into_any() };
    match problem.message {
        Some(message) => view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
                <h2 class="error-summary-title" id="error-summary-title">"That was not done"</h2>
                <p class="body">{message}</p>
            </div>
        }
        .into_any(),
        None => view! { <ErrorSummary errors=problem.errors/> }.into_any(),
    }
}
