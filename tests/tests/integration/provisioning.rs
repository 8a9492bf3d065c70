//! Provisioning on the local endpoint: idempotent, and exactly the definitions.

use std::time::Duration;

use adapters::provision::{Plan, provision};
use adapters::{Bucket, Queue, Table};

use crate::helpers::*;

#[tokio::test]
async fn provisioning_twice_changes_nothing_and_keeps_data() {
    let host = spawn_env().await;
    let table = host.deps.resources.table(Table::Notifications).to_owned();
    host.deps
        .dynamo
        .put_item()
        .table_name(&table)
        .item(
            "id",
            aws_sdk_dynamodb::types::AttributeValue::S("kept".into()),
        )
        .send()
        .await
        .unwrap();

    let prefix = table.trim_end_matches("-notifications").to_owned();
    let sdk = adapters::deps::local_sdk_config(&endpoint()).await;
    let plan = Plan {
        prefix,
        mail_from: "no-reply@migration.test".into(),
        visibility_timeout_secs: Some(2),
    };
    let again = provision(&sdk, &plan)
        .await
        .expect("provisioning is idempotent");
    assert_eq!(again, host.deps.resources);

    let item = host
        .deps
        .dynamo
        .get_item()
        .table_name(&table)
        .key(
            "id",
            aws_sdk_dynamodb::types::AttributeValue::S("kept".into()),
        )
        .send()
        .await
        .unwrap();
    assert!(item.item.is_some(), "data survives a second provisioning");
}

#[tokio::test]
async fn tables_have_their_keys_indexes_and_ttl() {
    let host = spawn_env().await;
    for table in Table::ALL {
        let def = table.def();
        let name = host.deps.resources.table(table);
        let described = host
            .deps
            .dynamo
            .describe_table()
            .table_name(name)
            .send()
            .await
            .unwrap();
        let described = described.table.unwrap();
        let hash = described
            .key_schema()
            .iter()
            .find(|k| k.key_type().as_str() == "HASH")
            .unwrap();
        assert_eq!(hash.attribute_name(), def.pk.name);
        let mut gsis: Vec<String> = described
            .global_secondary_indexes()
            .iter()
            .filter_map(|g| g.index_name().map(str::to_owned))
            .collect();
        gsis.sort();
        let mut expected: Vec<String> = def.gsis.iter().map(|g| g.name.to_owned()).collect();
        expected.sort();
        assert_eq!(gsis, expected, "{name}");
        let ttl = host
            .deps
            .dynamo
            .describe_time_to_live()
            .table_name(name)
            .send()
            .await
            .unwrap();
        assert_eq!(
            ttl.time_to_live_description()
                .and_then(|d| d.attribute_name()),
            def.ttl,
            "{name}"
        );
    }
}

#[tokio::test]
async fn every_queue_has_a_dlq_with_its_max_receive_count() {
    let host = spawn_env().await;
    for queue in Queue::ALL {
        let url = host.queue_url(queue);
        let attrs = host
            .deps
            .sqs
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy)
            .send()
            .await
            .unwrap()
            .attributes
            .unwrap();
        let policy: serde_json::Value =
            serde_json::from_str(&attrs[&aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy])
                .unwrap();
        assert_eq!(
            policy["maxReceiveCount"].to_string().trim_matches('"'),
            queue.def().max_receive_count.to_string()
        );
        assert!(
            policy["deadLetterTargetArn"]
                .as_str()
                .unwrap()
                .ends_with(&format!("-{}", queue.dlq_name()))
        );
    }
}

#[tokio::test]
async fn uploads_reach_the_consumer_of_their_key_prefix() {
    let host = spawn_env().await;
    let bucket = host.deps.resources.bucket(Bucket::Uploads).to_owned();
    for key in [
        "photo/acc-1/p.jpg",
        "scan/acc-1/s.jpg",
        "passport/acc-1/p.jpg",
        "elsewhere/acc-1/x.jpg",
    ] {
        host.deps
            .s3
            .put_object()
            .bucket(&bucket)
            .key(key)
            .body(aws_sdk_s3::primitives::ByteStream::from_static(b"bytes"))
            .send()
            .await
            .unwrap();
    }
    // The image check receives photo/ and scan/ events, the zone reader passport/
    // events; both delete files nobody asked to upload. Other keys notify nobody.
    let left = eventually(Duration::from_secs(20), "the checks", || async {
        let listed = host
            .deps
            .s3
            .list_objects_v2()
            .bucket(&bucket)
            .send()
            .await
            .unwrap();
        let mut keys: Vec<String> = listed
            .contents()
            .iter()
            .filter_map(|o| o.key().map(str::to_owned))
            .collect();
        keys.sort();
        (keys.len() == 1).then_some(keys)
    })
    .await;
    assert_eq!(left, ["elsewhere/acc-1/x.jpg"]);
}
