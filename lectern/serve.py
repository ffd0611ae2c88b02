"""`serve`: build, serve the output folder over HTTP, rebuild on every save and reload open pages.

    running = start(course, out, port=0)      # builds in the background; running.url
    ...                                       # edit files: pages reload (server-sent events)
    running.stop()

Only files inside the output folder are served (no `..`, encoded or not, no hidden files), on
127.0.0.1 unless told otherwise, from a threaded server. HTML responses get a small script
(never the files on disk) that listens on /__lectern/events: `reload` when a build wrote the
page, `problems` when the course stopped building (shown over the page), `ok` when it builds again.
"""
from __future__ import annotations

import json
import mimetypes
import signal
import threading
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote

from . import pipeline
from .state.cache import DEFAULT_THEME, is_scratch
from .pool import PdfPool
from .problems import ContentError, LecternError
from .report import Reporter

EVENTS_PATH = "/__lectern/events"
STATUS_PATH = "/__lectern/status"  # JSON: is a build running, the last build's generation and problems
HEARTBEAT = 15.0  # seconds between keep-alive comments on an idle event stream
HISTORY = 200  # builds remembered for pages that connect late


@dataclass
class LiveState:
    """What open pages need to know: which outputs each build wrote, and whether the course builds."""

    generation: int = 0
    history: list[tuple[int, frozenset[str]]] = field(default_factory=list)
    problems: list[str] | None = None  # the errors of the last build, None when it built
    building: bool = False
    closed: bool = False
    version: int = 0  # bumped on every change, for waiting streams
    cond: threading.Condition = field(default_factory=threading.Condition)

    def wrote(self, names: list[str]) -> None:
        with self.cond:
            if names:
                self.generation += 1
                self.history.append((self.generation, frozenset(names)))
                del self.history[:-HISTORY]
            self._bump()

    def built(self) -> None:
        with self.cond:
            self.problems, self.building = None, False
            self._bump()

    def failed(self, problems: list[str]) -> None:
        with self.cond:
            self.problems, self.building = problems, False
            self._bump()

    def started(self) -> None:
        with self.cond:
            self.building = True
            self._bump()

    def close(self) -> None:
        with self.cond:
            self.closed = True
            self._bump()

    def _bump(self) -> None:
        self.version += 1
        self.cond.notify_all()

    def written_since(self, generation: int) -> frozenset[str] | None:
        """Every output written after `generation`; None when that is too long ago to know."""
        if generation > self.generation:
            return None  # the page came from an earlier run of the server
        if generation == self.generation:
            return frozenset()
        if not self.history or self.history[0][0] > generation + 1:
            return None
        return frozenset().union(*(names for g, names in self.history if g > generation))


# ---- what the browser gets ----------------------------------------------------------------------

LIVE_SCRIPT = """<script data-lectern-live>(function () {
  if (!window.EventSource) return;
  var page = %(page)s, placeholder = %(placeholder)s, box = null;
  function show(lines) {
    if (!box) {
      box = document.createElement('div');
      box.setAttribute('role', 'alert');
      box.id = 'lectern-problems';
      box.style.cssText = 'position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;' +
        'margin:0;padding:1em 1.5em;background:#fff5f5;color:#400;border-top:4px solid #c00;' +
        'font:15px/1.45 ui-monospace,Menlo,Consolas,monospace;text-align:left;white-space:pre-wrap';
      (document.body || document.documentElement).appendChild(box);
    }
    box.textContent = 'The course does not build; the last good outputs are shown.\\n\\n' + lines.join('\\n');
  }
  var es = new EventSource('%(events)s?since=%(generation)d&page=' + encodeURIComponent(page));
  es.addEventListener('reload', function () { es.close(); location.reload(); });
  es.addEventListener('problems', function (e) { show(JSON.parse(e.data)); });
  es.addEventListener('ok', function () {
    if (placeholder) { es.close(); location.reload(); return; }
    if (box) { box.remove(); box = null; }
  });
})();</script>
"""

