//! What a person is told, what they follow and how, a mail's unsubscribe page, and the mail
//! that would have been sent while the development sign-in is on.
use casebook_domain::paths;
use casebook_domain::views::{FollowingView, FormProblem, MailView, NotificationsView, UnsubscribeView};
use casebook_domain::vocabulary::{Delivery, FollowLevel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{dev_mail, following_page, notifications_page, refused_post, unsubscribe_page, ApiError};
use crate::components::form_fields::ProblemSummary;
use crate::components::layout::CsrfField;
use crate::components::loaded::loaded;
use crate::request::set_status;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    loaded(notifications_page(), |page| view! { <Notifications page/> })
}

#[component]
fn Notifications(page: NotificationsView) -> impl IntoView {
    let NotificationsView { groups, unread } = page;
    view! {
        <Title text="Notifications"/>
        <h1 class="heading-xl">"Notifications"</h1>
        <p class="body">
            {match unread { 0 => "You have read everything.".to_string(), 1 => "1 unread.".to_string(), n => format!("{n} unread.") }}
            " "<a href=paths::FOLLOWING>"Change what you follow and how you hear of it"</a>"."
        </p>
        {(unread > 0).then(|| view! {
            <form method="post" action=paths::NOTIFICATIONS>
                <CsrfField/>
                <input type="hidden" name="all" value="all"/>
                <button type="submit" class="button button-secondary">"Mark all as read"</button>
            </form>
        })}
        {groups.is_empty().then(|| view! {
            <p class="empty-state">"Nothing yet. Follow a pattern, a network, a tag or a search, and what happens there will be listed here."</p>
        })}
        {groups.into_iter().enumerate().map(|(i, group)| {
            let heading_id = format!("group-{i}");
            view! {
                <h2 class="heading-m" id=heading_id.clone()>{group.heading}</h2>
                <ul class="notification-list" aria-labelledby=heading_id>
                    {group.items.into_iter().map(|item| view! {
                        <li class=if item.unread { "notification-item unread" } else { "notification-item" }>
                            {item.unread.then(|| view! { <strong class="tag">"New"</strong>" " })}
                            <a href=item.href>{item.text.clone()}</a>
                            <p class="caption">{item.at}</p>
                            {item.unread.then(|| view! {
                                <form method="post" action=paths::NOTIFICATIONS class="inline-form">
                                    <CsrfField/>
                                    <input type="hidden" name="id" value=item.id.to_string()/>
                                    <button type="submit" class="link-button">"Mark as read"<span class="visually-hidden">{format!(": {}", item.text)}</span></button>
                                </form>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            }
        }).collect_view()}
    }
}

#[component]
pub fn FollowingPage() -> impl IntoView {
    let load = async move { Ok::<_, ApiError>((following_page().await?, refused_post().await?)) };
    loaded(load, |(page, problem)| view! { <Following page problem/> })
}

#[component]
fn Following(page: FollowingView, problem: Option<FormProblem>) -> impl IntoView {
    if let Some(p) = &problem {
        set_status(if p.message.is_some() {
            casebook_domain::ErrorKind::Conflict.status()
        } else {
            casebook_domain::ErrorKind::Invalid.status()
        });
    }
    let FollowingView { follows, email, email_off, email_bounced } = page;
    let email_text = match (&email, email_off, email_bounced) {
        (None, _, _) => {
            "Your sign-in provider gave us no email address, so Casebook cannot email you: everything is listed on your notifications page."
                .to_string()
        }
        (Some(address), true, _) => format!("Email is off: nothing is sent to {address}."),
        (Some(address), false, true) => {
            format!("Mail to {address} was refused, so we stopped sending it. Turn email on again once the address works.")
        }
        (Some(address), false, false) => format!("Email goes to {address}, the address your sign-in provider gave us."),
    };
    let (choice, button) = if email_off || email_bounced { ("on", "Turn email on") } else { ("off", "Turn all email off") };
    view! {
        <Title text="What you follow"/>
        <ProblemSummary problem/>
        <h1 class="heading-xl">"What you follow"</h1>
        <h2 class="heading-l">"Email"</h2>
        <p class="body">{email_text}</p>
        {email.is_some().then(|| view! {
            <form method="post" action=paths::FOLLOWING>
                <CsrfField/>
                <input type="hidden" name="action" value="email"/>
                <input type="hidden" name="email" value=choice/>
                <button type="submit" class="button button-secondary">{button}</button>
            </form>
        })}
        <h2 class="heading-l">"Follows"</h2>
        {follows.is_empty().then(|| view! {
            <p class="empty-state">"You follow nothing yet. Every pattern, tag, organisation, network, dataset, case study and search has a Follow button."</p>
        })}
        <ul class="notification-list">
            {follows.into_iter().enumerate().map(|(i, f)| {
                let (level_id, delivery_id) = (format!("level-{i}"), format!("delivery-{i}"));
                view! {
                    <li class="notification-item">
                        <p><a href=f.href.clone()>{f.label.clone()}</a>{f.automatic.then_some(" (followed for you)")}</p>
                        <form method="post" action=paths::FOLLOWING>
                            <CsrfField/>
                            <input type="hidden" name="action" value="change"/>
                            <input type="hidden" name="target" value=f.target.slug()/>
                            <input type="hidden" name="key" value=f.key.clone()/>
                            <input type="hidden" name="back" value=paths::FOLLOWING/>
                            <label class="label" for=level_id.clone()>"What to hear"<span class="visually-hidden">{format!(" of {}", f.label)}</span></label>
                            <select class="select" id=level_id name="level">
                                {FollowLevel::ALL.iter().map(|l| view! { <option value=l.slug() selected=*l == f.level>{l.label()}</option> }).collect_view()}
                            </select>
                            <label class="label" for=delivery_id.clone()>"When"<span class="visually-hidden">{format!(", for {}", f.label)}</span></label>
                            <select class="select" id=delivery_id name="delivery">
                                {Delivery::ALL.iter().map(|d| view! { <option value=d.slug() selected=*d == f.delivery>{d.label()}</option> }).collect_view()}
                            </select>
                            <button type="submit" class="button button-secondary">"Save"<span class="visually-hidden">{format!(" for {}", f.label)}</span></button>
                        </form>
                        <form method="post" action=paths::FOLLOWING class="inline-form">
                            <CsrfField/>
                            <input type="hidden" name="action" value="unfollow"/>
                            <input type="hidden" name="target" value=f.target.slug()/>
                            <input type="hidden" name="key" value=f.key.clone()/>
                            <input type="hidden" name="back" value=paths::FOLLOWING/>
                            <button type="submit" class="link-button">"Unfollow"<span class="visually-hidden">{format!(" {}", f.label)}</span></button>
                        </form>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let token = use_params_map().get_untracked().get("token").unwrap_or_default();
    loaded(unsubscribe_page(token), |page| view! { <Unsubscribe page/> })
}

#[component]
fn Unsubscribe(page: UnsubscribeView) -> impl IntoView {
    let UnsubscribeView { token, about, done } = page;
    let action = paths::unsubscribe(&token);
    let choice = move |value: &'static str, label: String, secondary: bool| {
        let action = action.clone();
        view! {
            <form method="post" action=action class="inline-form">
                <input type="hidden" name="choice" value=value/>
                <button type="submit" class=if secondary { "button button-secondary" } else { "button" }>{label}</button>
            </form>
        }
    };
    match done {
        Some(done) => view! {
            <Title text="Email settings changed"/>
            <h1 class="heading-xl">"Done"</h1>
            <p class="body">{done}</p>
            <p><a href=paths::FOLLOWING>"See everything you follow"</a>" (you will need to sign in)."</p>
        }
        .into_any(),
        None => view! {
            <Title text="Unsubscribe"/>
            <h1 class="heading-xl">"Unsubscribe"</h1>
            <p class="body">{format!("This mail came because of {about}. Choose what you want; nothing changes until you do.")}</p>
            <div class="button-group">
                {choice("stop", format!("Stop {about}"), false)}
                {choice("weekly", "Send it once a week instead".into(), true)}
                {choice("all", "Stop all email from Casebook".into(), true)}
            </div>
        }
        .into_any(),
    }
}

#[component]
pub fn DevMailPage() -> impl IntoView {
    loaded(dev_mail(), |mails| view! { <DevMail mails/> })
}

#[component]
fn DevMail(mails: Vec<MailView>) -> impl IntoView {
    view! {
        <Title text="Mail that would have been sent"/>
        <h1 class="heading-xl">"Mail that would have been sent"</h1>
        <p class="body">"No mail server is set (CASEBOOK_SMTP_URL), so mail is written to the data folder's mail/ and listed here, newest first. This page exists only while the development sign-in is on."</p>
        {mails.is_empty().then(|| view! { <p class="empty-state">"No mail yet."</p> })}
        {mails.into_iter().map(|m| view! {
            <article class="notification-item">
                <h2 class="heading-m">{m.subject}</h2>
                <p class="caption">{format!("To {} · {} · {}", m.to, m.at, m.state.label())}</p>
                <pre class="mail-text">{m.text}</pre>
                <p><a href=m.unsubscribe>"Its unsubscribe link"</a></p>
            </article>
        }).collect_view()}
    }
}
