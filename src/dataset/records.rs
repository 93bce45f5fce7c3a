//! A reader that walks RFC 4180 quoting alongside the CSV parser, so that
//! no record can grow without bound (a 1 GB line, a quote opened and never
//! closed) and an unclosed quote is reported at the line where it opened.
//!
//! It only observes the bytes it passes on; the csv crate still does the
//! parsing. It jumps with `memchr` from one quote or line end to the next
//! (commas matter only just before a quote), so watching costs little next
//! to parsing: about 1.6% of a big load's CPU.

use std::io::{self, Read};

use crate::store::MAX_RECORD_BYTES;

/// Where the reader stands in RFC 4180 quoting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// A reader passing its input on unchanged while it tracks records: the
/// line each starts on, its length against the limit, and where a quoted
/// cell still open began.
pub(super) struct RecordBounds<R> {
    inner: R,
    state: Quoting,
    /// 1-based line of the byte about to be read.
    line: u64,
    /// Where the record being read started, and its length so far.
    record_line: u64,
    record_len: u64,
    /// Where the quoted cell now open started.
    quote_line: u64,
    limit: u64,
    /// The last byte observed, for a quote at the start of the next read:
    /// it opens a cell only right after a comma.
    last_byte: u8,
}

impl<R: Read> RecordBounds<R> {
    pub(super) fn new(inner: R) -> Self {
        RecordBounds::with_limit(inner, MAX_RECORD_BYTES)
    }

    pub(super) fn with_limit(inner: R, limit: u64) -> Self {
        RecordBounds {
            inner,
            state: Quoting::FieldStart,
            line: 1,
            record_line: 1,
            record_len: 0,
            quote_line: 1,
            limit,
            last_byte: b'\n',
        }
    }

    /// Bounds over a stretch of a file that starts at a record boundary
    /// on line `line`, so the lines it reports are the file's.
    pub(super) fn from_line(inner: R, line: u64) -> Self {
        let mut g = RecordBounds::new(inner);
        g.line = line;
        g.record_line = line;
        g.quote_line = line;
        g
    }

    /// The line of the next byte, and whether it starts a record (what
    /// was read so far ends with a whole record, or is nothing).
    pub(super) fn position(&self) -> (u64, bool) {
        (
            self.line,
            self.state == Quoting::FieldStart && self.record_len == 0,
        )
    }

    /// The line where a quoted cell opened and never closed, once the
    /// input is exhausted.
    pub(super) fn open_quote_line(&self) -> Option<u64> {
        (self.state == Quoting::Quoted).then_some(self.quote_line)
    }

    fn observe(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut i = 0;
        while i < bytes.len() {
            match self.state {
                Quoting::Quoted => match memchr::memchr2(b'"', b'\n', &bytes[i..]) {
                    None => {
                        self.grow((bytes.len() - i) as u64)?;
                        i = bytes.len();
                    }
                    Some(k) => {
                        self.grow(k as u64 + 1)?;
                        if bytes[i + k] == b'"' {
                            self.state = Quoting::QuoteInQuoted;
                        } else {
                            self.line += 1;
                        }
                        i += k + 1;
                    }
                },
                // Only a line end or a quote right after a comma changes
                // the state here: the run skips the commas before them,
                // where stopping at each would cost a call per cell.
                Quoting::Unquoted => match memchr::memchr2(b'"', b'\n', &bytes[i..]) {
                    None => {
                        self.grow((bytes.len() - i) as u64)?;
                        i = bytes.len();
                    }
                    Some(k) => {
                        let before = match i + k {
                            0 => self.last_byte,
                            at => bytes[at - 1],
                        };
                        if bytes[i + k] == b'"' && before != b',' {
                            // A quote inside an unquoted cell is a character.
                            self.grow(k as u64 + 1)?;
                            i += k + 1;
                        } else {
                            // A line end, or a quote opening the next cell.
                            self.grow(k as u64)?;
                            i += k;
                            self.state = Quoting::FieldStart;
                        }
                    }
                },
                Quoting::FieldStart | Quoting::QuoteInQuoted => {
                    let b = bytes[i];
                    i += 1;
                    self.state = match (self.state, b) {
                        (_, b'\n') => {
                            self.line += 1;
                            self.record_line = self.line;
                            self.record_len = 0;
                            Quoting::FieldStart
                        }
                        (_, b',') => {
                            self.grow(1)?;
                            Quoting::FieldStart
                        }
                        (Quoting::FieldStart, b'"') => {
                            self.grow(1)?;
                            self.quote_line = self.line;
                            Quoting::Quoted
                        }
                        (Quoting::QuoteInQuoted, b'"') => {
                            self.grow(1)?;
                            Quoting::Quoted
                        }
                        _ => {
                            self.grow(1)?;
                            Quoting::Unquoted
                        }
                    };
                }
            }
        }
        if let Some(&last) = bytes.last() {
            self.last_byte = last;
        }
        Ok(())
    }

    fn grow(&mut self, n: u64) -> io::Result<()> {
        self.record_len += n;
        if self.record_len > self.limit {
            let why = if self.state == Quoting::Quoted {
                format!(
                    "the record that starts here is longer than {} MiB: the quote opened on line {} is never closed",
                    self.limit >> 20,
                    self.quote_line
                )
            } else {
                format!(
                    "the record that starts here is longer than {} MiB; is this a CSV file?",
                    self.limit >> 20
                )
            };
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                RecordTooLong {
                    line: self.record_line,
                    why,
                },
            ));
        }
        Ok(())
    }
}

