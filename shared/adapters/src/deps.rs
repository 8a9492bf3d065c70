//! Clients and resource names, built once per cold start and borrowed by handlers.

use aws_config::{BehaviorVersion, Region, SdkConfig};

use crate::resources::Resources;
use crate::secrets::{Secret, Secrets};

/// The ereg policy from variables, each falling back to the default when unset.
/// Panics on a value that does not parse: a misconfigured rule must not pass silently.
pub fn ereg_policy(var: impl Fn(&str) -> Option<String>) -> domain::stay::StayPolicy {
    let defaults = domain::stay::StayPolicy::default();
    domain::stay::StayPolicy {
        max_backdate_days: var("EREG_MAX_BACKDATE_DAYS")
            .map(|v| {
                v.parse()
                    .expect("EREG_MAX_BACKDATE_DAYS is a number of days")
            })
            .unwrap_or(defaults.max_backdate_days),
        auto_confirm: var("EREG_AUTO_CONFIRM")
            .map(|v| match v.trim() {
                "on" | "true" | "1" => true,
                "off" | "false" | "0" | "" => false,
                other => panic!("EREG_AUTO_CONFIRM is on or off, not {other:?}"),
            })
            .unwrap_or(defaults.auto_confirm),
        calendar: domain::calendar::WorkCalendar::kyrgyz(
            &days(&var, "EREG_EXTRA_HOLIDAYS"),
            &days(&var, "EREG_EXTRA_WORKING_DAYS"),
        ),
    }
}

/// The dates of the variable `name` (`YYYY-MM-DD`, comma-separated); none when unset.
fn days(var: &impl Fn(&str) -> Option<String>, name: &str) -> Vec<time::Date> {
    var(name).map_or_else(Vec::new, |raw| {
        domain::calendar::parse_days(&raw)
            .unwrap_or_else(|bad| panic!("{name} lists YYYY-MM-DD dates, not {bad:?}"))
    })
}

/// The e-work fee rules from `EWORK_QUOTA_FEE_MINOR` (tyiyn per allocated quota) and
/// `EWORK_FEE_WINDOW_DAYS`; the defaults (a placeholder of 1,000.00 KGS, 90 days) where
/// unset.
pub fn ework_fee_policy(var: impl Fn(&str) -> Option<String>) -> domain::ework::FeePolicy {
    let defaults = domain::ework::FeePolicy::default();
    domain::ework::FeePolicy {
        per_quota: var("EWORK_QUOTA_FEE_MINOR")
            .map(|v| {
                let minor = v
                    .trim()
                    .parse()
                    .expect("EWORK_QUOTA_FEE_MINOR is a number of tyiyn");
                domain::payment::Amount::new(minor, domain::stay::CURRENCY)
            })
            .unwrap_or(defaults.per_quota),
        window_days: var("EWORK_FEE_WINDOW_DAYS")
            .map(|v| {
                v.trim()
                    .parse()
                    .expect("EWORK_FEE_WINDOW_DAYS is a number of days")
            })
            .unwrap_or(defaults.window_days),
    }
}

/// The work-permit eligibility rules that are policy, from `EWORK_EAEU_NEEDS_PERMIT`
/// (`true` or `false`) and `EWORK_PASSPORT_DAYS_LEFT` (days); the defaults when unset.
pub fn permit_policy(var: impl Fn(&str) -> Option<String>) -> domain::ework::PermitPolicy {
    let defaults = domain::ework::PermitPolicy::default();
    domain::ework::PermitPolicy {
        eaeu_needs_permit: var("EWORK_EAEU_NEEDS_PERMIT")
            .map(|v| {
                v.trim()
                    .parse()
                    .expect("EWORK_EAEU_NEEDS_PERMIT is true or false")
            })
            .unwrap_or(defaults.eaeu_needs_permit),
        passport_days_left: var("EWORK_PASSPORT_DAYS_LEFT")
            .map(|v| {
                v.trim()
                    .parse()
                    .expect("EWORK_PASSPORT_DAYS_LEFT is a number of days")
            })
            .unwrap_or(defaults.passport_days_left),
    }
}

