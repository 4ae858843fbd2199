//! How text is cut into words, and how typed words match them: one set of rules for the
//! embedded engine's queries and for highlighting, chosen to behave as Meilisearch does
//! (lowercase, accents folded, the last word a prefix, one typo from 5 letters, two from 9).
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, PreTokenizedStream, PreTokenizedString, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TokenStream,
    Tokenizer,
};

use super::synonyms;
use super::views::Fragment;

pub(crate) const ANALYZER: &str = "casebook";

pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// A word of some text: where it is, and its normalised form.
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut found = Vec::new();
    while let Some(token) = stream.next() {
        found.push(Token { start: token.offset_from, end: token.offset_to, text: token.text.clone() });
    }
    found
}

pub(crate) const PAIRS: &str = "casebook_pairs";

/// Cuts text into each two words that follow one another, as one term ("open data"): phrases
/// are looked up by these, where reading every match's word positions took tens of
/// milliseconds for common words. Registered with the index, so that its indexing threads do it.
#[derive(Clone)]
pub(crate) struct PairTokenizer(TextAnalyzer);

impl Default for PairTokenizer {
    fn default() -> Self {
        PairTokenizer(analyzer())
    }
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = PreTokenizedStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PreTokenizedStream {
        let mut stream = self.0.token_stream(text);
        let mut tokens = Vec::new();
        let mut previous: Option<(usize, String)> = None;
        while let Some(token) = stream.next() {
            if let Some((position, word)) = &previous {
                // A word dropped as too long leaves a gap, as it does for phrase queries.
                if position + 1 == token.position {
                    let text = pair(word, &token.text);
                    tokens.push(tantivy::tokenizer::Token { position: tokens.len(), text, position_length: 1, ..Default::default() });
                }
            }
            previous = Some((token.position, token.text.clone()));
        }
        PreTokenizedStream::from(PreTokenizedString { text: String::new(), tokens })
    }
}

/// The term for two words that follow one another (the analyzer never keeps a space in a word).
pub(crate) fn pair(first: &str, second: &str) -> String {
    format!("{first} {second}")
}

fn words(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.text).collect()
}

/// Typos forgiven in a word of this length.
pub(crate) fn typo_budget(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// A typed word, with the rules it matches by.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Word {
    pub text: String,
    pub prefix: bool,
    pub typos: u8,
}

impl Word {
    fn typed(text: String, prefix: bool) -> Word {
        let typos = typo_budget(&text);
        Word { text, prefix, typos }
    }

    fn exact(text: String) -> Word {
        Word { text, prefix: false, typos: 0 }
    }

    pub fn matches(&self, token: &str) -> bool {
        if self.typos == 0 {
            return if self.prefix { token.starts_with(&self.text) } else { token == self.text };
        }
        let (typed, candidate): (Vec<char>, Vec<char>) = (self.text.chars().collect(), token.chars().collect());
        let distances = distances_to_prefixes(&typed, &candidate);
        let budget = usize::from(self.typos);
        if self.prefix {
            distances.iter().any(|&d| d <= budget)
        } else {
            distances.last().is_some_and(|&d| d <= budget)
        }
    }
}

/// What a query asks for: every unit must match somewhere in a case study.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Unit {
    Word(Word),
    /// Quoted words: in this order, exactly.
    Phrase(Vec<String>),
    /// Words that are a synonym: they match as typed (all of them), or any other member of
    /// their group does, exactly.
    Synonyms {
        typed: Vec<Word>,
        others: Vec<Vec<String>>,
    },
}

/// Cuts a query into units. Quoted text is a phrase; outside quotes the longest run of words
/// that is a synonym becomes one unit; the last word typed is a prefix unless it is quoted.
pub(crate) fn parse_query(query: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    let ends_in_quote = query.trim_end().ends_with('"') && query.matches('"').count().is_multiple_of(2);
    let parts: Vec<&str> = query.split('"').collect();
    let last_plain = if ends_in_quote { None } else { parts.len().checked_sub(1) };
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 {
            let phrase = words(part);
            match phrase.len() {
                0 => {}
                1 => units.push(Unit::Word(Word::exact(phrase.into_iter().next().unwrap_or_default()))),
                _ => units.push(Unit::Phrase(phrase)),
            }
        } else {
            units.extend(plain_units(words(part), Some(i) == last_plain));
        }
    }
    units
}

fn plain_units(words: Vec<String>, last_is_prefix: bool) -> Vec<Unit> {
    let groups: Vec<Vec<Vec<String>>> =
        synonyms::groups().iter().map(|group| group.iter().map(|member| self::words(member)).collect()).collect();
    let mut units = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let found = (1..=4.min(words.len() - i)).rev().find_map(|n| {
            let run = &words[i..i + n];
            groups.iter().find_map(|group| group.iter().any(|m| m.as_slice() == run).then_some((n, group)))
        });
        let is_last = |at: usize| last_is_prefix && at == words.len() - 1;
        match found {
            Some((n, group)) => {
                let run = &words[i..i + n];
                let typed = run.iter().enumerate().map(|(k, w)| Word::typed(w.clone(), is_last(i + k))).collect();
                let others = group.iter().filter(|m| m.as_slice() != run).cloned().collect();
                units.push(Unit::Synonyms { typed, others });
                i += n;
            }
            None => {
                units.push(Unit::Word(Word::typed(words[i].clone(), is_last(i))));
                i += 1;
            }
        }
    }
    units
}

