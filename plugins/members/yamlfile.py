"""Reads a member file's YAML safely, keeping the line of every value.

The file is walked event by event (libyaml's parser when it is installed),
so that:

- every value keeps its line, for messages such as ``x.yaml:7: region: ...``;
- every value stays text as written (no YAML 1.1 surprises such as ``no``
  turning into false, or ``0012`` into 10): the content model converts;
- anchors, aliases and tags are refused before anything is built from them,
  so no ``!!python/...`` tag can run code and no alias "bomb" (a few lines
  that expand to billions of values) can exhaust the build.

The result is what the content model validates: a list of
:class:`~content_model.validate.Entry`, with a YAML mapping as
:class:`~content_model.validate.Mapping` and a YAML list as a plain list of
entries keyed by position (1, 2, ...).
"""

from __future__ import annotations

import yaml

from content_model.validate import HIDDEN_FIX, Entry, Issue, Mapping, hidden_character

Parser = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

SYNTAX_HINT = (
    "write one 'field: value' per line; put a value that contains ': ' or "
    "starts with a quote, '-', '[', '{', '&', '*' or '!' in double quotes; "
    "indent with spaces, never tabs"
)
# A member file is a set of fields, some holding a list of sets of fields:
# three levels. Deeper is a mistake (or an attempt to exhaust the build).
MAX_DEPTH = 6
NO_REFERENCES = (
    "write the value out in full: member files use no anchors (&), aliases (*) "
    "or tags (!)"
)


class _Events:
    """The parser's events with one event of lookahead."""

    def __init__(self, text: str):
        self._events = yaml.parse(text, Loader=Parser)
        self.current = next(self._events)

    def advance(self):
        event = self.current
        self.current = next(self._events, None)
        return event


def _line(event) -> int:
    return event.start_mark.line + 1


def _skip(events: _Events) -> None:
    """Pass over the value starting at the current event, however deep."""
    depth = 0
    while True:
        event = events.advance()
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            depth += 1
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            depth -= 1
        if depth <= 0:
            return


def _build(events: _Events, issues: list[Issue], field: str, depth: int = 0):
    """The value starting at the current event: str, list or Mapping."""
    if depth > MAX_DEPTH:
        issues.append(
            Issue(
                _line(events.current),
                field or "file",
                f"is nested more than {MAX_DEPTH} levels deep",
                "member files hold fields, lists and lists of fields: write "
                "them as the writing guide shows",
            )
        )
        _skip(events)
        return ""
    event = events.advance()
    if isinstance(event, yaml.AliasEvent):
        issues.append(
            Issue(_line(event), field, f"uses the alias *{event.anchor}", NO_REFERENCES)
        )
        return ""
    if event.anchor:
        issues.append(
            Issue(
                _line(event), field, f"sets the anchor &{event.anchor}", NO_REFERENCES
            )
        )
    if event.tag is not None:
        issues.append(
            Issue(_line(event), field, f"has the tag {event.tag!r}", NO_REFERENCES)
        )
    if isinstance(event, yaml.ScalarEvent):
        hidden = hidden_character(event.value)
        if hidden:  # written as an escape ("\x1b"), or it would not be here
            issues.append(
                Issue(
                    _line(event),
                    field or "field name",
                    f"contains {hidden[1]} (written as an escape)",
                    HIDDEN_FIX,
                )
            )
        return event.value
    if isinstance(event, yaml.SequenceStartEvent):
        items = []
        while not isinstance(events.current, yaml.SequenceEndEvent):
            line = _line(events.current)
            key = str(len(items) + 1)
            items.append(
                Entry(key, _build(events, issues, f"{field}[{key}]", depth + 1), line)
            )
        events.advance()
        return items
    mapping = Mapping()
    while not isinstance(events.current, yaml.MappingEndEvent):
        key_event = events.current
        key = _build(events, issues, field or "field name", depth + 1)
        line = _line(key_event)
        if not isinstance(key, str):
            issues.append(
                Issue(
                    line,
                    field or "field name",
                    "has a field name that is not a word",
                    "write field names as plain words, such as 'city'",
                )
            )
            key = ""
        name = f"{field}.{key}" if field and key else key or field
        mapping.append(Entry(key, _build(events, issues, name, depth + 1), line))
    events.advance()
    return mapping


def parse_member_yaml(text: str) -> tuple[Mapping, list[Issue]]:
    """The fields of a member file with their lines, or why it cannot be read.
    The file must hold one YAML mapping (``field: value`` lines)."""
    issues: list[Issue] = []
    try:
        events = _Events(text)
        events.advance()  # the stream's start
        if isinstance(events.current, yaml.StreamEndEvent):
            return Mapping(), [_not_fields(1, "holds no fields, only comments")]
        events.advance()  # the document's start
        first = events.current
        root = _build(events, issues, "")
        events.advance()  # the document's end
        if isinstance(events.current, yaml.DocumentStartEvent):
            issues.append(
                Issue(
                    _line(events.current),
                    "file",
                    "holds a second YAML document (after a '---' line)",
                    "keep one member per file and remove the '---' line",
                )
            )
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        where = f" at column {mark.column + 1}" if mark else ""
        problem = error.problem or error.context or "is not valid YAML"
        return Mapping(), [
            Issue(line, "YAML", f"syntax error{where}: {problem}", SYNTAX_HINT)
        ]
    except yaml.YAMLError as error:  # such as a character YAML does not read
        return Mapping(), [
            Issue(None, "YAML", f"cannot be read ({error})", SYNTAX_HINT)
        ]
    if not isinstance(root, Mapping):
        kind = "a list" if isinstance(root, list) else "a single value"
        return Mapping(), [_not_fields(_line(first), f"is {kind}, not a set of fields")]
    return root, issues


def _not_fields(line: int, message: str) -> Issue:
    return Issue(
        line,
        "file",
        message,
        "write one 'field: value' line per field, starting with 'name: ...'",
    )
