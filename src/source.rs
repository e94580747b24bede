//! A checked file: its text, whether it had a byte-order mark, and a line index.
//!
//! Spans everywhere are byte ranges into [`Source::text`], which never includes
//! the BOM; the BOM is remembered so that `--fix` writes it back.

use std::ops::Range;
use std::sync::OnceLock;

use crate::text::line_starts;

const BOM: &str = "\u{feff}";

/// Size from which a file is read in pieces on several threads.
const READ_IN_PIECES_FROM: u64 = 8 << 20;

/// Read a whole file, as `std::fs::read` does. A large file is read in
/// `threads` pieces side by side into memory that is zeroed lazily (fresh
/// pages from the system): most of the cost of reading a file that the
/// system has cached is copying it and faulting in the pages it goes to,
/// and both then share the cores. If the file is not the size it was said
/// to be (it changes while being read), it is read again whole, the plain
/// way.
///
/// (Reading at an offset is Unix's `pread`; elsewhere a file is read whole.)
pub fn read_file(path: &std::path::Path, threads: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    #[cfg(unix)]
    if threads > 1
        && len >= READ_IN_PIECES_FROM
        && let Ok(len) = usize::try_from(len)
        && let Some(bytes) = read_in_pieces(&file, len, threads)
    {
        return Ok(bytes);
    }
    let _ = threads;
    // As `std::fs::read` does, on the file already open (reading at an
    // offset left its position at the start).
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The `len` bytes of `file` read in `threads` pieces, or `None` if it
/// does not have exactly that many.
#[cfg(unix)]
fn read_in_pieces(file: &std::fs::File, len: usize, threads: usize) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let mut bytes = vec![0u8; len];
    let piece = bytes.len().div_ceil(threads);
    let all_read = std::thread::scope(|scope| {
        let readers: Vec<_> = bytes
            .chunks_mut(piece)
            .enumerate()
            .map(|(i, part)| {
                scope.spawn(move || file.read_exact_at(part, (i * piece) as u64).is_ok())
            })
            .collect();
        readers.into_iter().all(|r| r.join().unwrap_or(false))
    });
    // Nothing after the end, either.
    let at_end = matches!(file.read_at(&mut [0u8; 1], len as u64), Ok(0));
    (all_read && at_end).then_some(bytes)
}

