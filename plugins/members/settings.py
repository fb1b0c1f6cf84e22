"""The plugin's one setting, MEMBERS: where the exports are written.

Defaults are merged in and every value is checked when Pelican starts, so a
typo in pelicanconf.py stops the build with a message instead of silently
publishing nothing.
"""

from __future__ import annotations

import posixpath

DEFAULTS = {
    # File names in the output, relative to the site root; "" turns one off.
    "json": "members.json",
    "csv": "members.csv",
    "schema": "members.schema.json",
}
ENDINGS = {"json": ".json", "csv": ".csv", "schema": ".json"}


def problems(value) -> list[str]:
    """Every problem with a MEMBERS setting, each prefixed 'members: '."""
    if not isinstance(value, dict):
        return [f"members: MEMBERS must be a dict, not {value!r}"]
    found = []
    for key in value:
        if key not in DEFAULTS:
            found.append(
                f"members: MEMBERS has no setting {key!r}; "
                f"the settings are {', '.join(map(repr, DEFAULTS))}"
            )
    for key, ending in ENDINGS.items():
        name = value.get(key, DEFAULTS[key])
        if name == "":
            continue
        if (
            not isinstance(name, str)
            or not name.endswith(ending)
            or name.startswith("/")
            or ".." in posixpath.normpath(name).split("/")
        ):
            found.append(
                f"members: MEMBERS[{key!r}] must be a file name ending in "
                f"{ending!r} inside the output folder, or '' for none, "
                f"not {name!r}"
            )
    return found


def members_settings(settings: dict) -> dict:
    """MEMBERS from the settings with the defaults merged in; raises
    ValueError listing every problem."""
    value = settings.get("MEMBERS", {})
    found = problems(value)
    if found:
        raise ValueError("\n".join(found))
    return {**DEFAULTS, **value}
