"""The theme: templates layered (a course's own templates/ over the default theme) and the fonts that ship with it.

Holds: templates (the sandboxed Jinja environment, template lookup and error messages), fonts
(finding the theme's font files, @font-face rules, the decks' font subsets).
May import: lectern.state, lectern.problems. Never text, deck, print, pdf or pipeline.
"""
