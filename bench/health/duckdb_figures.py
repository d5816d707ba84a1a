"""The health figures of METRICS.md by DuckDB SQL, end to end from the JSONL.

Usage: python3 duckdb_figures.py LOG.jsonl END [DAYS [FIGURES.json]]

Computes, for every community and for the organisation (subjects told apart
by (community, subject)), the window figures listed in docs/benchmarks.md and
the weekly series, and prints a one-line summary with the elapsed time.
"""
import sys
import time

import duckdb

CONTRIBUTION = ("'thread_opened','replied','answer_accepted','artifact_created',"
                "'artifact_revised','artifact_reviewed','attended',"
                "'experiment_started','experiment_concluded'")


def main(path, end, days=28, dump=None):
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"""
    CREATE TABLE ev AS
    SELECT * FROM read_json('{path}', format='newline_delimited',
      columns={{'at':'TIMESTAMPTZ', 'community':'VARCHAR', 'actor':'VARCHAR', 'kind':'VARCHAR',
               'subject':'VARCHAR', 'reply_to':'VARCHAR', 'team':'VARCHAR', 'reply_to_team':'VARCHAR',
               'thread_type':'VARCHAR', 'response':'VARCHAR', 'value':'INTEGER', 'review_days':'INTEGER'}})
    WHERE "at" < TIMESTAMPTZ '{end}'
    """)
    params = f"""
      SET VARIABLE win_end = TIMESTAMPTZ '{end}';
      SET VARIABLE win_start = TIMESTAMPTZ '{end}' - INTERVAL {days} DAY;
      SET VARIABLE prev_start = TIMESTAMPTZ '{end}' - INTERVAL {2 * days} DAY;
    """
    con.execute(params)
    # Every event once per community scope and once for the organisation.
    con.execute(f"""
    CREATE TABLE sc AS
    SELECT community AS scope, community || '/' || coalesce(subject, '') AS skey, *,
           kind IN ({CONTRIBUTION}) AS contrib,
           "at" >= getvariable('win_start') AS in_win
    FROM ev
    UNION ALL
    SELECT '(organisation)', community || '/' || coalesce(subject, ''), *,
           kind IN ({CONTRIBUTION}), "at" >= getvariable('win_start')
    FROM ev
    """)
    cursor = con.execute("""
    WITH
    counts AS (
      SELECT scope,
        count(*) FILTER (contrib AND in_win) AS contributions,
        count(DISTINCT actor) FILTER (contrib AND in_win AND actor IS NOT NULL) AS active_members,
        count(*) FILTER (kind = 'thread_opened' AND in_win) AS threads,
        count(*) FILTER (kind = 'replied' AND in_win) AS replies,
        count(*) FILTER (kind = 'gathering_held' AND in_win) AS gatherings_held,
        count(*) FILTER (kind = 'artifact_created' AND in_win) AS artifacts_created,
        count(*) FILTER (kind = 'artifact_reused' AND in_win) AS artifacts_reused,
        count(DISTINCT skey) FILTER (kind = 'artifact_reused' AND in_win) AS reused_subjects,
        count(DISTINCT skey) FILTER (kind = 'artifact_created') AS artifacts_ever,
        count(DISTINCT team) FILTER (contrib AND in_win AND actor IS NOT NULL) AS teams_active,
        avg(CASE WHEN team <> reply_to_team THEN 1.0 ELSE 0.0 END)
          FILTER (kind = 'replied' AND in_win AND team IS NOT NULL AND reply_to_team IS NOT NULL)
          AS cross_team_reply_share,
        CASE WHEN count(*) FILTER (kind = 'pulse_answered' AND in_win) >= 5
             THEN avg(value) FILTER (kind = 'pulse_answered' AND in_win) END AS pulse_mean
      FROM sc GROUP BY scope),
    held AS (SELECT DISTINCT scope, skey FROM sc WHERE kind = 'gathering_held' AND in_win),
    attendance AS (
      SELECT a.scope, count(*) AS attended
      FROM sc a JOIN held h USING (scope, skey)
      WHERE a.kind = 'attended' AND a.in_win GROUP BY a.scope),
    per_actor AS (
      SELECT scope, actor, count(*) AS n FROM sc
      WHERE contrib AND in_win AND actor IS NOT NULL GROUP BY scope, actor),
    ranked AS (
      SELECT scope, n,
        row_number() OVER (PARTITION BY scope ORDER BY n) AS asc_rank,
        row_number() OVER (PARTITION BY scope ORDER BY n DESC) AS desc_rank,
        sum(n) OVER (PARTITION BY scope ORDER BY n DESC ROWS UNBOUNDED PRECEDING) AS running,
        count(*) OVER (PARTITION BY scope) AS members,
        sum(n) OVER (PARTITION BY scope) AS total
      FROM per_actor),
    inequality AS (
      SELECT scope,
        CASE WHEN any_value(members) < 2 THEN 0.0
             ELSE 2.0 * sum(asc_rank * n) / (any_value(members) * any_value(total))
                  - (any_value(members) + 1.0) / any_value(members) END AS gini,
        sum(n) FILTER (desc_rank <= ceil(0.1 * members)) / any_value(total) AS top10_share,
        min(desc_rank) FILTER (2 * running >= total) AS bus_factor
      FROM ranked GROUP BY scope),
    team_counts AS (
      SELECT scope, team, count(*) AS n FROM sc
      WHERE contrib AND in_win AND actor IS NOT NULL AND team IS NOT NULL GROUP BY scope, team),
    evenness AS (
      SELECT scope, CASE WHEN count(*) < 2 THEN 0.0
        ELSE -sum(n / t * ln(n / t)) / ln(count(*)) END AS team_evenness
      FROM (SELECT *, sum(n) OVER (PARTITION BY scope) AS t FROM team_counts) GROUP BY scope),
    firsts AS (
      SELECT scope, actor, min("at") AS first_at FROM sc
      WHERE contrib AND actor IS NOT NULL GROUP BY scope, actor),
    newcomers AS (
      SELECT f.scope,
        count(*) FILTER (f.first_at >= getvariable('win_start')) AS newcomers,
        count(*) FILTER (f.first_at >= getvariable('prev_start') AND f.first_at < getvariable('win_start')) AS prev_newcomers,
        count(p.actor) FILTER (f.first_at >= getvariable('prev_start') AND f.first_at < getvariable('win_start')) AS retained
      FROM firsts f LEFT JOIN per_actor p USING (scope, actor) GROUP BY f.scope),
    questions AS (
      SELECT scope, skey, actor AS opener, "at" AS opened FROM sc
      WHERE kind = 'thread_opened' AND thread_type = 'question' AND in_win),
    responses AS (
      SELECT q.scope, q.skey, q.opened,
        min(r."at") FILTER (r.kind = 'replied') AS first_response,
        bool_or(r.kind = 'answer_accepted') AS accepted
      FROM questions q LEFT JOIN sc r
        ON r.scope = q.scope AND r.skey = q.skey
       AND ((r.kind = 'replied' AND r.actor IS NOT NULL AND r.actor IS DISTINCT FROM q.opener AND r."at" >= q.opened)
            OR r.kind = 'answer_accepted')
      GROUP BY q.scope, q.skey, q.opened, q.opener),
    value AS (
      SELECT scope, count(*) AS questions,
        avg(CASE WHEN first_response - opened <= INTERVAL 7 DAY THEN 1.0 ELSE 0.0 END) AS answered_share,
        avg(CASE WHEN accepted THEN 1.0 ELSE 0.0 END) AS solved_share,
        median(epoch(first_response) - epoch(opened)) AS median_first_response,
        count(*) FILTER (first_response IS NULL) AS unanswered
      FROM responses GROUP BY scope)
    SELECT c.*, i.gini, i.top10_share, i.bus_factor, e.team_evenness,
      a.attended / nullif(c.gatherings_held, 0) AS mean_attendance,
      c.reused_subjects / nullif(c.artifacts_ever, 0) AS reuse_ratio,
      n.newcomers, n.retained / nullif(n.prev_newcomers, 0) AS newcomer_retention,
      v.questions, v.answered_share, v.solved_share, v.median_first_response, v.unanswered
    FROM counts c
    LEFT JOIN inequality i USING (scope) LEFT JOIN evenness e USING (scope)
    LEFT JOIN attendance a USING (scope) LEFT JOIN newcomers n USING (scope)
    LEFT JOIN value v USING (scope)
    ORDER BY scope
    """)
    figures = cursor.fetchall()
    names = [d[0] for d in cursor.description]
    series = con.execute("""
    WITH firsts AS (
      SELECT scope, actor, min("at") AS first_at FROM sc
      WHERE contrib AND actor IS NOT NULL GROUP BY scope, actor)
    SELECT w.scope, CAST(w.week_start AS VARCHAR), w.active_members, w.contributions, w.threads, w.replies,
           coalesce(nc.newcomers, 0) AS newcomers
    FROM (SELECT scope, date_trunc('week', "at") AS week_start,
            count(DISTINCT actor) FILTER (contrib AND actor IS NOT NULL) AS active_members,
            count(*) FILTER (contrib) AS contributions,
            count(*) FILTER (kind = 'thread_opened') AS threads,
            count(*) FILTER (kind = 'replied') AS replies
          FROM sc GROUP BY ALL) w
    LEFT JOIN (SELECT scope, date_trunc('week', first_at) AS week_start, count(*) AS newcomers
               FROM firsts GROUP BY ALL) nc USING (scope, week_start)
    ORDER BY 1, 2
    """).fetchall()
    elapsed = time.perf_counter() - started
    if dump:
        import json
        with open(dump, "w") as out:
            json.dump({row[0]: dict(zip(names, row)) for row in figures}, out, default=float)
    org = [row for row in figures if row[0] == "(organisation)"][0]
    print(f"duckdb: {len(figures)} scopes, {len(series)} series rows, "
          f"organisation contributions={org[1]} active={org[2]}, {elapsed:.2f} s")
    return elapsed


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 28,
         sys.argv[4] if len(sys.argv) > 4 else None)