/// The Digital Nomad rule that is policy, from `EWORK_NOMAD_STATUS_DAYS` (days a
/// granted status lasts); the default when unset.
pub fn nomad_policy(var: impl Fn(&str) -> Option<String>) -> domain::ework::nomad::NomadPolicy {
    let defaults = domain::ework::nomad::NomadPolicy::default();
    domain::ework::nomad::NomadPolicy {
        status_days: var("EWORK_NOMAD_STATUS_DAYS")
            .map(|v| {
                v.trim()
                    .parse()
                    .ok()
                    .filter(|days| *days > 1)
                    .expect("EWORK_NOMAD_STATUS_DAYS is a number of days above 1")
            })
            .unwrap_or(defaults.status_days),
    }
}

/// Configuration beyond resource names.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Base URL of the public API, for links in emails (`PUBLIC_URL`).
    pub public_url: String,
    /// The ereg rules left to configuration (`EREG_MAX_BACKDATE_DAYS`,
    /// `EREG_AUTO_CONFIRM`); the defaults when unset.
    pub ereg: domain::stay::StayPolicy,
    /// The e-work state fee rules (`EWORK_QUOTA_FEE_MINOR`, `EWORK_FEE_WINDOW_DAYS`).
    pub ework: domain::ework::FeePolicy,
    /// The work-permit rules that are policy (`EWORK_EAEU_NEEDS_PERMIT`,
    /// `EWORK_PASSPORT_DAYS_LEFT`).
    pub permits: domain::ework::PermitPolicy,
    /// How long a Digital Nomad status lasts (`EWORK_NOMAD_STATUS_DAYS`).
    pub nomads: domain::ework::nomad::NomadPolicy,
    /// The secrets this function asked for.
    pub secrets: Secrets,
}

impl Settings {
    /// Panics with the variable's name when one is missing or malformed.
    pub async fn load(sdk: &SdkConfig, wanted: &[Secret]) -> Self {
        let var = |name: &str| {
            std::env::var(name).unwrap_or_else(|_| panic!("environment variable {name} is not set"))
        };
        Settings {
            public_url: var("PUBLIC_URL").trim_end_matches('/').to_owned(),
            ereg: ereg_policy(|name| std::env::var(name).ok()),
            ework: ework_fee_policy(|name| std::env::var(name).ok()),
            permits: permit_policy(|name| std::env::var(name).ok()),
            nomads: nomad_policy(|name| std::env::var(name).ok()),
            secrets: Secrets::load(sdk, wanted, |name| std::env::var(name).ok()).await,
        }
    }
}

/// Every AWS client a function may use, built from one `SdkConfig`, and the names of
/// the resources it works on.
#[derive(Debug, Clone)]
pub struct Deps {
    pub dynamo: aws_sdk_dynamodb::Client,
    #[cfg(feature = "s3")]
    pub s3: aws_sdk_s3::Client,
    #[cfg(feature = "sqs")]
    pub sqs: aws_sdk_sqs::Client,
    #[cfg(feature = "email")]
    pub ses: aws_sdk_sesv2::Client,
    #[cfg(feature = "sms")]
    pub sns: aws_sdk_sns::Client,
    pub resources: Resources,
    pub settings: Settings,
    /// Signs browser upload forms for the uploads bucket.
    #[cfg(feature = "s3")]
    pub upload_forms: crate::upload_form::UploadForms,
    /// The card processor (the local one: no real processor is wired yet).
    #[cfg(feature = "processor")]
    pub processor: crate::processor::LocalProcessor,
}

impl Deps {
    /// For a Lambda cold start: AWS configuration from the standard sources (it honours
    /// `AWS_ENDPOINT_URL`, so the same binary runs against the local endpoint), resource
    /// names from the variables the deployment template sets, and the `secrets` the
    /// function uses.
    pub async fn from_env(secrets: &[Secret]) -> Self {
        let sdk = aws_config::defaults(BehaviorVersion::latest())
            .timeout_config(timeouts())
            .retry_config(retries())
            .load()
            .await;
        let settings = Settings::load(&sdk, secrets).await;
        Self::new(&sdk, Resources::from_env(), settings)
    }