PLACEHOLDER = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>%(title)s</title>
<style>body{font:18px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em;color:#222}</style>
</head><body><h1>%(title)s</h1><p>%(text)s</p>
</body></html>
"""


def live_script(page: str, generation: int, placeholder: bool = False) -> str:
    return LIVE_SCRIPT % {"page": json.dumps(page), "placeholder": "true" if placeholder else "false",
                          "events": EVENTS_PATH, "generation": generation}


def inject(html: bytes, script: str) -> bytes:
    """The page with the live script before its last </body> (or at its end)."""
    lower = html.lower()
    at = lower.rfind(b"</body>")
    tag = script.encode("utf-8")
    return html + tag if at < 0 else html[:at] + tag + html[at:]


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

    def _send(self, status: int, data: bytes, kind: str, head: bool) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
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


# ---- rebuilding ---------------------------------------------------------------------------------

class _Relay:
    """The user's reporter, plus: every write reaches the open pages at once."""

    def __init__(self, inner: Reporter, live: LiveState):
        self._inner, self._live = inner, live

    def written(self, names: list[str]) -> None:
        self._live.wrote(names)
        self._inner.written(names)

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


class Builder:
    """Runs builds one at a time in its own thread; saves arriving during a build make one more."""

    def __init__(self, course: Path, out: Path, strict: bool, reporter: Reporter, live: LiveState,
                 session: pipeline.Session):
        self.course, self.out, self.strict = course, out, strict
        self.reporter, self.live, self.session = reporter, live, session
        self.relay = _Relay(reporter, live)
        self.wake = threading.Event()
        self.cancel = threading.Event()  # set by a save that arrives while a build runs
        self.stopping = threading.Event()
        self.idle = threading.Event()
        self.builds = 0
        self.thread = threading.Thread(target=self._loop, name="lectern-builder", daemon=True)

    def request(self) -> None:
        """Build again; a build under way stops (what it wrote stays) and the new one starts."""
        self.idle.clear()
        self.wake.set()
        self.cancel.set()

    def _loop(self) -> None:
        while not self.stopping.is_set():
            self.wake.wait()
            if self.stopping.is_set():
                return
            self.wake.clear()
            self.cancel = threading.Event()
            self.build_once()
            if not self.wake.is_set():
                self.idle.set()

    def build_once(self) -> None:
        self.live.started()
        options = pipeline.BuildOptions(strict=self.strict, write_as_ready=True, cancel=self.cancel)
        try:
            result = pipeline.build(self.course, self.out, options, self.relay, self.session)
            if not result.loaded:  # nothing had changed since the last run: read the course now,
                pipeline.warm(self.course)  # so that the first save shows as quickly as the next ones
        except pipeline.Cancelled:
            self.reporter.info("a newer save arrived: building again")
            return
        except ContentError as exc:
            self.reporter.error(exc.format_message())
            self.live.failed([str(p) for p in exc.problems])
        except LecternError as exc:
            self.reporter.error(exc.format_message())
            self.live.failed(exc.format_message().splitlines())
        except Exception:  # a bug must not stop the server: show it, keep watching
            if self.stopping.is_set():
                return
            text = traceback.format_exc()
            self.reporter.error(text)
            self.live.failed(["Lectern failed while building (a bug, please report it):", *text.splitlines()])
        else:
            self.live.built()
        finally:
            self.builds += 1


def _watch_filter(out: Path):
    def keep(_change, path: str) -> bool:
        p = Path(path)
        if is_scratch(p.name) or p == out or out in p.parents:
            return False
        return not any(part.startswith(".") or part == "__pycache__" for part in p.parts[1:])
    return keep


@dataclass
class Running:
    """A started server: its URL, its threads, and how to stop it."""

    url: str
    server: _Server
    builder: Builder
    live: LiveState
    session: pipeline.Session
    stop_event: threading.Event
    threads: list[threading.Thread]

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no build is running or waiting (for tests and scripts)."""
        return self.builder.idle.wait(timeout)

    def stop(self) -> None:
        self.stop_event.set()
        self.builder.stopping.set()
        self.builder.wake.set()
        self.live.close()
        self.server.shutdown()
        self.server.server_close()
        self.session.close()
        for thread in self.threads:
            thread.join(timeout=5)


def start(course: Path, out: Path, port: int = 8000, host: str = "127.0.0.1", strict: bool = False,
          reporter: Reporter | None = None, watch: bool = True, step_ms: int = 30) -> Running:
    """Start serving `out` and watching `course` and the theme; the first build runs in the background."""
    reporter = reporter or Reporter()
    course, out = Path(course), Path(out)
    from .state.outputs import check_out_dir
    check_out_dir(course, out)  # an unsafe --out is a usage problem: refuse before serving anything
    out.mkdir(parents=True, exist_ok=True)
    session = pipeline.Session(start_method="forkserver")  # workers fork from a clean server, not from us
    if pipeline.expects_pdfs(course, pipeline.BuildOptions()):
        session.pool = PdfPool.start(start_method="forkserver")  # warm before the first save
    live = LiveState()
    server = _Server((host, port), _Handler)
    server.root = out.resolve()
    server.live = live
    builder = Builder(course, out, strict, reporter, live, session)
    stop_event = threading.Event()
    threads = [threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                name="lectern-http", daemon=True), builder.thread]
    if watch:
        threads.append(threading.Thread(target=_watch, args=(course, out, builder, stop_event, step_ms),
                                        name="lectern-watch", daemon=True))
    for thread in threads:
        thread.start()
    builder.request()
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    return Running(f"http://{shown}:{bound_port}/", server, builder, live, session, stop_event, threads)


def _watch(course: Path, out: Path, builder: Builder, stop_event: threading.Event, step_ms: int) -> None:
    import watchfiles
    paths = [course.resolve()]
    if DEFAULT_THEME.is_dir():
        paths.append(DEFAULT_THEME)
    keep = _watch_filter(out.resolve())
    try:
        for _changes in watchfiles.watch(*paths, watch_filter=keep, step=step_ms, debounce=800,
                                         stop_event=stop_event, raise_interrupt=False, rust_timeout=500):
            builder.request()
    except Exception as exc:  # the course folder vanished, too many files to watch, ...
        if not stop_event.is_set():
            builder.reporter.error(f"stopped watching for changes: {exc}")


def serve(course: Path, out: Path, port: int = 8000, host: str = "127.0.0.1", strict: bool = False,
          reporter: Reporter | None = None) -> None:
    """The `serve` command: runs until Ctrl+C, then stops the server and the workers cleanly."""
    reporter = reporter or Reporter()
    try:
        running = start(course, out, port=port, host=host, strict=strict, reporter=reporter)
    except OSError as exc:
        raise LecternError(f"cannot listen on {host}:{port}: {exc.strerror or exc} "
                           "(is another server using it? try --port)") from None
    reporter.info(f"serving {out} at {running.url}  (Ctrl+C stops)")
    if host not in ("127.0.0.1", "localhost", "::1"):
        reporter.info(f"warning: listening on {host}: other machines can read the outputs")
    def interrupt(signum, frame):  # `kill` stops the server as Ctrl+C does: workers and all
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        while not running.stop_event.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        running.stop()
        reporter.info("stopped")
