//! `infra/template.yaml` must declare exactly what the Rust definitions provision
//! locally and what the dev host runs: table names, keys, GSIs, TTL; queues with their
//! DLQs, visibility and receive counts; the bucket's event routes; every function, its
//! trigger and its HTTP routes; the variables that carry names to the functions.

use std::collections::BTreeSet;

use adapters::resources::{KeyType, TableDef};
use adapters::secrets::Secret;
use adapters::{Bucket, Deps, Queue, Resources, Table};
use dev_host::{FUNCTIONS, Trigger};
use serde_norway::Value;

mod grants;
use grants::secrets_in;

const TEMPLATE: &str = include_str!("../../../infra/template.yaml");

struct Template {
    resources: serde_norway::Mapping,
    globals_env: serde_norway::Mapping,
}

impl Template {
    fn load(source: &str) -> Template {
        let doc: Value = serde_norway::from_str(source).expect("the template is YAML");
        Template {
            resources: doc["Resources"].as_mapping().expect("Resources").clone(),
            globals_env: doc["Globals"]["Function"]["Environment"]["Variables"]
                .as_mapping()
                .expect("Globals.Function.Environment.Variables")
                .clone(),
        }
    }

    /// (logical id, properties, metadata) of every resource of `kind`.
    fn of_type(&self, kind: &str) -> Vec<(String, &Value, &Value)> {
        self.resources
            .iter()
            .filter(|(_, r)| r["Type"].as_str() == Some(kind))
            .map(|(id, r)| {
                (
                    id.as_str().unwrap().to_owned(),
                    &r["Properties"],
                    &r["Metadata"],
                )
            })
            .collect()
    }

    fn properties(&self, logical_id: &str) -> &Value {
        &self
            .resources
            .get(logical_id)
            .unwrap_or_else(|| panic!("no resource {logical_id}"))["Properties"]
    }
}

/// The value under a YAML tag such as `!Sub`, `!Ref` or `!GetAtt`.
fn untag(value: &Value) -> &Value {
    match value {
        Value::Tagged(tagged) => &tagged.value,
        other => other,
    }
}

fn str_of(value: &Value) -> String {
    untag(value)
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value:?}"))
        .to_owned()
}

/// `!Sub "${AWS::StackName}-accounts"` → `accounts`; the stack-dependent part is the prefix.
fn short_name(value: &Value) -> String {
    let full = str_of(value);
    full.rsplit_once("}-")
        .map(|(_, short)| short.to_owned())
        .unwrap_or(full)
}

/// `!GetAtt NotificationsQueue.Arn` → `NotificationsQueue`.
fn get_att_target(value: &Value) -> String {
    str_of(value).split('.').next().unwrap().to_owned()
}

fn type_name(kind: KeyType) -> &'static str {
    kind.as_str()
}

/// A key attribute: name, role (`HASH` or `RANGE`) and type (`S` or `N`).
type KeyShape = (String, String, String);

/// An index: name, keys and projection.
type GsiShape = (String, Vec<KeyShape>, String);

/// The table as the template declares it, in the shape of a definition, for comparison.
#[derive(Debug, PartialEq, Eq)]
struct TableShape {
    name: String,
    keys: Vec<KeyShape>,
    gsis: BTreeSet<GsiShape>,
    ttl: Option<String>,
}

