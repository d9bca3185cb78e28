use std::process::ExitCode;

use portalavoro_kiosk::cli::{self, Action};
use portalavoro_kiosk::config::{self, Env};

fn main() -> ExitCode {
    let cli = match cli::parse(std::env::args_os().skip(1)) {
        Ok(cli) => cli,
        Err(message) => {
            eprintln!("portalavoro-kiosk: {message}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    match cli.action {
        Action::Help => {
            println!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Action::Version => {
            println!("portalavoro-kiosk {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Action::Run | Action::CheckConfig | Action::Tour(_) => {}
    }
    let config = match cli
        .config_path()
        .and_then(|path| config::load(&path, &Env::from_process()).map_err(|err| err.to_string()))
    {
        Ok(config) => config,
        Err(message) => {
            eprintln!("portalavoro-kiosk: configuration error: {message}");
            return ExitCode::from(2);
        }
    };
    match cli.action {
        Action::CheckConfig => {
            println!("{}: valid", config.source.display());
            ExitCode::SUCCESS
        }
        Action::Tour(dir) => {
            if let Err(err) = std::fs::create_dir_all(&dir) {
                eprintln!("portalavoro-kiosk: {}: {err}", dir.display());
                return ExitCode::from(2);
            }
            portalavoro_kiosk::app::run(config, Some(dir))
        }
        _ => portalavoro_kiosk::app::run(config, None),
    }
}
