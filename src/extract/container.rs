//! Reading a file or a member as what it is: a document, a compressed stream, or an archive
//! whose members are read the same way, to a depth limit. Every archive read is bounded: total
//! inflated bytes, inflation ratio, member count, member size, nesting depth and time; what a
//! limit stops is reported, never a reason to panic, hang or fill memory.

use std::cell::Cell;
use std::io::{Cursor, Read, SeekFrom};
use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, Instant};

use super::compression::Compression;
use super::{document, is_archive_name, kind_by_name, recognise, Reader};
use super::{Document, RawMember, Unread};
use super::{DocumentType, ExtractError, ExtractOptions, Input};

/// How far an archive may be followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContainerLimits {
    /// Bytes inflated from one file on disk, all members and nesting levels together.
    pub max_inflated: u64,
    /// Past [`ContainerLimits::ratio_grace`], inflated bytes may be at most this many times the
    /// file's size on disk: a real archive of text inflates about 10x, a bomb 1000x or more.
    pub max_ratio: u64,
    /// Inflated bytes allowed whatever the ratio (a small archive of very regular text).
    pub ratio_grace: u64,
    /// Members read from one file, all nesting levels together.
    pub max_members: u64,
    /// Archives or compressions within one another: a `.tar.gz` is 2 levels.
    pub max_depth: u32,
    /// Time to read one file with all its members.
    pub timeout: Option<Duration>,
}

impl Default for ContainerLimits {
    fn default() -> Self {
        ContainerLimits {
            max_inflated: 16 << 30,
            max_ratio: 100,
            ratio_grace: 256 << 20,
            max_members: 1_000_000,
            max_depth: 5,
            timeout: Some(Duration::from_secs(3600)),
        }
    }
}

/// One member of a container, read.
#[derive(Debug)]
pub struct Member {
    /// Its path inside the file: one name per nesting level (`["lib.jar", "META-INF/a.txt"]`).
    pub path: Vec<String>,
    /// Its document, or why it has none.
    pub outcome: Result<Document, Unread>,
}

/// A file read as a document: its own (for an archive, the list of its members), and whether a
/// limit or damage stopped the reading of its members part way.
#[derive(Debug)]
pub struct Opened {
    /// The document of the file itself.
    pub document: Document,
    /// Why its members were not all read, if they were not.
    pub stopped: Option<ExtractError>,
}

/// True when a stream starting with `head`, named `name`, is read by [`open`] rather than as a
/// plain document: it is compressed, or an archive.
pub fn is_container(name: &Path, head: &[u8]) -> bool {
    Compression::of(head).is_some()
        || recognise(name, head).is_some_and(|format| matches!(format.extract, Reader::Archive(_)))
}

/// The sizes that bound reading one file.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// The file's size on disk (the base of the inflation ratio).
    pub disk_size: u64,
    /// The most bytes a document (the file itself when only compressed, or a member) may have
    /// unpacked.
    pub max_size: u64,
    /// Where a document's text is cut.
    pub max_text: u64,
}

/// Reads the file `name` (its bytes in `input`) as what it is, handing each member of an archive
/// that `admit` admits (by its path, one name per nesting level) to `each_member` as soon as it
/// is read; a member not admitted is neither read nor listed.
pub fn open(
    name: &Path,
    input: Input<'_>,
    bounds: Bounds,
    options: &ExtractOptions,
    admit: &dyn Fn(&[String]) -> bool,
    each_member: &mut dyn FnMut(Member),
) -> Result<Opened, Unread> {
    let Bounds {
        disk_size,
        max_size,
        max_text,
    } = bounds;
    let limits = options.container;
    let allowed = limits.max_inflated.min(
        limits
            .ratio_grace
            .max(disk_size.saturating_mul(limits.max_ratio)),
    );
    let mut walk = Walk {
        options,
        max_size,
        max_text,
        meter: Rc::new(Meter {
            inflated: Cell::new(0),
            allowed,
        }),
        members: 0,
        started: Instant::now(),
        admit,
        each_member,
        stopped: None,
    };
    let name = name.to_string_lossy();
    let document = walk.read(&[], &name, input, 0)?;
    Ok(Opened {
        document,
        stopped: walk.stopped,
    })
}

/// The state of reading one file.
struct Walk<'a> {
    options: &'a ExtractOptions,
    max_size: u64,
    max_text: u64,
    meter: Rc<Meter>,
    members: u64,
    started: Instant,
    admit: &'a dyn Fn(&[String]) -> bool,
    each_member: &'a mut dyn FnMut(Member),
    /// What stopped the outermost archive, if anything did.
    stopped: Option<ExtractError>,
}

/// Counts inflated bytes against the file's allowance.
struct Meter {
    inflated: Cell<u64>,
    allowed: u64,
}

impl Meter {
    /// True once more was inflated than allowed.
    fn exceeded(&self) -> bool {
        self.inflated.get() > self.allowed
    }
}

