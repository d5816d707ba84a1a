//! Communities and their membership history, as far as the foundation needs
//! them: proposing a community with its first steward, joining, and the
//! directory of communities a person may see.

use chrono::{DateTime, Utc};
use domain::community::{CommunityType, MemberRole, Orientation, Stage, Visibility};
use sqlx::Row;

use crate::activity::{self, NewEvent};
use crate::{Store, StoreError, Tx, from_millis, millis};

/// The charter fields needed to start a community.
#[derive(Debug, Clone)]
pub struct NewCommunity {
    /// Address, unique.
    pub slug: String,
    /// Name.
    pub name: String,
    /// The domain, framed as a question.
    pub domain_question: String,
    /// Why it exists, and the organisational goal it serves.
    pub purpose: String,
    /// Kind of practice.
    pub community_type: CommunityType,
    /// What it aspires to.
    pub orientation: Orientation,
    /// Who can see it.
    pub visibility: Visibility,
}

/// A community in a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunitySummary {
    /// Id.
    pub id: i64,
    /// Address.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Domain question.
    pub domain_question: String,
    /// Kind of practice.
    pub community_type: String,
    /// Who can see it.
    pub visibility: String,
    /// Life stage.
    pub stage: String,
    /// Current members.
    pub members: i64,
    /// When it was proposed.
    pub created_at: DateTime<Utc>,
}

impl Store {
    /// Creates a community in the potential stage with `steward` as its first steward.
    pub async fn create_community(
        &self,
        new: &NewCommunity,
        steward: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "INSERT INTO communities (slug, name, domain_question, purpose, community_type, orientation, \
             visibility, stage, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(&new.slug)
        .bind(&new.name)
        .bind(&new.domain_question)
        .bind(&new.purpose)
        .bind(new.community_type.as_str())
        .bind(new.orientation.as_str())
        .bind(new.visibility.as_str())
        .bind(Stage::Potential.as_str())
        .bind(steward)
        .bind(millis(at))
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::unique("slug", "a community with this address already exists"))?;
        let id: i64 = row.try_get("id")?;
        add_member(&mut tx, id, steward, MemberRole::Steward, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds `person` as a member of `community`; already a member is a conflict.
    pub async fn join_community(&self, community: i64, person: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        add_member(&mut tx, community, person, MemberRole::Member, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The id of the community with `slug`, if it exists.
    pub async fn community_id(&self, slug: &str) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT id FROM communities WHERE slug = $1")
            .bind(slug)
            .fetch_optional(self.reader())
            .await?;
        Ok(match row {
            Some(row) => Some(row.try_get("id")?),
            None => None,
        })
    }

    /// The communities `viewer` may see: every open one, and private ones they belong to.
    pub async fn visible_communities(&self, viewer: Option<i64>) -> Result<Vec<CommunitySummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.id, c.slug, c.name, c.domain_question, c.community_type, c.visibility, c.stage, c.created_at, \
               (SELECT COUNT(*) FROM memberships m WHERE m.community_id = c.id AND m.left_at IS NULL) AS members \
             FROM communities c \
             WHERE c.visibility = 'open' OR EXISTS (SELECT 1 FROM memberships m \
               WHERE m.community_id = c.id AND m.person_id = $1 AND m.left_at IS NULL) \
             ORDER BY c.name",
        )
        .bind(viewer.unwrap_or(-1))
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(CommunitySummary {
                    id: row.try_get("id")?,
                    slug: row.try_get("slug")?,
                    name: row.try_get("name")?,
                    domain_question: row.try_get("domain_question")?,
                    community_type: row.try_get("community_type")?,
                    visibility: row.try_get("visibility")?,
                    stage: row.try_get("stage")?,
                    members: row.try_get("members")?,
                    created_at: from_millis(row.try_get("created_at")?),
                })
            })
            .collect()
    }
}

async fn add_member(
    tx: &mut Tx,
    community: i64,
    person: i64,
    role: MemberRole,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let current = sqlx::query("SELECT id FROM memberships WHERE community_id = $1 AND person_id = $2 AND left_at IS NULL")
        .bind(community)
        .bind(person)
        .fetch_optional(&mut **tx)
        .await?;
    if current.is_some() {
        return Err(StoreError::Conflict {
            field: "community",
            message: "already a member of this community".into(),
        });
    }
    sqlx::query("INSERT INTO memberships (community_id, person_id, role, joined_at) VALUES ($1, $2, $3, $4)")
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
