//! Running a query: parse, compile, collect the best hits, and highlight each of them.

mod collect;
mod columns;
mod compile;
mod correct;
pub mod deadline;
mod document;
mod duplicates;
pub mod expand;
mod facets;
mod folders;
mod freshness;
mod pattern;
mod phrase;
mod sort;
mod stored;
mod term_walk;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tantivy::collector::{Count, TopDocs};
use tantivy::{DocAddress, IndexReader, Score, Searcher, TantivyError};

use crate::highlight::{FragmentOptions, Highlighter, MarkedText};
use crate::index::path_key::{display_key, split_member};
use crate::index::schema::text_analyzer;
use crate::index::{guard_engine, open_index, open_reader, Catalog, IndexError, LanternSchema};
use crate::query::ast::QueryNode;
use crate::query::lenient::read_leniently;
use crate::query::{
    check_size, lower, parse, parse_with_words, Analyzers, DefaultOperator, Filters, LowerError,
    Lowered, QueryError, QuerySyntaxError, Target,
};
use collect::Collection;
use columns::{ColumnCache, HitColumns};
use compile::compile;
use correct::{Misspelled, Speller};
use deadline::{Deadline, DeadlineQuery};
use duplicates::{first_pool, fold_copies, matching_copies, next_pool, Kept};
use expand::TermExpander;
use facets::FacetCollector;
use folders::FolderScope;
use freshness::CommitWatch;
use sort::top_sorted;
use stored::StoredText;

pub use document::StoredDocument;
pub use facets::Facets;
pub use sort::{Sort, SortError, SortKey};

/// What to search for and how much to return.
#[derive(Clone, Debug)]
pub struct SearchRequest {
    /// The query, in Lucene's classic syntax.
    pub query: String,
    /// Filters whose clauses are added to the query (see [`Filters::compose`]); never read
    /// leniently, so that a malformed filter is refused even when the query is read past.
    pub filters: Filters,
    /// The operator between clauses that have none.
    pub default_operator: DefaultOperator,
    /// How many hits to return, best first.
    pub limit: usize,
    /// The order of the hits: relevance, or a fast field.
    pub sort: Sort,
    /// Whether to count all matching documents by type and month ([`Facets`]).
    pub facets: bool,
    /// Whether documents with the same text are one hit, the others listed in its
    /// [`Hit::also_at`]: the copy kept is the first in the order asked (by relevance, among
    /// equal scores the shortest path). `total` and the facets still count every copy.
    pub collapse: bool,
    /// How many of the best hits to skip before those returned (for paging): with offset 50,
    /// the first hit returned has rank 51.
    pub offset: usize,
    /// How many fragments per hit, and how long.
    pub fragments: FragmentOptions,
    /// How long the search may take; past it, the hits found so far are returned, flagged as
    /// partial. `None`: no limit.
    pub timeout: Option<Duration>,
    /// Whether the hits may be highlighted on several threads: the fastest for a search alone.
    /// A server running several searches at once does better without, each search keeping to
    /// its own thread: handing hits between threads then only costs.
    pub parallel: bool,
    /// Whether misspelled words are corrected from the index's own words (see
    /// [`Correction`]).
    pub correct: bool,
    /// Whether a query that is not valid syntax is searched as the words it holds (the syntax
    /// error then comes with the results) instead of refused.
    pub lenient: bool,
}

impl SearchRequest {
    /// The query run: the query with the filters' clauses, as results report it and a
    /// syntax error points into it.
    pub fn query_run(&self) -> String {
        self.filters.compose(&self.query)
    }
}

/// Fewer hits than this are few: a likely correction of the query is then suggested, when it
/// finds at least this many and twice as many.
const FEW_HITS: usize = 5;

/// What spelling correction made of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Correction {
    /// The hits are those of `corrected`, not of the query: a word of the query is not in the
    /// index, or far rarer there than the word replacing it.
    Applied {
        /// The query with every misspelled word replaced.
        corrected: String,
    },
    /// The hits are the query's own, and few; `suggested` would find many more.
    Suggested {
        /// The query with its likely misspelled words replaced.
        suggested: String,
    },
}

