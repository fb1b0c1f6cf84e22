"""Member logos at the size they are shown: in a card of the directory and
on the profile page.

A PNG or JPEG logo is resized (WebP) to at most twice the size it is shown
at, for sharp pictures on high-density screens without sending more pixels
than that; the image service (plugins/responsive_images) names, encodes,
caches and publishes the files. An SVG logo was checked by the content
model (an allowlist of inert drawing elements) and is published as it is.
Every logo gets the width and height it is shown at, so the page does not
jump while it loads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from content_model import model
from content_model.images import facts
from responsive_images import Images, images

# Where a logo is shown: the box it is fitted into, in CSS pixels. The CSS
# (.member-card__logo, .member__logo in site.css) reserves the same boxes.
BOXES = {"card": (96, 64), "profile": (192, 128)}
DENSITY = 2  # resized to at most twice the size shown
# Of the resized logos, in the output: members/logos/.
OUTPUT_FOLDER = f"{model.MEMBERS.listing_url}logos"


@dataclass(frozen=True)
class LogoImage:
    path: str  # in the output folder, such as members/logos/192.0a1b2c3d4e.webp
    width: int  # shown at, in CSS pixels
    height: int


def fit(width: float, height: float, box: tuple[int, int]) -> tuple[int, int]:
    """The size of a width x height picture scaled to fit in ``box``."""
    scale = min(box[0] / width, box[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


class Logos:
    """The logos of one build: what each member shows."""

    def __init__(self, content_root: str, service: Images):
        self.content_root = content_root
        self.service = service

    @classmethod
    def of_build(cls, settings: dict) -> Logos | None:
        service = images()
        return cls(settings["PATH"], service) if service else None

    def for_member(self, metadata: dict) -> dict[str, LogoImage]:
        """{'card': LogoImage, 'profile': LogoImage}, or {} without a logo."""
        relative = metadata.get("logo")
        if not relative:
            return {}
        size = (metadata["logo_width"], metadata["logo_height"])
        if metadata["logo_type"] == "image/svg+xml":
            return {
                name: LogoImage(relative, *fit(*size, box))
                for name, box in BOXES.items()
            }
        path = os.path.join(self.content_root, relative)
        found = facts(path, relative)
        logos = {}
        for name, box in BOXES.items():
            shown = fit(found.width, found.height, box)
            # Never enlarged: a small logo is sent at its own size.
            width = min(found.width, shown[0] * DENSITY)
            # Short (the directory names 2,000 of them, relative to itself:
            # "logos/192.<hash>.webp"), with the hash just before .webp as
            # deploy/nginx.conf caches such files for ever.
            name_in_site = f"{OUTPUT_FOLDER}/{width}.{found.digest[:10]}.webp"
            item = self.service.sized(path, found, width, name_in_site)
            logos[name] = LogoImage(item.name, *shown)
        return logos
