"""The RESPONSIVE_IMAGES setting: defaults merged in and every value checked
when the build starts; each problem names the plugin and the value's repr (as
pelican-plugins/sitemap does)."""

from __future__ import annotations

import difflib
import os
import re

DEFAULTS = {
    # Widths (CSS pixels of the rendered file) of the WebP derivatives; a
    # source narrower than a width gets its own width as the largest instead.
    "widths": (480, 800, 1200, 1600),
    "quality": 80,  # WebP quality, 1-100
    # `sizes` of images whose markup sets none: the width of the text column.
    "sizes": "(min-width: 44rem) 42rem, calc(100vw - 2rem)",
    # Folder in the output that holds the derivatives (reserved: content/
    # must not have a folder of that name).
    "output_dir": "images/sized",
    # Derivatives are kept here by content hash, so rebuilds reuse them.
    "cache_path": os.path.join(".cache", "responsive_images"),
}

PREFIX = "responsive_images"
_FOLDER = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_-]+)*$")


def settings_file(settings) -> str:
    """Where staff change the setting: pelicanconf.py beside content/
    (publishconf.py imports it), for the path of error messages."""
    return os.path.join(
        os.path.dirname(os.path.abspath(settings["PATH"])), "pelicanconf.py"
    )


def _problem(key, message, allowed):
    return (f"RESPONSIVE_IMAGES[{key!r}]", f"{PREFIX}: {message}", allowed)


def check_settings(value) -> tuple[dict, list[tuple[str, str, str]]]:
    """(merged config, problems); each problem is (field, message, allowed)."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        return dict(DEFAULTS), [
            (
                "RESPONSIVE_IMAGES",
                f"{PREFIX}: the setting must be a dict, not {value!r}",
                "write RESPONSIVE_IMAGES = {'widths': (480, 800, 1200), ...}",
            )
        ]
    problems = []
    for key in value:
        if key not in DEFAULTS:
            close = difflib.get_close_matches(str(key), DEFAULTS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(
                _problem(
                    key,
                    f"unknown key {key!r}",
                    f"{hint}known keys: {', '.join(DEFAULTS)}",
                )
            )
    config = {**DEFAULTS, **value}
    widths = config["widths"]
    if (
        not isinstance(widths, (list, tuple))
        or not widths
        or not all(type(w) is int and 16 <= w <= 8000 for w in widths)
        or list(widths) != sorted(set(widths))
    ):
        problems.append(
            _problem(
                "widths",
                f"invalid value {widths!r}",
                "whole numbers of pixels from 16 to 8000, ascending, such as "
                "(480, 800, 1200, 1600)",
            )
        )
    quality = config["quality"]
    if type(quality) is not int or not 1 <= quality <= 100:
        problems.append(
            _problem(
                "quality", f"invalid value {quality!r}", "a whole number from 1 to 100"
            )
        )
    sizes = config["sizes"]
    if not isinstance(sizes, str) or not sizes.strip() or '"' in sizes:
        problems.append(
            _problem(
                "sizes",
                f"invalid value {sizes!r}",
                "an HTML sizes attribute value, such as "
                "'(min-width: 44rem) 42rem, 100vw'",
            )
        )
    output_dir = config["output_dir"]
    if not isinstance(output_dir, str) or not _FOLDER.match(output_dir):
        problems.append(
            _problem(
                "output_dir",
                f"invalid value {output_dir!r}",
                "a relative folder of lowercase letters, digits, - and _, such as "
                "'images/sized'",
            )
        )
    cache_path = config["cache_path"]
    if not isinstance(cache_path, str) or not cache_path:
        problems.append(
            _problem("cache_path", f"invalid value {cache_path!r}", "a folder path")
        )
    return config, problems
