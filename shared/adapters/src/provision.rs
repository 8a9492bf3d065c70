//! Creates the resources of `resources.rs` on the local endpoint. Idempotent: running it
//! again converges to the definitions and keeps the data.

use anyhow::Context;
use aws_config::SdkConfig;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement,
    KeyType as DynKeyType, Projection, ProjectionType, ScalarAttributeType,
    TimeToLiveSpecification, TimeToLiveStatus,
};
use aws_sdk_s3::types::{
    Event, FilterRule, FilterRuleName, NotificationConfiguration, NotificationConfigurationFilter,
    QueueConfiguration, S3KeyFilter,
};
use aws_sdk_sqs::types::QueueAttributeName;

use crate::resources::{Bucket, Key, KeyType, Queue, Resources, Table, TableDef};

/// What to create: every name gets `prefix-`, so parallel test runs never share state.
#[derive(Debug, Clone)]
pub struct Plan {
    pub prefix: String,
    pub mail_from: String,
    /// Overrides every queue's visibility timeout, so retries and dead-lettering happen
    /// in seconds in tests instead of minutes.
    pub visibility_timeout_secs: Option<u32>,
}

impl Plan {
    pub fn name(&self, short: &str) -> String {
        format!("{}-{short}", self.prefix)
    }
}

/// Provisions everything and returns the names for `Deps`.
pub async fn provision(sdk: &SdkConfig, plan: &Plan) -> anyhow::Result<Resources> {
    let dynamo = aws_sdk_dynamodb::Client::new(sdk);
    let sqs = aws_sdk_sqs::Client::new(sdk);
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(sdk)
            .force_path_style(true)
            .build(),
    );
    let ses = aws_sdk_sesv2::Client::new(sdk);

    let mut tables = Vec::new();
    for table in Table::ALL {
        let name = plan.name(table.def().name);
        ensure_table(&dynamo, &name, &table.def())
            .await
            .with_context(|| format!("provisioning table {name}"))?;
        tables.push((table, name));
    }

    let registry = tables
        .iter()
        .find(|(t, _)| *t == Table::Registry)
        .map(|(_, name)| name.clone())
        .context("the registry table")?;
    crate::registry::DynamoRegistry::new(dynamo.clone(), registry)
        .seed(&crate::registry::registry_rows(
            crate::registry::REGISTRY_CSV,
        )?)
        .await
        .context("seeding the property registry")?;

    let border = tables
        .iter()
        .find(|(t, _)| *t == Table::Border)
        .map(|(_, name)| name.clone())
        .context("the border table")?;
    let (people, visas) = crate::border::border_rows(
        crate::border::PEOPLE_CSV,
        crate::border::VISAS_CSV,
        domain::clock::today_in_bishkek(),
    )?;
    crate::border::DynamoBorder::new(dynamo.clone(), border)
        .seed(&people, &visas)
        .await
        .context("seeding the border service and the visa registry")?;

    let mut queue_urls = Vec::new();
    let mut queue_arns = Vec::new();
    for queue in Queue::ALL {
        let (url, arn) = ensure_queue(&sqs, plan, queue)
            .await
            .with_context(|| format!("provisioning queue {}", plan.name(queue.def().name)))?;
        queue_urls.push((queue, url));
        queue_arns.push((queue, arn));
    }

    let mut buckets = Vec::new();
    for bucket in Bucket::ALL {
        let name = plan.name(bucket.def().name);
        ensure_bucket(&s3, &name, bucket, &queue_arns)
            .await
            .with_context(|| format!("provisioning bucket {name}"))?;
        buckets.push((bucket, name));
    }

    ensure_sender_identity(&ses, &plan.mail_from)
        .await
        .context("verifying the email sender identity")?;

    Ok(Resources::new(
        tables,
        queue_urls,
        buckets,
        plan.mail_from.clone(),
    ))
}

fn key_element(key: &Key, kind: DynKeyType) -> KeySchemaElement {
    KeySchemaElement::builder()
        .attribute_name(key.name)
        .key_type(kind)
        .build()
        .expect("key schema element has its fields")
}

fn key_schema(pk: &Key, sk: Option<&Key>) -> Vec<KeySchemaElement> {
    let mut schema = vec![key_element(pk, DynKeyType::Hash)];
    schema.extend(sk.map(|sk| key_element(sk, DynKeyType::Range)));
    schema
}

