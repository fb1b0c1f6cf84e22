"""The member directory for partners' programs and spreadsheets: members.json
(with a JSON Schema that describes it) and members.csv.

Addresses are absolute, so the files can be used anywhere. The JSON carries
identifiers (sector and region ids, programme slugs) plus the labels of the
vocabularies once; the CSV is for people, so it carries the labels.
"""

from __future__ import annotations

import csv
import io
import json
import os

from content_model import model

from .directory import MEMBERS

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"
LIST_SEPARATOR = "; "  # between several sectors or programmes in a CSV cell
NETWORKS = MEMBERS.field_named("links").choices

_TEXT = {"type": "string", "minLength": 1}
_URI = {"type": "string", "format": "uri", "pattern": "^https?://"}
_YEAR = {"type": ["integer", "null"], "minimum": 1800}
# The JSON Schema of one member record: the one description of its keys, from
# which the schema's required list and the CSV's columns are derived.
RECORD_PROPERTIES = {
    "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
    "name": _TEXT,
    "summary": {**_TEXT, "maxLength": model.SUMMARY_MAX},
    "url": _URI,
    "homepage": _URI,
    "logo": {"anyOf": [_URI, {"type": "null"}]},
    "city": _TEXT,
    "region": {"enum": list(model.REGIONS)},
    "sectors": {
        "type": "array",
        "minItems": 1,
        "uniqueItems": True,
        "items": {"enum": list(model.SECTORS)},
    },
    "founded": _YEAR,
    "member_since": _YEAR,
    "email": {"type": ["string", "null"], "format": "email"},
    "links": {
        "type": "object",
        "additionalProperties": False,
        "properties": {n: _URI for n in NETWORKS},
    },
    "programmes": {"type": "array", "items": {"type": "string"}},
}
# The links get a column per network.
CSV_COLUMNS = [k for k in RECORD_PROPERTIES if k != "links"] + list(NETWORKS)


def member_record(member, absolute) -> dict:
    """One member as a JSON object; every key is present (null when unset)."""
    meta = member.metadata
    logo = meta.get("logo")
    return {
        "id": member.slug,
        "name": member.title,
        "summary": meta["summary"],
        "url": absolute(member.url),
        "homepage": meta["homepage"],
        "logo": absolute(logo) if logo else None,
        "city": meta["city"],
        "region": meta["region"],
        "sectors": list(meta["sectors"]),
        "founded": meta.get("founded"),
        "member_since": meta.get("member_since"),
        "email": meta.get("email"),
        "links": dict(meta.get("links", {})),
        "programmes": list(meta.get("programmes", [])),
    }


def vocabularies(t) -> dict:
    """Labels of the ids the records use, in the site's language."""
    return {
        "sectors": {s: t(f"sector_{s}") for s in model.SECTORS},
        "regions": {r: t(f"region_{r}") for r in model.REGIONS},
        "links": {n: t(f"social_{n}") for n in NETWORKS},
    }


def directory_json(records: list[dict], t, schema_url: str | None) -> str:
    document = {"$schema": schema_url} if schema_url else {}
    document.update(count=len(records), vocabularies=vocabularies(t), members=records)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def directory_csv(records: list[dict], t, programme_titles: dict) -> str:
    """One row per member; several values in one cell are joined by '; '."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        row = {k: v for k, v in record.items() if k in CSV_COLUMNS}
        row.update(
            region=t(f"region_{record['region']}"),
            sectors=LIST_SEPARATOR.join(t(f"sector_{s}") for s in record["sectors"]),
            programmes=LIST_SEPARATOR.join(
                programme_titles.get(p, p) for p in record["programmes"]
            ),
            **record["links"],
        )
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()


def directory_schema(schema_url: str) -> str:
    """A JSON Schema of members.json, derived from the content model."""
    record = {
        "type": "object",
        "additionalProperties": False,
        "required": list(RECORD_PROPERTIES),
        "properties": RECORD_PROPERTIES,
    }

    def labels(ids):
        return {
            "type": "object",
            "additionalProperties": False,
            "required": list(ids),
            "properties": {i: _TEXT for i in ids},
        }

    schema = {
        "$schema": SCHEMA_DRAFT,
        "$id": schema_url,
        "title": "Interactive Denmark member directory",
        "type": "object",
        "required": ["count", "vocabularies", "members"],
        "properties": {
            "$schema": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
            "vocabularies": {
                "type": "object",
                "required": ["sectors", "regions", "links"],
                "properties": {
                    "sectors": labels(model.SECTORS),
                    "regions": labels(model.REGIONS),
                    "links": labels(NETWORKS),
                },
            },
            "members": {"type": "array", "items": record},
        },
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write(output_path: str, name: str, text: str) -> None:
    path = os.path.join(output_path, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def write_exports(output_path: str, options: dict, context: dict, site, t) -> None:
    """Write the exports MEMBERS asks for (see settings.py)."""
    records = [member_record(m, site.absolute) for m in context["members"]]
    schema_url = site.absolute(options["schema"]) if options["schema"] else None
    if options["json"]:
        write(output_path, options["json"], directory_json(records, t, schema_url))
    if options["schema"]:
        write(output_path, options["schema"], directory_schema(schema_url))
    if options["csv"]:
        titles = {p.slug: p.title for p in context.get("programmes", [])}
        write(output_path, options["csv"], directory_csv(records, t, titles))
