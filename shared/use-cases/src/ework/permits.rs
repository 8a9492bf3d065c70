//! The employer's side of a work permit before it is submitted: the seed's "search"
//! (what the border service and the visa registry say of the foreigner, and whether
//! the application may go on) and the request a filled form makes once the lookups,
//! the employer's free quota places and the foreigner's registration talon allow it.

use domain::account::AccountId;
use domain::clock::today_in_bishkek;
use domain::ework::eligibility::reason_field;
use domain::ework::permit::{Passport, PermitDetails, holder_key};
use domain::ework::{
    Eligibility, Holder, PermitPolicy, PermitRequest, Standing, Visa, eligibility,
};
use domain::ports::ework::{ApplicationStore, BorderService, Talons, VisaRegistry};
use domain::stay::StayStatus;
use domain::{Code, FieldError, StoreError};

use super::ApplicationError;

/// What a search found and what it decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub holder: Option<Holder>,
    pub visas: Vec<Visa>,
    pub eligibility: Eligibility,
}

/// Searches foreigners and turns filled forms into work-permit requests.
#[derive(Debug, Clone)]
pub struct WorkPermits<A, B, V, T> {
    applications: A,
    border: B,
    visas: V,
    talons: T,
    policy: PermitPolicy,
}

impl<A, B, V, T> WorkPermits<A, B, V, T>
where
    A: ApplicationStore,
    B: BorderService,
    V: VisaRegistry,
    T: Talons,
{
    /// Over the `applications` (the employer's allocations and the foreigner's
    /// permits), the `border` service, the `visas` registry and ereg's `talons`, under
    /// `policy`.
    pub fn new(applications: A, border: B, visas: V, talons: T, policy: PermitPolicy) -> Self {
        Self {
            applications,
            border,
            visas,
            talons,
            policy,
        }
    }

    /// What the lookups say of `passport` and whether `employer` may apply for its
    /// holder's permit (for `position`, once the form names one).
    pub async fn search(
        &self,
        employer: &AccountId,
        passport: &Passport,
        position: Option<&str>,
    ) -> Result<Search, StoreError> {
        let key = holder_key(&passport.country, &passport.number);
        let (holder, visas, places, permits) = tokio::try_join!(
            self.border.holder(&passport.country, &passport.number),
            self.visas.visas(&passport.country, &passport.number),
            self.applications.places_of(employer),
            self.applications.permits_of(&key),
        )?;
        let standing = Standing {
            holder: holder.as_ref(),
            visas: &visas,
            places: &places,
            permits: &permits,
            position,
        };
        let eligibility = eligibility(&standing, &self.policy, today_in_bishkek());
        Ok(Search {
            holder,
            visas,
            eligibility,
        })
    }

    /// The request `employer`'s form makes for `passport`: the foreigner as the
    /// lookups know them, the visa and the quota place, once every lookup allows it
    /// and the registration talon is a valid registration of the same passport;
    /// otherwise every reason, each at its field.
    pub async fn request(
        &self,
        employer: &AccountId,
        passport: &Passport,
        details: PermitDetails,
    ) -> Result<PermitRequest, ApplicationError> {
        let (search, talon) = tokio::try_join!(
            self.search(employer, passport, Some(&details.position)),
            self.talons
                .by_registration_number(&details.registration_number),
        )?;
        let mut errors = Vec::new();
        let today = today_in_bishkek();
        match talon {
            Some(stay) if stay.status == StayStatus::Valid && stay.stay_to >= today => {
                if stay.guest.document_country != passport.country
                    || stay.guest.document_number != passport.number
                {
                    errors.push(FieldError::new(
                        "registration_number",
                        Code::TalonOfAnotherPassport,
                    ));
                }
            }
            _ => errors.push(FieldError::new("registration_number", Code::TalonNotValid)),
        }
        match (search.eligibility, search.holder) {
            (Eligibility::Eligible { visa, place }, Some(holder)) if errors.is_empty() => {
                Ok(PermitRequest {
                    holder,
                    visa,
                    details,
                    place,
                })
            }
            (Eligibility::Ineligible(reasons), _) => {
                errors.extend(
                    reasons
                        .into_iter()
                        .map(|reason| FieldError::new(reason_field(reason), reason)),
                );
                Err(ApplicationError::Ineligible(errors))
            }
            _ => Err(ApplicationError::Ineligible(errors)),
        }
    }
}

#[cfg(test)]
mod tests;
