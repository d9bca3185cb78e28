//! A real hub for the tests: `portalavoro-hub` in process on 127.0.0.1, on
//! SQLite (always) and on PostgreSQL when `PORTALAVORO_TEST_POSTGRES` names
//! a server (scripts/test.sh starts a throw-away cluster and sets it).

#![allow(dead_code)] // each test binary uses a part

use std::path::PathBuf;

use portalavoro_hub::config::HubConfig;
use portalavoro_hub::db::{Db, Role, Site};
use portalavoro_hub::secrets;
use portalavoro_hub::server::Server;
use portalavoro_hub::state::AppState;
use serde_json::Value;

/// `postgres://USER@HOST/{db}?host=SOCKET_DIR`: `{db}` is replaced by each
/// test's own database.
pub const POSTGRES_ENV: &str = "PORTALAVORO_TEST_POSTGRES";

#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

/// Every database the tests run on here. Under CI, PostgreSQL is required:
/// a suite that skipped it would pass without testing it.
pub fn backends() -> Vec<Backend> {
    let mut list = vec![Backend::Sqlite];
    match std::env::var(POSTGRES_ENV) {
        Ok(template) => list.push(Backend::Postgres(template)),
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!(
                "{POSTGRES_ENV} is not set: run the tests with scripts/test.sh, which starts PostgreSQL"
            )
        }
        Err(_) => eprintln!("{POSTGRES_ENV} not set: PostgreSQL not tested in this run"),
    }
    list
}

pub struct TestHub {
    pub url: String,
    pub state: AppState,
    pub dir: PathBuf,
    pub backend: Backend,
    runtime: tokio::runtime::Runtime,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestHub {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl TestHub {
    pub fn start(backend: &Backend, name: &str) -> TestHub {
        TestHub::start_on(backend, name, None, |_| {})
    }

    /// A hub whose configuration `adjust` changes first.
    pub fn start_with(
        backend: &Backend,
        name: &str,
        adjust: impl FnOnce(&mut HubConfig),
    ) -> TestHub {
        TestHub::start_on(backend, name, None, adjust)
    }

    /// A second instance on `other`'s database, as behind a load balancer.
    pub fn beside(other: &TestHub, name: &str) -> TestHub {
        let url = other.state.config.database.url.clone();
        TestHub::start_on(&other.backend, name, Some(url), |_| {})
    }

    fn start_on(
        backend: &Backend,
        name: &str,
        database: Option<String>,
        adjust: impl FnOnce(&mut HubConfig),
    ) -> TestHub {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let dir = std::env::temp_dir().join(format!("hub-it-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut config = HubConfig::defaults(dir.clone());
        config.listen.set_port(0);
        config.max_wait = std::time::Duration::from_secs(10);
        match (database, backend) {
            (Some(url), _) => config.database.url = url,
            (None, Backend::Postgres(template)) => {
                config.database.url = runtime.block_on(fresh_postgres(template, name));
            }
            (None, Backend::Sqlite) => {}
        }
        adjust(&mut config);
        let server = runtime
            .block_on(Server::bind(config))
            .expect("the hub starts");
        let url = format!("http://{}/api/v1", server.addr());
        let state = server.state.clone();
        let (stop, stopped) = tokio::sync::oneshot::channel();
        runtime.spawn(server.run(async {
            let _ = stopped.await;
        }));
        TestHub {
            url,
            state,
            dir,
            backend: backend.clone(),
            runtime,
            stop: Some(stop),
        }
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }

    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    pub fn site(&self, id: &str, name: &str, hub: Option<&str>) {
        let site = Site {
            id: id.into(),
            name: name.into(),
            hub_id: hub.map(String::from),
        };
        self.block_on(self.db().add_site(&site, "test", now()))
            .unwrap();
    }

    /// A kiosk of `site`; its token.
    pub fn kiosk(&self, id: &str, site: &str) -> String {
        let token = secrets::new_token().unwrap();
        self.block_on(
            self.db()
                .add_kiosk(id, site, &secrets::hash_token(&token), "test", now()),
        )
        .unwrap();
        token
    }

    /// A staff API token with `role`.
    pub fn staff(&self, name: &str, role: Role) -> String {
        let token = secrets::new_token().unwrap();
        self.block_on(
            self.db()
                .add_token(name, role, &secrets::hash_token(&token), "test", now()),
        )
        .unwrap();
        token
    }

    /// The usual network: hub Matera with spoke Policoro, hub Potenza; a
    /// kiosk in each; an admin token.
    pub fn network(&self) -> Network {
        self.site("matera", "Portalavoro Matera", None);
        self.site("policoro", "CPI Policoro", Some("matera"));
        self.site("potenza", "Portalavoro Potenza", None);
        Network {
            matera: self.kiosk("k-matera", "matera"),
            policoro: self.kiosk("k-policoro", "policoro"),
            potenza: self.kiosk("k-potenza", "potenza"),
            admin: self.staff("admin", Role::Admin),
        }
    }
}

pub struct Network {
    pub matera: String,
    pub policoro: String,
    pub potenza: String,
    pub admin: String,
}

pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// A new empty database on the PostgreSQL server of `template`.
async fn fresh_postgres(template: &str, name: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let db = format!("hub_it_{}_{}", name.replace('-', "_"), std::process::id());
    let mut admin = sqlx::AnyConnection::connect(&template.replace("{db}", "postgres"))
        .await
        .expect("PostgreSQL answers");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {db}"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {db}"))
        .execute(&mut admin)
        .await
        .unwrap();
    template.replace("{db}", &db)
}

/// An HTTP client that returns every status as a response.
pub fn http() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(30)))
        .build()
        .into()
}

pub struct Answer {
    pub status: u16,
    pub etag: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The ids of a feed's items, in order.
    pub fn ids(&self) -> Vec<String> {
        self.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    }
}

fn answer(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = result.expect("the hub answers");
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect::<Vec<_>>();
    Answer {
        status: response.status().as_u16(),
        etag: response
            .headers()
            .get("etag")
            .map(|v| v.to_str().unwrap().to_string()),
        headers,
        body: response.body_mut().read_to_vec().unwrap_or_default(),
    }
}

impl TestHub {
    pub fn get(&self, path: &str, token: Option<&str>, etag: Option<&str>) -> Answer {
        let mut request = http().get(&format!("{}{path}", self.url));
        if let Some(token) = token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        if let Some(etag) = etag {
            request = request.header("If-None-Match", etag);
        }
        answer(request.call())
    }

    pub fn send(&self, method: &str, path: &str, token: &str, body: &str) -> Answer {
        let url = format!("{}{path}", self.url);
        let auth = format!("Bearer {token}");
        let agent = http();
        let result = match method {
            "POST" => agent.post(&url).header("Authorization", &auth).send(body),
            "PUT" => agent.put(&url).header("Authorization", &auth).send(body),
            "DELETE" => agent.delete(&url).header("Authorization", &auth).call(),
            other => panic!("{other}"),
        };
        answer(result)
    }
}
