"""A chapter too long to lay out at once cut into pieces, each laid out as a document of its own.

WeasyPrint holds a whole document's boxes until it is painted: a lecture of 2,000 slides made a
guide chapter of hundreds of pages that took 2.5 GB. A chapter past SPLIT_LINES (estimated
lines of text: about 40 pages, far beyond any real lecture's chapter, which stays one piece and
is laid out as before) is cut into pieces of about PIECE_LINES, between blocks: a section's
reading, each top-level key point, each figure, its questions. Each piece starts a page; a
section cut across pieces goes on without its title (`GuideSection.continued`), its key-points
box without its heading (`points_continued`). print/guide lays the pieces out one after the
other (each on the side of the page it lands on) and joins them into the chapter's one part.

    pieces = pieces_of(chapter)      # [Piece(chapter view, first, last)], one when not too long
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..text.plain import plain
from ..text.view import Chapter, GuideSection, PointView

SPLIT_LINES = 1600  # a chapter estimated longer than this is laid out in pieces
PIECE_LINES = 600  # about fifteen pages a piece
LINE_CHARS = 80  # characters of a reading a line holds, for the estimate
FIGURE_LINES = 15  # a figure with its caption: about a third of a page


@dataclass(frozen=True)
class Piece:
    """One piece of a chapter: a Chapter view of its sections (or parts of them), and whether
    it opens the chapter, closes it, and starts on a left-hand page (set when it is laid out)."""

    chapter: Chapter
    first: bool
    last: bool
    left: bool = False


def _point_lines(point: PointView) -> int:
    return 1 + sum(_point_lines(child) for child in point.children)


def _blocks(section: GuideSection) -> list[tuple[str, object, int]]:
    """The section's blocks in print order: (kind, block, estimated lines)."""
    blocks: list[tuple[str, object, int]] = [("head", section.reading, 3 + len(plain(section.reading or "")) // LINE_CHARS)]
    blocks += [("point", point, _point_lines(point)) for point in section.key_points]
    blocks += [("figure", figure, FIGURE_LINES) for figure in section.figures]
    if section.questions:
        blocks.append(("questions", section.questions, 2 + len(section.questions)))
    return blocks


def estimated_lines(chapter: Chapter) -> int:
    return sum(lines for section in chapter.sections for _kind, _block, lines in _blocks(section))


def pieces_of(chapter: Chapter) -> list[Piece]:
    """The chapter in pieces of about PIECE_LINES (one piece, the chapter itself, when it is not
    longer than SPLIT_LINES)."""
    if estimated_lines(chapter) <= SPLIT_LINES:
        return [Piece(chapter, True, True)]
    runs: list[list[GuideSection]] = [[]]
    filled = 0
    for section in chapter.sections:
        part: GuideSection | None = None
        for kind, block, lines in _blocks(section):
            if filled and filled + lines > PIECE_LINES:  # this block starts the next piece
                runs.append([])
                filled = 0
                part = None
            if part is None:
                started = any(s.id == section.id for run in runs for s in run)
                part = replace(section, reading=None, key_points=[], figures=[], questions=[], continued=started,
                               points_continued=started and kind == "point" and block is not section.key_points[0])
                runs[-1].append(part)
            if kind == "head":
                part.reading = section.reading
            elif kind == "point":
                part.key_points.append(block)
            elif kind == "figure":
                part.figures.append(block)
            else:
                part.questions = list(section.questions)
            filled += lines
    runs = [run for run in runs if run]
    return [Piece(replace(chapter, sections=run), index == 0, index == len(runs) - 1)
            for index, run in enumerate(runs)]
