//! The test host: a dev host of its own per test (its own tables, bucket and queues
//! under a unique prefix) on the shared local endpoint, and the HTTP and queue calls
//! every suite makes of it.

use std::time::Duration;

use adapters::{Deps, Queue};
use dev_host::{Config, DevHost};
use reqwest::Method;
use serde_json::{Value, json};

/// The local AWS endpoint the tests run against.
pub fn endpoint() -> String {
    std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://127.0.0.1:4566".into())
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

/// A dev host started for one test. It dereferences to the [`DevHost`], so
/// `host.deps`, `host.url()` and `host.queue_url(...)` work as on the dev host itself;
/// the methods here and in the other helper modules are the calls tests make of it.
pub struct TestHost {
    dev: DevHost,
}

impl std::ops::Deref for TestHost {
    type Target = DevHost;

    fn deref(&self) -> &DevHost {
        &self.dev
    }
}

/// Starts a test host with fresh resources. Queues retry after 2 s, so redelivery and
/// dead-lettering take seconds.
pub async fn spawn_env() -> TestHost {
    spawn_env_with(|_| {}).await
}

/// [`spawn_env`] with the configuration changed by `adjust` first.
pub async fn spawn_env_with(adjust: impl FnOnce(&mut Config)) -> TestHost {
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
        ework: domain::ework::FeePolicy::default(),
        portal: Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web")),
        admin: Some(operators::AdminSeed {
            login: "admin".into(),
            password: ADMIN_PASSWORD.into(),
            email: unique_email(),
            phone: "+996312000000".into(),
        }),
    };
    adjust(&mut config);
    let dev = DevHost::start(config)
        .await
        .expect("the dev host starts; is the emulator running? (localstack/emulator.sh start)");
    TestHost { dev }
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

impl TestHost {
    /// Stops the host's HTTP server, queue pollers and schedules, and keeps its
    /// resources and clients: for calling a function's handler directly, with nothing
    /// else consuming its queue or running its schedule meanwhile.
    pub async fn into_deps(self) -> Deps {
        let deps = self.dev.deps.clone();
        self.dev.stop().await;
        deps
    }

    /// One JSON call, in English, with a session token if given: the status and the
    /// body (`Null` when there is none).
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, Value) {
        self.api_lang(method, path, token, body, "en").await
    }

    /// [`Self::api`] in the language `lang` (`ky`, `ru` or `en`).
    pub async fn api_lang(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        lang: &str,
    ) -> (u16, Value) {
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{path}", self.url()))
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

    /// A JSON `POST` without a session in the language `lang`: the status, the headers
    /// and the body.
    pub async fn post(
        &self,
        path: &str,
        body: &Value,
        lang: &str,
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let response = reqwest::Client::new()
            .post(format!("{}{path}", self.url()))
            .header("accept-language", lang)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (
            status,
            headers,
            response.json().await.unwrap_or(Value::Null),
        )
    }

    /// Signs in and returns the session token; panics unless it succeeds.
    pub async fn session(&self, login: &str, password: &str) -> String {
        let (status, body) = self
            .api(
                Method::POST,
                "/v1/sessions",
                None,
                Some(&json!({"login": login, "password": password})),
            )
            .await;
        assert_eq!(status, 201, "sign-in of {login}: {body}");
        body["token"].as_str().unwrap().to_owned()
    }

    /// Messages in a queue, visible or in flight.
    pub async fn queue_depth(&self, url: &str) -> u64 {
        use aws_sdk_sqs::types::QueueAttributeName as A;
        let attrs = self
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
    pub async fn dlq_url(&self, queue: Queue) -> String {
        let main = self.queue_url(queue);
        let name = main.rsplit('/').next().unwrap();
        self.deps
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
    pub async fn drain(&self, url: &str) -> Vec<String> {
        drain(&self.deps, url).await
    }
}

/// Reads (and deletes) every message now in a queue, with the clients of a host (also
/// of a stopped one, see [`TestHost::into_deps`]).
pub async fn drain(deps: &Deps, url: &str) -> Vec<String> {
    let mut bodies = Vec::new();
    loop {
        let out = deps
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
            deps.sqs
                .delete_message()
                .queue_url(url)
                .set_receipt_handle(m.receipt_handle)
                .send()
                .await
                .unwrap();
        }
    }
}
