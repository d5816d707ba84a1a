//! The `guildhall` binary, run as a user would: configuration precedence,
//! admin commands, the demo, a real server killed and restarted, and two
//! servers sharing one PostgreSQL database.

mod admin;
mod config;
mod import;
mod server;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary under test, with a clean environment.
pub fn guildhall(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guildhall"));
    cmd.current_dir(dir)
        .env_remove("GUILDHALL_CONFIG")
        .env_remove("GUILDHALL_DATA")
        .env_remove("GUILDHALL_DATABASE")
        .env_remove("GUILDHALL_ADDR")
        .env_remove("GUILDHALL_SIGNUP")
        .env_remove("GUILDHALL_SECURE_COOKIES")
        .env_remove("GUILDHALL_LOG_FORMAT")
        .env("GUILDHALL_LOG", "warn");
    cmd
}

/// Runs `cmd` and returns its output, failing on a non-zero exit.
pub fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `cmd`, expecting failure, and returns its output.
pub fn fails(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(!out.status.success(), "{cmd:?} should have failed");
    out
}

/// A server process and its address.
pub struct Server {
    /// The process.
    pub child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl Server {
    /// Starts `guildhall serve` on a free port with `args`, waiting until it listens.
    pub fn start(dir: &Path, args: &[&str]) -> Server {
        let mut child = guildhall(dir)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("listening on http://") {
                    let _ = tx.send(
                        line[at + "listening on ".len()..]
                            .trim_end_matches('/')
                            .to_owned(),
                    );
                }
            }
        });
        let base = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server starts listening");
        Server { child, base }
    }

    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Sends SIGTERM and waits for the exit, returning whether it was clean.
    pub fn terminate(mut self) -> bool {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
