//! Accounts: who may use the e-services, how they register and what they are allowed.

pub mod changes;
pub mod form;
pub mod password;
pub mod profile;
pub mod sign_up;
pub mod staff;
pub mod values;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::secrets::random_token;

/// The portal an account type belongs to, and so the authority that serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Portal {
    /// Ministry of Labour, Social Security and Migration.
    Ework,
    /// Department of Population Registration.
    Ereg,
}

/// The kinds of applicant account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    Employer,
    ForeignEntrepreneur,
    DigitalNomad,
    HostCitizen,
    HostForeignOwner,
    /// Created by a registration operator, never self-registered.
    HostLegalEntity,
    /// Staff of the Ministry of Labour: activates e-work accounts, decides their changes.
    LabourOperator,
    /// Staff of the Department of Population Registration: creates legal-entity hosts,
    /// decides ereg accounts' changes.
    RegistrationOperator,
    /// Creates operators.
    Admin,
}

impl AccountType {
    /// The portal an applicant uses, or the authority an operator works for; an admin
    /// belongs to neither.
    pub fn portal(self) -> Option<Portal> {
        match self {
            AccountType::Employer
            | AccountType::ForeignEntrepreneur
            | AccountType::DigitalNomad
            | AccountType::LabourOperator => Some(Portal::Ework),
            AccountType::HostCitizen
            | AccountType::HostForeignOwner
            | AccountType::HostLegalEntity
            | AccountType::RegistrationOperator => Some(Portal::Ereg),
            AccountType::Admin => None,
        }
    }

    /// What accounts of this type may do.
    pub fn role(self) -> Role {
        match self {
            AccountType::LabourOperator => Role::LabourOperator,
            AccountType::RegistrationOperator => Role::RegistrationOperator,
            AccountType::Admin => Role::Admin,
            _ => Role::Applicant,
        }
    }

    pub fn is_applicant(self) -> bool {
        self.role() == Role::Applicant
    }

    /// A host who registers foreigners at the place of stay (ereg).
    pub fn is_ereg_host(self) -> bool {
        matches!(
            self,
            AccountType::HostCitizen | AccountType::HostForeignOwner | AccountType::HostLegalEntity
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AccountType::Employer => "employer",
            AccountType::ForeignEntrepreneur => "foreign_entrepreneur",
            AccountType::DigitalNomad => "digital_nomad",
            AccountType::HostCitizen => "host_citizen",
            AccountType::HostForeignOwner => "host_foreign_owner",
            AccountType::HostLegalEntity => "host_legal_entity",
            AccountType::LabourOperator => "labour_operator",
            AccountType::RegistrationOperator => "registration_operator",
            AccountType::Admin => "admin",
        }
    }
}

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Applicant,
    LabourOperator,
    RegistrationOperator,
    Admin,
}

impl Role {
    /// The authority an operator acts for; `None` for applicants and admins.
    pub fn authority(self) -> Option<Portal> {
        match self {
            Role::LabourOperator => Some(Portal::Ework),
            Role::RegistrationOperator => Some(Portal::Ereg),
            Role::Applicant | Role::Admin => None,
        }
    }
}

/// Where an account is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Registered; the email link (e-work) or the activation code (ereg) is not yet used.
    PendingConfirmation,
    /// e-work: email confirmed, waiting for a labour operator.
    AwaitingActivation,
    Active,
    /// e-work: a labour operator refused the account, with a reason.
    Refused,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::PendingConfirmation => "pending_confirmation",
            AccountStatus::AwaitingActivation => "awaiting_activation",
            AccountStatus::Active => "active",
            AccountStatus::Refused => "refused",
        }
    }
}

/// An account id: `acc_` and 32 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId(String);

impl AccountId {
    pub fn new() -> Self {
        AccountId(format!("acc_{}", &random_token()[..32]))
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let hex = raw.strip_prefix("acc_")?;
        (hex.len() == 32
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| AccountId(raw.to_owned()))
    }
}

impl Default for AccountId {
    fn default() -> Self {
        Self::new()
    }
}

impl AsRef<str> for AccountId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
