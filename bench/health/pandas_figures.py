"""The health figures of METRICS.md with pandas, end to end from the JSONL.

Usage: python3 pandas_figures.py LOG.jsonl END [DAYS]

The same figures and weekly series as duckdb_figures.py, for every community
and for the organisation, written as an analyst would with pandas: read the
log (pyarrow engine), then vectorised group-bys per scope.
"""
import sys
import time

import numpy as np
import pandas as pd

CONTRIBUTION = ["thread_opened", "replied", "answer_accepted", "artifact_created",
                "artifact_revised", "artifact_reviewed", "attended",
                "experiment_started", "experiment_concluded"]
ORG = "(organisation)"


def read(path):
    try:
        df = pd.read_json(path, lines=True, engine="pyarrow")
    except (ValueError, ImportError):
        df = pd.read_json(path, lines=True)
    for column in ["actor", "subject", "reply_to", "team", "reply_to_team", "thread_type",
                   "response", "value", "review_days"]:
        if column not in df:
            df[column] = None
    df["at"] = pd.to_datetime(df["at"], utc=True, format="ISO8601")
    return df


def main(path, end, days=28):
    started = time.perf_counter()
    end = pd.Timestamp(end)
    start = end - pd.Timedelta(days=days)
    prev_start = end - pd.Timedelta(days=2 * days)
    ev = read(path)
    ev = ev[ev["at"] < end]
    ev["skey"] = ev["community"] + "/" + ev["subject"].fillna("")
    ev["contrib"] = ev["kind"].isin(CONTRIBUTION)
    ev["in_win"] = ev["at"] >= start
    sc = pd.concat([ev.assign(scope=ev["community"]), ev.assign(scope=ORG)], ignore_index=True)
    win = sc[sc["in_win"]]

    g = win.groupby("scope")
    contrib = win[win["contrib"]]
    attributed = contrib[contrib["actor"].notna()]
    out = pd.DataFrame({
        "contributions": contrib.groupby("scope").size(),
        "active_members": attributed.groupby("scope")["actor"].nunique(),
        "threads": win[win["kind"] == "thread_opened"].groupby("scope").size(),
        "replies": win[win["kind"] == "replied"].groupby("scope").size(),
        "gatherings_held": win[win["kind"] == "gathering_held"].groupby("scope").size(),
        "artifacts_created": win[win["kind"] == "artifact_created"].groupby("scope").size(),
        "artifacts_reused": win[win["kind"] == "artifact_reused"].groupby("scope").size(),
        "teams_active": attributed.groupby("scope")["team"].nunique(),
    }, index=g.size().index).fillna(0)

    # Attendance of the window's gatherings.
    held = win[win["kind"] == "gathering_held"][["scope", "skey"]].drop_duplicates()
    attended = win[win["kind"] == "attended"].merge(held, on=["scope", "skey"])
    out["mean_attendance"] = attended.groupby("scope").size() / out["gatherings_held"].replace(0, np.nan)

    # Reuse ratio.
    reused = win[win["kind"] == "artifact_reused"].groupby("scope")["skey"].nunique()
    ever = sc[sc["kind"] == "artifact_created"].groupby("scope")["skey"].nunique()
    out["reuse_ratio"] = reused / ever

    # Inequality over per-member counts.
    per_actor = attributed.groupby(["scope", "actor"]).size().rename("n").reset_index()

    def inequality(group):
        x = np.sort(group["n"].to_numpy())
        n, total = len(x), x.sum()
        gini = 0.0 if n < 2 else 2.0 * np.sum(np.arange(1, n + 1) * x) / (n * total) - (n + 1) / n
        desc = x[::-1]
        top = desc[: int(np.ceil(0.1 * n))].sum() / total
        bus = int(np.argmax(2 * np.cumsum(desc) >= total)) + 1
        return pd.Series({"gini": gini, "top10_share": top, "bus_factor": bus})

    out = out.join(per_actor.groupby("scope")[["n"]].apply(inequality))

    # Team evenness and cross-team replies.
    teams = attributed[attributed["team"].notna()].groupby(["scope", "team"]).size().rename("n").reset_index()
    teams["p"] = teams["n"] / teams.groupby("scope")["n"].transform("sum")
    entropy = (-teams["p"] * np.log(teams["p"])).groupby(teams["scope"]).sum()
    k = teams.groupby("scope").size()
    out["team_evenness"] = (entropy / np.log(k)).where(k >= 2, 0.0)
    replies = win[(win["kind"] == "replied") & win["team"].notna() & win["reply_to_team"].notna()]
    out["cross_team_reply_share"] = (replies["team"] != replies["reply_to_team"]).groupby(replies["scope"]).mean()

    # Newcomers and retention.
    firsts = sc[sc["contrib"] & sc["actor"].notna()].groupby(["scope", "actor"])["at"].min().rename("first_at").reset_index()
    out["newcomers"] = firsts[firsts["first_at"] >= start].groupby("scope").size()
    previous = firsts[(firsts["first_at"] >= prev_start) & (firsts["first_at"] < start)]
    previous = previous.merge(per_actor, on=["scope", "actor"], how="left")
    out["newcomer_retention"] = previous["n"].notna().groupby(previous["scope"]).mean()

    # Questions, first responses, acceptance.
    questions = win[(win["kind"] == "thread_opened") & (win["thread_type"] == "question")][["scope", "skey", "actor", "at"]]
    questions = questions.rename(columns={"actor": "opener", "at": "opened"})
    replies_all = sc[(sc["kind"] == "replied") & sc["actor"].notna()][["scope", "skey", "actor", "at"]]
    joined = questions.merge(replies_all, on=["scope", "skey"], how="left")
    joined = joined[(joined["actor"] != joined["opener"]) & (joined["at"] >= joined["opened"])]
    first = joined.groupby(["scope", "skey", "opened"])["at"].min().rename("first_response").reset_index()
    questions = questions.merge(first, on=["scope", "skey", "opened"], how="left")
    accepted = sc[sc["kind"] == "answer_accepted"][["scope", "skey"]].drop_duplicates().assign(accepted=True)
    questions = questions.merge(accepted, on=["scope", "skey"], how="left")
    wait = (questions["first_response"] - questions["opened"]).dt.total_seconds()
    questions["answered"] = wait <= 7 * 86400
    questions["wait"] = wait
    qg = questions.groupby("scope")
    out["questions"] = qg.size()
    out["answered_share"] = qg["answered"].mean()
    out["solved_share"] = questions["accepted"].fillna(False).astype(bool).groupby(questions["scope"]).mean()
    out["median_first_response"] = qg["wait"].median()
    out["unanswered"] = questions["first_response"].isna().groupby(questions["scope"]).sum()

    # Pulse, from five answers up.
    pulses = win[win["kind"] == "pulse_answered"].groupby("scope")["value"].agg(["mean", "size"])
    out["pulse_mean"] = pulses["mean"].where(pulses["size"] >= 5)

    # Weekly series.
    sc["week_start"] = sc["at"].dt.tz_localize(None).dt.to_period("W-SUN").dt.start_time
    firsts["week_start"] = firsts["first_at"].dt.tz_localize(None).dt.to_period("W-SUN").dt.start_time
    cs = sc[sc["contrib"]]
    series = pd.DataFrame({
        "contributions": cs.groupby(["scope", "week_start"]).size(),
        "active_members": cs[cs["actor"].notna()].groupby(["scope", "week_start"])["actor"].nunique(),
        "threads": sc[sc["kind"] == "thread_opened"].groupby(["scope", "week_start"]).size(),
        "replies": sc[sc["kind"] == "replied"].groupby(["scope", "week_start"]).size(),
        "newcomers": firsts.groupby(["scope", "week_start"]).size(),
    }).fillna(0)

    elapsed = time.perf_counter() - started
    org = out.loc[ORG]
    print(f"pandas: {len(out)} scopes, {len(series)} series rows, organisation "
          f"contributions={int(org['contributions'])} active={int(org['active_members'])}, {elapsed:.2f} s")
    return elapsed


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 28)
