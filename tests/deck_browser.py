"""Helpers for driving decks in Debian's headless Chromium with Playwright (shared by deck tests)."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# No name resolves: a test never reaches the network (a deck's live page, `embed`, asks whether
# its origin answers when its slide is shown; tests that want it to answer route it: answer_embeds)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
EMBED_PAGE = ("<!doctype html><title>Live page</title><body style='margin:0;padding:16px;font:28px sans-serif'>"
              "<h1>A live page</h1><button>A</button> <button>B</button></body>")


def need_chromium() -> None:
    """Skip when there is no Chromium, except on CI where that is a failure."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")) and not os.environ.get("CI"):
        pytest.skip("chromium is not installed")


@dataclass
class Watch:
    """What a page did that it should not: console errors, page errors, requests off file:/data:."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # stopped by the deck's content policy

    def attach(self, page) -> None:
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: "csp" in (r.failure or "").lower() and self.blocked.append(r.url))

    def foreign(self, allowed: tuple[str, ...] = ()) -> list[str]:
        """Requests off file:, data: and about:blank, and off the `allowed` origins (a course's embed_origins)."""
        return [u for u in self.requests if not u.startswith(("file:", "data:", "about:blank"))
                and not any(u.startswith(f"{origin}/") for origin in allowed)]


def answer_embeds(page, origins) -> None:
    """A live page's origins answer with a small page of their own (as a poll site would), offline."""
    for origin in origins:
        page.route(f"{origin}/**", lambda r: r.fulfill(status=200, content_type="text/html", body=EMBED_PAGE))


# Overflow: with every step shown, is any element outside its slide or cut by its own box?
OVERFLOW_JS = """(n) => {
  lectern.go(n);
  const slide = document.querySelector('#deck > .slide.current');
  slide.querySelectorAll('[data-step]').forEach(e => e.classList.add('shown'));
  const box = slide.getBoundingClientRect();
  const tol = 1.5;
  const bad = [];
  for (const el of slide.querySelectorAll('*')) {
    if (el.closest('.notes')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < box.left - tol || r.top < box.top - tol || r.right > box.right + tol || r.bottom > box.bottom + tol) {
      bad.push('outside: ' + el.tagName + '.' + el.className + ' ' + (el.textContent || '').slice(0, 40));
    }
    // (an SVG's own text and shapes never clip: a legend label's descenders pass its em box)
    const drawn = el instanceof SVGElement && el.tagName.toLowerCase() !== 'svg';
    if (!drawn && el.clientHeight > 0 && el.scrollHeight > el.clientHeight + 1 && getComputedStyle(el).display !== 'inline') {
      bad.push('clipped: ' + el.tagName + '.' + el.className + ' ' + el.scrollHeight + '>' + el.clientHeight);
    }
  }
  return {title: (slide.querySelector('h1,h2') || {}).textContent, bad};
}"""


def overflowing_slides(page) -> list[str]:
    """Every slide of the open deck that has content off its canvas or clipped."""
    out = []
    for n in range(1, page.evaluate("lectern.slideCount") + 1):
        res = page.evaluate(OVERFLOW_JS, n)
        if res["bad"]:
            out.append(f"slide {n} ({res['title']}): {res['bad'][:3]}")
    return out
