"""Mistakes that used to pass without a word: each is now a warning or an error at file:line:column."""
from __future__ import annotations

import re

import pytest

from helpers import run_cli, write_course

REFS = """
- id: smith2007
  type: book
  author: [{family: Smith, given: Ann}]
  issued: {date-parts: [[2007]]}
  title: A Book
"""


def course(tmp_path, lecture: str, extra: dict | None = None, course_extra: str = ""):
    files = {"course.yaml": "title: T\nauthor: A\nbibliography: refs.yaml\nlectures: [lectures/one.yaml]\n"
                            + course_extra,
             "refs.yaml": REFS, "lectures/one.yaml": lecture}
    files.update(extra or {})
    return write_course(tmp_path / "c", files)


def slides(*slide_yaml: str) -> str:
    body = "".join("      - " + s.strip().replace("\n", "\n        ") + "\n" for s in slide_yaml)
    return f"title: L\nsections:\n  - title: S\n    reading: Prose.\n    slides:\n{body}"


def problems(result) -> list[str]:
    return [m.group(1) for line in result.output.splitlines() if (m := re.match(r"^\S+?(:\d+:\d+: .*)$", line))]


def strict_check(root) -> list[str]:
    result = run_cli("check", str(root), "--strict")
    found = problems(result)
    assert (result.exit_code == 1) == bool(found), result.output
    return found


GOOD = "title: Fine\npoints: [a, b]"


def test_a_good_course_has_nothing_to_say(tmp_path):
    assert strict_check(course(tmp_path, slides(GOOD))) == []


def test_a_lecture_file_not_listed_in_course_yaml(tmp_path):
    root = course(tmp_path, slides(GOOD), {"lectures/two.yaml": slides(GOOD), "lectures/notes.txt": "x",
                                           "lectures/old/three.yaml": slides(GOOD)})
    found = strict_check(root)
    assert len(found) == 1
    assert found[0] == (":1:1: warning: this lecture file is not listed under `lectures:` in course.yaml, so "
                        "nothing is built from it: add `- lectures/two.yaml` there, or move the file out of lectures/")
    result = run_cli("check", str(root), "--strict")
    assert "lectures/two.yaml:1:1: warning" in result.output


def test_build_with_nothing_to_step_through(tmp_path):
    found = strict_check(course(tmp_path, slides(GOOD, "title: Quote\nbuild: true\nquote: {text: Words.}")))
    assert found == [":9:9: warning: `build: true` has nothing to step through: the slide has no points, columns, "
                     "highlighted code lines or chart series (build shows them one at a time); remove `build`, or add "
                     "points, columns, `highlight` or a second y column"]


def test_a_slide_with_only_a_title(tmp_path):
    found = strict_check(course(tmp_path, slides(GOOD, "title: Alone\nnotes: Say something.")))
    assert len(found) == 1
    assert found[0].startswith(":8:9: warning: the slide 'Alone' shows only its title: give it ")
    assert "points" in found[0] and "image" in found[0] and "notes are never shown on the slide" in found[0]


def test_an_in_text_citation_takes_its_locator_inside_the_parentheses(tmp_path):
    root = course(tmp_path, slides("title: Cited\npoints: ['As @smith2007 [ch. 4] argues', 'and @smith2007 [p. 3] too']"))
    result = run_cli("build", str(root), "--out", str(tmp_path / "out"), "--only", "deck", "-q", "--strict")
    assert result.exit_code == 0, result.output
    deck = (tmp_path / "out" / "slides" / "one.html").read_text("utf-8")
    text = re.sub(r"<[^>]+>", "", deck)
    assert "As Smith (2007, ch. 4) argues" in text and "and Smith (2007, 3) too" in text
    assert "[ch. 4]" not in text and "[p. 3]" not in text


def test_an_unknown_style_name_suggests_the_closest_bundled_ones(tmp_path):
    found = strict_check(course(tmp_path, slides(GOOD), course_extra="csl: chicago-note-bibliography\n"))
    assert len(found) == 1 and found[0].startswith(":5:6: unknown citation style `chicago-note-bibliography`: "
                                                   "did you mean `chicago-notes-bibliography`")
    found = strict_check(course(tmp_path / "2", slides(GOOD), course_extra="csl: apa7\n"))
    assert "did you mean `apa" in found[0]


