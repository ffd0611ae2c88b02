"""The study guide by part: each chapter's painted pages kept between builds, so an edit re-lays out one.

`print.guide` lays the book out part by part (front matter, each chapter, each appendix),
paints each part into PDF objects and joins them. This module keeps each part's PDF objects and
what the assembly needs of its layout (page count, anchors, footnote check) on disk, keyed by the exact HTML
the part was laid out from (which holds no page number: the book draws the folios, see
print.guide.FOLIO_FREE_KINDS) plus the theme and Lectern's code, so a build lays out again only the parts whose
text changed, wherever they now land. The assembly, contents, bookmarks, links and
footnote checks stay those of `render_guide`: this module only swaps in a renderer whose
`layout` looks in the store first.

Parts are stored pickled (plain data only: bytes, numbers, strings) and signed with a key kept
in the user's cache folder (a part not signed by it, such as a file put in a copied output
folder, is never unpickled). A kept part is never painted again: the book is joined from the
kept objects (`pdf.write_book`), so an edit paints only the parts it changed.

Run in a PDF worker (it imports WeasyPrint):

    result = render_guide_cached(guide, env, roots, PartStore(out / ".lectern" / "parts", salt))
    speculate_chapter(guide, env, roots, store, chapter_id, first_folio)   # warm one part, in parallel
    speculate_stage(guide, env, roots, store, "front")   # or "appendices", "folios"
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import os
import pickle
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..state import usercache

# print.guide and lectern.pdf (WeasyPrint, ~1 s to import) are imported where parts are laid
# out: the pipeline imports ChapterJob in the main process, which lays nothing out

STORE_FORMAT = 5
_SWAP = threading.Lock()


@dataclass
class StoredPart:
    """What a part's layout left behind: all the assembly needs, and its painted pages."""

    kind: str
    key: str
    pages: int
    check: object  # pdf.FootnoteCheck or None
    attempts: int
    log: list[str]
    refused: list[str]
    anchors: list[list[str]]
    pdf: object  # pdf.PartPdf
    extra: dict = field(default_factory=dict)  # nudged / pushed blocks, whatever PartLayout carries


def _secret() -> bytes | None:
    """This user's key for signing stored parts (kept outside any output folder), made once.

    Stored parts are pickles: a file someone else put in an output folder must never be
    unpickled. Each part carries an HMAC made with this key; one that does not verify is
    ignored (and laid out again). Without a usable key the store is simply not used.
    """
    base = usercache.folder()
    path = base / "parts.key"
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(32))
        return path.read_bytes()
    except FileExistsError:
        with contextlib.suppress(OSError):
            return path.read_bytes()
    except OSError:
        pass
    return None


