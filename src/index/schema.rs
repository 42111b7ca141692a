//! The index schema: every field Lantern stores, and why it is configured the way it is.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, Term, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::tokenizer::{RawTokenizer, RemoveLongFilter, TextAnalyzer, RAW_TOKENIZER_NAME};
use tantivy::Index;

use super::fold::{fold, Folder};
use super::language::Language;
use super::tokenizer::{PathTokenizer, TextTokenizer};
use super::IndexError;

/// The version of the index's layout: its fields, their options and how their terms are spelled
/// (tokenizing, folding, stemming). Recorded in every commit (see [`super::Catalog`]); an index of
/// another version is rebuilt by `lantern index` and refused by everything else. Bump it whenever
/// a change makes an older index read wrongly. Version 1: the indexes made before the version was
/// recorded; 2: folded terms (case, accents, compatibility forms); 3: the stemmed fields and the
/// index's language; 4: archive members as documents (`::` splits path components, and archives
/// an older index skipped as binary files must be read); 5: the stemmed fields hold only the words
/// that differ from their stem; 6: no stemmed fields (a word's other forms are found at query
/// time, see `search::stem`); 7: e-mail messages as documents, with the `from`, `to` and `date`
/// fields, and the hash of a document's text (`text_hash`), which finds its copies.
pub const SCHEMA_VERSION: u32 = 7;

/// Name of the tokenizer that splits a path into its components (`/usr/src/a.rs` → `usr`, `src`,
/// `a.rs`), so that `path:src` and `path:*.rs` match a component.
pub const PATH_TOKENIZER: &str = "lantern_path";

/// Name of the tokenizer of document text ([`TextTokenizer`]).
pub const TEXT_TOKENIZER: &str = "lantern_text";

/// Handles to the fields of a Lantern index.
#[derive(Clone, Copy, Debug)]
pub struct LanternSchema {
    /// The file's path key (see [`super::path_key`]) as one exact term: the document's identity,
    /// used to find, replace and delete it, and to answer `path:[a TO m]` ranges. A fast field, to
    /// show it without opening the doc store, and stored, to show it with the text for free.
    pub path: Field,
    /// The path split into components, for `path:word` queries and for highlighting paths.
    pub path_parts: Field,
    /// Each path component lower-cased and spelled backwards (`sr.niam`), so that a leading
    /// wildcard (`path:*.rs`) is a prefix search over these instead of a scan of every component.
    pub path_parts_reversed: Field,
    /// The file's text. Indexed with positions (phrase and proximity queries need them) and stored
    /// (the highlighter re-reads the text of each hit). Its words are the (folded) forms as
    /// written: an unquoted word also matches the other forms of its stem in the dictionary,
    /// looked up when it is searched (`search::stem`).
    pub contents: Field,
    /// The document's own title (PDF document info, HTML `<title>`, document properties), when
    /// it has one: tokenized like the text, with positions; its whole value is a fast field.
    pub title: Field,
    /// The document's type (`text`, `pdf`, `html`...) as one exact term and a fast field.
    pub doc_type: Field,
    /// Modification time in nanoseconds since the Unix epoch (fast field): with `size`, tells an
    /// incremental run whether a file changed without reading it.
    pub mtime: Field,
    /// File size in bytes (fast field).
    pub size: Field,
    /// An e-mail's sender (`Name <address>`): tokenized like the text, with positions (so that
    /// `from:alice@example.com` is the phrase of its words); its whole value is a fast field,
    /// shown with the hit.
    pub from: Field,
    /// An e-mail's recipients (To, Cc, Bcc), tokenized like the text, with positions.
    pub to: Field,
    /// A 64-bit hash of the document's title and text (XXH64), absent when the text is empty: a
    /// fast field, read for the few best candidates of a search to fold copies of one text into
    /// one hit, and a term, whose document frequency counts a hit's copies in the whole index.
    pub text_hash: Field,
    /// The document's own date (an e-mail's `Date:`, PDF or office metadata, an e-book's
    /// publication date) in nanoseconds since the Unix epoch, like `mtime`; absent when it gives
    /// none. A fast field: `date:` clauses scan it as `modified:` clauses scan `mtime`, and
    /// `--sort date` reads it.
    pub date: Field,
    /// The language a word's other forms are found in, recorded with the index (not a field).
    pub language: Language,
}

