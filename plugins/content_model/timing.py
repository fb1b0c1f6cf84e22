"""When the items of a calendar section (Section.calendar) happen: their
Start and End as times in Copenhagen, in words for people, and whether they
are upcoming, ongoing or past at the build's "now" (SITE_NOW, never the
clock inside a template or a test).

An all-day item is written with dates alone: it starts at midnight of its
first day and ends at midnight after its last (as calendars count it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .validate import parse_datetime

UPCOMING, ONGOING, PAST = "upcoming", "ongoing", "past"


@dataclass(frozen=True)
class When:
    start: datetime  # aware, Copenhagen time
    end: datetime  # aware; all day: midnight after the last day
    all_day: bool
    text: str  # in words: "Friday 4 December 2026, 17:00-21:00"
    state: str  # UPCOMING, ONGOING or PAST at the build's now

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (
            (self.end - timedelta(days=1)).date() if self.all_day else self.end.date()
        )

    @property
    def iso_start(self) -> str:
        """For <time datetime> and JSON-LD: a date alone for an all-day item."""
        if self.all_day:
            return self.first_day.isoformat()
        return self.start.isoformat(timespec="seconds")

    @property
    def iso_end(self) -> str:
        """The same; for an all-day item its last day."""
        if self.all_day:
            return self.last_day.isoformat()
        return self.end.isoformat(timespec="seconds")


def at(value: str, zone: ZoneInfo) -> datetime:
    """A checked YYYY-MM-DD[ HH:MM] value as an aware datetime."""
    return parse_datetime(value).replace(tzinfo=zone)


def when(start: str, end: str, zone: ZoneInfo, has_come, t) -> When:
    """The times of an item from its checked Start and End (both dates
    alone, or both with a time; End not before Start). ``has_come(moment)``
    says whether a moment has come at the build's now (Session.has_come)."""
    all_day = len(start) == 10
    first, last = at(start, zone), at(end, zone)
    if all_day:
        last = datetime.combine(last.date() + timedelta(days=1), time(), zone)
    state = PAST if has_come(last) else ONGOING if has_come(first) else UPCOMING
    moment = When(first, last, all_day, "", state)
    return When(first, last, all_day, in_words(moment, t), state)


def day_words(day: date, t, year: bool = True) -> str:
    return t(
        "event_day" if year else "event_day_no_year",
        weekday=t("weekdays")[day.weekday()],
        day=day.day,
        month=t("months")[day.month - 1],
        year=day.year,
    )


def in_words(moment: When, t) -> str:
    """'Friday 4 December 2026, 17:00-21:00'; 'Friday 4 to Sunday 6 December
    2026' for whole days; 'Friday 4 December, 10:00 to Saturday 5 December
    2026, 16:00' for times across days (the UI strings event_*)."""
    first, last = moment.first_day, moment.last_day
    same_year = first.year == last.year
    if moment.all_day:
        if first == last:
            return day_words(first, t)
        return t(
            "event_days",
            first=day_words(first, t, year=not same_year),
            last=day_words(last, t),
        )
    start, end = moment.start.strftime("%H:%M"), moment.end.strftime("%H:%M")
    if first == last:
        return t("event_one_day", day=day_words(first, t), start=start, end=end)
    return t(
        "event_across_days",
        first=day_words(first, t, year=not same_year),
        start=start,
        last=day_words(last, t),
        end=end,
    )


def registration_open(metadata: dict, moment: When, zone: ZoneInfo, has_come) -> bool:
    """Whether people can still sign up: a Registration address, before the
    Deadline (a date alone: to the end of that day) and before the start,
    and the event neither cancelled nor postponed."""
    if not metadata.get("registration") or metadata.get("event_status"):
        return False
    closes = moment.start
    deadline = metadata.get("deadline")
    if deadline:
        until = at(deadline, zone)
        if len(deadline) == 10:
            until += timedelta(days=1)
        closes = min(closes, until)
    return not has_come(closes)
