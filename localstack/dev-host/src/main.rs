//! `dev-host`: the whole system on one machine against the local AWS endpoint.

use std::net::SocketAddr;

use anyhow::Context;
use dev_host::{Config, DevHost};

/// `SECRET_KEY` (hex) when set; otherwise a fresh random key, so codes and links sent
/// before a restart stop working, as they should on a developer's machine.
fn secret_key() -> anyhow::Result<domain::secrets::SecretKey> {
    let bytes = match std::env::var("SECRET_KEY") {
        Ok(hex) => hex::decode(hex).context("SECRET_KEY is not hex")?,
        Err(_) => hex::decode(domain::secrets::random_token())?,
    };
    domain::secrets::SecretKey::new(bytes).map_err(anyhow::Error::msg)
}

/// The admin from `ADMIN_*` variables; without `ADMIN_PASSWORD`, a fresh password that
/// is printed once at start.
fn admin_seed() -> operators::AdminSeed {
    operators::AdminSeed::from_env().unwrap_or_else(|| {
        let token = domain::secrets::random_token();
        // Upper, lower, digit and symbol, as the password policy asks.
        let password = format!("Adm-{}-{}K7", &token[..10], &token[10..16]);
        operators::AdminSeed {
            login: std::env::var("ADMIN_LOGIN").unwrap_or_else(|_| "admin".into()),
            password,
            email: std::env::var("ADMIN_EMAIL").unwrap_or_else(|_| "admin@migration.gov.kg".into()),
            phone: std::env::var("ADMIN_PHONE").unwrap_or_else(|_| "+996312000000".into()),
        }
    })
}

/// The web portal's files: `WEB_ROOT`, or the checkout's `web/`.
fn portal_root() -> std::path::PathBuf {
    std::env::var_os("WEB_ROOT")
        .map(Into::into)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../web").into())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,aws_config=warn,aws_smithy_runtime=warn".into()),
        )
        .init();

    let var =
        |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    let bind: SocketAddr = var("DEV_HOST_ADDR", "127.0.0.1:3000")
        .parse()
        .context("DEV_HOST_ADDR is not an address:port")?;
    let config = Config {
        endpoint: var("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
        bind,
        prefix: var("RESOURCE_PREFIX", "mig-local"),
        mail_from: var("MAIL_FROM", "no-reply@migration.local"),
        visibility_timeout_secs: None,
        poll_wait_secs: 20,
        secret_key: secret_key()?,
        public_url: std::env::var("PUBLIC_URL").ok(),
        ereg: adapters::deps::ereg_policy(|name| std::env::var(name).ok()),
        ework: adapters::deps::ework_fee_policy(|name| std::env::var(name).ok()),
        portal: Some(portal_root()),
        admin: Some(admin_seed()),
    };
    let host = DevHost::start(config.clone()).await?;
    let url = host.url();
    println!();
    println!("  Migration e-services are running: open the portal at {url}/");
    println!("    health:         {url}/health");
    println!("    API (OpenAPI):  {url}/openapi.json");
    println!(
        "    AWS endpoint:   {}  (resources prefixed '{}-')",
        config.endpoint, config.prefix
    );
    println!(
        "    sent email: {}/_aws/ses  SMS: {}/_aws/sns/sms-messages",
        config.endpoint, config.endpoint
    );
    if let Some(admin) = &config.admin {
        println!(
            "  Admin: POST {url}/v1/sessions with login '{}' and password '{}'",
            admin.login, admin.password
        );
        println!("         (set ADMIN_PASSWORD to choose it; an existing admin keeps its own)");
    }
    println!("  Press Ctrl-C to stop.");
    println!();

    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    host.stop().await;
    Ok(())
}
