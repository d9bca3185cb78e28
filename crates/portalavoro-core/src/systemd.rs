//! The systemd notification protocol (`Type=notify`): one datagram per
//! message to `$NOTIFY_SOCKET` (`READY=1`, `STATUS=…`, `WATCHDOG=1`). Written
//! here rather than read from the environment on each call, so the socket is
//! a value tests can point anywhere.

use std::io;
use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::time::Duration;

/// A connection to systemd's notification socket.
#[derive(Debug)]
pub struct Notifier {
    socket: UnixDatagram,
    address: SocketAddr,
}

impl Notifier {
    /// For `$NOTIFY_SOCKET`: a path, or `@name` for an abstract socket.
    pub fn new(notify_socket: &str) -> io::Result<Notifier> {
        let address = match notify_socket.strip_prefix('@') {
            Some(name) => {
                use std::os::linux::net::SocketAddrExt;
                SocketAddr::from_abstract_name(name.as_bytes())?
            }
            None => SocketAddr::from_pathname(notify_socket)?,
        };
        let socket = UnixDatagram::unbound()?;
        // Never block the caller (the frame loop): a full or stuck socket
        // loses a message, not the UI.
        socket.set_nonblocking(true)?;
        Ok(Notifier { socket, address })
    }

    /// The notifier systemd asked for, if any.
    pub fn from_env() -> Option<Notifier> {
        let path = std::env::var("NOTIFY_SOCKET")
            .ok()
            .filter(|p| !p.is_empty())?;
        match Notifier::new(&path) {
            Ok(notifier) => Some(notifier),
            Err(err) => {
                tracing::warn!("NOTIFY_SOCKET {path}: {err}; systemd will not hear from the kiosk");
                None
            }
        }
    }

    fn send(&self, message: &str) -> io::Result<()> {
        self.socket
            .send_to_addr(message.as_bytes(), &self.address)
            .map(|_| ())
    }

    /// Start-up is over: content is on screen.
    pub fn ready(&self) -> io::Result<()> {
        self.send("READY=1\n")
    }

    /// A line `systemctl status` shows.
    pub fn status(&self, text: &str) -> io::Result<()> {
        // One line: a newline would end the field early.
        self.send(&format!("STATUS={}\n", text.replace('\n', " ")))
    }

    /// "Still alive": must come more often than the watchdog interval.
    pub fn watchdog(&self) -> io::Result<()> {
        self.send("WATCHDOG=1\n")
    }
}

/// The watchdog interval systemd expects pings within, if any.
///
/// `$WATCHDOG_USEC` is meant for the process `$WATCHDOG_PID` names. Under
/// cage the kiosk is cage's child, not that process, so the unit also sets
/// `$KIOSK_WATCHDOG_USEC` for the kiosk to use.
pub fn watchdog_interval(
    watchdog_usec: Option<&str>,
    watchdog_pid: Option<&str>,
    kiosk_watchdog_usec: Option<&str>,
    own_pid: u32,
) -> Option<Duration> {
    let parse = |v: &str| {
        v.trim()
            .parse::<u64>()
            .ok()
            .filter(|&us| us > 0)
            .map(Duration::from_micros)
    };
    let ours = watchdog_pid.is_none_or(|pid| pid.trim() == own_pid.to_string());
    watchdog_usec
        .filter(|_| ours)
        .and_then(parse)
        .or_else(|| kiosk_watchdog_usec.and_then(parse))
}

/// [`watchdog_interval`] from this process's environment.
pub fn watchdog_from_env() -> Option<Duration> {
    let var = |name| std::env::var(name).ok();
    watchdog_interval(
        var("WATCHDOG_USEC").as_deref(),
        var("WATCHDOG_PID").as_deref(),
        var("KIOSK_WATCHDOG_USEC").as_deref(),
        std::process::id(),
    )
}

/// systemd's side of the socket, for tests.
#[cfg(any(test, feature = "test-support"))]
pub struct FakeSystemd {
    dir: std::path::PathBuf,
    socket: UnixDatagram,
}

#[cfg(any(test, feature = "test-support"))]
impl FakeSystemd {
    /// Listens on a fresh socket; `name` keeps tests apart.
    pub fn listen(name: &str) -> FakeSystemd {
        let dir = std::env::temp_dir().join(format!("kiosk-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("notify.sock");
        let _ = std::fs::remove_file(&path);
        let socket = UnixDatagram::bind(&path).unwrap();
        socket
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        FakeSystemd { dir, socket }
    }

    pub fn notifier(&self) -> Notifier {
        Notifier::new(self.dir.join("notify.sock").to_str().unwrap()).unwrap()
    }

    /// Every message waiting (until 200 ms pass without one).
    pub fn received(&self) -> Vec<String> {
        let mut all = Vec::new();
        let mut buf = [0u8; 512];
        while let Ok(n) = self.socket.recv(&mut buf) {
            all.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
        all
    }
}

#[cfg(any(test, feature = "test-support"))]
impl Drop for FakeSystemd {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_arrive_as_datagrams() {
        let systemd = FakeSystemd::listen("notify");
        let notifier = systemd.notifier();
        notifier.ready().unwrap();
        notifier
            .status("showing summary;\nlast sync 12 s ago")
            .unwrap();
        notifier.watchdog().unwrap();
        assert_eq!(
            systemd.received(),
            [
                "READY=1\n",
                "STATUS=showing summary; last sync 12 s ago\n",
                "WATCHDOG=1\n"
            ]
        );
    }

    #[test]
    fn a_reader_that_stops_reading_never_blocks_the_sender() {
        let systemd = FakeSystemd::listen("notify-full"); // never read here
        let notifier = systemd.notifier();
        // On a thread, so a regression fails here instead of hanging CI.
        let (done, outcome) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let results: Vec<bool> = (0..1000).map(|_| notifier.watchdog().is_ok()).collect();
            let _ = done.send(results);
        });
        let results = outcome
            .recv_timeout(Duration::from_secs(10))
            .expect("sending blocked on a socket nobody reads");
        assert!(
            results.contains(&false),
            "the queue filled up and sending failed instead of blocking"
        );
    }

    #[test]
    fn abstract_sockets_work_too() {
        let name = format!("kiosk-notify-test-{}", std::process::id());
        use std::os::linux::net::SocketAddrExt;
        let systemd =
            UnixDatagram::bind_addr(&SocketAddr::from_abstract_name(name.as_bytes()).unwrap())
                .unwrap();
        Notifier::new(&format!("@{name}")).unwrap().ready().unwrap();
        let mut buf = [0u8; 32];
        let n = systemd.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"READY=1\n");
    }

    #[test]
    fn the_watchdog_interval_is_ours_or_the_units_kiosk_value() {
        let us = |v| Some(Duration::from_micros(v));
        assert_eq!(
            watchdog_interval(Some("30000000"), None, None, 42),
            us(30_000_000)
        );
        assert_eq!(
            watchdog_interval(Some("30000000"), Some("42"), None, 42),
            us(30_000_000)
        );
        // Under cage: WATCHDOG_PID is cage's, the unit's own variable counts.
        assert_eq!(
            watchdog_interval(Some("30000000"), Some("7"), None, 42),
            None
        );
        assert_eq!(
            watchdog_interval(Some("30000000"), Some("7"), Some("20000000"), 42),
            us(20_000_000)
        );
        assert_eq!(watchdog_interval(None, None, None, 42), None);
        assert_eq!(watchdog_interval(Some("0"), None, None, 42), None);
        assert_eq!(watchdog_interval(Some("soon"), None, None, 42), None);
    }
}
