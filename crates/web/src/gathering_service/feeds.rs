//! Calendar feeds: making and naming feed tokens, and the iCalendar of one
//! community's or one person's gatherings, with their answers.

use super::*;

/// A new feed token: the secret (shown once) and its record.
pub async fn create_feed(
    state: &AppState,
    user: &CurrentUser,
    community: Option<&Community>,
) -> Result<(String, FeedToken), WebError> {
    let secret = secret::new_secret("ghf_");
    let prefix: String = secret.chars().take(10).collect();
    let id = state
        .store
        .create_feed_token(
            user.person.id,
            community.map(|c| c.id),
            &secret::digest(&secret),
            &prefix,
            state.clock.now(),
        )
        .await?;
    let token = state
        .store
        .feed_tokens(user.person.id)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(WebError::NotFound)?;
    Ok((secret, token))
}

/// The address of the feed of `secret`, relative to the site.
pub fn feed_path(secret: &str) -> String {
    format!("/feeds/calendar.ics?token={secret}")
}

async fn feed_series(
    state: &AppState,
    person: i64,
    records: Vec<SeriesRecord>,
) -> Result<Vec<FeedSeries>, WebError> {
    let answers = state.store.answers_of(person, None).await?;
    let mut names: BTreeMap<i64, String> = BTreeMap::new();
    let mut out = Vec::new();
    for record in records {
        let community = match names.get(&record.community_id) {
            Some(n) => n.clone(),
            None => {
                let n = state
                    .store
                    .community(record.community_id)
                    .await?
                    .charter
                    .name;
                names.insert(record.community_id, n.clone());
                n
            }
        };
        let mine = answers.iter().filter(|x| x.series_id == record.id);
        let mut answer = None;
        let mut single = BTreeMap::new();
        for x in mine {
            match x.recurrence_id {
                None => answer = Some(x.response),
                Some(rid) => {
                    single.insert(rid, x.response);
                }
            }
        }
        out.push(FeedSeries {
            record,
            community,
            answer,
            answers: single,
        });
    }
    Ok(out)
}

/// The calendar of one community as `user` sees it.
pub async fn community_calendar(
    state: &AppState,
    user: &CurrentUser,
    community: &Community,
) -> Result<String, WebError> {
    let records = state.store.community_series(community.id).await?;
    let series = feed_series(state, user.person.id, records).await?;
    let reader = Reader {
        email: user.person.email.clone(),
        name: user.person.display_name.clone(),
    };
    Ok(ical::calendar(
        &community.charter.name,
        &series,
        Some(&reader),
        state.clock.now(),
    ))
}

/// The calendar a feed token opens; 404 for an unknown or revoked token,
/// or a community its owner may no longer see.
pub async fn feed(state: &AppState, secret_text: &str) -> Result<String, WebError> {
    if secret_text.is_empty() || secret_text.len() > 200 {
        return Err(WebError::NotFound);
    }
    let token = state
        .store
        .feed_token(&secret::digest(secret_text))
        .await?
        .ok_or(WebError::NotFound)?;
    let person = state.store.person(token.person_id).await?;
    let reader = Reader {
        email: person.email.clone(),
        name: person.display_name.clone(),
    };
    let now = state.clock.now();
    match token.community_id {
        Some(c) => {
            let community = state.store.community(c).await?;
            if !may_see(state, &community, person.id).await? {
                return Err(WebError::NotFound);
            }
            let records = state.store.community_series(c).await?;
            let series = feed_series(state, person.id, records).await?;
            Ok(ical::calendar(
                &community.charter.name,
                &series,
                Some(&reader),
                now,
            ))
        }
        None => {
            let records = state.store.member_series(person.id).await?;
            let series = feed_series(state, person.id, records).await?;
            Ok(ical::calendar(
                &format!("Gatherings of {}", person.display_name),
                &series,
                Some(&reader),
                now,
            ))
        }
    }
}
