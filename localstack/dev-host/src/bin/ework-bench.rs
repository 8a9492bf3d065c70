//! `ework-bench`: latency of submitting a quota application and of a labour operator's
//! decision on it, over HTTP through a dev host of its own (fresh resources under a
//! random prefix on the local endpoint). It signs up an employer, has a labour operator
//! activate it (reading the links from the emulator's record of sent email), then times
//! N submissions one after another and N confirmations.
//!
//! ```sh
//! ./localstack/emulator.sh start
//! cargo run --release --bin ework-bench -- --applications 200
//! ```

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use dev_host::{Config, DevHost};
use serde_json::{Value, json};

const PASSWORD: &str = "Kok-Jar7ly!";

/// A client of one dev host and the emulator behind it.
struct Bench {
    http: reqwest::Client,
    url: String,
    endpoint: String,
    key: domain::secrets::SecretKey,
}

impl Bench {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> anyhow::Result<(u16, Value)> {
        let mut request = self.http.request(method, format!("{}{path}", self.url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        Ok((status, response.json().await.unwrap_or(Value::Null)))
    }

    async fn expect(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        want: u16,
    ) -> anyhow::Result<Value> {
        let (status, answer) = self.call(method, path, token, body).await?;
        if status != want {
            bail!("{path}: {status} {answer}");
        }
        Ok(answer)
    }

    async fn sign_in(&self, login: &str, password: &str) -> anyhow::Result<String> {
        let session = self
            .expect(
                reqwest::Method::POST,
                "/v1/sessions",
                None,
                Some(&json!({"login": login, "password": password})),
                201,
            )
            .await?;
        Ok(session["token"].as_str().context("a token")?.to_owned())
    }

    /// The first link in the newest email to `to` whose subject contains `subject`.
    async fn link(&self, to: &str, subject: &str) -> anyhow::Result<String> {
        for _ in 0..100 {
            let url = reqwest::Url::parse_with_params(
                &format!("{}/_aws/ses", self.endpoint),
                [("to", to)],
            )?;
            let sent: Value = self.http.get(url).send().await?.json().await?;
            let html = sent["messages"]
                .as_array()
                .into_iter()
                .flatten()
                .rev()
                .find_map(|m| {
                    m["Subject"].as_str().filter(|s| s.contains(subject))?;
                    m["Body"]["html_part"].as_str().map(str::to_owned)
                });
            if let Some(html) = html {
                let start = html.find("href=\"").context("a link")? + 6;
                let end = start + html[start..].find('"').context("a link's end")?;
                return Ok(html[start..end]
                    .replace("&#x2f;", "/")
                    .replace("&amp;", "&"));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        bail!("no email to {to} about {subject}")
    }

    /// A labour operator the admin created, with the password set by link: its token.
    async fn labour_operator(&self, admin: &str) -> anyhow::Result<String> {
        let email = format!("op{}@mail.kg", domain::secrets::random_code(8));
        let login = format!("op{}", domain::secrets::random_code(8));
        let form = json!({"role": "labour_operator", "login": login, "email": email, "phone": "+996312610000",
            "surname": "Осмонова", "given_names": "Жылдыз", "lang": "en"});
        self.expect(
            reqwest::Method::POST,
            "/v1/operators",
            Some(admin),
            Some(&form),
            201,
        )
        .await?;
        let link = self.link(&email, "Set the password").await?;
        let token = link.split("token=").nth(1).context("a token in the link")?;
        let body = json!({"token": token, "password": PASSWORD, "password_repeat": PASSWORD});
        let (status, answer) = self
            .call(
                reqwest::Method::POST,
                "/v1/password-resets/complete",
                None,
                Some(&body),
            )
            .await?;
        if !(200..300).contains(&status) {
            bail!("setting the operator's password: {status} {answer}");
        }
        self.sign_in(&login, PASSWORD).await
    }

    /// An employer signed up, confirmed and activated by `labour`: its token.
    async fn employer(&self, labour: &str) -> anyhow::Result<String> {
        let challenge = self
            .expect(reqwest::Method::POST, "/v1/challenges", None, None, 201)
            .await?;
        let id = challenge["challenge_id"]
            .as_str()
            .context("a challenge id")?;
        let answer = domain::challenge::answer(
            &self.key,
            &domain::challenge::ChallengeId::parse(id).context("challenge id")?,
        );
        let email = format!("emp{}@mail.kg", domain::secrets::random_code(8));
        let login = format!("emp{}", domain::secrets::random_code(8));
        let form = json!({
            "type": "employer", "consent": true, "challenge_id": id, "challenge_answer": answer,
            "email": email, "login": login, "lang": "en", "password": PASSWORD, "password_repeat": PASSWORD,
            "representative_surname": "Asanova", "representative_name": "Aigerim",
            "legal_name": "Ala-Too Kurulush LLC", "registration_number": "123456-3301-OOO",
            "tax_id": "01234567891234", "founders": "Asanova A.", "activity": "Construction",
            "legal_address": "158 Toktogul Street, Bishkek", "actual_address": "158 Toktogul Street, Bishkek",
            "phones": ["+996312123456"]
        });
        self.expect(
            reqwest::Method::POST,
            "/v1/accounts",
            None,
            Some(&form),
            202,
        )
        .await?;
        let confirm = self.link(&email, "Confirm").await?;
        self.http.get(&confirm).send().await?.error_for_status()?;
        let waiting = self
            .expect(
                reqwest::Method::GET,
                "/v1/operator/accounts",
                Some(labour),
                None,
                200,
            )
            .await?;
        let account = waiting["accounts"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|a| a["email"] == email.as_str())
            .context("the employer waits")?;
        let id = account["account_id"].as_str().context("an account id")?;
        self.expect(
            reqwest::Method::POST,
            &format!("/v1/operator/accounts/{id}/activation"),
            Some(labour),
            None,
            200,
        )
        .await?;
        self.sign_in(&login, PASSWORD).await
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut count = 200;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--applications" => count = value.parse()?,
            other => bail!("unknown flag {other}; use [--applications N]"),
        }
    }
    let endpoint =
        std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://127.0.0.1:4566".into());
    let key = domain::secrets::SecretKey::new(hex::decode(domain::secrets::random_token())?)
        .map_err(anyhow::Error::msg)?;
    let admin_password = "Adm1n-Bench-Pass";
    let host = DevHost::start(Config {
        endpoint: endpoint.clone(),
        bind: "127.0.0.1:0".parse()?,
        prefix: format!("bench{}", &domain::secrets::random_token()[..8]),
        mail_from: "no-reply@migration.local".into(),
        visibility_timeout_secs: Some(5),
        poll_wait_secs: 1,
        secret_key: key.clone(),
        public_url: None,
        admin: Some(operators::AdminSeed {
            login: "admin".into(),
            password: admin_password.into(),
            email: "admin@migration.local".into(),
            phone: "+996312000000".into(),
        }),
        ereg: Default::default(),
        ework: Default::default(),
        portal: None,
    })
    .await?;
    let bench = Bench {
        http: reqwest::Client::new(),
        url: host.url(),
        endpoint,
        key,
    };
    let admin = bench.sign_in("admin", admin_password).await?;
    let labour = bench.labour_operator(&admin).await?;
    let employer = bench.employer(&labour).await?;

    let form = json!({
        "total": 6,
        "rows": [{"country": "CHN", "position": "Welder", "count": 3}, {"country": "TUR", "position": "Site engineer", "count": 2}, {"country": "UZB", "position": "Cook", "count": 1}],
        "reasons": "No certified welders among local applicants",
        "tax_payments": {"monthly": ["120000", "118500.50", "121000", "119999.99", "125000", "130000"]},
        "social_fund_payments": {"none_reason": "Registered this year"},
        "appeal": "We ask for six quotas", "local_staff_total": 40, "local_managers": 5, "local_workers": 33,
        "vacancies": 4, "earlier_applications": 2, "foreign_workers_two_years_ago": 3, "foreign_workers_last_year": 5
    });
    let mut submits = Vec::with_capacity(count);
    let mut numbers = Vec::with_capacity(count);
    for _ in 0..count {
        let started = Instant::now();
        let submitted = bench
            .expect(
                reqwest::Method::POST,
                "/v1/quota-applications",
                Some(&employer),
                Some(&form),
                201,
            )
            .await?;
        submits.push(started.elapsed());
        numbers.push(submitted["number"].as_str().context("a number")?.to_owned());
    }
    let allocation = json!({"protocol_number": "17/2026", "decision_date": domain::clock::today_in_bishkek().to_string(), "allocated": [2, 0, 1]});
    let mut decisions = Vec::with_capacity(count);
    for number in &numbers {
        let path = format!("/v1/operator/applications/{number}/confirm");
        let started = Instant::now();
        bench
            .expect(
                reqwest::Method::POST,
                &path,
                Some(&labour),
                Some(&allocation),
                200,
            )
            .await?;
        decisions.push(started.elapsed());
    }
    println!(
        "submit a quota application: {}",
        dev_host::percentiles(submits, "requests")
    );
    println!(
        "confirm with an allocation: {}",
        dev_host::percentiles(decisions, "requests")
    );
    host.stop().await;
    Ok(())
}
