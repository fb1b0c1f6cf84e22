"""A seeded generator of a large site, for the benchmark and the rebuild tests.

:func:`generate` copies the project's ``content/`` and ``theme/`` into a
project folder and adds generated news, showcases, events (once the content
model has an events section) and members with logos, plus a settings file
that imports the project's ``pelicanconf.py`` and points every path (content,
theme, caches) into that folder. The same seed gives the same files, byte for
byte. Every header is made from the section's fields in
``plugins/content_model/model.py``, so the site passes the content model.

The edit functions (:data:`EDITS`) change a generated project the way staff
would: one news post's body, one member, one template, a post or member
added, renamed or deleted, a setting. Each picks what it changes from the
folder as it is and its seed, so the same folder and seed give the same edit,
and returns an :class:`Edit` naming the files it wrote, added and removed.

People, companies and web addresses are plainly fictional (``.example``).
Not a pytest module: benchmark.py and the rebuild tests import it.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "plugins"
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))

from content_model import model  # noqa: E402
from content_model.slugs import slugify  # noqa: E402

SETTINGS_NAME = "sitegen_settings.py"
# The images every generated post shows, copied from the sample content.
IMAGE_FOLDER = "images/generated"
FEATURED_SOURCE = "images/news/spilbar-odense-march.jpg"
BODY_SOURCE = "images/news/conference-2025-recap.jpg"
FEATURED = f"{IMAGE_FOLDER}/featured.jpg"
FEATURED_ALT = (
    "Illustration: a navy game controller silhouette surrounded by coral and "
    "teal pixel squares on a sand background"
)
BODY_IMAGE = f"{IMAGE_FOLDER}/audience.jpg"
BODY_IMAGE_ALT = "Illustration: an audience in front of a stage with a big screen"
# The dated sections the generator writes posts for, and their default sizes.
DEFAULT_SIZES = {"news": 1000, "showcases": 200, "events": 100, "members": 2000}
# Where the template edit goes, and the line that marks it.
TEMPLATE = "theme/templates/base.html"
_TEMPLATE_MARK = "<!-- sitegen edit"
_SETTING_MARK = "# sitegen: setting edit"


# --- Vocabulary ---------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


TAGS = (
    "Games",
    "Film",
    "Animation",
    "Apps",
    "VFX",
    "XR",
    "Virtual reality",
    "Augmented reality",
    "Education",
    "Health",
    "Funding",
    "Investors",
    "Export",
    "Gamescom",
    "Conferences",
    "Spilbar",
    "Workshops",
    "Talent",
    "Recruitment",
    "Students",
    "Startups",
    "Publishing",
    "Distribution",
    "Co-production",
    "Sound design",
    "Game design",
    "Art direction",
    "Accessibility",
    "Sustainability",
    "Diversity",
    "Research",
    "Public funding",
    "Nordic",
    "Europe",
    "Asia",
    "North America",
    "Mobile",
    "Console",
    "PC",
    "Indie",
    "Serious games",
    "Learning games",
    "Esports",
    "Streaming",
    "Television",
    "Documentary",
    "Short film",
    "Feature film",
    "Series",
    "Music",
    "Storytelling",
    "AI",
    "Tools",
    "Real-time",
    "Community",
    "Networking",
    "Awards",
    "Festivals",
    "Pitching",
    "Intellectual property",
    "Marketing",
)

_FIRST = _words(
    "Ask Bak Birke Dal Eng Fjord Fyr Gran Hav Hede Hvid Is Kilde Klit Kyst Lille "
    "Lyng Mose Nord Ravn Sand Skov Sol Storm Sø Tåge Vester Vind Ør Øster"
)
_SECOND = _words(
    "bakke bjerg borg by dal gård havn holm hus lund mark næs skov strand sund "
    "toft vang vig ager bro"
)
_KINDS = _words(
    "Games Studios Animation Pictures Interactive Apps Digital Media Labs XR VFX "
    "Learning Health Film Works"
)
_TOWNS = {
    "Hovedstaden": ("Copenhagen", "Frederiksberg", "Hillerød", "Helsingør", "Rønne"),
    "Sjælland": ("Roskilde", "Næstved", "Holbæk", "Slagelse", "Køge"),
    "Syddanmark": ("Odense", "Esbjerg", "Kolding", "Vejle", "Svendborg"),
    "Midtjylland": ("Aarhus", "Viborg", "Herning", "Horsens", "Randers"),
    "Nordjylland": ("Aalborg", "Frederikshavn", "Hjørring", "Skagen", "Thisted"),
}
TOWNS = tuple(town for towns in _TOWNS.values() for town in towns)
_MEMBER_SENTENCES = (
    "{name} is a {size} studio in {town} making {what}.",
    "The team works with publishers, broadcasters and public clients in Denmark "
    "and abroad.",
    "Its projects are tested with the people they are made for before release.",
    "The company was started by former students of a Danish games or film school.",
    "It combines its own productions with commissioned work for other studios.",
    "Recent work includes titles for phones, consoles and virtual reality headsets.",
    "The studio is growing and takes interns every spring and autumn.",
)
_WHAT = {
    "games": "games for consoles and PC",
    "film": "films and series",
    "animation": "animation for television and cinema",
    "apps": "apps for phones and tablets",
    "vfx": "visual effects for film and television",
    "xr": "virtual and augmented reality experiences",
    "edtech": "learning games for schools",
    "health": "software for hospitals and patients",
}
_TOPICS = (
    "games",
    "animation",
    "film",
    "creative apps",
    "virtual reality",
    "visual effects",
    "learning games",
    "health games",
)
_SEASONS = ("spring", "summer", "autumn", "winter")
_NEWS_TITLES = (
    "Spilbar comes to {town} this {season}",
    "{programme}: the {season} round is open",
    "{member} opens a new studio in {town}",
    "What we learned about {topic} in {town}",
    "Danish {topic} studios head to Gamescom {year}",
    "Workshops on {topic} for small studios in {town}",
    "New report: {topic} in Denmark, {year}",
    "{programme} welcomes twelve new teams in {town}",
    "Investors meet {topic} founders in {town}",
    "Call for speakers: {topic} at the {season} conference",
    "Meet the {topic} studios of {town}",
    "{topic} pitches in {town} this {season}",
    "{member} joins Interactive Denmark",
    "Export trip for {topic} studios, {season} {year}",
    "Student talent in {topic}: a day in {town}",
    "{member} and {member2} team up on a new project",
    "Funding for {topic}: what changes in {year}",
    "Masterclass in {town}: {topic} from idea to release",
)
_SHOWCASE_TITLES = (
    "{member} brings {topic} to classrooms in {town}",
    "How {member} made its first {topic} hit",
    "{member} turns a {town} legend into {topic}",
    "Behind the scenes at {member}",
    "{member} takes {topic} abroad",
    "New this {season}: a release from {member}",
)
_EVENT_TITLES = (
    "Spilbar {town}, {season} {year}",
    "{programme} information meeting in {town}",
    "Workshop: {topic} for small studios, {town}",
    "Pitch day for {topic} founders in {town}",
    "Conference day on {topic}, {season} {year}",
)
_HEADINGS = (
    "Why it matters",
    "What happens next",
    "How to take part",
    "On the programme",
    "Who it is for",
    "What we learned",
    "The numbers",
    "Practical details",
    "Meet the team",
    "Looking ahead",
    "A word from the organisers",
    "Background",
    "What participants say",
    "Dates and deadlines",
    "Show your work",
    "Partners",
)
_SENTENCES = (
    "Studios in {town} have grown quickly over the last few years, and {topic} "
    "is a big part of that story.",
    "The {programme} programme gives small teams time with experienced mentors, "
    "investors and publishers.",
    "Everyone is welcome, and you do not need to be a member of Interactive "
    "Denmark to take part.",
    "The day starts with short talks and ends with time to play, watch and talk.",
    "Participants told us that meeting people from other parts of the industry "
    "was the most useful part.",
    "We are working with local schools, incubators and municipalities to make it "
    "happen.",
    "Teams at every stage are welcome, from first prototypes to studios with "
    "several releases behind them.",
    "Many of the companies we met work across {topic} and other parts of the "
    "digital visual industry.",
    "The sessions are practical: bring your questions, your numbers and your plans.",
    "Registration is free, but places are limited, so sign up early.",
    "The venue in {town} is a short walk from the station and is step-free.",
    "We publish the talks and slides afterwards for those who could not come.",
    "Investors said they are looking for teams with a clear plan for their first "
    "two years.",
    "Several of the studios have since found partners abroad.",
    "It is a good place to test an idea before you pitch it.",
    "The Danish market is small, so most studios look abroad from day one.",
    "Public funding and private investment work best when they are planned together.",
    "Talent is the question every studio asks about, in {town} as everywhere.",
    "Our members in {town} have been generous with their time and their stories.",
    "The programme runs for six months, with one meeting a month.",
)
_LIST_ITEMS = (
    "A founder on recruiting talent outside the big cities",
    "A producer on budgeting a first {topic} project",
    "A panel on selling to schools and municipalities",
    "Short demos from studios in {town}",
    "An investor on what a good pitch deck shows",
    "A lawyer on contracts, rights and intellectual property",
    "A publisher on what they look for in {topic}",
    "Open feedback sessions for prototypes",
    "Networking with drinks and snacks",
    "A tour of a local studio",
    "A talk on accessibility in {topic}",
    "Office hours with the {programme} team",
)
_SUMMARIES = (
    "News from {town}: {topic}, new partners and a busy {season} for the "
    "studios of the region, with {programme} at the centre of it.",
    "{programme} opens its doors to {topic} teams in {town}, with mentors, "
    "investors and a demo day at the end of the {season}.",
    "A look at how studios in {town} work with {topic}, and what the next year "
    "brings for them and for the rest of the Danish industry.",
    "Talks, demos and plenty of time to meet: the {season} programme for "
    "{topic} in {town} is ready, and everyone is welcome.",
)
_EXTERNAL = (
    ("the Danish Film Institute's guide", "https://www.filmfund.example/guide"),
    ("the Nordic Game programme", "https://www.nordicgame.example/programme"),
    ("the European funding portal", "https://funding.europe.example/media"),
    ("the conference programme", "https://conference.example/{year}/programme"),
    ("the municipality's business page", "https://business.{townslug}.example"),
    ("the school's open day", "https://www.animation-school.example/open-day"),
)


# --- Helpers --------------------------------------------------------------------


@dataclass
class Site:
    """A generated project folder: content/, theme/, the settings file and
    (after a build) .cache/. The lists name what the generator added, as paths
    relative to content/ (posts) or slugs (members)."""

    root: Path
    seed: int
    posts: dict[str, list[str]] = field(default_factory=dict)  # section: paths
    members: list[str] = field(default_factory=list)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def theme(self) -> Path:
        return self.root / "theme"

    @property
    def settings(self) -> Path:
        return self.root / SETTINGS_NAME


@dataclass
class Edit:
    """What an edit did, as paths relative to the project folder."""

    what: str
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _rng(seed: int, stream: str) -> random.Random:
    # A string seed is hashed with SHA-512: the same on every run and machine.
    return random.Random(f"sitegen:{seed}:{stream}")


def events_section() -> model.Section | None:
    """The content model's events section, once there is one."""
    return model.SECTIONS_BY_NAME.get("events")


