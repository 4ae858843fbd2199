//! The domain's services against real SQLite and PostgreSQL databases and real search engines:
//! one test binary, so the suite links once.
mod portal;
mod support;

mod case_studies;
mod collections;
mod datasets;
mod demo_content;
mod identity;
mod importing;
mod networks;
mod notifications;
mod open_data;
mod rate_limits;
mod search_conformance;
mod search_indexing;
mod untrusted_text;
mod workers;
