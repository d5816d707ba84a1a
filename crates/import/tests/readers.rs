//! The readers on small exports written by hand from each format's public
//! documentation (`tests/fixtures`): what they find, what they skip and
//! where, and that a Slack export reads the same from a zip as from its
//! folder.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use import::{Item, Reason};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn collect(read: impl FnOnce(&mut dyn import::Sink) -> Result<(), import::ReadError>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut sink = |item: Item| {
        items.push(item);
        ControlFlow::Continue(())
    };
    read(&mut sink).expect("the export reads");
    items
}

fn posts(items: &[Item]) -> Vec<&import::ImportedPost> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Post(p) => Some(p),
            _ => None,
        })
        .collect()
}

fn skips(items: &[Item]) -> Vec<&import::Skip> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Skipped(s) => Some(s),
            _ => None,
        })
        .collect()
}

fn slack(path: &Path) -> Vec<Item> {
    collect(|sink| import::slack::read(path, &import::slack::Options::default(), sink))
}

#[test]
fn slack_export_folder() {
    let items = slack(&fixtures().join("slack"));
    let people: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::Person(p) => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(people.len(), 6, "five users and one bot seen in messages");
    assert_eq!(people[0].email.as_deref(), Some("ada@example.org"));
    assert!(
        people
            .iter()
            .any(|p| p.key == "slack:T0GUILD:B04DEPLOY" && p.bot)
    );
    assert!(
        people
            .iter()
            .any(|p| p.key == "slack:T0GUILD:bot:B04DEPLOY" && p.bot)
    );

    let channels: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::Channel(c) => Some(c.name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(channels, ["general", "design-crit"]);
    assert!(items.contains(&Item::Joined {
        person: "slack:T0GUILD:U03CAT".into(),
        at: import::slack::instant("1709283600.000100").unwrap(),
    }));

    let posts = posts(&items);
    let question = posts[0];
    assert_eq!(question.key, "slack:C01GENERAL:1709287200.000200");
    assert!(question.opens.is_some() && question.parents.is_empty());
    assert!(question.edited_at.is_some());
    assert!(
        question.body.contains("**rotate**")
            && question
                .body
                .contains("[the wiki](https://wiki.example.org/secrets)")
            && question.body.contains("@cat"),
        "{}",
        question.body
    );
    let reply = posts[1];
    assert_eq!(reply.parents, std::slice::from_ref(&question.key));
    assert!(
        reply.body.contains("`vault kv` \\& a nightly job")
            && reply.body.contains("```\nvault kv rotate deploy/key\n```"),
        "{}",
        reply.body
    );
    assert!(posts[2].author.as_deref() == Some("slack:T0GUILD:bot:B04DEPLOY"));
    let file = posts.iter().find(|p| p.body.contains("runbook")).unwrap();
    assert!(
        file.body
            .contains("📎 [Secrets runbook](https://guild.slack.com/files/U02BOB/F01/runbook.pdf)"),
        "{}",
        file.body
    );
    let tombstone = posts
        .iter()
        .find(|p| p.body.contains("deleted in Slack"))
        .unwrap();
    assert_eq!(tombstone.author, None);
    assert!(tombstone.opens.is_some());
    let reactions: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::Reaction(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(
        reactions.len(),
        3,
        "two +1 and one pray; :rocket: has no equivalent"
    );
    assert!(
        items
            .iter()
            .any(|i| matches!(i, Item::Unmapped { detail, .. } if detail == ":rocket:"))
    );

    let skips = skips(&items);
    let reasons: Vec<Reason> = skips.iter().map(|s| s.reason).collect();
    assert_eq!(
        reasons,
        [
            Reason::SystemMessage,
            Reason::UnknownUser,
            Reason::Malformed,
            Reason::Malformed
        ],
        "{skips:#?}"
    );
    assert!(
        skips[2]
            .at
            .to_string()
            .ends_with("general/2024-03-01.json (record 7)"),
        "{}",
        skips[2].at
    );
    assert!(
        skips[3]
            .at
            .to_string()
            .contains("design-crit/2024-03-04.json:"),
        "{}",
        skips[3].at
    );
    // The dangling reply is only known as such when written: it names its parent.
    assert!(
        posts
            .iter()
            .any(|p| p.parents == ["slack:C01GENERAL:1700000000.000000"])
    );
}

#[test]
fn slack_export_zip_reads_like_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("export.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let root = fixtures().join("slack");
    for name in [
        "users.json",
        "channels.json",
        "general/2024-03-01.json",
        "general/2024-03-02.json",
        "design-crit/2024-03-04.json",
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(&std::fs::read(root.join(name)).unwrap())
            .unwrap();
    }
    zip.finish().unwrap();
    let from_zip = slack(&zip_path);
    let from_folder = slack(&root);
    assert_eq!(posts(&from_zip), posts(&from_folder));
    assert_eq!(from_zip.len(), from_folder.len());
    assert!(
        skips(&from_zip)[2]
            .at
            .file
            .contains("export.zip!general/2024-03-01.json")
    );

    let only = collect(|sink| {
        import::slack::read(
            &zip_path,
            &import::slack::Options {
                channels: vec!["design-crit".into()],
            },
            sink,
        )
    });
    assert_eq!(posts(&only).len(), 2);
    let missing = import::slack::read(
        &zip_path,
        &import::slack::Options {
            channels: vec!["nope".into()],
        },
        &mut |_: Item| ControlFlow::Continue(()),
    );
    assert!(matches!(missing, Err(import::ReadError::Missing(m)) if m.contains("#nope")));
    let not_zip = import::slack::read(
        &root.join("users.json"),
        &Default::default(),
        &mut |_: Item| ControlFlow::Continue(()),
    );
    assert!(not_zip.is_err());
}

fn se(dir: &str) -> Vec<Item> {
    collect(|sink| {
        import::stackexchange::read(
            &fixtures().join(dir),
            &import::stackexchange::Options {
                site: "rust".into(),
            },
            sink,
        )
    })
}

#[test]
fn stack_exchange_dump() {
    let items = se("stackexchange");
    let posts = posts(&items);
    let keys: Vec<&str> = posts.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "se:rust:post:1",
            "se:rust:comment:10",
            "se:rust:post:2",
            "se:rust:post:3",
            "se:rust:comment:11",
            "se:rust:post:5",
            "se:rust:post:6",
            "se:rust:post:8",
            "se:rust:comment:12",
            "se:rust:comment:13",
        ],
        "posts and comments merged by time"
    );
    let q = posts[0];
    let opening = q.opens.as_ref().unwrap();
    assert_eq!(opening.title, "Reading bytes as UTF-8 without a copy");
    assert_eq!(opening.tags, ["rust", "utf-8", "strings"]);
    assert!(
        q.body.contains("`Vec<u8>`") && !q.body.contains("alert") && !q.body.contains("steal"),
        "{}",
        q.body
    );
    assert!(
        posts[3]
            .body
            .contains("[from\\_utf8](https://doc.rust-lang.org/std/str/fn.from_utf8.html)"),
        "{}",
        posts[3].body
    );
    assert!(
        posts[3]
            .body
            .contains("```\nlet s = std::str::from_utf8(&bytes)?;\n```"),
        "{}",
        posts[3].body
    );
    assert_eq!(
        posts[2].author.as_deref(),
        Some("se:rust:deleted:ghost-writer")
    );
    assert_eq!(posts[5].opens.as_ref().unwrap().tags, ["rust", "lifetimes"]);
    assert!(items.iter().any(|i| matches!(i, Item::Accepted(a) if a.question == "se:rust:post:1" && a.answer == "se:rust:post:3")));
    assert!(
        items
            .iter()
            .any(|i| matches!(i, Item::Person(p) if p.key == "se:rust:user:-1" && p.bot))
    );
    assert!(
        items
            .iter()
            .any(|i| matches!(i, Item::Person(p) if p.name == "Edsger & Co"))
    );
    let skips = skips(&items);
    assert_eq!(skips.len(), 2, "{skips:#?}");
    assert_eq!(skips[0].reason, Reason::SystemMessage);
    assert_eq!(skips[1].reason, Reason::Malformed);
    assert!(
        skips[1].to_string().contains("Posts.xml:") && skips[1].to_string().contains("(record 7)"),
        "{}",
        skips[1]
    );
}

