//! The people directory as both the pages and the API use it: a search by
//! name, team and skill, one page at a time.

use store::people::{DirectoryQuery, PersonProfile};

use crate::AppState;
use crate::cursor;
use crate::error::WebError;

/// Default page size.
pub const PAGE: i64 = 50;

/// One page of the directory and the cursor of the next, if there is more.
pub async fn search(
    state: &AppState,
    name: Option<&str>,
    team: Option<&str>,
    skill: Option<&str>,
    limit: Option<i64>,
    after: Option<&str>,
) -> Result<(Vec<PersonProfile>, Option<String>), WebError> {
    let limit = limit.unwrap_or(PAGE);
    if !(1..=200).contains(&limit) {
        return Err(domain::Invalid::new("limit", "must be between 1 and 200").into());
    }
    let clean = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let query = DirectoryQuery {
        name: clean(name),
        team: clean(team),
        skill: clean(skill).map(|s| s.to_lowercase()),
        after: after
            .filter(|c| !c.is_empty())
            .map(cursor::decode)
            .transpose()?,
        limit: limit + 1,
    };
    let mut people = state.store.directory(&query).await?;
    let next = if people.len() as i64 > limit {
        people.truncate(limit as usize);
        people
            .last()
            .map(|p| cursor::encode(&(p.person.display_name.clone(), p.person.id)))
    } else {
        None
    };
    Ok((people, next))
}
