//! Follow and unfollow, as plain form posts, on the page of anything that can be followed.
use casebook_domain::paths;
use casebook_domain::views::FollowButtonView;
use casebook_domain::vocabulary::{Delivery, FollowLevel, FollowTarget};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::follow_button;
use crate::components::layout::{sign_in_href, CsrfField};
use crate::components::loaded::loaded;

fn people(count: u64) -> String {
    match count {
        1 => "1 person follows this".into(),
        n => format!("{n} people follow this"),
    }
}

/// The hidden fields every follow form carries.
#[component]
fn Target(target: FollowTarget, key: String, back: String, action: &'static str) -> impl IntoView {
    view! {
        <CsrfField/>
        <input type="hidden" name="target" value=target.slug()/>
        <input type="hidden" name="key" value=key/>
        <input type="hidden" name="back" value=back/>
        <input type="hidden" name="action" value=action/>
    }
}

#[component]
pub fn FollowButton(target: FollowTarget, #[prop(into)] key: String) -> impl IntoView {
    let location = use_location();
    let back = format!("{}{}", location.pathname.get_untracked(), {
        let search = location.search.get_untracked();
        if search.is_empty() {
            String::new()
        } else {
            format!("?{search}")
        }
    });
    loaded(follow_button(target, key.clone()), move |button| match button {
        None => view! {
            <p class="follow-box"><a href=sign_in_href(&back)>"Sign in to follow this"</a>" and be told of new case studies."</p>
        }
        .into_any(),
        Some(button) => view! { <Following button back/> }.into_any(),
    })
}

#[component]
fn Following(button: FollowButtonView, back: String) -> impl IntoView {
    let FollowButtonView { target, key, label, following, count } = button;
    let count = count.map(|n| view! { <p class="caption">{people(n)}</p> });
    match following {
        None => view! {
            <div class="follow-box">
                <form method="post" action=paths::FOLLOWING class="inline-form">
                    <Target target key back action="follow"/>
                    <button type="submit" class="button button-secondary">"Follow"<span class="visually-hidden">{format!(" {label}")}</span></button>
                </form>
                <p class="caption">"New case studies reach you in a daily email digest and on your notifications page; you can change that after."</p>
                {count}
            </div>
        }
        .into_any(),
        Some((level, delivery)) => view! {
            <div class="follow-box">
                <p><strong>{format!("You follow {label}")}</strong></p>
                <form method="post" action=paths::FOLLOWING>
                    <Target target key=key.clone() back=back.clone() action="change"/>
                    <label class="label" for="follow-level">"What to hear"</label>
                    <select class="select" id="follow-level" name="level">
                        {FollowLevel::ALL.iter().map(|l| view! { <option value=l.slug() selected=*l == level>{l.label()}</option> }).collect_view()}
                    </select>
                    <label class="label" for="follow-delivery">"When"</label>
                    <select class="select" id="follow-delivery" name="delivery">
                        {Delivery::ALL.iter().map(|d| view! { <option value=d.slug() selected=*d == delivery>{d.label()}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button button-secondary">"Save"</button>
                </form>
                <form method="post" action=paths::FOLLOWING class="inline-form">
                    <Target target key back action="unfollow"/>
                    <button type="submit" class="link-button">"Unfollow"<span class="visually-hidden">{format!(" {label}")}</span></button>
                </form>
                {count}
            </div>
        }
        .into_any(),
    }
}
