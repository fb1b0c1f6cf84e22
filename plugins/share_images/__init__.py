"""Share images: the picture every page shows when its link is shared.

Each page previews with its featured image cropped to 1200 x 630 (the size
every network crops to) and kept under 1 MB; pages without one use a branded
default. An article's featured image is also cropped to 16:9, 4:3 and 1:1
for its structured data (``share_images.ratios(article)``). Templates call
``share_images.for_item(article or page)`` (the meta partial does); the
feeds plugin uses the same images for enclosures.

Setting: SHARE_IMAGES (see settings.py). Pictures named in it are checked like
featured images; featured images themselves were checked by the content model.
"""

from __future__ import annotations

import os

from pelican import signals
from pelican.generators import Generator

import build_errors
import site_build
from content_model.validate import check_image

from .images import ShareImage, ShareImages
from .render import TooLarge
from .settings import check_settings

__all__ = ["ShareImage", "ShareImages", "check_settings"]

CONTEXT_KEY = "share_images"


class ShareImagesGenerator(Generator):
    """Puts the share images into the context and renders them early, so a
    problem is reported with the other content problems of the run."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        setting = check_settings(self.settings)
        self.settings_ok = setting.report()
        self.options = setting.values
        self.images = ShareImages(
            {**self.settings, "OUTPUT_PATH": self.output_path}, self.options
        )
        self.context[CONTEXT_KEY] = self.images

    def generate_context(self):
        files_ok = self._settings_files_ok()
        if not (self.settings_ok and files_ok):
            return
        items = [
            item
            for key in ("articles", "drafts", "pages", "hidden_pages", "draft_pages")
            for item in self.context.get(key, [])
        ]
        articles = self.context.get("articles", []) + self.context.get("drafts", [])
        self.images.render_ahead(items, articles)
        self._render(None, lambda: self.images.default)
        for item in items:
            self._render(item, lambda item=item: self.images.for_item(item))
        for item in articles:
            self._render(item, lambda item=item: self.images.ratios(item))

    def _settings_files_ok(self) -> bool:
        content_root = self.settings["PATH"]
        ok = True
        for key in ("default", "logo"):
            relative = self.options[key]
            _info, problem = check_image(relative, content_root)
            if problem:
                ok = False
                build_errors.report(
                    os.path.join(content_root, relative),
                    None,
                    f"SHARE_IMAGES[{key!r}]",
                    problem,
                    "add the picture, or point the setting in pelicanconf.py at a "
                    "JPEG, PNG or WebP file under content/",
                )
        return ok

    def _render(self, item, make) -> None:
        try:
            make()
        except TooLarge as err:
            source = getattr(item, "source_path", None) or self.options["default"]
            build_errors.report(
                source,
                None,
                "Image",
                f"the share image cannot be made smaller than the limit ({err})",
                "use a less detailed picture",
            )


def get_generators(_pelican):
    return ShareImagesGenerator


def reserve(pelican):
    folder = check_settings(pelican.settings).values["folder"]
    site_build.session().reserve(f"{folder}/", "the link-preview pictures")


def register():
    signals.initialized.connect(reserve)
    signals.get_generators.connect(get_generators)
