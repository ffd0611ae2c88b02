"""The theme: templates layered (a course's own templates/ over the default theme) and the fonts that ship with it.

Holds: templates (the sandboxed Jinja environment, template lookup and error messages), fonts
(finding the theme's font files, @font-face rules, the decks' font subsets).
May import: lectern.state, lectern.problems. Never text, deck, print, pdf or pipeline.

The default theme's files are edited in the repository's top-level templates/; a built wheel
carries a copy of them as lectern/theme/default/ (setup.py), which an installed Lectern uses.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "default"  # an installed wheel
_CHECKOUT = Path(__file__).resolve().parent.parent.parent / "templates"  # a checkout (editable install)
DEFAULT_THEME = _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT
