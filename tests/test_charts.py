"""Chart data from CSV, and the SVG charts every output shares."""
from __future__ import annotations

import logging
import math
import os
import shutil
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lectern.charts import (HEIGHT, WIDTH, chart_summary, draw_chart_svg, check_chart, format_number,
    format_value, nice_ticks, parse_number, read_csv)
from lectern.course.model import Chart, Pos, Table

SVG = "{http://www.w3.org/2000/svg}"
P = Pos("lectures/01.yaml", 12, 7)


def bar(columns, rows, y=None, **kw) -> Chart:
    return Chart("bar", columns[0], y or columns[1:], P, table=Table(columns, rows), **kw)


def line(columns, rows, y=None, **kw) -> Chart:
    return Chart("line", columns[0], y or columns[1:], P, table=Table(columns, rows), **kw)


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def bars_of(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter(SVG + "rect") if "lc-bar" in e.get("class", "").split()]


def text_of(root: ET.Element, cls: str) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(SVG + "text")
            if cls in e.get("class", "").split()]


def write(tmp_path: Path, text: str | bytes, name="data.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return p


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("text, value", [
    ("27", 27), ("34.2", 34.2), ("1,234", 1234), ("1,234.5", 1234.5), ("-3", -3),
    ("\u22123.5", -3.5), ("  63.8 ", 63.8), ("27%", 27), ("1 234", 1234), ("", None),
    ("  ", None), ("Havana", "Havana"), ("1959-01-01", "1959-01-01"), ("nan", "nan"),
    ("inf", "inf"), ("12,34", "12,34"),
])
def test_parse_number(text, value):
    got = parse_number(text)
    assert got == value and type(got) is type(value)


def test_decimal_comma_only_in_semicolon_files():
    assert parse_number("34,2", decimal_comma=True) == 34.2
    assert parse_number("34,2") == "34,2"


@pytest.mark.parametrize("lang, value, text", [
    ("en", 1234.5, "1,234.5"), ("fr", 1234.5, "1\u202f234,5"), ("de", 1234.5, "1.234,5"),
    ("de-AT", 34.2, "34,2"), ("en-GB", 34.2, "34.2"), ("en", -2, "\u22122"),
    ("fr", 12345678, "12\u202f345\u202f678"), ("en", 0.5, "0.5"),
])
def test_format_number_by_language(lang, value, text):
    assert format_number(value, lang) == text


def test_units_around_values():
    assert format_value(27, "%", "en") == "27%"
    assert format_value(34.2, "%", "fr") == "34,2\u202f%"
    assert format_value(2.5, "$bn", "en") == "$2.5bn"
    assert format_value(-2.5, "$bn", "en") == "\u2212$2.5bn"
    assert format_value(12, "km", "en") == "12\u00a0km"


def test_ticks_are_round_and_cover_the_data():
    assert nice_ticks(0, 87) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(0, 2.5) == [0, 0.5, 1, 1.5, 2, 2.5]
    t = nice_ticks(-1600, 9876)
    assert t[0] <= -1600 and t[-1] >= 9876 and 0 in t


# --------------------------------------------------------------------------- CSV


def test_reads_header_numbers_and_empty_cells(tmp_path):
    p = write(tmp_path, 'group,share,count\nwhite,63.8,"1,234"\nblack,34.2,\n')
    table, problems = read_csv(p, "data/jobs.csv")
    assert problems == []
    assert table.columns == ["group", "share", "count"]
    assert table.rows == [["white", 63.8, 1234], ["black", 34.2, None]]


def test_reads_bom_blank_lines_crlf_and_trailing_separators(tmp_path):
    p = write(tmp_path, b"\xef\xbb\xbfyear,value,\r\n\r\n1989,100,\r\n2008,27,\r\n\r\n")
    table, problems = read_csv(p, "d.csv")
    assert problems == []
    assert table.columns == ["year", "value"]
    assert table.rows == [[1989, 100], [2008, 27]]


def test_reads_semicolon_files_with_decimal_comma(tmp_path):
    p = write(tmp_path, "groupe;part\nblancs;63,8\nnoirs;34,2\n")
    table, problems = read_csv(p, "d.csv")
    assert problems == []
    assert table.rows == [["blancs", 63.8], ["noirs", 34.2]]


def test_ragged_rows_are_reported_at_their_lines(tmp_path):
    p = write(tmp_path, "year,value\n1989,100\n\n1993,16,3\n2008\n2013,50\n")
    table, problems = read_csv(p, "data/pensions.csv")
    assert table is None
    assert [(q.pos.path, q.pos.line) for q in problems] == [
        ("data/pensions.csv", 4), ("data/pensions.csv", 5)]
    assert "3 cells" in problems[0].message and "2 columns" in problems[0].message
    assert "1 cell " in problems[1].message
    assert all(q.severity == "error" for q in problems)


def test_line_numbers_count_quoted_newlines(tmp_path):
    p = write(tmp_path, 'label,value\n"two\nlines",1\nbad\n')
    _table, problems = read_csv(p, "d.csv")
    assert [q.pos.line for q in problems] == [4]


def test_a_numeric_first_row_is_no_header(tmp_path):
    _table, problems = read_csv(write(tmp_path, "1989,100\n1993,16\n"), "d.csv")
    assert len(problems) == 1 and "header" in problems[0].message
    assert problems[0].pos.line == 1


@pytest.mark.parametrize("content, words", [
    ("", "empty"), ("\n\n  \n", "empty"), ("year,value\n", "no rows"),
    ("year,year\n1,2\n", "twice"), ("year,,value\n1,2,3\n", "no name"),
])
def test_header_problems(tmp_path, content, words):
    table, problems = read_csv(write(tmp_path, content), "d.csv")
    assert table is None and len(problems) == 1 and words in problems[0].message


def test_unreadable_files_are_problems_not_exceptions(tmp_path):
    _t, missing = read_csv(tmp_path / "nope.csv", "data/nope.csv")
    assert "does not exist" in missing[0].message and missing[0].pos.path == "data/nope.csv"
    _t, folder = read_csv(tmp_path, "data")
    assert "folder" in folder[0].message
    _t, latin = read_csv(write(tmp_path, "name,v\nok,1\nJos\xe9,2\n".encode("latin-1")), "d.csv")
    assert "UTF-8" in latin[0].message and latin[0].pos.line == 3
    _t, binary = read_csv(write(tmp_path, b"a,b\n\x00\x01,2\n"), "d.csv")
    assert binary[0].pos.line == 2


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | st.text(alphabet='a1,;\t"\n\r .-%', max_size=120))
def test_any_file_gives_a_table_or_problems(tmp_path, content):
    p = write(tmp_path, content, "fuzz.csv")
    table, problems = read_csv(p, "fuzz.csv")
    assert (table is None) == bool(problems)
    for q in problems:
        assert q.pos.path == "fuzz.csv" and q.pos.line >= 1
    if table:
        assert all(len(r) == len(table.columns) for r in table.rows)


