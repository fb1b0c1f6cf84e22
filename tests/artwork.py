"""The sample site's stills and screenshots, drawn here (we hold the rights to
no real ones): pixel-art screenshots of Nordlys Pixelworks' game Lantern
Tides and painted stills of Havørn Animation's short film Saltvand, both
plainly fictional works of the sample members.

    .venv/bin/python tests/artwork.py     # writes them into content/images/showcases/

The same code gives the same files (a fixed seed for each picture);
tests/test_artwork.py checks that the committed files are what it draws.
"""

from __future__ import annotations

import io
import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "content" / "images" / "showcases"

# The brand's colours, and the night and dusk tones the works are drawn in.
NAVY = (11, 31, 58)
NIGHT = (6, 14, 32)
TEAL = (15, 111, 111)
TEAL_LIGHT = (25, 165, 165)
CORAL = (255, 90, 78)
SAND = (244, 239, 230)
AURORA = (80, 220, 170)
AMBER = (255, 196, 92)


def _mix(a, b, share: float):
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))


# --- Lantern Tides: pixel art, drawn at 320 x 180 and scaled up 5 times -----


def _pixel_scene(seed: int, sky_top, sky_low, sea, aurora: bool, lanterns: int):
    rng = random.Random(seed)
    width, height, horizon = 320, 180, 112
    img = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)
    for y in range(horizon):  # the sky in bands, as pixel art draws gradients
        band = (y // 8) * 8 / horizon
        draw.line([(0, y), (width, y)], fill=_mix(sky_top, sky_low, band))
    for _ in range(70):  # stars
        x, y = rng.randrange(width), rng.randrange(horizon - 30)
        draw.point((x, y), fill=SAND if rng.random() < 0.7 else AMBER)
    if aurora:
        for band in range(3):
            base = 22 + band * 9
            for x in range(0, width, 2):
                wave = round(6 * math.sin((x + band * 40) / 23))
                for dy in range(4):
                    shade = _mix(sky_top, AURORA, 0.55 - band * 0.15 - dy * 0.1)
                    draw.point((x, base + wave + dy), fill=shade)
                    draw.point((x + 1, base + wave + dy), fill=shade)
    for _ in range(4):  # islands on the horizon
        left = rng.randrange(-20, width - 40)
        span = rng.randrange(40, 90)
        rise = rng.randrange(8, 22)
        for x in range(span):
            top = horizon - round(rise * (1 - abs(2 * x / span - 1)) ** 0.7)
            draw.line(
                [(left + x, top), (left + x, horizon)], fill=_mix(NIGHT, sea, 0.3)
            )
    for y in range(horizon, height):  # the sea, lighter rows of waves
        depth = (y - horizon) / (height - horizon)
        draw.line([(0, y), (width, y)], fill=_mix(sea, NIGHT, depth * 0.6))
        if y % 6 == 0:
            for x in range(rng.randrange(6), width, rng.randrange(14, 22)):
                draw.line([(x, y), (x + 5, y)], fill=_mix(sea, SAND, 0.35))
    # The ferry: hull, cabin, mast and the lantern with its glow on the water.
    bx, by = 150 + rng.randrange(-40, 40), 132
    draw.polygon(
        [(bx, by), (bx + 44, by), (bx + 38, by + 9), (bx + 5, by + 9)], fill=SAND
    )
    draw.rectangle([bx + 14, by - 10, bx + 30, by], fill=CORAL)
    draw.rectangle([bx + 17, by - 7, bx + 20, by - 4], fill=AMBER)
    draw.rectangle([bx + 24, by - 7, bx + 27, by - 4], fill=AMBER)
    draw.line([(bx + 36, by), (bx + 36, by - 24)], fill=SAND)
    for radius, share in ((9, 0.25), (6, 0.5), (3, 1.0)):
        draw.ellipse(
            [bx + 36 - radius, by - 28 - radius, bx + 36 + radius, by - 28 + radius],
            fill=_mix(sky_low, AMBER, share),
        )
    for row in range(4):
        draw.line(
            [
                (bx + 30 - row * 3, by + 12 + row * 3),
                (bx + 42 + row * 3, by + 12 + row * 3),
            ],
            fill=_mix(sea, AMBER, 0.6 - row * 0.12),
        )
    if lanterns:  # the game's status bar: lanterns carried, as small lamps
        draw.rectangle([6, 6, 12 + lanterns * 12, 18], fill=NIGHT)
        for n in range(lanterns):
            draw.rectangle([10 + n * 12, 9, 16 + n * 12, 15], fill=AMBER)
    return img.resize((1600, 900), Image.Resampling.NEAREST)


# --- Saltvand: painted stills, soft layers and brush-like grain --------------


def _painted_scene(seed: int, sky_top, sky_low, sun, sea, boat: bool):
    rng = random.Random(seed)
    width, height, horizon = 800, 450, 270
    img = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)
    for y in range(height):
        if y < horizon:
            fill = _mix(sky_top, sky_low, y / horizon)
        else:
            fill = _mix(sea, NIGHT, (y - horizon) / (height - horizon) * 0.5)
        draw.line([(0, y), (width, y)], fill=fill)
    cx, cy = rng.randrange(250, 550), horizon - rng.randrange(20, 70)
    draw.ellipse([cx - 46, cy - 46, cx + 46, cy + 46], fill=sun)
    for n in range(14):  # the sun's path on the water
        y = horizon + 6 + n * 11
        spread = 40 + n * 9
        draw.line(
            [(cx - spread, y), (cx + spread, y)],
            fill=_mix(sea, sun, 0.55 - n * 0.03),
            width=3,
        )
    for hill in range(2):  # the coast, far and near
        points = [(0, horizon)]
        for x in range(0, width + 40, 40):
            points.append((x, horizon - rng.randrange(10, 30) - hill * 12))
        points.append((width, horizon))
        draw.polygon(points, fill=_mix(NIGHT, sea, 0.45 - hill * 0.2))
    if boat:  # the grandfather's fishing boat, with its wheelhouse and mast
        bx, by = rng.randrange(120, 520), horizon + 70
        draw.polygon(
            [(bx, by), (bx + 170, by), (bx + 150, by + 30), (bx + 16, by + 30)],
            fill=NIGHT,
        )
        draw.rectangle([bx + 95, by - 40, bx + 135, by], fill=NIGHT)
        draw.line([(bx + 60, by), (bx + 60, by - 90)], fill=NIGHT, width=4)
        draw.line([(bx + 60, by - 86), (bx + 150, by - 10)], fill=NIGHT, width=2)
        draw.rectangle(
            [bx + 104, by - 32, bx + 116, by - 20], fill=_mix(sun, SAND, 0.4)
        )
    grain = Image.effect_noise((width, height), 22).convert("RGB")
    img = Image.blend(img, grain, 0.06).filter(ImageFilter.GaussianBlur(1.2))
    return img.resize((1600, 900), Image.Resampling.LANCZOS)


