"""What the browser gets besides the outputs: the live-reload script added to each HTML page, the placeholder page."""
from __future__ import annotations

import base64
import hashlib
import json
import re

EVENTS_PATH = "/__lectern/events"

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


_SCRIPT_SRC = re.compile(rb"(<meta http-equiv=\"Content-Security-Policy\" content=\"[^\"]*?script-src )")


def inject(html: bytes, script: str) -> bytes:
    """The page with the live script before its last </body> (or at its end); a page whose
    content policy lists its scripts by hash (a deck) gets the live script's hash added."""
    body = script.split(">", 1)[1].rsplit("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest())
    html = _SCRIPT_SRC.sub(lambda m: m.group(1) + b"'sha256-" + digest + b"' ", html, count=1)
    lower = html.lower()
    at = lower.rfind(b"</body>")
    tag = script.encode("utf-8")
    return html + tag if at < 0 else html[:at] + tag + html[at:]
