"""A slide's keys: its points, quote, picture, chart and timeline span."""
from __future__ import annotations

import re

from ..model import Chart, Image, Md, Point, Quote, Slide, Table, TimelineSpan
from ..shapes import CHART, CHART_TYPES, IMAGE, POINT, QUOTE, SLIDE, SPAN, TABLE
from ..yamlnodes import Node
from .code import code
from .datatable import datatable
from .media import embed, video
from .reader import Reader
from . import layouts

SLIDE_KEYS = SLIDE.keys  # the keys, their kinds and the required ones are in course/shapes.py
POINT_KEYS = POINT.keys
QUOTE_KEYS = QUOTE.keys
IMAGE_KEYS = IMAGE.keys
CHART_KEYS = CHART.keys
TABLE_KEYS = TABLE.keys
SPAN_KEYS = SPAN.keys
NOT_SHOWN = {"title", "build", "notes"}  # every other slide key puts something on the slide
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


def slide(r: Reader, node: Node) -> Slide | None:
    keys = r.mapping(node, SLIDE_KEYS, SLIDE.required, "a slide")
    if keys is None:
        return None
    title = r.md(keys.get("title"), "the slide title", required=True) or Md("", node.pos)
    out = Slide(title=title, pos=node.pos)
    content(r, keys, out)
    if "build" in keys and keys["build"].value is not None:
        build(r, keys["build"], out)
    if "timeline" in keys:
        out.timeline = span(r, keys["timeline"])
    out.notes = r.md(keys.get("notes"), "notes")
    layouts.slide_layout(r, keys, out)  # columns, widths, background (issue 18)
    shown = sorted(SLIDE_KEYS - NOT_SHOWN)
    if not any(keys.get(k) is not None and keys[k].value not in (None, [], {}) for k in shown):
        r.warn(node.pos, f"the slide '{title.src}' shows only its title: give it {', '.join(shown[:-1])} or "
                         f"{shown[-1]} (notes are never shown on the slide)")
    elif out.build and not out.points and not out.columns and not (out.code is not None and out.code.highlight) \
            and not (out.chart is not None and len(out.chart.y) > 1):
        r.warn(getattr(keys["build"], "key_pos", keys["build"].pos), "`build: true` has nothing to step through: "
               "the slide has no points, columns, highlighted code lines or chart series (build shows them one at a "
               "time); remove `build`, or add points, columns, `highlight` or a second y column")
    return out


def content(r: Reader, keys: dict[str, Node], out: Slide) -> None:
    """What a slide or one of its columns shows: points, quote, pictures, chart, body, code, table, video, embed."""
    out.points = points(r, keys.get("points"))
    if "quote" in keys:
        out.quote = quote(r, keys["quote"])
    if "image" in keys:
        out.image = image(r, keys["image"])
    if "images" in keys:
        out.images = layouts.images(r, keys["images"])
    if "chart" in keys:
        out.chart = chart(r, keys["chart"])
    out.body = r.md(keys.get("body"), "the slide body")
    if "code" in keys:
        out.code = code(r, keys["code"])
    if "table" in keys:
        out.table = datatable(r, keys["table"])
    if "video" in keys:
        out.video = video(r, keys["video"])
    if "embed" in keys:
        out.embed = embed(r, keys["embed"])
    one_figure(r, keys)


FIGURE_KEYS = ("image", "chart", "video", "embed")  # a slide or a column shows one of these beside its text


def one_figure(r: Reader, keys: dict[str, Node]) -> None:
    """A pane holds one figure; two (a picture and a video) would be drawn on top of each other."""
    given = [k for k in FIGURE_KEYS if keys.get(k) is not None and keys[k].value is not None]
    if len(given) > 1:
        second = keys[given[1]]
        r.error(getattr(second, "key_pos", second.pos),
                f"a slide shows one of {', '.join(FIGURE_KEYS)} beside its text, and this one has both `{given[0]}` "
                f"and `{given[1]}`: put them in two `columns`, or on two slides")


def build(r: Reader, node: Node, out: Slide) -> None:
    """`build: true` shows the points one at a time; the slide keeps its default otherwise."""
    if not isinstance(node.value, bool):
        r.error(node.pos, f"build must be true or false, not {node.value!r}")
    else:
        out.build = node.value


