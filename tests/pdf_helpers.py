"""Reading PDFs in tests: a book's outline as the reader sees it, the fonts it embeds."""
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


def font_programs(reader) -> list[tuple[str, bytes]]:
    """(font name without its subset prefix, embedded font program) of every font of a pypdf
    reader's pages, page by page."""
    found = []
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = descriptor["/FontFile3"].get_object().get_data()
            found.append((str(font["/BaseFont"]).split("+")[-1], program))
    return found
