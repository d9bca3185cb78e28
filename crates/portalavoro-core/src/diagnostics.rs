//! Staff access to the diagnostics screen: a hidden gesture (a finger held
//! still on the screen's top-left corner for five seconds,
//! [`crate::gesture::Hold::corner`]), then a PIN
//! whose salted argon2id hash is in kiosk.toml (`diagnostics.pin_hash`),
//! never the PIN itself. Three wrong PINs lock the pad for a minute, the
//! next three for two, then four, up to an hour; the lock is kept on disk
//! by the app, so closing the pad, an idle reset or a restart does not
//! lift it. Pure: the lock's time comes in as wall-clock timestamps.

use std::io::Read;
use std::path::Path;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2};
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

/// Wrong PINs before the pad locks; the first lock's length, doubled at
/// each lock that follows without a right PIN, up to the longest.
pub const ATTEMPTS: u32 = 3;
pub const LOCKOUT: SignedDuration = SignedDuration::from_secs(60);
pub const LONGEST_LOCKOUT: SignedDuration = SignedDuration::from_secs(3600);
/// The longest PIN the pad takes.
pub const MAX_DIGITS: usize = 12;

/// The PIN as kiosk.toml holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinHash {
    /// `diagnostics.pin_hash`: an argon2id PHC string (salted, slow), as
    /// `portalavoro-kiosk --hash-pin` writes it.
    Argon2id(String),
    /// `diagnostics.pin_sha256`, from earlier versions: it still opens the
    /// pad, so an upgrade locks no technician out, but an unsalted SHA-256
    /// of a short PIN is reversed in milliseconds; the kiosk says to
    /// replace it ([`PinHash::weakness`]).
    Sha256(String),
}

impl PinHash {
    /// Reads a `pin_hash` value: an argon2id PHC string.
    pub fn argon2id(text: &str) -> Result<PinHash, String> {
        let text = text.trim();
        let parsed = PasswordHash::new(text).map_err(|err| format!("not a PHC string ({err})"))?;
        if parsed.algorithm != Algorithm::Argon2id.ident() {
            return Err(format!("{} is not argon2id", parsed.algorithm));
        }
        if parsed.salt.is_none() || parsed.hash.is_none() {
            return Err("no salt or no hash".into());
        }
        argon2::Params::try_from(&parsed).map_err(|err| format!("bad parameters ({err})"))?;
        Ok(PinHash::Argon2id(text.to_string()))
    }

    /// Reads a legacy `pin_sha256` value: 64 hexadecimal digits.
    pub fn sha256(text: &str) -> Option<PinHash> {
        let text = text.trim().to_ascii_lowercase();
        (text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()))
            .then_some(PinHash::Sha256(text))
    }

    /// Whether `pin` is the PIN. Nothing typed never is.
    pub fn matches(&self, pin: &str) -> bool {
        if pin.is_empty() {
            return false;
        }
        match self {
            PinHash::Argon2id(phc) => PasswordHash::new(phc).is_ok_and(|hash| {
                Argon2::default()
                    .verify_password(pin.as_bytes(), &hash)
                    .is_ok()
            }),
            PinHash::Sha256(hex) => sha256_hex(pin) == *hex,
        }
    }

    /// What to tell staff about a hash that should be replaced.
    pub fn weakness(&self) -> Option<&'static str> {
        match self {
            PinHash::Argon2id(_) => None,
            PinHash::Sha256(_) => Some(
                "diagnostics.pin_sha256 is an unsalted hash that is reversed in \
                 milliseconds: replace it with diagnostics.pin_hash, made by \
                 `portalavoro-kiosk --hash-pin`",
            ),
        }
    }
}

/// The argon2id hash of `pin` with a fresh random salt, as a PHC string
/// for `diagnostics.pin_hash` (argon2's recommended parameters: 19 MiB,
/// two passes, one lane).
pub fn hash_pin(pin: &str) -> std::io::Result<String> {
    let mut salt = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut salt)?;
    let salt = SaltString::encode_b64(&salt).map_err(std::io::Error::other)?;
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(std::io::Error::other)
}

/// The SHA-256 of `text` in lower-case hex (the legacy `pin_sha256`).
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// What the pad says after a try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Open,
    Wrong {
        attempts_left: u32,
    },
    /// Locked until then: tries are not even looked at.
    Locked {
        until: Timestamp,
    },
}

/// Wrong PINs and the lock they earned: what must outlive the pad (kept
/// on disk by the app, as [`Lockout::to_text`] writes it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lockout {
    /// Wrong PINs since the last lock or the last right PIN.
    failures: u32,
    /// Locks in a row without a right PIN since.
    strikes: u32,
    until: Option<Timestamp>,
}

impl Lockout {
    /// Locked for the longest time from `now`: what a lock that cannot be
    /// read counts as (it must not be lifted by breaking its file).
    fn longest(now: Timestamp) -> Lockout {
        Lockout {
            failures: 0,
            strikes: ATTEMPTS,
            until: now.saturating_add(LONGEST_LOCKOUT).ok(),
        }
    }

