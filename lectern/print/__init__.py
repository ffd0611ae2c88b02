"""The printed outputs: the study guide and the handouts, as HTML handed to the PDF engine.

Holds: guide (the book, part by part), handout (slides three a page, the presenter's script,
the deck as PDF pages), chapters (the guide's laid-out parts kept between builds).
May import: lectern.pdf, lectern.deck (a handout draws the deck's slides), lectern.text,
lectern.charts, lectern.theme, lectern.state, lectern.problems. Never pipeline or pool.
"""
