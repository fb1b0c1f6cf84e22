"""One namespaced dict setting of a plugin, read the same way by every plugin.

Not a Pelican plugin: a helper the plugins import. A plugin's settings module
builds a :class:`PluginSetting` from Pelican's settings and its ``DEFAULTS``
(which refuses a value that is not a dict and keys it does not know, with the
nearest known name), runs the small checks below and its own, and the plugin
calls :meth:`PluginSetting.report` when the build starts. Every problem goes
to ``build_errors`` like a content problem, so it is listed with all the
other problems of the run, the build exits non-zero and the previous output
stays in place. Each problem reads (as pelican-plugins/sitemap's do)::

    pelicanconf.py: SOCIAL_FEEDS['max_items']: social_feeds: invalid value '30':
    a whole number of at least 1

A refused value is replaced by its default, so the plugin can go on through
the run (and other problems are still found) without meeting a bad value.
"""

from __future__ import annotations

import difflib
import os

import build_errors
from build_errors import Problem


def settings_file(settings: dict) -> str:
    """Where staff change plugin settings: pelicanconf.py beside the content
    folder (publishconf.py imports it); the path of every settings problem."""
    content = settings.get("PATH")
    if not content:
        return "pelicanconf.py"
    return os.path.join(os.path.dirname(os.path.abspath(content)), "pelicanconf.py")


class PluginSetting:
    """The setting ``name`` of ``plugin`` in Pelican's ``settings``, with the
    ``defaults`` merged in: ``values`` (always usable) and ``problems``.

    A value that is not a dict, and every key not in ``defaults``, is a
    problem from the start; the checks below and the plugin's own add more.
    """

    def __init__(self, settings: dict, name: str, plugin: str, defaults: dict):
        self.name = name
        self.plugin = plugin
        self.defaults = defaults
        self.path = settings_file(settings)
        self.problems: list[Problem] = []
        given = settings.get(name)
        if given is None:
            given = {}
        if not isinstance(given, dict):
            self.problem(
                name,
                f"the setting must be a dict, not {given!r}",
                f"write {name} = {{'key': value, ...}} with the keys "
                f"{', '.join(defaults)}",
            )
            given = {}
        lowercase = {str(key).lower(): key for key in defaults}
        for key in given:
            if key not in defaults:
                close = difflib.get_close_matches(str(key).lower(), lowercase, n=1)
                hint = f"did you mean {lowercase[close[0]]!r}? " if close else ""
                self.problem(
                    self.field(key),
                    f"unknown key {key!r}",
                    f"{hint}known keys: {', '.join(defaults)}",
                )
        known = {key: value for key, value in given.items() if key in defaults}
        self.values = {**defaults, **known}

    def field(self, key: str) -> str:
        return f"{self.name}[{key!r}]"

    def problem(self, field: str, message: str, allowed: str) -> None:
        """Record a problem with ``field`` (this setting's key, or another
        setting the plugin reads); the message starts with the plugin."""
        self.problems.append(
            Problem(self.path, None, field, f"{self.plugin}: {message}", allowed)
        )

    def refuse(self, key: str, allowed: str, *, problem: str = "") -> None:
        """values[key] is bad: say so (by default 'invalid value <repr>') and
        put the default in its place."""
        value = self.values[key]
        self.problem(self.field(key), problem or f"invalid value {value!r}", allowed)
        self.values[key] = self.defaults[key]

    def whole_number(
        self, key: str, minimum: int, maximum: int | None = None, allowed: str = ""
    ) -> None:
        """An int (not a bool) from ``minimum`` to ``maximum`` (if given)."""
        value = self.values[key]
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < minimum
            or (maximum is not None and value > maximum)
        ):
            if not allowed:
                allowed = (
                    f"a whole number from {minimum} to {maximum}"
                    if maximum is not None
                    else f"a whole number of at least {minimum}"
                )
            self.refuse(key, allowed)

    def text(self, key: str, allowed: str = "a non-empty text") -> None:
        value = self.values[key]
        if not isinstance(value, str) or not value.strip():
            self.refuse(key, allowed)

    def relative_path(self, key: str, inside: str) -> None:
        """A path inside the ``inside`` folder ("content" or "output"): not
        absolute, not a URL, no '..'. A trailing / is dropped."""
        value = self.values[key]
        if isinstance(value, str):
            parts = value.replace("\\", "/").split("/")
            if (
                value.strip("/").strip()
                and not value.startswith(("/", "\\", "http:", "https:"))
                and ".." not in parts
            ):
                self.values[key] = value.rstrip("/")
                return
        self.refuse(
            key,
            f"a path inside the {inside} folder, such as {self.defaults[key]!r}",
        )

    def https_url(self, key: str, optional: bool = False) -> None:
        value = self.values[key]
        if optional and value is None:
            return
        if not (isinstance(value, str) and value.startswith("https://")):
            self.refuse(key, "an https:// URL" + (" or None" if optional else ""))

    def report(self) -> bool:
        """Send every problem to build_errors (the run fails when it has
        read everything); True when there was none."""
        for problem in self.problems:
            build_errors.report(
                problem.path,
                problem.line,
                problem.field,
                problem.message,
                problem.allowed,
            )
        return not self.problems
