//! `portalavoro-hub`: reads the command line and hub.toml, then serves or
//! runs one administration command (see cli.rs).

use std::process::ExitCode;

use portalavoro_hub::cli::{self, Command};
use portalavoro_hub::config::HubConfig;
use portalavoro_hub::db::Db;
use portalavoro_hub::server::{self, Server};
use portalavoro_hub::{admin, demo};

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    let args = match cli::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("portalavoro-hub: {message}\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("portalavoro-hub: cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("portalavoro-hub: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: cli::Args) -> Result<(), String> {
    let command = args.command;
    if command == Command::Help {
        println!("{}", cli::USAGE);
        return Ok(());
    }
    let config = match &command {
        Command::Demo { port } => {
            let mut config = HubConfig::defaults(demo::state_dir());
            config.listen.set_port(*port);
            config
        }
        _ => HubConfig::load(&args.config).map_err(|err| err.to_string())?,
    };
    match command {
        Command::CheckConfig => {
            let db = Db::open(&config.database)
                .await
                .map_err(|err| err.to_string())?;
            let sites = db.sites().await.map_err(|err| err.to_string())?;
            db.close().await;
            println!(
                "{}: OK\n{}\nsites: {}",
                args.config.display(),
                config.describe(),
                sites.len()
            );
            Ok(())
        }
        Command::Serve => serve(config, None).await,
        Command::Demo { port } => serve(config, Some(port)).await,
        other => {
            let mut out = std::io::stdout();
            admin::run(&config, other, &mut out)
                .await
                .map_err(|err| err.to_string())
        }
    }
}

async fn serve(config: HubConfig, demo_port: Option<u16>) -> Result<(), String> {
    let server = Server::bind(config).await.map_err(|err| err.to_string())?;
    if let Some(port) = demo_port {
        let state = &server.state;
        let lines = demo::load(&state.db, &state.config, port)
            .await
            .map_err(|err| err.to_string())?;
        println!(
            "Demo network (state in {}):",
            state.config.state_dir.display()
        );
        for line in lines {
            println!("  {line}");
        }
    }
    tracing::info!(
        "serving the hub API at http://{}{}",
        server.addr(),
        portalavoro_hub::routes::BASE
    );
    server
        .run(server::signalled())
        .await
        .map_err(|err| err.to_string())
}
