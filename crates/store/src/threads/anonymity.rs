//! How the asker of an anonymous question is recognised without being
//! recorded: the thread keeps a random salt and the SHA-256 digest of salt
//! and person id, never the id itself. The asker's own requests can be
//! checked against it; nothing in Guildhall turns it back into a name. (An
//! operator with the database can test candidate people against a digest;
//! anonymity holds against everything Guildhall shows, not against the
//! database's owner.)

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh salt and the digest that binds `person` to it.
pub(super) fn seal(person: i64) -> (String, String) {
    let mut salt = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut salt);
    let salt = hex::encode(salt);
    let digest = digest(&salt, person);
    (salt, digest)
}

/// Whether `person` is the one sealed into `digest` with `salt`.
pub(super) fn opens(salt: Option<&str>, digest: Option<&str>, person: i64) -> bool {
    match (salt, digest) {
        (Some(salt), Some(expected)) => {
            let actual = self::digest(salt, person);
            // Both are hex of equal length; compare without early exit.
            actual.len() == expected.len()
                && actual
                    .bytes()
                    .zip(expected.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        }
        _ => false,
    }
}

fn digest(salt: &str, person: i64) -> String {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(b":");
    hasher.update(person.to_string().as_bytes());
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_asker_opens_the_seal() {
        let (salt, digest) = super::seal(42);
        assert!(super::opens(Some(&salt), Some(&digest), 42));
        assert!(!super::opens(Some(&salt), Some(&digest), 43));
        assert!(!super::opens(None, Some(&digest), 42));
        let (other_salt, other) = super::seal(42);
        assert_ne!(salt, other_salt);
        assert_ne!(
            digest, other,
            "the same asker is not linkable across threads"
        );
    }
}