def test_check_chart_names_missing_columns_and_text_values():
    c = bar(["year", "value"], [[1989, 100], [1993, "sixteen"]], y=["value", "wages"])
    c.x = "date"
    messages = [p.message for p in check_chart(c)]
    assert any("'date'" in m for m in messages)
    assert any("'wages'" in m for m in messages)
    assert any("'sixteen'" in m for m in messages)
    assert all(p.pos == P for p in check_chart(c))
    assert check_chart(bar(["year", "value"], [[1989, 100], [1993, None]])) == []


# --------------------------------------------------------------------------- SVG

JOBS = bar(["group", "white", "black"],
           [["Employed", 63.8, 34.2], ["Scientists", 73, 5], ["Committees", 114, 5]],
           title="Work and race", unit="%")


def test_svg_is_well_formed_accessible_and_scalable():
    root = parse(draw_chart_svg(JOBS, id_prefix="fig-1-2"))
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    title = root.find(SVG + "title")
    desc = root.find(SVG + "desc")
    assert title.text == "Work and race"
    assert root.get("aria-labelledby") == title.get("id") == "fig-1-2-title"
    assert root.get("aria-describedby") == desc.get("id") == "fig-1-2-desc"
    # the description carries the data for those who cannot see it
    for bit in ("Work and race", "white", "Employed 63.8%", "Committees 5%"):
        assert bit in desc.text


def test_ids_are_unique_per_chart_without_a_prefix():
    other = bar(["group", "white"], [["Employed", 63.8]])
    ids = [e.get("id") for m in (draw_chart_svg(JOBS), draw_chart_svg(other))
           for e in parse(m).iter() if e.get("id")]
    assert len(ids) == len(set(ids)) == 4


