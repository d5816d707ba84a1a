//! The health board: the activity log held in memory and the portfolio of
//! health reports computed from it, so health pages are served from a
//! precomputed report rather than a scan of the log on every request.
//!
//! A background task tails the log every [`TAIL_EVERY`] (new events show
//! within a minute) and reloads it whole every [`RELOAD_EVERY`], which picks
//! up history moved by merges. Each server process keeps its own board; all
//! read the same database, so they agree within a minute.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use health::event::{Kind, Response, ThreadType};
use health::log::{ActivityLog, Fields};
use health::report::{self, Portfolio};
use health::window::Window;
use store::Store;
use store::activity::{LogFilter, LoggedEvent};

use crate::AppState;

/// How often new events are read.
pub const TAIL_EVERY: Duration = Duration::from_secs(30);
/// How often the whole log is read again.
pub const RELOAD_EVERY: Duration = Duration::from_secs(15 * 60);
/// The window health pages use, in days.
pub const WINDOW_DAYS: u32 = 28;
/// Events read per query.
const PAGE: i64 = 50_000;

#[derive(Default)]
struct Board {
    log: ActivityLog,
    last_id: i64,
    portfolio: Option<Arc<Portfolio>>,
    computed_at: Option<DateTime<Utc>>,
}

/// The shared health board.
#[derive(Clone, Default)]
pub struct HealthBoard {
    board: Arc<RwLock<Board>>,
}

/// A portfolio and when it was computed.
#[derive(Clone)]
pub struct Snapshot {
    /// Every community's report and the organisation's.
    pub portfolio: Arc<Portfolio>,
    /// When.
    pub computed_at: DateTime<Utc>,
}

fn push(log: &mut ActivityLog, e: &LoggedEvent) {
    let Some(kind) = Kind::from_name(&e.kind) else {
        tracing::warn!(id = e.id, kind = %e.kind, "activity event of unknown kind left out of health");
        return;
    };
    let actor = e.actor.map(|a| a.to_string());
    let reply_to = e.reply_to.map(|a| a.to_string());
    log.push_fields(&Fields {
        at: health::instant::from_datetime(e.at),
        community: &e.community,
        actor: actor.as_deref(),
        kind,
        subject: e.subject.as_deref(),
        reply_to: reply_to.as_deref(),
        team: e.team.as_deref(),
        reply_to_team: e.reply_to_team.as_deref(),
        thread_type: e.thread_type.as_deref().and_then(ThreadType::from_name),
        response: e.response.as_deref().and_then(Response::from_name),
        value: e.value.and_then(|v| u8::try_from(v).ok()),
        review_days: e.review_days.and_then(|v| u32::try_from(v).ok()),
    });
}

impl HealthBoard {
    /// The latest snapshot, if one has been computed.
    pub fn snapshot(&self) -> Option<Snapshot> {
        let board = self.board.read().unwrap_or_else(|e| e.into_inner());
        Some(Snapshot {
            portfolio: board.portfolio.clone()?,
            computed_at: board.computed_at?,
        })
    }

    /// Reads events after those already held (or the whole log when `reload`),
    /// then recomputes the portfolio for a window ending at `now`.
    pub async fn refresh(
        &self,
        store: &Store,
        now: DateTime<Utc>,
        reload: bool,
    ) -> Result<(), store::StoreError> {
        let (mut log, mut last_id) = {
            let mut board = self.board.write().unwrap_or_else(|e| e.into_inner());
            if reload {
                (ActivityLog::new(), 0)
            } else {
                (std::mem::take(&mut board.log), board.last_id)
            }
        };
        let read = async {
            loop {
                let page = store
                    .activity_page(LogFilter::default(), last_id, PAGE)
                    .await?;
                let Some(last) = page.last() else { break };
                last_id = last.id;
                for e in &page {
                    push(&mut log, e);
                }
            }
            Ok::<_, store::StoreError>(())
        }
        .await;
        let portfolio = tokio::task::spawn_blocking(move || {
            log.sort();
            let portfolio = report::portfolio(&log, &Window::new(now, WINDOW_DAYS));
            (log, portfolio)
        })
        .await;
        let mut board = self.board.write().unwrap_or_else(|e| e.into_inner());
        match portfolio {
            Ok((log, portfolio)) => {
                board.log = log;
                board.last_id = last_id;
                board.portfolio = Some(Arc::new(portfolio));
                board.computed_at = Some(now);
            }
            Err(e) => tracing::error!(error = %e, "health computation failed"),
        }
        read
    }

    /// Keeps the board fresh for as long as the server runs.
    pub fn spawn_refresher(state: AppState) {
        tokio::spawn(async move {
            let mut since_reload = Duration::ZERO;
            let mut first = true;
            loop {
                let reload = first || since_reload >= RELOAD_EVERY;
                if let Err(e) = state
                    .health
                    .refresh(&state.store, state.clock.now(), reload)
                    .await
                {
                    tracing::error!(error = %e, "reading the activity log for health failed");
                }
                if reload {
                    since_reload = Duration::ZERO;
                }
                first = false;
                tokio::time::sleep(TAIL_EVERY).await;
                since_reload += TAIL_EVERY;
            }
        });
    }
}
