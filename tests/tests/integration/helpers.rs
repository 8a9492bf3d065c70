//! Test environment: a dev host of its own per test (its own tables, bucket and queues
//! under a unique prefix) on the shared local endpoint, and readers of what the
//! emulator sent.

use std::sync::Arc;
use std::time::{Duration, Instant};

use adapters::Queue;
use dev_host::{Config, DevHost};
use serde_json::Value;

pub fn endpoint() -> String {
    std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://127.0.0.1:4566".into())
}

/// Starts a dev host with fresh resources. Queues retry after 2 s, so redelivery and
/// dead-lettering take seconds.
pub async fn spawn_env() -> DevHost {
    spawn_env_with(|_| {}).await
}

/// [`spawn_env`] with the configuration changed by `adjust` first.
pub async fn spawn_env_with(adjust: impl FnOnce(&mut Config)) -> DevHost {
    static LOGS: std::sync::Once = std::sync::Once::new();
    LOGS.call_once(|| {
        // The host's logs, shown by the test runner for a failing test.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter(tracing_subscriber::EnvFilter::new("warn,invocation=off"))
            .try_init();
    });
    let prefix = format!("t{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let mut config = Config {
        endpoint: endpoint(),
        bind: "127.0.0.1:0".parse().unwrap(),
        prefix,
        mail_from: "no-reply@migration.test".into(),
        visibility_timeout_secs: Some(2),
        poll_wait_secs: 1,
        secret_key: test_key(),
        public_url: None,
        ereg: domain::stay::StayPolicy::default(),
        admin: Some(operators::AdminSeed {
            login: "admin".into(),
            password: ADMIN_PASSWORD.into(),
            email: unique_email(),
            phone: "+996312000000".into(),
        }),
    };
    adjust(&mut config);
    DevHost::start(config)
        .await
        .expect("the dev host starts; is the emulator running? (localstack/emulator.sh start)")
}

/// The password of every test host's admin (login `admin`).
pub const ADMIN_PASSWORD: &str = "Adm1n-Test-Pass";

/// The key every test host uses, so tests can compute challenge answers as the
/// server does.
pub fn test_key() -> domain::secrets::SecretKey {
    domain::secrets::SecretKey::new(b"integration-tests-secret-key-0123456789".to_vec()).unwrap()
}

/// A unique mailbox, so tests never read each other's mail.
pub fn unique_email() -> String {
    format!("u{}@mail.kg", uuid::Uuid::new_v4().simple())
}

/// A valid Kyrgyz mobile number unlikely to repeat between tests.
pub fn unique_phone() -> String {
    let n = uuid::Uuid::new_v4().as_u128() % 1_000_000;
    format!("+996700{n:06}")
}

/// A message as the emulator recorded it.
#[derive(Debug, Clone)]
pub struct SentEmail {
    pub subject: String,
    pub html: String,
}

/// The emulator's record of everything. Building it costs the emulator more as tests
/// add tables and messages, so concurrent waiters share one copy up to half a second
/// old. It is built while other tests write, and now and then fails half-way; a moment
/// later it answers.
async fn emulator_data() -> Arc<Value> {
    type Snapshot = Option<(Instant, Arc<Value>)>;
    static SHARED: std::sync::OnceLock<tokio::sync::Mutex<Snapshot>> = std::sync::OnceLock::new();
    let mut shared = SHARED
        .get_or_init(|| tokio::sync::Mutex::new(None))
        .lock()
        .await;
    if let Some((at, data)) = shared.as_ref()
        && at.elapsed() < Duration::from_millis(500)
    {
        return data.clone();
    }
    let url = format!("{}/moto-api/data.json", endpoint());
    for _ in 0..20 {
        let response = reqwest::get(&url).await.expect("the emulator answers");
        if let Ok(data) = response.json::<Value>().await {
            let data = Arc::new(data);
            *shared = Some((Instant::now(), data.clone()));
            return data;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not answer JSON in 20 tries");
}

/// Every email the emulator sent to `to`.
pub async fn emails_to(to: &str) -> Vec<SentEmail> {
    let data = emulator_data().await;
    data["ses"]["Message"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| {
            m["destinations"]["ToAddresses"]
                .as_array()
                .is_some_and(|a| a.iter().any(|d| d == to))
        })
        .map(|m| SentEmail {
            subject: m["subject"].as_str().unwrap_or_default().to_owned(),
            html: m["body"].as_str().unwrap_or_default().to_owned(),
        })
        .collect()
}

/// Every SMS text the emulator sent to `to`.
pub async fn sms_to(to: &str) -> Vec<String> {
    let data = emulator_data().await;
    data["sns"]["SMS"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["phone_number"] == to)
        .map(|m| m["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Polls `check` until it returns `Some`, or panics with `what` after `timeout`.
pub async fn eventually<T, F, Fut>(timeout: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Messages in a queue, visible or in flight.
pub async fn queue_depth(host: &DevHost, url: &str) -> u64 {
    use aws_sdk_sqs::types::QueueAttributeName as A;
    let attrs = host
        .deps
        .sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(A::ApproximateNumberOfMessages)
        .attribute_names(A::ApproximateNumberOfMessagesNotVisible)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap_or_default();
    [
        A::ApproximateNumberOfMessages,
        A::ApproximateNumberOfMessagesNotVisible,
    ]
    .iter()
    .map(|a| {
        attrs
            .get(a)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    })
    .sum()
}

/// The URL of a queue's dead-letter queue.
pub async fn dlq_url(host: &DevHost, queue: Queue) -> String {
    let main = host.queue_url(queue);
    let name = main.rsplit('/').next().unwrap();
    host.deps
        .sqs
        .get_queue_url()
        .queue_name(format!("{name}-dlq"))
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap()
}

/// Reads (and deletes) every message now in a queue.
pub async fn drain(host: &DevHost, url: &str) -> Vec<String> {
    let mut bodies = Vec::new();
    loop {
        let out = host
            .deps
            .sqs
            .receive_message()
            .queue_url(url)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .send()
            .await
            .unwrap();
        let messages = out.messages.unwrap_or_default();
        if messages.is_empty() {
            return bodies;
        }
        for m in messages {
            bodies.push(m.body.clone().unwrap_or_default());
            host.deps
                .sqs
                .delete_message()
                .queue_url(url)
                .set_receipt_handle(m.receipt_handle)
                .send()
                .await
                .unwrap();
        }
    }
}

/// One JSON call to the dev host, in English, with a session token if given: the status
/// and the body (`Null` when there is none).
pub async fn api(
    host: &DevHost,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    api_lang(host, method, path, token, body, "en").await
}

/// [`api`] in the language `lang` (`ky`, `ru` or `en`).
pub async fn api_lang(
    host: &DevHost,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
    lang: &str,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", host.url()))
        .header("accept-language", lang);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Signs in and returns the session token; panics unless it succeeds.
pub async fn session(host: &DevHost, login: &str, password: &str) -> String {
    let (status, body) = api(
        host,
        reqwest::Method::POST,
        "/v1/sessions",
        None,
        Some(&serde_json::json!({"login": login, "password": password})),
    )
    .await;
    assert_eq!(status, 201, "sign-in of {login}: {body}");
    body["token"].as_str().unwrap().to_owned()
}
