"""Chart data (a CSV file or an inline table) into self-contained, accessible, themeable SVG."""
from __future__ import annotations

import csv
import functools
import hashlib
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from ..course.model import Chart, Pos, Table
from ..problems import Problem

# --------------------------------------------------------------------------- numbers

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")  # 1,234 or 1,234.5
_SPACED = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?")  # 1 234,5
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")  # 34,2 (only in ;-separated files)


def parse_number(text: str, decimal_comma: bool = False) -> int | float | str | None:
    """A cell's value: int or float where the text is a number, None when empty, else the text.

    Accepts "27", "34.2", "-3", "1,234", "1 234", a trailing "%" ("27%") and a Unicode minus.
    With `decimal_comma` (a file separated by ";"), "34,2" is 34.2.
    """
    s = text.strip()
    if not s:
        return None
    t = s.replace("\u2212", "-")
    if t.endswith("%"):
        t = t[:-1].rstrip()
    if _INT.fullmatch(t):
        return int(t)
    if _FLOAT.fullmatch(t):
        return float(t)
    if _GROUPED.fullmatch(t) and not decimal_comma:
        return _to_number(t.replace(",", ""))
    if _SPACED.fullmatch(t):
        return _to_number(re.sub(r"[ \u00a0\u202f]", "", t).replace(",", "."))
    if decimal_comma and _DECIMAL_COMMA.fullmatch(t):
        return float(t.replace(",", "."))
    return s


def _to_number(t: str) -> int | float:
    return int(t) if _INT.fullmatch(t) else float(t)


def is_number(value: object) -> bool:
    """True for an int or a finite float (not a bool)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


# Languages that write 3,5 rather than 3.5; and of those, the ones that group thousands with "."
_COMMA_LANGS = {
    "af", "az", "be", "bg", "bs", "ca", "cs", "da", "de", "el", "es", "et", "eu", "fi", "fo",
    "fr", "gl", "hr", "hu", "hy", "id", "is", "it", "ka", "kk", "ky", "lt", "lv", "mk", "mn",
    "nb", "nl", "nn", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "tr", "uk",
    "uz", "vi",
}
_DOT_GROUP_LANGS = {
    "da", "de", "el", "es", "eu", "gl", "hr", "id", "is", "it", "nl", "pt", "ro", "sl", "sr",
    "tr", "vi", "ca",
}
_NNBSP = "\u202f"  # narrow no-break space: "27 %", "1 234" in French


@dataclass(frozen=True)
class NumberStyle:
    """How a language writes numbers."""

    decimal: str = "."
    group: str = ","
    percent_space: str = ""
    group_four: bool = True  # "1,234"; Spanish writes 1234 but 12 345


    @classmethod
    def for_lang(cls, lang: str) -> NumberStyle:
        return _number_style(cls, lang)

    @classmethod
    def _for_lang(cls, lang: str) -> NumberStyle:
        base = (lang or "en").replace("_", "-").split("-")[0].lower()
        if base in _COMMA_LANGS:
            group = "." if base in _DOT_GROUP_LANGS else _NNBSP
            return cls(decimal=",", group=group, percent_space=_NNBSP,
                       group_four=base not in ("es", "pl", "pt"))
        return cls()


@functools.lru_cache(maxsize=64)
def _number_style(cls, lang: str) -> NumberStyle:
    return cls._for_lang(lang)  # frozen, so one per language serves every number of a build


def format_number(value: float, lang: str = "en", decimals: int | None = None,
                  group: bool = True) -> str:
    """`value` written for `lang`: 1,234.5 (en), 1 234,5 (fr), 1.234,5 (de); minus as U+2212.

    `decimals` None: as many as the value needs, at most 3. `group` False: no thousands
    separator (for years on an x axis).
    """
    style = NumberStyle.for_lang(lang)
    if decimals is None:
        decimals = _decimals_of(value)
    text = f"{abs(value):.{decimals}f}"
    whole, _, frac = text.partition(".")
    if group and len(whole) >= (5 if style.group_four is False else 4):
        whole = f"{int(whole):,}".replace(",", style.group)
    out = whole + (style.decimal + frac if frac else "")
    if value < 0 and float(text) != 0:
        out = "\u2212" + out
    return out


def _decimals_of(value: float) -> int:
    if isinstance(value, int) or float(value).is_integer():
        return 0
    for d in range(1, 4):
        if abs(round(value, d) - value) < 1e-9 * max(1.0, abs(value)):
            return d
    return 3


@dataclass(frozen=True)
class UnitStyle:
    """How a chart's unit is shown: around every number, or once as an axis title."""

    prefix: str = ""
    suffix: str = ""
    axis_title: str = ""


def unit_style(unit: str, lang: str = "en") -> UnitStyle:
    """'%' → 27% (27 % in French); '$bn' → $2.5bn; long units ('thousand people') → axis title."""
    unit = (unit or "").strip()
    if not unit:
        return UnitStyle()
    if unit in ("%", "‰"):
        return UnitStyle(suffix=NumberStyle.for_lang(lang).percent_space + unit)
    if unit[0] in "$€£¥₹₽" and len(unit) <= 4:
        return UnitStyle(prefix=unit[0], suffix=unit[1:])
    if len(unit) <= 4 and " " not in unit:
        return UnitStyle(suffix="\u00a0" + unit)
    return UnitStyle(axis_title=unit)


