#!/usr/bin/env python3
"""Check Guildhall's iCalendar feeds with an independent parser.

Reads every DIR/NAME.ics with its DIR/NAME.json, written by
`GUILDHALL_ICAL_DIR=DIR cargo test -p web --test it gatherings`, parses the
feed with the Python `icalendar` package and checks that it is a VCALENDAR
(VERSION 2.0, PRODID) whose every TZID names a VTIMEZONE in it and an IANA
zone; that each VEVENT has UID, DTSTAMP and DTSTART; then expands it
independently -- each master's RRULE with python-dateutil from its DTSTART in
its zone, minus its EXDATEs, with every RECURRENCE-ID override moving its
occurrence -- and compares the UTC start instants in [from, to) with the
ones the Rust test expects. Exits 1 naming each feed that fails, 2 when the
input is missing.

Usage: python3 scripts/check-ical.py DIR
"""

import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar


def utc(at):
    return at.astimezone(timezone.utc)


def stamp(at):
    return utc(at).strftime("%Y-%m-%dT%H:%M:%SZ")


def aware(value, tzid):
    """A DTSTART/EXDATE/RECURRENCE-ID value as an aware datetime in its IANA zone."""
    if value.tzinfo is None:
        raise ValueError(f"floating time {value} (no TZID, no UTC)")
    if tzid:
        return value.replace(tzinfo=ZoneInfo(tzid))
    return value


def check(ics_path, case):
    problems = []
    cal = Calendar.from_ical(ics_path.read_bytes())
    if cal.name != "VCALENDAR" or str(cal.get("VERSION")) != "2.0" or not cal.get("PRODID"):
        problems.append("not a VCALENDAR 2.0 with a PRODID")
    zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    for tz in cal.walk("VTIMEZONE"):
        ZoneInfo(str(tz["TZID"]))
        if not tz.walk("STANDARD") and not tz.walk("DAYLIGHT"):
            problems.append(f"VTIMEZONE {tz['TZID']} has no STANDARD or DAYLIGHT")
    masters, overrides = {}, {}
    for ev in cal.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART"):
            if prop not in ev:
                problems.append(f"a VEVENT lacks {prop}")
        for prop in ("DTSTART", "RECURRENCE-ID"):
            if prop in ev:
                tzid = ev[prop].params.get("TZID")
                if tzid and tzid not in zones:
                    problems.append(f"{prop} names TZID {tzid} with no VTIMEZONE")
        uid = str(ev["UID"])
        if "RECURRENCE-ID" in ev:
            rid = ev["RECURRENCE-ID"]
            key = stamp(aware(rid.dt, rid.params.get("TZID")))
            start = ev["DTSTART"]
            overrides[(uid, key)] = aware(start.dt, start.params.get("TZID"))
        else:
            masters[uid] = ev
    begin = datetime.fromisoformat(case["from"])
    end = datetime.fromisoformat(case["to"])
    found = []
    for uid, ev in masters.items():
        start_prop = ev["DTSTART"]
        tzid = start_prop.params.get("TZID")
        start = aware(start_prop.dt, tzid)
        rules = rruleset()
        if "RRULE" in ev:
            rules.rrule(rrulestr(ev["RRULE"].to_ical().decode(), dtstart=start))
        else:
            rules.rdate(start)
        exdates = ev.get("EXDATE", [])
        if not isinstance(exdates, list):
            exdates = [exdates]
        for ex in exdates:
            for d in ex.dts:
                rules.exdate(aware(d.dt, ex.params.get("TZID")))
        # Wide enough that an override moved into the range is seen.
        for at in rules.between(datetime(1970, 1, 1, tzinfo=timezone.utc), end.replace(year=end.year + 1), inc=True):
            instant = overrides.get((uid, stamp(at)), at)
            if begin <= utc(instant) < end:
                found.append(stamp(instant))
    found.sort()
    if found != sorted(case["starts"]):
        problems.append(f"expands to {found}, expected {sorted(case['starts'])}")
    return problems


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    feeds = sorted(Path(argv[1]).glob("*.ics"))
    if not feeds:
        print(f"no feeds in {argv[1]}: run the Rust test with GUILDHALL_ICAL_DIR first", file=sys.stderr)
        return 2
    failed = 0
    for ics in feeds:
        case = json.loads(ics.with_suffix(".json").read_text())
        try:
            problems = check(ics, case)
        except Exception as e:  # a parse error is a failure of the feed
            problems = [f"{type(e).__name__}: {e}"]
        if problems:
            failed += 1
            for p in problems:
                print(f"{ics.name}: {p}")
        else:
            print(f"{ics.name}: ok ({len(case['starts'])} occurrences)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
