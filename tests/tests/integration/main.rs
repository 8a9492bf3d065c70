//! One test binary for every end-to-end suite (one link step instead of many).

mod helpers;
mod host;
mod notifications;
mod provisioning;
mod template_drift;
