//! Digests and outgoing notifications: the weekly digest, e-mail over SMTP, webhooks signed with HMAC and retried with backoff.
