//! Accounts in DynamoDB: the record as stored, and the store of the accounts table
//! ([`DynamoAccounts`]) with a method for each change the functions make, grouped by
//! concern: sign-up (`sign_up`), the password, sessions, PIN and phone (`security`), the
//! second factor (`second_factor`) and operators' decisions (`decisions`).

mod decisions;
mod gateway;
mod records;
mod second_factor;
mod security;
mod sign_up;

pub use gateway::DynamoAccounts;
pub use records::{
    AccountRecord, AccountSummary, Decision, NewAccount, OneTimeSecret, PhoneChange,
};
