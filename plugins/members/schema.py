"""The published shape of a member, derived from the one schema in code: the
members section of the content model (content_model/model.py,
MEMBER_FIELDS).

From those fields come the JSON Schema of members.json, the JSON record of
each member, the CSV columns and the table of fields in the writing guide
(docs/writing-guide.md; a test keeps it in step with :func:`field_table`,
which ``PYTHONPATH=plugins python -m members`` prints).
A new field in the model shows up in all of them.
"""

from __future__ import annotations

from content_model import model
from content_model.slugs import SLUG_RE

FIELDS = tuple(f for f in model.MEMBER_FIELDS if f.key != "status")  # public
FORMAT_VERSION = 1  # of members.json: bump when a field changes or goes
SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"
LIST_SEPARATOR = "; "  # between several values in one CSV cell

_URI = {"type": "string", "format": "uri", "pattern": "^https?://"}
_KIND_SCHEMAS = {
    model.TEXT: {"type": "string", "minLength": 1},
    model.URL: _URI,
    model.LOGO: _URI,  # the absolute address of the logo file
    model.EMAIL: {"type": "string", "format": "email"},
    model.PHONE: {"type": "string", "pattern": r"^\+?[0-9][0-9 ()-]{4,}[0-9]$"},
    model.YEAR: {"type": "integer", "minimum": 1800, "maximum": 2999},
    model.LIST: {"type": "array", "items": {"type": "string", "minLength": 1}},
    model.SLUGS: {
        "type": "array",
        "items": {"type": "string", "pattern": SLUG_RE.pattern},
    },
}


def field_schema(field: model.Field) -> dict:
    """The JSON Schema of one field's value, when it is given."""
    kind = field.kind
    if kind == model.SUMMARY:
        schema = {"type": "string", "minLength": 1, "maxLength": field.max_length}
    elif kind == model.CHOICE:
        schema = {"enum": list(field.choices)}
    elif kind == model.CHOICES:
        schema = {
            "type": "array",
            "minItems": 1 if field.required else 0,
            "uniqueItems": True,
            "items": {"enum": list(field.choices)},
        }
    elif kind in (model.MAPPING, model.RECORDS):
        schema = object_schema(field.parts)
        if kind == model.RECORDS:
            schema = {"type": "array", "items": schema}
    else:
        schema = dict(_KIND_SCHEMAS[kind])
    return {"description": field.help, **schema}


def object_schema(fields) -> dict:
    """An object of these fields, all present: null (or an empty list) when
    the member file leaves an optional one out."""
    properties = {}
    for field in fields:
        schema = field_schema(field)
        if not field.required and not is_list(field):
            schema = {
                "description": schema.pop("description"),
                "anyOf": [
                    schema,
                    {"type": "null"},
                ],
            }
        properties[field.key] = schema
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.key for f in fields],
        "properties": properties,
    }


def is_list(field: model.Field) -> bool:
    return field.kind in (model.CHOICES, model.LIST, model.SLUGS, model.RECORDS)


def empty(field: model.Field):
    return [] if is_list(field) else None


def record_schema() -> dict:
    schema = object_schema(FIELDS)
    schema["properties"] = {
        "slug": {
            "description": "the file name, content/members/<slug>.yaml",
            "type": "string",
            "pattern": SLUG_RE.pattern,
        },
        "url": {"description": "the member's page on our site", **_URI},
        **schema["properties"],
    }
    schema["required"] = list(schema["properties"])
    return schema


def directory_schema(schema_url: str) -> dict:
    """The JSON Schema of members.json."""
    return {
        "$schema": SCHEMA_DRAFT,
        "$id": schema_url,
        "title": "Interactive Denmark member directory",
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "generated", "count", "members"],
        "properties": {
            "$schema": {"type": "string", "format": "uri"},
            "version": {
                "description": "the version of this format; a new version "
                "changes or removes fields",
                "const": FORMAT_VERSION,
            },
            "generated": {
                "description": "when the data was published (ISO 8601)",
                "type": "string",
                "format": "date-time",
            },
            "count": {"type": "integer", "minimum": 0},
            "members": {"type": "array", "items": record_schema()},
        },
    }


def _value(field: model.Field, value, absolute):
    if value is None:
        return empty(field)
    if field.kind == model.LOGO:
        return absolute(value)
    if field.kind == model.MAPPING:
        return {part.key: value.get(part.key, empty(part)) for part in field.parts}
    if field.kind == model.RECORDS:
        return [
            _value(model.Field("", model.MAPPING, parts=field.parts), v, absolute)
            for v in value
        ]
    return list(value) if is_list(field) else value


def member_record(member, absolute) -> dict:
    """One member as a JSON object; every key is present."""
    metadata = member.metadata
    record = {"slug": member.slug, "url": absolute(member.url)}
    for field in FIELDS:
        value = member.title if field.key == "name" else metadata.get(field.key)
        record[field.key] = _value(field, value, absolute)
    return record


# --- CSV ---------------------------------------------------------------------


def csv_columns() -> list[str]:
    """A column per field; a column per part of a mapping (contact_email);
    the notable works in one column."""
    columns = ["slug", "url"]
    for field in FIELDS:
        if field.kind == model.MAPPING:
            columns += [f"{field.key}_{part.key}" for part in field.parts]
        else:
            columns.append(field.key)
    return columns


def csv_row(record: dict) -> dict[str, str]:
    """A JSON record as text cells; lists are joined with '; ', a notable
    work is written 'Title (2021) https://...'."""
    row = {"slug": record["slug"], "url": record["url"]}
    for field in FIELDS:
        value = record[field.key]
        if field.kind == model.MAPPING:
            for part in field.parts:
                row[f"{field.key}_{part.key}"] = _text((value or {}).get(part.key))
        elif field.kind == model.RECORDS:
            row[field.key] = LIST_SEPARATOR.join(
                " ".join(
                    filter(None, (work["title"], f"({work['year']})", work["url"]))
                )
                for work in value
            )
        elif isinstance(value, list):
            row[field.key] = LIST_SEPARATOR.join(value)
        else:
            row[field.key] = _text(value)
    return row


def _text(value) -> str:
    return "" if value is None else str(value)


# --- The writing guide's table ----------------------------------------------------

_KIND_WORDS = {
    model.TEXT: "text",
    model.SUMMARY: "plain text",
    model.URL: "web address",
    model.LOGO: "file",
    model.EMAIL: "e-mail address",
    model.PHONE: "telephone number",
    model.YEAR: "year",
    model.CHOICE: "one of",
    model.CHOICES: "one or more of",
    model.SLUGS: "list of programme file names",
    model.LIST: "list of words",
    model.MAPPING: "fields",
    model.RECORDS: "list of items with the fields",
}


def _allowed(field: model.Field) -> str:
    words = _KIND_WORDS[field.kind]
    if field.choices:
        return f"{words} " + ", ".join(f"`{c}`" for c in field.choices)
    if field.parts:
        return f"{words} " + ", ".join(
            f"`{p.name}`" + (" (required)" if p.required else "") for p in field.parts
        )
    return words


def field_table() -> str:
    """The Markdown table of member fields in docs/writing-guide.md."""
    lines = [
        "| Field | Required | Value | What to write |",
        "| --- | --- | --- | --- |",
    ]
    for field in model.MEMBER_FIELDS:
        required = "yes" if field.required else "no"
        lines.append(
            f"| `{field.name}` | {required} | {_allowed(field)} | {field.help} |"
        )
    return "\n".join(lines) + "\n"
