"""Layouts (issue 18) in print: columns stand side by side in the handouts, the notes and the slide
PDF; the guide shows the columns' and the picture rows' pictures as numbered figures."""
from __future__ import annotations

import re
import subprocess

import pytest

from helpers import build_fixture, run_cli


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return build_fixture("layouts", tmp_path_factory.mktemp("layouts-print")).out


def words(pdf) -> list[tuple[int, float, float, str]]:
    """(page, x, y, word) of every word, from pdftotext's bounding boxes."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', line)
        if m:
            found.append((page, float(m[1]), float(m[2]), m[3]))
    return found


def at(found, word: str):
    hits = [w for w in found if w[3] == word]
    assert hits, f"{word!r} is not in the PDF"
    return hits[0]


@pytest.mark.parametrize("pdf", ["handouts/one.pdf", "handouts/one-notes.pdf", "slides/one.pdf"])
def test_three_columns_stand_side_by_side(out, pdf):
    found = words(out / pdf)
    alpha, saying = at(found, "Alpha"), at(found, "saying.")
    assert alpha[0] == saying[0]  # same page
    assert saying[1] > alpha[1] + 20  # the quote's column is to the right of the points'
    assert abs(saying[2] - alpha[2]) < 8  # on the same line


def images_on_pages(pdf) -> dict[int, int]:
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages: dict[int, int] = {}
    for line in listing.splitlines()[2:]:
        page = int(line.split()[0])
        pages[page] = pages.get(page, 0) + 1
    return pages


def test_the_guide_shows_every_picture_of_the_columns_and_rows_as_a_figure(out):
    guide = out / "study-guide.pdf"
    assert sum(images_on_pages(guide).values()) == 5  # one in a column, three in a row, one sized
    text = subprocess.run(["pdftotext", str(guide), "-"], capture_output=True, text=True, check=True).stdout
    for caption in ("The first picture", "Orange", "Blue", "Green"):
        assert re.search(rf"Figure 1\.\d+\s+{caption}", text), caption
    assert "Left column point two" in text  # a columns slide's points are its key points


def test_the_handout_draws_the_row_of_pictures_on_one_slide(out):
    pages = images_on_pages(out / "handouts" / "one.pdf")
    assert max(pages.values()) >= 4  # the slide of three pictures and the sized picture share a page


def test_the_starter_handout_draws_backgrounds_whole_and_column_pictures_in_their_column(tmp_path):
    """In a handout cell (a scaled slide) WeasyPrint sized a `cover` CSS background to half the
    slide and laid flex columns out with no height, a column's picture over the title: the
    background is now an image and print columns are table cells, as the pages show."""
    import sys
    from pathlib import Path
    from PIL import Image
    sys.path.insert(0, str(Path(__file__).parent))
    from test_handout_browser import weasy_boxes
    from lectern.pipeline import check
    from lectern.print import handout
    from lectern.text.resolve import resolve
    from lectern.theme.templates import make_env, theme_dirs
    course = tmp_path / "course"
    assert run_cli("new", str(course)).exit_code == 0
    checked = check(course)
    deck = next(iter(resolve(checked.course, checked.markup, checked.marks).decks.values()))
    env, roots = make_env(None), [course, *theme_dirs(None)]
    # the columns slide, laid out for print: the picture inside its column, below the header
    boxes = weasy_boxes(handout.handout_document("slides", deck, env, roots, "A4"))
    n = next(s.number for s in deck.slides if getattr(s, "columns", None))
    column = boxes[n]["/1div/0div/1div"]
    picture = boxes[n]["/1div/0div/1div/0figure"]
    assert picture[0] >= column[0] and picture[0] + picture[2] <= column[0] + column[2] + 1, (column, picture)
    assert picture[1] >= boxes[n]["/0header"][1] + boxes[n]["/0header"][3], (picture, boxes[n]["/0header"])
    # the background slide, printed in a handout: dark across its whole width
    out = tmp_path / "out"
    assert run_cli("build", str(course), "--out", str(out)).exit_code == 0
    pdf = next((out / "handouts").glob("*.pdf"))
    b = next(s.number for s in deck.slides if getattr(s, "background", None))
    page = at(words(pdf), "Sketch")[0]
    subprocess.run(["pdftoppm", "-r", "50", "-f", str(page), "-l", str(page), "-png", str(pdf), str(tmp_path / "p")],
                   check=True)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    found = words(pdf)
    x, y = at(found, "Sketch")[1:3]  # a word on the background slide (points, at 72 dpi)
    scale = 50 / 72
    row = [image.getpixel((int((x + dx) * scale), int((y + 40) * scale))) for dx in range(0, 300, 20)]
    assert max(row) < 90, (b, row)  # the picture and its dim reach the slide's right edge