    pub fn new(sdk: &SdkConfig, resources: Resources, settings: Settings) -> Self {
        Self {
            dynamo: aws_sdk_dynamodb::Client::new(sdk),
            // Emulators serve buckets by path, not by virtual host.
            #[cfg(feature = "s3")]
            s3: aws_sdk_s3::Client::from_conf(
                aws_sdk_s3::config::Builder::from(sdk)
                    .force_path_style(sdk.endpoint_url().is_some())
                    .build(),
            ),
            #[cfg(feature = "sqs")]
            sqs: aws_sdk_sqs::Client::new(sdk),
            #[cfg(feature = "email")]
            ses: aws_sdk_sesv2::Client::new(sdk),
            #[cfg(feature = "sms")]
            sns: aws_sdk_sns::Client::new(sdk),
            #[cfg(feature = "s3")]
            upload_forms: crate::upload_form::UploadForms::new(
                sdk,
                resources.bucket(crate::Bucket::Uploads),
            ),
            // It signs only what the dev host's checkout sends; a function without the
            // webhook secret never does.
            #[cfg(feature = "processor")]
            processor: crate::processor::LocalProcessor::new(
                &settings.public_url,
                settings.secrets.payment_webhook.clone().unwrap_or_default(),
            ),
            resources,
            settings,
        }
    }
}

/// The region the local endpoint is used in.
pub const LOCAL_REGION: &str = "us-east-1";

/// AWS configuration for the local endpoint: fixed test credentials and region, so
/// nothing from the developer's own AWS profile can leak in or be used by mistake.
pub async fn local_sdk_config(endpoint: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new(LOCAL_REGION))
        .credentials_provider(aws_credential_types::Credentials::new(
            "test", "test", None, None, "local",
        ))
        .timeout_config(timeouts())
        .retry_config(retries())
        .load()
        .await
}

/// How long any AWS call may take, so that an HTTP request finishes well inside API
/// Gateway's 29 s however the service behaves: a connection within 2 s, each attempt
/// within 5 s, the call with its retry within 10 s. Past that the store is out of
/// reach (`503` with `Retry-After`), not hung with the caller.
pub fn timeouts() -> aws_config::timeout::TimeoutConfig {
    aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(std::time::Duration::from_secs(2))
        .operation_attempt_timeout(std::time::Duration::from_secs(5))
        .operation_timeout(std::time::Duration::from_secs(10))
        .build()
}

/// One retry with backoff for what a retry may cure (throttling, a transient error,
/// a dropped connection); the rest is for the caller or the queue to try again.
pub fn retries() -> aws_config::retry::RetryConfig {
    aws_config::retry::RetryConfig::standard().with_max_attempts(2)
}

/// The stores and producers over these clients, named by the resources. Cheap: each
/// clones a client handle.
impl Deps {
    pub fn accounts(&self) -> crate::accounts::DynamoAccounts {
        crate::accounts::DynamoAccounts::new(
            self.dynamo.clone(),
            self.resources.table(crate::Table::Accounts),
        )
    }

    pub fn challenges(&self) -> crate::challenges::DynamoChallenges {
        crate::challenges::DynamoChallenges::new(
            self.dynamo.clone(),
            self.resources.table(crate::Table::Tokens),
        )
    }

    pub fn change_requests(&self) -> crate::change_requests::DynamoChangeRequests {
        crate::change_requests::DynamoChangeRequests::new(self.accounts())
    }

    pub fn drafts(&self) -> crate::drafts::DynamoDrafts {
        crate::drafts::DynamoDrafts::new(
            self.dynamo.clone(),
            self.resources.table(crate::Table::Accounts),
            self.settings.secrets.key().clone(),
        )
    }

    #[cfg(feature = "s3")]
    /// Every read, write and delete of the uploads bucket, its download links and
    /// upload forms.
    pub fn uploads_bucket(&self) -> crate::bucket::S3UploadsBucket {
        crate::bucket::S3UploadsBucket::new(
            self.s3.clone(),
            self.resources.bucket(crate::Bucket::Uploads),
            self.upload_forms.clone(),
        )
    }

    pub fn documents(&self) -> crate::documents::DynamoDocuments {
        crate::documents::DynamoDocuments::new(
            self.dynamo.clone(),
            self.resources.table(crate::Table::Documents),
        )
    }

    pub fn registry(&self) -> crate::registry::DynamoRegistry {
        crate::registry::DynamoRegistry::new(
            self.dynamo.clone(),
            self.resources.table(crate::Table::Registry),
        )
    }

