//! AWS adapters behind the domain's ports, the resource definitions, local provisioning
//! and the dependency bundle every function builds once per cold start.

pub mod accounts;
pub mod audit;
pub mod border;
pub mod bucket;
pub mod challenges;
pub mod change_requests;
pub mod deps;
pub mod documents;
pub mod drafts;
pub mod ework;
pub mod housing;
pub mod ledger;
pub mod mail;
pub mod payments;
pub mod processor;
pub mod provision;
pub mod queue;
pub mod rate_limit;
pub mod registry;
pub mod resources;
pub mod s3_events;
pub mod sessions;
pub mod sms;
pub mod sqs_batch;
pub mod stay_lifecycle;
pub mod stays;
pub mod store;
pub mod upload_form;

pub use deps::Deps;
pub use resources::{Bucket, Queue, Resources, Table};
pub use store::{StoreError, Taken};
