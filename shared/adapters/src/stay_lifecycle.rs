//! The stay lifecycle (payment, decisions, cancellation, expiry) wired over DynamoDB,
//! the accounts' contacts and the notifications queue. The rules live in
//! [`use_cases::stays`]; this names the one way the functions run them.

use crate::accounts::DynamoAccounts;
use crate::queue::SqsNotificationQueue;
use crate::stays::DynamoStays;

pub use domain::payment::Amount as Payment;
pub use use_cases::stays::{Decision, MoveError};

/// Moves registrations through their statuses.
pub type StayLifecycle =
    use_cases::stays::StayLifecycle<DynamoStays, DynamoAccounts, SqsNotificationQueue>;