/// A reader whose bytes count against a [`Meter`], failing once past its allowance.
struct Metered<R> {
    inner: R,
    meter: Rc<Meter>,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.meter.exceeded() {
            return Err(std::io::Error::other("inflated past the archive limit"));
        }
        let read = self.inner.read(buf)?;
        self.meter
            .inflated
            .set(self.meter.inflated.get().saturating_add(read as u64));
        Ok(read)
    }
}

/// How many first bytes tell a format.
const HEAD_LEN: usize = 8 * 1024;

impl Walk<'_> {
    /// Reads the stream `input` named `name` (at `path` in the file, `depth` levels down).
    fn read(
        &mut self,
        path: &[String],
        name: &str,
        input: Input<'_>,
        depth: u32,
    ) -> Result<Document, Unread> {
        let mut head = Vec::with_capacity(HEAD_LEN);
        match input {
            Input::Seekable(reader) => {
                read_head(&mut *reader, &mut head)?;
                reader
                    .seek(SeekFrom::Start(0))
                    .map_err(Unread::Unreadable)?;
                self.read_known(path, name, &head, Input::Seekable(reader), depth)
            }
            Input::Stream(reader) => {
                read_head(&mut *reader, &mut head)?;
                let mut whole = Cursor::new(head.clone()).chain(reader);
                self.read_known(path, name, &head, Input::Stream(&mut whole), depth)
            }
        }
    }

    /// Reads `input`, whose first bytes are `head`, as its format says.
    fn read_known(
        &mut self,
        path: &[String],
        name: &str,
        head: &[u8],
        input: Input<'_>,
        depth: u32,
    ) -> Result<Document, Unread> {
        if let Some(compression) = Compression::of(head) {
            self.deeper(depth, DocumentType::Text)?;
            let raw: Box<dyn Read + '_> = match input {
                Input::Seekable(reader) => Box::new(reader),
                Input::Stream(reader) => Box::new(reader),
            };
            let decoder = compression
                .decoder(raw)
                .map_err(|error| Unread::Unextractable {
                    kind: DocumentType::Text,
                    error,
                })?;
            let mut inflated = Metered {
                inner: decoder,
                meter: Rc::clone(&self.meter),
            };
            let inner = compression.inner_name(name);
            return self.read(path, &inner, Input::Stream(&mut inflated), depth + 1);
        }
        let format = recognise(Path::new(name), head);
        if let Some(format) = format {
            if let Reader::Archive(members) = format.extract {
                self.deeper(depth, format.kind)?;
                return Ok(self.archive(path, format.kind, members, input, depth + 1));
            }
        }
        let bytes = self.read_whole(input)?;
        document(Path::new(name), bytes, self.options, self.max_text)
    }

    /// Fails when reading one level deeper than `depth` would pass the depth limit.
    fn deeper(&self, depth: u32, kind: DocumentType) -> Result<(), Unread> {
        if depth >= self.options.container.max_depth {
            return Err(Unread::Unextractable {
                kind,
                error: ExtractError::TooDeep(self.options.container.max_depth),
            });
        }
        Ok(())
    }

    /// Reads all of `input`, up to the size limit of a document.
    fn read_whole(&self, input: Input<'_>) -> Result<Vec<u8>, Unread> {
        let reader: &mut dyn Read = match input {
            Input::Seekable(reader) => reader,
            Input::Stream(reader) => reader,
        };
        let mut bytes = Vec::new();
        reader
            .take(self.max_size.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|err| self.read_error(err))?;
        if bytes.len() as u64 > self.max_size {
            return Err(Unread::TooLarge {
                size: bytes.len() as u64,
                limit: self.max_size,
            });
        }
        Ok(bytes)
    }

    /// The failure of a read that `err` ended: the inflation limit, or damage.
    fn read_error(&self, err: std::io::Error) -> Unread {
        let error = if self.meter.exceeded() {
            ExtractError::TooLarge {
                limit: self.meter.allowed,
            }
        } else {
            ExtractError::Damaged(err.to_string())
        };
        Unread::Unextractable {
            kind: DocumentType::Text,
            error,
        }
    }

    /// Reads the members of the archive `input` (of type `kind`, read by `members`): each is
    /// handed on as it is read, and the archive's own document lists their names. A limit or
    /// damage stops the walk; what was read stays.
    fn archive(
        &mut self,
        path: &[String],
        kind: DocumentType,
        members: super::ArchiveReader,
        input: Input<'_>,
        depth: u32,
    ) -> Document {
        let mut listing = String::new();
        let limit = self.max_size;
        // A stream is inflated or a member's bytes: already metered as they are read. An archive
        // read by seeking (a zip) has its members' bytes metered here instead, once.
        let meter_members = matches!(input, Input::Seekable(_));
        let outcome = members(input, limit, &mut |raw| {
            self.member(path, raw, depth, meter_members, &mut listing)
        });
        if let Err(error) = outcome {
            let error = if self.meter.exceeded() {
                ExtractError::TooLarge {
                    limit: self.meter.allowed,
                }
            } else {
                error
            };
            if path.is_empty() {
                self.stopped = Some(error);
            } else {
                (self.each_member)(Member {
                    path: path.to_vec(),
                    outcome: Err(Unread::Unextractable { kind, error }),
                });
            }
        }
        listing.truncate(
            listing.floor_char_boundary(usize::try_from(self.max_text).unwrap_or(usize::MAX)),
        );
        Document {
            text: listing,
            title: None,
            date: None,
            kind,
            lossy: false,
            truncated: false,
        }
    }

    /// Reads one member of an archive at `path`, `depth` levels down, and hands it on; its bytes
    /// count against the meter when `meter` says so.
    fn member(
        &mut self,
        path: &[String],
        raw: RawMember<'_>,
        depth: u32,
        meter: bool,
        listing: &mut String,
    ) -> Result<(), ExtractError> {
        self.members += 1;
        if self.members > self.options.container.max_members {
            return Err(ExtractError::TooManyMembers(
                self.options.container.max_members,
            ));
        }
        if let Some(timeout) = self.options.container.timeout {
            if self.started.elapsed() > timeout {
                return Err(ExtractError::TimedOut(timeout));
            }
        }
        let name = member_name(&raw.name);
        let mut member_path = path.to_vec();
        member_path.push(name.clone());
        if !(self.admit)(&member_path) {
            return Ok(());
        }
        listing.push_str(&name);
        listing.push('\n');
        let outcome = if raw.encrypted {
            Err(Unread::Unextractable {
                kind: kind_by_name(Path::new(&name)),
                error: ExtractError::Encrypted,
            })
        } else if raw.size > self.max_size && !is_container_name(&name) {
            // A member that declares its size past the cap is not inflated at all.
            Err(Unread::TooLarge {
                size: raw.size,
                limit: self.max_size,
            })
        } else if meter {
            let mut metered = Metered {
                inner: raw.reader,
                meter: Rc::clone(&self.meter),
            };
            self.read_member(&member_path, &name, &mut metered, depth)
        } else {
            self.read_member(&member_path, &name, raw.reader, depth)
        };
        if self.meter.exceeded() {
            return Err(ExtractError::TooLarge {
                limit: self.meter.allowed,
            });
        }
        (self.each_member)(Member {
            path: member_path,
            outcome,
        });
        Ok(())
    }

    /// Reads a member's stream: a nested archive or compressed member is read in memory (the
    /// zip format needs to seek) within the member cap, and walked in turn.
    fn read_member(
        &mut self,
        path: &[String],
        name: &str,
        reader: &mut dyn Read,
        depth: u32,
    ) -> Result<Document, Unread> {
        let mut head = Vec::with_capacity(HEAD_LEN);
        read_head(&mut *reader, &mut head)?;
        let mut whole = Cursor::new(head.clone()).chain(reader);
        if is_container(Path::new(name), &head) {
            if Compression::of(&head).is_some()
                || recognise(Path::new(name), &head).is_some_and(|f| f.kind == DocumentType::Tar)
            {
                // Streams need no seeking: read as they come.
                return self.read_known(path, name, &head, Input::Stream(&mut whole), depth);
            }
            let bytes = self.read_whole(Input::Stream(&mut whole))?;
            let mut cursor = Cursor::new(bytes);
            return self.read_known(path, name, &head, Input::Seekable(&mut cursor), depth);
        }
        self.read_known(path, name, &head, Input::Stream(&mut whole), depth)
    }
}