def post_sections() -> list[model.Section]:
    """The dated sections the generator writes: news, showcases, events."""
    return [
        s for s in (model.SECTIONS_BY_NAME.get(n) for n in ("news", "showcases")) if s
    ] + ([events_section()] if events_section() else [])


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def _fill(template: str, words: dict) -> str:
    return template.format(**words)


def _programmes(content: Path) -> dict[str, str]:
    """{slug: title} of the programmes in content/programmes/."""
    result = {}
    for path in sorted((content / "programmes").glob("*.md")):
        title = path.stem
        for line in path.read_text("utf-8").splitlines():
            if line.lower().startswith("title:"):
                title = line.split(":", 1)[1].strip()
                break
            if not line.strip():
                break
        result[path.stem] = title
    return result


def _member_names(content: Path) -> dict[str, str]:
    """{slug: name} of the members in content/members/."""
    result = {}
    for path in sorted((content / "members").glob("*.yaml")):
        name = path.stem
        for line in path.read_text("utf-8").splitlines():
            if line.startswith("name:"):
                name = line.split(":", 1)[1].strip().strip("'\"")
                break
        result[path.stem] = name
    return result


def _header(text: str) -> tuple[list[str], str]:
    """(header lines, body) of a Markdown file."""
    head, _, body = text.partition("\n\n")
    return head.splitlines(), body


