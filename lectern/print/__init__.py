"""The printed outputs: the study guide and the handouts, as HTML handed to the PDF engine.

Holds: guide (the book, part by part) with guidehtml (its HTML's filters, footnote links,
nudged blocks, font URLs); handout (slides three a page, the presenter's script, the deck as
PDF pages) with its pieces: geometry (the page in millimetres), slidepages (the print
document's HTML and its layout), overflow (crowded slides found on the layout), fitting (their
type shrunk until they fit), knownfits (each slide's fit remembered), printparts (the
document laid out a dozen slides at a time, each chunk kept, joined); chapters (the guide's
laid-out parts kept between builds); chapterpieces (a chapter too long for one layout cut into
pieces).
May import: lectern.pdf, lectern.deck (a handout draws the deck's slides), lectern.text,
lectern.charts, lectern.theme, lectern.state, lectern.problems. Never pipeline or pool.
"""