def quote(r: Reader, node: Node) -> Quote | None:
    q = r.mapping(node, QUOTE_KEYS, QUOTE.required, "a quote")
    if q is None:
        return None
    text = r.md(q.get("text"), "the quote text", required=True)
    if text is None:
        return None
    return Quote(text, r.md(q.get("source"), "the quote source"))


def span(r: Reader, node: Node) -> TimelineSpan | None:
    t = r.mapping(node, SPAN_KEYS, SPAN.required, "a timeline span")
    if t is None or "from" not in t or "to" not in t:
        return None
    start, end = year(r, t["from"]), year(r, t["to"])
    if start is None or end is None:
        return None
    if start > end:
        r.error(node.pos, f"the timeline span runs backwards ({start} to {end})")
        return None
    return TimelineSpan(start, end, node.pos)


def year(r: Reader, node: Node) -> int | None:
    value = node.value
    if isinstance(value, str) and value[:4].isdigit():
        value = int(value[:4])
    if isinstance(value, bool) or not isinstance(value, int):
        r.error(node.pos, f"a timeline year must be a year like 1959, not {value!r}")
        return None
    return value


def points(r: Reader, node: Node | None, depth: int = 0) -> list[Point]:
    out = []
    for item in r.list(node, "points"):
        one = point(r, item, depth) if isinstance(item.value, dict) else plain_point(r, item)
        if one is not None:
            out.append(one)
    return out


def point(r: Reader, item: Node, depth: int) -> Point | None:
    """A point written as a mapping: its text and a sub-list (two levels deep at most)."""
    keys = r.mapping(item, POINT_KEYS, POINT.required, "a point with a sub-list")
    if keys is None:
        return None
    text = r.md(keys.get("text"), "the point's text", required=True)
    if text is None:
        return None
    if depth >= 2 and keys.get("points"):
        r.error(keys["points"].pos, "points may nest two levels deep at most: a slide cannot show more")
        return None
    return Point(no_fence(r, text), points(r, keys.get("points"), depth + 1))


def plain_point(r: Reader, item: Node) -> Point | None:
    text = r.md(item, "a point", required=True)
    return Point(no_fence(r, text)) if text is not None else None


FENCE = re.compile(r"^[ \t]*(```|~~~)", re.M)


def no_fence(r: Reader, text: Md) -> Md:
    """A point is one line of text: a fenced code block in it is an error that says where code goes."""
    m = FENCE.search(text.src)
    if m:
        r.error(text.locate(m.start(1)), "a point cannot hold a fenced code block: put the code in the slide's "
                                         "`body` (block Markdown) or its `code` key")
    return text


def image(r: Reader, node: Node) -> Image | None:
    keys = r.mapping(node, IMAGE_KEYS, ("src",), "an image")
    if keys is None or "src" not in keys:
        return None
    if "alt" not in keys:
        r.error(node.pos, "the image has no `alt`: add `alt:` describing the picture for readers who cannot see it")
    alt = r.text(keys.get("alt"), "the image's alt text")
    if "alt" in keys and not (alt or "").strip():
        r.error(keys["alt"].pos, "the image's alt text is empty: describe the picture for readers who cannot see it")
    src = r.text(keys["src"], "the image path", required=True) or ""
    path = r.course_path(keys["src"], "the image")
    if path is not None and path.suffix.lower() not in IMAGE_SUFFIXES:
        r.error(keys["src"].pos, f"the image '{src}' must be PNG, JPEG, GIF, WebP or SVG")
        path = None
    out = Image(src=src, alt=alt or "", pos=node.pos, caption=r.md(keys.get("caption"), "caption"), path=path,
                src_pos=keys["src"].pos)
    layouts.image_size(r, keys, out)
    return out


def chart(r: Reader, node: Node) -> Chart | None:
    keys = r.mapping(node, CHART_KEYS, CHART.required, "a chart")
    if keys is None or not set(CHART.required) <= keys.keys():
        return None
    kind = chart_type(r, keys["type"])
    x = r.text(keys["x"], "the chart's x column", required=True)
    ys = y_columns(r, keys["y"]) if "y" in keys else []
    if "y" not in keys and kind not in (None, "histogram"):
        r.error(node.pos, "the chart names no `y` column: add `y:` with the column (or columns) it draws")
    if kind is None or x is None or (not ys and kind != "histogram"):
        return None
    out = Chart(type=kind, x=x, y=ys if kind != "histogram" else [], pos=node.pos)
    chart_options(r, keys, out)
    out.title = r.text(keys.get("title"), "the chart title") or ""
    out.unit = r.text(keys.get("unit"), "the chart unit") or ""
    out.caption = r.md(keys.get("caption"), "caption")
    out.source = r.md(keys.get("source"), "source")
    data = keys["data"]
    if isinstance(data.value, dict):
        out.table = chart_table(r, data)
    else:
        chart_file(r, data, out)
    return out


