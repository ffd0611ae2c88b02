"""The PDF engine over WeasyPrint: the only package that imports it.

Holds: engine (HTML → laid-out document → PDF bytes, the URL fetcher, sheets and fonts per set
of style sheets), htmltree (a fast HTML5 tree builder for WeasyPrint), weasy/ (Lectern's
changes to WeasyPrint 70's own functions, see its README).
May import: lectern.theme.fonts, lectern.problems. Never text, deck, print or pipeline.
"""

from .engine import (ConfinedFetcher, FolioPdf, FootnoteCheck, NotePlace, PageLabel, PartPdf, PdfMeta,  # noqa: F401
                     _walk, check_footnotes, font_programs, page_texts, render, write_book, write_folios, write_part, write_pdf)