/// The outcome of a search, ready for any output format.
#[derive(Clone, Debug)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// The query whose hits these are: `query`, its correction, or for a lenient search of a
    /// query that is not valid syntax, its words. What a page showing a hit's matches must use.
    pub searched: String,
    /// How many documents match in all (not only those returned).
    pub total: usize,
    /// Time to search and highlight.
    pub elapsed: Duration,
    /// True when the search ran out of time: `total` and `hits` cover only the part of the index
    /// searched by then, and hits highlighted too late have no fragments.
    pub timed_out: bool,
    /// The best hits, best first.
    pub hits: Vec<Hit>,
    /// What spelling correction made of the query, if anything.
    pub correction: Option<Correction>,
    /// For a lenient search of a query that is not valid syntax: why not. The hits are then
    /// those of the query's words.
    pub syntax_error: Option<QuerySyntaxError>,
    /// Counts of all matching documents by type and month, when asked for.
    pub facets: Option<Facets>,
    /// How many copies the hits returned stand for besides themselves: the sum of their
    /// [`Hit::also_at`]. `total` counts them too.
    pub collapsed: usize,
}

/// One matching document.
#[derive(Clone, Debug)]
pub struct Hit {
    /// 1 for the best hit.
    pub rank: usize,
    /// BM25 relevance score; 0 when the hits are sorted by another key (they are not scored).
    pub score: f32,
    /// The file's absolute path, as people see it: bytes that are not UTF-8 shown as U+FFFD.
    pub path: String,
    /// The document's identity in the index, its path key (see [`crate::index::path_key`]):
    /// `path` itself unless the path has bytes that are not UTF-8. What
    /// [`IndexSearcher::document`] looks a document up by.
    pub key: String,
    /// The path with the parts matched by `path:` clauses marked.
    pub marked_path: MarkedText,
    /// The document's own title, if it has one, with the words the query found in it marked.
    pub title: Option<MarkedText>,
    /// The document's type: `text`, `pdf`, `html`...
    pub doc_type: String,
    /// The document's own date (PDF or office metadata), in nanoseconds since the Unix epoch,
    /// if it has one.
    pub date: Option<u64>,
    /// The best fragments of the text, best first.
    pub fragments: Vec<MarkedText>,
    /// Where each fragment's first match is in the text, in the same order.
    pub locations: Vec<Location>,
    /// The paths of the other matching documents with the same text (its copies), in byte
    /// order: folded into this hit unless the search asked for every copy
    /// ([`SearchRequest::collapse`]).
    pub also_at: Vec<String>,
}

impl Hit {
    /// The key, when it is not `path`: what an output that shows `path` must also carry for the
    /// document to be found again.
    pub fn distinct_key(&self) -> Option<&str> {
        (self.key != self.path).then_some(self.key.as_str())
    }

    /// For a member of an archive: the archive's path and the member's path inside it.
    pub fn container_and_member(&self) -> Option<(String, String)> {
        let (container, member) = split_member(&self.key);
        member.map(|member| (display_key(container).into_owned(), member))
    }
}

/// Where a fragment's first match (or, when it marks nothing, its start) is in its document:
/// what a reader looks for, on the right page when the fragment spans a page break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// The 1-based line.
    pub line: usize,
    /// The 1-based page, for paginated documents (pages separated by form feeds, `\f`).
    pub page: Option<usize>,
}

impl Location {
    /// The locations of the byte offsets `starts` in `text`; pages only when `text` has any.
    /// One pass over the text up to the last start, counting with SIMD-accelerated search: a hit's
    /// text can be megabytes, and this runs for every hit.
    pub fn all_of(text: &str, starts: impl Iterator<Item = usize>) -> Vec<Location> {
        let bytes = text.as_bytes();
        let paginated = memchr::memchr(PAGE_BREAK as u8, bytes).is_some();
        let mut order: Vec<(usize, usize)> = starts
            .map(|at| at.min(bytes.len()))
            .enumerate()
            .map(|(index, at)| (at, index))
            .collect();
        order.sort_unstable();
        let mut locations = vec![
            Location {
                line: 1,
                page: None
            };
            order.len()
        ];
        let (mut at, mut lines, mut pages) = (0, 0, 0);
        for (start, index) in order {
            let between = &bytes[at..start];
            lines += memchr::memchr_iter(b'\n', between).count();
            if paginated {
                pages += memchr::memchr_iter(PAGE_BREAK as u8, between).count();
            }
            at = start;
            locations[index] = Location {
                line: lines + 1,
                page: paginated.then_some(pages + 1),
            };
        }
        locations
    }
}

/// What separates the pages of a paginated document's text (a form feed).
pub const PAGE_BREAK: char = '\u{c}';

