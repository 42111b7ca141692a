//! Running a query on the local tantivy index: parse, compile, collect the best hits, and
//! highlight each of them. [`LocalEngine`] is the local index's side of the engine seam
//! ([`crate::engine::Engine`]).

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
mod local;
mod pattern;
mod phrase;
mod sort;
mod stem;
mod stored;
mod term_walk;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use tantivy::collector::{Count, TopDocs};
use tantivy::{DocAddress, IndexReader, Score, Searcher, TantivyError};

use crate::index::path_key::display_key;
use crate::index::schema::text_analyzer;
use crate::index::{guard_engine, open_index, open_reader, Catalog, IndexError, LanternSchema};
use crate::query::ast::QueryNode;
use crate::query::{
    check_size, lower, parse, parse_with_words, Analyzers, DefaultOperator, Filters, LowerError,
    Lowered, QueryError,
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

pub use local::LocalEngine;

pub use crate::engine::{
    Correction, EngineError, Facets, Hit, Location, SearchRequest, SearchResults, Sort, SortError,
    SortKey, StoredDocument, PAGE_BREAK,
};
use crate::engine::{FoundDocument, HitMarkers};

/// Fewer hits than this are few: a likely correction of the query is then suggested, when it
/// finds at least this many and twice as many.
const FEW_HITS: usize = 5;

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
    pub fn refresh(&self) -> Result<bool, EngineError> {
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

    /// The folders the index holds (its roots), their paths as hits show paths: what a page
    /// shows hit paths relative to. Read from the catalog of the index's last commit.
    pub fn roots(&self) -> Result<Vec<String>, IndexError> {
        guard_engine(&self.dir, || {
            let catalog = Catalog::load(self.reader.searcher().index())?;
            Ok(catalog
                .roots
                .keys()
                .map(|key| display_key(key).into_owned())
                .collect())
        })
    }

    /// Runs `request`: the total number of matches and the best `limit` hits after the first
    /// `offset`, highlighted. A panic inside the engine (which damaged index files can cause)
    /// becomes [`IndexError::Damaged`].
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, EngineError> {
        catch_unwind(AssertUnwindSafe(|| self.search_unguarded(request)))
            .unwrap_or_else(|panic| Err(IndexError::from_panic(&self.dir, panic.as_ref()).into()))
    }

    fn search_unguarded(&self, request: &SearchRequest) -> Result<SearchResults, EngineError> {
        let started = Instant::now();
        let deadline = Deadline::after(request.timeout);
        let searcher = self.reader.searcher();
        let expander = TermExpander::new(&searcher, self.fields.contents, &deadline);
        let mut analyzers = Analyzers::new(self.fields.language);
        let (query, syntax_error) = request.searched_query(&mut analyzers.contents)?;
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
    ) -> Result<Found, EngineError> {
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
        let collect = |pool: usize| -> Result<Collected, EngineError> {
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
            let copies = matching_copies(searcher, self.fields.text_hash, &query, &page, |found| {
                open_columns(found, false)
            })
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

        let highlighters = HitMarkers::new(&lowered, analyzers, request.fragments)
            .with_deadline(Arc::clone(deadline));
        // With fragments, a hit's path comes with its stored text.
        let addresses: Vec<DocAddress> = top.iter().map(|&(_, address)| address).collect();
        let read_keys = highlighters.wants_no_fragments();
        let columns = open_columns(&addresses, read_keys).map_err(engine)?;
        let build = |highlighters: &mut HitMarkers, (rank, &(score, address))| {
            let found = (offset + rank + 1, score, address);
            self.hit(searcher, &columns, highlighters, deadline, found)
        };
        let hits = if highlighters.wants_no_fragments() || !request.parallel {
            // Only paths and titles to mark, or other searches keep the other threads busy:
            // handing hits to other threads would cost more.
            let mut highlighters = highlighters;
            top.iter()
                .enumerate()
                .map(|found| build(&mut highlighters, found))
                .collect::<Result<Vec<_>, EngineError>>()?
        } else {
            // Highlighting reads and scans each hit's stored text: in parallel.
            top.par_iter()
                .enumerate()
                .map_init(|| highlighters.clone(), build)
                .collect::<Result<Vec<_>, EngineError>>()?
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
    ) -> Result<Vec<Hit>, EngineError> {
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
    ) -> Result<(Lowered, Analyzers), EngineError> {
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
    ) -> Result<(Lowered, Analyzers), EngineError> {
        let mut analyzers = Analyzers::new(self.fields.language);
        let lowered = lower(tree, &mut analyzers, Some(expander)).map_err(|err| match err {
            LowerError::Query(err) => EngineError::Query(err),
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
        highlighters: &mut HitMarkers,
        deadline: &Deadline,
        (rank, score, address): (usize, f32, DocAddress),
    ) -> Result<Hit, EngineError> {
        let engine = |err| self.engine_error(err);
        // Past the deadline, or when none are asked for, the text is not even read.
        let mut stored = if deadline.passed() || highlighters.wants_no_fragments() {
            None
        } else {
            Some(searcher.doc::<StoredText>(address).map_err(engine)?)
        };
        let key = match stored.as_mut().and_then(|doc| doc.take(self.fields.path)) {
            Some(key) => key,
            None => columns.key(address).map_err(engine)?,
        };
        let title = columns.title(address).map_err(engine)?;
        Ok(highlighters.hit(FoundDocument {
            rank,
            score,
            key,
            title: &title,
            doc_type: columns.doc_type(address).map_err(engine)?,
            from: Some(columns.from(address).map_err(engine)?).filter(|from| !from.is_empty()),
            date: columns.date(address),
            text: stored.as_ref().map(|doc| doc.first(self.fields.contents)),
        }))
    }

    /// A failure inside tantivy, blamed on this index.
    fn engine_error(&self, cause: TantivyError) -> EngineError {
        EngineError::Tantivy {
            path: self.dir.clone(),
            cause,
        }
    }
}

/// The folders whose matches the facets count: those one level below the index's roots, or
/// below the folder of the one path filter there is (several are no one folder to drill into).
fn folder_scope(searcher: &Searcher, filters: &Filters) -> Result<FolderScope, EngineError> {
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
