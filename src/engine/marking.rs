//! Making a [`Hit`] out of a document an engine found: its text's fragments, its title's and its
//! path's marks, cut and placed by Lantern's highlighter. The one place both engines do it, so a
//! hit looks the same whichever engine found it.

use std::sync::Arc;

use super::{Hit, Location};
use crate::deadline::Deadline;
use crate::highlight::{FragmentOptions, Highlighter};
use crate::index::path_key::display_key;
use crate::query::{Analyzers, Lowered, Target};

/// The highlighters for a hit's text, title and path; each thread gets its own copy.
#[derive(Clone)]
pub struct HitMarkers {
    contents: Highlighter,
    title: Highlighter,
    path: Highlighter,
}

/// What an engine knows of one document it found.
pub struct FoundDocument<'a> {
    /// 1 for the best hit.
    pub rank: usize,
    /// Its score (0 when the hits are sorted by another key).
    pub score: f32,
    /// Its path key.
    pub key: String,
    /// Its title, empty when it has none.
    pub title: &'a str,
    /// Its type's name.
    pub doc_type: String,
    /// For an e-mail: its sender, as `Name <address>`.
    pub from: Option<String>,
    /// The document's own date (an e-mail's), in nanoseconds since the Unix epoch.
    pub date: Option<u64>,
    /// Its text, when fragments are wanted (and there was time to read it).
    pub text: Option<&'a str>,
}

impl HitMarkers {
    /// The markers of the matches of `lowered`, with the analyzers its lowering used, cutting
    /// `fragments` from a hit's text.
    pub fn new(lowered: &Lowered, analyzers: Analyzers, fragments: FragmentOptions) -> HitMarkers {
        HitMarkers {
            contents: Highlighter::new(
                lowered,
                Target::Contents,
                analyzers.contents.clone(),
                fragments,
            ),
            title: Highlighter::marker(lowered, Target::Title, analyzers.contents),
            path: Highlighter::marker(lowered, Target::PathParts, analyzers.path),
        }
    }

    /// The same markers, cutting fragments only until `deadline` passes.
    pub fn with_deadline(self, deadline: Arc<Deadline>) -> HitMarkers {
        HitMarkers {
            contents: self.contents.with_deadline(deadline),
            ..self
        }
    }

    /// True when no fragments are wanted: a hit's text need not even be read.
    pub fn wants_no_fragments(&self) -> bool {
        self.contents.wants_no_fragments()
    }

    /// The hit of `found`: its fragments with where each starts, its title and path marked.
    pub fn hit(&mut self, found: FoundDocument<'_>) -> Hit {
        let (fragments, locations) = match found.text {
            Some(text) => {
                let fragments = self.contents.fragments(text);
                let starts = fragments
                    .iter()
                    .map(|fragment| fragment.first_mark_in(text));
                let locations = Location::all_of(text, starts);
                (fragments, locations)
            }
            None => (Vec::new(), Vec::new()),
        };
        let path = display_key(&found.key).into_owned();
        let title = Some(found.title)
            .filter(|title| !title.is_empty())
            .map(|title| self.title.mark_all(title));
        Hit {
            rank: found.rank,
            score: found.score,
            marked_path: self.path.mark_all(&path),
            title,
            doc_type: found.doc_type,
            from: found.from,
            date: found.date,
            path,
            key: found.key,
            fragments,
            locations,
            also_at: Vec::new(),
        }
    }
}