/// True when a member called `name` is read as an archive or a compressed stream, whose size
/// the member cap does not bound (its own members are each bounded instead).
fn is_container_name(name: &str) -> bool {
    let compressed = [
        ".gz", ".tgz", ".bz2", ".tbz2", ".xz", ".txz", ".zst", ".tzst",
    ];
    let lower = name.to_ascii_lowercase();
    compressed.iter().any(|suffix| lower.ends_with(suffix)) || is_archive_name(Path::new(name))
}

/// Reads up to [`HEAD_LEN`] first bytes of `reader` into `head`.
fn read_head(reader: &mut dyn Read, head: &mut Vec<u8>) -> Result<(), Unread> {
    reader
        .take(HEAD_LEN as u64)
        .read_to_end(head)
        .map_err(|err| Unread::Unextractable {
            kind: DocumentType::Text,
            error: ExtractError::Damaged(err.to_string()),
        })?;
    Ok(())
}

/// A member's stored name as a label: never a path to write to. Leading slashes and `./` are
/// dropped (an absolute name reads as relative to its archive), control characters (a NUL
/// included) become U+FFFD, and an empty name is `(unnamed)`.
pub fn member_name(stored: &str) -> String {
    let trimmed = stored.trim_start_matches(['/', '\\']);
    let trimmed = trimmed.strip_prefix("./").unwrap_or(trimmed);
    let name: String = trimmed
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if name.is_empty() {
        "(unnamed)".to_string()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names_are_labels() {
        assert_eq!(member_name("/etc/passwd"), "etc/passwd");
        assert_eq!(member_name("./a/../../b"), "a/../../b");
        assert_eq!(member_name("a\0::b"), "a\u{FFFD}::b");
        assert_eq!(member_name("/"), "(unnamed)");
    }
}
