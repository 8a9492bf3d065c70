//! Accounts in DynamoDB: the record as stored ([`records`]) and the store of the
//! accounts table ([`DynamoAccounts`]).

mod gateway;
mod records;

pub use gateway::{DynamoAccounts, secret_value, to_attribute};
pub use records::{
    AccountRecord, AccountSummary, Decision, NewAccount, OneTimeSecret, PhoneChange,
};
