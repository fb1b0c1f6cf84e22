"""The sample site's key art, stills and screenshots, drawn here (we hold the
rights to no real ones): pixel-art screenshots of Nordlys Pixelworks' game
Lantern Tides, painted stills of Havørn Animation's short film Saltvand,
the maths harbour game Talhavn, Kattegat XR's training ward in virtual
reality, the coast trail app's guides and the storm of the film
Fyrmesteren: all plainly fictional works of the sample members.

    .venv/bin/python tests/artwork.py     # writes them into content/images/showcases/

The same code gives the same files (a fixed seed for each picture);
tests/test_artwork.py checks that the committed files are what it draws.
"""

from __future__ import annotations

import io
import itertools
import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageOps

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


# --- Flat drawing for the other works: shapes in 1600 x 900 coordinates on a
# canvas twice the size, scaled down for smooth edges ------------------------

S = 2


class _Pen:
    def __init__(self, fill=SAND):
        self.img = Image.new("RGB", (1600 * S, 900 * S), fill)
        self.draw = ImageDraw.Draw(self.img, "RGBA")  # fills may be see-through

    @staticmethod
    def _xy(points):
        return [(x * S, y * S) for x, y in points]

    def rect(self, box, fill, radius=0, outline=None, width=0):
        self.draw.rounded_rectangle(
            [v * S for v in box],
            radius * S,
            fill=fill,
            outline=outline,
            width=width * S,
        )

    def ellipse(self, box, fill=None, outline=None, width=0):
        self.draw.ellipse(
            [v * S for v in box], fill=fill, outline=outline, width=width * S
        )

    def circle(self, x, y, r, fill=None, outline=None, width=0):
        self.ellipse([x - r, y - r, x + r, y + r], fill, outline, width)

    def poly(self, points, fill):
        self.draw.polygon(self._xy(points), fill=fill)

    def line(self, points, fill, width=2):
        self.draw.line(self._xy(points), fill=fill, width=width * S, joint="curve")

    def sky(self, top, low, y0=0, y1=900):
        for y in range(y0 * S, y1 * S):
            share = (y - y0 * S) / max(1, (y1 - y0) * S)
            self.draw.line([(0, y), (1600 * S, y)], fill=_mix(top, low, share))

    def wave(self, y, amplitude, length, phase, fill, bottom=900, peaked=False):
        """A band of sea from a sine curve at ``y`` down to ``bottom`` (with
        ``peaked``, storm swells: sharp crests, round troughs)."""
        shape = (lambda v: abs(v)) if peaked else (lambda v: v)
        top = [
            (x, y + amplitude * shape(math.sin(x / length + phase)))
            for x in range(0, 1610, 5)
        ]
        self.poly(top + [(1600, bottom), (0, bottom)], fill)

    def done(self, soften: float = 0) -> Image.Image:
        img = self.img.resize((1600, 900), Image.Resampling.LANCZOS)
        if soften:  # a painted or rendered look: grain, slightly soft
            grain = Image.effect_noise((1600, 900), 24).convert("RGB")
            img = Image.blend(img, grain, 0.05).filter(ImageFilter.GaussianBlur(soften))
        return img


def _pips(pen, x, y, size, count, fill):
    """A dice face's dots for ``count`` (1-6) in a square at x, y."""
    spots = {
        1: [(1, 1)],
        2: [(0, 0), (2, 2)],
        3: [(0, 0), (1, 1), (2, 2)],
        4: [(0, 0), (2, 0), (0, 2), (2, 2)],
        5: [(0, 0), (2, 0), (1, 1), (0, 2), (2, 2)],
        6: [(0, 0), (2, 0), (0, 1), (2, 1), (0, 2), (2, 2)],
    }[count]
    step = size / 4
    for col, row in spots:
        pen.circle(x + step * (col + 1), y + step * (row + 1), size / 10, fill)


# --- Talhavn: Fjordfox Games' maths harbour for tablets, bright and flat ------


