use image_check::ImageCheck;
use lambda_runtime::{LambdaEvent, run, service_fn};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let deps = adapters::Deps::from_env().await;
    let check = ImageCheck::from_deps(&deps).reading_zones(mrz_extract::read);
    run(service_fn(|event: LambdaEvent<_>| async {
        Ok::<_, lambda_runtime::Error>(check.handle(event.payload).await)
    }))
    .await
}