def _png(img: Image.Image) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _jpeg(img: Image.Image) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=84, optimize=True, progressive=True)
    return buffer.getvalue()


# file name: (how it is drawn, its alt text as the showcase gives it)
PICTURES = {
    # Key art: each showcase's featured picture (its cards, its poster).
    "lantern-tides-key-art.png": (
        lambda: _png(_pixel_scene(41, NIGHT, NAVY, TEAL, aurora=True, lanterns=0)),
        "Key art for Lantern Tides: a pixel-art ferry with a glowing lantern on "
        "a teal sea under green northern lights",
    ),
    "saltvand-key-art.jpg": (
        lambda: _jpeg(_painted_scene(3, NAVY, CORAL, AMBER, TEAL, boat=True)),
        "Key art for Saltvand: a painted fishing boat in silhouette on a teal "
        "sea, a large amber sun setting behind the coast",
    ),
    "lantern-tides-aurora.png": (
        lambda: _png(_pixel_scene(11, NIGHT, NAVY, TEAL, aurora=True, lanterns=3)),
        "Screenshot from Lantern Tides: a small ferry with a glowing lantern "
        "crossing a dark sea under green northern lights, islands on the horizon",
    ),
    "lantern-tides-dusk.png": (
        lambda: _png(
            _pixel_scene(23, NAVY, CORAL, TEAL_LIGHT, aurora=False, lanterns=5)
        ),
        "Screenshot from Lantern Tides: the ferry setting out at dusk under a "
        "coral sky, five lanterns in the status bar",
    ),
    "lantern-tides-night.png": (
        lambda: _png(_pixel_scene(37, NIGHT, NIGHT, NAVY, aurora=False, lanterns=1)),
        "Screenshot from Lantern Tides: a starry night with one lantern left, "
        "its light trailing on the black water",
    ),
    "saltvand-sunset.jpg": (
        lambda: _jpeg(_painted_scene(5, NAVY, CORAL, AMBER, TEAL, boat=True)),
        "Still from Saltvand: the grandfather's fishing boat in silhouette on a "
        "teal sea as an amber sun sets behind the coast",
    ),
    "saltvand-morning.jpg": (
        lambda: _jpeg(
            _painted_scene(
                8, (120, 170, 200), SAND, (255, 240, 200), TEAL_LIGHT, boat=False
            )
        ),
        "Still from Saltvand: a pale morning sky and a calm sea along a low, "
        "hazy coast",
    ),
    "saltvand-evening.jpg": (
        lambda: _jpeg(_painted_scene(13, NIGHT, (90, 60, 110), CORAL, NAVY, boat=True)),
        "Still from Saltvand: the boat heading home at nightfall under a violet "
        "sky, a coral sun low over the water",
    ),
}


def draw_all() -> dict[str, bytes]:
    return {name: make() for name, (make, _alt) in PICTURES.items()}


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, data in draw_all().items():
        (FOLDER / name).write_bytes(data)
        print(f"wrote content/images/showcases/{name} ({len(data) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
