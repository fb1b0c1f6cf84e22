"""The SOCIAL_FEEDS setting: defaults merged in and every value checked when
the build starts (see plugin_settings for how problems are reported)."""

from __future__ import annotations

from plugin_settings import PluginSetting

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


def check_settings(settings: dict) -> PluginSetting:
    """SOCIAL_FEEDS of Pelican's settings, checked."""
    setting = PluginSetting(settings, "SOCIAL_FEEDS", "social_feeds", DEFAULTS)
    for key, minimum in MINIMUMS.items():
        setting.whole_number(key, minimum)
    setting.relative_path("folder", inside="output")
    return setting
