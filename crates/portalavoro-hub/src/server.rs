//! Serving: open the database, follow its revisions, answer HTTP until
//! SIGTERM or Ctrl+C, and prune old heartbeats and appointments every hour.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::config::HubConfig;
use crate::db::{Db, DbError};
use crate::routes;
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("serving: {0}")]
    Io(#[from] std::io::Error),
}

/// A hub bound to its address, not yet answering.
pub struct Server {
    pub state: AppState,
    listener: TcpListener,
}

impl Server {
    pub async fn bind(config: HubConfig) -> Result<Server, ServeError> {
        let db = Db::open(&config.database).await?;
        let addr = config.listen;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Listen { addr, source })?;
        let state = AppState::new(db, config).await?;
        Ok(Server { state, listener })
    }

    pub fn addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or(self.state.config.listen)
    }

    /// Answers until `stop` completes.
    pub async fn run(
        self,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let state = self.state.clone();
        tokio::spawn(state.clone().follow_revisions());
        tokio::spawn(prune(state.clone()));
        let app = routes::router(state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, app)
            .with_graceful_shutdown(stop)
            .await?;
        Ok(())
    }
}

/// Completes at SIGTERM (systemd stopping the service) or Ctrl+C.
pub async fn signalled() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(term) => term,
        Err(_) => return std::future::pending().await,
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    tracing::info!("stopping");
}

async fn prune(state: AppState) {
    loop {
        let before = state.now().as_second() - state.config.history.as_secs() as i64;
        match state.db.prune_heartbeats(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("forgot {n} heartbeats older than the history kept"),
            Err(err) => tracing::warn!("pruning heartbeats: {err}"),
        }
        // Visitors' names and contacts go with the appointments, after the
        // same history.
        match state.db.prune_appointments(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("forgot {n} appointments older than the history kept"),
            Err(err) => tracing::warn!("pruning appointments: {err}"),
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}
