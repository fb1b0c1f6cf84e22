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

from datetime import UTC, date, timedelta
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
        calendar.add_missing_timezones(
            first_date=date(min(w.start.year for w in timed), 1, 1),
            last_date=date(max(w.end.year for w in timed) + 1, 1, 1),
        )
    return calendar.to_ical()


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
