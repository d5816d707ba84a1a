#!/usr/bin/env python3
"""Writes a synthetic Stack Exchange dump (Posts.xml, Users.xml, Comments.xml,
Tags.xml) of POSTS posts into DIR, streaming, for the import benchmark.
A third of the posts are questions (half of them with an accepted answer),
the rest answers; one comment per three posts. Deterministic (seeded).

    python3 bench/import/gen_stackexchange.py 1000000 /tmp/se-1m
"""
import os
import random
import sys
from datetime import datetime, timedelta
from xml.sax.saxutils import quoteattr

WORDS = ("borrow lifetime trait async tokio channel iterator closure macro "
         "generic slice vector string error result option future pin box "
         "arc mutex thread pool index query schema migration cache").split()
TAGS = ["rust", "async", "traits", "lifetimes", "sqlx", "tokio", "macros", "errors"]


def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def main():
    posts, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(2026)
    users = max(10, posts // 20)
    start = datetime(2015, 1, 1)
    with open(os.path.join(out, "Users.xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<users>\n')
        f.write('  <row Id="-1" DisplayName="Community" CreationDate="2015-01-01T00:00:00.000" />\n')
        for u in range(1, users + 1):
            f.write(f'  <row Id="{u}" DisplayName="User {u}" CreationDate="2015-01-01T00:00:00.000" />\n')
        f.write("</users>\n")
    with open(os.path.join(out, "Tags.xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<tags>\n')
        for i, t in enumerate(TAGS):
            f.write(f'  <row Id="{i + 1}" TagName="{t}" Count="0" />\n')
        f.write("</tags>\n")
    step = timedelta(seconds=max(1, int(10 * 365 * 86400 / posts)))
    questions = []
    with open(os.path.join(out, "Posts.xml"), "w") as pf, open(os.path.join(out, "Comments.xml"), "w") as cf:
        pf.write('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
        cf.write('<?xml version="1.0" encoding="utf-8"?>\n<comments>\n')
        comment = 0
        for i in range(1, posts + 1):
            at = (start + step * i).strftime("%Y-%m-%dT%H:%M:%S.000")
            owner = rng.randint(1, users)
            body = quoteattr(f"<p>{text(rng, 40)}</p>\n<pre><code>let x = {i};\n</code></pre>\n<p>{text(rng, 20)}</p>")
            if i % 3 == 1 or not questions:
                accepted = f' AcceptedAnswerId="{i + 1}"' if i % 2 == 1 and i + 1 <= posts and (i + 1) % 3 != 1 else ""
                tags = "".join(f"&lt;{t}&gt;" for t in rng.sample(TAGS, 2))
                title = quoteattr(text(rng, 8))
                pf.write(f'  <row Id="{i}" PostTypeId="1"{accepted} CreationDate="{at}" Body={body} '
                         f'OwnerUserId="{owner}" Title={title} Tags="{tags}" />\n')
                questions.append(i)
                if len(questions) > 1000:
                    questions.pop(0)
            else:
                # The first answer after a question answers it (and may be accepted).
                parent = questions[-1] if i % 3 == 2 or rng.random() < 0.7 else rng.choice(questions)
                pf.write(f'  <row Id="{i}" PostTypeId="2" ParentId="{parent}" CreationDate="{at}" Body={body} '
                         f'OwnerUserId="{owner}" />\n')
            if i % 3 == 0:
                comment += 1
                cf.write(f'  <row Id="{comment}" PostId="{i}" Text={quoteattr(text(rng, 12))} '
                         f'CreationDate="{at}" UserId="{rng.randint(1, users)}" />\n')
        pf.write("</posts>\n")
        cf.write("</comments>\n")


if __name__ == "__main__":
    main()