def _header_value(text: str, name: str) -> str | None:
    for line in _header(text)[0]:
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == name.lower():
            return value.strip()
    return None


# --- Members --------------------------------------------------------------------


def _png_logo(path: Path, rng: random.Random) -> None:
    """A plainly fictional logo: two shapes in two colours."""
    width, height = rng.choice(((512, 512), (600, 300), (400, 200), (160, 160)))
    colours = [tuple(rng.randrange(256) for _ in range(3)) for _ in range(3)]
    image = Image.new("RGB", (width, height), colours[0])
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.1, height * 0.1, width * 0.5, height * 0.9), colours[1])
    draw.rectangle((width * 0.55, height * 0.3, width * 0.9, height * 0.7), colours[2])
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=False)


def _svg_logo(path: Path, rng: random.Random) -> None:
    colours = [f"#{rng.randrange(1 << 24):06x}" for _ in range(2)]
    _write(
        path,
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" '
        f'width="200" height="100"><rect width="200" height="100" '
        f'fill="{colours[0]}"/><circle cx="50" cy="50" r="35" '
        f'fill="{colours[1]}"/></svg>\n',
    )


def _company_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(_FIRST)}{rng.choice(_SECOND)} {rng.choice(_KINDS)}"
        if name.casefold() not in used:
            used.add(name.casefold())
            return name


