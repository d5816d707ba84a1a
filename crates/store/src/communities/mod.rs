//! Communities: proposing one with its first steward and charter, looking
//! them up, who may see them, and the directory with its filters. Membership,
//! requests and invitations, charter revisions and the lifecycle each have
//! their own module.

mod charter;
mod lifecycle;
mod log;
mod membership;
mod requests;

use chrono::{DateTime, Utc};
use domain::charter::Charter;
use domain::community::{CommunityType, HistoryKind, MemberRole, Orientation, Stage, Visibility};
use sqlx::Row;
use sqlx::any::AnyRow;

pub use charter::Revision;
pub use lifecycle::HistoryEntry;
pub use log::LoggedEvent;
pub(crate) use membership::role_of_text;
pub use membership::{MemberListing, MembershipSpell, ParticipationCounts, PersonCommunity};
pub use requests::{Invitation, PendingRequest};

use crate::{Store, StoreError, Tx, from_millis, millis};

/// The charter fields needed to start a community (the foundation's shape;
/// the rest of the charter starts empty).
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

impl NewCommunity {
    /// The whole charter this makes.
    pub fn charter(&self) -> Charter {
        Charter {
            name: self.name.clone(),
            domain_question: self.domain_question.clone(),
            in_scope: String::new(),
            out_of_scope: String::new(),
            purpose: self.purpose.clone(),
            org_goal: String::new(),
            community_type: self.community_type,
            orientation: self.orientation,
            visibility: self.visibility,
            sponsor: None,
        }
    }
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
    /// What it aspires to.
    pub orientation: String,
    /// Who can see it.
    pub visibility: String,
    /// Life stage.
    pub stage: String,
    /// Current members.
    pub members: i64,
    /// When it was proposed.
    pub created_at: DateTime<Utc>,
    /// When it was archived, if it was.
    pub archived_at: Option<DateTime<Utc>>,
    /// The viewer's role in it, if they are a member.
    pub viewer_role: Option<String>,
}

/// A community with its whole charter and where it stands in its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Community {
    /// Id.
    pub id: i64,
    /// Address.
    pub slug: String,
    /// The current charter.
    pub charter: Charter,
    /// Life stage.
    pub stage: Stage,
    /// Who proposed it.
    pub created_by: Option<i64>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When the charter or stage last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// Archived (read-only) since.
    pub archived_at: Option<DateTime<Utc>>,
    /// The community it was merged into.
    pub merged_into: Option<i64>,
    /// The community it was split from.
    pub split_from: Option<i64>,
    /// Current members.
    pub members: i64,
    /// Whether members may ask questions without showing their name.
    pub anonymous_questions: bool,
}

impl Community {
    /// Whether it can still change: not archived and not merged away.
    pub fn is_writable(&self) -> bool {
        self.archived_at.is_none() && self.merged_into.is_none()
    }
}

/// Filters for the directory.
#[derive(Debug, Clone, Default)]
pub struct CommunityFilter {
    /// Only this type.
    pub community_type: Option<CommunityType>,
    /// Only this orientation.
    pub orientation: Option<Orientation>,
    /// Only this stage.
    pub stage: Option<Stage>,
    /// Only communities the viewer belongs to.
    pub mine: bool,
    /// Continue after this (name, id).
    pub after: Option<(String, i64)>,
    /// At most this many.
    pub limit: i64,
}

pub(crate) const COMMUNITY_COLUMNS: &str = "c.id, c.slug, c.name, c.domain_question, c.in_scope, c.out_of_scope, \
     c.purpose, c.org_goal, c.community_type, c.orientation, c.visibility, c.sponsor, c.stage, \
     c.created_by, c.created_at, c.updated_at, c.archived_at, c.merged_into, c.split_from, \
     c.anonymous_questions, (SELECT COUNT(*) FROM memberships m WHERE m.community_id = c.id AND m.left_at IS NULL) AS members";

/// SQL true when person `$1` is a current member of community `c`.
const VIEWER_IS_MEMBER: &str = "EXISTS (SELECT 1 FROM memberships vm \
     WHERE vm.community_id = c.id AND vm.person_id = $1 AND vm.left_at IS NULL)";

fn parsed<T: std::str::FromStr>(row: &AnyRow, column: &str) -> Result<T, StoreError> {
    let text: String = row.try_get(column)?;
    text.parse().map_err(|_| {
        StoreError::Database(sqlx::Error::Decode(
            format!("unknown {column} {text:?} in the database").into(),
        ))
    })
}

pub(crate) fn charter_from_row(row: &AnyRow) -> Result<Charter, StoreError> {
    Ok(Charter {
        name: row.try_get("name")?,
        domain_question: row.try_get("domain_question")?,
        in_scope: row.try_get("in_scope")?,
        out_of_scope: row.try_get("out_of_scope")?,
        purpose: row.try_get("purpose")?,
        org_goal: row.try_get("org_goal")?,
        community_type: parsed(row, "community_type")?,
        orientation: parsed(row, "orientation")?,
        visibility: parsed(row, "visibility")?,
        sponsor: row.try_get("sponsor")?,
    })
}

