#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda_http::tracing::init_default_subscriber();
    let deps = adapters::Deps::from_env(sign_up::SECRETS).await;
    lambda_http::run(sign_up::app(&deps)).await
}