def test_self_contained():
    text = str(draw_chart_svg(JOBS))
    for banned in ("href", "url(", "@import", "<script", "<foreignObject", "<image"):
        assert banned not in text


def test_bar_heights_are_proportional_to_values():
    c = bar(["year", "value"], [[1989, 100], [1993, 16], [2008, 27], [2013, 50]], unit="%")
    rects = bars_of(parse(draw_chart_svg(c)))
    heights = [float(r.get("height")) for r in rects]
    assert len(heights) == 4
    for h, v in zip(heights, (100, 16, 27, 50)):
        assert h / heights[0] == pytest.approx(v / 100, abs=0.01)
    # one baseline
    assert len({round(float(r.get("y")) + float(r.get("height")), 1) for r in rects}) == 1


def test_negative_bars_hang_from_the_zero_line():
    c = bar(["k", "v"], [["a", 10], ["b", -5]])
    up, down = bars_of(parse(draw_chart_svg(c)))
    assert float(up.get("y")) + float(up.get("height")) == pytest.approx(float(down.get("y")))
    assert float(down.get("height")) == pytest.approx(float(up.get("height")) / 2, abs=0.2)


def test_grouped_bars_one_series_each_with_a_legend():
    root = parse(draw_chart_svg(JOBS))
    series = [g for g in root.iter(SVG + "g") if "lc-series" in g.get("class", "").split()]
    assert [g.get("data-series") for g in series] == ["white", "black"]
    assert len(bars_of(root)) == 6
    assert text_of(root, "lc-legend-label") == ["white", "black"]
    # bars of a group sit side by side, not on top of each other
    r = bars_of(root)
    assert float(r[0].get("x")) + float(r[0].get("width")) <= float(r[3].get("x"))
    # the two series differ in colour
    assert r[0].get("fill") != r[3].get("fill")


def test_one_series_has_no_legend():
    root = parse(draw_chart_svg(bar(["g", "v"], [["a", 1], ["b", 2]])))
    assert text_of(root, "lc-legend-label") == []


def test_value_labels_on_bars_with_unit_and_language():
    """Whole numbers are written whole beside values with decimals ("73%", not "73.0%")."""
    assert text_of(parse(draw_chart_svg(JOBS)), "lc-value") == [
        "63.8%", "73%", "114%", "34.2%", "5%", "5%"]
    assert text_of(parse(draw_chart_svg(JOBS, lang="fr")), "lc-value")[:2] == [
        "63,8\u202f%", "73\u202f%"]


def test_axis_ticks_carry_the_unit():
    c = bar(["year", "remittances"], [[2005, 1.1], [2013, 2.5]], unit="$bn")
    ticks = text_of(parse(draw_chart_svg(c)), "lc-tick")
    assert "$0.0bn" in ticks and "$2.5bn" in ticks
    long_unit = bar(["year", "n"], [[2005, 1], [2013, 3]], unit="thousand people")
    root = parse(draw_chart_svg(long_unit))
    assert text_of(root, "lc-unit") == ["thousand people"]
    assert "1" in text_of(root, "lc-tick")


def test_years_on_the_x_axis_are_not_grouped():
    labels = text_of(parse(draw_chart_svg(line(["year", "v"], [[1989, 100], [2013, 50]]))), "lc-cat")
    assert labels == ["1989", "2013"]


def test_line_chart_has_a_line_and_markers_per_series():
    c = line(["month", "x", "y"], [["Jan", 3, 4], ["Feb", 5, None], ["Mar", 4, 6]])
    root = parse(draw_chart_svg(c))
    paths = [p for p in root.iter(SVG + "path") if "lc-line" in p.get("class", "")]
    assert len(paths) == 2
    assert paths[0].get("d").count("M") == 1 and paths[0].get("d").count("L") == 2
    assert paths[1].get("d").count("M") == 2  # the gap breaks the line
    markers = [e for e in root.iter() if "lc-marker" in e.get("class", "").split()]
    assert len(markers) == 5 + 2  # 5 values, plus a marker in each legend entry
    assert text_of(root, "lc-legend-label") == ["x", "y"]


