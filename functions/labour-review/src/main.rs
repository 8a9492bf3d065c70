#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda_http::tracing::init_default_subscriber();
    let deps = adapters::Deps::from_env(labour_review::SECRETS).await;
    lambda_http::run(labour_review::app(&deps)).await
}
