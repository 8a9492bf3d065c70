use lambda_runtime::{LambdaEvent, run, service_fn};
use notifications::AwsNotifier;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let deps = adapters::Deps::from_env(notifications::SECRETS).await;
    let notifier = AwsNotifier::from_deps(&deps);
    run(service_fn(|event: LambdaEvent<_>| async {
        Ok::<_, lambda_runtime::Error>(notifier.handle(event.payload).await)
    }))
    .await
}
