//! One test binary for every end-to-end suite (one link step instead of many).

mod drafts;
mod ereg;
mod events;
mod ework;
mod helpers;
mod host;
mod notifications;
mod operators;
mod outage;
mod payments;
mod portal;
mod printing;
mod profile;
mod provisioning;
mod secrets;
mod sessions;
mod sign_up;
mod template_drift;
mod uploads;