/// Why a search could not run.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index is missing, corrupt or busy.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The query is malformed.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// tantivy failed while searching (e.g. a damaged segment file). The cause is part of the
    /// message, not a `source`, so that it is printed once.
    #[error("search failed in the index at {} ({cause}); it may be damaged: run 'lantern index --rebuild <DIR>...'", .path.display())]
    Engine {
        /// The index folder.
        path: PathBuf,
        /// What tantivy reported.
        cause: TantivyError,
    },
}

/// An open index, ready to answer queries.
pub struct IndexSearcher {
    dir: PathBuf,
    reader: IndexReader,
    fields: LanternSchema,
    commits: CommitWatch,
    columns: ColumnCache,
}

impl IndexSearcher {
    /// Opens the index at `dir`.
    pub fn open(dir: &Path) -> Result<IndexSearcher, IndexError> {
        guard_engine(dir, || {
            let (index, fields) = open_index(dir)?;
            // Noted before the reader opens: a commit landing in between is then seen as new
            // by the next `refresh`, never missed.
            let commits = CommitWatch::new(dir);
            let reader = open_reader(&index, dir)?;
            Ok(IndexSearcher {
                dir: dir.to_path_buf(),
                reader,
                fields,
                commits,
                columns: ColumnCache::default(),
            })
        })
    }

    /// Makes the commits other processes made since the last call visible to the searches that
    /// start after it. The reader is opened with `ReloadPolicy::Manual`, so a long-running
    /// process (`lantern serve`) calls this before each request: it costs one `stat` of the
    /// index's `meta.json` (which every commit replaces), and reloads the reader only when that
    /// file changed. Returns whether it reloaded.
    pub fn refresh(&self) -> Result<bool, SearchError> {
        if !self.commits.changed() {
            return Ok(false);
        }
        self.check_present()?;
        guard_engine(&self.dir, || {
            self.reader.reload().map_err(IndexError::Tantivy)
        })?;
        Ok(true)
    }

    /// [`IndexError::NoIndex`] when the index folder (its `meta.json`) was deleted since it was
    /// opened: a long-running process then names the cause instead of failing on the first
    /// segment file it cannot reload. Costs one `stat`.
    pub fn check_present(&self) -> Result<(), IndexError> {
        if self.commits.meta_exists() {
            Ok(())
        } else {
            Err(IndexError::NoIndex(self.dir.clone()))
        }
    }

