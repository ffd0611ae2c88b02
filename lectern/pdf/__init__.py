"""The PDF engine over WeasyPrint, and its public API: the only package that imports WeasyPrint.

Callers (print/, the tests) import the package, `from lectern import pdf`, and use `pdf.<name>`
for the names below, never a module inside it. Holds:
  engine     HTML → laid-out document: style sheets parsed once per set, each set with its fonts
  fetcher    the confined URL fetcher (files inside the course and theme, `data:` URLs)
  notes      where footnotes and their calls ended up on the laid-out pages (and page texts)
  pdfwrite   a laid-out document → PDF bytes (metadata, PDF/UA tags, page labels)
  part       a book's part (or its folios) painted into PDF objects the book joins
  book       the parts joined into one tagged PDF
  bookfonts  the theme's fonts a book embeds once for all its parts
  cut        a part's objects cut at what the book renumbers, and joined again
  htmltree   a fast HTML5 tree builder for WeasyPrint
  weasy/     Lectern's changes to WeasyPrint 70's own functions (see its README)
May import: lectern.theme.fonts, lectern.problems. Never text, deck, print or pipeline.
"""

from .engine import render  # noqa: F401  (first: installs weasy/'s changes before any layout)
from .fetcher import ConfinedFetcher  # noqa: F401
from .weasy.resume import Resume, stopped  # noqa: F401
from .weasy.pagenumbers import PageNumbers  # noqa: F401
from .notes import FootnoteCheck, NotePlace, _walk, check_footnotes, page_texts  # noqa: F401
from .pdfwrite import PageLabel, PdfMeta, write_pdf  # noqa: F401
from .part import FolioPdf, PartPdf, join_parts, write_folios, write_part  # noqa: F401
from .book import write_book  # noqa: F401
from .bookfonts import font_programs  # noqa: F401