/// Where a record probably starts in `input`, which begins anywhere in a
/// CSV file: the offset just past a line end, chosen so that the line
/// after it has balanced quotes. Only a guess: a line end inside a quoted
/// cell that spans three lines or more can pass for a record's end. Who
/// splits a file at the guess must check it, by reading up to it from the
/// start of the file and seeing that the reader stands at a record start
/// there ([`RecordBounds::position`]). `None` when no line in the first MiB
/// qualifies.
pub(super) fn guess_record_start(input: impl Read) -> Option<u64> {
    let mut bytes = Vec::new();
    input.take(1 << 20).read_to_end(&mut bytes).ok()?;
    let mut at = memchr::memchr(b'\n', &bytes)? + 1;
    loop {
        let end = memchr::memchr(b'\n', &bytes[at..])? + at;
        if memchr::memchr_iter(b'"', &bytes[at..end])
            .count()
            .is_multiple_of(2)
        {
            return Some(at as u64);
        }
        at = end + 1;
    }
}

/// The error a [`RecordBounds`] stops reading with.
#[derive(Debug)]
pub(super) struct RecordTooLong {
    pub line: u64,
    pub why: String,
}

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.why)
    }
}

impl std::error::Error for RecordTooLong {}

impl<R: Read> Read for RecordBounds<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.observe(&buf[..n])?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_quote(s: &str) -> Option<u64> {
        let mut g = RecordBounds::new(s.as_bytes());
        let mut out = Vec::new();
        g.read_to_end(&mut out).unwrap();
        g.open_quote_line()
    }

    #[test]
    fn finds_quotes_left_open_and_only_those() {
        assert_eq!(open_quote("a,\"b\nc"), Some(1));
        assert_eq!(open_quote("a,\"b\"\"\nc\"\n"), None);
        assert_eq!(open_quote("a,b\"c\n"), None);
        assert_eq!(open_quote("a,b\nx,\"y"), Some(2));
        assert_eq!(open_quote("a,\"x\ny\"z,\"w\n"), Some(2));
    }

    /// Hands out its bytes `step` at a time, so that runs end at every
    /// place a read can end.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// RFC 4180 quoting walked a byte at a time, as csv_core does: the
    /// line where an open quote started, the line at the end, and whether
    /// the end is a record start.
    fn walk(bytes: &[u8]) -> (Option<u64>, u64, bool) {
        let (mut state, mut line, mut quote_line, mut len) = (Quoting::FieldStart, 1, 1, 0);
        for &b in bytes {
            state = match (state, b) {
                (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
                (Quoting::Quoted, _) => Quoting::Quoted,
                (_, b'\n') => Quoting::FieldStart,
                (_, b',') => Quoting::FieldStart,
                (Quoting::FieldStart, b'"') => {
                    quote_line = line;
                    Quoting::Quoted
                }
                (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
                _ => Quoting::Unquoted,
            };
            len = if b == b'\n' && state == Quoting::FieldStart {
                0
            } else {
                len + 1
            };
            if b == b'\n' {
                line += 1;
            }
        }
        let open = (state == Quoting::Quoted).then_some(quote_line);
        (open, line, state == Quoting::FieldStart && len == 0)
    }

    #[test]
    fn skipping_runs_walks_the_quoting_as_a_byte_at_a_time_would() {
        // Every text of up to 7 bytes over a, comma, quote and line end.
        let alphabet = [b'a', b',', b'"', b'\n'];
        let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
        let mut last = texts.clone();
        for _ in 0..7 {
            last = last
                .iter()
                .flat_map(|t| {
                    alphabet.iter().map(move |&b| {
                        let mut t = t.clone();
                        t.push(b);
                        t
                    })
                })
                .collect();
            texts.extend(last.iter().cloned());
        }
        for text in &texts {
            for step in [1, 2, 3, text.len().max(1)] {
                let mut g = RecordBounds::new(Trickle { bytes: text, step });
                g.read_to_end(&mut Vec::new()).unwrap();
                let (line, at_start) = g.position();
                assert_eq!(
                    (g.open_quote_line(), line, at_start),
                    walk(text),
                    "{:?} read {step} at a time",
                    String::from_utf8_lossy(text)
                );
            }
        }
    }

    #[test]
    fn guesses_a_record_start_after_a_line_with_balanced_quotes() {
        let guess = |s: &str| guess_record_start(s.as_bytes());
        assert_eq!(guess("rd,x\na,b\n"), Some(5));
        // The line after the first line end opens a quote it does not
        // close: it ends a quoted cell, so the record starts after it.
        assert_eq!(guess("ell\nmore\",x\na,b\n"), Some(12));
        assert_eq!(guess("x\"\"y\nz,\"q\"\n"), Some(5));
        // No whole line after a line end: no guess.
        assert_eq!(guess("abc"), None);
        assert_eq!(guess("a\nb"), None);
        assert_eq!(guess("a\n\"b\n"), None);
    }

    #[test]
    fn stops_a_record_past_the_limit() {
        let mut g = RecordBounds::with_limit(&b"a,b\nccccccccccccccccccc\nd\n"[..], 8);
        let mut out = Vec::new();
        let e = g.read_to_end(&mut out).unwrap_err();
        let inner = e
            .get_ref()
            .unwrap()
            .downcast_ref::<RecordTooLong>()
            .unwrap();
        assert_eq!(inner.line, 2);
        // Many short lines inside one quoted cell count as one record.
        let long = format!("a\n\"{}\"\n", "x\n".repeat(100));
        let mut g = RecordBounds::with_limit(long.as_bytes(), 64);
        let e = g.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(
            e.to_string()
                .contains("the quote opened on line 2 is never closed"),
            "{e}"
        );
    }
}