def _unique_slug(text: str, used: set[str]) -> str:
    base = slugify(text)
    slug, number = base, 2
    while slug in used:
        slug, number = f"{base}-{number}", number + 1
    used.add(slug)
    return slug


def _member_file(
    content: Path, rng: random.Random, name: str, slug: str, programmes: list[str]
) -> list[str]:
    """Write content/members/<slug>.yaml (and its logo: ~70% PNG, 20% SVG,
    10% none); returns the paths written, relative to content/."""
    region = rng.choice(model.REGIONS)
    sectors = rng.sample(model.SECTORS, rng.choice((1, 1, 2, 3)))
    size = rng.choice(model.SIZE_BANDS)
    town = rng.choice(_TOWNS[region])
    words = {"name": name, "size": size.replace("-", " to "), "town": town}
    words["what"] = _WHAT[sectors[0]]
    sentences = [_MEMBER_SENTENCES[0].format(**words)]
    for sentence in rng.sample(_MEMBER_SENTENCES[1:], rng.randrange(1, 5)):
        if len(" ".join([*sentences, sentence])) <= model.MEMBER_DESCRIPTION_MAX:
            sentences.append(sentence)
    lines = [
        f"name: {name}",
        f"sectors: [{', '.join(sectors)}]",
        f"region: {region}",
        f"city: {town}",
        f"website: https://{slug}.example",
        f"description: {' '.join(sentences)}",
        f"founded: {rng.randrange(1995, 2026)}",
        f"employees: {size}",
        f"business_model: {rng.choice(model.BUSINESS_MODELS)}",
        f"markets: [{', '.join(rng.sample(model.MARKETS, rng.choice((1, 2))))}]",
        f"member_since: {rng.randrange(2013, 2027)}",
    ]
    if programmes and rng.random() < 0.3:
        lines.append(f"programmes: [{rng.choice(programmes)}]")
    lines += ["contact:", f"  email: hello@{slug}.example"]
    if rng.random() < 0.5:
        lines += ["social:", f"  linkedin: https://www.linkedin.com/company/{slug}"]
    written = [f"members/{slug}.yaml"]
    kind = rng.random()
    if kind < 0.7:
        logo = f"{model.MEMBER_LOGO_FOLDER}/{slug}.png"
        _png_logo(content / logo, rng)
    elif kind < 0.9:
        logo = f"{model.MEMBER_LOGO_FOLDER}/{slug}.svg"
        _svg_logo(content / logo, rng)
    else:
        logo = None
    if logo:
        lines.append(f"logo: {logo}")
        written.append(logo)
    _write(content / "members" / f"{slug}.yaml", "\n".join(lines) + "\n")
    return written


def generate_members(content: Path, count: int, seed: int) -> list[str]:
    """Add ``count`` generated members to content/members/; their slugs."""
    rng = _rng(seed, "members")
    used_slugs = {p.stem for p in (content / "members").glob("*.yaml")}
    used_names = {n.casefold() for n in _member_names(content).values()}
    programmes = sorted(_programmes(content))
    slugs = []
    for _ in range(count):
        name = _company_name(rng, used_names)
        slug = _unique_slug(name, used_slugs)
        _member_file(content, rng, name, slug, programmes)
        slugs.append(slug)
    return slugs


# --- Posts ------------------------------------------------------------------------


