"""render/pdf.py: the confined fetcher, footnote checks on laid-out pages, and the PDF it writes."""
from __future__ import annotations

import io
import re
import socket
from pathlib import Path

import pypdf
import pytest

from lectern import pdf
from pdf_helpers import font_programs

pytestmark = pytest.mark.pdf

PAGE = "@page { size: A4; margin: 20mm; } body { font: 12px/16px serif; }"
NOTE_CSS = (".footnote { float: footnote; footnote-policy: line; } "
            ".footnote::footnote-call { content: attr(data-n); } "
            ".footnote::footnote-marker { content: attr(data-n) ' '; }")


def doc(body: str, css: str = "") -> str:
    return f"<!DOCTYPE html><html lang=en><head><style>{PAGE}{NOTE_CSS}{css}</style></head><body>{body}</body></html>"


def note(n: int, text: str) -> str:
    return f'<span class="footnote" id="fn-{n}" data-n="{n}">{text}</span>'


# ---- fetching -------------------------------------------------------------------------------

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f3d6d50000000049454e44ae426082")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    (root / "images").mkdir(parents=True)
    (root / "images" / "dot.png").write_bytes(PNG)
    (tmp_path / "secret.png").write_bytes(PNG)
    (root / "images" / "escape.png").symlink_to(tmp_path / "secret.png")
    return root


