//! `guildhall import` run as a user would, on the import crate's fixtures,
//! against SQLite and (when configured) PostgreSQL: summaries, idempotent
//! re-runs, dry runs that change nothing, `--strict`'s exit code, imported
//! threads searchable with the community's privacy, activity events at
//! their original times, and merging and claiming imported people.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use domain::community::{CommunityType, Orientation, Visibility};
use store::communities::NewCommunity;
use store::threads::SearchFilter;

use crate::{fails, guildhall, ok};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/fixtures")
}

fn fixture(name: &str) -> String {
    fixtures().join(name).display().to_string()
}

/// Each database to run against: SQLite in the data directory, and a fresh
/// PostgreSQL database when the test server is configured.
fn databases() -> Vec<Option<String>> {
    let mut out = vec![None];
    let runtime = tokio::runtime::Runtime::new().unwrap();
    if let Some(url) = runtime
        .block_on(store::testing::postgres_database())
        .unwrap()
    {
        out.push(Some(url));
    }
    out
}

fn gh(dir: &Path, db: &Option<String>) -> Command {
    let mut cmd = guildhall(dir);
    if let Some(url) = db {
        cmd.args(["--database", url]);
    }
    cmd
}

async fn open(dir: &Path, db: &Option<String>) -> store::Store {
    match db {
        Some(url) => store::Store::open(url).await.unwrap(),
        None => store::Store::open_dir(&dir.join("guildhall-data"))
            .await
            .unwrap(),
    }
}

fn admin(dir: &Path, db: &Option<String>) {
    ok(gh(dir, db).args([
        "admin",
        "create-user",
        "--email",
        "steward@example.org",
        "--name",
        "Steward",
        "--admin",
    ]));
}

#[test]
fn stack_exchange_import_is_idempotent_and_keeps_its_times() {
    for db in databases() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let out = fails(gh(d, &db).args([
            "import",
            "stackexchange",
            &fixture("stackexchange"),
            "--community",
            "rust-qa",
        ]));
        assert!(String::from_utf8_lossy(&out.stderr).contains("no organisation admin"));
        admin(d, &db);
        let first = ok(gh(d, &db).args([
            "import",
            "stackexchange",
            &fixture("stackexchange"),
            "--community",
            "rust-qa",
        ]));
        assert!(
            first.contains("created: communities 1, people 6 (bots 1), threads 2, replies 6, accepted answers 1"),
            "{first}"
        );
        assert!(
            first
                .contains("dropped: dangling references 2, malformed records 1, system messages 1"),
            "{first}"
        );
        assert!(
            first.contains("Posts.xml:9 (record 7): answer 7 has no ParentId"),
            "{first}"
        );
        let log = ok(gh(d, &db).args(["export", "activity", "--community", "rust-qa"]));
        let again = ok(gh(d, &db).args([
            "import",
            "stackexchange",
            &fixture("stackexchange"),
            "--community",
            "rust-qa",
        ]));
        assert!(again.contains("created: nothing"), "{again}");
        assert!(
            again.contains(
                "already there (left as they were): people 6, posts 8, accepted answers 1"
            ),
            "{again}"
        );
        assert_eq!(
            ok(gh(d, &db).args(["export", "activity", "--community", "rust-qa"])),
            log,
            "a re-run adds no event"
        );
        assert!(
            log.contains(r#"{"at":"2010-07-19T19:12:12.510Z","community":"rust-qa","actor":"#),
            "{log}"
        );
        assert!(
            log.contains(
                r#""kind":"thread_opened","subject":"thread-1","thread_type":"question"}"#
            ),
            "{log}"
        );
        assert!(
            log.contains(r#"{"at":"2010-07-19T20:00:00.000Z""#)
                && log.contains(r#""kind":"answer_accepted""#),
            "{log}"
        );
        // The Community user's answer (2010-07-22T11:00) is kept but never logged.
        assert!(!log.contains("2010-07-22T11:00:00"), "{log}");
        // The report reads the exported log.
        let path = d.join("log.jsonl");
        std::fs::write(&path, &log).unwrap();
        let report = ok(guildhall(d).args([
            "report",
            "--log",
            path.to_str().unwrap(),
            "--at",
            "2010-08-01T00:00:00Z",
            "--format",
            "json",
        ]));
        assert!(report.contains("\"stage\""), "{report}");
        let truncated = ok(gh(d, &db).args([
            "import",
            "stackexchange",
            &fixture("stackexchange-truncated"),
            "--community",
            "rust-two",
        ]));
        assert!(truncated.contains("stackexchange-truncated/Posts.xml:5 (record 2): the rest of the file cannot be read"), "{truncated}");
    }
}

#[test]
fn a_dry_run_changes_nothing_and_strict_fails_on_a_skip() {
    for db in databases() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        admin(d, &db);
        let before = ok(gh(d, &db).args(["export", "activity"]));
        let dry = ok(gh(d, &db).args(["import", "slack", &fixture("slack"), "--dry-run"]));
        assert!(
            dry.starts_with("dry run of the slack import: nothing was written"),
            "{dry}"
        );
        assert!(dry.contains("would create: communities 2, people 6 (bots 3), joins 1, threads 6, replies 3, reactions 3"), "{dry}");
        assert!(
            dry.contains("kept out of the activity log: 1 posts by bots"),
            "{dry}"
        );
        assert!(dry.contains("dropped: dangling references 1, malformed records 2, system messages 1, unknown users 1"), "{dry}");
        assert!(
            dry.contains("not brought in: reactions with no equivalent 1"),
            "{dry}"
        );
        assert!(dry.contains("general/2024-03-01.json (record 6): a message by U99GHOST, who is not in users.json"), "{dry}");
        assert_eq!(ok(gh(d, &db).args(["export", "activity"])), before);

        let strict = fails(gh(d, &db).args([
            "import",
            "slack",
            &fixture("slack"),
            "--strict",
            "--dry-run",
        ]));
        let stdout = String::from_utf8_lossy(&strict.stdout);
        assert!(
            stdout.contains("stopped at the first problem (--strict)"),
            "{stdout}"
        );
        assert!(String::from_utf8_lossy(&strict.stderr).contains("--strict"));

        // A zip made here, one channel into a named community.
        let zip_path = d.join("export.zip");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        for name in [
            "users.json",
            "channels.json",
            "general/2024-03-01.json",
            "general/2024-03-02.json",
        ] {
            zip.start_file(name, options).unwrap();
            zip.write_all(&std::fs::read(fixtures().join("slack").join(name)).unwrap())
                .unwrap();
        }
        zip.finish().unwrap();
        let zip_arg = zip_path.display().to_string();
        let real = ok(gh(d, &db).args([
            "import",
            "slack",
            &zip_arg,
            "--channel",
            "general",
            "--community",
            "platform-guild",
            "--quiet",
        ]));
        assert!(real.contains("created: communities 1, people 6 (bots 3), joins 1, threads 4, replies 3, reactions 3"), "{real}");
        let again = ok(gh(d, &db).args([
            "import",
            "slack",
            &zip_arg,
            "--channel",
            "general",
            "--community",
            "platform-guild",
        ]));
        assert!(again.contains("created: nothing"), "{again}");
        let out = fails(gh(d, &db).args([
            "import",
            "slack",
            &zip_arg,
            "--channel",
            "general",
            "--channel",
            "x",
            "--community",
            "a",
        ]));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("one --community for each --channel")
        );
    }
}

