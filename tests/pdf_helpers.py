"""Reading PDFs in tests: a book's outline as the reader sees it."""
from __future__ import annotations


def outline(reader) -> list[tuple[int, str, int]]:
    """Every bookmark of a pypdf reader, in order: (depth, title, 0-based page it leads to)."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))
    walk(reader.outline, 0)
    return found
