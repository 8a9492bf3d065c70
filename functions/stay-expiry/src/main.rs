use lambda_runtime::{LambdaEvent, run, service_fn};
use stay_expiry::StayExpiry;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let deps = adapters::Deps::from_env(stay_expiry::SECRETS).await;
    let expiry = StayExpiry::from_deps(&deps);
    // The EventBridge schedule's event carries nothing this function needs.
    run(service_fn(|_: LambdaEvent<serde_json::Value>| async {
        expiry.run().await.map_err(lambda_runtime::Error::from)
    }))
    .await
}
