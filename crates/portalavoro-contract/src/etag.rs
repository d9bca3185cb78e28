//! The contract's ETag rules. A hub sends a strong `ETag` with every feed;
//! a kiosk sends it back in `If-None-Match` and gets `304 Not Modified`
//! while nothing changed. A hub that ignores `If-None-Match` and answers
//! `200` with the same bytes changes nothing either: the kiosk compares
//! bodies by [`digest`].

/// A 64-bit FNV-1a digest of a body: cheap, stable across runs and
/// machines (not a defence against anyone choosing the bytes).
pub fn digest(body: &[u8]) -> u64 {
    body.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The strong ETag a hub sends for `body`: its digest, quoted.
pub fn of(body: &[u8]) -> String {
    format!("\"{:016x}\"", digest(body))
}

/// Whether an `If-None-Match` header value names `etag` (RFC 9110 §13.1.2:
/// `*`, or a comma-separated list; compared weakly, so `W/"x"` matches
/// `"x"`).
pub fn matches(if_none_match: &str, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    let wanted = opaque(etag);
    if_none_match
        .split(',')
        .any(|tag| tag.trim() == "*" || opaque(tag) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_etag_names_its_body_and_if_none_match_is_read_as_the_rfc_says() {
        let etag = of(b"{\"items\":[]}");
        assert_eq!(etag, of(b"{\"items\":[]}"), "stable");
        assert_ne!(etag, of(b"{\"items\":[{}]}"));
        assert!(etag.starts_with('"') && etag.ends_with('"') && etag.len() == 18);
        assert_eq!(digest(b""), 0xcbf2_9ce4_8422_2325, "FNV-1a's offset basis");

        assert!(matches(&etag, &etag));
        assert!(matches(&format!("W/{etag}"), &etag), "weak comparison");
        assert!(matches(&format!("\"other\", {etag}"), &etag), "a list");
        assert!(matches("*", &etag));
        assert!(!matches("\"other\"", &etag));
        assert!(!matches("", &etag));
    }
}
