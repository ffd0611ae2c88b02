"""Figures of a slide's media (issue 18): a video and a live page, each on screen and on paper."""
from __future__ import annotations

from markupsafe import Markup

from ..course.media import media_name
from ..course.model import Embed, Video
from .labels import words
from .layouts import data_url
from .plain import plain
from .view import Figure

PLAYABLE = {".mp4": "video/mp4", ".webm": "video/webm", ".ogg": "video/ogg", ".ogv": "video/ogg"}
QR_BORDER = 2  # modules of white around the code (the page's margin does the rest)


def clock(seconds: float) -> str:
    """12 -> "0:12", 75.5 -> "1:15.5", 3725 -> "1:02:05"."""
    whole = int(seconds)
    rest = f"{seconds - whole:.1f}"[1:] if seconds != whole else ""
    h, m, s = whole // 3600, whole // 60 % 60, whole % 60
    return (f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}") + rest


def span_label(video: Video) -> str:
    if video.start is None and video.end is None:
        return ""
    return f"{clock(video.start or 0)}–{clock(video.end)}" if video.end is not None else f"{clock(video.start)}–"


def video_figure(video: Video, number: str, caption: Markup | None, lang: str, on_slide: bool) -> Figure:
    """The deck plays the copy under slides/media/ from its start to its end; paper shows the poster
    frame (or a blank frame) as a paused player: a play mark, and a bar with the file's name and span."""
    assert video.path is not None
    w = words(lang, "print")
    name = media_name(video.src)
    title = video.title or (plain(caption) if caption else name)
    span = span_label(video)
    fragment = ""
    if video.start is not None or video.end is not None:
        fragment = f"#t={video.start or 0:g}" + (f",{video.end:g}" if video.end is not None else "")
    still = data_url(video.poster.path) if video.poster is not None and video.poster.path is not None else ""
    screen = Markup('<div class="video-frame"><video controls playsinline preload="{}"{} aria-label="{}">'
                    '<source src="{}" type="{}"></video></div>').format(
        "none" if still else "metadata", Markup(f' poster="{still}"') if still else "", title,
        f"{name}{fragment}", PLAYABLE[video.path.suffix.lower()])
    frame = Markup('<img src="{}" alt="">').format(still) if still else Markup('<span class="video-blank"></span>')
    address = f"slides/{name}" + (f" · {span}" if span else "")
    paper = Markup('<div class="video-print">{}<span class="video-play" aria-hidden="true"></span>'
                   '<span class="video-bar"><span class="media-kind">{}:</span> {}</span></div>').format(
        frame, w["video"], address)
    fig_id = f"fig-{number.replace('.', '-')}"
    return Figure("video", number, fig_id, screen if on_slide else paper, title, caption=caption,
                  paper=paper if on_slide else None, title=video.title)


def embed_figure(embed: Embed, number: str, caption: Markup | None, lang: str, on_slide: bool) -> Figure:
    """The deck frames the page once its origin answers (deck/js/media.js), and shows its title and
    address until then or when offline; paper shows the title, the address and a QR code of it."""
    w = words(lang, "print")
    height = f' style="--embed-h: {embed.height}px"' if embed.height else ""
    screen = Markup('<div class="embed"{}><iframe title="{}" data-src="{}" sandbox="allow-scripts allow-same-origin '
                    'allow-forms allow-popups" referrerpolicy="no-referrer" allow="fullscreen"></iframe>'
                    '<div class="embed-offline"><p class="embed-title">{}</p><p class="media-address">'
                    '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a></p>'
                    '<p class="embed-note">{}</p></div></div>').format(
        Markup(height), embed.title, embed.url, embed.title, embed.url, embed.url, w["offline"])
    paper = Markup('<div class="embed-print"><a class="embed-qr" href="{}">{}</a><div class="embed-text">'
                   '<p class="embed-title"><span class="media-kind">{}:</span> {}</p>'
                   '<p class="media-address"><a href="{}">{}</a></p><p class="embed-note">{}</p></div></div>').format(
        embed.url, qr_svg(embed.url), w["live_page"], embed.title, embed.url, embed.url, w["scan"])
    fig_id = f"fig-{number.replace('.', '-')}"
    return Figure("embed", number, fig_id, screen if on_slide else paper, embed.title, caption=caption,
                  paper=paper if on_slide else None, title=embed.title)


def qr_svg(url: str) -> Markup:
    """The address as a QR code (segno encodes it): one filled path of whole-module squares, black on white."""
    import segno
    matrix = segno.make(url, error="m", micro=False).matrix
    size = len(matrix) + 2 * QR_BORDER
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x] & 1:
                start = x
                while x < len(row) and row[x] & 1:
                    x += 1
                a, b, t = start + QR_BORDER, x + QR_BORDER, y + QR_BORDER
                runs.append(f"M{a} {t}L{b} {t}L{b} {t + 1}L{a} {t + 1}Z")
            else:
                x += 1
    return Markup('<svg class="qr" viewBox="0 0 {0} {0}" role="img" aria-label="{1}" shape-rendering="crispEdges">'
                  '<rect width="{0}" height="{0}" fill="#fff"/><path fill="#000" d="{2}"/></svg>').format(
        size, f"QR code: {url}", Markup("".join(runs)))
