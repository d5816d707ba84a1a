#!/usr/bin/env python3
"""Cross-check Guildhall's recurrence expansion against python-dateutil.

Reads DIR/recurrence-cases.json, written by
`GUILDHALL_CROSSCHECK_DIR=DIR cargo test -p domain --test recurrence_crosscheck`,
expands every case again with dateutil's rrulestr (DTSTART in the case's
zone from zoneinfo, EXDATEs as UTC instants) and compares the UTC start
instants in the half-open range [from, to). Exits 1 naming each case that
differs, 2 when the input is missing or empty.

Usage: python3 scripts/crosscheck-recurrence.py DIR
"""

import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr


def utc(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def stamp(at):
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def expand(case):
    zone = ZoneInfo(case["zone"])
    start = datetime.strptime(case["start"], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=zone)
    rules = rruleset()
    rules.rrule(rrulestr(case["rrule"], dtstart=start))
    for exdate in case["exdates"]:
        rules.exdate(utc(exdate))
    begin, end = utc(case["from"]), utc(case["to"])
    found = []
    for at in rules.between(begin, end, inc=True):
        instant = at.astimezone(timezone.utc)
        if begin <= instant < end:
            found.append(stamp(instant))
    return found


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = Path(argv[1]) / "recurrence-cases.json"
    if not path.is_file():
        print(f"{path} not found: run the Rust test with GUILDHALL_CROSSCHECK_DIR first", file=sys.stderr)
        return 2
    cases = json.loads(path.read_text())["cases"]
    if not cases:
        print(f"{path} holds no cases", file=sys.stderr)
        return 2
    failed = 0
    for case in cases:
        ours = case["occurrences"]
        theirs = expand(case)
        if ours == theirs:
            continue
        failed += 1
        print(f"FAIL {case['name']}: {case['rrule']} from {case['start']} {case['zone']}")
        for label, extra in (("only Guildhall", sorted(set(ours) - set(theirs))),
                             ("only dateutil", sorted(set(theirs) - set(ours)))):
            if extra:
                print(f"  {label}: {', '.join(extra)}")
        if set(ours) == set(theirs):
            print("  same instants in a different order or repeated")
    total = sum(len(c["occurrences"]) for c in cases)
    print(f"{total} occurrences of {len(cases)} cases compared with python-dateutil")
    print(f"crosscheck: {len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