    /// Runs `request`: the total number of matches and the best `limit` hits after the first
    /// `offset`, highlighted. A panic inside the engine (which damaged index files can cause)
    /// becomes [`IndexError::Damaged`].
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        catch_unwind(AssertUnwindSafe(|| self.search_unguarded(request)))
            .unwrap_or_else(|panic| Err(IndexError::from_panic(&self.dir, panic.as_ref()).into()))
    }

    fn search_unguarded(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let started = Instant::now();
        let deadline = Deadline::after(request.timeout);
        let searcher = self.reader.searcher();
        let expander = TermExpander::new(&searcher, self.fields.contents, &deadline);
        let mut analyzers = Analyzers::new(self.fields.language);
        let (query, mut syntax_error) = self.readable_query(request, &mut analyzers)?;
        if let Some(error) = &mut syntax_error {
            // A position in the query run, which results report.
            error.position += request.filters.query_start(&request.query);
        }
        let query = request.filters.compose(&query);
        let (tree, words) =
            parse_with_words(&query, request.default_operator).map_err(QueryError::from)?;
        check_size(&tree)?;
        let speller = Speller::new(
            &searcher,
            self.fields.contents,
            self.fields.title,
            &expander,
        );
        let rewrite = |misspelled| {
            speller
                .rewrite(&query, &words, &mut text_analyzer(), misspelled)
                .map_err(|err| self.engine_error(err))
        };
        let run = |tree: &QueryNode, limit: usize| {
            self.find(&searcher, &expander, tree, request, limit, &deadline)
        };
        let mut correction = None;
        let mut found = None;
        if request.correct {
            if let Some(corrected) = rewrite(Misspelled::Missing)? {
                let corrected_tree =
                    parse(&corrected, request.default_operator).map_err(QueryError::from)?;
                let hits = run(&corrected_tree, request.limit)?;
                // Never a correction that finds nothing (its word's documents all deleted).
                if hits.total > 0 {
                    correction = Some(Correction::Applied {
                        corrected: corrected.clone(),
                    });
                    found = Some((corrected, hits));
                }
            }
        }
        let (searched, found) = match found {
            Some(found) => found,
            None => (query.clone(), run(&tree, request.limit)?),
        };
        if request.correct && correction.is_none() && found.total < FEW_HITS {
            if let Some(suggested) = rewrite(Misspelled::Rare)? {
                let suggested_tree =
                    parse(&suggested, request.default_operator).map_err(QueryError::from)?;
                let total = run(&suggested_tree, 0)?.total;
                if total >= FEW_HITS && total >= 2 * found.total {
                    correction = Some(Correction::Suggested { suggested });
                }
            }
        }
        Ok(SearchResults {
            query: request.query_run(),
            searched,
            total: found.total,
            elapsed: started.elapsed(),
            timed_out: deadline.passed(),
            collapsed: found.hits.iter().map(|hit| hit.also_at.len()).sum(),
            hits: found.hits,
            correction,
            syntax_error,
            facets: found.facets,
        })
    }

    /// The query to run for `request`, before its filters: its own, or, for a lenient request
    /// whose query is not valid syntax, the words it holds, with the syntax error.
    fn readable_query(
        &self,
        request: &SearchRequest,
        analyzers: &mut Analyzers,
    ) -> Result<(String, Option<QuerySyntaxError>), SearchError> {
        // Filters alone are no query to read past.
        if !request.lenient || request.query.trim().is_empty() {
            return Ok((request.query.clone(), None));
        }
        read_leniently(
            &request.query,
            request.default_operator,
            &mut analyzers.contents,
        )
        .map_err(|err| QueryError::from(err).into())
    }

    /// Runs the parsed query `tree` as `request` asks, but for `limit` hits (0: only count):
    /// the total number of matches and the best hits after `request.offset`, highlighted.
    fn find(
        &self,
        searcher: &Searcher,
        expander: &TermExpander,
        tree: &QueryNode,
        request: &SearchRequest,
        limit: usize,
        deadline: &Arc<Deadline>,
    ) -> Result<Found, SearchError> {
        let (lowered, analyzers) = self.lower_query(tree, expander)?;
        let query = DeadlineQuery::new(
            compile(&lowered, &self.fields, deadline)?,
            Arc::clone(deadline),
        );

        // No more hits than documents: a huge `--limit` (or offset) must not reserve memory
        // for them. The collector keeps the best `offset + limit`; the first `offset` are skipped.
        let documents = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let offset = request.offset.min(documents);
        let limit = limit.min(documents - offset);
        // On this thread: every step of the query checks the deadline, so the work ends with
        // the search, and a server counts it against its limits until then.
        let wanted = offset + limit;
        // Hits in another order than relevance are not scored: their score is 0.
        let unscored = |found: Vec<DocAddress>| found.into_iter().map(|at| (0.0, at)).collect();
        let order = request
            .sort
            .fast_key()
            .map(|key| (key, request.sort.reversed));
        let scored = order.is_none();
        let folders = Arc::new(if request.facets {
            folder_scope(searcher, &request.filters)?
        } else {
            FolderScope::default()
        });
        let facet_collector = || FacetCollector {
            folders: Arc::clone(&folders),
        };
        // The best `pool` matches, their number, and the facets when asked for.
        let collect = |pool: usize| -> Result<Collected, SearchError> {
            match (&order, request.facets) {
                (None, false) => Collection::for_query(&lowered)
                    .run(searcher, &query, pool)
                    .map(|(top, total)| (top, total, None)),
                // Facets count every match: ranking cannot skip any, so one pass does both.
                (None, true) => {
                    let best = TopDocs::with_limit(pool.max(1)).order_by_score();
                    searcher
                        .search(&query, &(best, facet_collector()))
                        .map(|(top, (facets, total))| (top, total, Some(facets)))
                }
                (Some(order), false) => top_sorted(searcher, &query, *order, pool, Count)
                    .map(|(found, total)| (unscored(found), total, None)),
                (Some(order), true) => {
                    top_sorted(searcher, &query, *order, pool, facet_collector())
                        .map(|(found, (facets, total))| (unscored(found), total, Some(facets)))
                }
            }
            .map_err(|err| self.engine_error(err))
        };
        let engine = |err| self.engine_error(err);
        let open_columns = |addresses: &[DocAddress], read_keys: bool| {
            HitColumns::open(&self.columns, searcher, &self.fields, addresses, read_keys)
        };
        // The page of hits, and for each the addresses of its copies among the matches.
        let (top, total, facets, copies) = if request.collapse && limit > 0 {
            let mut pool = first_pool(wanted).min(documents);
            let (mut candidates, mut total, mut facets) = collect(pool)?;
            let kept = loop {
                let addresses: Vec<DocAddress> = candidates.iter().map(|&(_, at)| at).collect();
                let columns = open_columns(&addresses, false).map_err(engine)?;
                let kept = fold_copies(&candidates, &columns, scored).map_err(engine)?;
                // Enough distinct hits, or no more matches to collect.
                if kept.len() >= wanted || candidates.len() < pool || pool >= documents {
                    break kept;
                }
                pool = next_pool(pool).min(documents);
                (candidates, total, facets) = collect(pool)?;
            };
            let page: Vec<Kept> = kept.into_iter().skip(offset).take(limit).collect();
            let copies =
                matching_copies(searcher, &query, &page, |found| open_columns(found, false))
                    .map_err(engine)?;
            let top = page.iter().map(|kept| kept.found).collect();
            (top, total, facets, copies)
        } else {
            let (top, total, facets) = collect(wanted)?;
            let top: Vec<(Score, DocAddress)> = top.into_iter().skip(offset).take(limit).collect();
            let copies = vec![Vec::new(); top.len()];
            (top, total, facets, copies)
        };
        let top = &top[..];

        let highlighters = HitHighlighters {
            contents: Highlighter::new(
                &lowered,
                Target::Contents,
                analyzers.contents.clone(),
                request.fragments,
            )
            .with_deadline(Arc::clone(deadline)),
            title: Highlighter::marker(&lowered, Target::Title, analyzers.contents),
            path: Highlighter::marker(&lowered, Target::PathParts, analyzers.path),
        };
        // With fragments, a hit's path comes with its stored text.
        let addresses: Vec<DocAddress> = top.iter().map(|&(_, address)| address).collect();
        let read_keys = highlighters.contents.wants_no_fragments();
        let columns = open_columns(&addresses, read_keys).map_err(engine)?;
        let build = |highlighters: &mut HitHighlighters, (rank, &(score, address))| {
            let found = (offset + rank + 1, score, address);
            self.hit(searcher, &columns, highlighters, deadline, found)
        };
        let hits = if highlighters.contents.wants_no_fragments() || !request.parallel {
            // Only paths and titles to mark, or other searches keep the other threads busy:
            // handing hits to other threads would cost more.
            let mut highlighters = highlighters;
            top.iter()
                .enumerate()
                .map(|found| build(&mut highlighters, found))
                .collect::<Result<Vec<_>, SearchError>>()?
        } else {
            // Highlighting reads and scans each hit's stored text: in parallel.
            top.par_iter()
                .enumerate()
                .map_init(|| highlighters.clone(), build)
                .collect::<Result<Vec<_>, SearchError>>()?
        };
        let hits = self.with_copies(hits, copies, |found| open_columns(found, true))?;
        Ok(Found {
            total,
            hits,
            facets,
        })
    }

    /// `hits` with the paths of their copies, `copies` (in the same order), in byte order.
    fn with_copies(
        &self,
        mut hits: Vec<Hit>,
        copies: Vec<Vec<DocAddress>>,
        open_columns: impl Fn(&[DocAddress]) -> tantivy::Result<HitColumns>,
    ) -> Result<Vec<Hit>, SearchError> {
        let all: Vec<DocAddress> = copies.iter().flatten().copied().collect();
        if all.is_empty() {
            return Ok(hits);
        }
        let columns = open_columns(&all).map_err(|err| self.engine_error(err))?;
        for (hit, copies) in hits.iter_mut().zip(copies) {
            let mut paths = copies
                .into_iter()
                .map(|copy| Ok(display_key(&columns.key(copy)?).into_owned()))
                .collect::<tantivy::Result<Vec<String>>>()
                .map_err(|err| self.engine_error(err))?;
            paths.sort_unstable();
            hit.also_at = paths;
        }
        Ok(hits)
    }

    /// Parses, checks and lowers `query` as [`IndexSearcher::lower_query`] does, expanding its
    /// patterns from `searcher`'s terms until `deadline`.
    fn lower_text(
        &self,
        searcher: &Searcher,
        query: &str,
        default_operator: DefaultOperator,
        deadline: &Deadline,
    ) -> Result<(Lowered, Analyzers), SearchError> {
        let tree = parse(query, default_operator).map_err(QueryError::from)?;
        check_size(&tree)?;
        let expander = TermExpander::new(searcher, self.fields.contents, deadline);
        self.lower_query(&tree, &expander)
    }

    /// Lowers the parsed query `tree`, expanding its patterns with `expander`: what both
    /// searching and highlighting consume. Returns the analyzers the lowering used, which the
    /// highlighters must use too. A pattern whose expansion the deadline cuts short is left to
    /// its automaton.
    fn lower_query(
        &self,
        tree: &QueryNode,
        expander: &TermExpander,
    ) -> Result<(Lowered, Analyzers), SearchError> {
        let mut analyzers = Analyzers::new(self.fields.language);
        let lowered = lower(tree, &mut analyzers, Some(expander)).map_err(|err| match err {
            LowerError::Query(err) => SearchError::Query(err),
            LowerError::Index(err) => self.engine_error(err),
        })?;
        Ok((lowered, analyzers))
    }

    /// Builds one hit, `(rank, score, address)`: when fragments are wanted, its stored text
    /// (and path key), highlighted; its title and type (and otherwise its path key) from
    /// `columns`.
    fn hit(
        &self,
        searcher: &Searcher,
        columns: &HitColumns,
        highlighters: &mut HitHighlighters,
        deadline: &Deadline,
        (rank, score, address): (usize, f32, DocAddress),
    ) -> Result<Hit, SearchError> {
        let engine = |err| self.engine_error(err);
        // Past the deadline, or when none are asked for, the text is not even read.
        let mut stored = if deadline.passed() || highlighters.contents.wants_no_fragments() {
            None
        } else {
            Some(searcher.doc::<StoredText>(address).map_err(engine)?)
        };
        let (fragments, locations) = match &stored {
            Some(doc) => {
                let text = doc.first(self.fields.contents);
                let fragments = highlighters.contents.fragments(text);
                let starts = fragments
                    .iter()
                    .map(|fragment| fragment.first_mark_in(text));
                let locations = Location::all_of(text, starts);
                (fragments, locations)
            }
            None => (Vec::new(), Vec::new()),
        };
        let key = match stored.as_mut().and_then(|doc| doc.take(self.fields.path)) {
            Some(key) => key,
            None => columns.key(address).map_err(engine)?,
        };
        let path = display_key(&key).into_owned();
        let title = columns.title(address).map_err(engine)?;
        let title = Some(title.as_str())
            .filter(|title| !title.is_empty())
            .map(|title| highlighters.title.mark_all(title));
        Ok(Hit {
            rank,
            score,
            marked_path: highlighters.path.mark_all(&path),
            title,
            doc_type: columns.doc_type(address).map_err(engine)?,
            path,
            key,
            date: columns.date(address),
            locations,
            fragments,
            also_at: Vec::new(),
        })
    }

    /// A failure inside tantivy, blamed on this index.
    fn engine_error(&self, cause: TantivyError) -> SearchError {
        SearchError::Engine {
            path: self.dir.clone(),
            cause,
        }
    }
}