def _harbour_scene(seed: int, sky_top, sky_low, task=None, ships=2):
    rng = random.Random(seed)
    pen = _Pen()
    pen.sky(sky_top, sky_low, 0, 560)
    for _ in range(4):  # clouds
        x, y = rng.randrange(80, 1500), rng.randrange(60, 300)
        for dx, r in ((-50, 34), (0, 48), (50, 36)):
            pen.circle(x + dx, y, r, (255, 255, 255))
    pen.wave(560, 6, 60, 0, TEAL_LIGHT)
    for row in range(5):  # lighter crests, nearer rows lower
        pen.wave(600 + row * 60, 8, 45, row, _mix(TEAL_LIGHT, TEAL, 0.3 + row * 0.12))
    # The quay: stone, bollards and a crane lifting a crate.
    pen.rect([1200, 520, 1620, 920], SAND)
    pen.rect([1200, 520, 1620, 545], (214, 203, 184))
    for row, y in enumerate(range(600, 900, 70)):  # its stones
        pen.line([(1200, y), (1600, y)], (214, 203, 184), 4)
        for x in range(1230 + (row % 2) * 60, 1600, 120):
            pen.line([(x, y - 70), (x, y)], (214, 203, 184), 4)
    for x in (1250, 1400, 1550):
        pen.rect([x - 14, 490, x + 14, 522], NAVY, radius=6)
    pen.line([(1330, 520), (1330, 150), (1080, 150)], NAVY, 16)
    pen.line([(1330, 230), (1250, 150)], NAVY, 8)
    pen.line([(1120, 150), (1120, 300)], NAVY, 4)
    pen.rect([1080, 300, 1160, 380], AMBER, radius=10)
    _pips(pen, 1080, 300, 80, rng.randrange(1, 7), NAVY)
    colours = (CORAL, TEAL, AMBER, NAVY)
    for n in range(ships):  # ships with crates of counted cargo
        left = 90 + n * 520 + rng.randrange(-30, 30)
        deck = 640 + n * 40
        pen.poly(
            [
                (left, deck),
                (left + 420, deck),
                (left + 370, deck + 90),
                (left + 40, deck + 90),
            ],
            CORAL if n % 2 == 0 else NAVY,
        )
        pen.rect([left + 300, deck - 90, left + 380, deck], SAND, radius=8)
        pen.rect([left + 316, deck - 74, left + 340, deck - 50], TEAL_LIGHT, radius=4)
        for c in range(rng.randrange(2, 5)):
            size = 80
            x, y = left + 30 + c * 88, deck - size
            colour = colours[(c + n) % 3]
            pen.rect([x, y, x + size, y + size], colour, radius=10)
            _pips(
                pen, x, y, size, rng.randrange(1, 7), SAND if colour != AMBER else NAVY
            )
    if task:  # the game's task bar: a sum in dots, and the stars earned
        a, sign, b, stars = task
        pen.rect([40, 36, 700, 176], (11, 31, 58, 235), radius=28)
        pen.rect([70, 56, 170, 156], SAND, radius=14)
        _pips(pen, 70, 56, 100, a, NAVY)
        pen.line([(200, 106), (250, 106)], SAND, 12)
        if sign == "+":
            pen.line([(225, 81), (225, 131)], SAND, 12)
        pen.rect([280, 56, 380, 156], SAND, radius=14)
        _pips(pen, 280, 56, 100, b, NAVY)
        pen.line([(410, 92), (460, 92)], SAND, 10)
        pen.line([(410, 120), (460, 120)], SAND, 10)
        pen.rect([490, 56, 590, 156], None, radius=14, outline=AMBER, width=6)
        for n in range(3):
            cx, cy = 1400 + n * 70, 100
            star = [
                (
                    cx + (34 if k % 2 == 0 else 14) * math.sin(k * math.pi / 5),
                    cy - (34 if k % 2 == 0 else 14) * math.cos(k * math.pi / 5),
                )
                for k in range(10)
            ]
            pen.poly(star, AMBER if n < stars else (255, 255, 255, 110))
    return pen.done()


