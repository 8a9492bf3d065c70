//! Domain of the migration e-services: typed values parsed at the edge, ids, errors,
//! the ky/ru/en message catalogue and the notifications users receive. No AWS in here.

pub mod account;
pub mod actor;
pub mod calendar;
pub mod challenge;
pub mod clock;
pub mod country;
pub mod document;
pub mod email;
pub mod error;
pub mod ework;
pub mod lang;
pub mod mrz;
pub mod notification;
pub mod payment;
pub mod phone;
pub mod ports;
pub mod printed;
pub mod second_factor;
pub mod secrets;
pub mod session;
pub mod stay;
pub mod store;

pub use email::EmailAddress;
pub use error::{Code, DomainError, FieldError};
pub use lang::Lang;
pub use notification::{Notification, NotificationId, Recipient, Template};
pub use phone::PhoneNumber;
pub use store::{PortFailure, StoreError, Taken};