/// The folders whose matches the facets count: those one level below the index's roots, or
/// below the folder of the one path filter there is (several are no one folder to drill into).
fn folder_scope(searcher: &Searcher, filters: &Filters) -> Result<FolderScope, SearchError> {
    let catalog = Catalog::load(searcher.index())?;
    let mut paths = filters
        .paths
        .iter()
        .map(|path| path.trim())
        .filter(|path| !path.is_empty());
    let base = match (paths.next(), paths.next()) {
        (Some(path), None) => path,
        _ => "",
    };
    Ok(FolderScope::new(
        catalog.roots.keys().map(String::as_str),
        base,
    ))
}

/// What collecting the best matches gives: the best, with their scores (0 when not ranked by
/// relevance), the number of matches, and the facets when asked for.
type Collected = (Vec<(Score, DocAddress)>, usize, Option<Facets>);

/// What one run of a query found: how many documents match, and the hits asked for.
struct Found {
    total: usize,
    hits: Vec<Hit>,
    facets: Option<Facets>,
}

/// The highlighters for a hit's text, title and path; each thread gets its own copy.
#[derive(Clone)]
struct HitHighlighters {
    contents: Highlighter,
    title: Highlighter,
    path: Highlighter,
}

#[cfg(test)]
mod tests {
    use super::Location;

    #[test]
    fn locations_keep_the_order_of_their_starts() {
        let at = |line, page| Location {
            line,
            page: Some(page),
        };
        assert_eq!(
            Location::all_of("a\nb\u{c}c\nd", [6, 0, 2].into_iter()),
            [at(3, 2), at(1, 1), at(2, 1)]
        );
        assert_eq!(
            Location::all_of("x\ny", [2].into_iter()),
            [Location {
                line: 2,
                page: None
            }]
        );
    }
}
