use lambda_runtime::{LambdaEvent, run, service_fn};
use mrz_extract::Inspector;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let deps = adapters::Deps::from_env(mrz_extract::SECRETS).await;
    let inspector = Inspector::from_deps(&deps);
    run(service_fn(|event: LambdaEvent<_>| async {
        Ok::<_, lambda_runtime::Error>(inspector.handle(event.payload).await)
    }))
    .await
}
