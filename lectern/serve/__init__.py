"""`serve`: build, serve the output folder over HTTP, rebuild on every save and reload open pages.

    running = start(course, out, port=0)      # builds in the background; running.url
    ...                                       # edit files: pages reload (server-sent events)
    running.stop()

Only files inside the output folder are served (no `..`, encoded or not, no hidden files), on
127.0.0.1 unless told otherwise, from a threaded server. HTML responses get a small script
(never the files on disk) that listens on /__lectern/events: `reload` when a build wrote the
page, `problems` when the course stopped building (shown over the page), `ok` when it builds again.

Holds: live (LiveState: what each build wrote, whether the course builds), page (the live-reload
script and placeholder page), handler (the HTTP server and handler, the event stream), rebuild
(Builder: one build at a time; the watcher), run (`start`, `serve`, Running).
May import: lectern.pipeline, lectern.pool, lectern.report, lectern.problems, lectern.state; it is
imported by lectern.cli only (nothing in the stages imports it).
"""
from __future__ import annotations

from .handler import HEARTBEAT, STATUS_PATH, _Handler, _Server, page_name, resolve_request
from .live import HISTORY, LiveState
from .page import EVENTS_PATH, LIVE_SCRIPT, PLACEHOLDER, inject, live_script
from .rebuild import Builder
from .run import Running, serve, start

__all__ = ["serve", "start", "Running", "Builder", "LiveState", "inject", "live_script", "page_name",
           "resolve_request", "EVENTS_PATH", "STATUS_PATH", "HEARTBEAT", "HISTORY", "LIVE_SCRIPT", "PLACEHOLDER",
           "_Handler", "_Server"]
