//! The one error every store port returns, whatever stands behind it.
//!
//! A write whose condition did not hold has one form everywhere: `Err(StoreError::Conflict)`
//! (or `Err(StoreError::Taken(..))` where a unique guard says which name is held). Callers
//! that expect it match on it; anywhere else it is an unexpected failure like the rest.

/// Which unique guard is held by another item, when creating an account or an
/// application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// Another account has this email.
    Email,
    /// Another account has this sign-in name (only an e-work login can be this alone).
    SignIn,
    /// The registration draft to claim has lapsed or was claimed already.
    Draft,
    /// Another application has this number.
    ApplicationNumber,
    /// Every place of a quota allocation's row is taken.
    QuotaPlace,
}

/// The error of every store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A write's condition did not hold, so nothing was written: the item changed
    /// meanwhile, is not in the state the write expects, or a guard is held.
    #[error("a write's condition did not hold")]
    Conflict,
    /// A unique guard of a new account is held: which one.
    #[error("a unique guard is held: {0:?}")]
    Taken(Taken),
    /// The store, or the way to it, failed while it was `doing` something (a sentence
    /// for the log: "reading an account").
    #[error("{doing}: {source}")]
    Failed {
        doing: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The store could not be reached, or did not answer in time, or asked to be
    /// called again later (throttled, or failing on its side): nothing is known to be
    /// wrong with the request, which may be tried again.
    #[error("{doing}: unavailable: {source}")]
    Unavailable {
        doing: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl StoreError {
    /// A failure of the store while `doing` something.
    pub fn failed(
        doing: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        StoreError::Failed {
            doing,
            source: source.into(),
        }
    }

    /// The store was out of reach while `doing` something.
    pub fn unavailable(
        doing: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        StoreError::Unavailable {
            doing,
            source: source.into(),
        }
    }

    /// True when the store was out of reach: worth trying again later.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable { .. })
    }

    /// True for the one form of "a condition did not hold".
    pub fn is_conflict(&self) -> bool {
        matches!(self, StoreError::Conflict)
    }
}

/// A failure of an outside service reached through a port that is not a store (the
/// notifications queue, the card processor): what the code was doing, and why.
#[derive(Debug, thiserror::Error)]
#[error("{doing}: {source}")]
pub struct PortFailure {
    pub doing: &'static str,
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl PortFailure {
    pub fn new(
        doing: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        PortFailure {
            doing,
            source: source.into(),
        }
    }
}
