"""Formatting citations: one pandoc citeproc run per build, kept in the process and the user cache.

`format_citations` formats every citation cluster of a build and the bibliography in ONE run
of the pandoc binary shipped in the pypandoc-binary wheel (`--citeproc`, sandboxed, no
network); pandoc_html turns its JSON AST back into escaped HTML per cluster and per entry.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ...state import usercache
from ...course.model import Pos
from ...problems import Problem, RenderError
from .clusters import CitationResult, Cluster
from .pandoc_html import _parse_output

PANDOC_TIMEOUT = 300  # seconds; a build with thousands of citations takes about one


def pandoc_binary() -> str:
    """The pandoc executable shipped in the pypandoc-binary wheel."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as err:
        raise RenderError(f"citations need pandoc (from the pypandoc-binary package), which was not found: {err}") from None


@lru_cache(maxsize=4)
def _api_version(pandoc: str) -> list[int]:
    """The pandoc-api-version the binary writes (and so expects in the JSON we feed it)."""
    out, _ = _run([pandoc, "--sandbox", "-f", "markdown", "-t", "json"], "")
    return json.loads(out)["pandoc-api-version"]


def _run(args: list[str], stdin: str) -> tuple[str, str]:
    """Run pandoc; its standard output and its warnings."""
    try:
        proc = subprocess.run(
            args, input=stdin.encode("utf-8"), capture_output=True, timeout=PANDOC_TIMEOUT, check=False
        )
    except OSError as err:
        raise RenderError(f"could not run pandoc for the citations: {err}") from None
    except subprocess.TimeoutExpired:
        raise RenderError(f"pandoc took more than {PANDOC_TIMEOUT} s formatting the citations") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip() or f"exit status {proc.returncode}"
        raise RenderError(f"formatting the citations failed (pandoc): {message}")
    return proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8", "replace")


_MEMO: dict[tuple, tuple[str, "CitationResult"]] = {}  # the last pandoc run of this process (warnings, result), by its inputs


KEPT_RUNS = 16  # pandoc outputs kept in the user's cache folder (the newest): what is read back
# becomes HTML, so it is kept where only this user writes, never in an output folder


def _kept_run(key: str) -> tuple[str, str] | None:
    """pandoc's (output, warnings) for these exact inputs, from an earlier process."""
    try:
        data = json.loads((usercache.folder("citations") / f"{key}.json").read_text("utf-8"))
        if data.get("key") == key and isinstance(data.get("stdout"), str) and isinstance(data.get("stderr"), str):
            return data["stdout"], data["stderr"]
    except (OSError, ValueError, AttributeError):
        pass
    return None


def _keep_run(key: str, stdout: str, stderr: str) -> None:
    """Keep a pandoc run for the next process (best effort: a read-only home just keeps nothing)."""
    data = json.dumps({"key": key, "stdout": stdout, "stderr": stderr}).encode("utf-8")
    if usercache.keep(usercache.folder("citations") / f"{key}.json", data):
        usercache.prune(usercache.folder("citations"), "*.json", KEPT_RUNS)


def _stamp(binary: str) -> str:
    """Which pandoc this is (an upgrade in place keeps its path): its size and time."""
    try:
        st = os.stat(binary)
        return f"\0{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        return ""


def _memo_key(args: list[str], stdin: str, files: list[Path]) -> str:
    """A digest of everything pandoc reads: its arguments, its input, and the files' bytes."""
    digest = hashlib.sha256("\0".join(args).encode() + b"\0" + stdin.encode())
    for path in files:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
    return digest.hexdigest()