# --- Kattegat XR's ward in virtual reality: a rendered room, hands, a HUD ---

WALL = (206, 222, 230)
FLOOR = (150, 176, 190)


def _ward_scene(seed: int, step: int, rhythm: str, hands_on_chest: bool):
    rng = random.Random(seed)
    pen = _Pen(WALL)
    # The room in perspective: floor, back wall, side walls, a window.
    pen.poly([(0, 900), (330, 600), (1270, 600), (1600, 900)], FLOOR)
    for x in range(360, 1250, 60):  # floor tiles
        pen.line([(x, 600), (800 + (x - 800) * 2.2, 900)], _mix(FLOOR, NAVY, 0.1), 2)
    pen.poly([(0, 0), (330, 120), (330, 600), (0, 900)], _mix(WALL, NAVY, 0.12))
    pen.poly([(1600, 0), (1270, 120), (1270, 600), (1600, 900)], _mix(WALL, NAVY, 0.2))
    pen.rect([330, 120, 1270, 600], WALL)
    pen.rect([420, 190, 700, 420], SAND, radius=6)
    pen.rect([432, 202, 688, 408], (150, 200, 230))
    pen.poly(
        [(432, 408), (432, 330), (520, 300), (610, 340), (688, 310), (688, 408)], TEAL
    )
    pen.line([(560, 202), (560, 408)], SAND, 8)
    # The bed and the patient under a sheet.
    pen.poly([(420, 640), (1120, 640), (1220, 760), (330, 760)], (245, 247, 248))
    pen.rect([330, 760, 1220, 790], NAVY, radius=6)
    pen.rect([350, 790, 370, 880], NAVY)
    pen.rect([1180, 790, 1200, 880], NAVY)
    pen.ellipse([430, 590, 560, 640], (90, 60, 40))
    pen.ellipse([440, 605, 560, 690], (236, 196, 170))
    pen.poly([(560, 650), (1100, 640), (1150, 740), (540, 745)], (120, 170, 200))
    # The monitor: the heart's rhythm as the scenario runs.
    pen.rect([1290, 300, 1310, 640], NAVY)
    pen.rect([1130, 220, 1470, 420], NIGHT, radius=14)
    colour = CORAL if rhythm != "normal" else AURORA
    trace, x = [], 1150
    while x < 1450:
        if rhythm == "normal" and (x - 1150) % 100 == 40:
            trace += [(x, 330), (x + 8, 250), (x + 16, 370), (x + 24, 320)]
            x += 24
        elif rhythm == "arrest":
            trace.append((x, 320 + rng.randrange(-28, 28)))
        else:
            trace.append((x, 320))
        x += 10
    pen.line(trace, colour, 5)
    pen.circle(1440, 245, 10, colour)
    # The trainee's hands, as the headset draws them.
    glove = (60, 190, 200, 230)
    if hands_on_chest:  # arms from below, one hand on the other
        for x0, x1 in ((560, 760), (1040, 840)):
            pen.poly(
                [(x0 - 70, 900), (x0 + 70, 900), (x1 + 45, 700), (x1 - 45, 690)], glove
            )
        pen.rect([700, 630, 880, 720], glove, radius=40)
        pen.rect([730, 610, 900, 690], _mix(glove[:3], NAVY, 0.2) + (240,), radius=40)
    else:
        for x0, lean in ((180, -1), (1300, 1)):
            pen.ellipse([x0, 700, x0 + 150, 820], glove)
            pen.poly(
                [
                    (x0 + 20, 790),
                    (x0 + 130, 790),
                    (x0 + 90 + lean * 60, 900),
                    (x0 + 30 + lean * 60, 900),
                ],
                glove,
            )
            for f in range(4):
                pen.ellipse([x0 + 10 + f * 34, 660, x0 + 40 + f * 34, 730], glove)
    # The HUD: five steps of the scenario, and the time it has run.
    pen.rect([560, 30, 1040, 100], (11, 31, 58, 220), radius=35)
    for n in range(5):
        pen.circle(
            620 + n * 90,
            65,
            18,
            AMBER if n < step else None,
            outline=AMBER,
            width=4,
        )
    pen.circle(1500, 90, 50, (11, 31, 58, 220))
    pen.draw.arc(
        [1460 * S, 50 * S, 1540 * S, 130 * S],
        -90,
        -90 + step * 72,
        fill=AMBER,
        width=10 * S,
    )
    return pen.done(soften=0.6)


