use std::process::ExitCode;

use portalavoro_core::config::Env;
use portalavoro_core::last_valid;
use portalavoro_kiosk::cli::{self, Action};

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
        Action::HashPin => {
            let mut input = String::new();
            let _ = std::io::Read::read_to_string(&mut std::io::stdin(), &mut input);
            return match cli::hash_pin(&input) {
                Ok(hash) => {
                    println!("{hash}");
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("portalavoro-kiosk: {message}");
                    ExitCode::from(2)
                }
            };
        }
        Action::Run
        | Action::CheckConfig
        | Action::Tour(_)
        | Action::TouchRule
        | Action::UpdateSource => {}
    }
    // Running for real (or asked by the update service, which must not
    // stop updating over a typo), a broken file falls back to the last
    // valid copy in systemd's state directory; checking or touring never
    // does.
    let state_dir = match cli.action {
        Action::Run | Action::UpdateSource => std::env::var_os("STATE_DIRECTORY")
            .filter(|dir| !dir.is_empty())
            .map(std::path::PathBuf::from),
        _ => None,
    };
    // Checked by root, a file is judged as the totem's service will read
    // it (user kiosk, its sandbox, the token from LoadCredential=).
    let env = Env::from_process();
    let env = match cli.action {
        Action::CheckConfig if is_root() => env.as_service().unwrap_or(env),
        _ => env,
    };
    let loaded = cli.config_path().and_then(|path| {
        last_valid::load(&path, &env, state_dir.as_deref()).map_err(|err| err.to_string())
    });
    let (config, broken) = match loaded {
        Ok(loaded) => (loaded.config, loaded.broken),
        // The kiosk starts anyway, and says on screen what is wrong.
        Err(message) if cli.action == Action::TouchRule => {
            eprintln!("portalavoro-kiosk: touch left as the panel reports it: {message}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("portalavoro-kiosk: configuration error: {message}");
            return ExitCode::from(2);
        }
    };
    if let Some(err) = &broken {
        eprintln!("portalavoro-kiosk: CONFIGURATION ERROR: {err}");
        if config.hub.is_some() {
            eprintln!(
                "portalavoro-kiosk: running on the last valid configuration \
                 (kept in the state directory as {}) until the file is fixed",
                last_valid::FILE_NAME
            );
        } else {
            eprintln!(
                "portalavoro-kiosk: OUT OF SERVICE until the file is fixed: the last \
                 valid configuration names no hub; the technician card shows the error"
            );
        }
    }
    let clock = match &cli.at {
        None => portalavoro_core::clock::Clock::system(),
        Some(text) => match cli::at(text, &config.display.timezone) {
            Ok(at) => portalavoro_core::clock::Clock::starting_at(at),
            Err(message) => {
                eprintln!("portalavoro-kiosk: {message}");
                return ExitCode::from(2);
            }
        },
    };
    if let Some(weakness) = config
        .diagnostics_pin
        .as_ref()
        .and_then(|pin| pin.weakness())
    {
        eprintln!("portalavoro-kiosk: warning: {weakness}");
    }
    match cli.action {
        Action::TouchRule => {
            match portalavoro_core::screen::install_touch_rule(config.display.rotation) {
                Ok(done) => println!("portalavoro-kiosk: {done}"),
                Err(err) => eprintln!("portalavoro-kiosk: touch not turned: {err}"),
            }
            ExitCode::SUCCESS
        }
        Action::CheckConfig => {
            println!("{}: valid", config.source.display());
            ExitCode::SUCCESS
        }
        Action::UpdateSource => {
            let now = clock.now().to_zoned(config.display.timezone.clone());
            match config.updates.due(config.hub.as_ref(), &now) {
                Ok(url) => {
                    println!("{url}");
                    ExitCode::SUCCESS
                }
                Err(why) => {
                    eprintln!("portalavoro-kiosk: no update now: {why}");
                    ExitCode::from(1)
                }
            }
        }
        Action::Tour(dir) => {
            if let Err(err) = std::fs::create_dir_all(&dir) {
                eprintln!("portalavoro-kiosk: {}: {err}", dir.display());
                return ExitCode::from(2);
            }
            portalavoro_kiosk::app::run(config, None, Some(dir), clock)
        }
        _ => portalavoro_kiosk::app::run(config, broken, None, clock),
    }
}

/// Whether this process runs as root (its files are then not the service's).
fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|meta| {
        use std::os::unix::fs::MetadataExt;
        meta.uid() == 0
    })
}
