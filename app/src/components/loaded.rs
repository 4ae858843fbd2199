use std::future::Future;

use leptos::either::Either;
use leptos::prelude::*;

use super::error_view::ErrorView;
use crate::api::ApiError;

/// Renders `render` with what `load` returns, or the error page. Routes render with
/// `SsrMode::Async`, so the page is sent only once this has resolved.
pub fn loaded<T, V>(
    load: impl Future<Output = Result<T, ApiError>> + Send + 'static,
    render: impl FnOnce(T) -> V + Send + 'static,
) -> impl IntoView
where
    T: Send + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load.await {
                    Ok(data) => Either::Left(render(data)),
                    Err(error) => Either::Right(view! { <ErrorView error/> }),
                }
            })}
        </Suspense>
    }
}
