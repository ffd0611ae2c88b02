"""Chart data: a CSV file read into a Table, checked against its chart, reduced to what is drawn."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..course.model import Chart, Pos, Table
from ..course.shapes import CHART_TYPES
from ..problems import Problem
from .values import _decimals_of, is_number, parse_number

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

    text, unreadable = _read_text(path, display_path)
    if text is None:
        return None, unreadable
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


def _read_text(path: Path, display_path: str) -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8, a BOM dropped), or None and why it cannot be read as text."""

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
    return text, []


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


# --------------------------------------------------------------------------- checks


def check_chart(chart: Chart, where: Pos | None = None) -> list[Problem]:
    """Problems with a chart whose table is filled: unknown columns, values that are not numbers.

    Reported at `where` (default: the chart's own position in the lecture file).
    """
    pos = where or chart.pos
    table = chart.table
    out: list[Problem] = []
    if chart.type not in CHART_TYPES:
        out.append(Problem(pos, f"chart type {chart.type!r} is not one of {', '.join(CHART_TYPES)}"))
    if table is None:
        return out
    names = ", ".join(table.columns)
    if not table.rows:
        out.append(Problem(pos, "the chart's table has no rows"))
    if chart.x not in table.columns:
        out.append(Problem(pos, f"chart x column {chart.x!r} is not in the data (columns: {names})"))
    if not chart.y and chart.type != "histogram":
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


# --------------------------------------------------------------------------- the drawn data


@dataclass
class Series:
    name: str
    values: list[float | None]
    errors: list[float | None] | None = None  # each value's ± margin (error bars)


@dataclass
class ChartData:
    """A chart's table reduced to what is drawn: category labels and numeric series."""

    categories: list[object]
    series: list[Series] = field(default_factory=list)
    stacked: bool = False  # the series add up: the scale runs to the largest total

    @property
    def numbers(self) -> list[float]:
        if self.stacked:
            return [0.0] + [sum(s.values[i] or 0.0 for s in self.series) for i in range(len(self.categories))]
        out = [v for s in self.series for v in s.values if v is not None]
        for s in self.series:  # the scale reaches the ends of the error bars
            for v, e in zip(s.values, s.errors or []):
                if v is not None and e:
                    out += [v - e, v + e]
        return out


def chart_data(chart: Chart, lang: str = "en") -> ChartData:
    """The chart's x labels and y series; a missing column or non-number becomes a gap. A
    histogram's are its bins and how many values each holds (charts/histogram), in `lang`'s numbers."""
    table = chart.table or Table([], [])
    if chart.type == "histogram":
        from .histogram import histogram_data
        return histogram_data(chart, table, lang or "en")
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
    for s, column in zip(series, chart.error):
        s.errors = [float(e) if is_number(e) else None for e in (cell(r, column) for r in table.rows)]
    return ChartData(categories, series, stacked=chart.type == "stacked")


def _value_decimals(data: ChartData) -> int:
    """Decimals every value label of the chart shows: as many as its values need, at most 2."""
    return min(2, max((_decimals_of(v) for v in data.numbers), default=0))
