//! Typed text as it is kept and measured.

/// Length in characters, as people count them, not bytes.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Trims, and turns Windows line endings into Unix ones so that edits compare cleanly.
pub fn clean(text: &str) -> String {
    text.trim().replace("\r\n", "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters() {
        assert_eq!(char_len("Caerdydd ŵ"), 10);
        assert_eq!(clean("  a\r\nb  "), "a\nb");
    }
}
