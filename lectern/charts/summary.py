"""A chart in words: the plain-text description for <desc>, alt text and screen readers."""
from __future__ import annotations

from ..course.model import Chart
from .data import _value_decimals, chart_data
from .scale import ellipsize
from .style import BAR_KINDS
from .values import _label, format_value, unit_style

_KIND = {
    "en": ("Bar chart", "Line chart", "no value"),
    "fr": ("Diagramme en barres", "Graphique linéaire", "sans valeur"),
    "de": ("Balkendiagramm", "Liniendiagramm", "kein Wert"),
    "es": ("Gráfico de barras", "Gráfico de líneas", "sin valor"),
    "it": ("Grafico a barre", "Grafico a linee", "nessun valore"),
    "pt": ("Gráfico de barras", "Gráfico de linhas", "sem valor"),
}


KIND_EN = {"grouped": "Grouped bar chart", "stacked": "Stacked bar chart", "histogram": "Histogram",
           "line": "Line chart", "area": "Area chart", "scatter": "Scatter chart"}


def _words(lang: str) -> tuple[str, str, str]:
    return _KIND.get((lang or "en").split("-")[0].lower(), _KIND["en"])


def chart_summary(chart: Chart, lang: str = "en", limit: int = 60) -> str:
    """A plain-text description of the data, for <desc>, alt text and screen readers.

    "Bar chart: Real wages. Real wages (%): 1989 100%, 2008 27%."
    """
    data = chart_data(chart, lang)
    bar, line, none = _words(lang)
    head = bar if chart.type in BAR_KINDS else line
    if chart.type != "bar" and (lang or "en").startswith("en"):
        head = KIND_EN[chart.type]
    if chart.title:
        head += f": {chart.title}"
    parts = [head.rstrip(".") + "."]
    shown = 0
    decimals = _value_decimals(data)
    for s in data.series:
        items = []
        for i, (cat, v) in enumerate(zip(data.categories, s.values)):
            if shown >= limit:
                break
            e = s.errors[i] if s.errors else None
            margin = f" \u00b1 {format_value(e, chart.unit, lang, decimals)}" if e and v is not None else ""
            items.append(f"{ellipsize(_label(cat, lang), 120, 1)} "
                         f"{format_value(v, chart.unit, lang, decimals) if v is not None else none}{margin}")
            shown += 1
        name = s.name
        u = unit_style(chart.unit, lang)
        if u.axis_title:
            name += f" ({u.axis_title})"
        if items:
            parts.append(f"{name}: {', '.join(items)}.")
    if chart.type == "scatter" and chart.trend:
        parts += _trend_words(data)
    total = len(data.categories) * len(data.series)
    if total > shown:
        parts.append(f"(+{total - shown})")
    return " ".join(parts)


def _trend_words(data) -> list[str]:
    """Each series' least-squares line in words: 'Trend of y: y = 2.1x + 3.0, R² 0.94.'"""
    from .scatter import least_squares, r_squared
    out = []
    for s in data.series:
        points = [(float(x), y) for x, y in zip(data.categories, s.values) if y is not None]
        line, r2 = least_squares(points), r_squared(points)
        if line:
            text = f"Trend of {s.name}: y = {line[0]:.3g}x {'+' if line[1] >= 0 else '−'} {abs(line[1]):.3g}"
            out.append(text + (f", R² {r2:.2f}." if r2 is not None else "."))
    return out