/// `text` cut into fragments, the words that `units` match marked. A word matched as a prefix
/// is marked for the length typed, as Meilisearch marks it.
pub(crate) fn highlight(text: &str, units: &[Unit]) -> Vec<Fragment> {
    let mut fragments: Vec<Fragment> = Vec::new();
    let mut push = |piece: &str, matched: bool| {
        if piece.is_empty() {
            return;
        }
        match fragments.last_mut() {
            Some(last) if last.matched == matched => last.text.push_str(piece),
            _ => fragments.push(Fragment { text: piece.to_string(), matched }),
        }
    };
    let mut at = 0;
    for token in tokens(text) {
        let Some(length) = units.iter().filter_map(|unit| marked_length(unit, &token.text)).max() else { continue };
        let word = &text[token.start..token.end];
        let end = word.char_indices().nth(length).map_or(token.end, |(i, _)| token.start + i);
        push(&text[at..token.start], false);
        push(&text[token.start..end], true);
        at = end;
    }
    push(&text[at..], false);
    fragments
}

/// How many characters of `token` a unit marks, if it matches it.
fn marked_length(unit: &Unit, token: &str) -> Option<usize> {
    let whole = token.chars().count();
    let by_word = |word: &Word| word.matches(token).then(|| if word.prefix { word.text.chars().count().min(whole) } else { whole });
    match unit {
        Unit::Word(word) => by_word(word),
        Unit::Phrase(words) => words.iter().any(|w| w == token).then_some(whole),
        Unit::Synonyms { typed, others } => {
            typed.iter().filter_map(by_word).max().or_else(|| others.iter().flatten().any(|w| w == token).then_some(whole))
        }
    }
}

/// The edit distance (a swap of neighbours counting as one) from `typed` to each prefix of
/// `candidate`, the whole of it last.
fn distances_to_prefixes(typed: &[char], candidate: &[char]) -> Vec<usize> {
    // Rows over `typed`, columns over `candidate`: the last row holds the distances wanted.
    let width = candidate.len() + 1;
    let mut rows: Vec<Vec<usize>> = vec![(0..width).collect()];
    for (i, &t) in typed.iter().enumerate() {
        let mut row = vec![i + 1; width];
        for (j, &c) in candidate.iter().enumerate() {
            let substitution = rows[i][j] + usize::from(t != c);
            let mut best = substitution.min(rows[i][j + 1] + 1).min(row[j] + 1);
            if i > 0 && j > 0 && t == candidate[j - 1] && typed[i - 1] == c {
                best = best.min(rows[i - 1][j - 1] + 1);
            }
            row[j + 1] = best;
        }
        rows.push(row);
    }
    rows.pop().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, prefix: bool) -> Word {
        Word::typed(text.to_string(), prefix)
    }

    #[test]
    fn typos_are_forgiven_by_length() {
        assert!(!word("bnis", false).matches("bins"), "4 letters: no typo");
        assert!(word("trafic", false).matches("traffic"), "6 letters: one typo");
        assert!(!word("trafc", false).matches("trffic"));
        assert!(word("transprot", false).matches("transport"), "a swap is one typo");
        assert!(word("trasnprot", false).matches("transport"), "9 letters: two typos");
        assert!(!word("tarsnprot", false).matches("transport"), "three is too many");
    }

    #[test]
    fn the_last_word_is_a_prefix() {
        assert!(word("transp", true).matches("transport"));
        assert!(!word("transp", false).matches("transport"));
        assert!(word("tarnsp", true).matches("transport"), "a prefix with a typo");
    }

    #[test]
    fn queries_become_units() {
        let units = parse_query("Rubbish collecton \"bus stop\"");
        assert!(
            matches!(&units[0], Unit::Synonyms { others, .. } if others.contains(&vec!["waste".to_string(), "collection".to_string()]))
        );
        assert_eq!(units[1], Unit::Word(word("collecton", false)));
        assert_eq!(units[2], Unit::Phrase(vec!["bus".into(), "stop".into()]));
        assert!(matches!(&parse_query("waste collection")[0], Unit::Synonyms { typed, .. } if typed.len() == 2 && typed[1].prefix));
        assert_eq!(parse_query("Café")[0], Unit::Word(word("cafe", true)));
    }

    fn pairs(text: &str) -> Vec<String> {
        let mut tokenizer = PairTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut pairs = Vec::new();
        while let Some(token) = stream.next() {
            pairs.push(token.text.clone());
        }
        pairs
    }

    #[test]
    fn pairs_are_neighbouring_words() {
        assert_eq!(pairs("Open data, for bins!"), ["open data", "data for", "for bins"]);
        let long = "x".repeat(41);
        assert_eq!(pairs(&format!("bin {long} day")), Vec::<String>::new(), "no pair across a word too long to keep");
        assert_eq!(pairs("one"), Vec::<String>::new());
    }

    #[test]
    fn highlights_the_words_that_matched() {
        let fragments = highlight("Bus times for Leeds", &parse_query("leeds bus"));
        let marked: Vec<&str> = fragments.iter().filter(|f| f.matched).map(|f| f.text.as_str()).collect();
        assert_eq!(marked, ["Bus", "Leeds"]);
        assert_eq!(fragments.iter().map(|f| f.text.as_str()).collect::<String>(), "Bus times for Leeds");
        let partial = highlight("Transport planning", &parse_query("transp"));
        assert_eq!(partial[0], Fragment { text: "Transp".into(), matched: true });
    }
}
