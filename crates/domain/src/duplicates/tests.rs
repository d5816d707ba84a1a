//! The finder on small hand-written corpora: what pairs, what does not, and why.

use super::*;

fn origin(key: PostKey, author: i64, team: Option<i64>) -> Origin {
    Origin {
        key,
        community: 1,
        author: Some(author),
        team,
    }
}

fn text(title: &str, body: &str, tags: &[&str]) -> Text {
    Text {
        title: title.to_owned(),
        body: body.to_owned(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
    }
}

/// Two teams fighting the same logging problem, a same-topic post that is
/// another problem, and unrelated posts to give the words their rarity.
fn corpus() -> Corpus {
    let mut c = Corpus::new();
    let posts = [
        (
            origin(PostKey::Thread(1), 10, Some(1)),
            text(
                "Structured logging drops fields under load",
                "Our fluentd sidecar drops JSON log fields when the pods are busy; the buffer overflows and Kibana shows half the fields.",
                &["logging", "fluentd"],
            ),
        ),
        (
            origin(PostKey::Artifact(7), 20, Some(2)),
            text(
                "Fluentd buffer overflow loses structured log fields",
                "When traffic peaks the fluentd buffer overflows and structured JSON fields vanish from Kibana. Raise the buffer and drop debug logs.",
                &["logging"],
            ),
        ),
        (
            origin(PostKey::Thread(2), 30, Some(3)),
            text(
                "Which logging library for Rust services?",
                "We are choosing between tracing and log4rs for new services; what do you use and why?",
                &["logging", "rust"],
            ),
        ),
        (
            origin(PostKey::Thread(3), 40, Some(4)),
            text(
                "Flaky end-to-end tests in the checkout",
                "The browser tests of the checkout time out on the payment step about once a day.",
                &["testing"],
            ),
        ),
        (
            origin(PostKey::Thread(4), 50, Some(5)),
            text(
                "Terraform state locking with several pipelines",
                "Two pipelines apply at once and the state lock in DynamoDB blocks one of them.",
                &["terraform"],
            ),
        ),
    ];
    for (o, t) in &posts {
        c.insert(*o, t);
    }
    c
}

#[test]
fn post_keys_read_and_write_as_activity_subjects() {
    assert_eq!(PostKey::Thread(12).to_string(), "thread-12");
    assert_eq!("artifact-7".parse::<PostKey>(), Ok(PostKey::Artifact(7)));
    for bad in [
        "thread",
        "thread-",
        "thread-x",
        "gathering-3",
        "thread--1",
        "thread-0",
        "",
    ] {
        let e = bad.parse::<PostKey>().unwrap_err();
        assert_eq!(e.field, "post", "{bad}");
    }
}

#[test]
fn cross_team_leaves_out_the_same_author_and_the_same_known_team() {
    let a = origin(PostKey::Thread(1), 10, Some(1));
    assert!(cross_team(&a, &origin(PostKey::Thread(2), 20, Some(2))));
    assert!(!cross_team(&a, &origin(PostKey::Thread(2), 20, Some(1))));
    assert!(!cross_team(&a, &origin(PostKey::Thread(2), 10, Some(2))));
    assert!(!cross_team(&a, &a));
    // Unknown teams never count as the same: the team is not consulted.
    assert!(cross_team(&a, &origin(PostKey::Thread(2), 20, None)));
    let anonymous = Origin {
        key: PostKey::Thread(3),
        community: 1,
        author: None,
        team: None,
    };
    assert!(cross_team(&a, &anonymous));
}

#[test]
fn the_scan_pairs_the_same_problem_across_teams_and_explains_it() {
    let found = corpus().scan(DUPLICATE_THRESHOLD);
    assert_eq!(found.len(), 1, "{found:?}");
    let pair = &found[0];
    assert_eq!((pair.a, pair.b), (PostKey::Thread(1), PostKey::Artifact(7)));
    assert!(
        pair.score >= DUPLICATE_THRESHOLD && pair.score <= 1.0,
        "{pair:?}"
    );
    assert!(pair.shared.len() <= SHARED_SHOWN);
    for word in ["fluentd", "buffer", "field", "structured", "overflow"] {
        assert!(
            pair.shared.iter().any(|w| w == word),
            "{word} not in {:?}",
            pair.shared
        );
    }
    // The words every logging post uses explain less than the rare ones.
    let position = |w: &str| pair.shared.iter().position(|s| s == w);
    assert!(position("fluentd") < position("logging").or(Some(usize::MAX)));
}

#[test]
fn the_same_team_or_author_is_not_duplicate_effort() {
    let mut c = corpus();
    let t = text(
        "Structured logging drops fields under load",
        "Our fluentd sidecar drops JSON log fields when the pods are busy.",
        &["logging"],
    );
    c.insert(origin(PostKey::Artifact(7), 20, Some(1)), &t);
    assert!(c.scan(DUPLICATE_THRESHOLD).is_empty());
    c.insert(origin(PostKey::Artifact(7), 10, None), &t);
    assert!(c.scan(DUPLICATE_THRESHOLD).is_empty());
    c.insert(origin(PostKey::Artifact(7), 11, None), &t);
    assert_eq!(c.scan(DUPLICATE_THRESHOLD).len(), 1);
}

#[test]
fn candidates_for_a_draft_come_from_other_teams_best_first() {
    let c = corpus();
    let asker = Origin {
        key: PostKey::Thread(99),
        community: 2,
        author: Some(60),
        team: Some(6),
    };
    let draft = text(
        "fluentd loses JSON fields",
        "Kibana is missing structured fields whenever the fluentd buffer is full.",
        &[],
    );
    let found = c.candidates(&asker, &draft, DUPLICATE_THRESHOLD, 5, |_| true);
    let keys: Vec<PostKey> = found.iter().map(|f| f.origin.key).collect();
    assert_eq!(
        keys[..2],
        [PostKey::Artifact(7), PostKey::Thread(1)],
        "{found:?}"
    );
    assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(found[0].shared.iter().any(|w| w == "fluentd"));
    // What `allow` refuses (a community the viewer may not see) never shows.
    let found = c.candidates(&asker, &draft, DUPLICATE_THRESHOLD, 5, |o| {
        o.key != PostKey::Artifact(7)
    });
    assert!(found.iter().all(|f| f.origin.key != PostKey::Artifact(7)));
    // The asker's own team is left out.
    let teammate = Origin {
        team: Some(2),
        ..asker
    };
    let found = c.candidates(&teammate, &draft, DUPLICATE_THRESHOLD, 5, |_| true);
    assert!(found.iter().all(|f| f.origin.key != PostKey::Artifact(7)));
}

#[test]
fn candidates_of_a_post_leave_out_itself_and_the_same_topic_other_problem() {
    let c = corpus();
    let found = c.candidates_of(PostKey::Thread(1), DUPLICATE_THRESHOLD, 5, |_| true);
    let keys: Vec<PostKey> = found.iter().map(|f| f.origin.key).collect();
    assert_eq!(keys, [PostKey::Artifact(7)], "{found:?}");
    assert!(
        c.candidates_of(PostKey::Thread(404), 0.0, 5, |_| true)
            .is_empty()
    );
}

#[test]
fn removed_and_replaced_posts_are_forgotten() {
    let mut c = corpus();
    assert_eq!(c.len(), 5);
    c.remove(PostKey::Artifact(7));
    assert_eq!(c.len(), 4);
    assert!(!c.contains(PostKey::Artifact(7)));
    assert!(c.scan(DUPLICATE_THRESHOLD).is_empty());
    assert!(
        c.candidates_of(PostKey::Thread(1), DUPLICATE_THRESHOLD, 5, |_| true)
            .is_empty()
    );
    c.insert(
        origin(PostKey::Thread(1), 10, Some(1)),
        &text("Terraform", "nothing about logs", &[]),
    );
    assert_eq!(c.len(), 4);
    assert_eq!(c.origin(PostKey::Thread(1)).map(|o| o.team), Some(Some(1)));
}

#[test]
fn identical_posts_score_one_and_empty_posts_nothing() {
    let mut c = Corpus::new();
    let t = text(
        "Incident review practice",
        "Blameless reviews within a week.",
        &[],
    );
    c.insert(origin(PostKey::Thread(1), 1, Some(1)), &t);
    c.insert(origin(PostKey::Thread(2), 2, Some(2)), &t);
    c.insert(
        origin(PostKey::Thread(3), 3, Some(3)),
        &text("", "the and of", &[]),
    );
    let found = c.scan(0.99);
    assert_eq!(found.len(), 1);
    assert!((found[0].score - 1.0).abs() < 1e-4, "{found:?}");
}

#[test]
fn the_banded_scan_finds_what_comparing_every_pair_finds_here() {
    let c = corpus();
    let exact = c.scan_exact(DUPLICATE_THRESHOLD);
    assert_eq!(exact.len(), 1);
    assert_eq!(c.scan_lsh(DUPLICATE_THRESHOLD), exact);
    assert_eq!(c.scan(DUPLICATE_THRESHOLD), exact);
}