def test_fetcher_reads_files_inside_the_roots_only(course: Path):
    fetcher = pdf.ConfinedFetcher([course])
    inside = fetcher.fetch((course / "images" / "dot.png").as_uri())
    assert inside.read() == PNG
    for url in [(course.parent / "secret.png").as_uri(), (course / "images" / "escape.png").as_uri(),
                (course / "images" / ".." / ".." / "secret.png").as_uri(), "file:///etc/passwd",
                "http://127.0.0.1:9/x.png", "https://example.org/x.css", "ftp://example.org/x"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 7


def test_render_refuses_network_and_outside_files_without_connecting(course: Path, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("WeasyPrint tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    html = doc('<img src="images/dot.png"><img src="http://127.0.0.1:9/a.png">'
               f'<img src="{(course.parent / "secret.png").as_uri()}"><img src="images/escape.png">'
               '<link rel="stylesheet" href="https://example.org/x.css">')
    log: list[str] = []
    document = pdf.render(html, course, [course], log=log)
    refused = document.url_fetcher.refused
    assert "http://127.0.0.1:9/a.png" in refused
    assert "https://example.org/x.css" in refused
    assert any(url.endswith("secret.png") for url in refused)
    assert any(url.endswith("escape.png") for url in refused)
    assert not any(url.endswith("dot.png") for url in refused)


def test_a_style_sheet_parsed_once_still_warns_and_refuses_for_every_document(course: Path):
    """Documents laid out in one process share each parsed <style> sheet: what parsing it said
    (an unknown property, a font from outside the course) is said for every one of them."""
    css = ("p { colour: red; } "
           f"@font-face {{ font-family: Outside; src: url({(course.parent / 'secret.png').as_uri()}); }}")
    for body in ("<p>first</p>", "<p>second</p>"):
        log: list[str] = []
        document = pdf.render(doc(body, css), course, [course], log=log)
        assert any("colour" in line for line in log), log
        assert any(url.endswith("secret.png") for url in document.url_fetcher.refused)


def test_style_sheets_keep_their_order_and_style_attributes_still_win(tmp_path: Path):
    html = ("<!DOCTYPE html><html><head><style>@page { size: A6; margin: 10mm } p { font-size: 10px }</style>"
            "<style>p { font-size: 20px }</style></head><body><p>later sheet</p>"
            '<p style="font-size: 30px">attribute</p></body></html>')
    document = pdf.render(html, tmp_path, [tmp_path])
    lines = [box for page in document.pages for box in _text_boxes(page._page_box)]
    sizes = {box.text: box.style["font_size"] for box in lines}
    assert sizes == {"later sheet": 20, "attribute": 30}
    assert round(document.pages[0].width * 25.4 / 96) == 105  # A6: the first sheet's @page rule holds


THEME_FONTS = Path(__file__).resolve().parent.parent / "templates" / "fonts"


def _embedded_fonts(data: bytes) -> set[str]:
    """Which of the theme's faces each font embedded in a PDF is (its program names it)."""
    return {name for _, program in font_programs(pypdf.PdfReader(io.BytesIO(data)))
            for name in ("LinBiolinum", "LinLibertine") if name.encode() in program}


def _face_course(root: Path, font: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "face.otf").write_bytes((THEME_FONTS / font).read_bytes())
    return root


FACE_CSS = "@font-face { font-family: Face; src: url(face.otf); } p { font-family: Face; }"


def test_each_course_gets_its_own_font_under_a_family_another_document_named(tmp_path: Path):
    """One process lays out documents of several courses (the tests, serve's workers): a family
    two of them name from different files is, in each document, its own file."""
    sans = _face_course(tmp_path / "sans", "LinBiolinum_R.otf")
    serif = _face_course(tmp_path / "serif", "LinLibertine_R.otf")
    meta = pdf.PdfMeta("T", ["A"], "en")
    for root, expected in [(sans, "LinBiolinum"), (serif, "LinLibertine"), (sans, "LinBiolinum")]:
        data = pdf.write_pdf(pdf.render(doc("<p>Havana 1959</p>", FACE_CSS), root, [root]), meta)
        assert _embedded_fonts(data) == {expected}


def test_a_font_file_replaced_between_two_documents_is_the_new_font(tmp_path: Path):
    """A lecturer swaps a course's font while `serve` runs: the next build uses it."""
    root = _face_course(tmp_path / "course", "LinBiolinum_R.otf")
    meta = pdf.PdfMeta("T", ["A"], "en")
    first = pdf.write_pdf(pdf.render(doc("<p>Havana 1959</p>", FACE_CSS), root, [root]), meta)
    _face_course(root, "LinLibertine_R.otf")
    second = pdf.write_pdf(pdf.render(doc("<p>Havana 1959</p>", FACE_CSS), root, [root]), meta)
    assert (_embedded_fonts(first), _embedded_fonts(second)) == ({"LinBiolinum"}, {"LinLibertine"})


def _text_boxes(box):
    if type(box).__name__ == "TextBox":
        yield box
    for child in getattr(box, "children", ()) or ():
        yield from _text_boxes(child)


def test_render_takes_the_document_as_a_string_never_a_path(tmp_path: Path):
    (tmp_path / "page.html").write_text(doc("<p>FROM THE FILE</p>"))
    document = pdf.render(str(tmp_path / "page.html"), tmp_path, [tmp_path])
    text = " ".join(pdf.page_texts(document))
    assert "FROM THE FILE" not in text
    assert "page.html" in text


def test_no_attachment_ever_reaches_the_pdf(course: Path):
    (course / "notes.txt").write_text("private")
    html = doc('<link rel="attachment" href="notes.txt"><p><a rel="attachment" href="notes.txt">x</a></p>')
    document = pdf.render(html, course, [course])
    data = pdf.write_pdf(document, pdf.PdfMeta("T", ["A"], "en"))
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert "/Names" not in reader.trailer["/Root"] or "/EmbeddedFiles" not in reader.trailer["/Root"]["/Names"]
    assert b"private" not in data
    assert not reader.attachments


# ---- footnotes on the laid-out pages --------------------------------------------------------

def paragraphs(count: int, words: int = 60, notes_every: int = 2) -> tuple[str, list[str]]:
    body, ids = [], []
    for i in range(1, count + 1):
        text = " ".join(f"word{j}" for j in range(words))
        if i % notes_every == 0:
            text += note(i, f"Note number {i} with a few words of its own.")
            ids.append(f"fn-{i}")
        body.append(f"<p>{text}</p>")
    return "".join(body), ids


def test_every_note_is_found_on_the_page_of_its_call(tmp_path: Path):
    body, ids = paragraphs(40)
    document = pdf.render(doc(body), tmp_path, [tmp_path])
    check = pdf.check_footnotes(document, ids)
    assert len(document.pages) > 2
    assert not check.lost and not check.moved and not check.overlapping
    pages = {p.call_page for p in check.places.values()}
    assert len(pages) > 2  # notes on several pages, each found where it was called
    texts = pdf.page_texts(document)
    for place in check.places.values():
        number = place.id.split("-")[1]
        assert f"Note number {number} " in texts[place.note_page - 1]


def test_a_note_missing_from_the_pages_is_reported_lost(tmp_path: Path):
    body, ids = paragraphs(4)
    document = pdf.render(doc(body), tmp_path, [tmp_path])
    check = pdf.check_footnotes(document, ids + ["fn-99"])
    assert [p.id for p in check.lost] == ["fn-99"]


def test_fractional_footnote_area_borders_move_notes_and_the_check_sees_it(tmp_path: Path):
    """The WeasyPrint 70 bug the guide's CSS avoids: `.5pt`/`8pt` in @footnote pushes notes off."""
    body, ids = paragraphs(40)
    bad = "@page { @footnote { border-top: .5pt solid; margin-top: 8pt; } }"
    check = pdf.check_footnotes(pdf.render(doc(body, bad), tmp_path, [tmp_path]), ids)
    assert check.moved or check.lost
    good = "@page { @footnote { border-top: 1px solid; margin-top: 12px; } }"
    check = pdf.check_footnotes(pdf.render(doc(body, good), tmp_path, [tmp_path]), ids)
    assert not check.moved and not check.lost


def test_a_paragraph_with_one_line_left_moves_to_the_next_page_and_the_note_stays(tmp_path: Path):
    """WeasyPrint's own rule moves the page's last note away to fit a paragraph's second line
    (orphans: 2); with notekeep's, the paragraph starts on the next page and the note stays."""
    from lectern.pdf.weasy import notekeep

    assert notekeep.INSTALLED  # the WeasyPrint this project pins has the rule notekeep switches off
    css = "@page { size: 100mm 80mm; margin: 10mm; @footnote { border-top: 1px solid; } } p { margin: 0; orphans: 2; widows: 2; }"
    second = "Second paragraph that runs over several lines to make it long enough. " * 3

    def body(filler: int) -> str:
        return (f"<div style='height:{filler}px'></div><p>First paragraph with a call."
                f"{note(1, 'The note of the first paragraph.')} More text.</p><p>{second}</p>")

    moved_by_weasyprint = []
    for filler in range(130, 170, 4):
        with notekeep.weasyprint_rule():
            before = pdf.check_footnotes(pdf.render(doc(body(filler), css), tmp_path, [tmp_path]), ["fn-1"])
        document = pdf.render(doc(body(filler), css), tmp_path, [tmp_path])
        check = pdf.check_footnotes(document, ["fn-1"])
        assert not check.moved and not check.lost, filler
        if before.moved:
            moved_by_weasyprint.append(filler)
            texts = pdf.page_texts(document)
            assert "The note of the first paragraph." in texts[0] and "Second paragraph" not in texts[0]
            assert texts[1].lstrip().startswith("Second paragraph")
    assert moved_by_weasyprint  # else this test no longer shows the case it is about


def test_a_note_longer_than_the_page_is_reported_as_painted_over_the_body(tmp_path: Path):
    long_note = note(1, " ".join(["very long note"] * 900))
    body = "<p>" + " ".join(["text"] * 300) + long_note + " more text</p><p>" + " ".join(["after"] * 300) + "</p>"
    check = pdf.check_footnotes(pdf.render(doc(body), tmp_path, [tmp_path]), ["fn-1"])
    assert [p.id for p in check.overlapping] == ["fn-1"]


# ---- the PDF --------------------------------------------------------------------------------

def test_metadata_language_page_labels_and_identical_bytes(tmp_path: Path):
    body, _ = paragraphs(20)
    meta = pdf.PdfMeta("A Title", ["Ana Author", "Ben Author"], "es", date="2026-11-24")
    labels = [pdf.PageLabel(0, "r"), pdf.PageLabel(1, "D", 1)]
    first = pdf.write_pdf(pdf.render(doc(body), tmp_path, [tmp_path]), meta, page_labels=labels)
    second = pdf.write_pdf(pdf.render(doc(body), tmp_path, [tmp_path]), meta, page_labels=labels)
    assert first == second
    reader = pypdf.PdfReader(io.BytesIO(first))
    info = reader.metadata
    assert info.title == "A Title"
    assert info.author == "Ana Author, Ben Author"
    assert info["/CreationDate"].startswith("D:20261124")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "es"
    assert "/StructTreeRoot" in root  # tagged (PDF/UA-1)
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    assert reader.page_labels[:3] == ["i", "1", "2"]


def test_no_clock_in_the_pdf_without_a_course_date(tmp_path: Path):
    data = pdf.write_pdf(pdf.render(doc("<p>x</p>"), tmp_path, [tmp_path]), pdf.PdfMeta("T", ["A"], "en"))
    info = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert "/CreationDate" not in info and "/ModDate" not in info


def test_a_dot_leader_is_one_run_of_text_where_weasyprints_dots_were(tmp_path: Path):
    """The contents' leaders: one text box a leader (painting each dot's box cost a second at
    L), spanning exactly the dots WeasyPrint placed, so every dot is where it was."""
    from lectern.pdf.weasy import leaders

    assert leaders.INSTALLED
    css = ".toc a { display: block; } .toc a::after { content: leader('. ') attr(data-page); }"
    entries = "".join(f'<li><a href="#s{n}" data-page="{n * 7}">{"Entry " * (n % 5 + 1)}{n}</a></li>'
                      for n in range(1, 30))
    html = doc(f'<ol class="toc">{entries}</ol>', css)

    def dots(document) -> list[list[tuple[float, float, str]]]:
        lines = []
        for page in document.pages:
            for box in pdf._walk(page._page_box):
                if getattr(box, "is_leader", False):
                    lines.append([(c.position_x, c.position_x + c.width, c.text) for c in box.children])
        return lines

    with leaders.weasyprint_own():
        theirs = dots(pdf.render(html, tmp_path, [tmp_path]))
    ours = dots(pdf.render(html, tmp_path, [tmp_path]))
    assert len(ours) == len(theirs) == 29
    for mine, copies in zip(ours, theirs):
        assert len(copies) > 5 and len(mine) == 1
        (left, right, text), = mine
        assert left == pytest.approx(min(c[0] for c in copies)) and right == pytest.approx(max(c[1] for c in copies))
        assert text == ". " * len(copies)


def test_an_svg_label_is_one_run_of_text_where_weasyprints_letters_were(tmp_path: Path):
    """Chart labels (one x and y each) are set as one run, not one text object a letter, and
    their ink covers what WeasyPrint's letters covered (within kerning), whatever the anchor."""
    import shutil
    import subprocess

    from PIL import Image

    from lectern.pdf.weasy import svgtext

    assert svgtext.INSTALLED
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    labels = [("Wages 1950", 'x="200" y="30" text-anchor="middle"'), ("Pensions", 'x="390" y="70" text-anchor="end"'),
              ("Tobacco", 'x="10" y="110"')]
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120" viewBox="0 0 400 120">'
           + "".join(f'<text {where} font-size="20" fill="#000">{text}</text>' for text, where in labels) + "</svg>")
    html = doc(f"<div>{svg}</div>", "@page { size: 120mm 40mm; margin: 0 } body { margin: 0 }")

    def laid_out(name: str) -> tuple[int, list[tuple[int, int, int, int]]]:
        data = pdf.write_pdf(pdf.render(html, tmp_path, [tmp_path]), pdf.PdfMeta(title="t", authors=[], lang="en"))
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "96", "-png", "-singlefile", str(tmp_path / f"{name}.pdf"),
                        str(tmp_path / name)], check=True)
        image = Image.open(tmp_path / f"{name}.png").convert("L").point(lambda v: 255 if v < 128 else 0)
        bands = [image.crop((0, top, image.width, top + 40)).getbbox() for top in (0, 40, 80)]
        page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
        forms = page["/Resources"].get("/XObject", {})  # WeasyPrint draws each label in a form of its own
        streams = [page.get_contents().get_data()] + [form.get_object().get_data() for form in forms.values()]
        return sum(stream.count(b" Tm") for stream in streams), bands

    with svgtext.weasyprint_own():
        their_runs, theirs = laid_out("theirs")
    our_runs, ours = laid_out("ours")
    assert our_runs == 3 and their_runs > 20  # WeasyPrint's own: a text object a letter
    anchors = {"middle": lambda box: (box[0] + box[2]) / 2, "end": lambda box: box[2], "start": lambda box: box[0]}
    for mine, their, anchor in zip(ours, theirs, ("middle", "end", "start")):
        assert mine is not None and their is not None
        assert abs(anchors[anchor](mine) - anchors[anchor](their)) <= 1.5, (anchor, mine, their)
        assert abs((mine[2] - mine[0]) - (their[2] - their[0])) <= 0.05 * (their[2] - their[0])  # kerning
        assert (mine[1], mine[3]) == (their[1], their[3])


