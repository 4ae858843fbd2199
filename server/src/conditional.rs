//! Conditional requests (RFC 9110 §13): entity tags of a body, and `If-None-Match`.
use sha2::{Digest, Sha256};

/// The tag's opaque part for these bytes: the first half of their SHA-256, in hex.
pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// `If-None-Match` compares weakly (RFC 9110 §13.1.2): `*`, or any listed tag, `W/` or not.
pub fn matches_tag(held: &str, tag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    held.trim() == "*" || held.split(',').any(|t| bare(t) == bare(tag))
}

#[cfg(test)]
mod tests {
    #[test]
    fn if_none_match_compares_weakly_and_reads_lists() {
        let tag = "W/\"abc\"";
        assert!(super::matches_tag("\"abc\"", tag));
        assert!(super::matches_tag("\"x\", W/\"abc\"", tag));
        assert!(super::matches_tag("*", tag));
        assert!(!super::matches_tag("\"abd\"", tag));
    }
}
