"""A slide's media keys (issue 18): `video` (a local file the deck plays) and `embed` (a live page)."""
from __future__ import annotations

from urllib.parse import urlsplit

from ..model import Embed, Image, Video
from ..shapes import EMBED, VIDEO, VIDEO_SUFFIXES
from ..yamlnodes import Node
from .reader import Reader

MAX_SECONDS = 24 * 3600


def video(r: Reader, node: Node) -> Video | None:
    """`video: {src: media/clip.mp4, poster: images/clip.jpg, caption, title, start: 12, end: 40}`."""
    keys = r.mapping(node, VIDEO.keys, VIDEO.required, "a video")
    if keys is None or "src" not in keys:
        return None
    src = r.text(keys["src"], "the video path", required=True) or ""
    path = r.course_path(keys["src"], "the video")
    if path is not None and path.suffix.lower() not in VIDEO_SUFFIXES:
        r.error(keys["src"].pos, f"the video '{src}' must be an MP4, WebM or Ogg file (.mp4, .webm, .ogg, .ogv), "
                                 "the formats every browser plays: convert it, for instance with "
                                 f"`ffmpeg -i {path.name} {path.stem}.mp4`")
        path = None
    out = Video(src=src, pos=node.pos, path=path, src_pos=keys["src"].pos,
                caption=r.md(keys.get("caption"), "the video's caption"),
                title=r.text(keys.get("title"), "the video's title") or "")
    if "poster" in keys:
        out.poster = poster(r, keys["poster"])
    elif path is not None:
        r.warn(node.pos, "the video has no `poster`: printed outputs show only its caption and file name, and "
                         "the deck a black frame until it plays; add `poster: images/still.jpg` (a frame of it)")
    if not out.caption and not out.title:
        r.error(node.pos, "the video has neither `caption` nor `title`: say what it shows, for readers who "
                          "cannot see it and for the printed page")
    out.start = seconds(r, keys.get("start"), "start")
    out.end = seconds(r, keys.get("end"), "end")
    if out.start is not None and out.end is not None and out.end <= out.start:
        r.error(keys["end"].pos, f"the video ends ({out.end:g} s) before it starts ({out.start:g} s): "
                                 "`end` must come after `start`")
        out.end = None
    return out


def poster(r: Reader, node: Node) -> Image | None:
    """The still shown before the video plays and printed in its place: a picture in the course."""
    from .slides import IMAGE_SUFFIXES
    src = r.text(node, "the video's poster", required=True)
    path = r.course_path(node, "the video's poster") if src else None
    if path is not None and path.suffix.lower() not in IMAGE_SUFFIXES:
        r.error(node.pos, f"the poster '{src}' must be a PNG, JPEG, GIF, WebP or SVG picture")
        path = None
    if path is None:
        return None
    return Image(src=src or "", alt="", pos=node.pos, path=path, src_pos=node.pos)


def seconds(r: Reader, node: Node | None, what: str) -> float | None:
    if node is None or node.value is None:
        return None
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_SECONDS:
        r.error(node.pos, f"a video's `{what}` is a time in seconds from the file's beginning, like "
                          f"`{what}: 12` or `{what}: 12.5`, not {value!r}")
        return None
    return float(value)


def embed(r: Reader, node: Node) -> Embed | None:
    """`embed: {url: https://..., title, height, caption}`: the origin must be in course.yaml's
    `embed_origins` (checked by validate, which sees the course)."""
    keys = r.mapping(node, EMBED.keys, EMBED.required, "an embed")
    if keys is None or "url" not in keys:
        return None
    url = r.text(keys["url"], "the embed's address", required=True)
    if url is None:
        return None
    if origin_of(url) is None:
        r.error(keys["url"].pos, f"the embed's address '{url}' is not a web address: write it in full, "
                                 "like https://poll.example.org/room/123")
        return None
    title = r.text(keys.get("title"), "the embed's title") or ""
    if "title" in keys and not title.strip():
        r.error(keys["title"].pos, "the embed's title is empty: say what the page is (\"Live poll\"); it is "
                                   "shown offline and printed")
    out = Embed(url=url, title=title.strip(), pos=node.pos, url_pos=keys["url"].pos,
                caption=r.md(keys.get("caption"), "the embed's caption"))
    if "height" in keys:
        value = keys["height"].value
        if isinstance(value, bool) or not isinstance(value, int) or not 120 <= value <= 600:
            r.error(keys["height"].pos, f"an embed's height is in slide pixels (the slide is 1280 by 720), "
                                        f"a whole number from 120 to 600, not {value!r}")
        else:
            out.height = value
    return out


def origin_of(url: str) -> str | None:
    """`https://host[:port]` of a web address, or None when it is not an http(s) address with a host."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme.lower()}://{host}" + (f":{port}" if port is not None else "")
