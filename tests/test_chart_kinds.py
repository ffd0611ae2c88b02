"""More kinds of chart (issue 18): stacked and grouped bars, area, scatter with a trend line and
histogram, drawn in the SVG every output shares, each validated with the chart's file:line."""
from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import run_cli
from lectern.charts import chart_summary, draw_chart_svg
from lectern.charts.histogram import histogram_data
from lectern.charts.scatter import least_squares
from lectern.course.model import Chart, Pos, Table

SVG = "{http://www.w3.org/2000/svg}"
P = Pos("lectures/01.yaml", 12, 7)
EXPORTS = Table(["year", "sugar", "tobacco", "nickel"],
                [[1990, 40, 10, 5], [2000, 25, 12, 15], [2010, 15, 8, 25], [2019, 10, 6, 20]])


def drawn(kind: str, table: Table = EXPORTS, y=("sugar", "tobacco", "nickel"), **kw) -> ET.Element:
    chart = Chart(kind, table.columns[0], list(y), P, table=table, **kw)
    return ET.fromstring(str(draw_chart_svg(chart, id_prefix=kind)))


def marks(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if cls in e.get("class", "").split()]


def test_stacked_bars_add_up_each_category_and_write_the_total():
    root = drawn("stacked")
    bars = marks(root, "rect", "lc-bar")
    assert len(bars) == 12  # every non-zero part
    first_year = [b for b in bars if abs(float(b.get("x")) - float(bars[0].get("x"))) < 0.01]
    heights = sorted(float(b.get("height")) for b in first_year)
    assert [round(h / heights[0]) for h in heights] == [1, 2, 8]  # 5, 10, 40
    tops = [float(b.get("y")) for b in first_year]
    bottoms = sorted(round(float(b.get("y")) + float(b.get("height")), 1) for b in first_year)
    assert len(set(bottoms)) == 3 and min(tops) < min(bottoms)  # one on another, not side by side
    totals = [t.text for t in root.iter(SVG + "text") if "lc-value" in t.get("class", "")]
    assert totals == ["55", "52", "48", "36"]


def test_grouped_bars_stand_side_by_side():
    root = drawn("grouped")
    bars = marks(root, "rect", "lc-bar")
    assert len(bars) == 12
    xs = sorted({round(float(b.get("x"))) for b in bars})
    assert len(xs) == 12  # each bar its own place


def test_an_area_chart_fills_each_series_and_spaces_years_by_value():
    root = drawn("area", y=("sugar", "nickel"))
    assert len(marks(root, "polygon", "lc-area")) == 2
    path = marks(root, "path", "lc-line")[0].get("d")
    xs = [float(x) for x in re.findall(r"[ML]([\d.]+) ", path)]
    gaps = [b - a for a, b in zip(xs, xs[1:])]
    assert abs(gaps[0] - gaps[1]) < 0.5 and abs(gaps[2] / gaps[0] - 0.9) < 0.02  # 10, 10, 9 years


def test_a_scatter_places_points_by_value_and_draws_its_least_squares_line():
    table = Table(["hours", "score"], [[1, 52], [2, 55], [4, 61], [8, 72], [10, 80]])
    root = drawn("scatter", table, y=("score",), trend=True)
    points = marks(root, "circle", "lc-marker") or marks(root, "rect", "lc-marker")
    assert len(points) == 5
    cx = [float(p.get("cx")) for p in points]
    assert abs((cx[3] - cx[2]) / (cx[2] - cx[1]) - 2.0) < 0.01  # 4→8 is twice 2→4
    trend = marks(root, "line", "lc-trend")
    assert len(trend) == 1
    slope, intercept = least_squares([(1, 52), (2, 55), (4, 61), (8, 72), (10, 80)])
    chart = Chart("scatter", "hours", ["score"], P, table=table, trend=True)
    assert f"y = {slope:.3g}x + {intercept:.3g}" in chart_summary(chart)
    assert not marks(drawn("scatter", table, y=("score",)), "line", "lc-trend")  # only when asked


def test_a_histograms_bins_and_counts_read_in_the_course_language():
    table = Table(["x"], [[0.2], [0.7], [1.0], [1.4]])
    chart = Chart("histogram", "x", [], P, table=table, bins=[0, 0.5, 1.5])
    assert chart_summary(chart, "fr") == "Diagramme en barres. Effectif: 0,0\u20130,5 1, 0,5\u20131,5 3."
    svg = str(draw_chart_svg(chart, "de"))
    assert "0,5\u20131,5" in svg and "Anzahl" in svg and "0.5" not in re.sub(r'"[^"]*"', "", svg)