    pub fn housing(&self) -> crate::housing::DynamoHousing {
        crate::housing::DynamoHousing::new(
            self.dynamo.clone(),
            self.resources.table(crate::Table::Housing),
        )
    }

    pub fn stays(&self) -> crate::stays::DynamoStays {
        crate::stays::DynamoStays::new(
            self.dynamo.clone(),
            self.resources.table(crate::Table::Stays),
            self.resources.table(crate::Table::Audit),
            self.resources.table(crate::Table::Documents),
        )
    }

    #[cfg(feature = "sqs")]
    /// Moves registrations after submission (payment, decisions, cancellation, expiry).
    pub fn stay_lifecycle(&self) -> crate::stay_lifecycle::StayLifecycle {
        use_cases::stays::StayLifecycle::new(
            self.stays(),
            self.accounts(),
            self.notification_queue(),
            self.settings.ereg.clone(),
        )
    }

    /// e-work applications, their audit trail and the messages to applicants.
    pub fn applications(&self) -> crate::ework::DynamoApplications {
        crate::ework::DynamoApplications::new(
            self.dynamo.clone(),
            self.resources.table(crate::Table::Applications),
            self.resources.table(crate::Table::Audit),
            self.resources.table(crate::Table::Documents),
            self.resources.table(crate::Table::Messages),
        )
    }

    #[cfg(feature = "sqs")]
    /// Moves e-work applications (submission, clarification, decisions, messages).
    pub fn application_lifecycle(&self) -> crate::ework::ApplicationLifecycle {
        use_cases::ework::ApplicationLifecycle::new(
            self.applications(),
            self.applications(),
            self.documents(),
            self.accounts(),
            self.notification_queue(),
            self.settings.ework.clone(),
        )
    }

    /// The local stand-in of the border service and the visa registry.
    pub fn border(&self) -> crate::border::DynamoBorder {
        crate::border::DynamoBorder::new(
            self.dynamo.clone(),
            self.resources.table(crate::Table::Border),
        )
    }

    #[cfg(feature = "sqs")]
    /// Searches foreigners and turns work-permit forms into requests.
    pub fn work_permits(&self) -> crate::ework::WorkPermits {
        use_cases::ework::permits::WorkPermits::new(
            self.applications(),
            self.border(),
            self.border(),
            self.stays(),
            self.notification_queue(),
            self.settings.permits.clone(),
        )
    }

    /// Payment orders and the ledger of processor events.
    pub fn orders(&self) -> crate::payments::DynamoPayments {
        crate::payments::DynamoPayments::new(
            self.dynamo.clone(),
            self.resources.table(crate::Table::Payments),
        )
    }

    #[cfg(feature = "processor")]
    /// Orders, settlement and reconciliation.
    pub fn payments(&self) -> crate::payments::Payments {
        use_cases::payments::Payments::new(
            self.orders(),
            self.processor.clone(),
            self.stay_lifecycle(),
            self.application_lifecycle(),
            self.accounts(),
            self.notification_queue(),
        )
    }

    #[cfg(feature = "sqs")]
    /// The queue processor events wait on for settlement.
    pub fn payment_events(&self) -> crate::payments::SqsPaymentEvents {
        crate::payments::SqsPaymentEvents::new(
            self.sqs.clone(),
            self.resources.queue_url(crate::Queue::Payments),
        )
    }

    pub fn rate_limit(&self) -> crate::rate_limit::DynamoRateLimit {
        crate::rate_limit::DynamoRateLimit::new(
            self.dynamo.clone(),
            self.resources.table(crate::Table::Tokens),
        )
    }

    pub fn sessions(&self) -> crate::sessions::DynamoSessions {
        crate::sessions::DynamoSessions::new(
            self.dynamo.clone(),
            self.resources.table(crate::Table::Tokens),
        )
    }

    #[cfg(feature = "sqs")]
    pub fn notification_queue(&self) -> crate::queue::SqsNotificationQueue {
        crate::queue::SqsNotificationQueue::new(
            self.sqs.clone(),
            self.resources.queue_url(crate::Queue::Notifications),
        )
    }

    pub fn notification_ledger(&self) -> crate::ledger::DynamoNotificationLedger {
        crate::ledger::DynamoNotificationLedger::new(
            self.dynamo.clone(),
            self.resources.table(crate::Table::Notifications),
        )
    }
}
