//! Voluntary membership: joining and leaving (each with its activity event in
//! the same transaction), roles and the last-steward rule, the member list
//! with each member's latest contribution, the membership history, and the
//! communities a person belongs to.

use chrono::{DateTime, Duration, Utc};
use domain::community::{HistoryKind, MemberRole, Visibility};
use domain::membership::{ACTIVE_DAYS, CONTRIBUTION_KINDS, OCCASIONAL_DAYS, keeps_a_steward};
use sqlx::Row;

use super::{Entry, VIEWER_IS_MEMBER, record, writable};
use crate::activity::{self, NewEvent};
use crate::{Store, StoreError, Tx, from_millis, millis};

/// A current member as the member list shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberListing {
    /// Person id.
    pub person_id: i64,
    /// Name.
    pub display_name: String,
    /// Team, if any.
    pub team: Option<String>,
    /// Role in the community.
    pub role: MemberRole,
    /// When this spell of membership began.
    pub joined_at: DateTime<Utc>,
    /// Their latest contribution in the community, if any.
    pub last_contribution: Option<DateTime<Utc>>,
}

/// One spell of membership, current or past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipSpell {
    /// Its place in the history.
    pub id: i64,
    /// Person id.
    pub person_id: i64,
    /// Name.
    pub display_name: String,
    /// Role (at the end of the spell, for past ones).
    pub role: MemberRole,
    /// When it began.
    pub joined_at: DateTime<Utc>,
    /// When it ended, if it has.
    pub left_at: Option<DateTime<Utc>>,
    /// Whether the person had been a member before (a rejoin).
    pub rejoined: bool,
}

/// A community someone belongs to, with their role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonCommunity {
    /// Address.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Their role.
    pub role: MemberRole,
    /// Since when.
    pub joined_at: DateTime<Utc>,
    /// Whether the community is archived.
    pub archived: bool,
}

/// How many members are at each participation level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParticipationCounts {
    /// A contribution in the last 28 days.
    pub active: i64,
    /// In the last 90 days, not the last 28.
    pub occasional: i64,
    /// None in the last 90 days.
    pub peripheral: i64,
}

/// The contribution kinds as an SQL list (our own constants, not user input).
fn contribution_kinds() -> String {
    CONTRIBUTION_KINDS
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn role_of_text(text: &str) -> Result<MemberRole, StoreError> {
    text.parse().map_err(|_| {
        StoreError::Database(sqlx::Error::Decode(
            format!("unknown role {text:?} in the database").into(),
        ))
    })
}

/// The current role of `person` in `community` inside `tx`, if a member.
pub(crate) async fn current_role(
    tx: &mut Tx,
    community: i64,
    person: i64,
) -> Result<Option<MemberRole>, StoreError> {
    let row = sqlx::query(
        "SELECT role FROM memberships WHERE community_id = $1 AND person_id = $2 AND left_at IS NULL",
    )
    .bind(community)
    .bind(person)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| role_of_text(&r.try_get::<String, _>("role")?))
        .transpose()
}

async fn stewards(tx: &mut Tx, community: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "SELECT COUNT(*) AS n FROM memberships WHERE community_id = $1 AND role = 'steward' AND left_at IS NULL",
    )
    .bind(community)
    .fetch_one(&mut **tx)
    .await?
    .try_get("n")?)
}

/// Adds `person` as a member with `role` and appends their `joined` event;
/// already a member is a conflict.
pub(crate) async fn add_member(
    tx: &mut Tx,
    community: i64,
    person: i64,
    role: MemberRole,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if current_role(tx, community, person).await?.is_some() {
        return Err(StoreError::Conflict {
            field: "community",
            message: "already a member of this community".into(),
        });
    }
    sqlx::query(
        "INSERT INTO memberships (community_id, person_id, role, joined_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(community)
    .bind(person)
    .bind(role.as_str())
    .bind(millis(at))
    .execute(&mut **tx)
    .await?;
    activity::append(
        tx,
        &NewEvent {
            at,
            community_id: community,
            actor_id: Some(person),
            kind: "joined",
            ..NewEvent::default()
        },
    )
    .await
}

/// Ends `person`'s current membership and appends their `left` event.
pub(crate) async fn end_membership(
    tx: &mut Tx,
    community: i64,
    person: i64,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE memberships SET left_at = $1 WHERE community_id = $2 AND person_id = $3 AND left_at IS NULL",
    )
    .bind(millis(at))
    .bind(community)
    .bind(person)
    .execute(&mut **tx)
    .await?;
    activity::append(
        tx,
        &NewEvent {
            at,
            community_id: community,
            actor_id: Some(person),
            kind: "left",
            ..NewEvent::default()
        },
    )
    .await
}

