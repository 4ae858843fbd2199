//! Conditional requests (RFC 9110 §13): entity tags of a body, and `If-None-Match`.
/// The tag's opaque part for these bytes: their 128-bit XXH3, in hex. A tag needs no more than
/// to change with the bytes, and every answer is hashed: SHA-256 cost a search answer 20 µs.
pub fn digest(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
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
