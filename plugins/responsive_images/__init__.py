"""Responsive images: every content image (featured images and images in the
text) is served as a WebP srcset with width and height, lazy-loaded below the
first image of the page.

- While Pelican reads the content, images in the body of each Markdown file
  are checked (alt text, a JPEG/PNG/WebP file under content/).
- When the build is finished, every HTML page's <img> tags that point at a
  content image are rewritten (see rewrite.py) and the WebP derivatives are
  written, reusing those cached by content hash (see derivatives.py).

Settings: RESPONSIVE_IMAGES (one dict, defaults in settings.DEFAULTS), PATH,
SITEURL.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import unquote, urlsplit

from pelican import contents, signals

import build_errors

from . import derivatives
from .checks import check_body_images, line_of
from .rewrite import rewrite_page
from .settings import check_settings

log = logging.getLogger(__name__)


class ResponsiveImages:
    """State of one build: the checked configuration and the images used."""

    def __init__(self):
        self.config: dict | None = None
        self.content_root = ""
        self.siteurl = ""

    def initialize(self, pelican):
        settings = pelican.settings
        setting = check_settings(settings)
        config = setting.values
        self.content_root = os.path.abspath(settings["PATH"])
        self.siteurl = settings.get("SITEURL", "").rstrip("/")
        if not setting.problems:
            reserved = os.path.join(self.content_root, config["output_dir"])
            if os.path.exists(reserved):
                setting.refuse(
                    "output_dir",
                    "rename the folder in content/ or set another output_dir",
                    problem=f"content/{config['output_dir']} exists, but that "
                    "folder of the output holds the resized images",
                )
            cache_path = config["cache_path"]
            if not os.path.isabs(cache_path):
                # Relative to the project folder (the one holding content/).
                config["cache_path"] = os.path.join(
                    os.path.dirname(self.content_root), cache_path
                )
        self.config = config if setting.report() else None

    def check_content(self, instance):
        """Report every problem with the images in one file's text."""
        if self.config is None or isinstance(instance, contents.Static):
            return
        source_path = getattr(instance, "source_path", None)
        html = getattr(instance, "_content", None)
        if not source_path or not html or "<img" not in html:
            return
        for problem in check_body_images(html, source_path, self.content_root):
            build_errors.report(
                source_path,
                line_of(source_path, problem.src),
                problem.field,
                problem.message,
                problem.allowed,
            )

    def resolve(self, src: str, used: dict) -> derivatives.SourceImage | None:
        """The content image a built page's src points at, or None."""
        if self.siteurl and src.startswith(self.siteurl + "/"):
            src = src[len(self.siteurl) :]
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return None
        relative = unquote(parts.path).lstrip("/")
        path = os.path.normpath(os.path.join(self.content_root, relative))
        if not path.startswith(self.content_root + os.sep) or not os.path.isfile(path):
            return None
        if path not in used:
            try:
                used[path] = derivatives.inspect(path, self.config)
            except (ValueError, OSError):
                used[path] = None  # not a raster image we resize (an SVG logo)
        return used[path]

    def finish(self, pelican):
        """Rewrite every built page, then write the derivatives it uses."""
        if self.config is None:
            return
        output = pelican.output_path
        used: dict[str, derivatives.SourceImage | None] = {}
        for folder, _dirs, files in os.walk(output):
            for name in files:
                if name.endswith(".html"):
                    self._rewrite_file(os.path.join(folder, name), used)
        sources = [source for source in used.values() if source is not None]
        encoded, reused = derivatives.write_all(
            sources, output, self.config["cache_path"], self.config["quality"]
        )
        log.info(
            "responsive_images: %d images, %d derivatives encoded, %d from the cache",
            len(sources),
            encoded,
            reused,
        )

    def _rewrite_file(self, path: str, used: dict) -> None:
        with open(path, encoding="utf-8", newline="") as handle:
            text = handle.read()
        if "<img" not in text:
            return
        rewritten = rewrite_page(
            text,
            lambda src: self.resolve(src, used),
            self.siteurl,
            self.config["sizes"],
        )
        if rewritten != text:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(rewritten)


_plugin = ResponsiveImages()


def register():
    signals.initialized.connect(_plugin.initialize)
    signals.content_object_init.connect(_plugin.check_content)
    signals.finalized.connect(_plugin.finish)
