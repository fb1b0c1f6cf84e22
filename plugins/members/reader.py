"""Reads the YAML files of the member directory (content/members/<slug>.yaml)
as Pelican pages, validated against the members section of the content model.

The YAML is parsed with line numbers, so a problem is reported at its line,
and with every value as text (YAML's BaseLoader): staff get no surprises
from YAML turning 'no' into false or 2016 into a number. The fields are then
checked by the content model's own validation, exactly as Markdown headers are.
"""

from __future__ import annotations

import yaml
from markdown import Markdown
from pelican.readers import BaseReader

import build_errors
from content_model import SKIP, model, placement, read_source
from content_model.validate import Entry, Issue, check_links, validate_header

from .directory import FACETS

YAML_HINT = (
    "write one 'field: value' per line; put a value that contains ': ' or "
    "starts with a quote in double quotes; indent the lines under "
    "'description: |' and 'links:' by two spaces, never with tabs"
)


def parse_yaml(text: str) -> tuple[list[Entry], list[Issue]]:
    """The top-level fields of a YAML file with their line numbers, or the
    reason the file is not readable."""
    loader = yaml.BaseLoader(text)
    try:
        root = loader.get_single_node()
        if not isinstance(root, yaml.MappingNode):
            line = root.start_mark.line + 1 if root else None
            return [], [Issue(line, "file", "is not a set of fields", YAML_HINT)]
        entries = [
            Entry(
                str(loader.construct_object(key, deep=True)),
                loader.construct_object(value, deep=True),
                key.start_mark.line + 1,
            )
            for key, value in root.value
        ]
        return entries, []
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        return [], [Issue(line, "YAML", f"cannot be read: {err.problem}", YAML_HINT)]
    finally:
        loader.dispose()


def tidy(section: model.Section, entries: list[Entry]) -> None:
    """One-line fields written over several lines become one line again;
    only Markdown keeps its line breaks."""
    for entry in entries:
        field = section.field_named(entry.key)
        if isinstance(entry.value, str) and not (
            field and field.kind == model.MARKDOWN
        ):
            entry.value = " ".join(entry.value.split())


def markdown_converter(settings: dict) -> Markdown:
    """Markdown as the site's pages use it (MARKDOWN setting), without the
    meta extension: a description starting 'Founded: ...' is text."""
    config = settings.get("MARKDOWN", {})
    extension_configs = config.get("extension_configs", {})
    extensions = [
        name
        for name in [*config.get("extensions", []), *extension_configs]
        if name != "markdown.extensions.meta"
    ]
    return Markdown(
        extensions=list(dict.fromkeys(extensions)),
        extension_configs=extension_configs,
        output_format=config.get("output_format", "html5"),
    )


class MemberReader(BaseReader):
    """Pelican reader for the sections the content model writes in YAML."""

    enabled = True
    # '.yml' is read only to be refused with a clear message by read_source.
    file_extensions = ["yaml", "yml"]

    def __init__(self, settings):
        super().__init__(settings)
        self._markdown = markdown_converter(settings)

    def read(self, source_path):
        content_root = self.settings["PATH"]
        source = read_source(source_path, content_root)
        if source is None:
            return SKIP
        section, slug, text = source
        entries, issues = parse_yaml(text)
        if not issues:
            tidy(section, entries)
            values, issues = validate_header(section, slug, entries, content_root)
            issues += check_links(text, source_path, content_root)
        if slug in FACETS:
            issues.append(
                Issue(
                    None,
                    "file name",
                    f"{slug!r} is taken by the directory's {slug} filter "
                    f"(/{section.url.format(slug=slug)})",
                    f"name the file after the company, such as {slug}-studio.yaml",
                )
            )
        for issue in issues:
            build_errors.report(
                source_path, issue.line, issue.field, issue.message, issue.allowed
            )
        if issues:
            return SKIP

        self._markdown.reset()
        content = self._markdown.convert(values.pop("description", ""))
        status = values.pop("status", "published")
        title = values.pop("name")
        metadata = {
            **values,
            "title": title,
            "slug": slug,
            "status": status,
            "section": section.name,
        }
        metadata.update(placement(section, slug, status))
        return content, metadata
