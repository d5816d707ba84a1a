//! Reaching people outside Guildhall: the weekly digest's contents, outgoing webhooks and their delivery log.
