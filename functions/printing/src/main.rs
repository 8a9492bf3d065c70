#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda_http::tracing::init_default_subscriber();
    let deps = adapters::Deps::from_env(printing::SECRETS).await;
    lambda_http::run(printing::app(&deps)).await
}
