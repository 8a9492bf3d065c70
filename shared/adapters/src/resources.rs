//! The one definition of every AWS resource: tables, the uploads bucket with its event
//! notifications, queues with their dead-letter queues. Provisioning creates exactly
//! this on the local endpoint; `infra/template.yaml` declares the same for AWS and a
//! test fails when the two drift apart.

/// A DynamoDB key attribute type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    S,
    N,
}

impl KeyType {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::S => "S",
            KeyType::N => "N",
        }
    }
}

/// A key attribute: name and type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub name: &'static str,
    pub kind: KeyType,
}

const fn s(name: &'static str) -> Key {
    Key {
        name,
        kind: KeyType::S,
    }
}

const fn n(name: &'static str) -> Key {
    Key {
        name,
        kind: KeyType::N,
    }
}

/// A global secondary index; every one projects all attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gsi {
    pub name: &'static str,
    pub pk: Key,
    pub sk: Option<Key>,
}

/// A table: its short name (the deployed name is `<stack>-<name>`), keys, indexes and
/// the attribute DynamoDB's TTL deletes by. TTL only cleans up, and can lag by days:
/// everything that expires also checks its own `expires_at` when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableDef {
    pub name: &'static str,
    pub pk: Key,
    pub sk: Option<Key>,
    pub gsis: &'static [Gsi],
    pub ttl: Option<&'static str>,
}

const ACCOUNTS_GSIS: &[Gsi] = &[Gsi {
    name: "by_status",
    pk: s("status_key"),
    sk: Some(s("created_at")),
}];

const DOCUMENTS_GSIS: &[Gsi] = &[Gsi {
    name: "by_owner",
    pk: s("owner"),
    sk: Some(s("created_at")),
}];

const APPLICATIONS_GSIS: &[Gsi] = &[
    Gsi {
        name: "by_owner",
        pk: s("owner"),
        sk: Some(s("created_at")),
    },
    Gsi {
        name: "by_queue",
        pk: s("queue_key"),
        sk: Some(s("status_at")),
    },
    Gsi {
        name: "by_holder",
        pk: s("holder_key"),
        sk: Some(s("created_at")),
    },
];

const STAYS_GSIS: &[Gsi] = &[
    Gsi {
        name: "by_owner",
        pk: s("owner"),
        sk: Some(s("created_at")),
    },
    Gsi {
        name: "by_queue",
        pk: s("queue_key"),
        sk: Some(s("queued_at")),
    },
    Gsi {
        name: "by_passport",
        pk: s("passport_key"),
        sk: Some(s("stay_from")),
    },
    Gsi {
        name: "by_expiry",
        pk: s("valid_key"),
        sk: Some(s("stay_to")),
    },
    Gsi {
        name: "by_paid_day",
        pk: s("paid_day"),
        sk: Some(s("paid_at")),
    },
];

const PAYMENTS_GSIS: &[Gsi] = &[
    Gsi {
        name: "by_pending",
        pk: s("status_key"),
        sk: Some(n("expires_at")),
    },
    Gsi {
        name: "by_flag",
        pk: s("flag_key"),
        sk: Some(s("created_at")),
    },
];