# --- The coast trail app of Klitrose Apps and Havørn Animation -----------


def _character(pen, kind: str, x: int, y: int, size: float):
    """One of the trail's animated guides, standing at x, y (its feet)."""
    k = size / 100
    if kind == "seal":
        pen.ellipse([x - 90 * k, y - 80 * k, x + 70 * k, y], (120, 130, 140))
        pen.circle(x + 55 * k, y - 95 * k, 42 * k, (120, 130, 140))
        pen.ellipse([x - 120 * k, y - 30 * k, x - 70 * k, y], (100, 110, 120))
        for dx in (40, 72):
            pen.circle(x + dx * k, y - 105 * k, 7 * k, NIGHT)
        pen.circle(x + 58 * k, y - 85 * k, 8 * k, NIGHT)
    elif kind == "petrel":
        pen.ellipse([x - 60 * k, y - 110 * k, x + 60 * k, y - 30 * k], (40, 42, 48))
        pen.circle(x + 50 * k, y - 120 * k, 34 * k, (40, 42, 48))
        pen.ellipse([x - 40 * k, y - 70 * k, x + 10 * k, y - 40 * k], (250, 250, 250))
        pen.poly(
            [
                (x - 40 * k, y - 100 * k),
                (x - 135 * k, y - 70 * k),
                (x + 30 * k, y - 60 * k),
            ],
            (30, 32, 38),
        )
        pen.poly(
            [
                (x + 80 * k, y - 125 * k),
                (x + 115 * k, y - 118 * k),
                (x + 80 * k, y - 110 * k),
            ],
            NIGHT,
        )
        pen.circle(x + 60 * k, y - 128 * k, 7 * k, SAND)
        pen.circle(x + 60 * k, y - 128 * k, 4 * k, NIGHT)
        for dx in (-15, 15):
            pen.line(
                [(x + dx * k, y - 35 * k), (x + dx * k, y)], AMBER, max(2, round(6 * k))
            )
    else:  # the fisherman in his oilskins
        pen.poly(
            [
                (x - 55 * k, y),
                (x - 40 * k, y - 150 * k),
                (x + 40 * k, y - 150 * k),
                (x + 55 * k, y),
            ],
            AMBER,
        )
        pen.circle(x, y - 180 * k, 36 * k, (236, 196, 170))
        pen.poly(
            [
                (x - 60 * k, y - 190 * k),
                (x + 60 * k, y - 190 * k),
                (x + 30 * k, y - 230 * k),
                (x - 30 * k, y - 230 * k),
            ],
            AMBER,
        )
        pen.ellipse([x - 30 * k, y - 170 * k, x + 30 * k, y - 140 * k], SAND)
        for dx in (-12, 12):
            pen.circle(x + dx * k, y - 185 * k, 5 * k, NIGHT)


