//! Everything the suites share: a typed test host ([`TestHost`]: a dev host of its own
//! per test, with the calls tests make of it), the accounts, documents and
//! registrations tests start from, readers of the mail and SMS the emulator sent, and
//! the sample events. Suites import this module and nothing else of the crate.

mod accounts;
mod drafts;
mod ereg;
mod ework;
mod host;
mod mail;
mod notifications;
mod payments;
mod permits;
mod printing;
mod profile;
mod proxy;
mod samples;
mod store;
mod uploads;

pub use accounts::*;
pub use ereg::*;
pub use ework::*;
pub use host::*;
pub use mail::*;
pub use notifications::*;
pub use payments::*;
pub use permits::*;
pub use printing::*;
pub use proxy::*;
pub use samples::*;
pub use store::*;
pub use uploads::*;