#[test]
fn mailing_list_threads_are_searchable_with_privacy_and_people_merge_and_claim() {
    for db in databases() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        admin(d, &db);
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let s = open(d, &db).await;
            let steward = s
                .person_by_email("steward@example.org")
                .await
                .unwrap()
                .unwrap()
                .id;
            let charter = NewCommunity {
                slug: "arch".into(),
                name: "Architecture".into(),
                domain_question: "How do we shape systems?".into(),
                purpose: String::new(),
                community_type: CommunityType::TechnicalPractice,
                orientation: Orientation::KnowledgeWeaving,
                visibility: Visibility::Private,
            };
            s.create_community(
                &charter,
                steward,
                chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            )
            .await
            .unwrap();
            s.close().await;
        });
        let out = ok(gh(d, &db).args([
            "import",
            "mbox",
            &fixture("list.mbox"),
            "--community",
            "arch",
        ]));
        assert!(
            out.contains("created: people 5 (bots 1), threads 3, replies 3"),
            "{out}"
        );
        assert!(
            out.contains("list.mbox:72 (record 5): a message without headers"),
            "{out}"
        );
        ok(gh(d, &db).args([
            "admin",
            "create-user",
            "--email",
            "bob.b@example.org",
            "--name",
            "Bob",
        ]));
        let merged = ok(gh(d, &db).args([
            "admin",
            "merge-people",
            "--from",
            "bob@example.org",
            "--into",
            "bob.b@example.org",
        ]));
        assert!(
            merged.contains("merged bob@example.org into bob.b@example.org"),
            "{merged}"
        );
        let link = ok(gh(d, &db).args([
            "admin",
            "claim-link",
            "juergen@example.org",
            "--base-url",
            "https://guild.example.org/",
        ]));
        assert!(
            link.starts_with("https://guild.example.org/claim/ghc_"),
            "{link}"
        );
        let refused = fails(gh(d, &db).args(["admin", "claim-link", "steward@example.org"]));
        assert!(String::from_utf8_lossy(&refused.stderr).contains("nothing to claim"));
        runtime.block_on(async {
            let s = open(d, &db).await;
            let filter = SearchFilter {
                query: "event sourcing ledger".into(),
                ..SearchFilter::default()
            };
            let steward = s
                .person_by_email("steward@example.org")
                .await
                .unwrap()
                .unwrap()
                .id;
            let ada = s
                .person_by_email("ada@example.org")
                .await
                .unwrap()
                .unwrap()
                .id;
            let bob = s
                .person_by_email("bob.b@example.org")
                .await
                .unwrap()
                .unwrap()
                .id;
            let outsider = s
                .person_by_email("juergen@example.org")
                .await
                .unwrap()
                .unwrap()
                .id;
            assert!(!s.search(steward, &filter, 0, 10).await.unwrap().is_empty());
            assert!(
                !s.search(ada, &filter, 0, 10).await.unwrap().is_empty(),
                "writers become members"
            );
            assert!(
                !s.search(bob, &filter, 0, 10).await.unwrap().is_empty(),
                "the merged identity's membership follows"
            );
            assert!(
                s.person_by_email("bob@example.org")
                    .await
                    .unwrap()
                    .is_none()
            );
            let outsider_hits = s.search(outsider, &filter, 0, 10).await.unwrap();
            assert!(
                !outsider_hits.is_empty(),
                "Jürgen wrote in the list, so he is a member"
            );
            let stranger = s
                .create_person(
                    &store::people::NewPerson {
                        email: "stranger@example.org".into(),
                        display_name: "Stranger".into(),
                        password_hash: None,
                        org_role: domain::person::OrgRole::Member,
                    },
                    chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
                )
                .await
                .unwrap();
            assert!(
                s.search(stranger, &filter, 0, 10).await.unwrap().is_empty(),
                "the community is private"
            );
            s.close().await;
        });
    }
}