def _coast_scene(seed: int, sky_top, sky_low, guide: str, stop: int):
    rng = random.Random(seed)
    pen = _Pen()
    pen.sky(sky_top, sky_low, 0, 520)
    pen.circle(760, 150, 70, (255, 248, 225))
    pen.wave(470, 5, 50, 0, TEAL_LIGHT)
    pen.wave(500, 6, 40, 1, TEAL)
    for n, colour in enumerate(((226, 206, 160), (214, 190, 140), (236, 220, 180))):
        base = 560 + n * 90  # the dunes, far to near
        pen.poly(
            [(0, 900), (0, base)]
            + [
                (x, base - 60 * abs(math.sin(x / (230 + n * 40) + seed + n)))
                for x in range(0, 1610, 20)
            ]
            + [(1600, 900)],
            colour,
        )
        for _ in range(10):  # marram grass on the crests
            gx = rng.randrange(0, 1600)
            gy = base - 40 * abs(math.sin(gx / (230 + n * 40) + seed + n))
            for lean in (-14, 0, 14):
                pen.line([(gx, gy), (gx + lean, gy - 40)], (110, 140, 90), 3)
    # The phone, showing the trail map with the stop the walker has reached.
    pen.rect([150, 80, 540, 850], NIGHT, radius=48)
    pen.rect([170, 130, 520, 800], SAND, radius=10)
    pen.poly([(170, 130), (280, 130), (250, 400), (300, 800), (170, 800)], TEAL_LIGHT)
    trail = [(420, 760), (380, 650), (430, 540), (360, 430), (400, 320), (340, 200)]
    for (x0, y0), (x1, y1) in itertools.pairwise(trail):
        for t in range(0, 10, 2):  # a dotted path
            a, b = t / 10, (t + 1) / 10
            pen.line(
                [
                    (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                    (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b),
                ],
                NAVY,
                5,
            )
    for n, (x, y) in enumerate(trail):
        reached = n <= stop
        pen.circle(
            x,
            y,
            22,
            CORAL if n == stop else (NAVY if reached else SAND),
            outline=NAVY,
            width=4,
        )
    pen.rect([300, 815, 390, 825], SAND, radius=5)
    # The guide of this stop, large beside the phone, with its speech bubble.
    _character(pen, guide, 980, 800, 260)
    pen.rect([1150, 240, 1500, 400], (255, 255, 255, 235), radius=30)
    pen.poly([(1200, 390), (1260, 395), (1180, 460)], (255, 255, 255, 235))
    for row in range(3):
        pen.rect(
            [1190, 280 + row * 40, 1460 - row * 70, 298 + row * 40],
            (200, 205, 210),
            radius=9,
        )
    return pen.done()


# --- Fyrmesteren: Skumring VFX's storm, a rendered still and its breakdown --


def _storm_scene(seed: int, lightning: bool, boat: bool, breakdown: bool):
    rng = random.Random(seed)
    pen = _Pen(NIGHT)
    pen.sky((14, 22, 38), (40, 58, 78), 0, 560)
    for _ in range(9):  # heavy clouds
        x, y = rng.randrange(-100, 1600), rng.randrange(-60, 260)
        pen.ellipse([x - 260, y - 80, x + 260, y + 90], (22, 32, 50, 200))
    if lightning:
        x, y, bolt = rng.randrange(300, 800), 0, []
        while y < 470:
            bolt.append((x, y))
            x, y = x + rng.randrange(-60, 60), y + rng.randrange(40, 90)
        pen.line(bolt, (200, 220, 255, 90), 22)
        pen.line(bolt, (245, 250, 255), 6)
    # The lighthouse on its rock, its beam across the rain.
    pen.poly([(1080, 620), (1180, 520), (1380, 540), (1500, 640)], (28, 32, 40))
    pen.poly([(1200, 540), (1220, 260), (1290, 260), (1310, 540)], (236, 232, 224))
    for y in (330, 430):
        pen.poly(
            [
                (1214 - (y - 260) / 20, y),
                (1296 + (y - 260) / 20, y),
                (1298 + (y + 40 - 260) / 20, y + 40),
                (1212 - (y + 40 - 260) / 20, y + 40),
            ],
            CORAL,
        )
    pen.rect([1205, 200, 1305, 262], (40, 44, 52))
    pen.rect([1222, 212, 1288, 258], AMBER)
    pen.poly(
        [(1240, 170), (1255, 150), (1270, 170), (1310, 200), (1200, 200)], (40, 44, 52)
    )
    pen.poly([(1240, 225), (0, 60), (0, 330), (1240, 245)], (255, 214, 140, 70))
    # The sea: swells rising in front, spray blown off their crests.
    for n in range(6):
        y, amplitude, length = 520 + n * 62, 50 + n * 14, 60 + n * 12
        phase = n * 1.7 + seed
        pen.wave(
            y,
            amplitude,
            length,
            phase,
            _mix((34, 78, 92), (8, 20, 30), n / 6),
            peaked=True,
        )
        crest = -phase * length  # where |sin| is 0: the crests
        while crest < 1600:
            if crest > 0:
                for _ in range(7):
                    dx, dy = rng.randrange(-70, 10), rng.randrange(-60, 5)
                    pen.circle(
                        crest + dx, y + dy, rng.randrange(3, 9), (220, 232, 240, 90)
                    )
            crest += math.pi * length
    if boat:  # the keeper's boat on the swell
        bx, by = 430, 650
        pen.poly(
            [(bx, by), (bx + 200, by - 40), (bx + 180, by), (bx + 20, by + 30)],
            (20, 16, 14),
        )
        pen.line([(bx + 100, by - 20), (bx + 110, by - 170)], (20, 16, 14), 6)
        pen.circle(bx + 160, by - 50, 8, AMBER)
    for _ in range(260):  # rain, driven by the wind
        x, y = rng.randrange(-100, 1600), rng.randrange(0, 900)
        pen.line([(x, y), (x + 18, y + 46)], (190, 205, 220, 70), 2)
    img = pen.done(soften=0.8)
    if breakdown:  # a wipe: left of the lamp, the frame as it was shot
        split = 1255
        plate = Image.new("RGB", (1600, 900), (58, 150, 78))  # the green screen
        draw = ImageDraw.Draw(plate)
        draw.polygon(
            [(1080, 620), (1180, 520), (1380, 540), (1500, 640)], fill=(70, 72, 76)
        )
        draw.polygon(
            [(1200, 540), (1210, 390), (1300, 390), (1310, 540)], fill=(236, 232, 224)
        )
        draw.polygon([(1207, 430), (1303, 430), (1305, 470), (1205, 470)], fill=CORAL)
        draw.rectangle([1230, 480, 1262, 540], fill=(40, 44, 52))  # the set's door
        draw.rectangle([0, 560, 1600, 900], fill=(26, 30, 36))  # the sea: a mesh
        for row in range(560, 900, 24):
            points = [
                (x, row + 30 * abs(math.sin(x / (60 + (row - 560) / 5) + row)))
                for x in range(0, 1601, 10)
            ]
            draw.line(points, fill=(60, 150, 160), width=1)
        for col in range(0, 1640, 36):
            draw.line([(col, 560), (col - 40, 900)], fill=(44, 90, 100), width=1)
        # Mirrored, so that the lamp stands near the left and most of the
        # frame shows the finished storm.
        img, plate, split = ImageOps.mirror(img), ImageOps.mirror(plate), 1600 - split
        img.paste(plate.crop((0, 0, split, 900)), (0, 0))
        ImageDraw.Draw(img).line([(split, 0), (split, 900)], fill=SAND, width=4)
    return img


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
    # Talhavn, Fjordfox Games' maths harbour (drawn flat, as the game is).
    "fjordfox-games-talhavn.jpg": (
        lambda: _jpeg(_harbour_scene(9, (120, 190, 235), (225, 240, 250))),
        "Key art for Talhavn: two cargo ships with crates marked in dots wait "
        "in a sunny harbour while a crane lifts a crate onto the quay",
    ),
    "talhavn-addition.png": (
        lambda: _png(
            _harbour_scene(7, (120, 190, 235), (225, 240, 250), (3, "+", 4, 2))
        ),
        "Screenshot from Talhavn: the task bar asks for three dots plus four "
        "dots, with an empty box for the answer, two of three stars earned",
    ),
    "talhavn-subtraction.png": (
        lambda: _png(
            _harbour_scene(12, (240, 130, 90), (255, 215, 160), (6, "-", 2, 3))
        ),
        "Screenshot from Talhavn at sunset: six dots take away two in the task "
        "bar, all three stars earned",
    ),
    "talhavn-morning.png": (
        lambda: _png(
            _harbour_scene(15, (170, 210, 240), (250, 236, 210), (5, "+", 1, 1))
        ),
        "Screenshot from Talhavn on a spring morning: five dots plus one in the "
        "task bar, the first star of the round earned",
    ),
    # Kattegat XR's resuscitation training, as the headset shows it.
    "kattegat-xr-hospital-vr-training.jpg": (
        lambda: _jpeg(_ward_scene(4, 3, "flat", hands_on_chest=True)),
        "Key art for Kattegat XR's resuscitation training: in a virtual hospital "
        "ward, the trainee's hands give chest compressions while the monitor "
        "shows a flat line",
    ),
    "vr-training-arrival.jpg": (
        lambda: _jpeg(_ward_scene(3, 1, "arrest", hands_on_chest=False)),
        "Screenshot from the training: the trainee's raised hands at the "
        "patient's bed as the monitor's trace turns erratic, the first of five "
        "steps lit",
    ),
    "vr-training-recovered.jpg": (
        lambda: _jpeg(_ward_scene(5, 5, "normal", hands_on_chest=False)),
        "Screenshot from the training: all five steps done and the timer full, "
        "the monitor shows a steady heartbeat again",
    ),
    "vr-training-compressions.jpg": (
        lambda: _jpeg(_ward_scene(6, 4, "flat", hands_on_chest=True)),
        "Screenshot from the training: compressions go on at the fourth step, "
        "the trainee's hands on the patient's chest and the line still flat",
    ),
    # The coast trail app of Klitrose Apps and Havørn Animation.
    "klitrose-apps-havoern-animation-coast-app.jpg": (
        lambda: _jpeg(_coast_scene(2, (150, 200, 235), (240, 235, 220), "seal", 2)),
        "Key art for the coast trail app: a phone showing the trail map beside "
        "a cartoon seal, one of the animated guides, in the dunes by the sea",
    ),
    "coast-trail-petrel.png": (
        lambda: _png(_coast_scene(4, (110, 150, 200), (235, 210, 190), "petrel", 1)),
        "Screenshot from the coast trail app: a storm petrel, the guide of the "
        "children's route, speaks at the second stop of the trail",
    ),
    "coast-trail-fisherman.png": (
        lambda: _png(_coast_scene(8, (150, 200, 235), (240, 235, 220), "fisher", 3)),
        "Screenshot from the coast trail app: a fisherman in yellow oilskins "
        "tells his story at the fourth stop of the trail",
    ),
    "coast-trail-last-stop.png": (
        lambda: _png(_coast_scene(11, (130, 180, 225), (250, 230, 200), "seal", 5)),
        "Screenshot from the coast trail app: the seal says goodbye at the last "
        "stop, every stop on the map reached",
    ),
    # Fyrmesteren's storm by Skumring VFX: stills and a breakdown.
    "skumring-vfx-fyrmesteren.jpg": (
        lambda: _jpeg(_storm_scene(5, lightning=True, boat=False, breakdown=False)),
        "Key art for Fyrmesteren: a red and white lighthouse sweeps its beam "
        "over a stormy night sea as lightning strikes",
    ),
    "fyrmesteren-boat.jpg": (
        lambda: _jpeg(_storm_scene(7, lightning=False, boat=True, breakdown=False)),
        "Still from Fyrmesteren: the keeper's small boat rides the swell in "
        "driving rain below the lighthouse beam",
    ),
    "fyrmesteren-breakdown.jpg": (
        lambda: _jpeg(_storm_scene(6, lightning=False, boat=False, breakdown=True)),
        "Still from Fyrmesteren as a breakdown: left of the lamp, the frame as "
        "shot, a partial lighthouse set against a green screen above a mesh of "
        "the digital sea; right of it, the finished storm",
    ),
    "fyrmesteren-lightning.jpg": (
        lambda: _jpeg(_storm_scene(9, lightning=True, boat=True, breakdown=False)),
        "Still from Fyrmesteren: lightning strikes over the sea as the keeper's "
        "boat heads for the lighthouse",
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
