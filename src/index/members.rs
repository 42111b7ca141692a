//! Which members of an archive the rules of its root admit. A member is matched as if its
//! archive were a folder holding it (`logs.tar.gz/app.log`): `-g` globs apply as to files, and so
//! do the patterns of the ignore files (`.ignore`, `.lanternignore`, and `.gitignore` inside a
//! git repository) found from the root down to the archive's folder, so a rule like `*.log`
//! skips `logs.tar.gz::app.log`. Hidden members (a component starting with `.`) are skipped
//! unless `--hidden`.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::overrides::Override;
use ignore::Match;

use super::walk::{overrides, WalkOptions, LANTERN_IGNORE_FILE};

/// The rules of one root, as members of its archives are matched against them.
pub struct MemberRules {
    root: PathBuf,
    globs: Override,
    honour_ignore_files: bool,
    hidden: bool,
}

impl MemberRules {
    /// The rules of `root` (whose globs were checked when the run started: one that does not
    /// parse now admits everything rather than failing the run).
    pub fn new(root: &Path, rules: &WalkOptions) -> MemberRules {
        MemberRules {
            root: root.to_path_buf(),
            globs: overrides(root, &rules.globs).unwrap_or_else(|_| Override::empty()),
            honour_ignore_files: !rules.no_ignore,
            hidden: rules.hidden,
        }
    }

    /// What decides on the members of the archive at `archive` (under the root).
    pub fn for_archive(&self, archive: &Path) -> ArchiveRules<'_> {
        let mut ignores = Vec::new();
        if self.honour_ignore_files {
            let in_git = self
                .root
                .ancestors()
                .any(|folder| folder.join(".git").exists());
            let mut names = vec![".ignore", LANTERN_IGNORE_FILE];
            if in_git {
                names.insert(0, ".gitignore");
            }
            let folders = archive
                .ancestors()
                .skip(1)
                .take_while(|folder| folder.starts_with(&self.root))
                .collect::<Vec<_>>();
            // From the root down: a deeper file's rules decide over a shallower one's.
            for folder in folders.into_iter().rev() {
                let mut builder = GitignoreBuilder::new(folder);
                let mut any = false;
                for name in &names {
                    let file = folder.join(name);
                    if file.is_file() {
                        any |= builder.add(&file).is_none();
                    }
                }
                if let (true, Ok(rules)) = (any, builder.build()) {
                    ignores.push(rules);
                }
            }
        }
        ArchiveRules {
            rules: self,
            archive: archive.to_path_buf(),
            ignores,
        }
    }
}

/// The rules that decide on the members of one archive.
pub struct ArchiveRules<'a> {
    rules: &'a MemberRules,
    archive: PathBuf,
    ignores: Vec<Gitignore>,
}

impl ArchiveRules<'_> {
    /// True when the member at `path` (one name per nesting level) is to be read.
    pub fn admits(&self, path: &[String]) -> bool {
        let mut as_file = self.archive.clone();
        for name in path {
            as_file.extend(name.split(['/', '\\']).filter(|part| !part.is_empty()));
        }
        let relative = as_file.strip_prefix(&self.archive).unwrap_or(&as_file);
        let hidden = |part: std::path::Component<'_>| {
            matches!(part, std::path::Component::Normal(name)
                if name.to_string_lossy().starts_with('.'))
        };
        if !self.rules.hidden && relative.components().any(hidden) {
            return false;
        }
        match self.rules.globs.matched(&as_file, false) {
            Match::Ignore(_) => return false,
            Match::Whitelist(_) => return true,
            Match::None => {}
        }
        let decided = self
            .ignores
            .iter()
            .rev()
            .map(|rules| rules.matched_path_or_any_parents(&as_file, false))
            .find(|decision| !decision.is_none());
        !matches!(decided, Some(Match::Ignore(_)))
    }
}