class _Writer:
    """Makes the posts of one project: titles, headers from the content
    model's fields, and Markdown bodies."""

    def __init__(self, content: Path, rng: random.Random):
        self.content = content
        self.rng = rng
        self.programmes = _programmes(content)
        self.members = _member_names(content)
        self.used_slugs = {
            p.stem for s in model.SECTIONS for p in (content / s.folder).glob("*")
        }
        self.linkable: list[tuple[str, str]] = []  # (path under content/, title)

    def words(self) -> dict:
        rng = self.rng
        town = rng.choice(TOWNS)
        member, member2 = rng.sample(sorted(self.members), 2)
        programme = rng.choice(sorted(self.programmes))
        return {
            "town": town,
            "townslug": slugify(town),
            "topic": rng.choice(_TOPICS),
            "season": rng.choice(_SEASONS),
            "year": rng.randrange(2019, 2026),
            "programme": self.programmes[programme],
            "programme_slug": programme,
            "member": self.members[member],
            "member_slug": member,
            "member2": self.members[member2],
            "member2_slug": member2,
        }

    def title(self, templates, words: dict) -> tuple[str, str]:
        """(title, slug), the slug not used by any file yet."""
        for _ in range(50):
            title = _fill(self.rng.choice(templates), words)
            title = title[0].upper() + title[1:]
            if slugify(title) not in self.used_slugs:
                break
            words = {**words, **self.words()}
        slug = _unique_slug(title, self.used_slugs)
        return title, slug

    def value(self, section, fld, words, title, when, tags) -> str | None:
        """The header value of ``fld`` (None: leave the field out)."""
        name, kind, rng = fld.key, fld.kind, self.rng
        if name == "title":
            return title
        if name == "summary" or kind == model.SUMMARY:
            text = _fill(rng.choice(_SUMMARIES), words)
            limit = fld.max_length or model.SUMMARY_MAX
            while len(text) > limit:
                text = text.rsplit(" ", 1)[0].rstrip(",:;") + "."
            return text
        if kind == model.DATETIME:
            return when.strftime("%Y-%m-%d %H:%M")
        if kind == model.IMAGE:
            return FEATURED
        if name.endswith("_alt"):
            return FEATURED_ALT
        if kind == model.LIST:
            return ", ".join(tags)
        if kind == model.SLUGS and fld.vocabulary == "programmes":
            return words["programme_slug"]
        if kind == model.SLUGS and fld.vocabulary == "members":
            slugs = [words["member_slug"]]
            if rng.random() < 0.2:
                slugs.append(words["member2_slug"])
            return ", ".join(slugs)
        if name == "status" or (kind == model.CHOICE and "published" in fld.choices):
            return "published"
        if kind in (model.CHOICE, model.CHOICES):
            return rng.choice(fld.choices)
        if kind == model.TEXT:  # a place, say
            venue = rng.choice(("Kulturhuset", "Studiehuset", "Havnehallen"))
            return f"{venue}, {words['town']}"
        if kind == model.INTEGER:
            return str(rng.randrange(10, 200))
        if kind == model.YEAR:
            return str(words["year"])
        if kind == model.URL:
            return f"https://{words['townslug']}.example/{slugify(title)}"
        if kind == model.EMAIL:
            return f"events@{words['townslug']}.example"
        if kind == model.PHONE:
            return f"+45 00 00 {rng.randrange(10, 100)} {rng.randrange(10, 100)}"
        if fld.required:
            raise ValueError(
                f"sitegen: cannot make a value for {section.name}'s required "
                f"field {fld.name!r} of kind {fld.kind!r}"
            )
        return None

    def header(self, section: model.Section, words: dict, title: str) -> list[str]:
        rng = self.rng
        fields = {f.key: f for f in section.fields}
        wanted = [f for f in section.fields if f.required]
        # Of fields the section wants one of (an event's Venue or Online), the first.
        wanted += [fields[group[0].lower()] for group in section.one_of]
        optional = fields.get("programmes")
        if optional and not optional.required and rng.random() < 0.6:
            wanted.append(optional)
        for fld in list(wanted):  # a field that needs another brings it
            if fld.requires and fld.requires.lower() not in {w.key for w in wanted}:
                wanted.append(fields[fld.requires.lower()])
        wanted.sort(key=section.fields.index)
        start = datetime(2019, 1, 1, 8) + timedelta(
            days=rng.randrange(7 * 365), minutes=15 * rng.randrange(40)
        )
        tags = rng.sample(TAGS, 3)
        lines, when = [], start
        for fld in wanted:
            value = self.value(section, fld, words, title, when, tags)
            if fld.kind == model.DATETIME:  # later dates follow (start, end)
                when += timedelta(hours=rng.choice((2, 3, 24)))
            if value is not None:
                lines.append(f"{fld.name}: {value}")
        return lines

    def paragraph(self, words: dict, count: int) -> str:
        """``count`` sentences, none used before in this post."""
        return " ".join(_fill(self.deck.pop(), words) for _ in range(count))

    def body(self, words: dict) -> str:
        rng = self.rng
        self.deck = rng.sample(_SENTENCES, len(_SENTENCES))
        headings = rng.sample(_HEADINGS, 4)
        label, url = rng.choice(_EXTERNAL)
        external = f"[{label}]({_fill(url, words)})"
        links = rng.sample(self.linkable, min(2, len(self.linkable)))
        internal = [f"[{title}]({{filename}}/{path})" for path, title in links]
        items = [_fill(i, words) for i in rng.sample(_LIST_ITEMS, 4)]
        parts = [
            self.paragraph(words, 3),
            f"## {headings[0]}",
            self.paragraph(words, 3),
            f"{self.paragraph(words, 1)} Read more in {external}.",
            f"## {headings[1]}",
            self.paragraph(words, 1),
            "\n".join(f"- {item}" for item in items),
            self.paragraph(words, 2),
            f"## {headings[2]}",
            f"![{BODY_IMAGE_ALT}](/{BODY_IMAGE})",
            self.paragraph(words, 3),
            f"## {headings[3]}",
            self.paragraph(words, 2),
        ]
        if internal:
            parts.append(f"See also {' and '.join(internal)}.")
        return "\n\n".join(parts) + "\n"

    def post(self, section: model.Section, templates) -> str:
        """Write one post; its path relative to content/."""
        words = self.words()
        title, slug = self.title(templates, words)
        relative = f"{section.folder}/{slug}{section.suffix}"
        text = "\n".join(self.header(section, words, title)) + "\n\n"
        text += self.body(words)
        _write(self.content / relative, text)
        self.linkable.append((relative, title))
        return relative