def test_a_histogram_counts_every_value_once_into_touching_bins():
    values = [1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 10]
    table = Table(["x"], [[v] for v in values])
    data = histogram_data(Chart("histogram", "x", [], P, table=table, bins=3), table)
    assert sum(data.series[0].values) == len(values)
    assert data.categories == ["1\u20134", "4\u20137", "7\u201310"]
    assert data.series[0].values == [6.0, 4.0, 1.0]  # 4 opens the second bin; 10 closes the last
    edged = histogram_data(Chart("histogram", "x", [], P, table=table, bins=[0, 2, 5]), table)
    assert edged.series[0].values == [1.0, 9.0]  # 10 lies outside the edges
    root = drawn("histogram", table, y=(), bins=3)
    bars = marks(root, "rect", "lc-bar")
    assert len(bars) == 3
    heights = [float(b.get("height")) for b in bars]
    assert abs(heights[0] / heights[2] - 6) < 0.05 and abs(heights[1] / heights[2] - 4) < 0.05
    right = float(bars[0].get("x")) + float(bars[0].get("width"))
    assert abs(right - float(bars[1].get("x"))) < 0.5  # bins touch
    assert "Histogram" in root.find(SVG + "desc").text


MISTAKES = [
    ("{type: pie, data: data/p.csv, x: year, y: sugar}", "chart type must be bar, grouped, stacked, line, area, scatter or histogram"),
    ("{type: histogram, data: data/p.csv, x: year, bins: 0}", "`bins` is a number of bins from 1 to 100"),
    ("{type: histogram, data: data/p.csv, x: year, bins: [5, 3]}", "bin edges must rise"),
    ("{type: bar, data: data/p.csv, x: year, y: sugar, trend: true}", "`trend` draws a line through a scatter chart's points"),
    ("{type: line, data: data/p.csv, x: year, y: sugar, bins: 4}", "`bins` is a histogram's"),
    ("{type: bar, data: data/p.csv, x: year}", "the chart names no `y` column"),
    ("{type: stacked, data: data/n.csv, x: year, y: [a, b]}", "holds a negative value: stacked bars add up parts"),
    ("{type: scatter, data: data/p.csv, x: label, y: sugar}", "a scatter chart's x column 'label' holds the points' x"),
    ("{type: histogram, data: data/p.csv, x: label}", "a histogram chart's x column 'label' holds the values to count"),
    ("{type: bar, data: data/p.csv, x: year, y: [sugar, tobacco], error: sugar}", "`error` names 1 column for 2 y columns"),
    ("{type: area, data: data/p.csv, x: year, y: sugar, error: tobacco}", "error bars go on bar, grouped, line or scatter"),
    ("{type: bar, data: data/n.csv, x: year, y: a, error: b}", "the chart's error column 'b' must hold numbers of zero or more"),
    ("{type: bar, data: data/p.csv, x: year, y: sugar, error: margin}", "the chart's column 'margin' is not in its data"),
]


def _course(tmp_path: Path, charts: list[str]) -> Path:
    assert run_cli("new", str(tmp_path / "c")).exit_code == 0
    root = tmp_path / "c"
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "p.csv").write_text("year,label,sugar,tobacco\n1990,a,40,10\n2000,b,25,12\n2019,c,10,6\n", "utf-8")
    (root / "data" / "n.csv").write_text("year,a,b\n1990,3,-1\n2000,4,2\n", "utf-8")
    lecture = sorted((root / "lectures").glob("*.yaml"))[0]
    text = lecture.read_text("utf-8")
    at = text.index('      - title: "Dates to remember"')
    slides = "".join(f"      - title: Chart {k}\n        chart: {c}\n" for k, c in enumerate(charts))
    lecture.write_text(text[:at] + slides + text[at:], "utf-8")
    return root


@pytest.mark.parametrize("chart, message", MISTAKES, ids=[m[1][:30] for m in MISTAKES])
def test_each_chart_mistake_names_its_file_and_line(tmp_path, chart, message):
    root = _course(tmp_path, [chart])
    lecture = sorted((root / "lectures").glob("*.yaml"))[0]
    line = lecture.read_text("utf-8").splitlines().index(f"        chart: {chart}") + 1
    result = run_cli("check", str(root))
    assert result.exit_code != 0
    assert message in result.output, result.output
    found = [ln for ln in result.output.splitlines() if message in ln][0]
    assert f"{lecture.name}:{line}:" in found, found