# ---- pictures that are not what their names say -----------------------------------------------

def _picture(kind: str, size=(40, 30)) -> bytes:
    import io

    from PIL import Image
    if kind == "svg":
        return b'<?xml version="1.0"?>\n<!-- a map -->\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>\n'
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, {"jpg": "JPEG"}.get(kind, kind.upper()))
    return out.getvalue()


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header says width×height (the pixels are never there: only the header is read)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


def _image_slide(name: str) -> str:
    return f"title: Picture\nimage: {{src: images/{name}, alt: A picture}}"


def image_problems(tmp_path, name: str, data: bytes) -> list[str]:
    root = course(tmp_path, slides(GOOD, _image_slide(name)), {})
    (root / "images").mkdir(exist_ok=True)
    (root / "images" / name).write_bytes(data)
    return strict_check(root)


@pytest.mark.parametrize("kind", ["png", "jpg", "gif", "webp", "svg"])
def test_real_pictures_pass(tmp_path, kind):
    assert image_problems(tmp_path, f"map.{kind}", _picture(kind)) == []


HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Map</title></head><body>Saved page</body></html>\n"


@pytest.mark.parametrize("kind", ["png", "jpg", "gif", "webp", "svg"])
@pytest.mark.parametrize("data, holds", [
    (HTML_PAGE, "an HTML page"),
    (b"", None),
    (b"just some notes\nabout a map\n", "text"),
    (bytes(range(7, 250, 3)) * 20, "bytes of no picture format"),
])
def test_a_file_that_is_not_the_picture_its_name_says(tmp_path, kind, data, holds):
    found = image_problems(tmp_path, f"map.{kind}", data)
    assert len(found) == 1, found
    what = {"png": "PNG", "jpg": "JPEG", "gif": "GIF", "webp": "WebP", "svg": "SVG"}[kind]
    assert found[0].startswith(":9:22: ")  # the image's src
    if holds is None:
        assert found[0].endswith(f"the image 'images/map.{kind}' is an empty file: save the picture into it again")
    else:
        article = "an" if kind == "svg" else "a"
        assert f"the image 'images/map.{kind}' is not {article} {what} picture: the file holds {holds}" in found[0]
        assert "export or save the picture itself" in found[0]


def test_a_picture_of_another_kind_than_its_name_is_a_warning(tmp_path):
    found = image_problems(tmp_path, "map.png", _picture("jpg"))
    assert found == [":9:22: warning: the image 'images/map.png' is a JPEG picture, not PNG: rename it "
                     "to map.jpg (and its src)"]


def test_a_picture_too_large_to_print(tmp_path):
    found = image_problems(tmp_path, "huge.png", _png_header(20000, 20000))
    assert found == [":9:22: the image 'images/huge.png' is 20000×20000 pixels (400 megapixels); Lectern "
                     "takes at most 100 megapixels, as a picture that size needs 1.6 GB of memory to print: "
                     "scale it down (4000 pixels across is plenty for a slide or a page)"]
    found = image_problems(tmp_path / "b", "big.png", _png_header(8000, 6000))
    assert found == [":9:22: warning: the image 'images/big.png' is 8000×6000 pixels (48 megapixels), more "
                     "than a slide or a page can show (over 25): scale it down to keep the deck small"]


# ---- BibTeX that pandoc would print otherwise than meant --------------------------------------

BIB = r"""
@book{mcluhan1962,
  author = {McLuhan, Marshall},
  title = {The Gutenberg Galaxy: The Making of Typographic Man},
  publisher = {University of Toronto Press},
  year = 1962
}
@article{buringh2009,
  author = {Buringh, Eltjo and Zanden, Jan Luiten van},
  title = {Charting the Rise of the West: Manuscripts and Printed Books in Europe},
  journal = {The Journal of Economic History},
  year = 2009
}
@book{eisenstein1979,
  author = {Eisenstein, Elizabeth L.},
  title = {The printing press as an agent of change},
  year = 1979
}
@book{febvre1976,
  author = {Febvre, Lucien and Martin, Henri-Jean},
  title = {The coming of the book in Paris},
  year = 1976
}
"""