_TITLES = {"news": _NEWS_TITLES, "showcases": _SHOWCASE_TITLES}


def generate_posts(content: Path, counts: dict[str, int], seed: int) -> dict:
    """Add generated posts to content/ ({section name: count}); returns
    {section name: [paths relative to content/]}. Members must exist first
    (showcases name them)."""
    writer = _Writer(content, _rng(seed, "posts"))
    posts: dict[str, list[str]] = {}
    for section in post_sections():
        templates = _TITLES.get(section.name, _EVENT_TITLES)
        posts[section.name] = [
            writer.post(section, templates) for _ in range(counts.get(section.name, 0))
        ]
    return posts


# --- The project folder ---------------------------------------------------------


_SETTINGS = """\
\"""Settings of a generated site (tests/sitegen.py).\"""
import os
import sys

sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa: E402,F403

_HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(_HERE, "content")
THEME = os.path.join(_HERE, "theme")
PLUGIN_PATHS = [{plugins!r}]
# A cache the project's settings place by an absolute path goes here instead.
if "cache_path" in RESPONSIVE_IMAGES:  # noqa: F405
    RESPONSIVE_IMAGES = {{
        **RESPONSIVE_IMAGES,  # noqa: F405
        "cache_path": os.path.join(_HERE, ".cache", "responsive_images"),
    }}
"""


def write_settings(project: Path, extra: str = "") -> Path:
    """The project's settings file: the project's pelicanconf.py with PATH,
    THEME and the caches pointed into ``project`` (paths relative to the
    settings file, so the file is the same wherever the project is), then
    the ``extra`` lines."""
    path = project / SETTINGS_NAME
    _write(path, _SETTINGS.format(root=str(ROOT), plugins=str(PLUGINS)) + extra)
    return path


def copy_project(project: Path) -> None:
    """Copy the project's content/ and theme/ into ``project``."""
    project.mkdir(parents=True, exist_ok=True)
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, project / name)


def generate(
    project: Path,
    *,
    news: int = DEFAULT_SIZES["news"],
    showcases: int = DEFAULT_SIZES["showcases"],
    events: int = DEFAULT_SIZES["events"],
    members: int = DEFAULT_SIZES["members"],
    seed: int = 1,
) -> Site:
    """Make a project folder at ``project`` (which must not exist or be
    empty): the project's content/ and theme/, ``members`` generated members
    on top of the sample ones, ``news``, ``showcases`` and ``events`` (only
    when the content model has an events section) generated posts, and the
    settings file. The same arguments give the same files."""
    project = Path(project)
    if project.exists() and any(project.iterdir()):
        raise FileExistsError(f"sitegen: {project} is not empty")
    copy_project(project)
    content = project / "content"
    for source, target in ((FEATURED_SOURCE, FEATURED), (BODY_SOURCE, BODY_IMAGE)):
        (content / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "content" / source, content / target)
    site = Site(project, seed)
    site.members = generate_members(content, members, seed)
    counts = {"news": news, "showcases": showcases, "events": events}
    site.posts = generate_posts(content, counts, seed)
    write_settings(project)
    return site