async fn ensure_table(
    client: &aws_sdk_dynamodb::Client,
    name: &str,
    def: &TableDef,
) -> anyhow::Result<()> {
    let exists = match client.describe_table().table_name(name).send().await {
        Ok(_) => true,
        Err(err)
            if err
                .as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception()) =>
        {
            false
        }
        Err(err) => return Err(err.into()),
    };
    if !exists {
        let mut keys: Vec<&Key> = vec![&def.pk];
        keys.extend(def.sk.as_ref());
        for gsi in def.gsis {
            keys.push(&gsi.pk);
            keys.extend(gsi.sk.as_ref());
        }
        keys.sort_by_key(|k| k.name);
        keys.dedup_by_key(|k| k.name);
        let mut request = client
            .create_table()
            .table_name(name)
            .billing_mode(BillingMode::PayPerRequest)
            .set_key_schema(Some(key_schema(&def.pk, def.sk.as_ref())));
        for key in keys {
            let kind = match key.kind {
                KeyType::S => ScalarAttributeType::S,
                KeyType::N => ScalarAttributeType::N,
            };
            request = request.attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(key.name)
                    .attribute_type(kind)
                    .build()?,
            );
        }
        for gsi in def.gsis {
            request = request.global_secondary_indexes(
                GlobalSecondaryIndex::builder()
                    .index_name(gsi.name)
                    .set_key_schema(Some(key_schema(&gsi.pk, gsi.sk.as_ref())))
                    .projection(
                        Projection::builder()
                            .projection_type(ProjectionType::All)
                            .build(),
                    )
                    .build()?,
            );
        }
        match request.send().await {
            Ok(_) => {}
            // Another process created it between our describe and create.
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_in_use_exception()) => {}
            Err(err) => return Err(err.into()),
        }
    }
    if let Some(attribute) = def.ttl {
        let current = client
            .describe_time_to_live()
            .table_name(name)
            .send()
            .await?;
        let enabled = current
            .time_to_live_description()
            .and_then(|d| d.time_to_live_status())
            .is_some_and(|s| matches!(s, TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling));
        if !enabled {
            client
                .update_time_to_live()
                .table_name(name)
                .time_to_live_specification(
                    TimeToLiveSpecification::builder()
                        .attribute_name(attribute)
                        .enabled(true)
                        .build()?,
                )
                .send()
                .await?;
        }
    }
    Ok(())
}

/// Creates the queue and its DLQ and sets their attributes; returns the queue's URL and ARN.
async fn ensure_queue(
    client: &aws_sdk_sqs::Client,
    plan: &Plan,
    queue: Queue,
) -> anyhow::Result<(String, String)> {
    let def = queue.def();
    let (_, dlq_arn) = create_queue(client, &plan.name(&queue.dlq_name())).await?;
    let (url, arn) = create_queue(client, &plan.name(def.name)).await?;
    let retention_secs = def.dlq_retention_days * 24 * 3600;
    client
        .set_queue_attributes()
        .queue_url(client_url(client, &plan.name(&queue.dlq_name())).await?)
        .attributes(
            QueueAttributeName::MessageRetentionPeriod,
            retention_secs.to_string(),
        )
        .send()
        .await?;
    let redrive = serde_json::json!({
        "deadLetterTargetArn": dlq_arn,
        "maxReceiveCount": def.max_receive_count,
    });
    let visibility = plan
        .visibility_timeout_secs
        .unwrap_or(def.visibility_timeout_secs);
    client
        .set_queue_attributes()
        .queue_url(&url)
        .attributes(
            QueueAttributeName::VisibilityTimeout,
            visibility.to_string(),
        )
        .attributes(QueueAttributeName::RedrivePolicy, redrive.to_string())
        .send()
        .await?;
    Ok((url, arn))
}

async fn create_queue(
    client: &aws_sdk_sqs::Client,
    name: &str,
) -> anyhow::Result<(String, String)> {
    // CreateQueue without attributes is idempotent; attributes are set afterwards.
    let url = client
        .create_queue()
        .queue_name(name)
        .send()
        .await?
        .queue_url
        .context("CreateQueue returned no URL")?;
    let arn = client
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await?
        .attributes
        .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
        .context("GetQueueAttributes returned no ARN")?;
    Ok((url, arn))
}

async fn client_url(client: &aws_sdk_sqs::Client, name: &str) -> anyhow::Result<String> {
    client
        .get_queue_url()
        .queue_name(name)
        .send()
        .await?
        .queue_url
        .context("GetQueueUrl returned no URL")
}

async fn ensure_bucket(
    client: &aws_sdk_s3::Client,
    name: &str,
    bucket: Bucket,
    queue_arns: &[(Queue, String)],
) -> anyhow::Result<()> {
    match client.create_bucket().bucket(name).send().await {
        Ok(_) => {}
        Err(err)
            if err.as_service_error().is_some_and(|e| {
                e.is_bucket_already_owned_by_you() || e.is_bucket_already_exists()
            }) => {}
        Err(err) => return Err(err.into()),
    }
    let mut config = NotificationConfiguration::builder();
    for route in bucket.def().on_object_created {
        let arn = queue_arns
            .iter()
            .find(|(q, _)| *q == route.queue)
            .map(|(_, arn)| arn.clone())
            .context("bucket notification names a queue that was not provisioned")?;
        config = config.queue_configurations(
            QueueConfiguration::builder()
                .id(format!(
                    "{}-{}",
                    route.queue.def().name,
                    route.prefix.trim_end_matches('/')
                ))
                .queue_arn(arn)
                .events(Event::S3ObjectCreated)
                .filter(
                    NotificationConfigurationFilter::builder()
                        .key(
                            S3KeyFilter::builder()
                                .filter_rules(
                                    FilterRule::builder()
                                        .name(FilterRuleName::Prefix)
                                        .value(route.prefix)
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .build()?,
        );
    }
    client
        .put_bucket_notification_configuration()
        .bucket(name)
        .notification_configuration(config.build())
        .send()
        .await?;
    Ok(())
}

/// SES sends only from verified identities (the sandbox rule); the local endpoint
/// enforces the same, so the sender's domain is created as an identity.
async fn ensure_sender_identity(
    client: &aws_sdk_sesv2::Client,
    mail_from: &str,
) -> anyhow::Result<()> {
    let domain = mail_from
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>'))
        .context("MAIL_FROM has no domain")?;
    match client
        .create_email_identity()
        .email_identity(domain)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(err)
            if err
                .as_service_error()
                .is_some_and(|e| e.is_already_exists_exception()) =>
        {
            Ok(())
        }
        Err(err) => Err(err.into()),
    }
}
