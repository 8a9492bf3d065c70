//! e-work applications end to end over HTTP on the dev host: an employer a labour
//! operator activated submits a quota application, the operator works it through
//! clarification to a decision, and the employer reads the messages and emails.

mod entrepreneur;
mod extract;
mod fee;
mod nomad;
mod permit;
mod permit_print;
mod quota;
mod refusals;
