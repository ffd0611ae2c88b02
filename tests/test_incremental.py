"""Incremental builds: what a second build rebuilds, skips, and what the manifest remembers."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pdf_helpers import outline
from lectern.pipeline import BuildOptions, build
from lectern.problems import ContentError
from lectern.theme import fonts
from lectern.report import BufferReporter

MINI = Path(__file__).parent / "fixtures" / "mini"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def course(tmp_path: Path) -> Path:
    dest = tmp_path / "course"
    shutil.copytree(MINI, dest)
    return dest


@pytest.fixture(autouse=True)
def frozen_code(tmp_path_factory, monkeypatch):
    """Fingerprint a copy of Lectern's code and theme taken when the test starts.

    Outputs are keyed on the code and theme too; in a working tree others edit, a file saved
    between two builds of a test would (rightly) rebuild everything and hide what is tested.
    """
    from lectern.state import cache
    frozen = tmp_path_factory.mktemp("frozen")
    shutil.copytree(cache.PACKAGE_DIR, frozen / "lectern", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(cache.DEFAULT_THEME, frozen / "templates")
    monkeypatch.setattr(cache, "PACKAGE_DIR", frozen / "lectern")
    monkeypatch.setattr(cache, "DEFAULT_THEME", frozen / "templates")


def run(course: Path, out: Path, **options) -> tuple[object, BufferReporter]:
    reporter = BufferReporter()
    result = build(course, out, BuildOptions(**options), reporter)
    return result, reporter


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


# ---- decks only (fast) -------------------------------------------------------------------------

def test_second_build_with_no_change_rebuilds_nothing_and_reads_no_course(course, tmp_path):
    out = tmp_path / "out"
    first, _ = run(course, out, only=["deck"])
    assert sorted(first.built) == ["index.html", "slides/intro.html", "slides/second.html"]
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}

    second, reporter = run(course, out, only=["deck"])
    assert second.built == []
    assert sorted(second.skipped) == ["index.html", "slides/intro.html", "slides/second.html"]
    assert second.loaded is False  # decided from fingerprints, before reading any YAML
    assert "load" not in reporter.names("phase")
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.html")} == before
    assert "nothing changed" in reporter.names("summary")[0]


def test_editing_one_lecture_rebuilds_its_deck_only(course, tmp_path):
    out = tmp_path / "out"
    run(course, out, only=["deck"])
    second_deck = (out / "slides" / "second.html").stat().st_mtime_ns
    edit(course / "lectures" / "intro.yaml", "Ask the room which story they know.",
         "Ask the room which of the two stories they know.")
    result, reporter = run(course, out, only=["deck"])
    assert result.built == ["slides/intro.html"]
    assert "slides/second.html" in result.skipped and "index.html" in result.skipped
    assert (out / "slides" / "second.html").stat().st_mtime_ns == second_deck
    assert "which of the two stories" in (out / "slides" / "intro.html").read_text("utf-8")
    assert reporter.names("built") == ["slides/intro.html"]


def test_change_that_alters_no_output_rebuilds_nothing_then_takes_the_fast_path(course, tmp_path):
    out = tmp_path / "out"
    run(course, out, only=["deck"])
    with (course / "lectures" / "second.yaml").open("a", encoding="utf-8") as fh:
        fh.write("# a comment changes the file but no output\n")
    result, _ = run(course, out, only=["deck"])
    assert result.built == [] and result.loaded is True
    again, _ = run(course, out, only=["deck"])
    assert again.loaded is False


def test_force_rebuilds_everything(course, tmp_path):
    out = tmp_path / "out"
    run(course, out, only=["deck"])
    result, _ = run(course, out, only=["deck"], force=True)
    assert sorted(result.built) == ["index.html", "slides/intro.html", "slides/second.html"]


def test_a_deleted_or_damaged_output_is_rebuilt(course, tmp_path):
    out = tmp_path / "out"
    run(course, out, only=["deck"])
    (out / "slides" / "second.html").unlink()
    (out / "index.html").write_text("overwritten by hand", "utf-8")
    result, _ = run(course, out, only=["deck"])
    assert sorted(result.built) == ["index.html", "slides/second.html"]
    assert (out / "slides" / "second.html").stat().st_size > 1000


def test_a_theme_override_rebuilds_the_decks(course, tmp_path):
    out = tmp_path / "out"
    run(course, out, only=["deck"])
    css = (REPO / "templates" / "deck" / "deck.css").read_text("utf-8")
    (course / "templates" / "deck").mkdir(parents=True)
    (course / "templates" / "deck" / "deck.css").write_text(css + "\n.slide { outline: 0; }\n", "utf-8")
    result, _ = run(course, out, only=["deck"])
    assert {"slides/intro.html", "slides/second.html"} <= set(result.built)


def test_a_changed_picture_rebuilds_the_deck_that_shows_it(course, tmp_path):
    out = tmp_path / "out"
    (course / "images").mkdir()
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="{}"/></svg>'
    (course / "images" / "box.svg").write_text(svg.format("red"), "utf-8")
    text = (course / "lectures" / "second.yaml").read_text("utf-8")
    slide = "      - title: A picture\n        image: {src: images/box.svg, alt: A red box}\n"
    text = re.sub(r"(    slides:\n)", lambda m: m.group(1) + slide, text, count=1)
    (course / "lectures" / "second.yaml").write_text(text, "utf-8")
    run(course, out, only=["deck"])
    manifest = json.loads((out / ".lectern" / "manifest.json").read_text("utf-8"))
    assert "images/box.svg" in manifest["lectern"]["outputs"]["slides/second.html"]["inputs"]
    (course / "images" / "box.svg").write_text(svg.format("blue"), "utf-8")
    result, _ = run(course, out, only=["deck"])
    assert result.built == ["slides/second.html"]


def test_serve_writes_the_edited_deck_before_resolving_the_rest(course, tmp_path):
    """serve's mode: the deck of the lecture just saved is on disk (and its page told to reload)
    before the other views are resolved, and it is the deck a full build would make."""
    out = tmp_path / "out"
    run(course, out, only=["deck"], write_as_ready=True)
    edit(course / "lectures" / "second.yaml", "A short reading.", "A short reading, now revised.")
    edit(course / "lectures" / "second.yaml", "title: An inline table", "title: An inline table, revised")
    result, reporter = run(course, out, only=["deck"], write_as_ready=True)
    events = reporter.events
    assert result.built == ["slides/second.html"]
    first_write = events.index(("written", "slides/second.html"))
    plan = [i for i, e in enumerate(events) if e[0] in ("planned", "skipped")]
    assert plan and first_write < plan[0], events  # written before the build planned the rest
    assert ("written", "index.html") not in events  # the index did not change: not rewritten
    fresh = tmp_path / "fresh"
    run(course, fresh, only=["deck"])
    deck = (out / "slides" / "second.html").read_bytes()
    assert b"An inline table, revised" in deck
    assert deck == (fresh / "slides" / "second.html").read_bytes()


def test_a_lecture_read_again_is_checked_again_when_a_file_it_names_goes(course, tmp_path):
    """Unchanged lectures are kept between loads; a picture deleted meanwhile is still reported."""
    from lectern.course.load import load_course
    (course / "images").mkdir()
    (course / "images" / "box.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    text = (course / "lectures" / "second.yaml").read_text("utf-8")
    slide = "      - title: A picture\n        image: {src: images/box.svg, alt: A box}\n"
    (course / "lectures" / "second.yaml").write_text(re.sub(r"(    slides:\n)", lambda m: m.group(1) + slide,
                                                             text, count=1), "utf-8")
    first, problems = load_course(course)
    assert not [p for p in problems if p.severity == "error"]
    again, _ = load_course(course)
    assert again.lectures[1] is first.lectures[1]  # kept: neither the file nor the picture changed
    (course / "images" / "box.svg").unlink()
    _, problems = load_course(course)
    assert any("box.svg' does not exist" in str(p) and "second.yaml" in str(p) for p in problems), problems
    edit(course / "lectures" / "second.yaml", "A picture", "A lost picture")
    changed, _ = load_course(course)
    assert changed.lectures[1] is not first.lectures[1]
    assert changed.lectures[1].sections[0].slides[0].title.src == "A lost picture"


def test_a_lecture_taken_out_of_the_course_takes_its_outputs_with_it(course, tmp_path):
    out = tmp_path / "out"
    run(course, out, only=["deck"])
    assert (out / "slides" / "second.html").is_file()
    edit(course / "course.yaml", "  - lectures/second.yaml\n", "")
    edit(course / "timeline.yaml", "  lecture: second\n", "")
    result, reporter = run(course, out, only=["deck"])
    assert not (out / "slides" / "second.html").exists()
    assert (out / "slides" / "intro.html").is_file()
    assert "second.html" not in (out / "index.html").read_text("utf-8")
    manifest = json.loads((out / ".lectern" / "manifest.json").read_text("utf-8"))
    assert "slides/second.html" not in manifest["files"]
    assert "slides/second.html" not in manifest["lectern"]["outputs"]
    assert any("slides/second.html" in text for kind, text in reporter.events if kind == "line"), reporter.events
    again, _ = run(course, out, only=["deck"])
    assert again.loaded is False  # and the next build finds nothing to do


def test_a_new_process_finds_unchanged_lectures_loaded_and_parsed(course, tmp_path, monkeypatch):
    """A build after an edit is a new process: the lectures it did not touch come back from the
    user's cache with their parse (and are not written back: at 20 lectures that was 0.17 s of
    every edit); the edited one is read and parsed again."""
    from lectern.course import load
    from lectern.course.load import kept
    from lectern.text.markup import Markup, parse_course
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(kept, "_KEPT", {})
    first, _ = load.load_course(course)
    parse_course(first, Markup(first.lang))
    load.keep_parsed(first)
    monkeypatch.setattr(kept, "_KEPT", {})  # as in a new process
    edit(course / "lectures" / "intro.yaml", "Ask the room which story they know.",
         "Ask the room which of the two stories they know.")
    again, problems = load.load_course(course)
    intro, second = again.lectures
    assert second.parsed is not None and second is not first.lectures[1]  # unpickled, parse and all
    assert intro.parsed is None  # edited: read anew, to be parsed
    marks = parse_course(again, Markup(again.lang))
    kept_files = sorted((tmp_path / "cache" / "lectern" / "lectures").glob("*.pkl"))
    written = {f: f.stat().st_mtime_ns for f in kept_files}
    load.keep_parsed(again)  # the edited lecture is written; the one read back is not written again
    now = sorted((tmp_path / "cache" / "lectern" / "lectures").glob("*.pkl"))
    assert len(now) == len(kept_files) + 1
    assert {f: f.stat().st_mtime_ns for f in kept_files} == written
    assert [c.id for c in marks.lectures["second"].clusters] == \
        [c.id for c in parse_course(first, Markup(first.lang)).lectures["second"].clusters]
    out = tmp_path / "out"
    result, _ = run(course, out, only=["deck"])
    fresh = tmp_path / "fresh"
    monkeypatch.setattr(kept, "_KEPT", {})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    run(course, fresh, only=["deck"])
    for name in ("slides/intro.html", "slides/second.html", "index.html"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name


def test_manifest_lists_each_outputs_inputs(course, tmp_path):
    out = tmp_path / "out"
    run(course, out, only=["deck"])
    manifest = json.loads((out / ".lectern" / "manifest.json").read_text("utf-8"))
    outputs = manifest["lectern"]["outputs"]
    assert outputs["slides/intro.html"]["inputs"][:3] == ["course.yaml", "references.yaml", "lectures/intro.yaml"]
    assert "lectures/second.yaml" not in outputs["slides/intro.html"]["inputs"]
    assert "data/wages.csv" in outputs["slides/intro.html"]["inputs"]
    assert manifest["lectern"]["version"]
    assert "course:lectures/intro.yaml" in manifest["lectern"]["snapshot"]


def test_warnings_are_repeated_by_a_no_change_build_and_strict_still_fails(course, tmp_path):
    out = tmp_path / "out"
    with (course / "lectures" / "second.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  - title: Still to write\n    reading: Nothing on slides yet.\n")
    first, r1 = run(course, out, only=["deck"])
    assert any("has no slides" in w for w in r1.names("warning"))
    second, r2 = run(course, out, only=["deck"])
    assert second.loaded is False
    assert r2.names("warning") == r1.names("warning")
    with pytest.raises(ContentError):
        run(course, out, only=["deck"], strict=True)


def test_a_broken_edit_leaves_outputs_and_manifest_as_they_were(course, tmp_path):
    out = tmp_path / "out"
    run(course, out, only=["deck"])
    manifest = (out / ".lectern" / "manifest.json").read_bytes()
    deck = (out / "slides" / "intro.html").read_bytes()
    edit(course / "lectures" / "intro.yaml", "title: The first lecture", "title: [unclosed")
    with pytest.raises(ContentError):
        run(course, out, only=["deck"])
    assert (out / ".lectern" / "manifest.json").read_bytes() == manifest
    assert (out / "slides" / "intro.html").read_bytes() == deck


def test_no_change_build_does_not_import_weasyprint(course, tmp_path):
    out = tmp_path / "out"
    run(course, out, only=["deck", "handouts"])
    code = ("import sys; from pathlib import Path; from lectern.pipeline import build, BuildOptions;"
            "from lectern.report import BufferReporter;"
            f"r = build(Path({str(course)!r}), Path({str(out)!r}), BuildOptions(only=['deck', 'handouts']), BufferReporter());"
            "print(len(r.built), len(r.skipped), 'weasyprint' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.split() == ["0", "5", "False"]


@pytest.mark.skipif(not fonts.fonts_available(), reason="fonts-linuxlibertine not installed")
def test_a_cold_build_with_pdfs_subsets_the_deck_fonts_in_a_worker(course, tmp_path):
    """With PDFs to make, a worker subsets the decks' fonts while the course loads: the main
    process never imports fontTools, and the deck is the one a build without workers makes."""
    code = ("import sys; from pathlib import Path; from lectern.pipeline import build, BuildOptions;"
            "from lectern.report import BufferReporter;"
            "build(Path(sys.argv[1]), Path(sys.argv[2]), BuildOptions(only=sys.argv[3].split(',')), BufferReporter());"
            "print('fontTools' in sys.modules)")
    decks = {}
    for only in ("deck,handouts", "deck"):
        out = tmp_path / only.replace(",", "-")
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / f"cache-{only}")}  # a first build: nothing kept
        done = subprocess.run([sys.executable, "-c", code, str(course), str(out), only], capture_output=True,
                              text=True, cwd=REPO, env=env, check=True)
        assert done.stdout.split() == (["False"] if "handouts" in only else ["True"])
        decks[only] = (out / "slides" / "intro.html").read_text("utf-8")
    faces = {only: re.findall(r"@font-face\{[^}]*\}", page) for only, page in decks.items()}
    assert len(faces["deck"]) == 3 and faces["deck,handouts"] == faces["deck"]


# ---- the whole course: guide and handouts -------------------------------------------------------

def check_guide(path: Path) -> list[str]:
    """Bookmarks lead to the pages whose printed number the contents gives, and those pages show the title."""
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(path))
    labels = reader.page_labels
    texts = [page.extract_text() or "" for page in reader.pages]
    contents = next(t for t in texts if t.lstrip().startswith("Contents"))
    titles = []
    for depth, title, index in outline(reader):
        if title == "Contents":
            continue
        name = re.sub(r"^[\d.]+\s*", "", title)
        titles.append(name)
        assert name.split()[0] in texts[index], f"bookmark {title!r} leads to a page without its title"
        line = next((ln for ln in contents.splitlines() if name in ln), None)
        assert line is not None, f"{name!r} is not in the contents"
        assert line.rstrip().endswith(" " + labels[index]), f"contents say {line!r}, page is {labels[index]}"
    return titles


@pytest.mark.pdf
def test_editing_one_lecture_rebuilds_its_outputs_and_the_guide_with_correct_numbers(course, tmp_path):
    out = tmp_path / "out"
    first, _ = run(course, out)
    assert sorted(first.built) == ["handouts/intro.pdf", "handouts/second.pdf", "index.html",
                                   "slides/intro.html", "slides/second.html", "study-guide.pdf"]
    assert check_guide(out / "study-guide.pdf")[:2] == ["The first lecture", "Beginnings"]
    second_handout = (out / "handouts" / "second.pdf").read_bytes()

    nothing, _ = run(course, out)
    assert nothing.built == [] and nothing.loaded is False

    # a longer reading in lecture 1: its deck is unchanged, its guide chapter grows
    paragraph = "Another paragraph of reading, long enough to need more lines on the page. " * 40
    edit(course / "lectures" / "intro.yaml", "    reading: Wages fell hard.",
         f"    reading: |\n      Wages fell hard.\n\n      {paragraph}\n\n      {paragraph}\n    note_:")
    text = (course / "lectures" / "intro.yaml").read_text("utf-8").replace("\n    note_:", "", 1)
    (course / "lectures" / "intro.yaml").write_text(text, "utf-8")
    edit(course / "lectures" / "intro.yaml", "Point at 1993.", "Point at 1993, then at 2016.")
    result, _ = run(course, out)
    assert sorted(result.built) == ["handouts/intro.pdf", "slides/intro.html", "study-guide.pdf"]
    assert (out / "handouts" / "second.pdf").read_bytes() == second_handout
    titles = check_guide(out / "study-guide.pdf")
    assert "The second lecture" in titles and "Bibliography" in titles
    same_as_fresh(course, out, tmp_path / "fresh1")

    # an edit to the last chapter's reading (which only the guide shows): the chapters before
    # it keep their laid-out pages, and no deck or handout is made again
    edit(course / "lectures" / "second.yaml", "A short reading.", "A short reading, now revised.")
    result, _ = run(course, out)
    assert result.built == ["study-guide.pdf"]
    guide = result.details["study-guide.pdf"]
    assert guide["reused"] >= 2  # chapter 1, and the parts laid out ahead of the assembly
    check_guide(out / "study-guide.pdf")

    same_as_fresh(course, out, tmp_path / "fresh2")


def same_as_fresh(course: Path, out: Path, fresh: Path) -> None:
    """The book assembled from kept parts reads exactly as one laid out from scratch."""
    run(course, fresh, only=["guide"])
    pypdf = pytest.importorskip("pypdf")
    kept = pypdf.PdfReader(str(out / "study-guide.pdf"))
    new = pypdf.PdfReader(str(fresh / "study-guide.pdf"))
    assert [p.extract_text() for p in kept.pages] == [p.extract_text() for p in new.pages]
    assert kept.page_labels == new.page_labels
    assert outline(kept) == outline(new)


class _Planted:
    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


@pytest.mark.pdf
def test_kept_guide_parts_not_signed_by_lectern_are_never_unpickled(course, tmp_path):
    import pickle
    out = tmp_path / "out"
    run(course, out, only=["guide"])
    parts = list((out / ".lectern" / "parts").glob("*.pkl"))
    assert parts
    marker = tmp_path / "pwned"
    for part in parts:  # a hostile copy of the folder: same names, planted pickles
        part.write_bytes(b"\0" * 32 + pickle.dumps(_Planted(str(marker))))
    edit(course / "lectures" / "second.yaml", "A short reading.", "A short reading, revised.")
    result, _ = run(course, out, only=["guide"])
    assert not marker.exists()
    guide = result.details["study-guide.pdf"]
    assert guide["reused"] <= 1 and guide["laid_out"] >= 4  # only the chapter laid out ahead was kept
    check_guide(out / "study-guide.pdf")


@pytest.mark.pdf
def test_a_handout_edit_lays_out_one_chunk_again_and_a_lecture_dropped_takes_its_chunks(course, tmp_path):
    """A handout is laid out a dozen slides at a time (print/printparts), each chunk kept: a
    slide edited lays out its chunk alone, the PDF as a fresh build makes it; a lecture dropped
    from the course takes its kept chunks with its handout, and `clean` leaves nothing."""
    from lectern.state import outputs
    extra = "".join(f"      - title: Extra slide {k}\n        points: [Point {k}]\n" for k in range(1, 15))
    edit(course / "lectures" / "second.yaml", "        notes: Compare the bars.\n", "        notes: Compare the bars.\n" + extra)
    edit(course / "timeline.yaml", "  lecture: second\n", "")
    out = tmp_path / "out"
    result, _ = run(course, out, only=["handouts"])
    assert result.details["handouts/second.pdf"] == {"reused": 0, "laid_out": 2}
    kept = out / ".lectern" / "prints" / "handouts--second.pdf"
    assert len(list(kept.glob("*.pkl"))) == 2
    edit(course / "lectures" / "second.yaml", "Point 14]", "Point fourteen revised]")  # a slide of the second chunk
    result, _ = run(course, out, only=["handouts"])
    assert result.details["handouts/second.pdf"] == {"reused": 1, "laid_out": 1}
    fresh = tmp_path / "fresh"
    run(course, fresh, only=["handouts"])

    def text(path: Path) -> str:
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()

    assert "Point fourteen revised" in text(out / "handouts" / "second.pdf")
    assert text(out / "handouts" / "second.pdf") == text(fresh / "handouts" / "second.pdf")
    assert len(list(kept.glob("*.pkl"))) == 2  # the chunk replaced is gone
    edit(course / "course.yaml", "  - lectures/second.yaml\n", "")
    run(course, out, only=["handouts"])
    assert not (out / "handouts" / "second.pdf").exists() and not kept.exists()
    edit(course / "course.yaml", "lectures:\n", "lectures:\n  - lectures/second.yaml\n")
    run(course, out, only=["handouts"])
    assert kept.is_dir()
    outputs.clean(out)
    assert not (out / ".lectern").exists()
