use lambda_runtime::{LambdaEvent, run, service_fn};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let deps = adapters::Deps::from_env(authorizer::SECRETS).await;
    let authorizer = authorizer::Authorizer::from_deps(&deps);
    run(service_fn(|event: LambdaEvent<_>| {
        let authorizer = authorizer.clone();
        async move { Ok::<_, lambda_runtime::Error>(authorizer.handle(event.payload).await) }
    }))
    .await
}
