"""The URL fetcher of every print document: files inside the given roots and `data:` URLs, no network."""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..theme.fonts import stamp


class ConfinedFetcher(URLFetcher):
    """A URL fetcher that reads only files inside `roots` and `data:` URLs: no network at all.

    Everything refused is remembered in `refused` (the caller turns it into a problem);
    WeasyPrint itself only logs a warning and leaves the resource out.
    """

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = [Path(r).resolve() for r in roots]
        self.refused: list[str] = []
        self.read: dict[Path, tuple[int, int] | None] = {}  # files read: their `fonts.stamp` then

    def allows(self, path: Path) -> bool:
        return any(path == root or path.is_relative_to(root) for root in self.roots)

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            parts = urlsplit(url)
            if parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if self.allows(path) and path.is_file():
                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    self.read[path] = stamp(path)
                    return URLFetcherResponse(
                        path.as_uri(), path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url)
        raise ValueError(f"Lectern does not fetch {url!r}: only files inside the course and theme")