class PartStore:
    """Laid-out parts on disk: `<digest>.pkl` each, signed, written atomically; unused ones pruned."""

    def __init__(self, folder: Path, salt: str = ""):
        self.folder = Path(folder)
        self.salt = salt
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        self.unstored: list[str] = []  # parts that could not be pickled (laid out again next time)
        self.secret = _secret()

    def key(self, kind: str, html: str, note_ids: list[str]) -> str:
        h = hashlib.blake2b(digest_size=20)
        for piece in (str(STORE_FORMAT), self.salt, kind, "\x1f".join(note_ids), html):
            h.update(piece.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()

    def load(self, digest: str) -> StoredPart | None:
        if self.secret is None:
            return None
        path = self.folder / f"{digest}.pkl"
        try:
            data = path.read_bytes()
            if len(data) < 32 or not hmac.compare_digest(data[:32], self._sign(digest, data[32:])):
                return None  # not written by this user's Lectern: never unpickled
            meta = pickle.loads(data[32:])
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError,
                ValueError, IndexError):
            return None
        from .. import pdf
        if not isinstance(meta, StoredPart):
            return None
        if isinstance(meta.pdf, pdf.FolioPdf):
            if len(meta.pdf.forms) != meta.pages:
                return None
        elif not isinstance(meta.pdf, pdf.PartPdf) or len(meta.pdf.pages) != meta.pages:
            return None
        self.used.add(digest)
        return meta

    def take(self, digest: str, programs: dict[str, bytes]) -> StoredPart | None:
        """The stored part, unless it was painted with a font program the theme no longer has
        (`programs`, see pdf.font_programs); counted as a hit or a miss."""
        meta = self.load(digest)
        if meta is not None and any(use.digest not in programs for use in meta.pdf.fonts):
            meta = None
        if meta is None:
            self.misses += 1
        else:
            self.hits += 1
        return meta

    def _sign(self, digest: str, payload: bytes) -> bytes:
        return hmac.new(self.secret, digest.encode() + b"\0" + payload, hashlib.sha256).digest()

    def save(self, digest: str, meta: StoredPart) -> None:
        if self.secret is None:
            return
        buf = io.BytesIO()
        try:
            pickle.dump(meta, buf, protocol=5)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as exc:
            self.unstored.append(f"{meta.kind} {meta.key}: {exc}")
            return  # a part that cannot be kept is simply laid out again next time
        self.used.add(digest)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".part.", suffix=".tmp")
            payload = buf.getvalue()
            with os.fdopen(fd, "wb") as fh:
                fh.write(self._sign(digest, payload))
                fh.write(payload)
            os.replace(tmp, self.folder / f"{digest}.pkl")
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)

    def prune(self, keep: set[str] | None = None) -> None:
        """Remove stored parts this build did not use (and stray temporary files)."""
        keep = self.used if keep is None else keep
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return
        for entry in entries:
            if entry.suffix in (".pkl", ".tmp") and entry.stem not in keep:
                with contextlib.suppress(OSError):
                    entry.unlink()


def _renderer_class(store: PartStore):
    from . import guide as guide_module
    base = guide_module.GuideRenderer

    class StoringRenderer(base):
        """GuideRenderer whose parts come from the store when their HTML was laid out before."""

        def layout(self, kind, key, html, notes, first_folio=1):
            return self.stored(kind, kind, key, html, notes, first_folio,
                               lambda: base.layout(self, kind, key, html, notes, first_folio))

        def lay_out_piece(self, key, html, notes, first_folio):
            """A piece of a long chapter (print/chapterpieces), kept like a part: an edit lays out
            again the piece it changed (and those after it, when its page count's parity changed)."""
            return self.stored("chapter-piece", "chapter", key, html, notes, first_folio,
                               lambda: base.lay_out_piece(self, key, html, notes, first_folio))

        def stored(self, stored_as, kind, key, html, notes, first_folio, make):
            """The part (or piece) kept for this HTML (`stored_as` kind), or `make()`'s, kept."""
            digest = store.key(stored_as, html, [n.id for n in notes])
            meta = store.take(digest, self.programs)
            if meta is not None:
                part = guide_module.PartLayout(kind, key, None, first_folio, check=meta.check,
                                               log=list(meta.log), pages=meta.pages, anchors=meta.anchors,
                                               refused=list(meta.refused), pdf=meta.pdf, attempts=meta.attempts)
                for name, value in meta.extra.items():
                    setattr(part, name, value)
                return part
            part = make()
            extra = {name: getattr(part, name) for name in ("nudged", "pushed") if hasattr(part, name)}
            store.save(digest, StoredPart(stored_as, key, part.pages, part.check, part.attempts, list(part.log),
                                          part.refused, part.anchors, part.pdf, extra))
            return part

        def paint_folios(self, html):
            """The body's folios, kept like a part (the same while no part changes length)."""
            digest = store.key("folios", html, [])
            meta = store.take(digest, self.programs)
            if meta is not None:
                return meta.pdf
            painted = super().paint_folios(html)
            store.save(digest, StoredPart("folios", "folios", len(painted.forms), None, 1, [], [], [],
                                          painted))
            return painted

    return StoringRenderer


@contextlib.contextmanager
def _storing(store: PartStore):
    """render_guide with the storing renderer (one guide at a time in a worker process)."""
    from . import guide as guide_module
    with _SWAP:
        original = guide_module.GuideRenderer
        guide_module.GuideRenderer = _renderer_class(store)
        try:
            yield
        finally:
            guide_module.GuideRenderer = original


