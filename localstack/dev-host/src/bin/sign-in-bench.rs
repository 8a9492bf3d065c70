//! `sign-in-bench`: latency of signing in, and of an authorized read, through a running
//! dev host. It registers and activates an ereg host over HTTP first (reading the
//! activation code from the emulator's record of sent SMS).
//!
//! ```sh
//! SECRET_KEY=$(openssl rand -hex 32) ./localstack/run.sh     # or target/release/dev-host
//! SECRET_KEY=<the same> target/release/sign-in-bench --runs 200
//! ```

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

struct Args {
    url: String,
    endpoint: String,
    runs: usize,
    key: domain::secrets::SecretKey,
}

fn args() -> anyhow::Result<Args> {
    let mut url = "http://127.0.0.1:3000".to_owned();
    let mut runs = 200;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--url" => url = value,
            "--runs" => runs = value.parse()?,
            other => bail!("unknown flag {other}; use [--url URL] [--runs N]"),
        }
    }
    let key = hex::decode(std::env::var("SECRET_KEY").context("SECRET_KEY: the dev host's key")?)?;
    Ok(Args {
        url,
        endpoint: std::env::var("AWS_ENDPOINT_URL")
            .unwrap_or_else(|_| "http://127.0.0.1:4566".into()),
        runs,
        key: domain::secrets::SecretKey::new(key).map_err(anyhow::Error::msg)?,
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = args()?;
    let client = reqwest::Client::new();
    let suffix = domain::secrets::random_code(6);
    let email = format!("bench{suffix}@mail.kg");
    let phone = format!("+996700{suffix}");
    let password = "Tash-Rabat#1994";

    let challenge: Value = client
        .post(format!("{}/v1/challenges", args.url))
        .send()
        .await?
        .json()
        .await?;
    let id = challenge["challenge_id"]
        .as_str()
        .context("no challenge id")?;
    let answer = domain::challenge::answer(
        &args.key,
        &domain::challenge::ChallengeId::parse(id).context("challenge id")?,
    );
    let form = json!({
        "type": "host_citizen", "consent": true, "challenge_id": id, "challenge_answer": answer,
        "email": email, "phone": phone, "password": password, "password_repeat": password,
        "surname": "Bench", "given_names": "Mark", "birth_date": "1990-05-15", "sex": "M",
        "document_country": "KGZ", "document_number": "AC1234567", "document_issued": "2020-01-10",
        "document_expires": "2030-01-09", "personal_number": "21505199012345"
    });
    let response = client
        .post(format!("{}/v1/accounts", args.url))
        .json(&form)
        .send()
        .await?;
    if response.status() != 202 {
        bail!("registration failed: {}", response.text().await?);
    }
    let code = loop {
        let url = reqwest::Url::parse_with_params(
            &format!("{}/_aws/sns/sms-messages", args.endpoint),
            [("phoneNumber", phone.as_str())],
        )?;
        let sent: Value = client.get(url).send().await?.json().await?;
        let code = sent["sms_messages"][phone.as_str()]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|m| {
                m["Message"]
                    .as_str()?
                    .split(|c: char| !c.is_ascii_digit())
                    .find(|p| p.len() == 6)
                    .map(str::to_owned)
            });
        if let Some(code) = code {
            break code;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let response = client
        .post(format!("{}/v1/accounts/activation", args.url))
        .json(&json!({"email": email, "code": code}))
        .send()
        .await?;
    if response.status() != 200 {
        bail!("activation failed: {}", response.text().await?);
    }

    let mut sign_ins = Vec::with_capacity(args.runs);
    let mut reads = Vec::with_capacity(args.runs);
    for _ in 0..args.runs {
        let started = Instant::now();
        let response = client
            .post(format!("{}/v1/sessions", args.url))
            .json(&json!({"login": email, "password": password}))
            .send()
            .await?;
        let session: Value = response.json().await?;
        sign_ins.push(started.elapsed());
        let token = session["token"].as_str().context("no token")?;
        let started = Instant::now();
        let response = client
            .get(format!("{}/v1/me", args.url))
            .bearer_auth(token)
            .send()
            .await?;
        if response.status() != 200 {
            bail!("GET /v1/me answered {}", response.status());
        }
        response.bytes().await?;
        reads.push(started.elapsed());
    }
    println!(
        "sign-in (POST /v1/sessions): {}",
        dev_host::percentiles(sign_ins, "requests")
    );
    println!(
        "authorized read (GET /v1/me): {}",
        dev_host::percentiles(reads, "requests")
    );
    Ok(())
}
