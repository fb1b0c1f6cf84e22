"""The member directory as data: members.json (with the JSON Schema that
describes it) and members.csv for partners, press and spreadsheets, and the
filter index the directory page's script reads.

Addresses are absolute, so the files can be used anywhere. Two builds of the
same content give the same bytes: "generated" is the build's SITE_NOW or,
without one, the newest date of the site's content.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import unicodedata
from datetime import datetime

from . import schema
from .directory import FACETS, values_of

# Spreadsheets run a cell that starts with one of these as a formula
# (OWASP "CSV injection"); such cells get a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # so that Excel reads the file as UTF-8 (æ, ø, å)
INDEX_EVENT = "members:index"  # see theme/static/js/members.js


def generated_at(settings: dict, context: dict) -> str:
    """When the data was published: SITE_NOW (environment, then setting),
    else the newest date or modification date of the site's articles."""
    value = os.environ.get("SITE_NOW") or settings.get("SITE_NOW") or ""
    if value:
        return datetime.fromisoformat(value).isoformat(timespec="seconds")
    dates = [
        getattr(item, "modified", None) or item.date
        for item in context.get("articles", [])
    ]
    newest = max(dates, default=None)
    return newest.isoformat(timespec="seconds") if newest else "1970-01-01T00:00:00Z"


def json_text(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def directory_json(records: list[dict], generated: str, schema_url: str | None):
    """members.json: format version, when, how many, and the records, one
    member per line (readable, diffable, and written by the json module's
    fast encoder: indenting every field of 2,000 members takes ten times
    longer)."""
    document = {"$schema": schema_url} if schema_url else {}
    document.update(version=schema.FORMAT_VERSION, generated=generated)
    document.update(count=len(records))
    head = json.dumps(document, ensure_ascii=False, indent=2)
    members = ",\n".join(
        "    " + json.dumps(record, ensure_ascii=False) for record in records
    )
    body = f"[\n{members}\n  ]" if records else "[]"
    return f'{head[:-2]},\n  "members": {body}\n}}\n'


def neutralise(cell: str) -> str:
    """'=HYPERLINK(...)' -> "'=HYPERLINK(...)": shown, never run."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def directory_csv(records: list[dict]) -> str:
    """One row per member, a header row, UTF-8 with a byte order mark."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.DictWriter(
        buffer, fieldnames=schema.csv_columns(), lineterminator="\r\n"
    )
    writer.writeheader()
    for record in records:
        row = schema.csv_row(record)
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return buffer.getvalue()


def search_text(*parts: str) -> str:
    """Lower case without accents ('Émile' -> 'emile'); the script folds
    what visitors type the same way. Æ, ø and å stay letters of their own."""
    text = unicodedata.normalize("NFKD", " ".join(parts).lower())
    if text.isascii():  # most of them: no accent to drop
        return text
    return "".join(c for c in text if not unicodedata.combining(c))


def filter_index(members: list) -> str:
    """The data the directory's script filters on, one row per card in the
    directory's order: slug, the text searched, then each filter's values.

    It is a script (run by members.js) rather than JSON fetched by it: the
    site's Content-Security-Policy allows scripts from the site, not fetch."""
    rows = [
        [
            member.slug,
            search_text(
                member.title, member.metadata["city"], member.metadata["description"]
            ),
            *(values_of(member, key) for key, _label in FACETS),
        ]
        for member in members
    ]
    data = json.dumps(
        {"facets": [key for key, _label in FACETS], "members": rows},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return (
        f'document.dispatchEvent(new CustomEvent("{INDEX_EVENT}",{{detail:{data}}}));\n'
    )


def fingerprinted(name: str, text: str) -> str:
    """'members/filter.js' -> 'members/filter.0a1b2c3d4e.js' (the hash of the
    content, like the theme's scripts, so it can be cached for ever)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    stem, ext = os.path.splitext(name)
    return f"{stem}.{digest}{ext}"


def write(output_path: str, name: str, text: str) -> None:
    path = os.path.join(output_path, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
