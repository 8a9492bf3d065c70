//! AWS adapters behind the domain's ports, the resource definitions, local provisioning
//! and the dependency bundle every function builds once per cold start.

pub mod accounts;
pub mod audit;
pub mod border;
#[cfg(feature = "s3")]
pub mod bucket;
pub mod challenges;
pub mod change_requests;
pub mod deps;
pub mod documents;
pub mod drafts;
pub mod ework;
pub mod housing;
pub mod ledger;
#[cfg(feature = "email")]
pub mod mail;
pub mod payments;
#[cfg(feature = "processor")]
pub mod processor;
#[cfg(feature = "provision")]
pub mod provision;
#[cfg(feature = "sqs")]
pub mod queue;
pub mod rate_limit;
pub mod registry;
pub mod resources;
pub mod s3_events;
pub mod secrets;
pub mod sessions;
#[cfg(feature = "sms")]
pub mod sms;
pub mod sqs_batch;
#[cfg(feature = "sqs")]
pub mod stay_lifecycle;
pub mod stays;
pub mod store;
#[cfg(feature = "s3")]
pub mod upload_form;

pub use deps::Deps;
pub use resources::{Bucket, Queue, Resources, Table};
pub use store::{StoreError, Taken};