impl LanternSchema {
    /// Builds the schema and the handles to its fields, for an index stemmed in `language`.
    pub fn build(language: Language) -> (Schema, LanternSchema) {
        let mut builder = Schema::builder();
        // What a hit shows besides its fragments (path, title, type) is in fast fields: a search
        // without fragments then never decompresses a block of stored text (the doc store
        // compresses whole documents together). A fast text field keeps, per segment, a
        // dictionary of the values and each document's ordinal in it: one lookup per hit and
        // field, which for paths means decoding part of a 4 KB block of prefix-compressed keys
        // (about 3 µs a hit, a third of a search without fragments). So the path is stored as
        // well: a hit whose text is read for fragments takes its path from the same document.
        //
        // `STRING` is the raw tokenizer: the whole path is one term, so deleting a file's document
        // is a single `delete_term`. `FAST` keeps the whole value too (its tokenizer is raw).
        let path = builder.add_text_field("path", STRING | FAST | STORED);
        let path_parts = builder.add_text_field(
            "path_parts",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(PATH_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        // Raw terms, one value per component, written reversed by the indexer; no positions.
        let path_parts_reversed = builder.add_text_field("path_parts_reversed", STRING);
        // Words of letters and digits, lower-cased (searches are case-insensitive), CJK
        // ideographs one by one; see `TextTokenizer`.
        let contents = builder.add_text_field("contents", words().set_stored());
        // The raw tokenizer keeps the whole title as the fast value, not its words.
        let title = builder.add_text_field("title", words().set_fast(RAW_TOKENIZER_NAME));
        let doc_type = builder.add_text_field("type", STRING | FAST);
        let mtime = builder.add_u64_field("mtime", FAST);
        let size = builder.add_u64_field("size", FAST);
        // Addresses are words like any other (`alice`, `example`, `com`): no stemming, which
        // would turn names into other words.
        let from = builder.add_text_field("from", words().set_fast(RAW_TOKENIZER_NAME));
        let to = builder.add_text_field("to", words());
        let text_hash = builder.add_u64_field("text_hash", FAST | INDEXED);
        let date = builder.add_u64_field("date", FAST);
        let fields = LanternSchema {
            path,
            path_parts,
            path_parts_reversed,
            contents,
            title,
            doc_type,
            mtime,
            size,
            from,
            to,
            text_hash,
            date,
            language,
        };
        (builder.build(), fields)
    }

    /// Reads the field handles of an existing index, failing if it was not made by this version
    /// of Lantern: every field must be configured exactly as [`LanternSchema::build`] does it (an
    /// index of another program may have a field of the same name with other options). Its
    /// words are stemmed in `language`, which the index records.
    pub fn from_index(index: &Index, language: Language) -> Result<LanternSchema, IndexError> {
        let schema = index.schema();
        let (expected, _) = LanternSchema::build(language);
        let field = |name: &str| {
            schema
                .get_field(name)
                .ok()
                .filter(|&field| {
                    expected.get_field(name).is_ok_and(|wanted| {
                        schema.get_field_entry(field) == expected.get_field_entry(wanted)
                    })
                })
                .ok_or_else(|| IndexError::NotLantern(name.to_string()))
        };
        Ok(LanternSchema {
            path: field("path")?,
            path_parts: field("path_parts")?,
            path_parts_reversed: field("path_parts_reversed")?,
            contents: field("contents")?,
            title: field("title")?,
            doc_type: field("type")?,
            mtime: field("mtime")?,
            size: field("size")?,
            from: field("from")?,
            to: field("to")?,
            text_hash: field("text_hash")?,
            date: field("date")?,
            language,
        })
    }

    /// The term that identifies the document of the file at `path`: deleting it replaces or
    /// removes that document.
    pub fn path_term(&self, path: &str) -> Term {
        Term::from_field_text(self.path, path)
    }
}

/// A field of words: tokenized by [`TextTokenizer`], with positions (phrase and proximity
/// queries need them).
fn words() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Registers Lantern's custom tokenizers on `index`; tantivy does not persist them, so this runs
/// every time an index is created or opened.
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(PATH_TOKENIZER, path_analyzer());
    index.tokenizers().register(TEXT_TOKENIZER, text_analyzer());
}

/// The analyzer for `contents`: see [`TextTokenizer`].
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(TextTokenizer::default())
}

/// The analyzer of `type` in queries: the whole word, folded (types are indexed as lower-case
/// ASCII names).
pub fn keyword_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(Folder)
        .build()
}

/// Splits a path into its components, as the `path_parts` analyzer does: at slashes, and at the
/// `::` between an archive and its member.
pub fn path_components(path: &str) -> impl Iterator<Item = &str> {
    path.split(['/', '\\'])
        .flat_map(|part| part.split("::"))
        .map(|component| component.trim_matches(':'))
        .filter(|component| !component.is_empty() && component.len() < MAX_COMPONENT_BYTES)
}

/// A path component as `path_parts_reversed` stores it: folded, then spelled backwards.
pub fn reversed_component(component: &str) -> String {
    fold(component).chars().rev().collect()
}

/// Path components this long or longer are not indexed.
const MAX_COMPONENT_BYTES: usize = 255;

/// The analyzer for `path_parts`: components between slashes, folded like words (`Café.txt`
/// is `cafe.txt`).
pub fn path_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(PathTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_COMPONENT_BYTES))
        .filter(Folder)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_split_and_reversed() {
        let components: Vec<&str> = path_components("/src//Main.RS").collect();
        assert_eq!(components, ["src", "Main.RS"]);
        assert_eq!(reversed_component("Main.RS"), "sr.niam");
    }
}