/// The tables of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    /// Accounts of every type (`account#<id>`) and the guards that keep sign-in names
    /// and emails unique (`signin#<key>`, `email#<address>`); `by_status` lists the
    /// accounts waiting for an operator, oldest first.
    Accounts,
    /// Short-lived secrets: anti-bot challenges, later sessions and reset links.
    Tokens,
    /// The ledger of notifications sent, keyed by the producer's notification id.
    Notifications,
    /// Uploaded documents (`doc#<upload id>`): owner, kind, status, findings, extracted
    /// data; `by_owner` lists an account's documents, newest last.
    Documents,
    /// The property registry as the local stack knows it (`code` → address, owners),
    /// seeded from `data/property_registry.csv`; on AWS, an outside state system.
    Registry,
    /// Each host's housing (`owner`, `code`).
    Housing,
    /// Registrations of foreigners at the place of stay (`stay#<number>`) and the guards
    /// that keep registration numbers unique (`regno#<number>`). Indexes: `by_owner`
    /// (a host's archive), `by_queue` (paid ones waiting for an operator, oldest
    /// first), `by_passport` (overlaps, public status), `by_expiry` (valid ones by
    /// last day), `by_paid_day` (paid ones by the day of payment, for timeliness).
    Stays,
    /// The append-only audit trail of every decision (`subject`, `at`).
    Audit,
    /// Payment orders (`order#<number>`), the guard of each application's open order
    /// (`open#<application>`) and the append-only ledger of processor events
    /// (`event#<event id>`). Indexes: `by_pending` (sparse: pending orders by expiry, for
    /// reconciliation), `by_flag` (sparse: payments an operator must look at).
    Payments,
    /// e-work applications (`app#<number>`; the key is the guard that keeps numbers
    /// unique) and the places taken of each quota allocation row
    /// (`place#<quota>#<row>`). Indexes: `by_owner` (an applicant's archive),
    /// `by_queue` (the operators' queue of each kind and status,
    /// `ework#<kind>#<status>`, oldest status first), `by_holder` (sparse: the work
    /// permits of one passport, `<country>#<number>`).
    Applications,
    /// Messages to applicants (`recipient`, `id`: time-sorted), read and unread.
    Messages,
    /// The border service and the visa registry as the local stack knows them
    /// (`holder` = `<country>#<number>`; `item` = `person` or `visa#<number>`), seeded
    /// from `data/border_people.csv` and `data/visas.csv`; on AWS, outside state
    /// systems.
    Border,
}

impl Table {
    pub const ALL: [Table; 12] = [
        Table::Accounts,
        Table::Tokens,
        Table::Notifications,
        Table::Documents,
        Table::Registry,
        Table::Housing,
        Table::Stays,
        Table::Audit,
        Table::Payments,
        Table::Applications,
        Table::Messages,
        Table::Border,
    ];

    pub const fn def(self) -> TableDef {
        match self {
            Table::Accounts => TableDef {
                name: "accounts",
                pk: s("pk"),
                sk: None,
                gsis: ACCOUNTS_GSIS,
                ttl: Some("expires_at"),
            },
            Table::Tokens => TableDef {
                name: "tokens",
                pk: s("pk"),
                sk: None,
                gsis: &[],
                ttl: Some("expires_at"),
            },
            Table::Notifications => TableDef {
                name: "notifications",
                pk: s("id"),
                sk: None,
                gsis: &[],
                ttl: Some("expires_at"),
            },
            Table::Documents => TableDef {
                name: "documents",
                pk: s("pk"),
                sk: None,
                gsis: DOCUMENTS_GSIS,
                ttl: Some("expires_at"),
            },
            Table::Registry => TableDef {
                name: "property_registry",
                pk: s("code"),
                sk: None,
                gsis: &[],
                ttl: None,
            },
            Table::Housing => TableDef {
                name: "housing",
                pk: s("owner"),
                sk: Some(s("code")),
                gsis: &[],
                ttl: None,
            },
            Table::Stays => TableDef {
                name: "stays",
                pk: s("pk"),
                sk: None,
                gsis: STAYS_GSIS,
                ttl: None,
            },
            Table::Audit => TableDef {
                name: "audit",
                pk: s("subject"),
                sk: Some(s("at")),
                gsis: &[],
                ttl: None,
            },
            Table::Payments => TableDef {
                name: "payments",
                pk: s("pk"),
                sk: None,
                gsis: PAYMENTS_GSIS,
                ttl: None,
            },
            Table::Applications => TableDef {
                name: "applications",
                pk: s("pk"),
                sk: None,
                gsis: APPLICATIONS_GSIS,
                ttl: None,
            },
            Table::Messages => TableDef {
                name: "messages",
                pk: s("recipient"),
                sk: Some(s("id")),
                gsis: &[],
                ttl: None,
            },
            Table::Border => TableDef {
                name: "border",
                pk: s("holder"),
                sk: Some(s("item")),
                gsis: &[],
                ttl: None,
            },
        }
    }

