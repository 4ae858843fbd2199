//! A page's Atom feed: advertised in the head for feed readers and browsers to discover, and
//! offered in the page for people who follow sites with one.
use leptos::prelude::*;
use leptos_meta::Link;

#[component]
pub fn FeedLink(href: String, title: String) -> impl IntoView {
    view! {
        <Link rel="alternate" type_="application/atom+xml" href=href.clone() title=title.clone()/>
        <p class="feed-link"><a href=href type="application/atom+xml">"Follow with a feed reader"<span class="visually-hidden">{format!(": {title}")}</span></a></p>
    }
}
