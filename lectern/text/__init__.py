"""From Markdown and citations to finished view objects: the resolve stage.

Holds: markup (markdown-it set-up and Lectern's rules: footnotes, citations, typography), cite
(bibliography readers, CSL styles, pandoc's citeproc), resolve (numbering, citations, figures →
views), view (the finished objects templates receive), labels (the words of every output in
each language), references (a lecture's references in slide-sized pages, and the line measure
the deck shares), svgsafe (SVG pictures cleaned by an allowlist and shown as images).
May import: lectern.course.model, lectern.charts, lectern.problems, lectern.state. Never deck,
print, pdf or pipeline.
"""
