"""A Python-Markdown extension: pictures in the text become responsive while
Markdown is converted. Each ``![alt](/images/...)`` is checked (a
description, a JPEG, PNG or WebP file under content/: pictures from other
sites would tell them about our visitors) and gets its srcset, sizes, width
and height from the image service; the first picture of a page without a
featured image loads at once, every later one lazily.

The content reader (content_model) gives the Markdown object a
``conversion`` (content_model.convert.Conversion): the file being read, and
where the problems found and the pictures used go; the attributes are added
through it after the HTML policy has judged what staff wrote. Markdown
converted any other way is left as it is.

Enabled in pelicanconf.py's MARKDOWN setting as
"responsive_images.markdown:ImagesExtension".
"""

from __future__ import annotations

import os
import re
from urllib.parse import unquote, urlsplit

from markdown import Extension
from markdown.treeprocessors import Treeprocessor, UnescapeTreeprocessor

import site_build
from content_model.images import facts
from content_model.validate import nearest_files

EXAMPLE = "![What the photo shows](images/news/my-photo.jpg)"
# The width of a picture in <div class="gallery"> (site.css: three across
# the 42rem text column of a wide screen, else one column), so a browser
# fetches the size it shows.
GALLERY_SIZES = "(min-width: 44rem) 13.5rem, calc(100vw - 2rem)"
_LINK_PREFIX = re.compile(
    r"^(\{(static|filename|attach)\}|\|(static|filename|attach)\|)"
)


_UNESCAPE = UnescapeTreeprocessor()


def _shown(src: str) -> str:
    """A picture's address as messages quote it: at most 200 characters."""
    return src if len(src) <= 200 else src[:200] + "..."


class ImagesExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's name)
        # After the inline patterns (priority 20) have made the <img> elements
        # and attr_list (8) has set what "{: src=... alt=...}" gives them, so
        # the picture checked is the picture published.
        md.treeprocessors.register(ImagesTreeprocessor(md), "responsive_images", 7.5)


class ImagesTreeprocessor(Treeprocessor):
    def run(self, root):
        conversion = getattr(self.md, "conversion", None)
        if conversion is None:
            return None
        from . import images

        service = images()
        first = conversion.first_picture_eager
        in_gallery = {
            id(img)
            for div in root.iter("div")
            if "gallery" in (div.get("class") or "").split()
            for img in div.iter("img")
        }
        judged: dict[tuple[str, bool], tuple[str, str] | None] = {}
        for img in root.iter("img"):
            # Backslash escapes (conference\-2026.jpg) as Markdown restores
            # them later (its "unescape" treeprocessor, priority 0): the
            # address checked is the address published.
            src = _UNESCAPE.unescape(img.get("src") or "")
            img.set("src", src)
            added: dict[str, str] = {}
            described = bool((img.get("alt") or "").strip())
            if (src, described) not in judged:  # each address judged and told once
                problem = judged[src, described] = self._problem(img, src, conversion)
                if problem:
                    conversion.problem(_shown(src), "image", *problem)
            if judged[src, described]:
                conversion.mark(img, added)
                continue
            relative = self._relative(src, conversion)
            if src == relative:  # written from content/: the address from the root
                img.set("src", "/" + src)
            path = os.path.join(conversion.content_root, relative)
            picture = service.picture(path, relative) if service else None
            if picture is not None:
                added["srcset"] = picture.srcset(service.url)
                added["sizes"] = (
                    GALLERY_SIZES if id(img) in in_gallery else service.config["sizes"]
                )
                added["width"] = str(picture.width)
                added["height"] = str(picture.height)
                conversion.pictures.append(relative)
            if first:
                added["fetchpriority"] = "high"
                first = False
            else:
                added.update(loading="lazy", decoding="async")
            conversion.mark(img, added)
        return None

    @staticmethod
    def _relative(src: str, conversion) -> str:
        """The path under content/ of a picture's src: from content/ with a
        leading / or, as in a header's Image field, from the images folder
        (images/news/photo.jpg); else beside the file."""
        path = unquote(urlsplit(_LINK_PREFIX.sub("", src.strip())).path)
        if path.startswith("/"):
            return os.path.normpath(path.lstrip("/")).replace(os.sep, "/")
        folder = os.path.dirname(conversion.relative_path)
        beside = os.path.normpath(os.path.join(folder, path)).replace(os.sep, "/")
        rooted = os.path.normpath(path).replace(os.sep, "/")
        root = conversion.content_root
        # Both places count: a picture saved later at either is found (the
        # converted text is remembered with the files it looked at).
        s = site_build.session()
        s.depends(os.path.join(root, beside))
        s.depends(os.path.join(root, rooted))
        if not os.path.exists(os.path.join(root, beside)) and os.path.exists(
            os.path.join(root, rooted)
        ):
            return rooted
        return beside

    def _problem(self, img, src: str, conversion) -> tuple[str, str] | None:
        """(message, what to do) for a picture that cannot be published."""
        shown = _shown(src)
        if not (img.get("alt") or "").strip():
            return (
                f"{shown!r} has no description (alt text)",
                f"describe what it shows between the brackets: {EXAMPLE}",
            )
        parts = urlsplit(_LINK_PREFIX.sub("", src.strip()))
        relative = self._relative(src, conversion)
        if (
            parts.scheme
            or parts.netloc
            or relative.startswith("..")
            or os.path.isabs(relative)
        ):
            return (
                f"{shown!r} is not a file under content/ (images from other sites "
                "would tell them about our visitors)",
                f"save the image under content/images/ and link it: {EXAMPLE}",
            )
        path = os.path.join(conversion.content_root, relative)
        site_build.session().depends(path)
        if not os.path.isfile(path):
            # Names near it beside the file or from content/ (the one rule).
            rooted = os.path.normpath(unquote(parts.path).lstrip("/"))
            near = nearest_files(relative, conversion.content_root) or (
                ""
                if rooted.startswith("..")
                else nearest_files(rooted.replace(os.sep, "/"), conversion.content_root)
            )
            return (f"{shown!r} does not exist in content/{near}", EXAMPLE)
        real = os.path.realpath(path)
        if not real.startswith(os.path.realpath(conversion.content_root) + os.sep):
            return (f"{shown!r} is a link to a file outside content/", EXAMPLE)
        found = facts(path, relative)
        if found.problem:
            return (
                f"{shown!r} {found.problem.removeprefix(f'file {relative!r} ')}",
                EXAMPLE,
            )
        if found.type not in ("image/jpeg", "image/png", "image/webp"):
            kind = found.type.split("/")[-1].upper()
            return (
                f"{shown!r} is a {kind} image; use a JPEG, PNG or WebP file",
                EXAMPLE,
            )
        return None
