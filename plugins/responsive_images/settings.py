"""The RESPONSIVE_IMAGES setting: defaults merged in and every value checked
when the build starts (see plugin_settings for how problems are reported)."""

from __future__ import annotations

import re

from plugin_settings import PluginSetting

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
}

_FOLDER = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_-]+)*$")


def check_settings(settings: dict) -> PluginSetting:
    """RESPONSIVE_IMAGES of Pelican's settings, checked."""
    setting = PluginSetting(
        settings, "RESPONSIVE_IMAGES", "responsive_images", DEFAULTS
    )
    widths = setting.values["widths"]
    if (
        not isinstance(widths, (list, tuple))
        or not widths
        or not all(type(w) is int and 16 <= w <= 8000 for w in widths)
        or list(widths) != sorted(set(widths))
    ):
        setting.refuse(
            "widths",
            "whole numbers of pixels from 16 to 8000, ascending, such as "
            "(480, 800, 1200, 1600)",
        )
    setting.whole_number("quality", 1, 100)
    sizes = setting.values["sizes"]
    if not isinstance(sizes, str) or not sizes.strip() or '"' in sizes:
        setting.refuse(
            "sizes",
            "an HTML sizes attribute value, such as '(min-width: 44rem) 42rem, 100vw'",
        )
    output_dir = setting.values["output_dir"]
    if not isinstance(output_dir, str) or not _FOLDER.match(output_dir):
        setting.refuse(
            "output_dir",
            "a relative folder of lowercase letters, digits, - and _, such as "
            "'images/sized'",
        )
    return setting
