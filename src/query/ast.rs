//! The parsed form of a Lucene-style query, independent of tantivy.
//!
//! The parser produces it, the compiler turns it into a tantivy query, and the highlighter reads it to
//! know which tokens to mark. Keeping one tree for all three guarantees they agree on what was asked.

use std::ops::Bound;

/// The field a query clause searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldName {
    /// No field named: the document's text and its title.
    Default,
    /// The document's text (`contents:`).
    Contents,
    /// The document's own title, for documents that have one (`title:`).
    Title,
    /// The document's absolute path (`path:`).
    Path,
    /// The document's type: `pdf`, `html`, `text`... (`type:`).
    Type,
    /// An e-mail's sender, name and address (`from:`).
    From,
    /// An e-mail's recipients, To, Cc and Bcc (`to:`).
    To,
}

/// A number kept in a fast field (every document has a modification time and a size, some a
/// date of their own), that `field:` clauses compare with values,
/// ranges and `>`/`<` forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumericField {
    /// The file's modification time, in nanoseconds since the Unix epoch (`modified:`).
    Modified,
    /// The document's own date (PDF or office metadata), in nanoseconds since the Unix epoch
    /// (`date:`); a document without one never matches.
    Date,
    /// The file's size in bytes (`size:`).
    Size,
}

/// How a clause takes part in a boolean query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occur {
    /// The clause may match; matching raises the score (Lucene's default `OR`).
    Should,
    /// The clause must match (`+word`, `AND`).
    Must,
    /// The clause must not match (`-word`, `NOT`, `!`).
    MustNot,
}

/// One clause of a boolean query.
#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    /// Whether the clause is optional, required or forbidden.
    pub occur: Occur,
    /// What the clause matches.
    pub query: QueryNode,
}

/// A node of the query tree. Text is kept as the user typed it (unescaped, not yet analysed): the
/// compiler and the highlighter run it through the field's tokenizer themselves.
#[derive(Clone, Debug, PartialEq)]
pub enum QueryNode {
    /// A boolean combination of clauses.
    Bool(Vec<Clause>),
    /// A single word, e.g. `rust` or `path:drivers`.
    Term { field: FieldName, text: String },
    /// A quoted phrase, e.g. `"error handling"`, with proximity slop (`"a b"~10`; 0 when absent).
    Phrase {
        field: FieldName,
        text: String,
        slop: u32,
    },
    /// A word with `*` or `?` wildcards, e.g. `test*`, `te?t`, `*.rs`.
    Wildcard { field: FieldName, pattern: String },
    /// A fuzzy word, e.g. `roam~` (distance 2) or `roam~1`.
    Fuzzy {
        field: FieldName,
        text: String,
        distance: u8,
    },
    /// A regular expression matched against whole terms, e.g. `/joh?n(ath[oa]n)/`.
    Regex { field: FieldName, pattern: String },
    /// A range of terms, e.g. `path:[a TO m]` (inclusive) or `path:{a TO m}` (exclusive); `*` is an
    /// open end.
    Range {
        field: FieldName,
        lower: Bound<String>,
        upper: Bound<String>,
    },
    /// The documents whose `field` is in `start..end` (`end` excluded): what every form of a
    /// `modified:` or `size:` clause comes to once its dates and units are read.
    Span {
        field: NumericField,
        start: u64,
        end: u64,
    },
    /// A sub-query whose score is multiplied by `boost`, e.g. `jakarta^4`.
    Boost { query: Box<QueryNode>, boost: f32 },
    /// Every document (`*:*`, or `*` alone).
    All,
}