def format_value(value: float, unit: str = "", lang: str = "en",
                 decimals: int | None = None) -> str:
    """A value with its unit, as on a bar label: '27%', '$2.5bn', '1 234 km'."""
    u = unit_style(unit, lang)
    number = format_number(value, lang, decimals)
    if number.startswith("\u2212") and u.prefix:
        return "\u2212" + u.prefix + number[1:] + u.suffix
    return u.prefix + number + u.suffix


# --------------------------------------------------------------------------- CSV


def _sniff_delimiter(first_line: str) -> str:
    """',' unless the header line is clearly separated by ';' or a tab."""
    if first_line.count(";") > first_line.count(",") and first_line.count(";") >= 1:
        return ";"
    if first_line.count("\t") > first_line.count(",") and first_line.count("\t") >= 1:
        return "\t"
    return ","


def read_csv(path: Path, display_path: str) -> tuple[Table | None, list[Problem]]:
    """Read chart data from a CSV file: a header row naming the columns, then rows of cells.

    Numbers become int or float, empty cells None. Every problem (unreadable file, no
    header, a row with the wrong number of cells) comes back as a Problem at its line;
    the table is None when there is any. Never raises for bad input.
    """

    def problem(line: int, message: str, col: int = 1) -> Problem:
        return Problem(Pos(display_path, line, col), message)

    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        return None, [problem(1, f"cannot read chart data {display_path}: it is a folder")]
    except FileNotFoundError:
        return None, [problem(1, f"chart data {display_path} does not exist")]
    except OSError as e:
        return None, [problem(1, f"cannot read chart data {display_path}: {e.strerror or e}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return None, [problem(line, f"chart data {display_path} is not UTF-8 text "
                                    "(save it as CSV UTF-8)")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [problem(line, f"chart data {display_path} is not a text file")]

    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = _sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[Problem] = []
    header: list[str] | None = None
    header_line = 0
    rows: list[list[object]] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            problems.append(problem(reader.line_num or start, f"malformed CSV: {e}"))
            break
        if not any(c.strip() for c in cells):
            continue  # blank line
        if header is None:
            header, header_line = [c.strip() for c in cells], start
            while header and not header[-1] and len(header) > 1:
                header.pop()  # a trailing separator
            problems += _header_problems(header, start, display_path, delimiter)
            continue
        while len(cells) > len(header) and not cells[-1].strip():
            cells = cells[:-1]  # trailing empty cells, as spreadsheets write them
        if len(cells) != len(header):
            problems.append(problem(
                start, f"this row has {len(cells)} cell{'s' if len(cells) != 1 else ''} but "
                       f"the header (line {header_line}) names {len(header)} columns"))
            continue
        rows.append([parse_number(c, decimal_comma=delimiter == ";") for c in cells])
    if header is None and not problems:
        problems.append(problem(1, f"chart data {display_path} is empty: the first row should "
                                   "name the columns"))
    elif header is not None and not rows and not problems:
        problems.append(problem(header_line, f"chart data {display_path} has a header but no "
                                             "rows of data"))
    if problems:
        return None, problems
    return Table(columns=header, rows=rows), []


def _header_problems(header: list[str], line: int, display_path: str,
                     delimiter: str) -> list[Problem]:
    out: list[Problem] = []
    if header and all(is_number(parse_number(c)) for c in header if c):
        return [Problem(Pos(display_path, line, 1),
                        "no header: the first row should name the columns, but it holds "
                        "numbers")]
    seen: set[str] = set()
    col = 1
    for cell in header:
        if not cell:
            out.append(Problem(Pos(display_path, line, col), "a column has no name in the header"))
        elif cell in seen:
            out.append(Problem(Pos(display_path, line, col),
                               f"column {cell!r} is named twice in the header"))
        seen.add(cell)
        col += len(cell) + 1
    return out


def check_chart(chart: Chart, where: Pos | None = None) -> list[Problem]:
    """Problems with a chart whose table is filled: unknown columns, values that are not numbers.

    Reported at `where` (default: the chart's own position in the lecture file).
    """
    pos = where or chart.pos
    table = chart.table
    out: list[Problem] = []
    if chart.type not in ("bar", "line"):
        out.append(Problem(pos, f"chart type {chart.type!r} is not 'bar' or 'line'"))
    if table is None:
        return out
    names = ", ".join(table.columns)
    if not table.rows:
        out.append(Problem(pos, "the chart's table has no rows"))
    if chart.x not in table.columns:
        out.append(Problem(pos, f"chart x column {chart.x!r} is not in the data (columns: {names})"))
    if not chart.y:
        out.append(Problem(pos, "the chart names no y column"))
    for y in chart.y:
        if y not in table.columns:
            out.append(Problem(pos, f"chart y column {y!r} is not in the data (columns: {names})"))
            continue
        i = table.columns.index(y)
        for n, row in enumerate(table.rows, 1):
            v = row[i] if i < len(row) else None
            if v is not None and not is_number(v):
                out.append(Problem(pos, f"chart y column {y!r}, row {n}: {v!r} is not a number"))
                break
    for n, row in enumerate(table.rows, 1):
        if len(row) != len(table.columns):
            out.append(Problem(pos, f"row {n} of the chart's table has {len(row)} cells but "
                                    f"there are {len(table.columns)} columns"))
    return out


# --------------------------------------------------------------------------- data


@dataclass
class Series:
    name: str
    values: list[float | None]


@dataclass
class ChartData:
    """A chart's table reduced to what is drawn: category labels and numeric series."""

    categories: list[object]
    series: list[Series] = field(default_factory=list)

    @property
    def numbers(self) -> list[float]:
        return [v for s in self.series for v in s.values if v is not None]


def chart_data(chart: Chart) -> ChartData:
    """The chart's x labels and y series; a missing column or non-number becomes a gap."""
    table = chart.table or Table([], [])
    cols = {name: i for i, name in enumerate(table.columns)}

    def cell(row: list[object], name: str) -> object:
        i = cols.get(name)
        return row[i] if i is not None and i < len(row) else None

    categories = [cell(r, chart.x) for r in table.rows]
    series = []
    for y in chart.y:
        values: list[float | None] = []
        for r in table.rows:
            v = cell(r, y)
            if isinstance(v, str):
                v = parse_number(v)
            values.append(float(v) if is_number(v) else None)
        series.append(Series(str(y), values))
    return ChartData(categories, series)


def _label(value: object, lang: str) -> str:
    """An x value as text: numbers (years) without thousands separators."""
    if value is None:
        return ""
    if is_number(value):
        return format_number(value, lang, group=False)
    return str(value)


_KIND = {
    "en": ("Bar chart", "Line chart", "no value"),
    "fr": ("Diagramme en barres", "Graphique linéaire", "sans valeur"),
    "de": ("Balkendiagramm", "Liniendiagramm", "kein Wert"),
    "es": ("Gráfico de barras", "Gráfico de líneas", "sin valor"),
    "it": ("Grafico a barre", "Grafico a linee", "nessun valore"),
    "pt": ("Gráfico de barras", "Gráfico de linhas", "sem valor"),
}


def _words(lang: str) -> tuple[str, str, str]:
    return _KIND.get((lang or "en").split("-")[0].lower(), _KIND["en"])


def chart_summary(chart: Chart, lang: str = "en", limit: int = 60) -> str:
    """A plain-text description of the data, for <desc>, alt text and screen readers.

    "Bar chart: Real wages. Real wages (%): 1989 100%, 2008 27%."
    """
    data = chart_data(chart)
    bar, line, none = _words(lang)
    head = bar if chart.type == "bar" else line
    if chart.title:
        head += f": {chart.title}"
    parts = [head.rstrip(".") + "."]
    shown = 0
    decimals = _value_decimals(data)
    for s in data.series:
        items = []
        for cat, v in zip(data.categories, s.values):
            if shown >= limit:
                break
            items.append(f"{ellipsize(_label(cat, lang), 120, 1)} "
                         f"{format_value(v, chart.unit, lang, decimals) if v is not None else none}")
            shown += 1
        name = s.name
        u = unit_style(chart.unit, lang)
        if u.axis_title:
            name += f" ({u.axis_title})"
        if items:
            parts.append(f"{name}: {', '.join(items)}.")
    total = len(data.categories) * len(data.series)
    if total > shown:
        parts.append(f"(+{total - shown})")
    return " ".join(parts)


def _value_decimals(data: ChartData) -> int:
    return min(2, max((_decimals_of(v) for v in data.numbers), default=0))


# --------------------------------------------------------------------------- geometry helpers

_NARROW = set("iljtfrI.,:;'!|()[] ")
_WIDE = set("mwMW@%")


@functools.lru_cache(maxsize=4096)
def _em(ch: str) -> float:
    """The width of one character, in em, of a typical sans font (rounded up)."""
    if ch in _NARROW:
        return 0.32
    if ch in _WIDE:
        return 0.88
    if ch.isupper():
        return 0.68
    if ch.isdigit():
        return 0.57
    if ord(ch) > 0x2e80:  # CJK and the like: full width
        return 1.0
    return 0.56


_SLACK = 1.04


def text_width(text: str, size: float) -> float:
    """An estimate, on the generous side, of the width of `text` set at `size` in a sans font."""
    return sum(map(_em, text)) * size * _SLACK


def wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy word wrap of `text` into lines no wider than `width` (a long word stays whole)."""
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    space = text_width(" ", size)
    for word in text.split():
        w = text_width(word, size)
        if current and used + space + w > width:
            lines.append(" ".join(current))
            current, used = [word], w
        else:
            used += (space if current else 0.0) + w
            current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines or [""]


def ellipsize(text: str, width: float, size: float) -> str:
    """`text` cut with "…" to fit `width` (reads no further than the width allows)."""
    room = width - text_width("…", size)
    used = 0.0
    cut = None
    for n, ch in enumerate(text):
        used += _em(ch) * size * _SLACK
        if cut is None and used > room:
            cut = n
        if used > width:
            return text[:cut].rstrip() + "…"
    return text


def nice_ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (0 always included), steps of 1, 2, 2.5 or 5 × 10^k."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi - lo < 1e-12:
        hi = lo + 1
    raw = (hi - lo) / target
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw - 1e-12)
    start = math.floor(lo / step + 1e-9) * step
    ticks = []
    v = start
    while v < hi - 1e-9 * step:
        ticks.append(v)
        v += step
    ticks.append(v)
    return [round(t, 10) for t in ticks]


def _tick_decimals(ticks: list[float]) -> int:
    return min(3, max(_decimals_of(t) for t in ticks))


_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _t(text: object) -> str:
    """Text for an SVG text node or attribute: escaped, without characters XML forbids."""
    return str(escape(_XML_BAD.sub("", str(text))))


def _n(v: float) -> str:
    """A coordinate, short."""
    r = round(v, 1)
    return str(int(r)) if r == int(r) else str(r)


# --------------------------------------------------------------------------- SVG

WIDTH = 600  # the default viewBox: 13-unit text reads as ~9 pt on a 15 cm wide page
HEIGHT = 340
SLIDE_SIZE = (480, 270)  # a smaller viewBox for a slide: the same text reads larger projected
PAD = 10
TICK = 13  # tick and category labels
VALUE = 12  # labels on bars
LEGEND = 13
TITLE = 17
# For renderers that ignore the CSS (WeasyPrint): Biolinum, the guide's sans, else a common sans.
# No spaces after commas and no quotes: WeasyPrint 70 splits the list on "," without trimming.
FONT_FAMILY = "Linux Biolinum O,Linux Biolinum,Biolinum,Helvetica Neue,Helvetica,Arial,sans-serif"
LEGEND_ROWS = 3
MAX_LABEL = 120  # characters of a category label drawn; longer ones are cut
SERIES_COLOURS = ("#1f5f8b", "#d9822b", "#4d9a52", "#b23a48", "#6f5ea8", "#7f7f7f")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square")

# The look, by class. Plain presentation attributes carry the fallback colours (and are all
# WeasyPrint reads: it skips @media in SVG); browsers apply these rules, so a page themes every
# chart with custom properties: --chart-1 … --chart-6, --chart-text, --chart-muted,
# --chart-grid, --chart-axis, --chart-bg, --chart-font.
_STYLE = """@media all{
svg.lectern-chart{font-family:var(--chart-font,inherit);font-variant-numeric:lining-nums tabular-nums}
svg.lectern-chart .lc-title{fill:var(--chart-text,#1a1a1a)}
svg.lectern-chart .lc-tick,svg.lectern-chart .lc-cat,svg.lectern-chart .lc-legend text{fill:var(--chart-muted,#444)}
svg.lectern-chart .lc-value{fill:var(--chart-text,#1a1a1a)}
svg.lectern-chart .lc-grid{stroke:var(--chart-grid,#d9d9d9)}
svg.lectern-chart .lc-axis{stroke:var(--chart-axis,#555)}
svg.lectern-chart .lc-marker{stroke:var(--chart-bg,#fff)}
%s}"""


def _series_rules() -> str:
    rules = []
    for i, c in enumerate(SERIES_COLOURS, 1):
        v = f"var(--chart-{i},{c})"
        rules.append(f"svg.lectern-chart .lc-s{i}{{fill:{v}}}"
                     f"svg.lectern-chart .lc-l{i}{{stroke:{v}}}")
    return "\n".join(rules)


STYLE = _STYLE % _series_rules()
STYLE_ELEMENT = f"<style>{STYLE}</style>"  # in every chart, for browsers: the theme's colours through var()


def for_print(html: str) -> str:
    """`html` with its charts' style elements left out, for WeasyPrint: its SVG has no var(), so
    they change nothing on paper (the colours are also presentation attributes), and parsing them
    took a few milliseconds a chart."""
    return html.replace(STYLE_ELEMENT, "")


def _prefix(chart: Chart, lang: str) -> str:
    key = repr((chart.type, chart.x, chart.y, chart.title, chart.unit, lang,
                chart.table.columns if chart.table else None,
                chart.table.rows if chart.table else None, chart.pos))
    return "chart-" + hashlib.sha1(key.encode("utf-8", "replace")).hexdigest()[:10]


@dataclass
class _Cat:
    """How the category labels on the x axis are laid out."""

    lines: list[list[str]]  # per label, its lines (horizontal mode)
    rotate: bool
    show: list[bool]  # which labels are drawn (thinned when crowded)
    height: float


def _layout_categories(labels: list[str], band: float, max_height: float) -> _Cat:
    """Wrap labels on up to 3 lines in their band; else rotate 45°; thin them when crowded."""
    n = len(labels)
    line_h = TICK * 1.2
    wrapped = [wrap(lb, band - 6, TICK) for lb in labels]
    fits = all(len(ls) <= 3 and all(text_width(x, TICK) <= band - 4 for x in ls)
               for ls in wrapped)
    if fits:
        rows = max((len(ls) for ls in wrapped), default=1)
        return _Cat(wrapped, False, [True] * n, rows * line_h + 6)
    # Rotated by 45°: neighbours sit band·sin45 apart, perpendicular to the text; a label
    # may take two lines where that leaves room, and crowded labels are thinned.
    gap = band * math.sin(math.pi / 4)
    every = max(1, math.ceil(line_h / gap))
    show = [i % every == 0 for i in range(n)]
    nlines = 2 if gap * every >= 2 * line_h + 2 else 1
    room = (max_height - TICK - 8) / math.sin(math.pi / 4)
    longest = max((text_width(lb, TICK) for lb in labels), default=0)
    if longest <= room:
        nlines = 1
    lines = []
    for lb in labels:
        ls = wrap(lb, max(room, longest / nlines + TICK), TICK) if nlines > 1 else [lb]
        if len(ls) > nlines:
            ls = ls[: nlines - 1] + [" ".join(ls[nlines - 1:])]
        lines.append([ellipsize(x, room, TICK) for x in ls])
    widest = max((text_width(x, TICK) for ls in lines for x in ls), default=0)
    height = min(max_height, (widest + TICK * 1.2 * nlines) * math.sin(math.pi / 4) + 10)
    return _Cat(lines, True, show, height)


class _Svg:
    """A list of SVG element strings being assembled."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, s: str) -> None:
        self.parts.append(s)

    def text(self, x: float, y: float, s: str, cls: str, size: float, anchor: str = "middle",
             fill: str = "#444", weight: str = "", rotate: float = 0,
             origin: tuple[float, float] | None = None) -> None:
        extra = f' font-weight="{weight}"' if weight else ""
        if rotate:
            ox, oy = origin or (x, y)
            extra += f' transform="rotate({_n(rotate)} {_n(ox)} {_n(oy)})"'
        self.add(f'<text class="{cls}" x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" '
                 f'text-anchor="{anchor}" fill="{fill}"{extra}>{_t(s)}</text>')


_SVGS: dict[str, Markup] = {}  # drawn charts by what they are drawn from (serve draws each once)


def chart_svg(chart: Chart, lang: str = "en", id_prefix: str | None = None,
              show_title: bool = True, width: int = WIDTH, height: int = HEIGHT) -> Markup:
    """`draw_chart_svg`, remembered for the process: serve resolves every chart after each save."""
    table = chart.table
    key = repr((chart.type, chart.x, chart.y, chart.title, chart.unit, table.columns if table else None,
                table.rows if table else None, lang, id_prefix or chart.pos, show_title, width, height))
    if key not in _SVGS:
        while len(_SVGS) >= 1024:
            _SVGS.pop(next(iter(_SVGS)))
        _SVGS[key] = draw_chart_svg(chart, lang, id_prefix, show_title, width, height)
    return _SVGS[key]


def draw_chart_svg(chart: Chart, lang: str = "en", id_prefix: str | None = None,
                   show_title: bool = True, width: int = WIDTH, height: int = HEIGHT) -> Markup:
    """The chart as one inline <svg> element: no script, no external reference.

    `id_prefix` makes the element ids unique in the page (default: a hash of the chart).
    `show_title` draws the chart's title at the top (it is in <title> either way); pass False
    where the page prints the title itself. `width` and `height` set the viewBox: text keeps
    its size in viewBox units, so a smaller box (SLIDE_SIZE) gives larger text when scaled
    to the same room. The element has no width or height: size it with CSS
    (`svg.lectern-chart { width: 100%; height: auto }`).
    """
    W, H = max(200, int(width)), max(150, int(height))
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", id_prefix) if id_prefix else _prefix(chart, lang)
    data = chart_data(chart)
    ustyle = unit_style(chart.unit, lang)
    svg = _Svg()
    nseries = max(1, len(data.series))

    # --- vertical layout, top down
    top = PAD
    if show_title and chart.title:
        for line in wrap(chart.title, W - 2 * PAD, TITLE)[:2]:
            top += TITLE
            svg.text(W / 2, top, line, "lc-title", TITLE, fill="#1a1a1a", weight="bold")
            top += 4
        top += 6
    if len(data.series) > 1:
        top = _legend(svg, data, chart.type, top, W)
    if ustyle.axis_title:
        top += TICK
        svg.text(PAD, top, ellipsize(ustyle.axis_title, W / 2, TICK), "lc-tick lc-unit",
                 TICK, anchor="start")
        top += 4
    plot_top = top + TICK / 2 + 4

    # --- y scale and x layout, settled in two passes: the room value labels need in data
    # units depends on the plot's height, which depends on the category labels below it
    numbers = data.numbers or [0.0]
    lo, hi = min(numbers), max(numbers)
    labelled = chart.type == "bar" or len(data.series) == 1 and len(data.categories) <= 16
    room = VALUE + 8.0  # room above the tallest bar (below the deepest) for its value label
    if chart.type == "bar":
        dec = _value_decimals(data)
        widest = max((text_width(format_value(v, chart.unit, lang, dec), VALUE)
                      for v in numbers), default=0)
        bar_w = (W - 90) / max(1, len(data.categories)) * 0.72 / nseries
        if widest > bar_w + 4:  # a label turned upright on a narrow bar needs its whole width
            room = widest * min(1.0, max(8.0, min(VALUE, bar_w)) / VALUE) + 8
    labels = [_label(c, lang)[:MAX_LABEL] for c in data.categories]  # in full in <desc>
    ncat = max(1, len(labels))
    numeric_x = chart.type == "line" and len(labels) > 1 and all(
        is_number(c) for c in data.categories)
    max_label_h = (H - plot_top) * 0.4
    plot_h = max(1.0, H - plot_top - 70)
    for _pass in range(2):
        ticks = nice_ticks(lo, hi)
        for _ in range(6 if labelled else 0):
            step = ticks[1] - ticks[0]
            span = ticks[-1] - ticks[0]
            if hi > 0 and (ticks[-1] - hi) / span * plot_h < room:
                ticks.append(round(ticks[-1] + step, 10))
            elif lo < 0 and (lo - ticks[0]) / span * plot_h < room:
                ticks.insert(0, round(ticks[0] - step, 10))
            else:
                break
        tick_dec = _tick_decimals(ticks)
        tick_labels = [format_number(t, lang, tick_dec) for t in ticks]
        tick_labels = [ustyle.prefix + t + ustyle.suffix if not t.startswith("\u2212")
                       else "\u2212" + ustyle.prefix + t[1:] + ustyle.suffix for t in tick_labels]
        plot_left = PAD + max(text_width(t, TICK) for t in tick_labels) + 8
        plot_right = W - PAD
        if chart.type == "line":
            # points sit on the band centres (or a linear scale): half the last label hangs out
            end_room = min(60.0, max((text_width(lb, TICK) for lb in labels[-1:]), default=0) / 2)
            plot_right = W - PAD - max(0.0, end_room - 10)
        band = (plot_right - plot_left) / ncat
        if numeric_x:
            cat = _Cat([[lb] for lb in labels], False, [True] * len(labels), TICK * 1.2 + 6)
        else:
            cat = _layout_categories(labels, band, max_label_h)
            if cat.rotate and labels:
                # a rotated first label reaches left of its band: make room on the left
                first = max(text_width(x, TICK) for x in cat.lines[0]) * math.cos(math.pi / 4)
                need = PAD + first - band / 2 + TICK
                if need > plot_left:
                    plot_left = need
                    band = (plot_right - plot_left) / ncat
                    cat = _layout_categories(labels, band, max_label_h)
        plot_bottom = H - PAD - cat.height
        if abs((plot_bottom - plot_top) - plot_h) < 2:
            break
        plot_h = max(1.0, plot_bottom - plot_top)

    t0, t1 = ticks[0], ticks[-1]

    def y_of(v: float) -> float:
        return plot_bottom - (v - t0) / (t1 - t0) * (plot_bottom - plot_top)

    if numeric_x:
        xs = [float(c) for c in data.categories]
        x_lo, x_hi = min(xs), max(xs)
        span = (x_hi - x_lo) or 1.0
        inset = min(24.0, (plot_right - plot_left) * 0.04)

        def x_of(i: int) -> float:
            return plot_left + inset + (xs[i] - x_lo) / span * (plot_right - plot_left - 2 * inset)
    else:
        def x_of(i: int) -> float:
            return plot_left + band * (i + 0.5)

    # --- grid and y ticks
    svg.add('<g class="lc-grid-lines">')
    for t, lbl in zip(ticks, tick_labels):
        y = y_of(t)
        cls = "lc-axis" if t == 0 else "lc-grid"
        colour = "#555" if t == 0 else "#d9d9d9"
        svg.add(f'<line class="{cls}" x1="{_n(plot_left)}" y1="{_n(y)}" x2="{_n(plot_right)}" '
                f'y2="{_n(y)}" stroke="{colour}" stroke-width="1"/>')
        svg.text(plot_left - 6, y + TICK * 0.35, lbl, "lc-tick", TICK, anchor="end")
    svg.add("</g>")

    # --- x labels
    svg.add('<g class="lc-categories">')
    label_top = plot_bottom + 6
    if numeric_x:
        last_right = -math.inf
        for i, lb in enumerate(labels):
            w = text_width(lb, TICK)
            x = x_of(i)
            if x - w / 2 < last_right + 6:
                continue
            last_right = x + w / 2
            svg.text(x, label_top + TICK, lb, "lc-cat", TICK)
    else:
        for i, lines in enumerate(cat.lines):
            if not cat.show[i]:
                continue
            x = x_of(i)
            if cat.rotate:
                for k, line in enumerate(lines):
                    # lines stacked across the slant, the block centred on the tick
                    dy = (k - (len(lines) - 1) / 2) * TICK * 1.15 + TICK * 0.35
                    svg.text(x + TICK * 0.3, label_top + TICK * 0.6 + dy, line, "lc-cat",
                             TICK, anchor="end",
                             rotate=-45, origin=(x + TICK * 0.3, label_top + TICK * 0.6))
            else:
                for k, line in enumerate(lines):
                    svg.text(x, label_top + TICK + k * TICK * 1.2, line, "lc-cat", TICK)
    svg.add("</g>")

    # --- the data
    decimals = _value_decimals(data)
    if chart.type == "line":
        _lines(svg, data, x_of, y_of, nseries, chart.unit, lang, decimals)
    else:
        _bars(svg, data, band, x_of, y_of, chart.unit, lang, decimals, nseries, plot_top,
              plot_bottom)

    # --- assemble
    title = chart.title or _words(lang)[0 if chart.type == "bar" else 1]
    desc = chart_summary(chart, lang)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="lectern-chart '
            f'lectern-chart-{_t(chart.type)}" viewBox="0 0 {W} {H}" '
            f'role="img" aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc" '
            f'font-family="{FONT_FAMILY}" direction="ltr" lang="{_t(lang)}">'
            f'<title id="{prefix}-title">{_t(title)}</title>'
            f'<desc id="{prefix}-desc">{_t(desc)}</desc>'
            f"{STYLE_ELEMENT}")
    return Markup(head + "".join(svg.parts) + "</svg>")


def _legend(svg: _Svg, data: ChartData, kind: str, top: float, W: float) -> float:
    """Swatch and name for every series, in centred rows (three at most: past that, "+N"
    stands for the rest, named in <desc>); returns the new top."""
    items = []
    for i, s in enumerate(data.series):
        name = ellipsize(s.name, W / 3, LEGEND)
        items.append((i, name, 22 + text_width(name, LEGEND) + 18))
    rows: list[list[tuple[int, str, float]]] = [[]]
    width = 0.0
    more = f"+{len(items)}"
    for n, it in enumerate(items):
        more = f"+{len(items) - n}"
        last_row = len(rows) == LEGEND_ROWS
        room = W - 2 * PAD - (text_width(more, LEGEND) + 10 if last_row else 0)
        if rows[-1] and width + it[2] > room:
            if last_row:
                break
            rows.append([])
            width = 0.0
        rows[-1].append(it)
        width += it[2]
    else:
        more = ""
    svg.add('<g class="lc-legend">')
    for row in rows:
        top += LEGEND + 2
        x = (W - sum(it[2] for it in row) + 18) / 2
        for i, name, w in row:
            k = i % len(SERIES_COLOURS)
            colour = SERIES_COLOURS[k]
            cy = top - LEGEND * 0.35
            if kind == "line":
                svg.add(f'<line class="lc-l{k + 1}" x1="{_n(x)}" y1="{_n(cy)}" x2="{_n(x + 16)}" '
                        f'y2="{_n(cy)}" stroke="{colour}" stroke-width="2.5"/>')
                svg.add(_marker(k, x + 8, cy, 3.5, colour))
            else:
                svg.add(f'<rect class="lc-s{k + 1}" x="{_n(x)}" y="{_n(cy - 6)}" width="14" '
                        f'height="12" fill="{colour}"/>')
            svg.text(x + 22, top, name, "lc-legend-label", LEGEND, anchor="start")
            x += w
        if more and row is rows[-1]:
            svg.text(x, top, more, "lc-legend-more", LEGEND, anchor="start")
        top += 4
    svg.add("</g>")
    return top + 4


def _marker(k: int, x: float, y: float, r: float, colour: str) -> str:
    """A point marker; its shape varies by series so lines stay apart in grey print."""
    shape = MARKERS[k % len(MARKERS)]
    attrs = (f'class="lc-s{k + 1} lc-marker" fill="{colour}" stroke="#fff" '
             f'stroke-width="1.5"')
    if shape == "square":
        return (f'<rect {attrs} x="{_n(x - r)}" y="{_n(y - r)}" width="{_n(2 * r)}" '
                f'height="{_n(2 * r)}"/>')
    if shape == "triangle":
        r *= 1.25
        pts = f"{_n(x)},{_n(y - r)} {_n(x + r)},{_n(y + r * 0.8)} {_n(x - r)},{_n(y + r * 0.8)}"
        return f'<polygon {attrs} points="{pts}"/>'
    if shape == "diamond":
        r *= 1.3
        pts = f"{_n(x)},{_n(y - r)} {_n(x + r)},{_n(y)} {_n(x)},{_n(y + r)} {_n(x - r)},{_n(y)}"
        return f'<polygon {attrs} points="{pts}"/>'
    return f'<circle {attrs} cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}"/>'


def _bars(svg: _Svg, data: ChartData, band: float, x_of, y_of, unit: str, lang: str,
          decimals: int, nseries: int, plot_top: float, plot_bottom: float) -> None:
    """Grouped bars from the zero line, each with its value written above (or below) it.

    A label that would leave the plot (a crowded chart squeezed flat) is left out rather than
    drawn over the axis labels; the value stays in the bar's tooltip and the chart's <desc>.
    """
    group = min(band * (0.72 if nseries > 1 else 0.6), 110.0 * nseries ** 0.8)
    width = group / nseries
    gap = min(2.0, width * 0.1) if nseries > 1 else 0.0
    zero = y_of(0.0)
    # one font size for every value label: as large as fits the narrowest bar
    labels = [[format_value(v, unit, lang, decimals) if v is not None else None
               for v in s.values] for s in data.series]
    widest = max((text_width(lb, 1) for ls in labels for lb in ls if lb), default=1)
    size = max(8.0, min(VALUE, (width + gap * 2 + 2) / widest))
    vertical = widest * size > width + 4  # too narrow even at the smallest size: turn them
    if vertical:
        size = max(8.0, min(VALUE, width + gap))
    legible = width + gap >= 7  # below that, labels would pile up: the values stay in <desc>
    for k, s in enumerate(data.series):
        c = k % len(SERIES_COLOURS)
        colour = SERIES_COLOURS[c]
        svg.add(f'<g class="lc-series lc-series-{k + 1}" data-series="{_t(s.name)}">')
        for i, v in enumerate(s.values):
            if v is None:
                continue
            x = x_of(i) - group / 2 + k * width + gap / 2
            y = y_of(v)
            top, bottom = round(min(y, zero), 1), round(max(y, zero), 1)
            h = round(bottom - top, 1)
            svg.add(f'<rect class="lc-bar lc-s{c + 1}" x="{_n(x)}" y="{_n(top)}" '
                    f'width="{_n(width - gap)}" height="{_n(h)}" fill="{colour}">'
                    f"<title>{_t(s.name)}, {_t(_label(data.categories[i], lang)[:MAX_LABEL])}: "
                    f"{_t(labels[k][i])}</title></rect>")
            cx = x + (width - gap) / 2
            extent = text_width(labels[k][i], size) + 4 if vertical else size + 4
            if not legible or (v >= 0 and top - extent < plot_top - TICK / 2 - 2) or (
                    v < 0 and bottom + extent > plot_bottom + 1):
                continue
            if vertical:
                if v >= 0:
                    svg.text(cx + size * 0.35, top - 4, labels[k][i], "lc-value", size,
                             anchor="start", fill="#1a1a1a", rotate=-90)
                else:
                    svg.text(cx + size * 0.35, top + h + 4, labels[k][i], "lc-value", size,
                             anchor="end", fill="#1a1a1a", rotate=-90)
            elif v >= 0:
                svg.text(cx, top - 4, labels[k][i], "lc-value", size, fill="#1a1a1a")
            else:
                svg.text(cx, top + h + size + 2, labels[k][i], "lc-value", size, fill="#1a1a1a")
        svg.add("</g>")


def _lines(svg: _Svg, data: ChartData, x_of, y_of, nseries: int, unit: str, lang: str,
           decimals: int) -> None:
    """One line per series with a marker at every value; a missing value breaks the line.

    A single line of up to 16 points also gets its values written: above each point, below
    a dip.
    """
    xs = [x_of(i) for i in range(len(data.categories))]
    spacing = min((abs(b - a) for a, b in zip(xs, xs[1:])), default=40.0)
    radius = max(2.0, min(4.5, spacing / 5))  # markers shrink where points crowd
    for k, s in enumerate(data.series):
        c = k % len(SERIES_COLOURS)
        colour = SERIES_COLOURS[c]
        svg.add(f'<g class="lc-series lc-series-{k + 1}" data-series="{_t(s.name)}">')
        path: list[str] = []
        pen = False
        for i, v in enumerate(s.values):
            if v is None:
                pen = False
                continue
            path.append(f"{'L' if pen else 'M'}{_n(x_of(i))} {_n(y_of(v))}")
            pen = True
        if path:
            svg.add(f'<path class="lc-line lc-l{c + 1}" d="{" ".join(path)}" fill="none" '
                    f'stroke="{colour}" stroke-width="2.5" stroke-linejoin="round" '
                    f'stroke-linecap="round"/>')
        for i, v in enumerate(s.values):
            if v is not None:
                svg.add(_marker(c, x_of(i), y_of(v), radius, colour))
        if nseries == 1 and len(s.values) <= 16:
            for i, v in enumerate(s.values):
                if v is None:
                    continue
                before = s.values[i - 1] if i > 0 else None
                after = s.values[i + 1] if i + 1 < len(s.values) else None
                dip = (before is None or before > v) and (after is None or after > v) and (
                    before is not None or after is not None)
                y = y_of(v) + (VALUE + 8 if dip else -9)
                svg.text(x_of(i), y, format_value(v, unit, lang, decimals), "lc-value", VALUE,
                         fill="#1a1a1a")
        svg.add("</g>")