def render_guide_cached(guide, env: jinja2.Environment, roots: list[Path], store: PartStore):
    """`render_guide`, re-using every part laid out before from the same HTML; prunes the rest."""
    with _storing(store):
        from .guide import render_guide
        result = render_guide(guide, env, roots)
    store.prune()
    return result


def speculate_chapter(guide, env: jinja2.Environment, roots: list[Path], store: PartStore,
                      chapter_id: str, first_folio: int) -> int:
    """Lay out one chapter and store it; returns its page count.

    Run in parallel with other work before the guide is assembled; the part is the same
    whatever `first_folio` is (kept for the caller's interface), so assembly always finds it.
    """
    chapter = next(c for c in guide.chapters if c.id == chapter_id)
    renderer = _renderer_class(store)(guide, env, roots)
    html = renderer.chapter_html(chapter)  # the same whatever first_folio is (the book draws the folios)
    part = renderer.layout("chapter", chapter.id, html, chapter.footnotes, first_folio)
    return part.pages


def speculate_stage(guide, env: jinja2.Environment, roots: list[Path], store: PartStore, stage: str) -> int:
    """Lay out and store one piece of the book that is not a chapter; returns its page count.

    "appendices": every appendix (they need nothing from the chapters). "chapter-folios": the
    folios of the chapters' pages (they need every chapter's length, not the appendices').
    "front": the front matter (its contents print the body's folios) and the folios of the
    appendices' pages, which need the whole body's length. Each finds what it needs in the
    store (laid out by earlier jobs), and the assembly then only joins.
    """
    renderer = _renderer_class(store)(guide, env, roots)
    if stage == "appendices":
        return sum(renderer.layout("appendix", a.id, renderer.appendix_html(a), []).pages
                   for a in renderer.appendices)
    if stage == "chapter-folios":  # needs only the chapters: may run while the appendices are laid out
        parts, _ = renderer.body(chapters_only=True)
        return sum(len(f.forms) for f in renderer.folios(parts, pieces=[0]))
    if stage == "front":  # and the appendices' folios: both need the whole body (found once)
        parts, folios = renderer.body()
        renderer.folios(parts, pieces=[1])
        return renderer.front(folios).pages
    raise ValueError(f"unknown stage of the guide {stage!r}")


STAGES = ("appendices", "chapter-folios", "front")


@dataclass(frozen=True)
class PickledGuide:
    """The guide's view pickled once for all the chapter jobs of a build (1 MB at 20 lectures:
    pickled for each job, it cost the main process most of a second); each worker unpickles it once."""

    data: bytes
    key: str  # a digest of `data`

    @classmethod
    def of(cls, guide: object) -> PickledGuide:
        data = pickle.dumps(guide, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(data, hashlib.blake2b(data, digest_size=16).hexdigest())

    def load(self) -> object:
        if self.key not in _GUIDES:
            _GUIDES.clear()  # one build's guide at a time
            _GUIDES[self.key] = pickle.loads(self.data)
        return _GUIDES[self.key]


_GUIDES: dict[str, object] = {}


@dataclass
class ChapterJob:
    """What a worker needs to lay out one chapter (or one of STAGES, named by `chapter_id`) ahead of assembly."""

    guide: PickledGuide
    chapter_id: str
    first_folio: int
    store: Path
    salt: str
    stage: bool = False  # chapter_id names one of STAGES


def run_chapter_job(job: ChapterJob, env: jinja2.Environment, roots: list[Path]):
    """Pool entry point for `kind="chapter"`: (page count, problems)."""
    store = PartStore(job.store, job.salt)
    guide = job.guide.load()
    if job.stage:
        return speculate_stage(guide, env, roots, store, job.chapter_id), []
    pages = speculate_chapter(guide, env, roots, store, job.chapter_id, job.first_folio)
    return pages, []


def part_summary(result) -> list[dict]:
    """Each laid-out part: kind, key (chapter id, appendix id), first folio, pages; for the manifest."""
    return [{"kind": p.kind, "key": p.key, "folio": p.first_folio, "pages": p.pages}
            for p in result.parts]
