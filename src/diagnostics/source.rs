//! Source files and spans: every diagnostic points into a file landform read.
//!
//! A [`SourceMap`] owns the text of every file a run has read (blueprints,
//! included YAML, policy JSON). A [`Span`] is a byte range inside one of them;
//! line and column numbers are computed from it on demand, 1-based, with
//! columns counted in characters (what editors show).

use std::fmt;
use std::sync::Arc;

/// Index of a file inside a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(pub u32);

/// A byte range `start..end` inside one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub source: SourceId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(source: SourceId, start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end.max(start as usize)).unwrap_or(u32::MAX);
        Self { source, start, end }
    }

    /// An empty span at `offset`.
    pub fn point(source: SourceId, offset: usize) -> Self {
        Self::new(source, offset, offset)
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// One file's text plus the offsets of its line starts.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user wrote it (or as it resolves relative to the blueprint);
    /// this is what diagnostics print.
    pub name: String,
    pub text: Arc<str>,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
        Self {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// 1-based (line, column) of a byte offset; the column counts characters.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let offset = offset.min(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = self.line_starts[line_idx] as usize;
        let mut end = offset as usize;
        while end > line_start && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[line_start..end].chars().count() + 1;
        (
            u32::try_from(line_idx + 1).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        )
    }

    /// Byte offset of a 1-based (line, column) position (column in characters).
    /// Positions past the end of a line clamp to the line's end.
    pub fn offset_of(&self, line: u32, column: u32) -> usize {
        let line_idx = (line.max(1) - 1) as usize;
        let Some(&start) = self.line_starts.get(line_idx) else {
            return self.text.len();
        };
        let start = start as usize;
        let line_end = self
            .line_starts
            .get(line_idx + 1)
            .map_or(self.text.len(), |&e| e as usize);
        let line_text = &self.text[start..line_end];
        let skip = (column.max(1) - 1) as usize;
        let within = line_text
            .char_indices()
            .nth(skip)
            .map_or(line_text.len(), |(i, _)| i);
        start + within
    }

    /// The text of the 1-based line `line`, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        let idx = (line.max(1) - 1) as usize;
        let Some(&start) = self.line_starts.get(idx) else {
            return "";
        };
        let end = self
            .line_starts
            .get(idx + 1)
            .map_or(self.text.len(), |&e| e as usize);
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }
}

/// Every file read during one run.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceId {
        let id = SourceId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile::new(name, text));
        id
    }

    pub fn get(&self, id: SourceId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// The id of an already added file with this name.
    pub fn find(&self, name: &str) -> Option<SourceId> {
        self.files
            .iter()
            .position(|f| f.name == name)
            .and_then(|i| u32::try_from(i).ok())
            .map(SourceId)
    }

    pub fn files(&self) -> impl Iterator<Item = (SourceId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (SourceId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }

    /// Resolves a span to a printable location.
    pub fn locate(&self, span: Span) -> Option<Location> {
        let file = self.get(span.source)?;
        let (line, column) = file.line_col(span.start);
        let (end_line, end_column) = file.line_col(span.end);
        Some(Location {
            file: file.name.clone(),
            line,
            column,
            end_line,
            end_column,
        })
    }

    /// A span from 1-based line/column coordinates in `source`, `len` bytes long.
    pub fn span_at(&self, source: SourceId, line: u32, column: u32, len: usize) -> Span {
        let start = self.get(source).map_or(0, |f| f.offset_of(line, column));
        let end = self
            .get(source)
            .map_or(start, |f| (start + len).min(f.text.len()));
        Span::new(source, start, end)
    }
}

/// A resolved, printable position: `file:line:column`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let mut map = SourceMap::new();
        let id = map.add("a.yaml", "ab\nçd: x\n");
        let file = map.get(id).unwrap();
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        // 'ç' is two bytes; the ':' after 'd' is column 3
        let colon = "ab\nçd".len() as u32;
        assert_eq!(file.line_col(colon), (2, 3));
        assert_eq!(file.offset_of(2, 3), colon as usize);
        assert_eq!(file.line_text(2), "çd: x");
    }

    #[test]
    fn locate_reports_start_and_end() {
        let mut map = SourceMap::new();
        let id = map.add("p.json", "{\n  \"Effect\": \"allow\"\n}");
        let span = map.span_at(id, 2, 13, 7);
        let loc = map.locate(span).unwrap();
        assert_eq!(loc.to_string(), "p.json:2:13");
        assert_eq!((loc.end_line, loc.end_column), (2, 20));
    }

    #[test]
    fn offsets_past_the_end_clamp() {
        let mut map = SourceMap::new();
        let id = map.add("x", "one\ntwo");
        let file = map.get(id).unwrap();
        assert_eq!(file.offset_of(9, 1), 7);
        assert_eq!(file.offset_of(1, 99), 4);
        assert_eq!(file.line_col(99), (2, 4));
    }
}
