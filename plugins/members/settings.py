"""The plugin's one setting, MEMBERS: where the exports are written.

Defaults are merged in and every value is checked when the build starts (see
plugin_settings for how problems are reported), so a typo in pelicanconf.py
stops the build with a message instead of silently publishing nothing.
"""

from __future__ import annotations

import posixpath

from content_model import model
from plugin_settings import PluginSetting

_FOLDER = model.MEMBERS.listing_url  # members/, where the directory is
DEFAULTS = {
    # File names in the output, relative to the site root; "" turns one off.
    "json": f"{_FOLDER}members.json",
    "csv": f"{_FOLDER}members.csv",
    "schema": f"{_FOLDER}members.schema.json",
}
ENDINGS = {"json": ".json", "csv": ".csv", "schema": ".json"}


def check_settings(settings: dict) -> PluginSetting:
    """MEMBERS of Pelican's settings, checked."""
    setting = PluginSetting(settings, "MEMBERS", "members", DEFAULTS)
    for key, ending in ENDINGS.items():
        name = setting.values[key]
        if name == "":
            continue
        if (
            not isinstance(name, str)
            or not name.endswith(ending)
            or name.startswith("/")
            or ".." in posixpath.normpath(name).split("/")
        ):
            setting.refuse(
                key,
                f"a file name ending in {ending!r} inside the output folder, "
                "or '' for none",
            )
    return setting
