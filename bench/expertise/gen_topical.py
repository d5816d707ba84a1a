#!/usr/bin/env python3
"""Writes a synthetic Stack Exchange dump (Posts.xml, Users.xml,
Comments.xml, Tags.xml) of about POSTS posts into DIR for the suggested-
answerer benchmark: unlike bench/import/gen_stackexchange.py, whose
answerers are drawn at random, people here have specialities and activity
levels, so history says something about who answers what. The model, all
of it stated here:

- 16 tags with skewed popularity; each person specialises in one or two
  tags and has an activity weight (Pareto, alpha 1.2); a third of them
  change speciality halfway through the three years.
- A question has one or two tags (the title names its first tag one time
  in three) and one to three answers within three days; each answerer is,
  with probability 0.6, someone specialised in one of its tags, else anyone
  (both weighted by activity); never the asker. Half the questions get an
  accepted answer: a specialist's if one answered, else the first.

Deterministic (seeded).

    python3 bench/expertise/gen_topical.py 30000 /tmp/se-topical
"""
import os
import random
import sys
from datetime import datetime, timedelta
from xml.sax.saxutils import quoteattr

WORDS = ("deploy rollback cache index query latency queue retry timeout config "
         "secret certificate pipeline build test flaky memory leak thread pool "
         "schema migration backup restore alert dashboard").split()
TAGS = ["kubernetes", "terraform", "postgres", "kafka", "rust", "python", "react", "grafana",
        "vault", "helm", "redis", "nginx", "airflow", "spark", "dbt", "istio"]


def main():
    posts, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261124)
    questions = max(10, posts // 3)
    users = max(20, posts // 30)
    popularity = [1.0 / (i + 1) ** 0.7 for i in range(len(TAGS))]
    activity = [rng.paretovariate(1.2) for _ in range(users + 1)]
    start = datetime(2023, 1, 2)
    span = timedelta(days=3 * 365)
    halfway = start + span / 2

    def specialities():
        return set(rng.choices(TAGS, weights=popularity, k=rng.choice([1, 2])))

    early = {u: specialities() for u in range(1, users + 1)}
    late = {u: (specialities() if rng.random() < 1 / 3 else early[u]) for u in early}

    def specialists(tags, at):
        table = early if at < halfway else late
        return [u for u in table if table[u] & tags]

    def pick(pool, exclude):
        pool = [u for u in pool if u not in exclude]
        if not pool:
            return None
        return rng.choices(pool, weights=[activity[u] for u in pool])[0]

    everyone = list(range(1, users + 1))
    events = []  # (time, kind, payload)
    for q in range(questions):
        at = start + span * (q / questions) + timedelta(seconds=rng.randint(0, 3600))
        tags = rng.choices(TAGS, weights=popularity, k=rng.choice([1, 2]))
        tags = list(dict.fromkeys(tags))
        asker = pick(everyone, set())
        title_words = [rng.choice(WORDS) for _ in range(6)]
        if rng.random() < 1 / 3:
            title_words.insert(rng.randint(0, 6), tags[0])
        qkey = ("q", q)
        events.append((at, qkey, {"asker": asker, "tags": tags, "title": " ".join(title_words)}))
        answered = set()
        answers = []
        for n in range(rng.choice([1, 1, 2, 3])):
            a_at = at + timedelta(minutes=rng.randint(5, 3 * 24 * 60))
            specialist = rng.random() < 0.6
            pool = specialists(set(tags), a_at) if specialist else everyone
            who = pick(pool, answered | {asker}) or pick(everyone, answered | {asker})
            if who is None:
                continue
            answered.add(who)
            answers.append((("a", q, n), specialist))
            events.append((a_at, ("a", q, n), {"owner": who, "parent": qkey}))
        if answers and rng.random() < 0.5:
            chosen = next((key for key, s in answers if s), answers[0][0])
            events[-len(answers) - 1][2]["accepted"] = chosen
    events.sort(key=lambda e: (e[0], str(e[1])))
    ids = {key: i + 1 for i, (_, key, _) in enumerate(events)}
    with open(os.path.join(out, "Users.xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<users>\n')
        f.write('  <row Id="-1" DisplayName="Community" CreationDate="2023-01-01T00:00:00.000" />\n')
        for u in everyone:
            f.write(f'  <row Id="{u}" DisplayName="Member {u}" CreationDate="2023-01-01T00:00:00.000" />\n')
        f.write("</users>\n")
    with open(os.path.join(out, "Tags.xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<tags>\n')
        for i, t in enumerate(TAGS):
            f.write(f'  <row Id="{i + 1}" TagName="{t}" Count="0" />\n')
        f.write("</tags>\n")
    with open(os.path.join(out, "Comments.xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<comments>\n</comments>\n')
    with open(os.path.join(out, "Posts.xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
        for at, key, p in events:
            when = at.strftime("%Y-%m-%dT%H:%M:%S.000")
            body = quoteattr("<p>" + " ".join(rng.choice(WORDS) for _ in range(30)) + "</p>")
            if key[0] == "q":
                accepted = f' AcceptedAnswerId="{ids[p["accepted"]]}"' if "accepted" in p else ""
                tags = "".join(f"&lt;{t}&gt;" for t in p["tags"])
                f.write(f'  <row Id="{ids[key]}" PostTypeId="1"{accepted} CreationDate="{when}" Body={body} '
                        f'OwnerUserId="{p["asker"]}" Title={quoteattr(p["title"])} Tags="{tags}" />\n')
            else:
                f.write(f'  <row Id="{ids[key]}" PostTypeId="2" ParentId="{ids[p["parent"]]}" CreationDate="{when}" '
                        f'Body={body} OwnerUserId="{p["owner"]}" />\n')
        f.write("</posts>\n")


if __name__ == "__main__":
    main()