def chart_type(r: Reader, node: Node) -> str | None:
    kind = r.text(node, "the chart type", required=True)
    if kind is not None and kind not in CHART_TYPES:
        r.error(node.pos, f"chart type must be {', '.join(CHART_TYPES[:-1])} or {CHART_TYPES[-1]}, not '{kind}'")
        return None
    return kind


ERROR_BAR_TYPES = ("bar", "grouped", "line", "scatter")


def chart_options(r: Reader, keys: dict, out: Chart) -> None:
    """`trend` (a scatter's), `bins` (a histogram's) and `error` (error bars): each only where it
    means something."""
    if "error" in keys:
        node = keys["error"]
        errors = y_columns(r, node)
        if out.type not in ERROR_BAR_TYPES:
            r.error(node.pos, f"error bars go on {', '.join(ERROR_BAR_TYPES[:-1])} or {ERROR_BAR_TYPES[-1]} charts, "
                              f"not on a {out.type} chart")
        elif len(errors) != len(out.y):
            r.error(node.pos, f"`error` names {len(errors)} column{'s' if len(errors) != 1 else ''} for {len(out.y)} "
                              "y column" + ("s" if len(out.y) != 1 else "") + ": give one error column for each y column, in the same order")
        else:
            out.error = errors
    if "trend" in keys:
        if out.type != "scatter":
            r.error(keys["trend"].pos, f"`trend` draws a line through a scatter chart's points; a {out.type} chart has none")
        elif not isinstance(keys["trend"].value, bool):
            r.error(keys["trend"].pos, "`trend` is true or false")
        else:
            out.trend = keys["trend"].value
    if "bins" in keys:
        node = keys["bins"]
        if out.type != "histogram":
            r.error(node.pos, f"`bins` is a histogram's; a {out.type} chart has none")
        elif isinstance(node.value, int) and not isinstance(node.value, bool) and 1 <= node.value <= 100:
            out.bins = node.value
        elif isinstance(node.value, list) and len(node.value) >= 2 and all(
                isinstance(n.value, (int, float)) and not isinstance(n.value, bool) for n in node.value):
            edges = [float(n.value) for n in node.value]
            if any(b <= a for a, b in zip(edges, edges[1:])):
                r.error(node.pos, "the histogram's bin edges must rise: each edge larger than the one before")
            else:
                out.bins = edges
        else:
            r.error(node.pos, "`bins` is a number of bins from 1 to 100, or a list of at least two rising edges")


def y_columns(r: Reader, node: Node) -> list[str]:
    """`y: column` or `y: [column, ...]`: the columns the chart draws."""
    ys = [r.text(n, "each y column", True) for n in node.value] if isinstance(node.value, list) \
        else [r.text(node, "the chart's y column", True)]
    return [y for y in ys if y]


def chart_table(r: Reader, data: Node) -> Table | None:
    """An inline table: `columns` and `rows`, each row as long as the columns."""
    t = r.mapping(data, TABLE_KEYS, TABLE.required, "an inline chart table")
    if t is None or "columns" not in t or "rows" not in t:
        return None
    columns = [c.source if c.source is not None else str(c.value) for c in r.list(t["columns"], "columns")]
    rows = []
    for row in r.list(t["rows"], "rows"):
        cells = r.list(row, "each row")
        if len(cells) != len(columns):
            r.error(row.pos, f"this row has {len(cells)} cells but there are {len(columns)} columns")
            continue
        rows.append([c.value for c in cells])
    return Table(columns, rows)


def chart_file(r: Reader, data: Node, out: Chart) -> None:
    """`data: file.csv`: a CSV file inside the course folder."""
    path = r.course_path(data, "the chart data")
    if path is None:
        return
    if path.suffix.lower() != ".csv":
        r.error(data.pos, f"chart data '{data.value}' must be a CSV file (.csv) or an inline table")
    else:
        out.data_path = str(path)
