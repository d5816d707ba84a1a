//! `guildhall admin` and `guildhall demo` against a data directory.

use std::io::Write;
use std::process::Stdio;

use crate::{fails, guildhall, ok};

#[test]
fn create_user_promote_and_token() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = guildhall(dir.path())
        .args([
            "admin",
            "create-user",
            "--email",
            "Root@Example.org",
            "--name",
            "Root",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long enough secret\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("created member root@example.org"));

    let generated = ok(guildhall(dir.path()).args([
        "admin",
        "create-user",
        "--email",
        "b@example.org",
        "--name",
        "B",
        "--admin",
    ]));
    assert!(
        generated.contains("created admin") && generated.contains("password: "),
        "{generated}"
    );

    let dup = fails(guildhall(dir.path()).args([
        "admin",
        "create-user",
        "--email",
        "root@example.org",
        "--name",
        "Again",
    ]));
    assert!(String::from_utf8_lossy(&dup.stderr).contains("--email"));
    let bad = fails(guildhall(dir.path()).args([
        "admin",
        "create-user",
        "--email",
        "nonsense",
        "--name",
        "X",
    ]));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--email"));
    let empty = fails(guildhall(dir.path()).args([
        "admin",
        "create-user",
        "--email",
        "c@example.org",
        "--name",
        "  ",
    ]));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("--name"));

    assert!(
        ok(guildhall(dir.path()).args(["admin", "promote", "--email", "root@example.org"]))
            .contains("admin")
    );
    let missing =
        fails(guildhall(dir.path()).args(["admin", "promote", "--email", "ghost@example.org"]));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("ghost@example.org"));

    let token =
        ok(guildhall(dir.path()).args(["admin", "create-token", "--email", "root@example.org"]));
    assert!(token.trim().starts_with("ghp_") && token.trim().len() > 40);
}

#[test]
fn demo_history_is_generated_once_and_written_as_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.jsonl");
    let first = ok(guildhall(dir.path())
        .args(["demo", "--events", "3000", "--out"])
        .arg(&file));
    assert!(
        first.contains("events of generated history added"),
        "{first}"
    );
    let written = std::fs::read_to_string(&file).unwrap().lines().count();
    // Small organisations get a floor of activity per community, so at least this many.
    assert!(written >= 2_700, "{written} lines");
    let again = ok(guildhall(dir.path()).args(["demo", "--events", "3000"]));
    assert!(!again.contains("generated history added"), "{again}");
    // The store's log now holds the history, and the report sees every shape's community.
    let log = dir.path().join("store.jsonl");
    ok(guildhall(dir.path())
        .args(["export", "activity", "--out"])
        .arg(&log));
    let report = ok(guildhall(dir.path())
        .args(["report", "--all", "--format", "json", "--log"])
        .arg(&log));
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let slugs: Vec<_> = report["communities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["community"].as_str().unwrap().to_owned())
        .collect();
    for slug in [
        "observability-guild",
        "agile-coaching",
        "engineering-managers",
        "data-practice",
    ] {
        assert!(
            slugs.iter().any(|s| s == slug),
            "{slug} missing from {slugs:?}"
        );
    }
    // --log-only writes the file and leaves the store alone.
    let other = tempfile::tempdir().unwrap();
    ok(guildhall(other.path())
        .args(["demo", "--events", "500", "--log-only", "--out"])
        .arg(other.path().join("x.jsonl")));
    assert!(!other.path().join("guildhall-data").exists());
}

#[test]
fn demo_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let first = ok(guildhall(dir.path()).args(["demo", "--events", "0"]));
    assert!(
        first.contains(
            "16 people, 6 communities, 4 conversations, 3 artifacts and 1 gathering series added"
        ),
        "{first}"
    );
    let second = ok(guildhall(dir.path()).args(["demo", "--events", "0"]));
    assert!(
        second.contains(
            "0 people, 0 communities, 0 conversations, 0 artifacts and 0 gathering series added"
        ),
        "{second}"
    );
    assert!(dir.path().join("guildhall-data/guildhall.db").exists());
}

#[test]
fn export_writes_the_public_activity_log_that_report_reads() {
    let dir = tempfile::tempdir().unwrap();
    ok(guildhall(dir.path()).args(["demo", "--events", "0"]));
    let log = ok(guildhall(dir.path()).args(["export", "activity"]));
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The demo's six communities have 26 members between them, each joining
    // once; its four conversations add 4 threads, 4 replies, an accepted
    // answer and kudos.
    let joins: Vec<_> = lines.iter().filter(|e| e["kind"] == "joined").collect();
    assert_eq!(joins.len(), 26);
    assert!(
        joins
            .iter()
            .all(|e| e["actor"].is_string() && e["team"].is_string())
    );
    let count = |kind: &str| lines.iter().filter(|e| e["kind"] == kind).count();
    assert_eq!(
        [
            count("thread_opened"),
            count("replied"),
            count("answer_accepted"),
            count("kudos")
        ],
        [4, 4, 1, 1]
    );
    // The demo's practice: three artifacts, one reused by three members.
    assert_eq!(
        [count("artifact_created"), count("artifact_reused")],
        [3, 3]
    );
    assert!(
        lines
            .iter()
            .filter(|e| e["kind"] == "artifact_created")
            .all(|e| e["review_days"].is_number())
    );
    assert_eq!(lines.len(), 42);
    // The anonymous question is in the log without anyone's name.
    assert_eq!(
        lines
            .iter()
            .filter(|e| e["kind"] == "thread_opened" && e["actor"].is_null())
            .count(),
        1
    );
    let fe =
        ok(guildhall(dir.path()).args(["export", "activity", "--community", "front-end-craft"]));
    assert_eq!(fe.lines().count(), 7);
    let file = dir.path().join("log.jsonl");
    ok(guildhall(dir.path())
        .args(["export", "activity", "--out"])
        .arg(&file));
    let report = ok(guildhall(dir.path())
        .args(["report", "--all", "--format", "json", "--log"])
        .arg(&file));
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["communities"].as_array().unwrap().len(), 6);
    let missing = fails(guildhall(dir.path()).args([
        "export",
        "activity",
        "--community",
        "no-such-community",
    ]));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--community"));
    let bad = fails(guildhall(dir.path()).args(["export", "activity", "--since", "last week"]));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--since"));
}
