//! The dev host's own routes.

use reqwest::Method;

use crate::helpers::*;

#[tokio::test]
async fn health_reports_every_function_and_its_endpoint() {
    let host = spawn_env().await;
    let health: serde_json::Value = reqwest::get(format!("{}/health", host.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["endpoint"], endpoint());
    let names: Vec<&str> = health["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = dev_host::FUNCTIONS.iter().map(|f| f.name).collect();
    assert_eq!(names, expected);
    let notifications = health["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "notifications")
        .unwrap();
    assert_eq!(notifications["trigger"], "sqs");
    assert!(
        notifications["queue_url"]
            .as_str()
            .unwrap()
            .ends_with("-notifications")
    );
}

#[tokio::test]
async fn the_openapi_document_lists_the_routes_and_the_problem_schema() {
    let host = spawn_env().await;
    let response = reqwest::get(format!("{}/openapi.json", host.url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/health"]["get"].is_object());
    assert!(doc["paths"]["/openapi.json"]["get"].is_object());
    for route in dev_host::http_routes(&host.deps) {
        let method = route.method.to_lowercase();
        assert!(
            doc["paths"][&route.path][&method].is_object(),
            "{route:?} missing"
        );
    }
    assert!(doc["components"]["schemas"]["ProblemBody"].is_object());
}

#[tokio::test]
async fn parameters_the_framework_cannot_take_answer_problem_json() {
    let host = spawn_env().await;
    // A required query parameter missing, and one given twice.
    for path in [
        "/v1/accounts/confirm-email",
        "/v1/public/documents/verify?d=a&d=b",
    ] {
        let response = reqwest::Client::new()
            .get(format!("{}{path}", host.url()))
            .header("accept-language", "ru")
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        assert_eq!(
            (status, content_type.as_str()),
            (400, "application/problem+json"),
            "{path}: {body}"
        );
        assert_eq!(body["code"], "invalid_parameters", "{path}");
        assert_eq!(
            body["detail"],
            "Параметры в адресе или запросе указаны неверно."
        );
    }
}

#[tokio::test]
async fn no_two_functions_give_one_schema_name_two_shapes() {
    let host = spawn_env().await;
    assert_eq!(dev_host::clashing_schemas(&host.deps), Vec::<String>::new());
}

#[tokio::test]
async fn every_path_parameter_of_the_openapi_document_is_in_its_path() {
    let host = spawn_env().await;
    let doc: serde_json::Value = reqwest::get(format!("{}/openapi.json", host.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut checked = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["in"] == "path" {
                    let name = parameter["name"].as_str().unwrap();
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: path parameter {name} is not in the path"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 10, "{checked} path parameters");
    // The pinned validator, where the emulator's environment is installed.
    let validator = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../localstack/.venv/bin/openapi-spec-validator");
    if validator.exists() {
        let file = std::env::temp_dir().join(format!("openapi-{}.json", uuid::Uuid::new_v4()));
        std::fs::write(&file, doc.to_string()).unwrap();
        let out = std::process::Command::new(&validator)
            .arg(&file)
            .output()
            .unwrap();
        let _ = std::fs::remove_file(&file);
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[tokio::test]
async fn unknown_routes_answer_problem_json_in_the_callers_language() {
    let host = spawn_env().await;
    let client = reqwest::Client::new();
    for (lang, expected) in [
        ("en", "There is no such address."),
        ("ru", "Такого адреса нет."),
        ("ky", "Мындай дарек жок."),
    ] {
        let response = client
            .get(format!("{}/v1/no-such-thing", host.url()))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["code"], "route_not_found");
        assert_eq!(body["detail"], expected);
    }
}

#[tokio::test]
async fn the_dev_host_alone_tells_a_challenges_answer_to_whoever_tries_the_api_by_hand() {
    let host = spawn_env().await;
    let (id, expected) = host.solved_challenge().await;
    let aid = format!("/local/challenges/{id}/answer");
    let (status, told) = host.api(Method::GET, &aid, None, None).await;
    assert_eq!(
        (status, told["answer"].as_str()),
        (200, Some(expected.as_str()))
    );
    // Not part of the API: the document does not list it.
    let (_, doc) = host.api(Method::GET, "/openapi.json", None, None).await;
    assert!(!doc["paths"].to_string().contains("/local/"));
}

#[tokio::test]
async fn the_committed_api_document_is_the_one_the_code_describes() {
    let host = spawn_env().await;
    let (_, served) = host.api(Method::GET, "/openapi.json", None, None).await;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        let pretty = serde_json::to_string_pretty(&served).unwrap();
        std::fs::write(&path, pretty + "\n").unwrap();
    }
    let regenerate = "regenerate it: UPDATE_OPENAPI=1 cargo test -p integration-tests --test integration \
                      the_committed_api_document";
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect(regenerate)).expect(regenerate);
    assert!(
        committed == served,
        "docs/openapi.json is stale; {regenerate}"
    );
}
