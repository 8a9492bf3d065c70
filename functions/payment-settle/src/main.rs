use lambda_runtime::{LambdaEvent, run, service_fn};
use payment_settle::Settler;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let deps = adapters::Deps::from_env(payment_settle::SECRETS).await;
    let settler = Settler::from_deps(&deps);
    run(service_fn(|event: LambdaEvent<_>| async {
        Ok::<_, lambda_runtime::Error>(settler.handle(event.payload).await)
    }))
    .await
}