    /// The environment variable that carries the deployed table name to a function.
    pub const fn env_var(self) -> &'static str {
        match self {
            Table::Accounts => "TABLE_ACCOUNTS",
            Table::Tokens => "TABLE_TOKENS",
            Table::Notifications => "TABLE_NOTIFICATIONS",
            Table::Documents => "TABLE_DOCUMENTS",
            Table::Registry => "TABLE_REGISTRY",
            Table::Housing => "TABLE_HOUSING",
            Table::Stays => "TABLE_STAYS",
            Table::Audit => "TABLE_AUDIT",
            Table::Payments => "TABLE_PAYMENTS",
            Table::Applications => "TABLE_APPLICATIONS",
            Table::Messages => "TABLE_MESSAGES",
            Table::Border => "TABLE_BORDER",
        }
    }
}

/// A queue with its dead-letter queue (`<name>-dlq`). A message received
/// `max_receive_count` times without being deleted moves to the DLQ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueDef {
    pub name: &'static str,
    /// Seconds a received message stays hidden; at least six times the consumer's
    /// timeout, as AWS advises for Lambda event sources.
    pub visibility_timeout_secs: u32,
    pub max_receive_count: u32,
    /// Days a message is kept in the DLQ for inspection and redrive.
    pub dlq_retention_days: u32,
}

/// The queues of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Queue {
    /// Notifications to render and send by email and SMS.
    Notifications,
    /// Uploaded photos and document scans to check (S3 events).
    ImageCheck,
    /// Uploaded passport and ID scans to read the MRZ from (S3 events).
    MrzExtract,
    /// Verified payment-processor events to settle.
    Payments,
}

impl Queue {
    pub const ALL: [Queue; 4] = [
        Queue::Notifications,
        Queue::ImageCheck,
        Queue::MrzExtract,
        Queue::Payments,
    ];

    pub const fn def(self) -> QueueDef {
        match self {
            Queue::Notifications => QueueDef {
                name: "notifications",
                visibility_timeout_secs: 60,
                max_receive_count: 5,
                dlq_retention_days: 14,
            },
            Queue::ImageCheck => QueueDef {
                name: "image-check",
                visibility_timeout_secs: 180,
                max_receive_count: 3,
                dlq_retention_days: 14,
            },
            Queue::MrzExtract => QueueDef {
                name: "mrz-extract",
                visibility_timeout_secs: 180,
                max_receive_count: 3,
                dlq_retention_days: 14,
            },
            Queue::Payments => QueueDef {
                name: "payments",
                visibility_timeout_secs: 60,
                max_receive_count: 5,
                dlq_retention_days: 14,
            },
        }
    }

    pub const fn env_var(self) -> &'static str {
        match self {
            Queue::Notifications => "QUEUE_URL_NOTIFICATIONS",
            Queue::ImageCheck => "QUEUE_URL_IMAGE_CHECK",
            Queue::MrzExtract => "QUEUE_URL_MRZ_EXTRACT",
            Queue::Payments => "QUEUE_URL_PAYMENTS",
        }
    }

    pub fn dlq_name(self) -> String {
        format!("{}-dlq", self.def().name)
    }
}

/// An S3 → SQS event notification: objects created under `prefix` go to `queue`.
/// S3 refuses overlapping prefixes for one event type, so prefixes never nest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectCreatedRoute {
    pub prefix: &'static str,
    pub queue: Queue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketDef {
    pub name: &'static str,
    pub on_object_created: &'static [ObjectCreatedRoute],
}