def test_balanced_columns_split_as_weasyprints_own_steps_do(tmp_path: Path):
    """colsearch finds the column height WeasyPrint's own 1-step-at-a-time balancing stops at
    (so every item lands where it did) in fewer layouts: the deck's timeline of events kept
    whole, in two columns, for lists of several lengths and texts."""
    from lectern.pdf.weasy import colsearch

    assert colsearch.INSTALLED
    css = (".down { columns: 2; column-gap: 56px; list-style: none; padding: 0; }"
           ".down li { break-inside: avoid; border-left: 3px solid; padding-left: 18px; margin-bottom: 0.45em; }"
           "time { display: block; font-weight: 700; }")
    probes = []
    original_next = colsearch.HeightSearch.next

    def counted(self, *args):
        probes.append(1)
        return original_next(self, *args)

    def places(html: str) -> list[tuple[float, float]]:
        document = pdf.render(html, tmp_path, [tmp_path])
        found = {}
        for page in document.pages:
            for box in pdf._walk(page._page_box):
                if getattr(box, "element_tag", None) == "li":  # its first box: the item's place
                    found.setdefault(id(box.element), (round(box.position_x, 3), round(box.position_y, 3)))
        return list(found.values())

    steps = 0
    for n in (5, 7, 8, 11):
        items = "".join(f"<li><time>{1950 + i}</time> {'An event of some length. ' * (1 + (i * 7) % 5)}</li>"
                        for i in range(n))
        html = doc(f'<ol class="down">{items}</ol>', css)
        with colsearch.weasyprint_own():
            theirs = places(html)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(colsearch.HeightSearch, "next", counted)
            ours = places(html)
        assert ours == theirs and len(ours) == n
        assert len({x for x, _ in ours}) == 2  # two columns
    assert probes  # the search ran


