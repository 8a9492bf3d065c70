//! Work permits before they are submitted: the employer's "search" and a foreign
//! entrepreneur's "check availability" (what the border service and the visa registry
//! say of the passport, and whether the application may go on), and the request a
//! filled form makes once the lookups, the employer's free quota places (none for an
//! entrepreneur) and the foreigner's registration talon allow it.

use domain::account::AccountId;
use domain::clock::today_in_bishkek;
use domain::ework::eligibility::reason_field;
use domain::ework::entrepreneur::{EntrepreneurDetails, EntrepreneurRequest};
use domain::ework::permit::{Passport, PermitDetails, holder_key};
use domain::ework::{Application, Request, Status};
use domain::ework::{
    Eligibility, Holder, PermitPolicy, PermitRequest, Standing, Visa, eligibility,
};
use domain::notification::{Recipient, Template};
use domain::ports::Notifier;
use domain::ports::ework::{ApplicationStore, BorderService, Talons, VisaRegistry};
use domain::stay::StayStatus;
use domain::{Code, FieldError, Lang, StoreError};

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
pub struct WorkPermits<A, B, V, T, N> {
    applications: A,
    border: B,
    visas: V,
    talons: T,
    notifier: N,
    policy: PermitPolicy,
}

impl<A, B, V, T, N> WorkPermits<A, B, V, T, N>
where
    A: ApplicationStore,
    B: BorderService,
    V: VisaRegistry,
    T: Talons,
    N: Notifier,
{
    /// Over the `applications` (the employer's allocations and the foreigner's
    /// permits), the `border` service, the `visas` registry and ereg's `talons`, under
    /// `policy`; foreigners hear of their permits through `notifier`.
    pub fn new(
        applications: A,
        border: B,
        visas: V,
        talons: T,
        notifier: N,
        policy: PermitPolicy,
    ) -> Self {
        Self {
            applications,
            border,
            visas,
            talons,
            notifier,
            policy,
        }
    }

    /// Tells the foreigner a work permit is for — at the email and mobile of the stay
    /// registration its talon names, in English — that `permit` was granted, extended
    /// or revoked (by `employer`); once per version. Nothing for other kinds or moves,
    /// or when the registration is gone.
    pub async fn tell_holder(
        &self,
        permit: &Application,
        employer: &str,
    ) -> Result<(), ApplicationError> {
        let Request::Permit(request) = &permit.request else {
            return Ok(());
        };
        let change = match (permit.status, &permit.extension) {
            (Status::Revoked, _) => "revoked",
            (Status::Confirmed, None) => "granted",
            (Status::Confirmed, Some(extension)) if extension.refusal.is_none() => "extended",
            // Refused extensions and every other move change nothing the holder holds.
            _ => return Ok(()),
        };
        let Some(stay) = self
            .talons
            .by_registration_number(&request.details.registration_number)
            .await?
        else {
            return Ok(());
        };
        let template = Template::PermitChanged {
            permit: permit.number.clone(),
            change: change.to_owned(),
            valid_until: permit
                .granted()
                .map(|g| g.valid_until.to_string())
                .unwrap_or_default(),
            employer: employer.to_owned(),
        };
        let to = Recipient {
            email: Some(stay.email),
            phone: Some(stay.phone),
        };
        let id = format!("permit-holder:{}:{}", permit.number, permit.version);
        self.notifier
            .notify(&id, Lang::En, to, template)
            .await
            .map_err(ApplicationError::Notify)
    }

    /// What the lookups say of `passport` and whether `employer` may apply for its
    /// holder's permit (for `position`, once the form names one).
    pub async fn search(
        &self,
        employer: &AccountId,
        passport: &Passport,
        position: Option<&str>,
    ) -> Result<Search, StoreError> {
        let places = self.applications.places_of(employer).await?;
        self.lookup(passport, &places, position, false).await
    }

    /// A foreign entrepreneur's "check availability": what the lookups say of their own
    /// `passport` and whether they may apply for their permit.
    pub async fn availability(&self, passport: &Passport) -> Result<Search, StoreError> {
        self.lookup(passport, &[], None, true).await
    }

    async fn lookup(
        &self,
        passport: &Passport,
        places: &[domain::ework::Place],
        position: Option<&str>,
        entrepreneur: bool,
    ) -> Result<Search, StoreError> {
        let key = holder_key(&passport.country, &passport.number);
        let (holder, visas, permits) = tokio::try_join!(
            self.border.holder(&passport.country, &passport.number),
            self.visas.visas(&passport.country, &passport.number),
            self.applications.permits_of(&key),
        )?;
        let standing = Standing {
            holder: holder.as_ref(),
            visas: &visas,
            places,
            permits: &permits,
            position,
            entrepreneur,
        };
        let eligibility = eligibility(&standing, &self.policy, today_in_bishkek());
        Ok(Search {
            holder,
            visas,
            eligibility,
        })
    }

    /// The field error of the registration talon numbered `number`, unless it is a
    /// valid stay registration of `passport`.
    async fn talon_errors(
        &self,
        passport: &Passport,
        number: &str,
    ) -> Result<Vec<FieldError>, StoreError> {
        let talon = self.talons.by_registration_number(number).await?;
        let today = today_in_bishkek();
        let code = match talon {
            Some(stay) if stay.status == StayStatus::Valid && stay.stay_to >= today => {
                let same = stay.guest.document_country == passport.country
                    && stay.guest.document_number == passport.number;
                (!same).then_some(Code::TalonOfAnotherPassport)
            }
            _ => Some(Code::TalonNotValid),
        };
        Ok(code
            .map(|code| FieldError::new("registration_number", code))
            .into_iter()
            .collect())
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
            self.talon_errors(passport, &details.registration_number),
        )?;
        let (holder, visa, place) = allowed(search, talon)?;
        let place = place.ok_or(ApplicationError::Ineligible(vec![FieldError::new(
            "position",
            Code::NoFreeQuota,
        )]))?;
        Ok(PermitRequest {
            holder,
            visa,
            details,
            place,
        })
    }

    /// The request a foreign entrepreneur's form makes for their own `passport`, under
    /// the same lookups and talon check, without a quota place.
    pub async fn entrepreneur_request(
        &self,
        passport: &Passport,
        details: EntrepreneurDetails,
    ) -> Result<EntrepreneurRequest, ApplicationError> {
        let (search, talon) = tokio::try_join!(
            self.availability(passport),
            self.talon_errors(passport, &details.registration_number),
        )?;
        let (holder, visa, _) = allowed(search, talon)?;
        Ok(EntrepreneurRequest {
            holder,
            visa,
            details,
        })
    }
}

/// The holder, visa and place a search allows when the talon's `errors` are none;
/// otherwise every reason, each at its field.
fn allowed(
    search: Search,
    mut errors: Vec<FieldError>,
) -> Result<(Holder, Option<Visa>, Option<domain::ework::PlaceRef>), ApplicationError> {
    match (search.eligibility, search.holder) {
        (Eligibility::Eligible { visa, place }, Some(holder)) if errors.is_empty() => {
            Ok((holder, visa, place))
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

#[cfg(test)]
mod tests;