    /// When the lock lifts, if the pad is locked at `now`.
    pub fn locked(&self, now: Timestamp) -> Option<Timestamp> {
        self.until.filter(|until| now < *until)
    }

    fn wrong(&mut self, now: Timestamp) -> Verdict {
        self.failures += 1;
        if self.failures < ATTEMPTS {
            return Verdict::Wrong {
                attempts_left: ATTEMPTS - self.failures,
            };
        }
        self.failures = 0;
        self.strikes += 1;
        let length = LOCKOUT
            .checked_mul(1 << self.strikes.saturating_sub(1).min(16))
            .unwrap_or(LONGEST_LOCKOUT)
            .min(LONGEST_LOCKOUT);
        let until = now.saturating_add(length).unwrap_or(now);
        self.until = Some(until);
        Verdict::Locked { until }
    }

    /// The form kept on disk: one line, e.g.
    /// `failures=1 strikes=2 until=2026-11-24T09:03:00Z`.
    pub fn to_text(&self) -> String {
        let until = self.until.map_or("-".to_string(), |t| t.to_string());
        format!(
            "failures={} strikes={} until={until}\n",
            self.failures, self.strikes
        )
    }

    /// Reads [`Lockout::to_text`]'s form. A file that cannot be read is
    /// taken as a full lock of the longest length from `now`: a lock must
    /// not be lifted by breaking its file.
    pub fn from_text(text: &str, now: Timestamp) -> Lockout {
        let read = || -> Option<Lockout> {
            let mut lockout = Lockout::default();
            for field in text.split_whitespace() {
                match field.split_once('=')? {
                    ("failures", n) => lockout.failures = n.parse().ok()?,
                    ("strikes", n) => lockout.strikes = n.parse().ok()?,
                    ("until", "-") => lockout.until = None,
                    ("until", t) => lockout.until = Some(t.parse().ok()?),
                    _ => return None,
                }
            }
            Some(lockout)
        };
        let mut lockout = read().unwrap_or_else(|| Lockout::longest(now));
        // A clock set back must not stretch a lock beyond its longest.
        if let Some(until) = lockout.until {
            let latest = now.saturating_add(LONGEST_LOCKOUT).unwrap_or(now);
            lockout.until = Some(until.min(latest));
        }
        lockout
    }
}

/// The lock's file in the state directory.
pub const LOCKOUT_FILE: &str = "pin-lockout";

impl Lockout {
    /// The lock as the last run left it in `dir` (none: no file). A file
    /// that cannot be read counts as locked for the longest time.
    pub fn read(dir: &Path, now: Timestamp) -> Lockout {
        match std::fs::read_to_string(dir.join(LOCKOUT_FILE)) {
            Ok(text) => Lockout::from_text(&text, now),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Lockout::default(),
            Err(err) => {
                tracing::warn!("diagnostics: cannot read the PIN lock ({err}): locked");
                Lockout::longest(now)
            }
        }
    }

    /// Keeps the lock in `dir`, whole even through a power cut.
    pub fn keep(&self, dir: &Path) -> std::io::Result<()> {
        crate::durable::replace(
            &dir.join(LOCKOUT_FILE),
            &dir.join(format!(".{LOCKOUT_FILE}.tmp")),
            self.to_text().as_bytes(),
        )
    }
}

/// The PIN pad's state: the digits typed and the lock.
#[derive(Debug, Clone, Default)]
pub struct PinPad {
    pub digits: String,
    pub lockout: Lockout,
}

impl PinPad {
    pub fn type_digit(&mut self, digit: char) {
        if digit.is_ascii_digit() && self.digits.len() < MAX_DIGITS {
            self.digits.push(digit);
        }
    }

    pub fn erase(&mut self) {
        self.digits.pop();
    }

