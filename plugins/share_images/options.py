"""The SHARE_IMAGES setting: defaults merged in and every value checked when
Pelican starts, so a typo fails the build at once with the plugin's name and
the offending value (as pelican-plugins/sitemap does)."""

from __future__ import annotations

import re

SETTING = "SHARE_IMAGES"
DEFAULTS = {
    # The picture of pages without a featured image (path under content/).
    "default": "images/brand/default-share.png",
    # What that picture shows; no default, a preview image needs its alt text.
    "default_alt": "",
    # The organisation's logo (path under content/): JSON-LD, feed images.
    "logo": "images/brand/interactive-denmark-logo.png",
    # The size Facebook, LinkedIn, X, Mastodon and Bluesky all crop to.
    "width": 1200,
    "height": 630,
    # Bluesky refuses preview images of 1 MB or more.
    "max_bytes": 1_000_000,
    # Where the share images are written in the output.
    "folder": "share",
}
TEXTS = ("default", "default_alt", "logo", "folder")
PATHS = ("default", "logo", "folder")
NUMBERS = {"width": 200, "height": 200, "max_bytes": 50_000}  # key: minimum

# A fediverse account as Mastodon shows it: @name@server.example
FEDIVERSE_HANDLE = re.compile(
    r"@[A-Za-z0-9_][A-Za-z0-9_.-]*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"
)


def _name(key: str) -> str:
    return f"{SETTING}[{key!r}]"


def _relative_path_problem(value: str) -> str | None:
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "http:", "https:")) or ".." in parts:
        return "must be a path inside the content folder"
    return None


def read_options(settings: dict) -> dict:
    """SHARE_IMAGES with defaults merged in; raise ValueError naming every
    bad value. FEDIVERSE_CREATOR (a site setting that only link previews
    use) is checked here too."""
    given = settings.get(SETTING, {})
    if not isinstance(given, dict):
        raise ValueError(f"share_images: {SETTING} must be a dict, not {given!r}")
    problems = []
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        problems.append(
            f"{SETTING} has unknown keys {', '.join(map(repr, unknown))}; "
            f"known keys: {', '.join(DEFAULTS)}"
        )
    options = {**DEFAULTS, **given}
    for key in TEXTS:
        value = options[key]
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{_name(key)} must be a non-empty text, not {value!r}")
        elif key in PATHS and (problem := _relative_path_problem(value)):
            problems.append(f"{_name(key)} {problem}, not {value!r}")
    for key, minimum in NUMBERS.items():
        value = options[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            problems.append(
                f"{_name(key)} must be a whole number of at least {minimum}, "
                f"not {value!r}"
            )
    creator = settings.get("FEDIVERSE_CREATOR", "")
    if creator and not (
        isinstance(creator, str) and FEDIVERSE_HANDLE.fullmatch(creator)
    ):
        problems.append(
            "FEDIVERSE_CREATOR must be empty or an account such as "
            f"'@interactivedenmark@mastodon.social', not {creator!r}"
        )
    if problems:
        raise ValueError("share_images: " + "; ".join(problems))
    return options