def struct_elems(reader: pypdf.PdfReader) -> list[dict]:
    """Every structure element of a tagged PDF (pypdf objects, resolved), depth first."""
    found = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if node.get("/Type") == "/StructElem" or "/S" in node:
                found.append(node)
            if "/K" in node:
                walk(node["/K"])
    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return found


def test_notes_are_tagged_note_and_an_svgs_alternative_text_is_its_title_and_description(tmp_path: Path):
    """WeasyPrint tags a footnote Span and gives an SVG its <title> alone as /Alt; Lectern's
    tagging makes the note a Note (with its id) and the /Alt the title and the description
    (a chart's values), or the aria-label of an SVG picture with neither."""
    from lectern.pdf.weasy import tagging

    assert tagging.INSTALLED
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="30" role="img">'
           '<title>Harvest</title><desc>Bar chart: 1960 5.9, 1970 8.5 million tonnes.</desc>'
           '<rect width="60" height="30" fill="#888"/></svg>')
    picture = ('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="30" role="img" '
               'aria-label="A map of the island"><rect width="60" height="30" fill="#484"/></svg>')
    html = doc(f"<p>The harvest grew.{note(1, 'A note.')}</p>{svg}{picture}")
    meta = pdf.PdfMeta("T", ["A"], "en")

    def tagged() -> list[tuple[str, str]]:
        reader = pypdf.PdfReader(io.BytesIO(pdf.write_pdf(pdf.render(html, tmp_path, [tmp_path]), meta)))
        return [(str(e["/S"]), str(e.get("/Alt", e.get("/ID", "")))) for e in struct_elems(reader)
                if e["/S"] in ("/Figure", "/Note", "/Span")]

    with tagging.weasyprint_own():
        theirs = tagged()
    ours = tagged()
    assert ("/Note", "fn-1") not in theirs and ("/Figure", "Harvest") in theirs
    assert ("/Figure", "") in theirs  # the picture: no alternative text at all
    assert ("/Note", "fn-1") in ours
    assert ("/Figure", "Harvest. Bar chart: 1960 5.9, 1970 8.5 million tonnes.") in ours
    assert ("/Figure", "A map of the island") in ours