pub(crate) fn community_from_row(row: &AnyRow) -> Result<Community, StoreError> {
    let opt_time = |col: &str| -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(row.try_get::<Option<i64>, _>(col)?.map(from_millis))
    };
    Ok(Community {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        charter: charter_from_row(row)?,
        stage: parsed(row, "stage")?,
        created_by: row.try_get("created_by")?,
        created_at: from_millis(row.try_get("created_at")?),
        updated_at: opt_time("updated_at")?,
        archived_at: opt_time("archived_at")?,
        merged_into: row.try_get("merged_into")?,
        split_from: row.try_get("split_from")?,
        members: row.try_get("members")?,
        anonymous_questions: row.try_get::<i64, _>("anonymous_questions")? != 0,
    })
}

fn summary_from_row(row: &AnyRow) -> Result<CommunitySummary, StoreError> {
    Ok(CommunitySummary {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        domain_question: row.try_get("domain_question")?,
        community_type: row.try_get("community_type")?,
        orientation: row.try_get("orientation")?,
        visibility: row.try_get("visibility")?,
        stage: row.try_get("stage")?,
        members: row.try_get("members")?,
        created_at: from_millis(row.try_get("created_at")?),
        archived_at: row
            .try_get::<Option<i64>, _>("archived_at")?
            .map(from_millis),
        viewer_role: row.try_get("viewer_role")?,
    })
}

/// Appends an entry to a community's history inside `tx`.
pub(crate) struct Entry<'a> {
    pub community: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<i64>,
    pub kind: HistoryKind,
    pub person: Option<i64>,
    pub other: Option<i64>,
    pub detail: &'a str,
}

