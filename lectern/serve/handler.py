"""The HTTP server and its handler: output files only, the build status, the event stream of reloads and problems."""
from __future__ import annotations

import ipaddress
import json
import mimetypes
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote

from .live import LiveState
from .page import EVENTS_PATH, PLACEHOLDER, inject, live_script

STATUS_PATH = "/__lectern/status"  # JSON: is a build running, the last build's generation and problems
HEARTBEAT = 15.0  # seconds between keep-alive comments on an idle event stream


def page_name(url_path: str) -> str:
    """The output a URL path shows: "/" is index.html, "/slides/" is slides/index.html."""
    name = unquote(url_path).lstrip("/")
    return name + "index.html" if name == "" or name.endswith("/") else name


def resolve_request(root: Path, url_path: str) -> Path | None:
    """The file inside `root` a request path names, or None if it would leave `root`.

    Percent-escapes are decoded once; `..`, hidden names (.lectern/), backslashes and NUL bytes
    are refused, and so is anything a symbolic link leads outside the folder.
    """
    decoded = unquote(url_path)
    if "\x00" in decoded or "\\" in decoded:
        return None
    parts = [p for p in decoded.split("/") if p not in ("", ".")]
    if any(p == ".." or p.startswith(".") for p in parts):
        return None
    target = root.joinpath(*parts)
    try:
        real = target.resolve()
    except (OSError, RuntimeError):
        return None
    if real != root and root not in real.parents:
        return None
    if real.is_dir():
        real = real / "index.html"
    return real


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """`bytes=A-B`, `bytes=A-` or `bytes=-N` as first and last byte (inclusive) of a file of `size`,
    or None when it asks for nothing inside the file (several ranges: the first is served)."""
    unit, _, spec = header.partition("=")
    first = spec.split(",")[0].strip()
    if unit.strip().lower() != "bytes" or "-" not in first:
        return None
    start, _, end = first.partition("-")
    try:
        if not start:  # the last N bytes
            n = int(end)
            return (max(size - n, 0), size - 1) if n > 0 and size else None
        a = int(start)
        b = min(int(end), size - 1) if end else size - 1
    except ValueError:
        return None
    return (a, b) if 0 <= a <= b else None


LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def host_allowed(header: str | None, listening: str = "127.0.0.1") -> bool:
    """A request's Host names this machine: a loopback name or an address, never another DNS name.

    A web page whose DNS name is re-pointed at 127.0.0.1 (DNS rebinding) sends its own name as
    Host; refusing every name but loopback ones keeps such a page from reading the outputs.
    """
    if not header:  # an HTTP/1.0 client (curl -0, scripts): browsers always send Host
        return True
    host = header.strip().lower()
    if host.startswith("["):  # [::1]:8000
        name = host[1:host.find("]")] if "]" in host else ""
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.rstrip(".")
    if name in LOOPBACK_NAMES or name == listening.lower():
        return True
    try:  # an address typed by someone who reaches a server started with --host 0.0.0.0
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


