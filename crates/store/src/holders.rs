//! Who holds a credential: the person behind a session or an access token,
//! read with their unread notification count in one query, because every
//! request asks it first.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::people::{PERSON_COLUMNS, Person, person_from_row};
use crate::sessions::Session;
use crate::{Store, StoreError, from_millis, millis};

/// The person holding a credential.
#[derive(Debug, Clone)]
pub struct Holder {
    /// Who.
    pub person: Person,
    /// Their unread notifications, when asked for.
    pub unread: Option<i64>,
}

/// The unread count, computed only when `$2` is 1.
const UNREAD: &str = "CASE WHEN $2 = 1 THEN (SELECT COUNT(*) FROM notifications n \
     WHERE n.person_id = p.id AND n.read_at IS NULL) END AS unread";

fn holder(row: &AnyRow) -> Result<Holder, StoreError> {
    Ok(Holder {
        person: person_from_row(row)?,
        unread: row.try_get("unread")?,
    })
}

impl Store {
    /// The holder of the live session whose secret hashes to `id_hash`,
    /// with the session; the unread count when `unread`.
    pub async fn session_holder(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
        unread: bool,
    ) -> Result<Option<(Session, Holder)>, StoreError> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS}, {UNREAD}, s.person_id, s.csrf_token, s.expires_at \
             FROM sessions s JOIN people p ON p.id = s.person_id LEFT JOIN teams t ON t.id = p.team_id \
             WHERE s.id_hash = $1 AND s.expires_at > $3"
        );
        let row = sqlx::query(&sql)
            .bind(id_hash)
            .bind(i64::from(unread))
            .bind(millis(now))
            .fetch_optional(self.reader())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let session = Session {
            person_id: row.try_get("person_id")?,
            csrf_token: row.try_get("csrf_token")?,
            expires_at: from_millis(row.try_get("expires_at")?),
        };
        Ok(Some((session, holder(&row)?)))
    }

    /// The holder of the unrevoked personal access token hashing to
    /// `token_hash`; the unread count when `unread`. Notes the token's use
    /// at most once a minute, so reads do not each become writes.
    pub async fn token_holder(
        &self,
        token_hash: &str,
        at: DateTime<Utc>,
        unread: bool,
    ) -> Result<Option<Holder>, StoreError> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS}, {UNREAD}, k.id AS token_id, k.last_used_at \
             FROM api_tokens k JOIN people p ON p.id = k.person_id LEFT JOIN teams t ON t.id = p.team_id \
             WHERE k.token_hash = $1 AND k.revoked_at IS NULL"
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .bind(i64::from(unread))
            .fetch_optional(self.reader())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let last: Option<i64> = row.try_get("last_used_at")?;
        if last.is_none_or(|l| millis(at) - l > 60_000) {
            self.note_token_use(row.try_get("token_id")?, at).await?;
        }
        Ok(Some(holder(&row)?))
    }
}
