"""The bibliography as pandoc reads it: BibTeX and CSL-JSON files parsed by the pandoc that formats them.

`check` must accept exactly what the build's pandoc run accepts, so a BibTeX or CSL-JSON file is
read by that same pandoc (`-f biblatex` for .bib, `-f bibtex` for .bibtex, as `--bibliography`
does; `-f csljson` for .json) into CSL-JSON. Its first syntax error comes back with its line and
column; its entries are what the lint (`biblint`) looks at. Results are kept in the process by
the file's bytes, so `serve` asks pandoc again only after the file changed.
"""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
from dataclasses import dataclass

PANDOC_FORMATS = {".bib": "biblatex", ".bibtex": "bibtex", ".json": "csljson"}
READ_TIMEOUT = 60  # seconds; pandoc reads a 5,000-entry .bib in about one

_ERROR_AT = re.compile(r"\(line (\d+), column (\d+)\):\s*\n?(.*)")
_JSON_ENTRY = re.compile(r"Error in \$\[(\d+)\]")


@dataclass
class PandocRead:
    """What pandoc made of one file: its entries (CSL-JSON), or why it could not read it and where."""

    entries: list[dict] | None
    reason: str = ""
    line: int = 0  # 1-based; 0 when pandoc named no place
    column: int = 0
    entry_index: int | None = None  # CSL-JSON: the entry pandoc stopped at ($[N])


_KEPT: dict[str, PandocRead] = {}


def pandoc_read(text: str, suffix: str) -> PandocRead | None:
    """`text` (a file with this suffix) read by pandoc; None when pandoc cannot be run here
    (the build then says so) or the format is not one pandoc is asked to read."""
    fmt = PANDOC_FORMATS.get(suffix.lower())
    if fmt is None:
        return None
    key = hashlib.sha256(f"{fmt}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    if key in _KEPT:
        return _KEPT[key]
    try:
        from .pandoc import pandoc_binary
        binary = pandoc_binary()
        proc = subprocess.run([binary, "--sandbox", "-f", fmt, "-t", "csljson"], input=text.encode("utf-8"),
                              capture_output=True, timeout=READ_TIMEOUT, check=False)
    except Exception:  # no pandoc, or it hung: the scanners alone decide, the build reports pandoc's state
        return None
    if proc.returncode == 0:
        try:
            entries = json.loads(proc.stdout.decode("utf-8"))
        except ValueError:
            return None
        read = PandocRead(entries if isinstance(entries, list) else [])
    else:
        read = _failure(proc.stderr.decode("utf-8", "replace"))
    if len(_KEPT) > 32:
        _KEPT.clear()
    _KEPT[key] = read
    return read


def _failure(stderr: str) -> PandocRead:
    """pandoc's complaint: `Error at (line 1, column 6):\\nunexpected '('` or a CSL-JSON path `$[3]`."""
    stderr = stderr.strip()
    m = _ERROR_AT.search(stderr)
    if m:
        return PandocRead(None, m.group(3).strip() or "cannot read this", int(m.group(1)), int(m.group(2)))
    m = _JSON_ENTRY.search(stderr)
    reason = stderr.splitlines()[-1] if stderr else "pandoc cannot read this file"
    reason = re.sub(r"^Error in \$[^:]*:\s*", "", reason)
    return PandocRead(None, reason, entry_index=int(m.group(1)) if m else None)