class _Handler(BaseHTTPRequestHandler):
    server_version = "Lectern"
    server: _Server

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # a quiet terminal: builds and problems are what the lecturer wants to see

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _split(self) -> tuple[str, dict[str, list[str]]]:
        raw = self.path.split("#", 1)[0]
        path, _, query = raw.partition("?")
        return path, parse_qs(query)

    def _serve(self, head: bool) -> None:
        if not host_allowed(self.headers.get("Host"), self.server.listening):
            return self._send(421, b"Misdirected request: open the page as http://localhost:PORT/\n",
                              "text/plain; charset=utf-8", head)
        path, query = self._split()
        if path == EVENTS_PATH and not head:
            return self._events(query)
        live = self.server.live
        if path == STATUS_PATH:  # for scripts and editors: wait for `"building": false`
            with live.cond:
                status = {"building": live.building, "generation": live.generation, "problems": live.problems}
            return self._send(200, json.dumps(status).encode("utf-8"), "application/json", head)
        target = resolve_request(self.server.root, path)
        if target is None:
            return self._send(403, b"Forbidden\n", "text/plain; charset=utf-8", head)
        name = page_name(path)
        with live.cond:
            generation, problems, building = live.generation, live.problems, live.building
        if not name.endswith((".html", ".htm")) and self.headers.get("Range"):
            return self._serve_range(target, name, generation, problems, building, head)
        try:
            data = target.read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return self._missing(name, generation, problems, building, head)
        except OSError:
            return self._send(403, b"Forbidden\n", "text/plain; charset=utf-8", head)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = inject(data, live_script(name, generation))
            kind = "text/html; charset=utf-8"
        elif kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self._send(200, data, kind, head)

    def _serve_range(self, target: Path, name: str, generation: int, problems, building: bool, head: bool) -> None:
        """A part of a file (a video the deck seeks in: `Range: bytes=A-B`), read without the rest."""
        try:
            with open(target, "rb") as fh:
                size = os.fstat(fh.fileno()).st_size
                span = byte_range(self.headers.get("Range", ""), size)
                if span is None:
                    return self._send(416, b"Range not satisfiable\n", "text/plain; charset=utf-8", head,
                                      {"Content-Range": f"bytes */{size}"})
                fh.seek(span[0])
                data = fh.read(span[1] - span[0] + 1)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return self._missing(name, generation, problems, building, head)
        except OSError:
            return self._send(403, b"Forbidden\n", "text/plain; charset=utf-8", head)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(206, data, kind, head, {"Content-Range": f"bytes {span[0]}-{span[1]}/{size}"})

    def _missing(self, name: str, generation: int, problems, building: bool, head: bool) -> None:
        if not name.endswith((".html", ".htm")):
            return self._send(404, b"Not found\n", "text/plain; charset=utf-8", head)
        if problems:
            title, text, status = "The course does not build", "Fix the problems below and save.", 503
        elif building:
            title, text, status = "Building…", "This page appears as soon as the build writes it.", 503
        else:
            title, text, status = "Not found", f"The build writes no {name}.", 404
        page = (PLACEHOLDER % {"title": title, "text": text}).encode("utf-8")
        page = inject(page, live_script(name, generation, placeholder=True))
        self._send(status, page, "text/html; charset=utf-8", head)

    def _send(self, status: int, data: bytes, kind: str, head: bool, extra: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            if not kind.startswith("text/html"):
                self.send_header("Accept-Ranges", "bytes")
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _events(self, query: dict[str, list[str]]) -> None:
        """A server-sent event stream: reload when this page was rewritten, problems, ok."""
        live = self.server.live
        page = (query.get("page") or ["index.html"])[0]
        try:
            since = int((query.get("since") or ["0"])[0])
        except ValueError:
            since = -1
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen_problems: object = ()
            version = -1
            while True:
                with live.cond:
                    if live.version == version:
                        live.cond.wait(HEARTBEAT)
                    if live.closed:
                        return
                    changed = live.version != version
                    version, problems = live.version, live.problems
                    written = live.written_since(since) if since >= 0 else None
                    generation = live.generation
                if not changed:
                    self._event(None, "")  # heartbeat: finds closed connections
                    continue
                if written is None or page in written:
                    self._event("reload", json.dumps({"generation": generation}))
                    return
                since = generation
                if problems != seen_problems:
                    self._event("problems" if problems else "ok", json.dumps(problems or []))
                    seen_problems = problems
        except (BrokenPipeError, ConnectionResetError, OSError):
            return

    def _event(self, name: str | None, data: str) -> None:
        text = ": ping\n\n" if name is None else f"event: {name}\ndata: {data}\n\n"
        self.wfile.write(text.encode("utf-8"))
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # the default 5 reset 80 of 200 simultaneous connections
    root: Path
    live: LiveState
    listening: str = "127.0.0.1"  # the --host given, also accepted as a Host header
