"""Events: the calendar section. What is upcoming and past comes from the
build's "now" (SITE_NOW, pinned by conftest.py), never the clock; calendars
are read back with icalendar, structured data as JSON, and every expectation
is worked out here from the event files themselves."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

import site_build
from build_errors import BuildFailed
from conftest import ROOT, SITE_NOW, BuiltSite, build_into
from content_model import model
from content_model.timing import in_words, when
from content_model.validate import parse_header
from theme_support import load_strings

CPH = ZoneInfo("Europe/Copenhagen")
EVENTS = next(s for s in model.SECTIONS if s.calendar)
HOST = "www.interactivedenmark.dk"


# --- what the files say ------------------------------------------------------


def header(path: Path) -> dict[str, str]:
    entries, _ = parse_header(path.read_text("utf-8"))
    return {e.key.lower(): e.value for e in entries}


def moment(value: str, end: bool = False) -> datetime:
    """A Start or End as written: a date alone starts at midnight and, as
    an End, ends at the midnight after it."""
    if len(value) == 10:
        day = date.fromisoformat(value) + timedelta(days=1 if end else 0)
        return datetime(day.year, day.month, day.day, tzinfo=CPH)
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=CPH)


def published_events(now: str = SITE_NOW) -> dict[str, dict]:
    """The events published at ``now``: not drafts, announced (Date) by then."""
    found = {}
    for path in sorted((ROOT / "content" / EVENTS.folder).glob("*.md")):
        meta = header(path)
        if meta.get("status") != "draft" and moment(meta["date"]) <= moment(
            now.replace("T", " ")[:16]
        ):
            meta["start_at"] = moment(meta["start"])
            meta["end_at"] = moment(meta["end"], end=True)
            meta["programmes"] = [p.strip() for p in meta["programmes"].split(",")]
            found[path.stem] = meta
    return found


def split(events: dict[str, dict], now: datetime) -> tuple[list[str], list[str]]:
    """(upcoming and ongoing, soonest first; past, newest first)."""
    order = sorted(events, key=lambda slug: (events[slug]["start_at"], slug))
    coming = [slug for slug in order if now < events[slug]["end_at"]]
    past = [slug for slug in reversed(order) if slug not in coming]
    return coming, past


def listed(soup, section_id: str) -> list[str]:
    """The slugs of the events a section of a page links to, in order."""
    section = soup.find(attrs={"aria-labelledby": section_id})
    if section is None:
        return []
    return [
        a["href"].rstrip("/").rsplit("/", 1)[-1]
        for a in section.select(".card__title a")
    ]


def json_ld(soup) -> list[dict]:
    return [
        json.loads(tag.string)
        for tag in soup.find_all("script", type="application/ld+json")
    ]


def calendar(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


# --- the sample site ---------------------------------------------------------


def test_the_sample_has_the_events_the_issue_asks_for():
    events = published_events()
    now = datetime.fromisoformat(SITE_NOW)
    coming, past = split(events, now)
    assert len(events) >= 10 and coming and past
    named = {p for e in events.values() for p in e["programmes"]}
    assert named == {p.stem for p in (ROOT / "content/programmes").glob("*.md")}
    assert any(e["end_at"] - e["start_at"] > timedelta(days=1) for e in events.values())
    assert any("online" in e and "venue" not in e for e in events.values())
    assert any(e.get("event_status") == "cancelled" for e in events.values())


def test_the_listing_shows_upcoming_soonest_first_then_past_by_year(site):
    events = published_events()
    coming, past = split(events, datetime.fromisoformat(SITE_NOW))
    soup = site.soup("/events/")
    assert listed(soup, "upcoming-heading") == coming
    assert listed(soup, "past-heading") == past
    years = [h.get_text() for h in soup.select("[aria-labelledby=past-heading] h3")]
    expected = sorted({events[slug]["start_at"].year for slug in past}, reverse=True)
    assert years == [str(year) for year in expected]
    assert not soup.select(".pagination")  # one page, whatever the number


@pytest.mark.parametrize(
    "now", ["2025-10-10T12:00:00+02:00", "2031-01-01T00:00:00+01:00"]
)
def test_what_is_upcoming_follows_site_now(tmp_path, monkeypatch, now):
    monkeypatch.setenv("SITE_NOW", now)
    build_into(tmp_path / "out", PATH=str(ROOT / "content"))
    built = BuiltSite(tmp_path / "out")
    events = published_events(now)  # those announced by then
    coming, past = split(events, datetime.fromisoformat(now))
    assert events and set(coming) | set(past) == set(events)
    assert (not past) if now < SITE_NOW else (not coming)
    soup = built.soup("/events/")
    assert listed(soup, "upcoming-heading") == coming
    assert listed(soup, "past-heading") == past
    home = listed(built.soup("/"), f"home-{EVENTS.name}")
    assert home == coming[: EVENTS.home]


def test_the_home_page_shows_the_next_events(site):
    coming, _ = split(published_events(), datetime.fromisoformat(SITE_NOW))
    assert listed(site.soup("/"), f"home-{EVENTS.name}") == coming[: EVENTS.home]


def test_each_event_page_says_when_in_words_and_for_machines(site):
    t = load_strings(str(ROOT / "theme"), "en")
    now = datetime.fromisoformat(SITE_NOW)
    for slug, meta in published_events().items():
        soup = site.soup(f"/{EVENTS.folder}/{slug}/")
        shown = soup.select_one(".facts time")
        moment_ = when(meta["start"], meta["end"], CPH, now.__ge__, t)
        assert shown.get_text() == moment_.text
        start = meta["start_at"]
        expected = (
            start.date().isoformat() if len(meta["start"]) == 10 else start.isoformat()
        )
        assert shown["datetime"] == expected
        ics = f"/{EVENTS.folder}/{slug}/{slug}.ics"  # linked until it is past
        link = soup.find("a", attrs={"download": True})
        assert link is None or link["href"] == ics
        single = calendar(site.path(ics))
        assert [str(e["uid"]) for e in single.walk("VEVENT")] == [
            f"{EVENTS.name}-{slug}@{HOST}"
        ]


def test_event_structured_data(site):
    for slug, meta in published_events().items():
        soup = site.soup(f"/{EVENTS.folder}/{slug}/")
        [event] = [d for d in json_ld(soup) if d["@type"] == "Event"]
        assert event["name"] == soup.h1.get_text()
        if len(meta["start"]) == 10:
            assert event["startDate"] == meta["start"]
            assert event["endDate"] == meta["end"]
        else:  # with the Copenhagen offset of that day (summer or winter)
            assert datetime.fromisoformat(event["startDate"]) == meta["start_at"]
            assert (
                event["startDate"][-6:] == meta["start_at"].strftime("%z")[:3] + ":00"
            )
            assert datetime.fromisoformat(event["endDate"]) == meta["end_at"]
        status = {"cancelled": "EventCancelled", "postponed": "EventPostponed"}
        assert event["eventStatus"] == "https://schema.org/" + status.get(
            meta.get("event_status"), "EventScheduled"
        )
        mode = (
            "Mixed"
            if "venue" in meta and "online" in meta
            else "Online"
            if "online" in meta
            else "Offline"
        )
        assert (
            event["eventAttendanceMode"]
            == f"https://schema.org/{mode}EventAttendanceMode"
        )
        assert event["organizer"]["name"] == "Interactive Denmark"
        if "price" in meta:
            price = 0 if meta["price"].lower() == "free" else int(meta["price"])
            assert event["offers"]["price"] == price
            assert event["offers"]["priceCurrency"] == "DKK"
        else:
            assert "offers" not in event
        if meta.get("event_status"):
            assert soup.select_one(".notice"), slug  # said on the page too


def test_the_sign_up_button_shows_while_sign_up_is_open(site):
    now = datetime.fromisoformat(SITE_NOW)
    seen = set()
    for slug, meta in published_events().items():
        soup = site.soup(f"/{EVENTS.folder}/{slug}/")
        button = soup.select_one(".event__actions a.button")
        closes = meta["start_at"]
        if "deadline" in meta:
            closes = min(closes, moment(meta["deadline"], end=True))
        open_ = "registration" in meta and not meta.get("event_status") and now < closes
        assert (button is not None) == open_, slug
        if button:
            assert button["href"] == meta["registration"]
        seen.add(open_)
    assert seen == {True, False}


def test_a_past_event_says_it_took_place_and_offers_no_calendar_file(site):
    events = published_events()
    coming, past = split(events, datetime.fromisoformat(SITE_NOW))
    assert coming and past
    for slug in coming + past:
        soup = site.soup(f"/{EVENTS.folder}/{slug}/")
        notices = [p.get_text(strip=True) for p in soup.select("header .notice")]
        calendar_link = soup.select_one(".event__actions a[download]")
        if slug in past:
            said = notices == ["This event has taken place."]
            assert said or events[slug].get("event_status"), slug
            assert calendar_link is None, slug
        else:
            assert "This event has taken place." not in notices, slug
            assert calendar_link is not None, slug


def test_the_calendar_holds_every_event_at_the_right_time(site):
    events = published_events()
    found = {
        str(e["uid"]): e
        for e in calendar(site.path("/events/calendar.ics")).walk("VEVENT")
    }
    assert set(found) == {f"{EVENTS.name}-{slug}@{HOST}" for slug in events}
    for slug, meta in events.items():
        event = found[f"{EVENTS.name}-{slug}@{HOST}"]
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        if len(meta["start"]) == 10:
            assert (start, end) == (meta["start_at"].date(), meta["end_at"].date())
        else:  # the same instant, whether the day is in summer or winter time
            assert start == meta["start_at"] and end == meta["end_at"]
            assert start.utcoffset() == meta["start_at"].utcoffset()
        assert str(event["summary"]).endswith(meta["title"])
        assert str(event["url"]) == f"https://{HOST}/{EVENTS.folder}/{slug}/"
        expected = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}
        assert str(event["status"]) == expected.get(
            meta.get("event_status"), "CONFIRMED"
        )
        assert meta["summary"] in str(event["description"])
        if "venue" in meta:
            assert meta["venue"] in str(event["location"])


def test_the_calendar_names_its_time_zone_and_is_reproducible(site, production_site):
    text = site.path("/events/calendar.ics").read_bytes()
    parsed = calendar(site.path("/events/calendar.ics"))
    [zone] = parsed.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Copenhagen"
    assert b"TZID=Europe/Copenhagen:" in text
    # In the form calendar apps write: a yearly rule each way, starting at the
    # local time before the change, which gives Copenhagen's offset in any year.
    rules = {
        part.name: (
            str(part["rrule"].to_ical(), "ascii"),
            part.decoded("dtstart").time(),
        )
        for part in zone.subcomponents
    }
    assert rules == {
        "DAYLIGHT": ("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", time(2)),
        "STANDARD": ("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", time(3)),
    }
    # The same in every calendar of the site (readers may keep the first).
    blocks = {
        file.read_bytes().split(b"BEGIN:VTIMEZONE")[1].split(b"END:VTIMEZONE")[0]
        for file in site.root.rglob("*.ics")
        if b"BEGIN:VTIMEZONE" in file.read_bytes()
    }
    assert len(blocks) == 1
    as_written = zone.to_tz()
    for year in range(2024, 2036):
        for month in (1, 4, 7, 10, 11):
            moment = datetime(year, month, 15, 12)
            assert as_written.utcoffset(moment) == CPH.utcoffset(moment), moment
    # Another build (the production one) gives the same bytes.
    assert production_site.path("/events/calendar.ics").read_bytes() == text


def test_each_programme_lists_exactly_its_events_and_members(site):
    events = published_events()
    coming, _ = split(events, datetime.fromisoformat(SITE_NOW))
    members = {
        path.stem: path.read_text("utf-8")
        for path in (ROOT / "content/members").glob("*.yaml")
    }
    import yaml

    for programme in sorted((ROOT / "content/programmes").glob("*.md")):
        slug = programme.stem
        soup = site.soup(f"/programmes/{slug}/")
        mine = [e for e in coming if slug in events[e]["programmes"]]
        assert listed(soup, "events-heading") == mine[:6], slug
        took_part = sorted(
            yaml.safe_load(text)["name"]
            for text in members.values()
            if slug in (yaml.safe_load(text).get("programmes") or [])
            and yaml.safe_load(text).get("status") != "draft"
        )
        section = soup.find(attrs={"aria-labelledby": "members-heading"})
        shown = sorted(a.get_text() for a in section.select("a")) if section else []
        assert shown == took_part, slug
        ics = calendar(site.path(f"/programmes/{slug}/calendar.ics"))
        assert {str(e["uid"]) for e in ics.walk("VEVENT")} == {
            f"{EVENTS.name}-{e}@{HOST}"
            for e in events
            if slug in events[e]["programmes"]
        }
        subscribe = soup.find(
            "a", href=f"webcal://{HOST}/programmes/{slug}/calendar.ics"
        )
        assert subscribe is not None, slug


def test_calendars_are_in_the_feeds_catalogue(site):
    soup = site.soup("/feeds/")
    links = {a["href"] for a in soup.find_all("a", href=True)}
    assert "/events/calendar.ics" in links
    assert f"webcal://{HOST}/events/calendar.ics" in links
    for programme in (ROOT / "content/programmes").glob("*.md"):
        assert f"/programmes/{programme.stem}/calendar.ics" in links


def test_news_can_name_the_event_it_is_about(site):
    naming = {
        path.stem: [s.strip() for s in header(path)["events"].split(",")]
        for path in sorted((ROOT / "content/news").glob("*.md"))
        if "events" in header(path)
    }
    assert naming, "no news post names an event"
    for slug, events in naming.items():
        soup = site.soup(f"/news/{slug}/")
        links = {a["href"] for a in soup.select(".article__footer a")}
        assert {f"/{EVENTS.folder}/{e}/" for e in events} <= links, slug


# --- changes -----------------------------------------------------------------

EVENT = """Title: Growing Games open day
Date: 2026-11-10 09:00
Summary: Meet the Growing Games team and past participants.
Start: 2027-03-27 15:00
End: 2027-03-28 12:00
Venue: Spilhuset Fiktiv
City: Kolding
Programmes: growing-games
"""


def test_sequence_rises_and_uid_stays_when_an_event_moves(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / EVENTS.folder / "open-day.md"
    path.write_text(EVENT + "\nCome and see.\n", "utf-8")
    uid = f"{EVENTS.name}-open-day@{HOST}"

    def built(name):
        build_into(tmp_path / name, PATH=str(content))
        ics = calendar(tmp_path / name / "events/calendar.ics")
        return next(e for e in ics.walk("VEVENT") if str(e["uid"]) == uid)

    first = built("one")
    # Across the change to summer time on 28 March 2027: +01:00, then +02:00.
    assert first.decoded("dtstart").utcoffset() == timedelta(hours=1)
    assert first.decoded("dtend").utcoffset() == timedelta(hours=2)
    elapsed = first.decoded("dtend").astimezone(UTC) - first.decoded("dtstart")
    assert elapsed == timedelta(hours=20)  # 21 on the clock, an hour skipped
    moved = EVENT.replace("2027-03-27 15:00", "2027-04-03 15:00").replace(
        "2027-03-28 12:00", "2027-04-03 18:00"
    )
    path.write_text(moved + "Modified: 2026-11-20 10:30\n\nCome and see.\n", "utf-8")
    second = built("two")
    cancelled = moved + "Modified: 2026-11-25 08:00\nEvent_status: cancelled\n"
    path.write_text(cancelled + "\nCome and see.\n", "utf-8")
    third = built("three")
    sequences = [int(e["sequence"]) for e in (first, second, third)]
    assert sequences[0] < sequences[1] < sequences[2]
    assert str(third["status"]) == "CANCELLED"
    assert second.decoded("dtstart") == datetime(2027, 4, 3, 15, tzinfo=CPH)


# --- dates in words ----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ("2026-12-04 17:00", "2026-12-04 21:00", "Friday 4 December 2026, 17:00–21:00"),
        ("2026-12-04", "2026-12-04", "Friday 4 December 2026"),
        ("2026-12-04", "2026-12-06", "Friday 4 December to Sunday 6 December 2026"),
        (
            "2026-12-30",
            "2027-01-02",
            "Wednesday 30 December 2026 to Saturday 2 January 2027",
        ),
        (
            "2027-03-27 10:00",
            "2027-03-28 16:00",
            "Saturday 27 March, 10:00 to Sunday 28 March 2027, 16:00",
        ),
    ],
)
def test_dates_read_naturally(start, end, words):
    t = load_strings(str(ROOT / "theme"), "en")
    now = datetime(2026, 1, 1, tzinfo=CPH)
    assert in_words(when(start, end, CPH, now.__ge__, t), t) == words


# --- bad input ---------------------------------------------------------------

BAD = {
    # file: (header lines replaced in EVENT, line, field, in the message, in what to do)
    "no-start.md": (
        ("Start: 2027-03-27 15:00\n", ""),
        None,
        "Start",
        "is missing",
        "YYYY-MM-DD",
    ),
    "unreadable-start.md": (
        ("2027-03-27 15:00", "27 March 2027"),
        4,
        "Start",
        "'27 March 2027' is not a valid date",
        "YYYY-MM-DD HH:MM",
    ),
    "end-before-start.md": (
        ("2027-03-28 12:00", "2027-03-26 12:00"),
        5,
        "End",
        "2027-03-26 12:00 is not after Start (2027-03-27 15:00)",
        "after Start",
    ),
    "mixed-forms.md": (
        ("2027-03-28 12:00", "2027-03-28"),
        5,
        "End",
        "is a date alone",
        "both with a time",
    ),
    "unknown-programme.md": (
        ("Programmes: growing-games", "Programmes: growing-gams"),
        8,
        "Programmes",
        "'growing-gams' (did you mean 'growing-games'?) unknown",
        "growing-games",
    ),
    "http-registration.md": (
        (
            "Programmes: growing-games\n",
            "Programmes: growing-games\nRegistration: http://example.com/signup\n",
        ),
        9,
        "Registration",
        "does not start with https://",
        "https://",
    ),
    "late-deadline.md": (
        (
            "Programmes: growing-games\n",
            "Programmes: growing-games\nRegistration: https://example.com/signup\n"
            "Deadline: 2027-03-29\n",
        ),
        10,
        "Deadline",
        "2027-03-29 is after Start (2027-03-27 15:00)",
        "no later than Start",
    ),
    "nowhere.md": (
        ("Venue: Spilhuset Fiktiv\nCity: Kolding\n", ""),
        None,
        "Venue or Online",
        "gives none of them",
        "Online: ...",
    ),
    "status-without-modified.md": (
        (
            "Programmes: growing-games\n",
            "Programmes: growing-games\nEvent_status: cancelled\n",
        ),
        9,
        "Modified",
        "is missing, but Event_status is given",
        "Modified: ...",
    ),
    "bad-price.md": (
        ("Programmes: growing-games\n", "Programmes: growing-games\nPrice: 12 euro\n"),
        9,
        "Price",
        "'12 euro' is not a price",
        "free, or the price in Danish kroner",
    ),
    "modified-before-date.md": (
        (
            "Programmes: growing-games\n",
            "Programmes: growing-games\nModified: 2026-11-01 09:00\n",
        ),
        9,
        "Modified",
        "2026-11-01 09:00 is not after Date (2026-11-10 09:00)",
        "after Date",
    ),
    "year-typo.md": (
        ("2027-03-27 15:00", "0207-03-27 15:00"),
        4,
        "Start",
        "has the year 0207, not one between 1970 and 2999",
        "YYYY-MM-DD HH:MM",
    ),
    "far-future.md": (
        ("End: 2027-03-28 12:00", "End: 9999-12-31 12:00"),
        5,
        "End",
        "has the year 9999",
        "YYYY-MM-DD HH:MM",
    ),
    "no-length.md": (
        ("End: 2027-03-28 12:00", "End: 2027-03-27 15:00"),
        5,
        "End",
        "2027-03-27 15:00 is not after Start (2027-03-27 15:00)",
        "End must be after Start",
    ),
    "long-venue.md": (
        ("Venue: Spilhuset Fiktiv", "Venue: " + "Spilhuset " * 40),
        6,
        "Venue",
        "is 399 characters long",
        "the name of the place",
    ),
    "status-cancelled.md": (
        (
            "Programmes: growing-games\n",
            "Programmes: growing-games\nStatus: cancelled\n",
        ),
        9,
        "Status",
        "'cancelled' is not allowed",
        "did you mean 'Event_status: cancelled'?",
    ),
    "clocks-go-forward.md": (
        ("Start: 2027-03-27 15:00", "Start: 2027-03-28 02:30"),
        4,
        "Start",
        "02:30 does not exist on 2027-03-28 in Copenhagen",
        "use a time from 03:00 on",
    ),
    "status-in-capitals.md": (
        ("Programmes: growing-games\n", "Programmes: growing-games\nStatus: Draft\n"),
        9,
        "Status",
        "'Draft' is not allowed",
        "did you mean 'draft'?",
    ),
    "modified-later-than-now.md": (
        (
            "Programmes: growing-games\n",
            "Programmes: growing-games\nModified: 2026-12-20 10:01\n",
        ),
        9,
        "Modified",
        "2026-12-20 10:01 is later than now",
        "now or earlier",
    ),
    "line-separator.md": (
        ("Title: Growing Games open day", "Title: Growing Games\u2028open day"),
        1,
        "Title",
        "contains the line separator U+2028",
        "delete it",
    ),
}


@pytest.fixture(scope="module")
def failed(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad-events")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    output = base / "output"
    build_into(output, PATH=str(content))  # a good build first
    before = {p: p.read_bytes() for p in output.rglob("*.html")}
    for name, ((old, new), *_rest) in BAD.items():  # then the bad files
        assert old in EVENT, name
        (content / EVENTS.folder / name).write_text(
            EVENT.replace(old, new) + "\nText.\n", "utf-8"
        )
    with pytest.raises(BuildFailed) as error:
        site_build.build(
            str(ROOT / "pelicanconf.py"), str(output), {"PATH": str(content)}
        )
    return error.value.problems, output, before


@pytest.mark.parametrize("name", BAD)
def test_bad_event_input_is_a_located_error(failed, name):
    problems, _output, _before = failed
    _replace, line, field, message, allowed = BAD[name]
    found = [p for p in problems if p.path == f"content/{EVENTS.folder}/{name}"]
    assert len(found) == 1, found
    problem = found[0]
    assert (problem.line, problem.field) == (line, field)
    assert message in problem.message
    assert allowed in problem.allowed


def test_bad_event_input_is_all_reported_and_nothing_published(failed):
    problems, output, before = failed
    assert {f"content/{EVENTS.folder}/{name}" for name in BAD} <= {
        p.path for p in problems
    }
    assert {p: p.read_bytes() for p in output.rglob("*.html")} == before


def test_a_moved_event_must_say_so_in_modified(tmp_path):
    """Calendar apps take a change of time, place or status only when
    SEQUENCE rises: a production build that would publish such a change
    with the same SEQUENCE as the last production calendar stops and says
    what to do. Development builds (make serve) are nobody's calendar."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = content / EVENTS.folder / "open-day.md"
    path.write_text(EVENT + "\nCome and see.\n", "utf-8")
    output = tmp_path / "output"

    def build(settings="publishconf.py"):
        return build_into(output, settings, PATH=str(content))

    build()
    path.write_text(EVENT + "\nCome and see us.\n", "utf-8")  # the text only
    build()
    moved = EVENT.replace("Venue: Spilhuset Fiktiv", "Venue: Kulturhuset Fiktiv")
    path.write_text(moved.replace("12:00", "13:00") + "\nCome and see us.\n", "utf-8")
    build("pelicanconf.py")  # a preview under make serve: fine
    with pytest.raises(BuildFailed) as failed:
        build()  # compared with the last production build, not the preview
    [problem] = failed.value.problems
    assert (problem.path, problem.line, problem.field) == (
        f"content/{EVENTS.folder}/open-day.md",
        None,
        "Modified",
    )
    assert problem.message.startswith("End and the place changed since the event")
    assert problem.allowed.startswith("set Modified to when you made the change")
    path.write_text(
        moved.replace("12:00", "13:00") + "Modified: 2026-11-20 09:00\n\nCome.\n",
        "utf-8",
    )
    build()  # told: published
    ics = calendar(output / EVENTS.folder / "calendar.ics")
    [event] = [e for e in ics.walk("VEVENT") if "open-day" in str(e["uid"])]
    assert "Kulturhuset Fiktiv" in str(event["location"])
