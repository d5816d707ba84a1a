//! Reading a log on every core. The input is taken in blocks cut at line
//! boundaries; each block is cut into one piece per thread and thread `i`
//! reads piece `i` of every block into its own log, so each thread's tables
//! of names grow once and stay warm. The threads' logs are then appended
//! segment by segment in line order, interning names in the order they
//! were first seen ([`ActivityLog::append_segment`]), so the result (ids
//! included) and every reported line number are the same as reading the
//! lines one by one. From a stream, the next block is read while the
//! current one is parsed.

use std::io::{self, Read};

use rayon::prelude::*;

use crate::log::{ActivityLog, Marks, Remap};
use crate::reader::{LineError, ReadError, ReadSummary, Strictness, read_lines};

/// Bytes per block.
const BLOCK: usize = 16 << 20;

/// The threads' logs and, in line order, which part of which log holds the
/// events of each piece.
struct Workers {
    logs: Vec<ActivityLog>,
    /// (thread, marks before, marks after), in line order.
    segments: Vec<(usize, Marks, Marks)>,
    summary: ReadSummary,
    /// Lines read so far (for the line numbers of the next block).
    lines: u64,
}

impl Workers {
    fn new() -> Workers {
        Workers {
            logs: (0..rayon::current_num_threads().max(1))
                .map(|_| ActivityLog::new())
                .collect(),
            segments: Vec::new(),
            summary: ReadSummary::default(),
            lines: 0,
        }
    }

    /// Reads one block of whole lines on every thread; what each thread
    /// read goes to [`Workers::record`].
    fn parse_block(&mut self, block: &[u8]) -> Vec<Piece> {
        let pieces = cut(block, self.logs.len());
        self.logs
            .par_iter_mut()
            .zip(pieces)
            .map(|(log, piece)| {
                let before = log.marks();
                let mut errors = Vec::new();
                let (summary, lines) =
                    read_lines(piece, log, Strictness::Skip, |e| errors.push(e.clone()))
                        .expect("skip mode never stops on a line");
                Piece {
                    before,
                    after: log.marks(),
                    summary,
                    errors,
                    lines,
                }
            })
            .collect()
    }

    /// Takes note of a block's pieces in line order. Bad lines go to
    /// `on_error` in line order; in strict mode the first one is returned.
    fn record(
        &mut self,
        pieces: Vec<Piece>,
        strictness: Strictness,
        on_error: &mut impl FnMut(&LineError),
    ) -> Result<(), LineError> {
        for (thread, piece) in pieces.into_iter().enumerate() {
            for mut error in piece.errors {
                error.line += self.lines;
                on_error(&error);
                if strictness == Strictness::Strict {
                    return Err(error);
                }
            }
            self.summary.events += piece.summary.events;
            self.summary.skipped += piece.summary.skipped;
            self.lines += piece.lines;
            self.segments.push((thread, piece.before, piece.after));
        }
        Ok(())
    }

    /// The threads' events in line order, in one sorted log.
    fn finish(self) -> (ActivityLog, ReadSummary) {
        let mut log = ActivityLog::new();
        let mut remaps: Vec<Remap> = self.logs.iter().map(|_| Remap::default()).collect();
        let total = self.logs.iter().map(ActivityLog::len).sum();
        log.reserve(total);
        for (thread, before, after) in &self.segments {
            log.append_segment(&self.logs[*thread], before, after, &mut remaps[*thread]);
        }
        log.sort();
        (log, self.summary)
    }
}

/// What one thread read of one block.
struct Piece {
    before: Marks,
    after: Marks,
    summary: ReadSummary,
    /// Bad lines, numbered from the piece's first line.
    errors: Vec<LineError>,
    lines: u64,
}

/// `bytes` cut into `count` pieces of whole lines (some may be empty).
fn cut(bytes: &[u8], count: usize) -> Vec<&[u8]> {
    let target = bytes.len() / count + 1;
    let mut pieces = Vec::with_capacity(count);
    let mut from = 0;
    for _ in 0..count {
        let mut to = (from + target).min(bytes.len());
        while to < bytes.len() && bytes[to - 1] != b'\n' {
            to += 1;
        }
        pieces.push(&bytes[from..to]);
        from = to;
    }
    pieces
}

/// Reads JSON Lines from memory using all of rayon's threads. Bad lines go
/// to `on_error` in line order; with [`Strictness::Strict`] the first one
/// stops the read.
pub fn read_bytes(
    bytes: &[u8],
    strictness: Strictness,
    on_error: impl FnMut(&LineError),
) -> Result<(ActivityLog, ReadSummary), ReadError> {
    read_bytes_in_blocks(bytes, BLOCK, strictness, on_error)
}

fn read_bytes_in_blocks(
    bytes: &[u8],
    block: usize,
    strictness: Strictness,
    mut on_error: impl FnMut(&LineError),
) -> Result<(ActivityLog, ReadSummary), ReadError> {
    let mut workers = Workers::new();
    let mut from = 0;
    while from < bytes.len() {
        let mut to = (from + block).min(bytes.len());
        while to < bytes.len() && bytes[to - 1] != b'\n' {
            to += 1;
        }
        let pieces = workers.parse_block(&bytes[from..to]);
        workers.record(pieces, strictness, &mut on_error)?;
        from = to;
    }
    Ok(workers.finish())
}

