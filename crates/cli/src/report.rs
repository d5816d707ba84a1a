//! `guildhall report --log FILE.jsonl`: the health report of an activity log
//! read directly, with no store: one community, or the organisation and
//! every community, as a terminal dashboard, JSON or one HTML file.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use domain::{Clock, SystemClock};
use health::{Strictness, Window, instant, parallel, render, report, window};

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A dashboard for people.
    Text,
    /// METRICS.md's JSON report.
    Json,
    /// One self-contained HTML page with charts.
    Html,
}

/// Options of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The activity log as JSON Lines (gzip by `.gz` or its magic bytes; `-` for standard input).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Report this community only.
    #[arg(long, value_name = "ID", conflicts_with = "all")]
    pub community: Option<String>,
    /// Report the organisation and every community (the default without --community).
    #[arg(long)]
    pub all: bool,
    /// Window length: days (`28d`) or weeks (`4w`).
    #[arg(long, default_value = "28d", value_name = "LENGTH")]
    pub window: String,
    /// End of the window (RFC 3339; default now): nothing at or after it counts.
    #[arg(long, value_name = "INSTANT")]
    pub at: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Stop at the first malformed line with a non-zero exit (default: report it and skip it).
    #[arg(long)]
    pub strict: bool,
}

/// Runs `report`, printing to standard output and problems to standard error.
pub fn run(args: ReportArgs) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let stderr = io::stderr();
    let end = match &args.at {
        Some(text) => instant::parse(text).with_context(|| format!("--at {text}"))?,
        None => instant::from_datetime(SystemClock.now()),
    };
    write_report(&args, end, &mut out, &mut stderr.lock())?;
    out.flush()?;
    Ok(())
}

/// Opens the log, decompressing gzip when the name ends in `.gz` or the
/// content starts with gzip's magic bytes.
fn open_log(path: &Path) -> anyhow::Result<Box<dyn BufRead + Send>> {
    let raw: Box<dyn Read + Send> = if path == Path::new("-") {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(path).with_context(|| format!("opening {}", path.display()))?)
    };
    let mut buffered = BufReader::with_capacity(1 << 20, raw);
    let magic = buffered.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let named_gz = path.extension().is_some_and(|e| e == "gz");
    Ok(if magic || named_gz {
        Box::new(BufReader::with_capacity(
            1 << 20,
            flate2::bufread::MultiGzDecoder::new(buffered),
        ))
    } else {
        Box::new(buffered)
    })
}

/// The report of `args` as of `end`, written to `out`; malformed lines go to
/// `problems`.
pub fn write_report(
    args: &ReportArgs,
    end: i64,
    out: &mut dyn Write,
    problems: &mut dyn Write,
) -> anyhow::Result<()> {
    let Some(path) = &args.log else {
        bail!(
            "give the activity log with --log FILE.jsonl (the store-backed report is not available yet)"
        );
    };
    let days = window::parse_length(&args.window)?;
    let window = Window::ending_at(end, days);
    let strictness = if args.strict {
        Strictness::Strict
    } else {
        Strictness::Skip
    };
    // The log is parsed on every core block by block while the next block
    // is read (and decompressed).
    let input = open_log(path)?;
    let mut write_failed = None;
    let read = parallel::read_stream(input, strictness, |e| {
        // In strict mode the error that stops the read is reported once, by the caller.
        if strictness == Strictness::Strict {
            return;
        }
        if let Err(err) = writeln!(problems, "{}: {e}", path.display()) {
            write_failed.get_or_insert(err);
        }
    });
    let (log, summary) = read.with_context(|| format!("reading {}", path.display()))?;
    if summary.skipped > 0 {
        writeln!(
            problems,
            "{}: skipped {} malformed line(s)",
            path.display(),
            summary.skipped
        )?;
    }
    if let Some(err) = write_failed {
        return Err(err.into());
    }
    let text = match &args.community {
        Some(name) => {
            let Some(r) = report::community(&log, name, &window) else {
                bail!("community {name:?} is not in {}", path.display());
            };
            match args.format {
                Format::Text => render::text_community(&r),
                Format::Json => render::json_community(&r),
                Format::Html => render::html_community(&r),
            }
        }
        None => {
            let p = report::portfolio(&log, &window);
            match args.format {
                Format::Text => render::text_portfolio(&p),
                Format::Json => render::json_portfolio(&p),
                Format::Html => render::html_portfolio(&p),
            }
        }
    };
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = concat!(
        r#"{"at":"2024-02-05T10:00:00Z","community":"rust","actor":"ann","kind":"thread_opened","subject":"q1","thread_type":"question"}"#,
        "\n",
        "not json\n",
        r#"{"at":"2024-02-05T11:00:00+01:00","community":"rust","actor":"bob","kind":"replied","subject":"q1","reply_to":"ann"}"#,
        "\n",
        r#"{"at":"2024-02-06T10:00:00Z","community":"go","actor":"cat","kind":"liked"}"#,
        "\n",
    );

    fn args(path: &Path) -> ReportArgs {
        ReportArgs {
            log: Some(path.to_owned()),
            community: None,
            all: false,
            window: "28d".into(),
            at: None,
            format: Format::Json,
            strict: false,
        }
    }

    fn end() -> i64 {
        instant::parse("2024-03-04T00:00:00Z").unwrap()
    }

    fn run_to_strings(args: &ReportArgs) -> (anyhow::Result<()>, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let result = write_report(args, end(), &mut out, &mut err);
        (
            result,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn skips_malformed_lines_with_their_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        std::fs::write(&path, LOG).unwrap();
        let (result, out, err) = run_to_strings(&args(&path));
        result.unwrap();
        assert!(err.contains("line 2: malformed JSON"), "{err}");
        assert!(err.contains("line 4: unknown kind \"liked\""), "{err}");
        assert!(err.contains("skipped 2 malformed line(s)"));
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["organisation"]["community"], serde_json::Value::Null);
        assert_eq!(json["communities"][0]["metrics"]["answered_share"], 1.0);
    }

    #[test]
    fn strict_stops_at_the_first_bad_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        std::fs::write(&path, LOG).unwrap();
        let mut a = args(&path);
        a.strict = true;
        let (result, out, _) = run_to_strings(&a);
        let message = format!("{:#}", result.unwrap_err());
        assert!(message.contains("line 2"), "{message}");
        assert!(out.is_empty());
    }

    #[test]
    fn reads_gzip_by_name_and_by_magic_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(LOG.as_bytes()).unwrap();
        let bytes = gz.finish().unwrap();
        for name in ["log.jsonl.gz", "log-without-extension"] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            let mut a = args(&path);
            a.community = Some("rust".into());
            a.format = Format::Text;
            let (result, out, _) = run_to_strings(&a);
            result.unwrap();
            assert!(out.contains("━━ rust ━━"), "{name}: {out}");
        }
    }

    #[test]
    fn unknown_community_and_missing_log_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        std::fs::write(&path, LOG).unwrap();
        let mut a = args(&path);
        a.community = Some("cobol".into());
        assert!(run_to_strings(&a).0.is_err());
        a.log = None;
        assert!(run_to_strings(&a).0.is_err());
        a.log = Some(dir.path().join("absent.jsonl"));
        assert!(run_to_strings(&a).0.is_err());
    }
}
