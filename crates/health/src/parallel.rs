//! Reading a whole log held in memory on every core: the bytes are cut at
//! line boundaries into chunks, each chunk is read into its own log, and the
//! logs are appended in order, so the result (and every reported line
//! number) is the same as reading it line by line.

use rayon::prelude::*;

use crate::log::ActivityLog;
use crate::reader::{LineError, ReadError, ReadSummary, Strictness, read_slice};

/// Reads JSON Lines from memory using all of rayon's threads. Bad lines go
/// to `on_error` in line order; with [`Strictness::Strict`] the first one
/// stops the read (after the chunks were scanned).
pub fn read_bytes(
    bytes: &[u8],
    strictness: Strictness,
    mut on_error: impl FnMut(&LineError),
) -> Result<(ActivityLog, ReadSummary), ReadError> {
    let pieces = (rayon::current_num_threads() * 4).max(1);
    let target = bytes.len() / pieces + 1;
    let mut chunks = Vec::with_capacity(pieces);
    let mut from = 0;
    while from < bytes.len() {
        let mut to = (from + target).min(bytes.len());
        while to < bytes.len() && bytes[to - 1] != b'\n' {
            to += 1;
        }
        chunks.push(&bytes[from..to]);
        from = to;
    }
    let results: Vec<(ActivityLog, ReadSummary, Vec<LineError>, u64)> = chunks
        .par_iter()
        .map(|chunk| {
            let mut log = ActivityLog::new();
            let mut errors = Vec::new();
            let (summary, lines) = read_slice(chunk, &mut log, Strictness::Skip, |e| {
                errors.push(e.clone())
            })
            .expect("skip mode never stops on a line");
            (log, summary, errors, lines)
        })
        .collect();
    let mut log = ActivityLog::new();
    let mut summary = ReadSummary::default();
    let mut offset = 0u64;
    for (part, part_summary, errors, lines) in results {
        for mut error in errors {
            error.line += offset;
            on_error(&error);
            if strictness == Strictness::Strict {
                return Err(error.into());
            }
        }
        summary.events += part_summary.events;
        summary.skipped += part_summary.skipped;
        offset += lines;
        if log.is_empty() {
            log = part;
        } else {
            log.append(part);
        }
    }
    log.sort();
    Ok((log, summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reader::read_log;

    #[test]
    fn the_same_log_and_line_numbers_as_reading_line_by_line() {
        let config = crate::synthetic::Config::scaled(5, 20_000);
        let mut bytes = Vec::new();
        crate::synthetic::write_jsonl(&config, &mut bytes).unwrap();
        bytes.extend_from_slice(b"{broken\n");
        let mut lines_seen = Vec::new();
        let (mut parallel, summary) =
            read_bytes(&bytes, Strictness::Skip, |e| lines_seen.push(e.line)).unwrap();
        let mut serial_lines = Vec::new();
        let (mut serial, serial_summary) =
            read_log(&bytes[..], Strictness::Skip, |e| serial_lines.push(e.line)).unwrap();
        assert_eq!(lines_seen, serial_lines);
        assert_eq!(summary.events, serial_summary.events);
        let window = crate::Window::ending_at(config.end, 28);
        parallel.sort();
        serial.sort();
        assert_eq!(
            crate::report::portfolio(&parallel, &window),
            crate::report::portfolio(&serial, &window)
        );
    }
}
