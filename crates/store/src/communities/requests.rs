//! Requests to join private communities and invitations by stewards: asking,
//! inviting, approving or declining, accepting or declining. Every step is
//! kept (nothing is deleted) and entered in the community's history; an
//! approval or acceptance adds the member with their `joined` event in the
//! same transaction.

use chrono::{DateTime, Utc};
use domain::community::{HistoryKind, MemberRole, Outcome, RequestKind, Visibility};
use sqlx::Row;

use super::membership::{add_member, current_role};
use super::{Entry, record, writable};
use crate::{Store, StoreError, Tx, from_millis, millis};

/// A pending request or invitation, as stewards see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRequest {
    /// Id.
    pub id: i64,
    /// Request or invitation.
    pub kind: RequestKind,
    /// The person who would join.
    pub person_id: i64,
    /// Their name.
    pub display_name: String,
    /// Who asked (the person) or invited (a steward).
    pub asked_by_name: String,
    /// A note with it.
    pub message: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// An invitation as the invitee sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// Id.
    pub id: i64,
    /// The community's address.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Its domain question.
    pub domain_question: String,
    /// Who invited.
    pub invited_by: String,
    /// Their note.
    pub message: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The id of `person`'s pending invitation to `community`, if any.
pub(crate) async fn pending_invitation(
    tx: &mut Tx,
    community: i64,
    person: i64,
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query(
        "SELECT id FROM membership_requests WHERE community_id = $1 AND person_id = $2 \
         AND kind = 'invitation' AND outcome = 'pending' ORDER BY id LIMIT 1",
    )
    .bind(community)
    .bind(person)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| r.try_get("id").map_err(StoreError::from))
        .transpose()
}

