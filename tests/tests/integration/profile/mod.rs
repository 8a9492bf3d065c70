//! The holder's own profile: every type edits its data through an operator of its
//! authority; phone changes by a code to the new number; a second factor at sign-in;
//! and the rarer refusals of these routes.

mod change_requests;
mod edits;
mod phone;
mod refusals;
mod second_factor;
