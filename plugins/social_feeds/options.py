"""The SOCIAL_FEEDS setting: defaults merged in and every value checked when
the build starts, errors prefixed with the plugin's name and the offending
value (as pelican-plugins/sitemap does)."""

from __future__ import annotations

SETTING = "SOCIAL_FEEDS"
DEFAULTS = {
    # FEED_MAX_ITEMS of the issue: how many of the newest items a feed holds.
    "max_items": 30,
    # Longest summary in characters: a social post's text. Longer summaries
    # are cut at a word and end with an ellipsis.
    "summary_length": 280,
    # Where feeds and the /feeds/ page are written in the output.
    "folder": "feeds",
}
MINIMUMS = {"max_items": 1, "summary_length": 40}


def read_options(settings: dict) -> dict:
    """SOCIAL_FEEDS with defaults merged in; raise ValueError naming every
    bad value at once."""
    given = settings.get(SETTING, {})
    if not isinstance(given, dict):
        raise ValueError(f"social_feeds: {SETTING} must be a dict, not {given!r}")
    problems = []
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        problems.append(
            f"{SETTING} has unknown keys {', '.join(map(repr, unknown))}; "
            f"known keys: {', '.join(DEFAULTS)}"
        )
    options = {**DEFAULTS, **given}
    for key, minimum in MINIMUMS.items():
        value = options[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            problems.append(
                f"{SETTING}[{key!r}] must be a whole number of at least {minimum}, "
                f"not {value!r}"
            )
    folder = options["folder"]
    if (
        not isinstance(folder, str)
        or not folder.strip("/")
        or folder.startswith(("/", "http:", "https:"))
        or ".." in folder.split("/")
    ):
        problems.append(
            f"{SETTING}['folder'] must be a folder inside the output, such as "
            f"'feeds', not {folder!r}"
        )
    if problems:
        raise ValueError("social_feeds: " + "; ".join(problems))
    options["folder"] = folder.strip("/")
    return options