/// Closes request or invitation `id` as accepted or declined by `by`, with its history entry.
pub(crate) async fn settle(
    tx: &mut Tx,
    id: i64,
    by: i64,
    accepted: bool,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let row = sqlx::query(
        "SELECT community_id, person_id, kind FROM membership_requests WHERE id = $1 AND outcome = 'pending'",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let community: i64 = row.try_get("community_id")?;
    let person: i64 = row.try_get("person_id")?;
    let invitation = row.try_get::<String, _>("kind")? == RequestKind::Invitation.as_str();
    let outcome = if accepted {
        Outcome::Accepted
    } else {
        Outcome::Declined
    };
    sqlx::query(
        "UPDATE membership_requests SET outcome = $1, decided_by = $2, decided_at = $3 WHERE id = $4",
    )
    .bind(outcome.as_str())
    .bind(by)
    .bind(millis(at))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if accepted {
        // Once a member, any other open request or invitation is answered too.
        sqlx::query(
            "UPDATE membership_requests SET outcome = 'accepted', decided_by = $1, decided_at = $2 \
             WHERE community_id = $3 AND person_id = $4 AND outcome = 'pending'",
        )
        .bind(by)
        .bind(millis(at))
        .bind(community)
        .bind(person)
        .execute(&mut **tx)
        .await?;
    }
    let kind = match (invitation, accepted) {
        (true, true) => HistoryKind::InvitationAccepted,
        (true, false) => HistoryKind::InvitationDeclined,
        (false, true) => HistoryKind::RequestApproved,
        (false, false) => HistoryKind::RequestDeclined,
    };
    record(
        tx,
        Entry {
            community,
            at,
            actor: Some(by),
            kind,
            person: Some(person),
            other: None,
            detail: "",
        },
    )
    .await
}

async fn insert(
    tx: &mut Tx,
    community: i64,
    person: i64,
    kind: RequestKind,
    asked_by: i64,
    message: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO membership_requests (community_id, person_id, kind, message, asked_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(community)
    .bind(person)
    .bind(kind.as_str())
    .bind(message)
    .bind(asked_by)
    .bind(millis(at))
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    record(
        tx,
        Entry {
            community,
            at,
            actor: Some(asked_by),
            kind: match kind {
                RequestKind::Request => HistoryKind::Requested,
                RequestKind::Invitation => HistoryKind::Invited,
            },
            person: Some(person),
            other: None,
            detail: "",
        },
    )
    .await?;
    Ok(id)
}

impl Store {
    /// `person` asks to join private `community`. Asking twice, or while
    /// invited, changes nothing; members and open communities are conflicts.
    pub async fn request_to_join(
        &self,
        community: i64,
        person: i64,
        message: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let c = writable(&mut tx, community).await?;
        if c.charter.visibility == Visibility::Open {
            return Err(StoreError::Conflict {
                field: "community",
                message: "this community is open: join it directly".into(),
            });
        }
        if current_role(&mut tx, community, person).await?.is_some() {
            return Err(StoreError::Conflict {
                field: "community",
                message: "already a member of this community".into(),
            });
        }
        let open = sqlx::query(
            "SELECT id FROM membership_requests WHERE community_id = $1 AND person_id = $2 AND outcome = 'pending'",
        )
        .bind(community)
        .bind(person)
        .fetch_optional(&mut *tx)
        .await?;
        if open.is_none() {
            insert(
                &mut tx,
                community,
                person,
                RequestKind::Request,
                person,
                message,
                at,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Steward `by` invites `person` to `community`.
    pub async fn invite(
        &self,
        community: i64,
        by: i64,
        person: i64,
        message: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = invite_in(&mut tx, community, by, person, message, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Steward `by` approves or declines request `id` of `community`.
    pub async fn decide_request(
        &self,
        community: i64,
        id: i64,
        by: i64,
        approve: bool,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        writable(&mut tx, community).await?;
        let row = sqlx::query(
            "SELECT person_id FROM membership_requests WHERE id = $1 AND community_id = $2 \
             AND kind = 'request' AND outcome = 'pending'",
        )
        .bind(id)
        .bind(community)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let person: i64 = row.try_get("person_id")?;
        if approve {
            add_member(&mut tx, community, person, MemberRole::Member, at).await?;
        }
        settle(&mut tx, id, by, approve, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `person` accepts or declines their invitation `id`.
    pub async fn answer_invitation(
        &self,
        id: i64,
        person: i64,
        accept: bool,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT community_id FROM membership_requests WHERE id = $1 AND person_id = $2 \
             AND kind = 'invitation' AND outcome = 'pending'",
        )
        .bind(id)
        .bind(person)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let community: i64 = row.try_get("community_id")?;
        writable(&mut tx, community).await?;
        if accept {
            add_member(&mut tx, community, person, MemberRole::Member, at).await?;
        }
        settle(&mut tx, id, person, accept, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Pending requests and invitations of `community`, oldest first.
    pub async fn pending_requests(
        &self,
        community: i64,
    ) -> Result<Vec<PendingRequest>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, r.kind, r.person_id, p.display_name, a.display_name AS asked_by_name, r.message, r.created_at \
             FROM membership_requests r JOIN people p ON p.id = r.person_id JOIN people a ON a.id = r.asked_by \
             WHERE r.community_id = $1 AND r.outcome = 'pending' ORDER BY r.created_at, r.id",
        )
        .bind(community)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(PendingRequest {
                    id: row.try_get("id")?,
                    kind: row
                        .try_get::<String, _>("kind")?
                        .parse()
                        .unwrap_or(RequestKind::Request),
                    person_id: row.try_get("person_id")?,
                    display_name: row.try_get("display_name")?,
                    asked_by_name: row.try_get("asked_by_name")?,
                    message: row.try_get("message")?,
                    created_at: from_millis(row.try_get("created_at")?),
                })
            })
            .collect()
    }

    /// `person`'s pending invitations to communities that can still change, oldest first.
    pub async fn invitations_for(&self, person: i64) -> Result<Vec<Invitation>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, c.slug, c.name, c.domain_question, a.display_name AS invited_by, r.message, r.created_at \
             FROM membership_requests r JOIN communities c ON c.id = r.community_id \
             JOIN people a ON a.id = r.asked_by \
             WHERE r.person_id = $1 AND r.kind = 'invitation' AND r.outcome = 'pending' \
               AND c.archived_at IS NULL AND c.merged_into IS NULL ORDER BY r.created_at, r.id",
        )
        .bind(person)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Invitation {
                    id: row.try_get("id")?,
                    slug: row.try_get("slug")?,
                    name: row.try_get("name")?,
                    domain_question: row.try_get("domain_question")?,
                    invited_by: row.try_get("invited_by")?,
                    message: row.try_get("message")?,
                    created_at: from_millis(row.try_get("created_at")?),
                })
            })
            .collect()
    }
}

/// Invites `person` inside `tx` (also used when splitting a community).
pub(crate) async fn invite_in(
    tx: &mut Tx,
    community: i64,
    by: i64,
    person: i64,
    message: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    writable(tx, community).await?;
    let exists = sqlx::query("SELECT id FROM people WHERE id = $1")
        .bind(person)
        .fetch_optional(&mut **tx)
        .await?;
    if exists.is_none() {
        return Err(StoreError::Conflict {
            field: "person_id",
            message: format!("there is no person with id {person}"),
        });
    }
    if current_role(tx, community, person).await?.is_some() {
        return Err(StoreError::Conflict {
            field: "person_id",
            message: "already a member of this community".into(),
        });
    }
    if pending_invitation(tx, community, person).await?.is_some() {
        return Err(StoreError::Conflict {
            field: "person_id",
            message: "already invited; the invitation is waiting for an answer".into(),
        });
    }
    insert(
        tx,
        community,
        person,
        RequestKind::Invitation,
        by,
        message,
        at,
    )
    .await
}
