//! Stay registration end to end over HTTP on the dev host: a host adds housing the
//! registry lists them as an owner of, registers a foreigner from a synthetic passport
//! scan and a photo, submits with the PIN, the fee is paid through the payment port, an
//! operator (or the automatic confirmation) confirms, and the host, the public status
//! and the notifications all say "registration valid".

mod cancellation;
mod due;
mod housing;
mod review;
mod submission;
mod validity;