impl Store {
    /// Adds `person` as a member without the visibility rules (for the demo
    /// and imports); already a member is a conflict.
    pub async fn join_community(
        &self,
        community: i64,
        person: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        add_member(&mut tx, community, person, MemberRole::Member, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `person` joins `community` of their own accord: freely when it is
    /// open, and a private one only with a pending invitation (which this
    /// accepts). Without one, a private community is not found.
    pub async fn join(
        &self,
        community: i64,
        person: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let c = super::load(&mut tx, community).await?;
        let invitation = super::requests::pending_invitation(&mut tx, community, person).await?;
        // Privacy first: an outsider learns nothing, not even that it is archived.
        if c.charter.visibility == Visibility::Private
            && invitation.is_none()
            && current_role(&mut tx, community, person).await?.is_none()
        {
            return Err(StoreError::NotFound);
        }
        super::check_writable(&c)?;
        add_member(&mut tx, community, person, MemberRole::Member, at).await?;
        if let Some(id) = invitation {
            super::requests::settle(&mut tx, id, person, true, at).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// `person` leaves `community`. The last steward cannot leave before
    /// handing stewardship to someone else.
    pub async fn leave(
        &self,
        community: i64,
        person: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        writable(&mut tx, community).await?;
        let Some(role) = current_role(&mut tx, community, person).await? else {
            return Err(StoreError::Conflict {
                field: "community",
                message: "you are not a member of this community".into(),
            });
        };
        if !keeps_a_steward(stewards(&mut tx, community).await?, role, None) {
            return Err(StoreError::Conflict {
                field: "role",
                message:
                    "you are the last steward: make another member a steward before you leave \
                          (or archive the community)"
                        .into(),
            });
        }
        end_membership(&mut tx, community, person, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets the role of member `person`, by `actor` (whom the caller has
    /// checked may do so). The change is kept in the community's history; a
    /// community keeps at least one steward.
    pub async fn set_role(
        &self,
        community: i64,
        actor: i64,
        person: i64,
        role: MemberRole,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        writable(&mut tx, community).await?;
        let Some(before) = current_role(&mut tx, community, person).await? else {
            return Err(StoreError::NotFound);
        };
        if before == role {
            return Ok(());
        }
        if !keeps_a_steward(stewards(&mut tx, community).await?, before, Some(role)) {
            return Err(StoreError::Conflict {
                field: "role",
                message:
                    "a community keeps at least one steward: make someone else a steward first"
                        .into(),
            });
        }
        sqlx::query(
            "UPDATE memberships SET role = $1 WHERE community_id = $2 AND person_id = $3 AND left_at IS NULL",
        )
        .bind(role.as_str())
        .bind(community)
        .bind(person)
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            Entry {
                community,
                at,
                actor: Some(actor),
                kind: HistoryKind::RoleChanged,
                person: Some(person),
                other: None,
                detail: &format!("{before} → {role}"),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The current role of `person` in `community`, if they are a member.
    pub async fn role_in(
        &self,
        community: i64,
        person: i64,
    ) -> Result<Option<MemberRole>, StoreError> {
        let row = sqlx::query(
            "SELECT role FROM memberships WHERE community_id = $1 AND person_id = $2 AND left_at IS NULL",
        )
        .bind(community)
        .bind(person)
        .fetch_optional(self.reader())
        .await?;
        row.map(|r| role_of_text(&r.try_get::<String, _>("role")?))
            .transpose()
    }

    /// Current members, optionally of one role, by name, one page at a time,
    /// each with their latest contribution in the community.
    pub async fn members(
        &self,
        community: i64,
        role: Option<MemberRole>,
        after: Option<(String, i64)>,
        limit: i64,
    ) -> Result<Vec<MemberListing>, StoreError> {
        let kinds = contribution_kinds();
        let sql = format!(
            "SELECT m.person_id, p.display_name, t.name AS team, m.role, m.joined_at, \
               (SELECT MAX(a.at) FROM activity a WHERE a.community_id = m.community_id \
                  AND a.actor_id = m.person_id AND a.kind IN ({kinds})) AS last_contribution \
             FROM memberships m JOIN people p ON p.id = m.person_id LEFT JOIN teams t ON t.id = p.team_id \
             WHERE m.community_id = $1 AND m.left_at IS NULL AND ($2 = '' OR m.role = $2) \
               AND ($3 = 0 OR p.display_name > $4 OR (p.display_name = $4 AND p.id > $5)) \
             ORDER BY p.display_name, p.id LIMIT $6"
        );
        let (after_name, after_id) = after.clone().unwrap_or_default();
        let rows = sqlx::query(&sql)
            .bind(community)
            .bind(role.map(|r| r.as_str()).unwrap_or(""))
            .bind(i64::from(after.is_some()))
            .bind(after_name)
            .bind(after_id)
            .bind(limit.clamp(1, 1000))
            .fetch_all(self.reader())
            .await?;
        rows.iter()
            .map(|row| {
                Ok(MemberListing {
                    person_id: row.try_get("person_id")?,
                    display_name: row.try_get("display_name")?,
                    team: row.try_get("team")?,
                    role: role_of_text(&row.try_get::<String, _>("role")?)?,
                    joined_at: from_millis(row.try_get("joined_at")?),
                    last_contribution: row
                        .try_get::<Option<i64>, _>("last_contribution")?
                        .map(from_millis),
                })
            })
            .collect()
    }

    /// How many current members are active, occasional and peripheral as of
    /// `now` (the windows of `domain::membership::participation`).
    pub async fn participation_counts(
        &self,
        community: i64,
        now: DateTime<Utc>,
    ) -> Result<ParticipationCounts, StoreError> {
        let kinds = contribution_kinds();
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(CASE WHEN x.last > $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS active, \
               CAST(COALESCE(SUM(CASE WHEN x.last <= $2 AND x.last > $3 THEN 1 ELSE 0 END), 0) AS BIGINT) AS occasional, \
               CAST(COUNT(*) AS BIGINT) AS members \
             FROM (SELECT (SELECT MAX(a.at) FROM activity a WHERE a.community_id = m.community_id \
                     AND a.actor_id = m.person_id AND a.kind IN ({kinds}) AND a.at <= $4) AS last \
                   FROM memberships m WHERE m.community_id = $1 AND m.left_at IS NULL) x"
        );
        let row = sqlx::query(&sql)
            .bind(community)
            .bind(millis(now - Duration::days(ACTIVE_DAYS)))
            .bind(millis(now - Duration::days(OCCASIONAL_DAYS)))
            .bind(millis(now))
            .fetch_one(self.reader())
            .await?;
        let active: i64 = row.try_get("active")?;
        let occasional: i64 = row.try_get("occasional")?;
        let members: i64 = row.try_get("members")?;
        Ok(ParticipationCounts {
            active,
            occasional,
            peripheral: members - active - occasional,
        })
    }

    /// Every spell of membership, current and past, newest first (at most `limit`).
    pub async fn membership_history(
        &self,
        community: i64,
        limit: i64,
    ) -> Result<Vec<MembershipSpell>, StoreError> {
        self.membership_history_before(community, None, limit).await
    }

    /// Like [`Store::membership_history`], continuing before the spell that
    /// began at (instant in milliseconds, id) `before`.
    pub async fn membership_history_before(
        &self,
        community: i64,
        before: Option<(i64, i64)>,
        limit: i64,
    ) -> Result<Vec<MembershipSpell>, StoreError> {
        let (before_at, before_id) = before.unwrap_or_default();
        let rows = sqlx::query(
            "SELECT m.id, m.person_id, p.display_name, m.role, m.joined_at, m.left_at, \
               (SELECT COUNT(*) FROM memberships e WHERE e.community_id = m.community_id \
                  AND e.person_id = m.person_id AND (e.joined_at < m.joined_at \
                  OR (e.joined_at = m.joined_at AND e.id < m.id))) AS earlier \
             FROM memberships m JOIN people p ON p.id = m.person_id \
             WHERE m.community_id = $1 \
               AND ($2 = 0 OR m.joined_at < $3 OR (m.joined_at = $3 AND m.id < $4)) \
             ORDER BY m.joined_at DESC, m.id DESC LIMIT $5",
        )
        .bind(community)
        .bind(i64::from(before.is_some()))
        .bind(before_at)
        .bind(before_id)
        .bind(limit.clamp(1, 5000))
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(MembershipSpell {
                    id: row.try_get("id")?,
                    person_id: row.try_get("person_id")?,
                    display_name: row.try_get("display_name")?,
                    role: role_of_text(&row.try_get::<String, _>("role")?)?,
                    joined_at: from_millis(row.try_get("joined_at")?),
                    left_at: row.try_get::<Option<i64>, _>("left_at")?.map(from_millis),
                    rejoined: row.try_get::<i64, _>("earlier")? > 0,
                })
            })
            .collect()
    }

    /// The communities `person` belongs to now that `viewer` may see, by name.
    pub async fn communities_of(
        &self,
        person: i64,
        viewer: Option<i64>,
    ) -> Result<Vec<PersonCommunity>, StoreError> {
        let sql = format!(
            "SELECT c.slug, c.name, m.role, m.joined_at, c.archived_at FROM memberships m \
             JOIN communities c ON c.id = m.community_id \
             WHERE (c.visibility = 'open' OR {VIEWER_IS_MEMBER}) AND m.person_id = $2 \
               AND m.left_at IS NULL AND c.merged_into IS NULL ORDER BY c.name, c.id"
        );
        let rows = sqlx::query(&sql)
            .bind(viewer.unwrap_or(-1))
            .bind(person)
            .fetch_all(self.reader())
            .await?;
        rows.iter()
            .map(|row| {
                Ok(PersonCommunity {
                    slug: row.try_get("slug")?,
                    name: row.try_get("name")?,
                    role: role_of_text(&row.try_get::<String, _>("role")?)?,
                    joined_at: from_millis(row.try_get("joined_at")?),
                    archived: row.try_get::<Option<i64>, _>("archived_at")?.is_some(),
                })
            })
            .collect()
    }
}
