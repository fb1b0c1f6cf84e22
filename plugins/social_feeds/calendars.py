"""Writes a calendar (iCalendar, RFC 5545) of the items of a calendar
section (Section.calendar: events), for calendar apps to subscribe to.

Everything in it comes from the content, never the clock, so two builds of
the same content give the same bytes:

- UID: the section and the file name at the site's production host; it
  never changes while the file keeps its name (renaming the file makes a
  new event in subscribers' calendars, as it makes a new page).
- DTSTAMP and LAST-MODIFIED: Modified, else Date (when it was announced).
- DESCRIPTION: the summary, the page and where to sign up (with the
  deadline), but not whether sign-up is still open: that depends on the day.
- SEQUENCE: the minutes from Date to Modified. Staff set Modified when they
  change an event's time, place or status (a status needs it), so the
  number rises with every such change and calendar apps take the update.
"""

from __future__ import annotations

import functools
from calendar import monthrange
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar

from content_model.timing import at, day_words

from .writers import FeedInfo

PRODUCT = "-//Interactive Denmark//Website//EN"
REFRESH = timedelta(hours=12)  # how often subscribers should look again
REFRESH_TEXT = "PT12H"
STATUS = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}


def sequence(item) -> int:
    modified = getattr(item, "modified", None)
    if not modified:
        return 0
    return max(0, int((modified - item.date).total_seconds() // 60))


def where(metadata: dict) -> str:
    """The place, as one line: venue, address and city, or the online
    address (both for an event in a room and online)."""
    parts = [metadata.get(key) for key in ("venue", "address", "city")]
    place = ", ".join(p for p in parts if p)
    online = metadata.get("online")
    return " · ".join(p for p in (place, online) if p)


def ics(info: FeedInfo, events, site, t, zone: ZoneInfo) -> bytes:
    """The calendar ``info`` describes, of ``events`` (content objects with
    ``when``, see content_model.timing)."""
    host = urlsplit(site.absolute()).hostname
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", info.title)
    calendar.add("x-wr-calname", info.title)
    calendar.add("description", info.about)
    calendar.add("x-wr-timezone", str(zone))
    calendar.add("url", info.page_url)
    calendar.add("source", info.self_url)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH_TEXT)
    for item in events:
        calendar.add_component(event(item, site, t, zone, host))
    timed = [item.when for item in events if not item.when.all_day]
    if timed:  # the zone's rules for the years the events are in
        first = min(w.start.year for w in timed)
        last = max(w.end.year for w in timed)
        found = vtimezone(zone, first, last)
        if found is None:  # rules that changed within those years: each change
            calendar.add_missing_timezones(date(first, 1, 1), date(last + 1, 1, 1))
        else:
            calendar.add_component(found)
    return calendar.to_ical()


# What calendar apps take an update of only when SEQUENCE rises, by the
# field staff write it with.
WATCHED = {
    "dtstart": "Start",
    "dtend": "End",
    "location": "the place",
    "status": "Event_status",
}


def published_events(path: str) -> dict[str, icalendar.Event]:
    """The events of a calendar file already published, by UID ({} when
    there is none or it cannot be read)."""
    try:
        with open(path, "rb") as handle:
            found = icalendar.Calendar.from_ical(handle.read())
    except (OSError, ValueError):
        return {}
    return {str(e["uid"]): e for e in found.walk("VEVENT")}


def unannounced_changes(was: icalendar.Event, now: icalendar.Event) -> list[str]:
    """The fields whose change calendar apps would not take: changed since
    ``was`` was published while SEQUENCE did not rise."""
    if int(now.get("sequence", 0)) > int(was.get("sequence", 0)):
        return []

    def value(event, name):
        found = event.get(name)
        return found.to_ical() if found is not None else b""

    return [
        label for name, label in WATCHED.items() if value(was, name) != value(now, name)
    ]


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FROM_YEAR = 2000


@functools.cache
def _changes(zone: ZoneInfo, year: int) -> tuple:
    """(local time just before, offset before, offset after, name after) of
    each change of the zone's offset in ``year``, found hour by hour: once
    per zone and year in a build (every calendar of the site asks; the
    search was 9 s of a cold build with 124 calendars)."""
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    before = moment.astimezone(zone)
    while moment.year == year:
        moment += timedelta(hours=1)
        after = moment.astimezone(zone)
        if after.utcoffset() != before.utcoffset():
            wall = (moment + before.utcoffset()).replace(tzinfo=None)
            found.append((wall, before.utcoffset(), after.utcoffset(), after.tzname()))
        before = after
    return tuple(found)


def vtimezone(zone: ZoneInfo, first: int, last: int) -> icalendar.Timezone | None:
    """The zone as calendar apps write it: one yearly rule for the change to
    summer time and one for the change back (RRULE, such as the last Sunday
    of March at 02:00), with the local time before each change as DTSTART.
    None when the zone's changes in those years follow no such rule."""

    def rules_of(years) -> dict[tuple, datetime]:
        found: dict[tuple, datetime] = {}
        for year in years:
            for wall, before, after, name in _changes(zone, year):
                days = monthrange(wall.year, wall.month)[1]
                weekday = WEEKDAYS[wall.weekday()]
                nth = "-1" if wall.day + 7 > days else str((wall.day - 1) // 7 + 1)
                rule = (wall.month, nth + weekday, wall.time(), before, after, name)
                found.setdefault(rule, wall)
        return found

    # The rules of the events' years (from the change before the first), each
    # written from its change in FROM_YEAR when it held then, so every file
    # of the site names the zone alike (some readers keep the first
    # definition of a TZID they meet).
    since = rules_of([FROM_YEAR])
    rules = {
        rule: since.get(rule, wall)
        for rule, wall in rules_of(range(first - 1, last + 1)).items()
    }
    found = icalendar.Timezone()
    found.add("tzid", str(zone))
    if not rules:  # no summer time: one offset all year
        offset = datetime(first, 1, 1, tzinfo=zone)
        part = icalendar.TimezoneStandard()
        part.add("tzname", offset.tzname())
        part.add("tzoffsetfrom", offset.utcoffset())
        part.add("tzoffsetto", offset.utcoffset())
        part.add("dtstart", datetime(1970, 1, 1))
        found.add_component(part)
        return found
    if len(rules) != 2:
        return None
    for (month, day, _time, before, after, name), wall in sorted(
        rules.items(), key=lambda pair: pair[1]
    ):
        part = (
            icalendar.TimezoneDaylight()
            if after > before
            else icalendar.TimezoneStandard()
        )
        part.add("tzname", name)
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("dtstart", wall)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": day})
        found.add_component(part)
    return found


def event(item, site, t, zone: ZoneInfo, host: str) -> icalendar.Event:
    meta = item.metadata
    when = item.when
    url = site.absolute(item.url)
    status = meta.get("event_status")
    modified = getattr(item, "modified", None)
    found = icalendar.Event()
    found.add("uid", f"{meta['section']}-{item.slug}@{host}")
    found.add("dtstamp", (modified or item.date).astimezone(UTC))
    if modified:
        found.add("last-modified", modified.astimezone(UTC))
    found.add("sequence", sequence(item))
    if when.all_day:
        found.add("dtstart", when.first_day)
        found.add("dtend", when.end.date())
    else:
        found.add("dtstart", when.start)
        found.add("dtend", when.end)
    title = item.title
    if status:
        title = t("event_title_with_status", status=t(f"event_{status}"), title=title)
    found.add("summary", title)
    found.add("status", STATUS.get(status, "CONFIRMED"))
    place = where(meta)
    if place:
        found.add("location", place)
    lines = [meta["summary"], "", url]
    if meta.get("registration") and not status:
        deadline = meta.get("deadline")
        lines.append("")
        lines.append(
            t("event_register_by", day=day_words(at(deadline, zone).date(), t))
            if deadline
            else t("event_register")
        )
        lines.append(meta["registration"])
    found.add("description", "\n".join(lines))
    found.add("url", url)
    return found
