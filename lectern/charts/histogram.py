"""A histogram's data: the raw values of its x column counted into bins (a number of equal ones, or edges)."""
from __future__ import annotations

from ..course.model import Chart, Table
from .data import ChartData, Series
from .values import _decimals_of, format_number, is_number

COUNT = {"en": "Count", "fr": "Effectif", "de": "Anzahl", "es": "Frecuencia", "it": "Frequenza", "pt": "Frequência"}


def histogram_data(chart: Chart, table: Table, lang: str = "en") -> ChartData:
    """Bins as categories ("10–20"), one series of counts. A value on an inner edge counts in the
    bin it opens; the last bin holds its upper edge too; values outside given edges are left out."""
    i = table.columns.index(chart.x) if chart.x in table.columns else None
    values = [float(row[i]) for row in table.rows if i is not None and i < len(row) and is_number(row[i])]
    edges = bin_edges(values, chart.bins)
    counts = [0.0] * (len(edges) - 1)
    for v in values:
        for k in range(len(counts)):
            last = k == len(counts) - 1
            if edges[k] <= v < edges[k + 1] or (last and v == edges[-1]):
                counts[k] += 1
                break
    decimals = max((_decimals_of(e) for e in edges), default=0)
    labels = [f"{format_number(a, lang, decimals)}\u2013{format_number(b, lang, decimals)}"
              for a, b in zip(edges, edges[1:])]
    return ChartData(labels, [Series(COUNT.get(lang.split("-")[0], COUNT["en"]), counts)])


def bin_edges(values: list[float], bins: int | list[float]) -> list[float]:
    """The given edges, or `bins` equal bins from the smallest value to the largest."""
    if isinstance(bins, list):
        return [float(b) for b in bins]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if hi == lo:
        lo, hi = lo - 0.5, hi + 0.5
    width = (hi - lo) / bins
    return [round(lo + k * width, 10) for k in range(bins)] + [hi]


