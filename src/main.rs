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
        Action::Run | Action::CheckConfig => {}
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
    if cli.action == Action::CheckConfig {
        println!("{}: valid", config.source.display());
        return ExitCode::SUCCESS;
    }
    portalavoro_kiosk::app::run(config)
}
