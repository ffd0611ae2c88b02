"""`check` agrees with `build` on the bibliography: pandoc, which formats it, is the reader of record."""
from __future__ import annotations

import re

from helpers import run_cli, write_course

LECTURE = """
title: A lecture
sections:
  - title: One
    reading: As @paren2007 shows [@fine2008, p. 3].
    slides:
      - title: A slide
        points: [a, b]
"""


def _course(tmp_path, bib: str):
    return write_course(tmp_path / "c", {
        "course.yaml": "title: T\nauthor: A\nbibliography: refs.bib\nlectures: [lectures/one.yaml]\n",
        "lectures/one.yaml": LECTURE,
        "refs.bib": bib,
    })


PAREN = """
@book(paren2007,
  author = {Smith, John},
  title = {A Book},
  year = 2007
)
@book{fine2008, author = {Doe, Jane}, title = {Another}, year = 2008}
"""


def test_an_entry_pandoc_cannot_read_fails_check_with_its_place(tmp_path):
    course = _course(tmp_path, PAREN)
    checked = run_cli("check", str(course))
    assert checked.exit_code == 1
    lines = [line for line in checked.output.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)]
    assert len(lines) == 1 and lines[0].endswith("refs.bib:1:6: this bibliography cannot be read: unexpected '('; "
                                                  "write the entry with braces, `@type{key, ...}`: pandoc, which "
                                                  "formats the bibliography, reads no other form")
    built = run_cli("build", str(course), "--out", str(tmp_path / "out"), "--only", "deck", "-q")
    assert built.exit_code == 1 and "refs.bib:1:6" in built.output  # the build stops at the same place
    assert not (tmp_path / "out" / "slides").exists()


def test_what_pandoc_reads_passes_check_and_builds(tmp_path):
    # The old scanner refused a key with an apostrophe; pandoc reads it, so check must accept it too.
    course = _course(tmp_path, PAREN.replace("@book(paren2007,", "@book{paren2007,").replace("\n)", "\n}")
                     + "@misc{o'brien1999, title = {Kept}, year = 1999}\n")
    checked = run_cli("check", str(course), "--strict")
    assert checked.exit_code == 0, checked.output
    built = run_cli("build", str(course), "--out", str(tmp_path / "out"), "--only", "deck", "-q")
    assert built.exit_code == 0, built.output
    deck = (tmp_path / "out" / "slides" / "one.html").read_text("utf-8")
    assert "Smith" in deck and "Doe" in deck