# --- Edits ------------------------------------------------------------------------


def _relative(project: Path, path: Path) -> str:
    return path.relative_to(project).as_posix()


def _pick(paths: list[Path], seed: int, stream: str) -> Path:
    if not paths:
        raise ValueError(f"sitegen: nothing to {stream}")
    return _rng(seed, stream).choice(sorted(paths))


def _posts(project: Path, section: str = "news") -> list[Path]:
    folder = model.SECTIONS_BY_NAME[section].folder
    return sorted((project / "content" / folder).glob("*.md"))


def _markdown_files(project: Path) -> list[Path]:
    return sorted((project / "content").rglob("*.md"))


def edit_news_post(project: Path, seed: int = 1) -> Edit:
    """Rewrite a sentence of one news post's body, as staff fix a text."""
    path = _pick(_posts(project), seed, "edit news")
    text = path.read_text("utf-8")
    head, body = text.split("\n\n", 1)
    rng = _rng(seed, "edit news text")
    sentence = _fill(
        rng.choice(_SENTENCES),
        {
            "town": rng.choice(TOWNS),
            "topic": rng.choice(_TOPICS),
            "programme": "Spilbar",
        },
    )
    paragraphs = body.split("\n\n")
    paragraphs.insert(1, f"Update {seed}: {sentence}")
    path.write_text(head + "\n\n" + "\n\n".join(paragraphs), "utf-8")
    relative = _relative(project, path)
    return Edit(f"edited the body of {relative}", changed=[relative])


def edit_member(project: Path, seed: int = 1) -> Edit:
    """Move one member to another town."""
    path = _pick(sorted((project / "content" / "members").glob("*.yaml")), seed, "m")
    text = path.read_text("utf-8")
    match = re.search(r"^city: *(.*)$", text, re.M)
    if not match:
        raise ValueError(f"sitegen: {path} has no city line")
    towns = [t for t in TOWNS if t != match[1].strip()]
    town = _rng(seed, "edit member town").choice(towns)
    text = text[: match.start(1)] + town + text[match.end(1) :]
    path.write_text(text, "utf-8")
    relative = _relative(project, path)
    return Edit(f"moved {relative} to {town}", changed=[relative])


def edit_template(project: Path, seed: int = 1) -> Edit:
    """Change the page template every page uses (an HTML comment before
    </body>, naming the seed: every page's bytes change)."""
    path = project / TEMPLATE
    text = path.read_text("utf-8")
    text = re.sub(rf"{re.escape(_TEMPLATE_MARK)} [^>]*-->\n", "", text)
    mark = f"{_TEMPLATE_MARK} {seed} -->\n"
    text = (
        text.replace("</body>", mark + "</body>", 1)
        if "</body>" in text
        else (text + mark)
    )
    path.write_text(text, "utf-8")
    return Edit(f"edited {TEMPLATE}", changed=[TEMPLATE])


def change_setting(project: Path, seed: int = 1) -> Edit:
    """Change the site's tagline (the default description of every page) in
    the settings file."""
    path = project / SETTINGS_NAME
    text = path.read_text("utf-8").split(_SETTING_MARK, 1)[0]
    topic = _rng(seed, "setting").choice(_TOPICS)
    text += (
        f"{_SETTING_MARK}\nSITE_TAGLINE = 'The Danish cluster for {topic} ({seed})'\n"
    )
    path.write_text(text, "utf-8")
    return Edit(f"changed SITE_TAGLINE in {SETTINGS_NAME}", changed=[SETTINGS_NAME])


def add_post(project: Path, seed: int = 1, section: str = "news") -> Edit:
    """Write a new post in ``section``."""
    content = project / "content"
    writer = _Writer(content, _rng(seed, f"add {section}"))
    writer.linkable = [
        (_relative(content, p), p.stem) for p in _posts(project, section)[:50]
    ]
    target = model.SECTIONS_BY_NAME[section]
    relative = writer.post(target, _TITLES.get(section, _EVENT_TITLES))
    return Edit(f"added content/{relative}", added=[f"content/{relative}"])


