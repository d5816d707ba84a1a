//! Configuration precedence: flags over environment over file over defaults,
//! and clear errors for a bad file.

use crate::{fails, guildhall, ok};

#[test]
fn flags_beat_environment_beat_file_beat_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("guildhall.toml");
    std::fs::write(&file, "data = \"/srv/from-file\"\nlog_format = \"json\"\n[serve]\naddr = \"127.0.0.1:7001\"\nsignup = \"closed\"\n").unwrap();
    let defaults = ok(guildhall(dir.path()).arg("config"));
    assert!(
        defaults.contains("data = \"./guildhall-data\""),
        "{defaults}"
    );
    assert!(defaults.contains("addr = \"127.0.0.1:8080\""));

    let from_file = ok(guildhall(dir.path())
        .arg("--config")
        .arg(&file)
        .arg("config"));
    assert!(
        from_file.contains("data = \"/srv/from-file\""),
        "{from_file}"
    );
    assert!(from_file.contains("addr = \"127.0.0.1:7001\""));
    assert!(from_file.contains("signup = \"closed\""));
    assert!(from_file.contains("log_format = \"json\""));

    let from_env = ok(guildhall(dir.path())
        .env("GUILDHALL_CONFIG", &file)
        .env("GUILDHALL_DATA", "/srv/from-env")
        .env("GUILDHALL_ADDR", "127.0.0.1:7002")
        .arg("config"));
    assert!(from_env.contains("data = \"/srv/from-env\""), "{from_env}");
    assert!(from_env.contains("addr = \"127.0.0.1:7002\""));
    assert!(
        from_env.contains("signup = \"closed\""),
        "the file still fills what the environment leaves"
    );

    let from_flags = ok(guildhall(dir.path())
        .env("GUILDHALL_CONFIG", &file)
        .env("GUILDHALL_DATA", "/srv/from-env")
        .env("GUILDHALL_ADDR", "127.0.0.1:7002")
        .args([
            "--data",
            "/srv/from-flag",
            "config",
            "--addr",
            "127.0.0.1:7003",
            "--signup",
            "open",
        ]));
    assert!(
        from_flags.contains("data = \"/srv/from-flag\""),
        "{from_flags}"
    );
    assert!(from_flags.contains("addr = \"127.0.0.1:7003\""));
    assert!(from_flags.contains("signup = \"open\""));
}

#[test]
fn database_passwords_are_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let shown =
        ok(guildhall(dir.path()).args(["--database", "postgres://gh:hunter2@db/gh", "config"]));
    assert!(shown.contains("postgres://gh:***@db/gh"));
    assert!(!shown.contains("hunter2"));
}

#[test]
fn bad_configuration_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "[serve]\nadress = \"x\"\n").unwrap();
    let out = fails(
        guildhall(dir.path())
            .arg("--config")
            .arg(&file)
            .arg("config"),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml") && err.contains("adress"), "{err}");
    let out = fails(guildhall(dir.path()).args(["--config", "/no/such/file.toml", "config"]));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/file.toml"));
    let out = fails(guildhall(dir.path()).args(["serve", "--addr", "not-an-address"]));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--addr"));
    let out = fails(guildhall(dir.path()).args(["--database", "mysql://x", "demo"]));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sqlite:// or postgres://"));
}