def _structure(data: bytes) -> list[tuple[str, str]]:
    """(type, alternate text) of every element of a PDF's structure tree that has alternate text."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not isinstance(node, dict):
            continue
        if "/Alt" in node:
            found.append((str(node.get("/S")), str(node["/Alt"])))
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        stack += [k for k in kids if hasattr(k, "get_object")]
    return sorted(found)


def test_a_formula_is_tagged_as_a_formula_with_its_source_as_alternate_text(tmp_path: Path):
    """A typeset formula is a /Formula in the tagged PDF (WeasyPrint's own tags it a /Figure),
    with its LaTeX source as /Alt, for a screen reader; a picture stays a /Figure."""
    from lectern.pdf.pdfwrite import PdfMeta, write_pdf
    from lectern.pdf.weasy import tagging
    from lectern.text import mathsvg

    tex = r"\bar{x} = \frac{1}{n} \sum_{i=1}^{n} x_i"
    square = ('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><title>A square</title>'
              '<rect width="20" height="20"/></svg>')
    html = doc(f"<p>The mean {mathsvg.typeset(tex, False).print_html()} of the sample.</p>"
               f"<p>{mathsvg.typeset(tex, True).print_html()}</p><p>{square}</p>")
    meta = PdfMeta("Formulas", ["A"], "en")
    ours = _structure(write_pdf(pdf.render(html, tmp_path, [tmp_path]), meta))
    with tagging.weasyprint_own():
        theirs = _structure(write_pdf(pdf.render(html, tmp_path, [tmp_path]), meta))
    assert ("/Figure", tex) in theirs and ("/Formula", tex) not in theirs
    assert ours == [("/Figure", "A square"), ("/Formula", tex), ("/Formula", tex)]


def _path_calls(draw, d: str):
    """What a path function does with `d`: the bytes it puts in the stream and the markers' vertices
    (the node has a marker, so both are asked for)."""
    import pydyf

    class Node(dict):
        vertices: list

    class Svg:
        inner_width = inner_height = 100

        def __init__(self):
            self.stream = pydyf.Stream()

        def point(self, x, y, font_size):
            from weasyprint.svg.utils import size
            return size(x, font_size, 100), size(y, font_size, 100)

    node, svg = Node(d=d, **{"marker-mid": "url(#dot)"}), Svg()
    node.vertices = []
    try:
        draw(svg, node, 16)
    except Exception as exc:  # WeasyPrint's own fails on some odd paths: then both must fail alike
        return type(exc).__name__
    return b"\n".join(pydyf._to_bytes(item) for item in svg.stream.stream), node.vertices


def test_an_svg_path_is_drawn_with_exactly_weasyprints_calls_however_it_is_read():
    """svgpath reads plain absolute paths (a formula's glyphs) in one pass: the PDF operators and
    marker vertices are the ones WeasyPrint's own reading gives, for glyphs, for charts' paths and
    for 300 random paths mixing what svgpath reads with what it leaves to WeasyPrint."""
    import random

    from lectern.pdf.weasy import svgpath
    from lectern.text import mathsvg

    assert svgpath.INSTALLED
    glyphs = re.findall(r' d="([^"]*)"', mathsvg._typeset(r"\left(\frac{\sqrt{x^2+1}}{\sum_i y_i}\right)", True).svg)
    rnd = random.Random(7)

    def number(plain: bool) -> str:
        return rnd.choice([str(rnd.randint(-50, 50)), f"{rnd.uniform(-99, 99):.3f}", "-0", "0.5"]
                          + ([] if plain else ["1e2", ".5", "+3"]))

    def command(plain: bool) -> str:
        letter = rnd.choice("MLQCZ" if plain else "MLQCZmlhvHVTSA")
        arity = {"M": 2, "L": 2, "Q": 4, "C": 6, "Z": 0, "m": 2, "l": 2, "h": 1, "v": 1, "H": 1, "V": 1,
                 "T": 2, "S": 4, "A": 7}[letter]
        repeats = rnd.choice([1, 1, 2])
        if letter == "A":
            return "A 5 5 0 0 1 " + " ".join(number(plain) for _ in range(2))
        return letter + " " + " ".join(number(plain) for _ in range(arity * repeats if arity else 0))

    randoms = [" ".join(command(i % 2 == 0) for _ in range(rnd.randint(1, 12))) for i in range(300)]
    plain = [d for d in randoms if svgpath._PLAIN.fullmatch(d)]
    assert len(glyphs) > 5 and 100 < len(plain) < 200  # both ways are exercised
    for d in glyphs + ["M 0 0 L 10 0 L 10 10 Z M 2 2 L 3 3 Z", "M 1 1 2 2 3 3 Z", "M 1 1 Z Z L 4 4", "Z M 0 0"] + randoms:
        assert _path_calls(svgpath.path, d) == _path_calls(svgpath.ORIGINAL, d), d
        assert _path_calls(svgpath.path, d) == _path_calls(svgpath.ORIGINAL, d), d  # remembered


def test_streams_are_compressed_at_level_six_and_read_back_as_pydyfs_own_would():
    """zlevel: a page drawn with a formula is written at zlib level 6; it decompresses to the very
    drawing pydyf's level 9 holds, and the file is within 5% of pydyf's size (1% on a whole guide)."""
    import zlib

    from lectern.pdf.weasy import zlevel
    from lectern.text import mathsvg

    assert zlevel.INSTALLED and zlevel.LEVEL == 6
    formula = mathsvg.typeset(r"\hat{\beta} = (X^\top X)^{-1} X^\top y + \sum_{i=1}^{n} \frac{1}{i^2}", True)
    html = "<p>" + "Words and a formula " * 40 + formula.print_html() * 12 + "</p>"
    ours = pdf.render(html, Path("."), [Path(".")]).write_pdf()
    with zlevel.pydyf_own():
        theirs = pdf.render(html, Path("."), [Path(".")]).write_pdf()

    def drawings(data: bytes) -> list[bytes]:
        found = []
        for head, body in re.findall(rb"<<([^\n]*?/FlateDecode[^\n]*)>>\nstream\n(.*?)\nendstream", data, re.S):
            if b"/XRef" not in head:  # the cross-reference: its offsets follow the sizes
                found.append(zlib.decompress(body))
        return found

    assert drawings(ours) == drawings(theirs) and len(drawings(ours)) >= 1
    assert ours != theirs and len(ours) < len(theirs) * 1.05


def test_a_piece_of_a_document_prints_the_page_numbers_of_the_whole():
    """pagenumbers: with PageNumbers(before=4, total=10) the margins of a three-page document read
    5 / 10 to 7 / 10, and a counter inside the content is untouched; WeasyPrint's own: 1 / 3 to 3 / 3."""
    from lectern.pdf.weasy import pagenumbers

    assert pagenumbers.INSTALLED
    html = ("<style>@page { size: 120mm 80mm; @bottom-center { content: counter(page) ' / ' counter(pages) } }"
            "section { break-after: page; counter-increment: part } section::before { content: 'Part ' counter(part) }"
            "</style>" + "<section>.</section>" * 3)

    def folios(numbers=None) -> list[str]:
        document = pdf.render(html, Path("."), [Path(".")], numbers=numbers)
        return [" ".join(text.split()) for text in pdf.page_texts(document)]

    assert folios(pdf.PageNumbers(before=4, total=10)) == [f"Part {k} . {k + 4} / 10" for k in (1, 2, 3)]
    assert folios() == [f"Part {k} . {k} / 3" for k in (1, 2, 3)]
    with pagenumbers.weasyprint_own():
        assert folios(pdf.PageNumbers(before=4, total=10)) == [f"Part {k} . {k} / 3" for k in (1, 2, 3)]


def test_text_laid_out_with_shared_pango_contexts_is_weasyprints_own_byte_for_byte(tmp_path: Path):
    """pangoshare makes each Pango layout from a context and font description shared by its
    font: text in several fonts, sizes, weights, languages and directions, underlined, struck,
    with OpenType features, letter- and word-spacing, hyphenated, gives WeasyPrint's own PDF."""
    from lectern.pdf.weasy import pangoshare

    assert pangoshare.INSTALLED
    words = "The harvest of 1970 fell short of its ten million tonnes, and the economy paid for it. "
    for font in ("LinLibertine_R.otf", "LinLibertine_RI.otf", "LinBiolinum_RB.otf"):
        (tmp_path / font).write_bytes((THEME_FONTS / font).read_bytes())
    faces = ("@font-face { font-family: Lib; src: url(LinLibertine_R.otf); } "
             "@font-face { font-family: Lib; font-style: italic; src: url(LinLibertine_RI.otf); } "
             "@font-face { font-family: Bio; font-weight: bold; src: url(LinBiolinum_RB.otf); } ")
    css = (faces + "p { font-family: Lib; font-size: 11pt; hyphens: auto; text-align: justify; } "
           ".u { text-decoration: underline overline; } .w { font-family: Bio; } "
           ".s { text-decoration: line-through; font-variant-numeric: oldstyle-nums; } "
           ".w { letter-spacing: 0.05em; word-spacing: 3px; font-weight: bold; } .i { font-style: italic; } "
           ".sc { font-variant-caps: small-caps; font-family: serif; } .m { font-family: monospace; font-size: 9pt; }")
    body = "".join([
        f'<p lang="en">{words * 3}<span class="u">{words}</span></p>',
        f'<p lang="es" class="i">La zafra de 1970 no alcanzó los diez millones de toneladas. {words}</p>',
        f'<p lang="de" class="w">Die Zuckerrohrernte blieb hinter dem Ziel zurück. {words}</p>',
        f'<p class="s">{words * 2}</p><p class="sc">{words}</p><p class="m">{words}</p>',
        '<p dir="rtl" lang="ar">السكر والحصاد</p>',
    ])
    html = doc(body, css)
    meta = pdf.PdfMeta(title="Shared", authors=["A"], lang="en")

    def written() -> bytes:
        return pdf.write_pdf(pdf.render(html, tmp_path, [tmp_path]), meta)

    ours, again = written(), written()
    with pangoshare.weasyprint_own():
        theirs = written()
    assert ours == theirs == again
    assert len(pangoshare._fonts) >= 6  # kept per font: the fonts above, each made once
    for n in range(pangoshare.MOST_CONFIGS + 2):  # as many sets of sheets, each its own font configuration
        pdf.render(doc(f"<p>{words}</p>", f"/* set {n} */"), tmp_path, [tmp_path])
    assert len(pangoshare._configs) <= pangoshare.MOST_CONFIGS  # the oldest let go, with their fonts
    assert {key[0] for key in pangoshare._fonts} <= set(pangoshare._configs)
