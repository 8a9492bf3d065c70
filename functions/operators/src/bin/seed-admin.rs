//! Creates the admin account of a deployed stack from `ADMIN_LOGIN`, `ADMIN_PASSWORD`,
//! `ADMIN_EMAIL` and `ADMIN_PHONE`, with the same table variables the functions read.
//! An existing admin login is left as it is.

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let deps = adapters::Deps::from_env(&[]).await;
    match operators::seed_admin_from_env(&deps).await? {
        Some(true) => println!("admin created"),
        Some(false) => println!("admin exists; left as it is"),
        None => anyhow::bail!(
            "set ADMIN_PASSWORD (and optionally ADMIN_LOGIN, ADMIN_EMAIL, ADMIN_PHONE)"
        ),
    }
    Ok(())
}
