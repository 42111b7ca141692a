//! What a phrase matches, with or without slop: the one definition, used by the search to find
//! and count a phrase's matches in a document, and by highlighting to mark them.
//!
//! A match starts at an occurrence of the phrase's first word; each next word is the occurrence
//! closest to its place (one position after the previous word's), on either side, not used by
//! an earlier word of the same match, and the distances from their places add up to at most the
//! slop. So, as in Lucene, enough slop lets words swap, and a word repeated in the phrase needs
//! as many occurrences in the text.
//!
//! The work is bounded whatever the phrase and the text: each word of a match is found by
//! binary search in its word's occurrences, and the memory is the occurrence lists themselves
//! plus one match; and the deadline is looked at as it goes. (tantivy's own scorer for sloppy phrases of three words or more keeps, for
//! a word repeated in the phrase, every combination of its occurrences within the slop: a
//! phrase of ten `the` grew past 8 GB on one document.)

use crate::deadline::Deadline;

/// About how many words of a phrase are looked for between two looks at the deadline: a few
/// milliseconds of work at most, where a look costs tens of nanoseconds.
const WORDS_PER_CHECK: usize = 1 << 14;

/// Finds the matches of one phrase, starting from each occurrence of its first word.
///
/// `T` identifies an occurrence (a position, or the index of a token); `position` gives its
/// position in the text. Occurrence lists are sorted by position.
pub struct PhraseMatcher<'a, T, P> {
    /// The occurrences of each distinct word, by word id.
    lists: &'a [&'a [T]],
    /// The phrase: a word id per word.
    words: &'a [usize],
    position: P,
    slop: usize,
    /// The match being built.
    found: Vec<T>,
    /// For a word the phrase repeats, the match that last used each of its occurrences (0:
    /// none); empty for the other words, whose occurrences no earlier word can have used. One
    /// look tells whether an occurrence is taken, so a phrase of a thousand `the` costs a
    /// thousand steps per match, not a million.
    used_by: Vec<Vec<u32>>,
    /// The number of the match being built, as recorded in `used_by`.
    generation: u32,
}