/// The buckets of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// Everything users upload. The key's first segment names its consumer.
    Uploads,
}

impl Bucket {
    pub const ALL: [Bucket; 1] = [Bucket::Uploads];

    pub const fn def(self) -> BucketDef {
        match self {
            Bucket::Uploads => BucketDef {
                name: "uploads",
                on_object_created: &[
                    ObjectCreatedRoute {
                        prefix: "photo/",
                        queue: Queue::ImageCheck,
                    },
                    ObjectCreatedRoute {
                        prefix: "scan/",
                        queue: Queue::ImageCheck,
                    },
                    ObjectCreatedRoute {
                        prefix: "passport/",
                        queue: Queue::MrzExtract,
                    },
                ],
            },
        }
    }

    pub const fn env_var(self) -> &'static str {
        match self {
            Bucket::Uploads => "BUCKET_UPLOADS",
        }
    }
}

/// Deployed names of every resource, as one function sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resources {
    tables: Vec<(Table, String)>,
    queue_urls: Vec<(Queue, String)>,
    buckets: Vec<(Bucket, String)>,
    /// The sender of every email (`MAIL_FROM`); its domain must be a verified SES identity.
    pub mail_from: String,
}

impl Resources {
    pub fn new(
        tables: Vec<(Table, String)>,
        queue_urls: Vec<(Queue, String)>,
        buckets: Vec<(Bucket, String)>,
        mail_from: String,
    ) -> Self {
        Self {
            tables,
            queue_urls,
            buckets,
            mail_from,
        }
    }

    /// Reads the names from the environment the deployment template sets.
    /// Panics with the missing variable's name: a function without its resources
    /// cannot start, and saying which is the fastest fix.
    pub fn from_env() -> Self {
        let var = |name: &str| {
            std::env::var(name).unwrap_or_else(|_| panic!("environment variable {name} is not set"))
        };
        Self {
            tables: Table::ALL.iter().map(|t| (*t, var(t.env_var()))).collect(),
            queue_urls: Queue::ALL.iter().map(|q| (*q, var(q.env_var()))).collect(),
            buckets: Bucket::ALL.iter().map(|b| (*b, var(b.env_var()))).collect(),
            mail_from: var("MAIL_FROM"),
        }
    }

    pub fn table(&self, table: Table) -> &str {
        lookup(&self.tables, table)
    }

    pub fn queue_url(&self, queue: Queue) -> &str {
        lookup(&self.queue_urls, queue)
    }

    pub fn bucket(&self, bucket: Bucket) -> &str {
        lookup(&self.buckets, bucket)
    }
}

fn lookup<K: PartialEq + std::fmt::Debug>(pairs: &[(K, String)], key: K) -> &str {
    pairs
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no name for {key:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_created_prefixes_do_not_overlap() {
        for bucket in Bucket::ALL {
            let routes = bucket.def().on_object_created;
            for a in routes {
                for b in routes {
                    if a != b {
                        assert!(
                            !a.prefix.starts_with(b.prefix),
                            "{} nests in {}",
                            a.prefix,
                            b.prefix
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn names_are_unique_per_kind_and_valid_for_aws() {
        let tables: Vec<String> = Table::ALL.iter().map(|t| t.def().name.to_owned()).collect();
        let queues: Vec<String> = Queue::ALL
            .iter()
            .flat_map(|q| [q.def().name.to_owned(), q.dlq_name()])
            .collect();
        let buckets: Vec<String> = Bucket::ALL
            .iter()
            .map(|b| b.def().name.to_owned())
            .collect();
        for names in [tables, queues, buckets] {
            let mut unique = names.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), names.len(), "{names:?}");
            for name in names {
                // DynamoDB wants 3 or more characters; the emulator does not enforce it.
                assert!(name.len() >= 3, "{name}");
                assert!(
                    name.chars()
                        .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_'),
                    "{name}"
                );
            }
        }
    }
}