PROSE = """title: L
sections:
  - title: S
    reading: |
      Books spread across Europe after Gutenberg set up his press [@mcluhan1962; @buringh2009].
      Print changed scholarship [@eisenstein1979; @febvre1976].
    slides:
      - title: Fine
        points: ['Print spread [@buringh2009]', b]
"""


def bib_course(tmp_path, bib: str, lang: str = "en-GB"):
    return write_course(tmp_path / "c", {
        "course.yaml": f"title: T\nauthor: A\nlang: {lang}\nbibliography: refs.bib\ncsl: apa\n"
                       "lectures: [lectures/one.yaml]\n",
        "refs.bib": bib, "lectures/one.yaml": PROSE})


def test_bibtex_names_that_a_style_would_lower_case_or_cut(tmp_path):
    found = strict_check(bib_course(tmp_path, BIB))
    assert found == [
        ":1:7: warning: the title of `mcluhan1962` prints as \"The gutenberg galaxy: The making of typographic man\" "
        "in styles that use sentence case (like apa): pandoc lower-cases BibTeX title words that are not in braces. "
        "Brace the names: {Gutenberg} (or write the entry in CSL-YAML)",
        ":7:10: warning: the title of `buringh2009` prints as \"Charting the rise of the west: Manuscripts and printed "
        "books in europe\" in styles that use sentence case (like apa): pandoc lower-cases BibTeX title words that are "
        "not in braces. Brace the names: {Europe} (or write the entry in CSL-YAML)",
        ":7:10: warning: in `buringh2009`, pandoc reads \"van\" in the name \"Jan Luiten van Zanden\" as a particle that "
        "citations leave out (\"Zanden\", not \"van Zanden\"): to keep it, write the name `{van Zanden}, Jan Luiten`, "
        "or write the entry in CSL-YAML with `non-dropping-particle: van`",
        # "Paris" is a name (sentence-case title), "Rise", "West" and "Galaxy" are not known to be names
        ":18:7: warning: the title of `febvre1976` prints as \"The coming of the book in paris\" in styles that use "
        "sentence case (like apa): pandoc lower-cases BibTeX title words that are not in braces. Brace the names: "
        "{Paris} (or write the entry in CSL-YAML)",
    ]


def test_the_advice_fixes_what_is_printed(tmp_path):
    fixed = (BIB.replace("The Gutenberg Galaxy", "The {Gutenberg} Galaxy").replace("in Europe}", "in {Europe}}")
             .replace("Zanden, Jan Luiten van", "{van Zanden}, Jan Luiten").replace("in Paris", "in {Paris}"))
    root = bib_course(tmp_path, fixed)
    assert strict_check(root) == []
    result = run_cli("build", str(root), "--out", str(tmp_path / "out"), "--only", "deck", "-q", "--strict")
    assert result.exit_code == 0, result.output
    text = re.sub(r"<[^>]+>", "", (tmp_path / "out" / "slides" / "one.html").read_text("utf-8"))
    assert "Print spread (Buringh &amp; van Zanden, 2009)" in text  # the slide's citation
    references = re.sub(r"\s+", " ", text[text.index("Buringh, E."):])  # the references slide
    assert references.startswith("Buringh, E., &amp; van Zanden, J. L. (2009). Charting the rise of the west: "
                                 "Manuscripts and printed books in Europe.")
    assert "The coming of the book in Paris" in references and "The Gutenberg galaxy" in references


def test_a_course_in_another_language_keeps_bibtex_titles_as_written(tmp_path):
    found = strict_check(bib_course(tmp_path, BIB, lang="fr"))
    assert len(found) == 1 and "non-dropping-particle: van" in found[0]  # names are read the same in any language
