"""Responsive images: every content picture (featured images, pictures in
the text, member logos) is served as WebP files at the widths it is shown
at, offered in a srcset with its width and height, and lazy-loaded below the
first picture of the page.

One image service per build (:class:`Images`, reached with
:func:`images`): it plans the derivatives of a picture from its facts
(content_model.images: kind, size, hash), names them by the picture's hash
(so they can be cached for ever), and at the end of the build writes every
derivative that pages use, linked from the previous release when unchanged
and otherwise encoded once and kept in the build cache. Nothing rewrites a
finished page: templates read a content object's ``picture`` (set here when
it is created), and pictures in the text get their srcset while Markdown is
converted (markdown.py).

Settings: RESPONSIVE_IMAGES (one dict, defaults in settings.DEFAULTS),
SITEURL.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor

from pelican import contents, signals

import site_build
from content_model.images import RASTER_TYPES, facts
from site_build.cache import digest
from site_build.parallel import FORK_GATE

from . import derivatives
from .derivatives import Derivative, SourceImage
from .settings import check_settings

log = logging.getLogger(__name__)
SERVICE = "responsive_images"  # the service's name in the session's memo
OWNER = "the image service (plugins/responsive_images)"


class Images:
    """The pictures of one build and the derivatives its pages use."""

    def __init__(self, settings: dict, config: dict):
        self.config = config
        self.content_root = os.path.realpath(settings["PATH"])
        self.siteurl = settings.get("SITEURL", "").rstrip("/")
        self.planned: dict[str, tuple[str, Derivative, str]] = {}
        self.started: set[str] = set()  # planned names set to work (start)
        self.encoding: list = []  # (derivatives, future of their bytes)
        self.pool: ThreadPoolExecutor | None = None

    def url(self, path: str) -> str:
        return f"{self.siteurl}/{path}"

    def picture(self, path: str, shown: str) -> SourceImage | None:
        """The responsive set of a JPEG, PNG or WebP file (None for another
        kind or a file with problems: the content model reports those)."""
        found = facts(path, shown)
        if found.problem or found.type not in RASTER_TYPES.values():
            return None
        image = derivatives.plan(
            path, found, tuple(self.config["widths"]), self.config["output_dir"]
        )
        for item in image.derivatives:
            self.planned[item.name] = (path, item, found.digest)
        return image

    def sized(self, path: str, found, width: int, name: str) -> Derivative:
        """One derivative of ``width`` pixels, named ``name`` (member logos)."""
        item = derivatives.derivative(found, width, name)
        self.planned[item.name] = (path, item, found.digest)
        return item

    def start(self) -> None:
        """Set to work on every planned derivative not yet under way: linked
        from the previous release when unchanged, taken from the build cache,
        or encoded by threads in the background (Pillow lets go of the
        interpreter while it decodes and encodes), so the encoding uses the
        core that reading and writing pages leave free. Each picture is
        decoded once for all its sizes."""
        s = site_build.session()
        quality = self.config["quality"]
        missing: dict[str, list] = {}  # picture -> its derivatives to encode
        for name in sorted(self.planned.keys() - self.started):
            self.started.add(name)
            path, item, source = self.planned[name]
            key = s.key("webp", name, source, item.width, item.height, quality)
            reused = s.reuse(name, key, OWNER)
            if reused and not s.cache.pruning:
                continue
            cached = digest(
                source,
                str(item.width),
                str(item.height),
                str(quality),
                derivatives.ENCODER_VERSION,
            )
            if reused:  # the copy in the release is this entry's: in use
                s.cache.holds("webp", cached)
                continue
            data = s.cache.get("webp", cached)
            if data is None:
                missing.setdefault((path, source), []).append((name, item, key, cached))
            else:
                s.write(name, data, OWNER, key)
        if not missing:
            return
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2)
            s.on_close(lambda: self.pool.shutdown(cancel_futures=True))

        def encode(path: str, source: str, jobs: list) -> list[bytes]:
            with FORK_GATE.working():
                img = derivatives.load(path, source)
                made = []
                for _name, item, _key, cached in jobs:
                    data = derivatives.encode(img, item.width, item.height, quality)
                    s.cache.put("webp", cached, data)
                    made.append(data)
                return made

        for (path, source), jobs in missing.items():
            self.encoding.append((jobs, self.pool.submit(encode, path, source, jobs)))

    def publish(self) -> tuple[int, int]:
        """Every planned derivative into the site; (encoded, reused)."""
        self.start()
        s = site_build.session()
        encoded = 0
        for jobs, future in self.encoding:
            made = future.result()  # ChangedWhileBuilding fails the build
            for (name, _item, key, _cached), data in zip(jobs, made, strict=True):
                s.write(name, data, OWNER, key)
                encoded += 1
        self.encoding = []
        return encoded, len(self.planned) - encoded


def images() -> Images | None:
    """This build's image service (None when its settings have problems)."""
    return site_build.session().memo.get(SERVICE)


def initialize(pelican):
    settings = pelican.settings
    setting = check_settings(settings)
    config = setting.values
    content_root = os.path.abspath(settings["PATH"])
    if not setting.problems:
        reserved = os.path.join(content_root, config["output_dir"])
        if os.path.exists(reserved):
            setting.refuse(
                "output_dir",
                "rename the folder in content/ or set another output_dir",
                problem=f"content/{config['output_dir']} exists, but that "
                "folder of the output holds the resized images",
            )
    if setting.report():
        s = site_build.session()
        s.memo[SERVICE] = Images(settings, config)
        s.reserve(f"{config['output_dir']}/", "the resized pictures")


def add_pictures(instance):
    """A content object's featured image as a responsive set (``picture``),
    and the pictures of its text planned for publishing."""
    service = images()
    if service is None or isinstance(instance, contents.Static):
        return
    root = service.content_root
    image = instance.metadata.get("image")
    if image:
        instance.picture = service.picture(os.path.join(root, image), image)
    for path in instance.metadata.get("body_images", ()):
        service.picture(os.path.join(root, path), path)


def add_filters(generator):
    def srcset(picture) -> str:
        service = images()
        return picture.srcset(service.url) if picture and service else ""

    def largest(picture) -> str:
        service = images()
        return service.url(picture.largest.name) if picture and service else ""

    generator.env.filters["srcset"] = srcset
    generator.env.filters["largest"] = largest


def start(_generators):
    """Every picture of the site is planned once all content is read: the
    encoding starts while the pages are written."""
    service = images()
    if service is not None and not site_build.session().check_only:
        service.start()


def publish(_pelican):
    service = images()
    if service is not None:
        encoded, reused = service.publish()
        log.info("responsive_images: %d derivatives encoded, %d kept", encoded, reused)


def register():
    signals.initialized.connect(initialize)
    signals.content_object_init.connect(add_pictures)
    signals.generator_init.connect(add_filters)
    signals.all_generators_finalized.connect(start)
    signals.finalized.connect(publish)
