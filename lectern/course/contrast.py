"""Slide backgrounds (issue 18): which text colour reads on each, and a warning when none reads well enough."""
from __future__ import annotations

from pathlib import Path

from .model import Background, Course, Pos
from ..problems import Problem

LIGHT_TEXT = "#ffffff"  # the deck's text on a dark background
DARK_TEXT = "#1c2330"  # the theme's ink, on a light background
ENOUGH = 4.5  # WCAG AA for body text


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of `#rgb` or `#rrggbb`."""
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return _relative(tuple(int(h[i:i + 2], 16) for i in (0, 2, 4)))


def _relative(rgb) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: float, b: float) -> float:
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def picture_luminance(path: Path) -> float | None:
    """The mean relative luminance of a raster picture (None for SVG or an unreadable file)."""
    if path.suffix.lower() == ".svg":
        return None
    try:
        from PIL import Image, ImageStat
        with Image.open(path) as im:
            im.thumbnail((64, 64))
            mean = ImageStat.Stat(im.convert("RGB")).mean
    except Exception:  # noqa: BLE001 - a broken picture is reported by course/pictures.py
        return None
    return _relative(mean)


def background_luminance(bg: Background) -> float | None:
    """What the text sits on: the colour, or the picture's mean after the theme's dark overlay of `dim`."""
    if bg.color:
        return luminance(bg.color)
    if bg.image is None or bg.image.path is None:
        return None
    mean = picture_luminance(bg.image.path)
    return None if mean is None else mean * (1 - bg.dim)


def text_tone(bg: Background) -> str:
    """"light" or "dark": the text colour that reads better on this background."""
    lum = background_luminance(bg)
    if lum is None:
        return "light"
    return "light" if contrast(lum, luminance(LIGHT_TEXT)) >= contrast(lum, luminance(DARK_TEXT)) else "dark"


def background_problems(course: Course) -> list[Problem]:
    """A warning for each background on which neither the light nor the dark text reaches 4.5:1."""
    problems = []
    for lecture in course.lectures:
        for section in lecture.sections:
            for slide in section.slides:
                bg = slide.background
                lum = background_luminance(bg) if bg is not None else None
                if lum is None:
                    continue
                best = max(contrast(lum, luminance(LIGHT_TEXT)), contrast(lum, luminance(DARK_TEXT)))
                if best < ENOUGH:
                    problems.append(Problem(_where(bg), _advice(bg, lum, best), "warning"))
    return problems


def _where(bg: Background) -> Pos:
    return bg.pos


def _advice(bg: Background, lum: float, best: float) -> str:
    said = f"the slide's background leaves its text a contrast of {best:.1f}:1, below the {ENOUGH}:1 text needs"
    if bg.color:
        return f"{said}: choose a darker or lighter colour than {bg.color}"
    raw = lum / (1 - bg.dim) if bg.dim < 1 else 0.0
    need = 1 - ((1.05 / ENOUGH) - 0.05) / raw if raw > 0 else 1.0
    return f"{said}: raise `dim` to {min(1.0, need + 0.05):.2f} or more, or choose a darker picture"