    /// Tries the digits typed against `expected`; the digits are cleared
    /// whatever the outcome.
    pub fn submit(&mut self, expected: &PinHash, now: Timestamp) -> Verdict {
        let typed = std::mem::take(&mut self.digits);
        if let Some(until) = self.lockout.locked(now) {
            return Verdict::Locked { until };
        }
        if expected.matches(&typed) {
            self.lockout = Lockout::default();
            return Verdict::Open;
        }
        self.lockout.wrong(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wall-clock time, `secs` after a fixed moment.
    fn t(secs: i64) -> Timestamp {
        Timestamp::from_second(1_795_000_000 + secs).unwrap()
    }

    fn typed(pad: &mut PinPad, pin: &str) {
        for d in pin.chars() {
            pad.type_digit(d);
        }
    }

    #[test]
    fn the_pin_is_kept_as_a_salted_argon2id_hash() {
        let one = hash_pin("2468").unwrap();
        let two = hash_pin("2468").unwrap();
        assert!(one.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{one}");
        assert_ne!(one, two, "a fresh salt each time");
        assert!(!one.contains("2468"));
        for phc in [&one, &two] {
            let hash = PinHash::argon2id(phc).unwrap();
            assert!(hash.matches("2468"));
            assert!(!hash.matches("2469"));
            assert!(!hash.matches(""));
            assert_eq!(hash.weakness(), None);
        }
        // Not a PHC string, or not argon2id: refused with the reason.
        assert!(PinHash::argon2id("2468").is_err());
        let argon2i = one.replacen("argon2id", "argon2i", 1);
        assert!(
            PinHash::argon2id(&argon2i)
                .unwrap_err()
                .contains("not argon2id")
        );

        // The legacy SHA-256 still opens, and says it should be replaced.
        assert_eq!(
            sha256_hex("1234"),
            "03ac674216f3e15c761ee1a5e255f067953623c8b388b4459e13f978d7c846f4",
            "as `printf 1234 | sha256sum` says"
        );
        let legacy = PinHash::sha256(&sha256_hex("2468").to_uppercase()).unwrap();
        assert!(legacy.matches("2468") && !legacy.matches("1234"));
        assert!(legacy.weakness().unwrap().contains("--hash-pin"));
        assert_eq!(PinHash::sha256("2468"), None);
    }

    #[test]
    fn three_wrong_pins_lock_the_pad_and_each_lock_in_a_row_is_twice_as_long() {
        let expected = PinHash::sha256(&sha256_hex("2468")).unwrap();
        let mut pad = PinPad::default();
        typed(&mut pad, "2468x");
        assert_eq!(pad.digits, "2468");
        assert_eq!(pad.submit(&expected, t(0)), Verdict::Open);
        assert!(pad.digits.is_empty());

        for (attempt, left) in [(1, 2), (2, 1)] {
            typed(&mut pad, "1");
            assert_eq!(
                pad.submit(&expected, t(attempt)),
                Verdict::Wrong {
                    attempts_left: left
                }
            );
        }
        typed(&mut pad, "1");
        assert_eq!(
            pad.submit(&expected, t(3)),
            Verdict::Locked { until: t(63) }
        );
        // Even the right PIN waits out the lock.
        typed(&mut pad, "2468");
        assert_eq!(
            pad.submit(&expected, t(30)),
            Verdict::Locked { until: t(63) }
        );
        // Three more wrong ones: two minutes, then four, up to an hour.
        let mut now = 63;
        for minutes in [2, 4, 8, 16, 32, 60, 60] {
            for _ in 0..3 {
                typed(&mut pad, "1");
                pad.submit(&expected, t(now));
            }
            assert_eq!(pad.lockout.locked(t(now)), Some(t(now + minutes * 60)));
            now += minutes * 60;
        }
        // The right PIN, once unlocked, forgives everything.
        typed(&mut pad, "2468");
        assert_eq!(pad.submit(&expected, t(now)), Verdict::Open);
        assert_eq!(pad.lockout, Lockout::default());
        // Nothing typed is never right.
        assert_eq!(
            pad.submit(&PinHash::Sha256(sha256_hex("")), t(now)),
            Verdict::Wrong { attempts_left: 2 }
        );
    }

    #[test]
    fn the_lock_survives_its_text_form_and_a_broken_file_keeps_the_pad_locked() {
        let expected = PinHash::sha256(&sha256_hex("2468")).unwrap();
        let mut pad = PinPad::default();
        // Three wrong, then a fourth while locked (not even counted).
        for _ in 0..4 {
            typed(&mut pad, "1");
            pad.submit(&expected, t(0));
        }
        let text = pad.lockout.to_text();
        assert_eq!(text, format!("failures=0 strikes=1 until={}\n", t(60)));
        assert_eq!(Lockout::from_text(&text, t(10)), pad.lockout);
        assert_eq!(Lockout::from_text("", t(10)), Lockout::default());
        // Broken: locked for the longest time.
        let broken = Lockout::from_text("failures=x", t(10));
        assert_eq!(broken.locked(t(10)), Some(t(3610)));
        // A clock set back an hour does not make a minute's lock longer
        // than the longest.
        let back = Lockout::from_text(&text, t(-7200));
        assert_eq!(back.locked(t(-7200)), Some(t(-3600)));
    }

    #[test]
    fn a_lock_file_that_cannot_be_read_keeps_the_pad_locked() {
        let dir = std::env::temp_dir().join(format!("pin-lock-read-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(Lockout::read(&dir, t(0)), Lockout::default(), "no file");
        let mut pad = PinPad::default();
        let expected = PinHash::sha256(&sha256_hex("2468")).unwrap();
        for _ in 0..3 {
            typed(&mut pad, "1");
            pad.submit(&expected, t(0));
        }
        pad.lockout.keep(&dir).unwrap();
        assert_eq!(Lockout::read(&dir, t(1)), pad.lockout, "kept and read back");
        // Unreadable (here a folder where the file should be): locked.
        std::fs::remove_file(dir.join(LOCKOUT_FILE)).unwrap();
        std::fs::create_dir(dir.join(LOCKOUT_FILE)).unwrap();
        assert_eq!(Lockout::read(&dir, t(1)).locked(t(1)), Some(t(3601)));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