/// Reads JSON Lines from a stream (a file, a decompressor, standard input)
/// using all of rayon's threads, reading the next block while the current
/// one is parsed; only about two blocks are held at a time. Same results
/// as [`read_bytes`] on the whole stream.
pub fn read_stream(
    input: impl Read + Send,
    strictness: Strictness,
    on_error: impl FnMut(&LineError),
) -> Result<(ActivityLog, ReadSummary), ReadError> {
    read_stream_in_blocks(input, BLOCK, strictness, on_error)
}

fn read_stream_in_blocks(
    mut input: impl Read + Send,
    block: usize,
    strictness: Strictness,
    mut on_error: impl FnMut(&LineError),
) -> Result<(ActivityLog, ReadSummary), ReadError> {
    let mut workers = Workers::new();
    let mut current = Vec::with_capacity(block + (1 << 16));
    let mut next = Vec::with_capacity(block + (1 << 16));
    let mut ended = fill(&mut input, &mut current, block)?;
    loop {
        // Whole lines only, unless the stream has ended.
        let cut = if ended {
            current.len()
        } else {
            current
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
        };
        next.clear();
        next.extend_from_slice(&current[cut..]);
        let whole = &current[..cut];
        let (more, pieces) = rayon::join(
            || {
                if ended {
                    Ok(true)
                } else {
                    fill(&mut input, &mut next, block)
                }
            },
            || workers.parse_block(whole),
        );
        workers.record(pieces, strictness, &mut on_error)?;
        if ended {
            break;
        }
        ended = more?;
        std::mem::swap(&mut current, &mut next);
    }
    Ok(workers.finish())
}

/// Reads `block` more bytes into `buffer`, or up to the end of the stream;
/// says whether it ended.
fn fill(input: &mut impl Read, buffer: &mut Vec<u8>, block: usize) -> io::Result<bool> {
    let goal = buffer.len() + block;
    while buffer.len() < goal {
        let want = goal - buffer.len();
        let read = input.by_ref().take(want as u64).read_to_end(buffer)?;
        if read == 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reader::read_log;

    /// A reader that hands out at most `step` bytes at a time.
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

    #[test]
    fn the_same_log_and_line_numbers_as_reading_line_by_line() {
        let config = crate::synthetic::Config::scaled(5, 20_000);
        let mut bytes = Vec::new();
        crate::synthetic::write_jsonl(&config, &mut bytes).unwrap();
        // Bad lines and an escaped string in the middle, an out-of-order
        // line, a long line, and a last line without `\n`.
        let middle = bytes.len() / 2;
        let middle = middle + bytes[middle..].iter().position(|&b| b == b'\n').unwrap() + 1;
        let mut inserted = b"{broken\n\n".to_vec();
        inserted.extend_from_slice(
            br#"{"at":"2020-01-01T00:00:00+01:00","community":"cop-000","actor":"m\u0031","kind":"joined"}"#,
        );
        inserted.push(b'\n');
        inserted.extend_from_slice(format!("{{\"x\":\"{}\"}}\n", "y".repeat(5000)).as_bytes());
        bytes.splice(middle..middle, inserted);
        bytes.extend_from_slice(b"{broken too}");

        let mut serial_lines = Vec::new();
        let (mut serial, serial_summary) =
            read_log(&bytes[..], Strictness::Skip, |e| serial_lines.push(e.line)).unwrap();
        let window = crate::Window::ending_at(config.end, 28);
        let expected = crate::report::portfolio(&serial, &window);
        for block in [BLOCK, 4096, 777] {
            for stream in [false, true] {
                let mut lines_seen = Vec::new();
                let on_error = |e: &LineError| lines_seen.push(e.line);
                let (mut log, summary) = if stream {
                    let input = Trickle {
                        bytes: &bytes,
                        step: 1000,
                    };
                    read_stream_in_blocks(input, block, Strictness::Skip, on_error).unwrap()
                } else {
                    read_bytes_in_blocks(&bytes, block, Strictness::Skip, on_error).unwrap()
                };
                assert_eq!(lines_seen, serial_lines, "block {block}, stream {stream}");
                assert_eq!(summary.events, serial_summary.events);
                assert_eq!(summary.skipped, serial_summary.skipped);
                assert_eq!(log.records(), serial.records());
                for id in 0..serial.teams().len() as u32 {
                    assert_eq!(log.teams().name(id), serial.teams().name(id));
                }
                for id in 0..serial.actors().len() as u32 {
                    assert_eq!(log.actors().name(id), serial.actors().name(id));
                }
                assert_eq!(crate::report::portfolio(&log, &window), expected);
            }
        }
    }

    #[test]
    fn strict_stops_at_the_first_bad_line_in_line_order() {
        let config = crate::synthetic::Config::scaled(2, 3_000);
        let mut bytes = Vec::new();
        crate::synthetic::write_jsonl(&config, &mut bytes).unwrap();
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        bytes.extend_from_slice(b"{bad\n{worse\n");
        let input = Trickle {
            bytes: &bytes,
            step: 333,
        };
        let mut seen = Vec::new();
        let result = read_stream_in_blocks(input, 2048, Strictness::Strict, |e| seen.push(e.line));
        match result {
            Err(ReadError::Line(e)) => assert_eq!(e.line, lines + 1),
            other => panic!("expected a line error, got {other:?}"),
        }
        assert_eq!(seen, vec![lines + 1]);
    }
}
