//! Positions as a client counts them, and document URIs as paths.
//!
//! A finding is a byte range; a client speaks in lines and characters,
//! where a character is a UTF-16 code unit unless the client and server
//! agreed on UTF-8 bytes. Lines end at `\n`, `\r\n` or a lone `\r`, as the
//! protocol says.

use std::ops::Range;
use std::path::{Path, PathBuf};

use lsp_types::{Position, Uri};

/// How the client counts a character within a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// The start of every line of a text, for turning bytes into positions and
/// back.
///
/// A UTF-16 column is counted from the last position asked for when it is
/// on the same line and not before it, so positions asked for in text
/// order (findings are sorted) cost one pass over a long line, not one per
/// position.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
    /// The last UTF-16 position counted: (line, byte, units).
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            starts,
            len: text.len(),
            last: std::cell::Cell::new((0, 0, 0)),
        }
    }

    /// The position of byte `at` of `text` (the text the index was made
    /// from). A byte inside a character counts as that character's start.
    pub fn position(&self, text: &str, at: usize, enc: Encoding) -> Position {
        let at = floor_char(text, at.min(self.len));
        let line = self.starts.partition_point(|&s| s <= at) - 1;
        let start = self.starts[line];
        let character = match enc {
            Encoding::Utf8 => at - start,
            Encoding::Utf16 => {
                let (last_line, last_at, last_units) = self.last.get();
                let (from, units) = if last_line == line && last_at <= at {
                    (last_at, last_units)
                } else {
                    (start, 0)
                };
                let units = units + text[from..at].chars().map(char::len_utf16).sum::<usize>();
                self.last.set((line, at, units));
                units
            }
        };
        Position::new(to_u32(line), to_u32(character))
    }

    /// The byte of `text` at a client's position. A position past the end
    /// of its line is the line's end (before its line break), and a line
    /// past the last is the end of the text, as the protocol asks; a
    /// position inside a UTF-16 surrogate pair is the character's start.
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return self.len;
        };
        let end = self.content_end(text, line);
        let want = pos.character as usize;
        match enc {
            Encoding::Utf8 => floor_char(text, (start + want).min(end)),
            Encoding::Utf16 => {
                let mut units = 0;
                for (i, c) in text[start..end].char_indices() {
                    let next = units + c.len_utf16();
                    if next > want {
                        return start + i;
                    }
                    units = next;
                }
                end
            }
        }
    }

    /// A byte range as a client's range.
    pub fn range(&self, text: &str, span: &Range<usize>, enc: Encoding) -> lsp_types::Range {
        lsp_types::Range::new(
            self.position(text, span.start, enc),
            self.position(text, span.end, enc),
        )
    }

    /// The start of line `line` (0-based); the text's end past the last.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// The end of line `line`'s text, before its line break.
    fn content_end(&self, text: &str, line: usize) -> usize {
        let next = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let b = text.as_bytes();
        let mut end = next;
        if end > self.starts[line] && b.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > self.starts[line] && b.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        end
    }
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The local path of a `file:` URI, percent-decoded; `None` for any other
/// scheme (an unsaved buffer, a remote file).
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    if !uri
        .scheme()
        .is_some_and(|s| s.as_str().eq_ignore_ascii_case("file"))
    {
        return None;
    }
    let decoded = uri.path().as_estr().decode().into_string().ok()?;
    let decoded: &str = &decoded;
    // `file:///C:/x` names `C:/x` on Windows.
    #[cfg(windows)]
    let decoded = match decoded.as_bytes() {
        [b'/', d, b':', ..] if d.is_ascii_alphabetic() => &decoded[1..],
        _ => decoded,
    };
    if decoded.is_empty() {
        return None;
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of a path (made absolute against the working folder),
/// with every byte outside the unreserved set and `/` percent-encoded.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let abs = std::path::absolute(path).ok()?;
    let s = abs.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) || (b == b':' && cfg!(windows)) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_or_bytes() {
        // "é" is 2 bytes and 1 unit; "😀" is 4 bytes and 2 units.
        let text = "Café 😀 the the\r\nnext\rlast";
        let idx = LineIndex::new(text);
        let at = text.find("the the").unwrap();
        assert_eq!(idx.position(text, at, Encoding::Utf16), Position::new(0, 8));
        assert_eq!(idx.position(text, at, Encoding::Utf8), Position::new(0, 11));
        assert_eq!(idx.offset(text, Position::new(0, 8), Encoding::Utf16), at);
        assert_eq!(idx.offset(text, Position::new(0, 11), Encoding::Utf8), at);
        let next = text.find("next").unwrap();
        assert_eq!(
            idx.position(text, next, Encoding::Utf16),
            Position::new(1, 0)
        );
        let last = text.find("last").unwrap();
        assert_eq!(
            idx.position(text, last + 2, Encoding::Utf16),
            Position::new(2, 2)
        );
        // Inside the surrogate pair: the emoji's start. Past a line's end:
        // before its line break. Past the last line: the text's end.
        let emoji = text.find('😀').unwrap();
        assert_eq!(
            idx.offset(text, Position::new(0, 6), Encoding::Utf16),
            emoji
        );
        assert_eq!(
            idx.offset(text, Position::new(0, 99), Encoding::Utf16),
            text.find('\r').unwrap()
        );
        assert_eq!(
            idx.offset(text, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
    }

    /// Positions asked in any order (the remembered column is used only
    /// going forward on its line) equal a count from the line's start.
    #[test]
    fn remembered_columns_equal_a_fresh_count() {
        let text = "aé😀b\r\n😀 x😀y\nzz😀";
        let idx = LineIndex::new(text);
        let bytes: Vec<usize> = (0..=text.len())
            .filter(|&b| text.is_char_boundary(b))
            .collect();
        let order = bytes
            .iter()
            .chain(bytes.iter().rev())
            .chain(bytes.iter().step_by(3));
        for &b in order {
            let fresh = LineIndex::new(text).position(text, b, Encoding::Utf16);
            assert_eq!(idx.position(text, b, Encoding::Utf16), fresh, "byte {b}");
        }
    }

    #[test]
    fn file_uris_and_paths_round_trip() {
        let dir = std::env::temp_dir().join("a story #1 (draft)");
        let uri = path_to_uri(&dir.join("é.md")).unwrap();
        assert!(uri.as_str().starts_with("file:///"), "{}", uri.as_str());
        assert!(uri.as_str().contains("%20%231%20%28draft%29"));
        assert_eq!(uri_to_path(&uri).unwrap(), dir.join("é.md"));
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(uri_to_path(&untitled), None);
    }
}
