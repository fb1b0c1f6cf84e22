"""The SHARE_IMAGES setting: defaults merged in and every value checked when
the build starts (see plugin_settings for how problems are reported)."""

from __future__ import annotations

import re

from plugin_settings import PluginSetting

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
NUMBERS = {"width": 200, "height": 200, "max_bytes": 50_000}  # key: minimum

# A fediverse account as Mastodon shows it: @name@server.example
FEDIVERSE_HANDLE = re.compile(
    r"@[A-Za-z0-9_][A-Za-z0-9_.-]*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"
)


def check_settings(settings: dict) -> PluginSetting:
    """SHARE_IMAGES of Pelican's settings, checked. FEDIVERSE_CREATOR (a site
    setting that only link previews use) is checked here too."""
    setting = PluginSetting(settings, "SHARE_IMAGES", "share_images", DEFAULTS)
    setting.text("default_alt")
    setting.relative_path("default", inside="content")
    setting.relative_path("logo", inside="content")
    setting.relative_path("folder", inside="output")
    for key, minimum in NUMBERS.items():
        setting.whole_number(key, minimum)
    creator = settings.get("FEDIVERSE_CREATOR", "")
    if creator and not (
        isinstance(creator, str) and FEDIVERSE_HANDLE.fullmatch(creator)
    ):
        setting.problem(
            "FEDIVERSE_CREATOR",
            f"invalid value {creator!r}",
            "empty, or an account such as '@interactivedenmark@mastodon.social'",
        )
    return setting
