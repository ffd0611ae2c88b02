"""Starting and stopping: `start` runs the server, builder and watcher; `serve` is the command, until Ctrl+C."""
from __future__ import annotations

import signal
import threading
from dataclasses import dataclass
from pathlib import Path

from .. import pipeline
from ..pool import PdfPool
from ..problems import LecternError
from ..report import Reporter
from .handler import _Handler, _Server
from .live import LiveState
from .rebuild import Builder, _watch


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
    from ..state.outputs import check_out_dir
    check_out_dir(course, out)  # an unsafe --out is a usage problem: refuse before serving anything
    out.mkdir(parents=True, exist_ok=True)
    session = pipeline.Session(start_method="forkserver")  # workers fork from a clean server, not from us
    if pipeline.expects_pdfs(course, pipeline.BuildOptions()):
        session.pool = PdfPool.start(start_method="forkserver")  # warm before the first save
    live = LiveState()
    server = _Server((host, port), _Handler)
    server.root = out.resolve()
    server.live = live
    server.listening = host
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