pub(crate) async fn record(tx: &mut Tx, e: Entry<'_>) -> Result<(), StoreError> {
    let team: Option<String> = match e.actor {
        Some(actor) => sqlx::query(
            "SELECT t.name FROM people p JOIN teams t ON t.id = p.team_id WHERE p.id = $1",
        )
        .bind(actor)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| row.try_get("name"))
        .transpose()?,
        None => None,
    };
    sqlx::query(
        "INSERT INTO community_history (community_id, at, actor_id, kind, person_id, other_community_id, detail, team) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.community)
    .bind(millis(e.at))
    .bind(e.actor)
    .bind(e.kind.as_str())
    .bind(e.person)
    .bind(e.other)
    .bind(e.detail)
    .bind(team)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The community `id` as seen inside `tx`, refusing changes when it is
/// archived or merged away.
pub(crate) async fn writable(tx: &mut Tx, id: i64) -> Result<Community, StoreError> {
    // Take the community's row lock first (PostgreSQL; SQLite has one writer),
    // so changes to one community are serialised: two stewards leaving at
    // once cannot both count the other as the one who stays.
    sqlx::query("UPDATE communities SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let c = load(tx, id).await?;
    check_writable(&c)?;
    Ok(c)
}

/// The community `id` as seen inside `tx`.
pub(crate) async fn load(tx: &mut Tx, id: i64) -> Result<Community, StoreError> {
    let sql = format!("SELECT {COMMUNITY_COLUMNS} FROM communities c WHERE c.id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    community_from_row(&row)
}

/// Refuses changes to an archived or merged community.
pub(crate) fn check_writable(c: &Community) -> Result<(), StoreError> {
    if c.merged_into.is_some() {
        return Err(StoreError::Conflict {
            field: "community",
            message: "this community was merged into another and can no longer change".into(),
        });
    }
    if c.archived_at.is_some() {
        return Err(StoreError::Conflict {
            field: "community",
            message:
                "this community is archived: everything is kept and readable, nothing can change"
                    .into(),
        });
    }
    Ok(())
}

/// Inserts a community with its first charter revision, first steward and
/// history entry inside `tx`.
pub(crate) async fn insert_community(
    tx: &mut Tx,
    slug: &str,
    charter: &Charter,
    steward: i64,
    split_from: Option<i64>,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO communities (slug, name, domain_question, in_scope, out_of_scope, purpose, org_goal, \
         community_type, orientation, visibility, sponsor, stage, created_by, created_at, updated_at, split_from) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15) RETURNING id",
    )
    .bind(slug)
    .bind(&charter.name)
    .bind(&charter.domain_question)
    .bind(&charter.in_scope)
    .bind(&charter.out_of_scope)
    .bind(&charter.purpose)
    .bind(&charter.org_goal)
    .bind(charter.community_type.as_str())
    .bind(charter.orientation.as_str())
    .bind(charter.visibility.as_str())
    .bind(charter.sponsor.as_deref())
    .bind(Stage::Potential.as_str())
    .bind(steward)
    .bind(millis(at))
    .bind(split_from)
    .fetch_one(&mut **tx)
    .await
    .map_err(StoreError::unique(
        "slug",
        "a community with this address already exists",
    ))?;
    let id: i64 = row.try_get("id")?;
    charter::insert_revision(tx, id, 1, Some(steward), charter, "", at).await?;
    record(
        tx,
        Entry {
            community: id,
            at,
            actor: Some(steward),
            kind: HistoryKind::Created,
            person: None,
            other: None,
            detail: &charter.name,
        },
    )
    .await?;
    membership::add_member(tx, id, steward, MemberRole::Steward, at).await?;
    Ok(id)
}

impl Store {
    /// Creates a community in the potential stage with `steward` as its first steward.
    pub async fn create_community(
        &self,
        new: &NewCommunity,
        steward: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        self.propose_community(&new.slug, &new.charter(), steward, at)
            .await
    }

    /// Proposes a community at `slug` with a whole charter; `steward` is its
    /// first steward and member, and it starts in the potential stage.
    pub async fn propose_community(
        &self,
        slug: &str,
        charter: &Charter,
        steward: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = insert_community(&mut tx, slug, charter, steward, None, at).await?;
        tx.commit().await?;
        Ok(id)
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

    /// The community with `slug`, whoever may see it.
    pub async fn community_by_slug(&self, slug: &str) -> Result<Option<Community>, StoreError> {
        let sql = format!("SELECT {COMMUNITY_COLUMNS} FROM communities c WHERE c.slug = $1");
        let row = sqlx::query(&sql)
            .bind(slug)
            .fetch_optional(self.reader())
            .await?;
        row.as_ref().map(community_from_row).transpose()
    }

    /// The community with `id`.
    pub async fn community(&self, id: i64) -> Result<Community, StoreError> {
        let sql = format!("SELECT {COMMUNITY_COLUMNS} FROM communities c WHERE c.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        community_from_row(&row)
    }

    /// Whether `viewer` may see community `id`: it is open, or they are a current member.
    pub async fn can_see(&self, id: i64, viewer: Option<i64>) -> Result<bool, StoreError> {
        let sql = format!(
            "SELECT 1 AS yes FROM communities c WHERE (c.visibility = 'open' OR {VIEWER_IS_MEMBER}) AND c.id = $2"
        );
        Ok(sqlx::query(&sql)
            .bind(viewer.unwrap_or(-1))
            .bind(id)
            .fetch_optional(self.reader())
            .await?
            .is_some())
    }

    /// The communities `viewer` may see: every open one, and private ones they belong to.
    pub async fn visible_communities(
        &self,
        viewer: Option<i64>,
    ) -> Result<Vec<CommunitySummary>, StoreError> {
        self.directory_of_communities(
            viewer,
            &CommunityFilter {
                limit: 1000,
                ..CommunityFilter::default()
            },
        )
        .await
    }

    /// The directory: communities `viewer` may see (not those merged away),
    /// filtered, ordered by name, one page at a time.
    pub async fn directory_of_communities(
        &self,
        viewer: Option<i64>,
        filter: &CommunityFilter,
    ) -> Result<Vec<CommunitySummary>, StoreError> {
        let (after_name, after_id) = filter.after.clone().unwrap_or_default();
        let sql = format!(
            "SELECT c.id, c.slug, c.name, c.domain_question, c.community_type, c.orientation, c.visibility, \
               c.stage, c.created_at, c.archived_at, \
               (SELECT COUNT(*) FROM memberships m WHERE m.community_id = c.id AND m.left_at IS NULL) AS members, \
               (SELECT vm.role FROM memberships vm WHERE vm.community_id = c.id AND vm.person_id = $1 \
                  AND vm.left_at IS NULL) AS viewer_role \
             FROM communities c \
             WHERE c.merged_into IS NULL AND (c.visibility = 'open' OR {VIEWER_IS_MEMBER}) \
               AND ($2 = '' OR c.community_type = $2) AND ($3 = '' OR c.orientation = $3) \
               AND ($4 = '' OR c.stage = $4) AND ($5 = 0 OR {VIEWER_IS_MEMBER}) \
               AND ($6 = 0 OR c.name > $7 OR (c.name = $7 AND c.id > $8)) \
             ORDER BY c.name, c.id LIMIT $9"
        );
        let rows = sqlx::query(&sql)
            .bind(viewer.unwrap_or(-1))
            .bind(filter.community_type.map(|t| t.as_str()).unwrap_or(""))
            .bind(filter.orientation.map(|t| t.as_str()).unwrap_or(""))
            .bind(filter.stage.map(|t| t.as_str()).unwrap_or(""))
            .bind(i64::from(filter.mine))
            .bind(i64::from(filter.after.is_some()))
            .bind(after_name)
            .bind(after_id)
            .bind(filter.limit.clamp(1, 1000))
            .fetch_all(self.reader())
            .await?;
        rows.iter().map(summary_from_row).collect()
    }
}
