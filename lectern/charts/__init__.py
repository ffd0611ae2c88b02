"""Charts: chart data (a CSV file or an inline table) into self-contained, accessible SVG.

Holds: values (numbers and units), data (CSV reading, checks, the drawn data), scale (text
measuring, ticks), style (sizes, colours, CSS), svg (drawing helpers), heading (title and
legend), axes (the plot area), bar and line (the drawers), summary (the chart in words) and
draw (draw_chart_svg, chart_svg). May import: lectern.course.model, lectern.problems only.

The names below are the package's API, as `lectern.charts` had them; modules inside the
package import from each other directly.
"""
from .data import ChartData, Series, chart_data, check_chart, read_csv
from .draw import chart_key, draw_chart_svg
from .scale import ellipsize, nice_ticks, text_width, wrap
from .style import (FONT_FAMILY, HEIGHT, LEGEND, LEGEND_ROWS, MARKERS, MAX_LABEL, PAD,
                    PHONE_SIZE, SERIES_COLOURS, SLIDE_SIZE, STYLE, STYLE_ELEMENT, TICK, TITLE, VALUE, WIDTH,
                    for_print)
from .summary import chart_summary
from .values import (NumberStyle, UnitStyle, format_number, format_value, is_number,
                     parse_number, unit_style)

__all__ = [
    "ChartData", "Series", "chart_data", "check_chart", "read_csv",
    "chart_key", "draw_chart_svg",
    "ellipsize", "nice_ticks", "text_width", "wrap",
    "FONT_FAMILY", "HEIGHT", "LEGEND", "LEGEND_ROWS", "MARKERS", "MAX_LABEL", "PAD",
    "PHONE_SIZE", "SERIES_COLOURS", "SLIDE_SIZE", "STYLE", "STYLE_ELEMENT", "TICK", "TITLE", "VALUE", "WIDTH",
    "for_print",
    "chart_summary",
    "NumberStyle", "UnitStyle", "format_number", "format_value", "is_number", "parse_number",
    "unit_style",
]
