"""A full build of the small fixture course: every output appears, and the build's safety rules hold."""
from __future__ import annotations

import re
import subprocess

import pytest

from helpers import copy_fixture, embedded_face_name, run_cli
from pdf_helpers import font_programs

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("build")
    course = copy_fixture("mini", root)
    with open(course / "course.yaml", "a", encoding="utf-8") as fh:
        fh.write("outputs: [deck, guide, handouts, notes, slides-pdf]\n")
    out = root / "out"
    result = run_cli("build", str(course), "--out", str(out))
    assert result.exit_code == 0, result.output
    return course, out, result


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_every_output_is_written(built):
    _, out, _ = built
    expected = {"index.html", "study-guide.pdf",
                "slides/intro.html", "slides/second.html", "slides/intro.pdf", "slides/second.pdf",
                "handouts/intro.pdf", "handouts/second.pdf", "handouts/intro-notes.pdf", "handouts/second-notes.pdf"}
    written = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and ".lectern" not in p.parts}
    assert written == expected
    for name in expected:
        if name.endswith(".pdf"):
            assert (out / name).read_bytes().startswith(b"%PDF-")


def test_index_links_every_output(built):
    _, out, _ = built
    html = (out / "index.html").read_text("utf-8")
    for href in ["slides/intro.html", "slides/second.html", "handouts/intro.pdf", "study-guide.pdf",
                 "handouts/intro-notes.pdf", "slides/intro.pdf"]:
        assert f'href="{href}"' in html
    assert "A Small Course on <em>Testing</em>" in html


def test_deck_has_generated_and_written_slides(built):
    _, out, _ = built
    html = (out / "slides" / "intro.html").read_text("utf-8")
    for text in ["The first lecture", "Beginnings", "Two stories of 1959", "Step by step", "A quotation",
                 "Real wages", "Questions for discussion", "References", "Why does the myth persist?",
                 "Cushion, Steve. 2016."]:
        assert text in html, text
    assert "&lt;script&gt;" not in html or "<script>alert(1)</script>" not in html
    assert not re.search(r'(src|href)="https?://', html), "a deck must not fetch anything from a network"


def test_guide_has_chapters_footnotes_and_bibliography(built):
    _, out, _ = built
    text = pdf_text(out / "study-guide.pdf")
    for needle in ["The first lecture", "The second lecture", "Beginnings", "A first inline note",
                   "The Partido Independiente de Color was founded in 1908.", "Cushion, Steve. 2016.",
                   "Franklin, Jane. 2016.", "Gonzalez, Mike. 2016."]:
        assert needle in text, needle
    assert "<script>alert(1)</script>" in text  # raw HTML in prose is shown as text


def test_out_that_contains_the_course_is_refused(tmp_path):
    course = copy_fixture("mini", tmp_path)
    result = run_cli("build", str(course), "--out", str(tmp_path), "--only", "deck")
    assert result.exit_code == 1
    assert "is or contains the course folder" in result.output
    result = run_cli("build", str(course), "--out", str(course), "--only", "deck")
    assert result.exit_code == 1


def test_clean_removes_only_what_builds_wrote(tmp_path):
    course = copy_fixture("mini", tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", "utf-8")
    assert run_cli("build", str(course), "--out", str(out), "--only", "deck", "-q").exit_code == 0
    assert (out / "slides" / "intro.html").exists()
    result = run_cli("clean", "--out", str(out))
    assert result.exit_code == 0
    assert sorted(p.name for p in out.rglob("*")) == ["mine.txt"]


def test_new_course_builds(tmp_path):
    target = tmp_path / "starter"
    assert run_cli("new", str(target)).exit_code == 0
    result = run_cli("build", str(target), "--out", str(tmp_path / "out"), "--strict", "--only", "deck")
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "out" / "slides").glob("*.html"))


def test_a_broken_course_template_names_its_file_and_line(tmp_path):
    course = copy_fixture("mini", tmp_path)
    (course / "templates" / "deck").mkdir(parents=True)
    (course / "templates" / "deck" / "slide-title.html.j2").write_text("<h1>{{ s.title }}</h1>\n{{ nosuch.x }}\n",
                                                                      "utf-8")
    result = run_cli("build", str(course), "--out", str(tmp_path / "out"), "--only", "deck", "-q")
    assert result.exit_code == 1
    assert "templates/deck/slide-title.html.j2:2: template error: 'nosuch' is undefined" in result.output
    assert "Traceback" not in result.output
    out = tmp_path / "out"
    assert not out.exists() or [p.name for p in out.iterdir()] == [".lectern"]  # at most the build lock


def test_build_is_clean_and_the_guide_uses_the_bundled_fonts(built):
    _, out, result = built
    assert "warning" not in result.output, result.output  # warnings fail tests, as --strict would
    fonts = subprocess.run(["pdffonts", str(out / "study-guide.pdf")], capture_output=True, text=True,
                           check=True).stdout
    assert "Lectern-Serif" in fonts and "Lectern-Sans" in fonts


def test_pandoc_failing_in_its_thread_is_a_message_and_nothing_is_written(tmp_path, monkeypatch):
    """The citations are formatted in a thread while the templates compile: pandoc's failure
    still reaches the user as Lectern's one-line error, with exit status 1 and no output."""
    from lectern.text.cite import pandoc as cite
    from lectern.problems import RenderError

    def failing(args, stdin):
        raise RenderError("formatting the citations failed (pandoc): Error parsing the style")
    monkeypatch.setattr(cite, "_run", failing)
    monkeypatch.setattr(cite, "_kept_run", lambda key: None)
    cite._MEMO.clear()
    course = copy_fixture("mini", tmp_path)
    out = tmp_path / "out"
    result = run_cli("build", str(course), "--out", str(out), "--only", "deck")
    assert result.exit_code == 1
    assert "formatting the citations failed (pandoc): Error parsing the style" in result.output
    assert "Traceback" not in result.output and not out.exists()


def _sans_faces_in_pdf(path) -> set[str]:
    """The font program (by its own name) behind each 'Lectern-Sans' regular face a PDF embeds."""
    import pypdf
    return {name for font, program in font_programs(pypdf.PdfReader(str(path))) if font == "Lectern-Sans"
            for name in ("LinLibertineOI", "LinBiolinumO") if name.encode() in program}


def test_a_courses_own_font_file_replaces_the_themes_in_every_output(tmp_path):
    """templates/fonts/LinBiolinum_R.otf in a course is its sans face in the deck, the guide and
    the handouts alike (here an italic serif, so that it shows)."""
    from lectern.theme import fonts
    if not fonts.fonts_available():
        pytest.skip("the theme's fonts are not here")
    course = copy_fixture("mini", tmp_path)
    (course / "templates" / "fonts").mkdir(parents=True)
    theme_fonts = fonts.FONT_DIRS[0]
    (course / "templates" / "fonts" / "LinBiolinum_R.otf").write_bytes((theme_fonts / "LinLibertine_RI.otf").read_bytes())
    out = tmp_path / "out"
    result = run_cli("build", str(course), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert embedded_face_name((out / "slides" / "intro.html").read_text("utf-8")) == "Linux Libertine O Italic"
    assert _sans_faces_in_pdf(out / "study-guide.pdf") == {"LinLibertineOI"}
    assert _sans_faces_in_pdf(out / "handouts" / "intro.pdf") == {"LinLibertineOI"}
