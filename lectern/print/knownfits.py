"""Each slide's --fit, remembered by what the slide is: in this process and in the user's cache folder.

A slide's key (`slide_keys`) hashes everything its print layout depends on, so the deck's other
print kinds, a rebuild after an edit (serve keeps its workers) and a later process lay a
crowded slide out already fitted, once.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jinja2

from ..state import usercache
from ..text.view import DeckView
from ..deck.deck import prepare, theme_css
from .fitting import MIN_FIT
from .slidepages import font_css, print_css

_FITS: dict[str, float] = {}  # slide key -> its --fit (1.0: fits as it is), shared by the print kinds
_KEPT_LOADED: list[bool] = []
KEPT_FITS = 20000  # fits kept in the user's cache folder between processes


def known_fits(keys: dict[int, str]) -> dict[int, float]:
    """Slide number -> its --fit, for the slides (of `slide_keys`) whose fit a layout already
    found, in this process or an earlier one (1.0: it fits as it is)."""
    _load_kept_fits()
    return {n: _FITS[k] for n, k in keys.items() if k in _FITS}


def slide_keys(deck: DeckView, env: jinja2.Environment, roots: list[Path]) -> dict[int, str]:
    """Slide number -> a hash of everything its print layout depends on (its view, the CSS, the fonts)."""
    renders = prepare(deck)
    base = hashlib.sha256("\x1f".join([theme_css(env), print_css(env), font_css(env), deck.plain_title,
                                       deck.lang, str(len(renders))]).encode())
    keys = {}
    for r in renders:
        h = base.copy()
        h.update(repr(r).encode())
        keys[r.number] = h.hexdigest()
    return keys


def remember_fits(keys: dict[int, str], known: dict[int, float], fits: dict[int, float]) -> None:
    """Remember the fits a layout used or found (`fits`, by slide number; 1.0 when absent) by
    the slides' keys: in this process (most recent last, the last 4096), and, for slides not
    `known` before, in the user's cache folder."""
    for n, key in keys.items():
        _FITS.pop(key, None)
        _FITS[key] = fits.get(n, 1.0)  # most recent last
    while len(_FITS) > 4096:
        _FITS.pop(next(iter(_FITS)))
    if len(known) < len(keys):
        _keep_fits({keys[n]: fits.get(n, 1.0) for n in keys if n not in known})


def _fits_file() -> Path:
    return usercache.folder() / "fits.json"


def _read_fits() -> dict[str, float]:
    try:
        data = json.loads(_fits_file().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: float(v) for k, v in data.items()
            if isinstance(k, str) and isinstance(v, (int, float)) and MIN_FIT <= v <= 1.0}


def _load_kept_fits() -> None:
    """Once per process: the fits earlier processes found (a build after an edit lays a
    crowded slide it knows out fitted at once, instead of stepping its type down again)."""
    if not _KEPT_LOADED:
        _KEPT_LOADED.append(True)
        for key, fit in _read_fits().items():
            _FITS.setdefault(key, fit)


def _keep_fits(new: dict[str, float]) -> None:
    """Add fits to the kept ones (best effort; a slide's key says everything its fit depends on)."""
    kept = _read_fits()
    kept.update(new)
    if len(kept) > KEPT_FITS:
        kept = dict(list(kept.items())[-KEPT_FITS:])
    usercache.keep(_fits_file(), json.dumps(kept).encode("utf-8"))
