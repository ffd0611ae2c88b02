"""Layouts (issue 18): each mistake with columns, picture rows, picture sizes and backgrounds is
reported at its file:line:column with what to do, all in one run; a well-made layout builds."""
from __future__ import annotations

import re

from PIL import Image

from helpers import run_cli, write_course

COURSE = "title: T\nauthor: A\nlectures:\n  - lectures/one.yaml\n"


def check(tmp_path, slides: str, pictures: dict[str, tuple] | None = None, *args: str):
    root = write_course(tmp_path / "course", {"course.yaml": COURSE, "lectures/one.yaml":
                                              "title: L\nsections:\n  - title: S\n    slides:\n" + slides})
    (root / "images").mkdir()
    for name, colour in {"a.png": (200, 120, 60), **(pictures or {})}.items():
        Image.new("RGB", (32, 20), colour).save(root / "images" / name)
    result = run_cli("check", str(root), *args)
    return result, [line for line in result.output.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)]


def test_every_layout_mistake_is_reported_in_one_run_at_its_place(tmp_path):
    slides = """\
      - title: Four columns
        columns: [{points: [a]}, {points: [b]}, {points: [c]}, {points: [d]}]
      - title: One column
        columns: [{points: [a]}]
      - title: Widths
        columns: [{points: [a]}, {points: [b]}]
        widths: [1, 2, 3]
      - title: Pictures
        images:
          - {src: images/a.png}
      - title: Many pictures
        images: [{src: images/a.png, alt: a}, {src: images/a.png, alt: a}, {src: images/a.png, alt: a},
                 {src: images/a.png, alt: a}, {src: images/a.png, alt: a}, {src: images/a.png, alt: a},
                 {src: images/a.png, alt: a}]
      - title: Sizes
        image: {src: images/a.png, alt: a, width: 0, fit: stretch}
      - title: Behind
        background: {src: images/a.png}
"""
    result, problems = check(tmp_path, slides)
    assert result.exit_code == 1
    text = "\n".join(problems)
    expected = [
        r"one\.yaml:6:18: a slide has two or three columns, not 4: split the slide in two",
        r"one\.yaml:8:18: a slide has two or three columns, not 1: add a column",
        r"one\.yaml:11:17: `widths` gives 3 widths for 2 columns: give one width a column",
        r"one\.yaml:14:13: the image has no `alt`: add `alt:` describing the picture",
        r"one\.yaml:14:11: `images` sets two to six pictures in a row, not 1: use `image` for one picture",
        r"one\.yaml:16:17: `images` sets two to six pictures in a row, not 7: split them over two slides",
        r"one\.yaml:20:51: an image's width is a percentage .* from 1 to 100, not 0",
        r"one\.yaml:20:59: an image's fit is contain .* or cover .*, not 'stretch'",
        r"one\.yaml:22:21: the image has no `alt`",
    ]
    for pattern in expected:
        assert re.search(pattern, text), (pattern, text)


def test_content_beside_columns_is_an_error_that_says_where_it_goes(tmp_path):
    result, problems = check(tmp_path, """\
      - title: Both
        points: [a]
        columns: [{points: [b]}, {points: [c]}]
""")
    assert any(re.search(r"one\.yaml:6:17: a slide with columns holds its content in them: move `points`", p)
               for p in problems), problems


def test_a_background_the_text_cannot_be_read_on_is_a_warning_that_says_how_much_to_dim(tmp_path):
    slides = """\
      - title: Mid grey
        points: [a]
        background: "#777777"
      - title: Bright picture
        points: [a]
        background: {src: images/light.png, alt: a pale wall, dim: 0.2}
      - title: Dark enough
        points: [a]
        background: {src: images/light.png, alt: a pale wall, dim: 0.8}
"""
    result, problems = check(tmp_path, slides, {"light.png": (150, 150, 150)}, "--strict")
    assert result.exit_code == 1
    assert any(re.search(r"one\.yaml:7:21: warning: the slide's background leaves its text a contrast of "
                         r"[\d.]+:1.*choose a darker or lighter colour than #777777", p) for p in problems), problems
    assert any(re.search(r"one\.yaml:10:21: warning: .*raise `dim` to 0\.\d\d or more", p) for p in problems), problems
    assert not any(":13:" in p for p in problems), problems  # dim 0.8 reads well


def test_a_dark_or_pale_background_builds_with_no_warning(tmp_path):
    result, problems = check(tmp_path, """\
      - title: Dark
        points: [a]
        background: "#223344"
      - title: Pale
        background: "#f4f1e8"
        columns: [{points: [b]}, {image: {src: images/a.png, alt: an orange card, width: 50, fit: cover}}]
""", None, "--strict")
    assert problems == [] and result.exit_code == 0, result.output