impl<'a, T: Copy, P: Fn(T) -> usize> PhraseMatcher<'a, T, P> {
    /// A matcher for the phrase `words` (word ids into `lists`), allowing `slop` positions in all
    /// between its words and their places.
    pub fn new(lists: &'a [&'a [T]], words: &'a [usize], position: P, slop: u32) -> Self {
        let used_by = (0..lists.len())
            .map(|id| {
                let repeated = words.iter().filter(|&&word| word == id).count() > 1;
                if repeated {
                    vec![0; lists[id].len()]
                } else {
                    Vec::new()
                }
            })
            .collect();
        PhraseMatcher {
            lists,
            words,
            position,
            slop: usize::try_from(slop).unwrap_or(usize::MAX),
            found: Vec::with_capacity(words.len()),
            used_by,
            generation: 0,
        }
    }

    /// How many occurrences the phrase's first word has: the places a match can start from.
    pub fn starts(&self) -> usize {
        self.list(0).len()
    }

    /// Calls `found` with each match, from each start in turn, until `deadline` passes (looked
    /// at every [`WORDS_PER_CHECK`] words or so). Returns false when the deadline cut it short.
    pub fn each_match(&mut self, deadline: &Deadline, mut found: impl FnMut(&[T])) -> bool {
        let starts_per_check = (WORDS_PER_CHECK / self.words.len().max(1)).max(1);
        for start in 0..self.starts() {
            if (start + 1).is_multiple_of(starts_per_check) && deadline.passed() {
                return false;
            }
            if let Some(words) = self.match_from(start) {
                found(words);
            }
        }
        true
    }

    /// The match starting at the `start`th occurrence of the first word, each word's occurrence
    /// in phrase order; `None` when the phrase does not match from there.
    pub fn match_from(&mut self, start: usize) -> Option<&[T]> {
        let first = *self.list(0).get(start)?;
        self.next_generation();
        self.found.clear();
        self.found.push(first);
        self.take(0, start);
        let mut budget = self.slop;
        let mut at = first;
        for word in 1..self.words.len() {
            let expected = (self.position)(at) + 1;
            let index = self.closest(word, expected, budget)?;
            let next = self.list(word)[index];
            budget -= (self.position)(next).abs_diff(expected);
            self.take(word, index);
            self.found.push(next);
            at = next;
        }
        Some(&self.found)
    }

    fn list(&self, word: usize) -> &'a [T] {
        self.words
            .get(word)
            .and_then(|&id| self.lists.get(id))
            .copied()
            .unwrap_or(&[])
    }

    /// Starts a new match: occurrences used by earlier ones are free again.
    fn next_generation(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.used_by.iter_mut().for_each(|used| used.fill(0));
            self.generation = 1;
        }
    }

    /// Marks the `index`th occurrence of the phrase's `word` as used by this match.
    fn take(&mut self, word: usize, index: usize) {
        let generation = self.generation;
        if let Some(used) = self.used_by.get_mut(self.words[word]) {
            if let Some(slot) = used.get_mut(index) {
                *slot = generation;
            }
        }
    }

    /// Whether this match already used the `index`th occurrence of the phrase's `word`.
    fn taken(&self, word: usize, index: usize) -> bool {
        self.used_by
            .get(self.words[word])
            .and_then(|used| used.get(index))
            .is_some_and(|&generation| generation == self.generation)
    }

    /// The index of the occurrence of the phrase's `word` closest to `expected` and at most
    /// `budget` positions from it, leaving out those this match already used; on a tie, the
    /// earlier one.
    fn closest(&self, word: usize, expected: usize, budget: usize) -> Option<usize> {
        let list = self.list(word);
        let position = |index: usize| (self.position)(list[index]);
        let split = list.partition_point(|&occurrence| (self.position)(occurrence) < expected);
        // Walking out from `expected`, past used occurrences (at most one per earlier word),
        // never past the budget.
        let below = (0..split)
            .rev()
            .take_while(|&index| expected - position(index) <= budget)
            .find(|&index| !self.taken(word, index));
        let above = (split..list.len())
            .take_while(|&index| position(index) - expected <= budget)
            .find(|&index| !self.taken(word, index));
        match (below, above) {
            (Some(below), Some(above)) => {
                let distance = |index: usize| position(index).abs_diff(expected);
                Some(if distance(above) < distance(below) {
                    above
                } else {
                    below
                })
            }
            (below, above) => below.or(above),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matches of the phrase `words` (ids into `lists`, lists of positions).
    fn matches(lists: &[&[usize]], words: &[usize], slop: u32) -> Vec<Vec<usize>> {
        let mut matcher = PhraseMatcher::new(lists, words, |position| position, slop);
        (0..matcher.starts())
            .filter_map(|start| matcher.match_from(start).map(<[usize]>::to_vec))
            .collect()
    }

    #[test]
    fn words_are_found_within_the_slop_on_either_side() {
        // "handle the error where it happens": handle 0, error 2, happens 5.
        let lists: &[&[usize]] = &[&[0], &[2], &[5]];
        assert!(matches(lists, &[0, 1, 2], 2).is_empty());
        assert_eq!(matches(lists, &[0, 1, 2], 3), [[0, 2, 5]]);
        // Swapped words cost two positions each.
        assert_eq!(matches(lists, &[1, 0], 3), [[2, 0]]);
        assert!(matches(lists, &[1, 0], 2).is_empty());
    }

    #[test]
    fn a_repeated_word_needs_as_many_occurrences() {
        let once: &[&[usize]] = &[&[4]];
        assert!(matches(once, &[0, 0], 10).is_empty());
        let thrice: &[&[usize]] = &[&[1, 4, 9]];
        assert!(matches(thrice, &[0, 0, 0], 4).is_empty());
        assert_eq!(matches(thrice, &[0, 0, 0], 6), [[1, 4, 9]]);
    }

    #[test]
    fn a_passed_deadline_stops_the_matches() {
        let positions: Vec<usize> = (0..100_000).collect();
        let lists: &[&[usize]] = &[&positions];
        let words = [0, 0, 0];
        let mut matcher = PhraseMatcher::new(lists, &words, |position| position, 0);
        let mut found = 0;
        assert!(matcher.each_match(&Deadline::never(), |_| found += 1));
        assert_eq!(found, 100_000 - 2);
        let passed = Deadline::after(Some(std::time::Duration::ZERO));
        found = 0;
        assert!(!matcher.each_match(&passed, |_| found += 1));
        assert!(found < 10_000, "{found}");
    }

    #[test]
    fn a_long_phrase_of_one_word_costs_a_step_per_word() {
        // Two thousand positions in a row, a phrase of five hundred times the same word: each
        // start finds its words next to it; those too near the end find no room.
        let positions: Vec<usize> = (0..2000).collect();
        let lists: &[&[usize]] = &[&positions];
        let words = vec![0; 500];
        assert_eq!(matches(lists, &words, 255).len(), 2000 - 499);
    }
}
