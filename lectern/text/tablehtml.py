"""A slide's `table:` as HTML: a header row, numeric columns right-aligned, cells as written."""
from __future__ import annotations

from markupsafe import escape

from ..charts import is_number
from ..course.model import Table

ALIGNS = ("left", "right", "center")


def numeric_columns(table: Table) -> list[bool]:
    """A column is numeric when every filled cell is a number (empty cells do not count)."""
    out = []
    for i in range(len(table.columns)):
        cells = [row[i] for row in table.rows if i < len(row) and row[i] not in (None, "")]
        out.append(bool(cells) and all(is_number(c) for c in cells))
    return out


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value)) if "e" not in repr(value) else repr(value)
    return str(value)


def table_html(table: Table, align: dict[str, str]) -> str:
    numeric = numeric_columns(table)
    aligns = [align.get(col) or ("right" if numeric[i] else "left") for i, col in enumerate(table.columns)]
    head = "".join(f'<th style="text-align:{a}">{escape(c)}</th>' for c, a in zip(table.columns, aligns))
    body = "".join("<tr>" + "".join(f'<td style="text-align:{a}">{escape(cell_text(v))}</td>'
                                    for v, a in zip(row, aligns)) + "</tr>" for row in table.rows)
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def table_chars(table: Table) -> int:
    """About how many characters wide the table is (its widest cell per column, plus padding)."""
    widths = [len(str(c)) for c in table.columns]
    for row in table.rows:
        for i, v in enumerate(row[:len(widths)]):
            widths[i] = max(widths[i], len(cell_text(v)))
    return sum(widths) + 2 * len(widths)