def format_citations(
    bib_paths: list[Path],
    style: Path,
    lang: str,
    clusters: list[Cluster],
    extra_keys: Iterable[str | tuple[str, Pos]] = (),
    quotes=None,
) -> CitationResult:
    """Format every cluster and the bibliography (cited keys plus `extra_keys`) in one pandoc run.

    `extra_keys` are listed in the bibliography without being cited (pandoc's `nocite`); each is a
    key or a `(key, Pos)` pair like `Lecture.further_reading`. `quotes` (optional): the course
    text's quotation marks (outer open, close, inner open, close), which titles in quotes take.
    Raises RenderError if pandoc fails.
    """
    extras = [(k, None) if isinstance(k, str) else (k[0], k[1]) for k in extra_keys]
    if not clusters and not extras:
        return CitationResult({}, [])
    seen_ids: set[str] = set()
    for cl in clusters:
        if cl.id in seen_ids:
            raise ValueError(f"duplicate cluster id {cl.id!r}")
        seen_ids.add(cl.id)
    pandoc = pandoc_binary()
    doc = {
        "pandoc-api-version": _api_version(pandoc),
        "meta": _meta(lang, [k for k, _ in extras]),
        "blocks": [_cluster_block(cl, n) for n, cl in enumerate(clusters, 1)],
    }
    args = [pandoc, "--sandbox", "-f", "json", "-t", "json", "--citeproc", f"--csl={Path(style).resolve()}"]
    args += [f"--bibliography={Path(p).resolve()}" for p in bib_paths]
    stdin = json.dumps(doc, ensure_ascii=False)
    quotes = tuple(quotes) if quotes else None
    memo_key = _memo_key(args, stdin + _stamp(pandoc), [Path(style), *map(Path, bib_paths)])
    memo = (memo_key, quotes)
    if memo in _MEMO:  # serve rebuilds after every save: skip pandoc when nothing it reads changed
        stderr, formatted = _MEMO[memo]
    else:
        kept = _kept_run(memo_key)  # a build after an edit that changed no citation: pandoc ran before
        stdout, stderr = kept if kept is not None else _run(args, stdin)
        formatted = _parse_output(stdout, seen_ids, quotes)
        if kept is None:
            _keep_run(memo_key, stdout, stderr)
        _MEMO.clear()
        _MEMO[memo] = (stderr, formatted)
    result = CitationResult(dict(formatted.clusters), list(formatted.bibliography), set(formatted.notes))
    result.problems = _missing_key_problems(stderr, clusters, extras)
    return result


def _meta(lang: str, extra: list[str]) -> dict:
    meta: dict = {
        "link-citations": {"t": "MetaBool", "c": True},
        "lang": {"t": "MetaString", "c": lang or "en"},
    }
    if extra:
        cites = [_citation(key, "", "", "NormalCitation", 0) for key in extra]
        meta["nocite"] = {"t": "MetaInlines", "c": [{"t": "Cite", "c": [cites, [{"t": "Str", "c": "@nocite"}]]}]}
    return meta


def _text_inlines(text: str) -> list[dict]:
    """Plain text as pandoc inlines: words and spaces."""
    out: list[dict] = []
    for part in re.split(r"(\s+)", text):
        if not part:
            continue
        out.append({"t": "Space"} if part.isspace() else {"t": "Str", "c": part})
    return out


def _citation(key: str, prefix: str, suffix: str, mode: str, note: int) -> dict:
    suffix = suffix.strip()
    # Written as `[@key, p. 145]`, a suffix reaches pandoc as ", p. 145": its locator parser wants that.
    if suffix and suffix[0] not in ",;.:)":
        suffix = ", " + suffix
    return {
        "citationId": key,
        "citationPrefix": _text_inlines(prefix.strip()),
        "citationSuffix": _text_inlines(suffix),
        "citationMode": {"t": mode},
        "citationNoteNum": note,
        "citationHash": 0,
    }


def _cluster_block(cl: Cluster, note: int) -> dict:
    cites = []
    for n, item in enumerate(cl.items):
        if item.suppress_author:
            mode = "SuppressAuthor"
        elif cl.in_text and n == 0:
            mode = "AuthorInText"
        else:
            mode = "NormalCitation"
        cites.append(_citation(item.key, item.prefix, item.suffix, mode, note))
    placeholder = [{"t": "Str", "c": "[" + "; ".join("@" + i.key for i in cl.items) + "]"}]
    para = {"t": "Para", "c": [{"t": "Cite", "c": [cites, placeholder]}]}
    return {"t": "Div", "c": [[cl.id, [], []], [para]]}


_NOT_FOUND = re.compile(r"citation (\S+) not found")


def _missing_key_problems(stderr: str, clusters: list[Cluster], extras: list[tuple[str, Pos | None]]) -> list[Problem]:
    missing = set(_NOT_FOUND.findall(stderr))
    if not missing:
        return []
    problems: list[Problem] = []
    reported: set[tuple[str, Pos]] = set()
    where: list[tuple[str, Pos | None]] = [(i.key, i.pos) for cl in clusters for i in cl.items] + extras
    for key, pos in where:
        if key in missing:
            pos = pos or Pos("<further reading>", 1, 1)
            if (key, pos) not in reported:
                reported.add((key, pos))
                problems.append(Problem(pos, f"no entry `{key}` in the bibliography"))
    return problems