def test_every_kind_prints_in_the_handout_and_the_guide(tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    kinds = ["{type: stacked, data: data/p.csv, x: year, y: [sugar, tobacco], title: Stacked parts}",
             "{type: grouped, data: data/p.csv, x: year, y: [sugar, tobacco], title: Grouped parts}",
             "{type: area, data: data/p.csv, x: year, y: sugar, title: Area of sugar}",
             "{type: scatter, data: data/p.csv, x: sugar, y: tobacco, trend: true, title: Scatter of crops}",
             "{type: histogram, data: data/p.csv, x: sugar, bins: [0, 20, 50], title: Histogram of sugar}"]
    root = _course(tmp_path, kinds)
    out = tmp_path / "out"
    result = run_cli("build", str(root), "--out", str(out), "--strict")
    assert result.exit_code == 0, result.output
    handout = subprocess.run(["pdftotext", str(next((out / "handouts").glob("*.pdf"))), "-"],
                             capture_output=True, text=True, check=True).stdout
    guide = subprocess.run(["pdftotext", str(out / "study-guide.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout
    for text in (handout, guide):
        assert "50" in text and "37" in text  # the stacked totals of 1990 (40 + 10) and 2000 (25 + 12)
        assert "0\u201320" in text and "20\u201350" in text  # the histogram's bins
    deck = next((out / "slides").glob("*.html")).read_text("utf-8")
    for kind in ("stacked", "grouped", "area", "scatter", "histogram"):
        assert f"lectern-chart-{kind}" in deck


def test_a_build_slide_reveals_its_charts_series_in_turn_in_a_real_browser(tmp_path):
    from deck_browser import ARGS, CHROMIUM, need_chromium
    need_chromium()
    from playwright.sync_api import sync_playwright
    root = _course(tmp_path, [])
    lecture = sorted((root / "lectures").glob("*.yaml"))[0]
    text = lecture.read_text("utf-8")
    at = text.index('      - title: "Dates to remember"')
    slide = ("      - title: Parts in turn\n        build: true\n        points: [First the whole, Then the parts]\n"
             "        chart: {type: stacked, data: data/p.csv, x: year, y: [sugar, tobacco]}\n")
    lecture.write_text(text[:at] + slide + text[at:], "utf-8")
    out = tmp_path / "out"
    assert run_cli("build", str(root), "--out", str(out), "--strict", "--only", "deck").exit_code == 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(next((out / "slides").glob("*.html")).as_uri())
        page.wait_for_function("window.lectern && lectern.current > 0")
        n = page.evaluate("""() => [...document.querySelectorAll('#deck > .slide')].findIndex(
            s => (s.querySelector('h2') || {}).textContent === 'Parts in turn') + 1""")
        page.evaluate("(n) => lectern.go(n)", n)
        seen = """() => [...document.querySelectorAll('#deck > .slide.current .figure-body:not(.figure-narrow) g.lc-series, #deck > .slide.current .figure-body:not(.figure-narrow) g.lc-totals')]
            .map(g => getComputedStyle(g).visibility === 'visible')"""
        shown = [page.evaluate(seen)]
        for _ in range(4):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(50)
            shown.append(page.evaluate(seen))
        assert page.evaluate("lectern.current") == n  # still on the slide after its four steps
        assert shown == [[False, False, False], [False, False, False], [False, False, False],
                         [True, False, False], [True, True, True]]
        page.keyboard.press("ArrowRight")
        assert page.evaluate("lectern.current") == n + 1
        browser.close()


def test_error_bars_reach_value_minus_and_plus_margin_and_the_labels_clear_them():
    table = Table(["group", "mean", "se"], [["a", 40, 5], ["b", 20, 2]])
    root = drawn("bar", table, y=("mean",), error=["se"])
    bars = marks(root, "path", "lc-error")
    assert len(bars) == 2
    rects = marks(root, "rect", "lc-bar")
    scale = float(rects[0].get("height")) / 40  # px per unit
    for path, e in zip(bars, (5, 2)):
        y_low, y_high = (float(v) for v in re.match(r"M[\d.]+ ([\d.]+)V([\d.]+)", path.get("d")).groups())
        assert abs((y_low - y_high) - 2 * e * scale) < 0.6
    label = [t for t in root.iter(SVG + "text") if "lc-value" in t.get("class", "")][0]
    top_of_error = float(re.match(r"M[\d.]+ [\d.]+V([\d.]+)", bars[0].get("d")).group(1))
    assert float(label.get("y")) < top_of_error  # written above the bar's error, not over it
    chart = Chart("bar", "group", ["mean"], P, table=table, error=["se"])
    assert "a 40 \u00b1 5" in chart_summary(chart)
    assert len(marks(drawn("line", table, y=("mean",), error=["se"]), "path", "lc-error")) == 2