fn template_tables(template: &Template) -> Vec<TableShape> {
    template
        .of_type("AWS::DynamoDB::Table")
        .into_iter()
        .map(|(_, p, _)| {
            let types: Vec<(String, String)> = p["AttributeDefinitions"]
                .as_sequence()
                .unwrap()
                .iter()
                .map(|a| (str_of(&a["AttributeName"]), str_of(&a["AttributeType"])))
                .collect();
            let keys = |schema: &Value| -> Vec<KeyShape> {
                schema
                    .as_sequence()
                    .unwrap()
                    .iter()
                    .map(|k| {
                        let name = str_of(&k["AttributeName"]);
                        let ty = types
                            .iter()
                            .find(|(n, _)| *n == name)
                            .map(|(_, t)| t.clone());
                        (
                            name,
                            str_of(&k["KeyType"]),
                            ty.unwrap_or_else(|| "undefined".into()),
                        )
                    })
                    .collect()
            };
            TableShape {
                name: short_name(&p["TableName"]),
                keys: keys(&p["KeySchema"]),
                gsis: p["GlobalSecondaryIndexes"]
                    .as_sequence()
                    .map(|gsis| {
                        gsis.iter()
                            .map(|g| {
                                (
                                    str_of(&g["IndexName"]),
                                    keys(&g["KeySchema"]),
                                    str_of(&g["Projection"]["ProjectionType"]),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                ttl: p["TimeToLiveSpecification"]["Enabled"]
                    .as_bool()
                    .filter(|e| *e)
                    .map(|_| str_of(&p["TimeToLiveSpecification"]["AttributeName"])),
            }
        })
        .collect()
}

fn rust_table(def: &TableDef) -> TableShape {
    let key = |k: &adapters::resources::Key, role: &str| {
        (
            k.name.to_owned(),
            role.to_owned(),
            type_name(k.kind).to_owned(),
        )
    };
    let keys = |pk, sk: Option<&adapters::resources::Key>| {
        let mut keys = vec![key(pk, "HASH")];
        keys.extend(sk.map(|sk| key(sk, "RANGE")));
        keys
    };
    TableShape {
        name: def.name.to_owned(),
        keys: keys(&def.pk, def.sk.as_ref()),
        gsis: def
            .gsis
            .iter()
            .map(|g| {
                (
                    g.name.to_owned(),
                    keys(&g.pk, g.sk.as_ref()),
                    "ALL".to_owned(),
                )
            })
            .collect(),
        ttl: def.ttl.map(str::to_owned),
    }
}

fn drift(source: &str) -> Vec<String> {
    let template = Template::load(source);
    let mut problems = Vec::new();
    let mut check = |what: String, ok: bool| {
        if !ok {
            problems.push(what);
        }
    };

    // Tables.
    let declared = template_tables(&template);
    let declared_names: BTreeSet<_> = declared.iter().map(|t| t.name.clone()).collect();
    let defined_names: BTreeSet<_> = Table::ALL.iter().map(|t| t.def().name.to_owned()).collect();
    check(
        format!("tables: template {declared_names:?}, code {defined_names:?}"),
        declared_names == defined_names,
    );
    for table in Table::ALL {
        let want = rust_table(&table.def());
        if let Some(got) = declared.iter().find(|t| t.name == want.name) {
            check(
                format!("table {}: template {got:?}, code {want:?}", want.name),
                *got == want,
            );
        }
    }

    // Queues and their dead-letter queues.
    let queues = template.of_type("AWS::SQS::Queue");
    let queue_name_of = |logical: &str| short_name(&template.properties(logical)["QueueName"]);
    let declared_queues: BTreeSet<String> = queues
        .iter()
        .map(|(_, p, _)| short_name(&p["QueueName"]))
        .collect();
    let defined_queues: BTreeSet<String> = Queue::ALL
        .iter()
        .flat_map(|q| [q.def().name.to_owned(), q.dlq_name()])
        .collect();
    check(
        format!("queues: template {declared_queues:?}, code {defined_queues:?}"),
        declared_queues == defined_queues,
    );
    for queue in Queue::ALL {
        let def = queue.def();
        let Some((_, p, _)) = queues
            .iter()
            .find(|(_, p, _)| short_name(&p["QueueName"]) == def.name)
        else {
            continue;
        };
        check(
            format!(
                "queue {}: VisibilityTimeout {:?}, code {}",
                def.name, p["VisibilityTimeout"], def.visibility_timeout_secs
            ),
            p["VisibilityTimeout"].as_u64() == Some(def.visibility_timeout_secs.into()),
        );
        let redrive = &p["RedrivePolicy"];
        check(
            format!(
                "queue {}: maxReceiveCount {:?}, code {}",
                def.name, redrive["maxReceiveCount"], def.max_receive_count
            ),
            redrive["maxReceiveCount"].as_u64() == Some(def.max_receive_count.into()),
        );
        let dlq = redrive
            .get("deadLetterTargetArn")
            .map(|arn| queue_name_of(&get_att_target(arn)))
            .unwrap_or_default();
        check(
            format!("queue {}: DLQ {dlq:?}, code {}", def.name, queue.dlq_name()),
            dlq == queue.dlq_name(),
        );
        if let Some((_, dlq_props, _)) = queues
            .iter()
            .find(|(_, p, _)| short_name(&p["QueueName"]) == queue.dlq_name())
        {
            let retention = u64::from(def.dlq_retention_days) * 24 * 3600;
            check(
                format!(
                    "queue {}: MessageRetentionPeriod {:?}, code {retention}",
                    queue.dlq_name(),
                    dlq_props["MessageRetentionPeriod"]
                ),
                dlq_props["MessageRetentionPeriod"].as_u64() == Some(retention),
            );
        }
    }

    // The bucket and its event routes. The portal's bucket holds static files only the
    // CDN reads; no function touches it.
    let buckets: Vec<_> = template
        .of_type("AWS::S3::Bucket")
        .into_iter()
        .filter(|(id, _, _)| id != "PortalBucket")
        .collect();
    let declared_buckets: BTreeSet<String> = buckets
        .iter()
        .map(|(_, p, _)| short_name(&p["BucketName"]))
        .collect();
    let defined_buckets: BTreeSet<String> = Bucket::ALL
        .iter()
        .map(|b| b.def().name.to_owned())
        .collect();
    check(
        format!("buckets: template {declared_buckets:?}, code {defined_buckets:?}"),
        declared_buckets == defined_buckets,
    );
    for bucket in Bucket::ALL {
        let def = bucket.def();
        let Some((_, p, _)) = buckets
            .iter()
            .find(|(_, p, _)| short_name(&p["BucketName"]) == def.name)
        else {
            continue;
        };
        let declared: BTreeSet<(String, String, String)> =
            p["NotificationConfiguration"]["QueueConfigurations"]
                .as_sequence()
                .into_iter()
                .flatten()
                .map(|c| {
                    let rules = c["Filter"]["S3Key"]["Rules"]
                        .as_sequence()
                        .cloned()
                        .unwrap_or_default();
                    let prefix = rules
                        .iter()
                        .find(|r| str_of(&r["Name"]).eq_ignore_ascii_case("prefix"))
                        .map(|r| str_of(&r["Value"]))
                        .unwrap_or_default();
                    (
                        str_of(&c["Event"]),
                        prefix,
                        queue_name_of(&get_att_target(&c["Queue"])),
                    )
                })
                .collect();
        let defined: BTreeSet<(String, String, String)> = def
            .on_object_created
            .iter()
            .map(|r| {
                (
                    "s3:ObjectCreated:*".to_owned(),
                    r.prefix.to_owned(),
                    r.queue.def().name.to_owned(),
                )
            })
            .collect();
        check(
            format!("bucket {}: events {declared:?}, code {defined:?}", def.name),
            declared == defined,
        );
    }

    // Functions, their triggers and routes.
    let functions = template.of_type("AWS::Serverless::Function");
    let binary = |meta: &Value| str_of(&meta["BuildProperties"]["Binary"]);
    let declared_functions: BTreeSet<String> =
        functions.iter().map(|(_, _, m)| binary(m)).collect();
    let defined_functions: BTreeSet<String> = FUNCTIONS.iter().map(|f| f.name.to_owned()).collect();
    check(
        format!("functions: template {declared_functions:?}, code {defined_functions:?}"),
        declared_functions == defined_functions,
    );
    let mut declared_routes = BTreeSet::new();
    for (_, props, meta) in &functions {
        let name = binary(meta);
        let events: Vec<&Value> = props["Events"]
            .as_mapping()
            .map(|m| m.values().collect())
            .unwrap_or_default();
        let queues: BTreeSet<String> = events
            .iter()
            .filter(|e| e["Type"].as_str() == Some("SQS"))
            .map(|e| {
                let partial = e["Properties"]["FunctionResponseTypes"]
                    .as_sequence()
                    .is_some_and(|t| {
                        t.iter()
                            .any(|t| t.as_str() == Some("ReportBatchItemFailures"))
                    });
                check(
                    format!("function {name}: SQS event without ReportBatchItemFailures"),
                    partial,
                );
                queue_name_of(&get_att_target(&e["Properties"]["Queue"]))
            })
            .collect();
        for e in events
            .iter()
            .filter(|e| e["Type"].as_str() == Some("HttpApi"))
        {
            declared_routes.insert((
                name.clone(),
                str_of(&e["Properties"]["Method"]).to_uppercase(),
                str_of(&e["Properties"]["Path"]),
            ));
        }
        if let Some(spec) = FUNCTIONS.iter().find(|f| f.name == name) {
            let schedules: BTreeSet<String> = events
                .iter()
                .filter(|e| e["Type"].as_str() == Some("Schedule"))
                .map(|e| str_of(&e["Properties"]["Schedule"]))
                .collect();
            let want_schedules: BTreeSet<String> = match spec.trigger {
                Trigger::Schedule { cron, .. } => [cron.to_owned()].into(),
                _ => BTreeSet::new(),
            };
            check(
                format!("function {name}: schedules {schedules:?}, code {want_schedules:?}"),
                schedules == want_schedules,
            );
            let want: BTreeSet<String> = match spec.trigger {
                Trigger::Http | Trigger::Authorizer | Trigger::Schedule { .. } => BTreeSet::new(),
                Trigger::Sqs(q) | Trigger::S3(q) => [q.def().name.to_owned()].into(),
            };
            check(
                format!("function {name}: consumes {queues:?}, code {want:?}"),
                queues == want,
            );
        }
    }
    let deps = Deps::new(
        &aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build(),
        Resources::new(
            Table::ALL
                .iter()
                .map(|t| (*t, t.def().name.to_owned()))
                .collect(),
            Queue::ALL
                .iter()
                .map(|q| (*q, format!("http://queue/{}", q.def().name)))
                .collect(),
            Bucket::ALL
                .iter()
                .map(|b| (*b, b.def().name.to_owned()))
                .collect(),
            String::new(),
        ),
        adapters::deps::Settings {
            public_url: String::new(),
            ereg: domain::stay::StayPolicy::default(),
            ework: domain::ework::FeePolicy::default(),
            permits: domain::ework::PermitPolicy::default(),
            nomads: domain::ework::nomad::NomadPolicy::default(),
            secrets: adapters::secrets::Secrets::all(
                domain::secrets::SecretKey::new(vec![0; 32]).unwrap(),
                Vec::new(),
                [0; 32],
            ),
        },
    );
    let defined_routes: BTreeSet<(String, String, String)> = dev_host::http_routes(&deps)
        .into_iter()
        .map(|r| (r.function.to_owned(), r.method, r.path))
        .collect();
    check(
        format!("routes: template {declared_routes:?}, code {defined_routes:?}"),
        declared_routes == defined_routes,
    );

    // The API's default authorizer is the authorizer function.
    let api = template.of_type("AWS::Serverless::HttpApi");
    let authorizer_binary = api.first().and_then(|(_, p, _)| {
        let auth = &p["Auth"];
        let default = auth["DefaultAuthorizer"].as_str()?;
        let logical = get_att_target(&auth["Authorizers"][default]["FunctionArn"]);
        let meta = &template.resources.get(logical.as_str())?["Metadata"];
        Some(binary(meta))
    });
    let defined_authorizer = FUNCTIONS
        .iter()
        .find(|f| f.trigger == Trigger::Authorizer)
        .map(|f| f.name.to_owned());
    check(
        format!("authorizer: template {authorizer_binary:?}, code {defined_authorizer:?}"),
        authorizer_binary == defined_authorizer,
    );

    // The variables that carry resource names to the functions.
    let env: BTreeSet<String> = template
        .globals_env
        .keys()
        .filter_map(|k| k.as_str().map(str::to_owned))
        .collect();
    let needed: Vec<&str> = Table::ALL
        .iter()
        .map(|t| t.env_var())
        .chain(Queue::ALL.iter().map(|q| q.env_var()))
        .chain(Bucket::ALL.iter().map(|b| b.env_var()))
        .chain(["MAIL_FROM", "PUBLIC_URL"])
        .collect();
    for var in needed {
        check(
            format!("environment: {var} is not set for the functions"),
            env.contains(var),
        );
    }
    for secret in Secret::ALL {
        check(
            format!(
                "environment: the secret {} is a global variable",
                secret.variable()
            ),
            !env.contains(secret.variable()) && !env.contains(&secret.id_variable()),
        );
    }
    for (_, props, meta) in &functions {
        let name = binary(meta);
        let (named, granted) = secrets_in(&template, props);
        let asked: BTreeSet<String> = dev_host::secrets_of(&name)
            .iter()
            .map(|s| s.id_variable())
            .collect();
        check(
            format!(
                "function {name}: secrets named {named:?}, granted {granted:?}, code {asked:?}"
            ),
            named == asked && granted == asked,
        );
    }
    problems
}

#[test]
fn the_template_declares_what_the_code_defines() {
    let problems = drift(TEMPLATE);
    assert!(
        problems.is_empty(),
        "infra/template.yaml drifted:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_gsi_changed_only_in_the_template_is_drift() {
    let changed = TEMPLATE.replacen("IndexName: by_status", "IndexName: by_state", 1);
    assert_ne!(changed, TEMPLATE);
    let problems = drift(&changed);
    assert!(
        problems.iter().any(|p| p.starts_with("table accounts")),
        "{problems:?}"
    );
}

#[test]
fn a_prefix_or_receive_count_changed_only_in_the_template_is_drift() {
    let changed = TEMPLATE.replacen("Value: passport/", "Value: passports/", 1);
    assert!(
        drift(&changed)
            .iter()
            .any(|p| p.starts_with("bucket uploads"))
    );
    let changed = TEMPLATE.replacen("maxReceiveCount: 5", "maxReceiveCount: 4", 1);
    assert!(
        drift(&changed)
            .iter()
            .any(|p| p.starts_with("queue notifications"))
    );
}

#[test]
fn a_secret_granted_to_a_function_that_does_not_ask_for_it_is_drift() {
    // The authorizer's block: it asks for the hashing key only.
    let authorizer = "SECRET_KEY_SECRET_ID: !Ref HashingKeySecret
      Policies:
        - AWSSecretsManagerGetSecretValuePolicy: { SecretArn: !Ref HashingKeySecret }
        - DynamoDBReadPolicy: { TableName: !Ref AccountsTable }";
    assert_eq!(TEMPLATE.matches(authorizer).count(), 1);
    let changed = TEMPLATE.replacen(
        authorizer,
        &authorizer.replacen(
            "\n      Policies:",
            "\n          PRINT_SIGNING_KEY_SECRET_ID: !Ref PrintSigningSecret\n      Policies:",
            1,
        ),
        1,
    );
    let problems = drift(&changed);
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("function authorizer: secrets")),
        "{problems:?}"
    );
}

#[test]
fn a_function_missing_from_the_template_is_drift() {
    let changed = TEMPLATE.replacen("Binary: notifications", "Binary: notifier", 1);
    assert!(drift(&changed).iter().any(|p| p.starts_with("functions:")));
}
