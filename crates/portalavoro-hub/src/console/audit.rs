//! The audit page: who published, changed or ended what, and when.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::{Page, Signed, clock};
use crate::error::ApiError;
use crate::state::AppState;

pub async fn page(State(state): State<AppState>, signed: Signed) -> Response {
    let w = signed.lang.words();
    let lines = match state.db.audit(200).await {
        Ok(lines) => lines,
        Err(err) => return ApiError::from(err).into_response(),
    };
    let body = html! {
        main id="main" class="audit" {
            h1 { (w.audit) }
            table {
                thead { tr { th scope="col" { (w.when) } th scope="col" { (w.who) } th scope="col" { (w.what) } th scope="col" { (w.target_of) } } }
                tbody {
                    @for line in &lines {
                        tr {
                            td { (clock(&state, line.at)) }
                            td { (line.actor) }
                            td { (line.action) }
                            td { (line.target) }
                        }
                    }
                }
            }
        }
    };
    Page::signed(&signed, "/console/audit", w.audit, body).into_response()
}
