"""The charts' look: viewBox and text sizes, font, series colours and markers, themeable CSS."""
from __future__ import annotations

WIDTH = 600  # the default viewBox: 13-unit text reads as ~9 pt on a 15 cm wide page
HEIGHT = 340
SLIDE_SIZE = (480, 270)  # a smaller viewBox for a slide: the same text reads larger projected
PHONE_SIZE = (320, 260)  # a phone's reading view: a card some 350 px wide shows its text at full size
PAD = 10
BAR_KINDS = ("bar", "grouped", "stacked", "histogram")  # drawn as bars over categories (or bins)
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