def _rewrite_links(project: Path, old: str, new: str | None) -> list[str]:
    """Point {filename} links at content/<old> to <new>; with ``new`` None,
    the link becomes its text. Returns the files changed."""
    pattern = re.compile(r"\[([^\]]*)\]\(\{filename\}/?" + re.escape(old) + r"\)")
    changed = []
    for path in _markdown_files(project):
        text = path.read_text("utf-8")
        replaced = pattern.sub(
            (lambda m: m[1]) if new is None else (rf"[\1]({{filename}}/{new})"), text
        )
        if replaced != text:
            path.write_text(replaced, "utf-8")
            changed.append(_relative(project, path))
    return changed


def rename_post(project: Path, seed: int = 1, section: str = "news") -> Edit:
    """Rename one post's file (its slug and URL), and the links to it."""
    content = project / "content"
    path = _pick(_posts(project, section), seed, f"rename {section}")
    target = path.with_name(f"{path.stem}-renamed-{seed}{path.suffix}")
    path.rename(target)
    old, new = _relative(content, path), _relative(content, target)
    changed = _rewrite_links(project, old, new)
    return Edit(
        f"renamed content/{old} to content/{new}",
        changed=changed,
        added=[f"content/{new}"],
        removed=[f"content/{old}"],
    )


def delete_post(project: Path, seed: int = 1, section: str = "news") -> Edit:
    """Delete one post; links to it become plain text."""
    content = project / "content"
    path = _pick(_posts(project, section), seed, f"delete {section}")
    path.unlink()
    old = _relative(content, path)
    changed = _rewrite_links(project, old, None)
    return Edit(f"deleted content/{old}", changed=changed, removed=[f"content/{old}"])


def add_member(project: Path, seed: int = 1) -> Edit:
    """Write a new member file (and its logo, if it gets one)."""
    content = project / "content"
    rng = _rng(seed, "add member")
    used_names = {n.casefold() for n in _member_names(content).values()}
    name = _company_name(rng, used_names)
    slug = _unique_slug(name, {p.stem for p in (content / "members").glob("*")})
    written = _member_file(content, rng, name, slug, sorted(_programmes(content)))
    added = [f"content/{p}" for p in written]
    return Edit(f"added {added[0]}", added=added)


def _member_pattern(slug: str) -> re.Pattern:
    """A Member: header naming ``slug``, or a link to its file."""
    slug = re.escape(slug)
    return re.compile(
        rf"^(member:.*?)(?<![\w-]){slug}(?![\w-])|members/{slug}\.yaml", re.I | re.M
    )


def _member_references(project: Path, slug: str) -> list[Path]:
    """Markdown files that name the member ``slug``."""
    pattern = _member_pattern(slug)
    return [p for p in _markdown_files(project) if pattern.search(p.read_text("utf-8"))]


def rename_member(project: Path, seed: int = 1) -> Edit:
    """Rename one member's file (its slug and URL); showcases naming it name
    the new slug."""
    members = project / "content" / "members"
    path = _pick(sorted(members.glob("*.yaml")), seed, "rename member")
    old = path.stem
    new = f"{old}-renamed-{seed}"
    path.rename(members / f"{new}.yaml")
    changed = []
    pattern = _member_pattern(old)
    for post in _markdown_files(project):
        text = post.read_text("utf-8")
        replaced = pattern.sub(
            lambda m: f"{m[1]}{new}" if m[1] else f"members/{new}.yaml", text
        )
        if replaced != text:
            post.write_text(replaced, "utf-8")
            changed.append(_relative(project, post))
    return Edit(
        f"renamed content/members/{old}.yaml to {new}.yaml",
        changed=changed,
        added=[f"content/members/{new}.yaml"],
        removed=[f"content/members/{old}.yaml"],
    )


def delete_member(project: Path, seed: int = 1) -> Edit:
    """Delete one member that no post names, with its logo."""
    content = project / "content"
    candidates = [
        p
        for p in sorted((content / "members").glob("*.yaml"))
        if not _member_references(project, p.stem)
    ]
    path = _pick(candidates, seed, "delete member")
    logo = _header_value(path.read_text("utf-8"), "logo")
    removed = [_relative(project, path)]
    path.unlink()
    if logo and (content / logo).is_file():
        (content / logo).unlink()
        removed.append(f"content/{logo}")
    return Edit(f"deleted {removed[0]}", removed=removed)


# Every edit, by name: each takes (project folder, seed) and returns an Edit.
EDITS = {
    "edit news post": edit_news_post,
    "edit member": edit_member,
    "edit template": edit_template,
    "change setting": change_setting,
    "add post": add_post,
    "rename post": rename_post,
    "delete post": delete_post,
    "add member": add_member,
    "rename member": rename_member,
    "delete member": delete_member,
}