/// Why a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Binary,
    TooLarge,
    NotUtf8 { line: usize, column: usize },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Binary => f.write_str("looks like a binary file (it contains NUL bytes)"),
            DecodeError::TooLarge => f.write_str("is larger than 4 GiB, more than copydesk checks"),
            DecodeError::NotUtf8 { line, column } => write!(
                f,
                "is not valid UTF-8 (first bad byte at line {line}, byte column {column}); save it as UTF-8 and try again"
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Source {
    /// The path as the user gave it (or `-` / `--stdin-filename` for stdin).
    pub path: String,
    pub text: String,
    pub bom: bool,
    /// (32 bits each: texts are at most 4 GiB, and a large file has
    /// hundreds of thousands of lines.)
    line_starts: Vec<u32>,
    /// How many characters come before each multiple of `CHAR_MARK_STEP`
    /// bytes, built the first time a column far into a line is asked for.
    char_marks: OnceLock<Vec<u32>>,
}

/// Bytes between two entries of `Source::char_marks`: a column costs at
/// most this many bytes counted, however long its line.
const CHAR_MARK_STEP: usize = 256;

/// The characters that start in `bytes` (every byte but UTF-8's
/// continuation bytes): for whole characters, `chars().count()`.
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl Source {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Source {
        let mut text = text.into();
        let bom = text.starts_with(BOM);
        if bom {
            text.drain(..BOM.len());
        }
        let line_starts = line_starts(&text);
        Source {
            path: path.into(),
            text,
            bom,
            line_starts,
            char_marks: OnceLock::new(),
        }
    }

    /// Decode raw bytes: UTF-8 with an optional BOM; NUL bytes mean binary.
    pub fn from_bytes(path: impl Into<String>, bytes: Vec<u8>) -> Result<Source, DecodeError> {
        let probe = &bytes[..bytes.len().min(8192)];
        if probe.contains(&0) {
            return Err(DecodeError::Binary);
        }
        if u32::try_from(bytes.len()).is_err() {
            return Err(DecodeError::TooLarge);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(path, text)),
            Err(err) => {
                let good = err.utf8_error().valid_up_to();
                let bytes = err.as_bytes();
                let line = bytes[..good].iter().filter(|&&b| b == b'\n').count() + 1;
                let line_start = bytes[..good]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1);
                Err(DecodeError::NotUtf8 {
                    line,
                    column: good - line_start + 1,
                })
            }
        }
    }

    /// The text as it should be written back to disk (BOM restored).
    pub fn to_file_contents(&self, text: &str) -> String {
        if self.bom {
            format!("{BOM}{text}")
        } else {
            text.to_string()
        }
    }

    /// Where each line starts (0-based line index to byte offset).
    pub fn line_start(&self, line_index: usize) -> usize {
        self.line_starts[line_index] as usize
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, byte: usize) -> usize {
        // Offsets past 4 GiB cannot occur: such texts are refused.
        let byte = u32::try_from(byte).unwrap_or(u32::MAX);
        match self.line_starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte range of a line's content, without its terminator.
    pub fn line_range(&self, line_index: usize) -> Range<usize> {
        let start = self.line_start(line_index);
        let end = self
            .line_starts
            .get(line_index + 1)
            .map_or(self.text.len(), |&s| s as usize);
        let content = &self.text[start..end];
        let trimmed = content
            .strip_suffix("\r\n")
            .or_else(|| content.strip_suffix('\n'))
            .or_else(|| content.strip_suffix('\r'))
            .unwrap_or(content);
        start..start + trimmed.len()
    }

    /// 1-based line and column of a byte offset; columns count Unicode scalar
    /// values, the convention of the JSON contract.
    pub fn line_col(&self, byte: usize) -> (usize, usize) {
        let byte = self.floor_char_boundary(byte.min(self.text.len()));
        let line = self.line_index(byte);
        let start = self.line_start(line);
        (line + 1, self.chars_between(start, byte) + 1)
    }

    /// The number of characters in `text[from..to]` (`from <= to`, both on
    /// character boundaries), in time that does not grow with `to - from`
    /// once the character marks exist: a column on a line of a megabyte
    /// costs what one on a short line does.
    pub fn chars_between(&self, from: usize, to: usize) -> usize {
        let bytes = self.text.as_bytes();
        if to - from <= 2 * CHAR_MARK_STEP {
            return char_starts(&bytes[from..to]);
        }
        self.chars_before(to) - self.chars_before(from)
    }

    /// The number of characters in `text[..at]`.
    fn chars_before(&self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        let marks = self.char_marks.get_or_init(|| {
            let mut marks = Vec::with_capacity(bytes.len() / CHAR_MARK_STEP + 1);
            let mut total = 0u32;
            marks.push(0);
            for chunk in bytes.chunks(CHAR_MARK_STEP) {
                total += char_starts(chunk) as u32;
                marks.push(total);
            }
            marks
        });
        let k = at / CHAR_MARK_STEP;
        marks[k] as usize + char_starts(&bytes[k * CHAR_MARK_STEP..at])
    }

    fn floor_char_boundary(&self, mut byte: usize) -> usize {
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        byte
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns far into a long line, through the character marks, are
    /// what counting the characters from the line's start gives.
    #[test]
    fn columns_on_a_long_line_count_characters() {
        let pieces = ["a", "é", "—", "😀", " ", "word "];
        let mut text = String::from("first line\n");
        let mut next = crate::testing::xorshift(0x1234_5678);
        for _ in 0..5000 {
            text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
        }
        text.push_str("\nlast");
        let source = Source::new("s.txt", text.clone());
        for (at, _) in text.char_indices().step_by(7) {
            let (line, col) = source.line_col(at);
            let start = source.line_start(line - 1);
            assert_eq!(col, text[start..at].chars().count() + 1, "at {at}");
        }
        assert_eq!(source.chars_between(0, text.len()), text.chars().count());
    }

    #[test]
    fn a_large_file_read_in_pieces_is_read_whole() {
        let path = std::env::temp_dir().join(format!("copydesk-read-{}.txt", std::process::id()));
        // Just over the size read in pieces, of a length no thread count divides.
        let bytes: Vec<u8> = (0..READ_IN_PIECES_FROM as usize + 1_000_003)
            .map(|i| b"abcdefghij\n"[i % 11])
            .collect();
        std::fs::write(&path, &bytes).unwrap();
        for threads in [1, 2, 3, 7] {
            assert!(
                read_file(&path, threads).unwrap() == bytes,
                "{threads} threads"
            );
            let file = std::fs::File::open(&path).unwrap();
            let pieces = read_in_pieces(&file, bytes.len(), threads);
            assert!(pieces.is_some_and(|p| p == bytes), "{threads} threads");
            // A file that is not the size it was said to be.
            for len in [bytes.len() - 1, bytes.len() + 1] {
                assert!(read_in_pieces(&file, len, threads).is_none(), "{len}");
            }
        }
        std::fs::remove_file(&path).unwrap();
        assert!(read_file(&path, 2).is_err());
    }

    #[test]
    fn crlf_cr_and_bom_give_right_positions() {
        let s = Source::new("t", "\u{feff}ab\r\ncd\ref\nğh");
        assert!(s.bom);
        assert_eq!(s.text, "ab\r\ncd\ref\nğh");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(4), (2, 1));
        assert_eq!(s.line_col(7), (3, 1));
        assert_eq!(s.line_col(12), (4, 2));
        assert_eq!(s.line_range(0), 0..2);
        assert_eq!(s.line_range(1), 4..6);
    }

    #[test]
    fn columns_count_scalar_values_not_bytes() {
        let s = Source::new("t", "e\u{301}té \u{4e2d}\u{6587} x");
        let x = s.text.find('x').unwrap();
        assert_eq!(s.line_col(x), (1, 9));
    }

    #[test]
    fn bad_utf8_is_located() {
        let err = Source::from_bytes("t", b"ok\nfine \xff here".to_vec()).unwrap_err();
        assert_eq!(err, DecodeError::NotUtf8 { line: 2, column: 6 });
        assert_eq!(
            Source::from_bytes("t", b"a\0b".to_vec()).unwrap_err(),
            DecodeError::Binary
        );
    }
}
