"""A slide's `table:` key: its data (a CSV file or inline columns and rows), caption, source, alignment."""
from __future__ import annotations

from ..model import DataTable
from ..shapes import DATATABLE
from ..yamlnodes import Node
from .reader import Reader

ALIGNS = ("left", "right", "center")


def datatable(r: Reader, node: Node) -> DataTable | None:
    from .slides import chart_table  # the inline {columns, rows} form is the chart's
    keys = r.mapping(node, DATATABLE.keys, DATATABLE.required, "a table")
    if keys is None or "data" not in keys:
        return None
    out = DataTable(pos=node.pos, caption=r.md(keys.get("caption"), "caption"), source=r.md(keys.get("source"), "source"))
    data = keys["data"]
    if isinstance(data.value, dict):
        out.table = chart_table(r, data)
    else:
        path = r.course_path(data, "the table data")
        if path is not None and path.suffix.lower() != ".csv":
            r.error(data.pos, f"table data '{data.value}' must be a CSV file (.csv) or {{columns, rows}}")
        elif path is not None:
            out.data_path = str(path)
    if "align" in keys:
        out.align = aligns(r, keys["align"])
    return out


def aligns(r: Reader, node: Node) -> dict[str, str]:
    if not isinstance(node.value, dict):
        r.error(node.pos, "align must map column names to left, right or center, like {share: right}")
        return {}
    out = {}
    for name, value in node.value.items():
        how = str(value.value).lower()
        if how not in ALIGNS:
            r.error(value.pos, f"align for '{name}' must be left, right or center, not {value.value!r}")
        else:
            out[str(name)] = how
    return out