def test_line_chart_with_numeric_x_spaces_points_by_value():
    c = line(["year", "pensions"], [[1989, 100], [1993, 16], [2013, 50]], unit="%")
    root = parse(draw_chart_svg(c))
    xs = [float(m.get("cx")) for m in root.iter(SVG + "circle")]
    assert (xs[1] - xs[0]) / (xs[2] - xs[1]) == pytest.approx(4 / 20, rel=0.01)
    assert text_of(root, "lc-value") == ["100%", "16%", "50%"]


def test_long_category_labels_wrap_then_rotate():
    short = bar(["k", "v"], [["Leading state committee members", 1], ["Employed", 2],
                             ["Scientists and technicians", 3], ["Doctors abroad", 4]])
    root = parse(draw_chart_svg(short))
    assert len(text_of(root, "lc-cat")) > 2  # wrapped onto lines
    assert not any(e.get("transform") for e in root.iter(SVG + "text")
                   if "lc-cat" in e.get("class", ""))
    many = bar(["k", "v"], [[f"Province number {i} of the island", i] for i in range(12)])
    cats = [e for e in parse(draw_chart_svg(many)).iter(SVG + "text")
            if "lc-cat" in e.get("class", "")]
    assert cats and all("rotate(-45" in e.get("transform", "") for e in cats)


NASTY = '<script>alert(1)</script> & "quotes" \' onload=alert(1) <b onclick="x">'


def test_labels_are_escaped():
    c = bar(["<k&", NASTY], [["a < b & c", 1], ["</svg>", 2]], title=f"T {NASTY}",
            unit="<&>")
    text = str(draw_chart_svg(c, id_prefix='"><script>'))
    root = ET.fromstring(text)
    assert "a < b & c" in text_of(root, "lc-cat")
    assert root.find(SVG + "title").text == f"T {NASTY}"
    assert "&lt;script&gt;" in text and "<script" not in text
    assert_harmless(root)


def assert_harmless(root: ET.Element) -> None:
    for e in root.iter():
        tag = e.tag.split("}")[-1].lower()
        assert tag not in ("script", "foreignobject", "iframe", "image", "a", "use")
        for name in e.attrib:
            local = name.split("}")[-1].lower()
            assert not local.startswith("on"), (tag, name)
            assert "href" not in local


@settings(max_examples=120, deadline=None)
@given(
    labels=st.lists(st.text(max_size=40), min_size=1, max_size=8),
    names=st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=4, unique=True),
    kind=st.sampled_from(["bar", "line"]),
    values=st.lists(st.none() | st.floats(-1e9, 1e9) | st.integers(-10**6, 10**6),
                    min_size=32, max_size=32),
    title=st.text(max_size=60), unit=st.text(max_size=8), lang=st.sampled_from(["en", "fr"]),
)
def test_any_data_gives_well_formed_harmless_svg(labels, names, kind, values, title, unit, lang):
    columns = ["__x__", *names]
    rows = [[lb, *(values[(i * len(names) + k) % 32] for k in range(len(names)))]
            for i, lb in enumerate(labels)]
    c = Chart(kind, "__x__", names, P, title=title, unit=unit, table=Table(columns, rows))
    root = parse(draw_chart_svg(c, lang=lang))
    assert_harmless(root)
    numbers = [float(v) for e in root.iter() for k, v in e.attrib.items()
               if k in ("x", "y", "width", "height", "cx", "cy")]
    assert all(math.isfinite(n) for n in numbers)
    assert all(float(r.get("height")) >= 0 and float(r.get("width")) > 0 for r in bars_of(root))
    assert chart_summary(c, lang)


def test_empty_or_missing_data_still_draws():
    for c in (bar(["k", "v"], []), Chart("bar", "k", ["v"], P),
              line(["k", "v"], [["a", None], ["b", None]])):
        assert parse(draw_chart_svg(c)).tag == SVG + "svg"


# --------------------------------------------------------------------------- in real renderers

PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><style>
body {{ margin: 0; {css} }} .fig {{ width: {width}; }}
svg.lectern-chart {{ display: block; width: 100%; height: auto; }}
</style></head><body>{body}</body></html>"""

MANY = bar(["province", "2008", "2013"],
           [[f"Province of {n}", 10 + i, 20 - i] for i, n in enumerate(
               ["Pinar del Río", "Artemisa", "La Habana", "Mayabeque", "Matanzas", "Cienfuegos",
                "Villa Clara", "Sancti Spíritus", "Ciego de Ávila", "Camagüey"])], unit="%")
WRAPPED = bar(["group", "white", "black"],
              [["In work", 63.8, 34.2], ["Scientists and technicians", 73, 5],
               ["Members of the leading state committees", 87, 4]], title="Jobs", unit="%")


def chromium_or_skip() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing on CI")
        pytest.skip("chromium is not installed")
    return path


@pytest.mark.browser
def test_in_chromium_labels_stay_inside_apart_and_theme_through_custom_properties(tmp_path):
    from playwright.sync_api import sync_playwright

    exe = chromium_or_skip()
    charts = [JOBS, WRAPPED, MANY,
              line(["year", "pensions"], [[1989, 100], [1993, 16], [2013, 50]], unit="%")]
    body = "".join(f'<div class="fig">{draw_chart_svg(c, id_prefix=f"c{i}")}</div>'
                   for i, c in enumerate(charts))
    css = "--chart-1: rgb(255, 0, 0); --chart-text: rgb(0, 128, 0); font-family: serif;"
    page_file = tmp_path / "charts.html"
    page_file.write_text(PAGE.format(lang="en", css=css, width="640px", body=body))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 800, "height": 600})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.as_uri())
        result = page.evaluate("""() => [...document.querySelectorAll('svg.lectern-chart')].map(svg => {
            const box = svg.getBoundingClientRect();
            const texts = [...svg.querySelectorAll('text')].map(t => {
                const r = t.getBoundingClientRect();
                return {cls: t.getAttribute('class'), rotated: !!t.getAttribute('transform'),
                        left: r.left - box.left, right: r.right - box.left,
                        top: r.top - box.top, bottom: r.bottom - box.top, text: t.textContent};
            });
            const cats = [...svg.querySelectorAll('text.lc-cat')].map(t => {
                const b = t.getBBox();
                return {x: b.x, y: b.y, w: b.width, h: b.height, transform: t.getAttribute('transform') || ''};
            });
            const bar = svg.querySelector('.lc-bar, .lc-line');
            const value = svg.querySelector('.lc-value');
            return {width: box.width, height: box.height, texts, cats,
                    fill: getComputedStyle(bar).fill, stroke: getComputedStyle(bar).stroke,
                    valueFill: value ? getComputedStyle(value).fill : null,
                    font: getComputedStyle(svg).fontFamily};
        })""")
        browser.close()
    assert errors == []
    for i, chart in enumerate(result):
        assert chart["width"] == pytest.approx(640, abs=1)
        assert chart["height"] == pytest.approx(640 * HEIGHT / WIDTH, abs=1)
        for t in chart["texts"]:  # nothing clipped by the viewBox
            assert t["left"] >= -0.5 and t["right"] <= chart["width"] + 0.5, (i, t)
            assert t["top"] >= -0.5 and t["bottom"] <= chart["height"] + 0.5, (i, t)
        assert not overlapping(chart["cats"]), i
        flat = [t for t in chart["texts"] if not t["rotated"]]
        for k, a in enumerate(flat):  # no two labels drawn over each other
            for b in flat[k + 1:]:
                apart = (a["right"] <= b["left"] + 0.5 or b["right"] <= a["left"] + 0.5
                         or a["bottom"] <= b["top"] + 0.5 or b["bottom"] <= a["top"] + 0.5)
                assert apart, (i, a["text"], b["text"])
        assert chart["valueFill"] == "rgb(0, 128, 0)"
        assert chart["font"] == "serif"  # the page's font, unless --chart-font says otherwise
    assert result[0]["fill"] == "rgb(255, 0, 0)"
    assert result[3]["stroke"] == "rgb(255, 0, 0)"
    assert any("rotate" in c["transform"] for c in result[2]["cats"])


def overlapping(cats: list[dict]) -> bool:
    """Whether two category labels overlap. Rotated labels share one angle, so their local
    boxes, moved into a common frame turned with them, are compared as plain rectangles."""
    boxes = []
    for c in cats:
        dx = dy = 0.0
        if c["transform"]:
            angle, ox, oy = (float(v) for v in c["transform"][7:-1].split())
            a = math.radians(-angle)
            dx = ox * math.cos(a) - oy * math.sin(a) - ox
            dy = ox * math.sin(a) + oy * math.cos(a) - oy
        boxes.append((c["x"] + dx, c["y"] + dy, c["w"], c["h"]))
    for i, (x1, y1, w1, h1) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1:]:
            if x1 < x2 + w2 - 0.5 and x2 < x1 + w1 - 0.5 and y1 < y2 + h2 - 0.5 and y2 < y1 + h1 - 0.5:
                return True
    return False


@pytest.mark.pdf
def test_weasyprint_draws_the_chart_in_its_colours(tmp_path, caplog):
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils is not installed")
    import weasyprint
    from PIL import Image

    body = f'<div class="fig">{draw_chart_svg(JOBS)}</div><div class="fig">{draw_chart_svg(MANY)}</div>'
    html = PAGE.format(lang="en", css="", width="15cm", body=body)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = weasyprint.HTML(string=html).write_pdf()
    assert not [r for r in caplog.records if "SVG" in r.getMessage()]
    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(tmp_path / "c.pdf"),
                    str(tmp_path / "c")], check=True)
    png = next(tmp_path.glob("c*.png"))
    colours = Image.open(png).convert("RGB").getcolors(1 << 20)
    counts = {c: n for n, c in colours}

    def near(rgb):
        return sum(n for c, n in counts.items() if all(abs(a - b) < 12 for a, b in zip(c, rgb)))
    blue, orange = near((0x1f, 0x5f, 0x8b)), near((0xd9, 0x82, 0x2b))
    assert blue > 200 and orange > 50  # the fallback palette, not black fills
    assert near((0, 0, 0)) < blue


def test_slide_size_viewbox_keeps_text_size_and_can_leave_the_title_to_the_page():
    from lectern.charts import SLIDE_SIZE
    big, small = parse(draw_chart_svg(JOBS)), parse(draw_chart_svg(JOBS, width=SLIDE_SIZE[0],
                                                         height=SLIDE_SIZE[1], show_title=False))
    assert small.get("viewBox") == f"0 0 {SLIDE_SIZE[0]} {SLIDE_SIZE[1]}"
    sizes = {e.get("font-size") for e in small.iter(SVG + "text") if "lc-tick" in e.get("class")}
    assert sizes == {e.get("font-size") for e in big.iter(SVG + "text")
                     if "lc-tick" in e.get("class")}
    assert text_of(small, "lc-title") == [] and text_of(big, "lc-title") == ["Work and race"]
    assert small.find(SVG + "title").text == "Work and race"  # still named for screen readers
    assert max(float(r.get("x")) + float(r.get("width")) for r in bars_of(small)) <= SLIDE_SIZE[0]


def test_huge_labels_and_tables_stay_quick():
    import time
    c = bar(["k", "v", "w"], [["word " * 2000, i, -i] for i in range(300)],
            title="t " * 3000, y=["v", "w"])
    start = time.perf_counter()
    root = parse(draw_chart_svg(c))
    assert time.perf_counter() - start < 4.0  # ~0.4 s on an idle machine
    assert len(bars_of(root)) == 600
    assert all(len(t) <= 125 for t in text_of(root, "lc-cat"))


def test_many_series_keep_the_plot_its_room():
    names = [f"series number {i}" for i in range(40)]
    c = bar(["k", *names], [[f"c{j}", *range(j, j + 40)] for j in range(12)])
    root = parse(draw_chart_svg(c))
    legend = text_of(root, "lc-legend-label")
    assert 3 <= len(legend) < 40 and text_of(root, "lc-legend-more") == [f"+{40 - len(legend)}"]
    tops = [float(r.get("y")) for r in bars_of(root)]
    assert max(float(r.get("height")) for r in bars_of(root)) > HEIGHT * 0.3
    assert min(tops) > 0
    assert text_of(root, "lc-value") == []  # 480 bars are too thin to label


def test_a_chart_for_print_has_no_style_element_and_keeps_its_colours_as_attributes():
    """WeasyPrint cannot use the chart's style element (its colours go through var()), so the
    print documents leave it out; every painted mark still carries its colour as an attribute."""
    from lectern.charts import SERIES_COLOURS, STYLE_ELEMENT, for_print
    for chart in (bar(["year", "sugar", "nickel"], [["1990", "8", "3"], ["1991", "7", "4"]]),
                  line(["year", "wages", "pensions"], [["1950", "10", "5"], ["1960", "20", "9"]])):
        svg = str(draw_chart_svg(chart, "en"))
        assert STYLE_ELEMENT in svg
        printed = parse(for_print(f"<div>{svg}</div>"))
        assert not list(printed.iter(SVG + "style"))
        shapes = {SVG + tag for tag in ("rect", "line", "circle", "path", "polyline", "polygon")}
        marks = [e for e in printed.iter() if e.tag in shapes
                 and any(c.startswith(("lc-s", "lc-l")) for c in e.get("class", "").split())]
        assert marks and all(e.get("fill") or e.get("stroke") for e in marks)
        assert {SERIES_COLOURS[0], SERIES_COLOURS[1]} <= {e.get("fill") or e.get("stroke") for e in marks}


@pytest.mark.parametrize("how, big, shown", [
    ("csv", "1.7e308,-1.7e308", "1.7e+308"), ("inline", "1.7e+308,-1.7e+308", "1.7e+308"),
    ("csv", "1e400,1", None), ("csv", "1" + "0" * 400 + ",1", "a number of 401 digits"), ("csv", "1e101,1", "1e+101")])
def test_chart_values_too_large_to_draw_are_a_problem_at_the_chart(tmp_path, how, big, shown):
    """1.7e308 is a number, but the axis' arithmetic overflowed on it: once an OverflowError
    traceback after `check` had passed; now a problem at the chart, from check as from build."""
    from helpers import copy_fixture, run_cli
    root = copy_fixture("mini", tmp_path)
    lecture = root / "lectures" / "intro.yaml"
    a, b = big.split(",")
    if how == "csv":
        (root / "data" / "wages.csv").write_text(f"year,wages,pensions\n1989,{a},100\n1993,{b},16\n", "utf-8")
    else:
        lecture.write_text(lecture.read_text("utf-8").replace(
            "data: data/wages.csv",
            f"data: {{columns: [year, wages, pensions], rows: [[1989, {a}, 100], [1993, {b}, 16]]}}"), "utf-8")
    want = (rf"the chart's column 'wages' holds a value too large to draw \({re.escape(shown)}\); a chart's values "
            r"may be at most 1e\+100 either way" if shown else
            r"the chart's y column 'wages' holds values that are not numbers")  # 1e400 is no float at all
    for args in (["check", str(root)], ["build", str(root), "--out", str(tmp_path / "out")]):
        result = run_cli(*args)
        assert result.exit_code == 1, result.output
        assert re.search(r"lectures/intro\.yaml:\d+:\d+: " + want, result.stderr), result.stderr
    assert not (tmp_path / "out").exists()


def test_a_drawn_chart_is_read_back_by_the_next_process_and_drawn_again_when_it_changes(tmp_path, monkeypatch):
    """A build after an edit (a new process) takes the charts it did not change from the user's
    cache folder, as drawn; a chart whose data changed is drawn afresh."""
    from lectern.charts import draw
    from lectern.state import keptmemo
    from lectern.text import keptcharts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    drawings = []
    real = draw.draw_chart_svg
    monkeypatch.setattr(draw, "draw_chart_svg", lambda *a, **k: drawings.append(a[0].title) or real(*a, **k))

    def new_process():
        for name, value in (("_kept", {}), ("_loaded", False), ("_new", False)):
            monkeypatch.setattr(keptcharts._CHARTS, name, value)

    how = {"id_prefix": "gfig1.1", "show_title": False, "width": WIDTH, "height": HEIGHT}
    wages = bar(["year", "wages"], [["1990", "40"], ["1995", "55"]], title="Wages")
    new_process()
    first = keptcharts.drawn(wages, "en", **how)
    keptmemo.write_all()  # as the pipeline does once resolving is done
    assert drawings == ["Wages"] and "<svg" in first
    new_process()
    again = keptcharts.drawn(bar(["year", "wages"], [["1990", "40"], ["1995", "55"]], title="Wages"), "en", **how)
    assert again == first and drawings == ["Wages"]  # read back, not drawn
    changed = keptcharts.drawn(bar(["year", "wages"], [["1990", "40"], ["1995", "61"]], title="Wages"), "en", **how)
    assert changed != first and drawings == ["Wages", "Wages"]
    assert keptcharts.drawn(wages, "es", **how) != first  # the language's number format: drawn again
