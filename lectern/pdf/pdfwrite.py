"""Writes a laid-out document as PDF bytes: metadata, PDF/UA tags, page labels, same input → same bytes."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pydyf
import weasyprint


@dataclass
class PdfMeta:
    """What goes into the PDF's document information and XMP metadata."""

    title: str
    authors: list[str]
    lang: str
    date: str = ""  # ISO date from the course, never the clock ("" leaves the dates out)
    subject: str = ""
    keywords: list[str] = field(default_factory=list)


@dataclass
class PageLabel:
    """From page `start` (0-based) on, pages are labelled in `style` ("D" 1 2 3, "r" i ii iii)."""

    start: int
    style: str = "D"
    first: int = 1


def write_pdf(document: weasyprint.Document, meta: PdfMeta, variant: str | None = "pdf/ua-1",
              page_labels: list[PageLabel] | None = None, pages_after: int = 0,
              extend: Callable[[pydyf.PDF], None] | None = None) -> bytes:
    """The PDF bytes: metadata from `meta`, no attachments, same input → same bytes.

    `variant` "pdf/ua-1" tags the PDF for accessibility; `page_labels` make a viewer show the
    printed folios (roman front matter, then 1, 2, 3) rather than physical page numbers.
    `extend` may add objects and pages (`pages_after` of them) before the PDF is written.
    """
    md = document.metadata
    md.title = meta.title
    md.authors = list(meta.authors)
    md.lang = meta.lang
    md.description = meta.subject or None
    md.keywords = list(meta.keywords)
    md.generator = "Lectern"
    md.created = md.modified = (meta.date or None)
    md.attachments = []  # never an attachment, whatever the HTML asked for
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    seed = "\x1f".join([meta.title, *meta.authors, meta.lang, meta.date, str(len(document.pages) + pages_after)])
    identifier = hashlib.md5(seed.encode()).hexdigest().encode()

    def finisher(_document, pdf_file) -> None:
        if extend is not None:
            extend(pdf_file)
        if page_labels:
            nums = []
            for label in page_labels:
                nums += [label.start, pydyf.Dictionary({"S": "/" + label.style, "St": label.first})]
            pdf_file.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(nums)})

    return document.write_pdf(
        pdf_variant=variant, pdf_identifier=identifier, attachments=None, uncompressed_pdf=False,
        finisher=finisher)