#[test]
fn a_truncated_dump_is_reported_with_its_position() {
    let items = se("stackexchange-truncated");
    assert_eq!(posts(&items).len(), 2);
    let skips = skips(&items);
    assert!(
        skips.iter().any(|s| s.reason == Reason::Malformed
            && s.at.file.ends_with("Posts.xml")
            && s.at.line == Some(5)),
        "{skips:#?}"
    );
    assert!(
        skips.iter().any(|s| s.reason == Reason::Dangling),
        "the accepted answer was never read"
    );
}

#[test]
fn mbox_archive() {
    let path = fixtures().join("list.mbox");
    let items = collect(|sink| {
        import::mbox::read(
            &[path.as_path()],
            &import::mbox::Options {
                list: "arch".into(),
            },
            sink,
        )
    });
    let posts = posts(&items);
    assert_eq!(posts.len(), 6, "{posts:#?}");
    let first = posts[0];
    assert_eq!(first.key, "mail:arch:thread-1@example.org");
    assert_eq!(
        first.opens.as_ref().unwrap().title,
        "Event sourcing for the ledger?"
    );
    assert_eq!(
        first.aliases,
        ["mail:arch:subject:event sourcing for the ledger?"]
    );
    assert!(
        first.body.contains("\\* and \\# and \\<b\\>tags\\</b\\>"),
        "{}",
        first.body
    );
    assert!(
        first.body.contains("From the archives"),
        "the >From escape is undone: {}",
        first.body
    );
    assert!(!first.body.contains(">From"), "{}", first.body);

    let second = posts[1];
    assert_eq!(second.parents[0], "mail:arch:thread-1@example.org");
    assert!(
        second.body.contains("Donnerstag zur Architektur-Runde") && second.body.contains("Grüße"),
        "{}",
        second.body
    );
    assert!(second.body.contains("📎 ledger.pdf"), "{}", second.body);
    assert!(items.iter().any(|i| matches!(i, Item::Person(p) if p.name == "Jürgen Müller" && p.email.as_deref() == Some("juergen@example.org"))));

    let third = posts[2];
    assert_eq!(
        third.parents[0], "mail:arch:reply-1@example.org",
        "newest reference first"
    );
    assert!(
        third
            .body
            .starts_with("We did, with snapshots every 1000 events.")
            && third
                .body
                .contains("<details><summary>Quoted text</summary>"),
        "{}",
        third.body
    );

    let lost = posts[3];
    assert_eq!(
        lost.parents,
        ["mail:arch:subject:event sourcing for the ledger?"]
    );
    assert!(
        items
            .iter()
            .any(|i| matches!(i, Item::Person(p) if p.email.as_deref() == Some("bob@example.org")))
    );

    assert!(items.iter().any(|i| matches!(i, Item::Person(p) if p.email.as_deref() == Some("mailer-daemon@example.org") && p.bot)));
    let html = posts[5];
    assert!(
        html.body.contains("CQRS") && !html.body.contains("alert"),
        "{}",
        html.body
    );
    assert!(
        html.parents.is_empty(),
        "a new subject without references opens a thread"
    );

    let skips = skips(&items);
    assert_eq!(
        skips.iter().map(|s| s.reason).collect::<Vec<_>>(),
        [Reason::Malformed, Reason::UnknownUser]
    );
    assert!(
        skips[0].at.to_string().ends_with("list.mbox:72 (record 5)"),
        "{}",
        skips[0].at
    );
}
