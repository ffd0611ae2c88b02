"""Where things go on a printed page: the paper, the slides' size and rows, the ruled lines, in millimetres.

Computed here and handed to the handout templates as `g`; the slide's own layout stays in CSS
pixels (the deck's 1280×720 canvas, drawn small) and the look in `templates/handout/handout.css`.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..problems import RenderError

SLIDE_W_PX = 1280  # the deck's canvas (deck.css --slide-w, --slide-h)
SLIDE_H_PX = 720
PX_MM = 25.4 / 96  # one CSS pixel in millimetres
LABEL_H = 6.0  # the "Slide 7 · section" line above each slide on a handout
LINE_GAP = 8.0  # about this far apart, the ruled lines beside a slide on a handout


@dataclass(frozen=True)
class Paper:
    name: str  # "A4", "letter" or "slide"
    width: float  # mm, portrait
    height: float
    css: str  # the CSS @page size


PAPERS = {"A4": Paper("A4", 210.0, 297.0, "A4 portrait"),
          "letter": Paper("letter", 215.9, 279.4, "letter portrait")}


@dataclass(frozen=True)
class Geometry:
    """Where things go on a page, in millimetres (the slide's own layout stays in CSS pixels)."""

    paper: Paper
    margin_top: float
    margin_bottom: float
    margin_x: float
    per_page: int  # slides on a page
    slide_w: float  # the slide as printed
    row_h: float  # the band each slide takes on the page (handouts); notes: the slide's band
    line_gap: float  # ruled lines: distance between two lines
    lines: int  # ruled lines beside each slide (the first level with its top edge, the last with its bottom)
    gutter: float = 8.0  # between the slide and its ruled lines

    @property
    def slide_h(self) -> float:
        return self.slide_w * SLIDE_H_PX / SLIDE_W_PX

    @property
    def scale(self) -> float:
        """The factor that shrinks the 1280×720 px canvas to `slide_w` millimetres."""
        return self.slide_w / (SLIDE_W_PX * PX_MM)

    @property
    def label_h(self) -> float:
        return LABEL_H

    @property
    def page_size(self) -> str:
        return self.paper.css

    @property
    def row_pitch(self) -> float:
        """Distance between the tops of two rows (a hair under row_h, so rounding never breaks a page)."""
        return self.row_h - 0.5

    def cell_box(self, row: int) -> tuple[float, float, float, float]:
        """The printed slide of row `row` on a handout page: (left, top, right, bottom) in mm."""
        top = self.margin_top + row * self.row_pitch + LABEL_H
        return (self.margin_x, top, self.margin_x + self.slide_w, top + self.slide_h)


def paper_of(name: str) -> Paper:
    try:
        return PAPERS[name]
    except KeyError:
        raise RenderError(f"unknown paper {name!r}: use {' or '.join(PAPERS)}") from None



def handout_geometry(paper_name: str) -> Geometry:
    """Three slides down the left of a portrait page, ruled lines beside each."""
    paper = paper_of(paper_name)
    top, bottom, side = 19.0, 15.0, 15.0
    row_h = (paper.height - top - bottom) / 3
    slide_w = 110.0
    slide_h = slide_w * SLIDE_H_PX / SLIDE_W_PX
    # the ruled lines run from the slide's top edge to its bottom edge, about 8 mm apart
    gaps = max(1, round(slide_h / LINE_GAP))
    assert slide_h + LABEL_H < row_h - 4, "three slides must fit a page"
    return Geometry(paper, top, bottom, side, 3, slide_w, row_h, slide_h / gaps, gaps + 1)


def notes_geometry(paper_name: str) -> Geometry:
    """One slide a page, centred at the top, its speaker notes beneath."""
    paper = paper_of(paper_name)
    top, bottom, side = 19.0, 15.0, 20.0
    slide_w = 140.0
    return Geometry(paper, top, bottom, side, 1, slide_w, slide_w * SLIDE_H_PX / SLIDE_W_PX + LABEL_H, 0, 0)


def slides_geometry() -> Geometry:
    """The deck itself: one slide a page, the page the size of the canvas (16:9), no margin."""
    w, h = SLIDE_W_PX * PX_MM, SLIDE_H_PX * PX_MM
    return Geometry(Paper("slide", w, h, f"{SLIDE_W_PX}px {SLIDE_H_PX}px"), 0, 0, 0, 1, w, h, 0, 0)
