"""A slide's picture file checked against its name: the kind of image its bytes hold, and its size in pixels.

Only the first bytes and the header are read (Pillow's format readers stop at the header), so a
20000×20000 picture is measured without being decoded.
"""
from __future__ import annotations

import re
from pathlib import Path

MAX_PIXELS = 100_000_000  # more is an error: decoding it to print takes 4 bytes a pixel (docs/format.md)
LARGE_PIXELS = 25_000_000  # more is a warning: no page or screen shows that many, and the deck carries them all

NAMES = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WebP", "svg": "SVG"}
SUFFIX_KIND = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".webp": "webp", ".svg": "svg"}
KIND_SUFFIX = {"png": ".png", "jpeg": ".jpg", "gif": ".gif", "webp": ".webp", "svg": ".svg"}

_SVG_START = re.compile(rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>|<\?[^>]*\?>)\s*)*"
                        rb"<(?:[A-Za-z_][\w.-]*:)?svg[\s>/]", re.S)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)[\s>]", re.S | re.I)


def sniff(head: bytes) -> str:
    """What the first bytes of a file are: an image kind ('png', ...), or a description of what else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    text = head.removeprefix(b"\xef\xbb\xbf")
    if _SVG_START.match(text):
        return "svg"
    if _HTML_START.match(text):
        return "an HTML page"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    try:
        text.decode("utf-8")
        return "text"
    except UnicodeDecodeError as err:
        if err.start >= len(text) - 3 and len(head) >= 4096:  # a character cut at the end of what was read
            return "text"
        return "bytes of no picture format Lectern knows"


def pixel_size(path: Path, kind: str) -> tuple[int, int]:
    """Width and height from the picture's header; raises ValueError when the header is damaged."""
    from PIL import GifImagePlugin, JpegImagePlugin, PngImagePlugin, WebPImagePlugin
    reader = {"png": PngImagePlugin.PngImageFile, "jpeg": JpegImagePlugin.JpegImageFile,
              "gif": GifImagePlugin.GifImageFile, "webp": WebPImagePlugin.WebPImageFile}[kind]
    try:
        with open(path, "rb") as f:
            with reader(f) as image:  # reads the header only; no DecompressionBomb check, no decoding
                return image.size
    except Exception as exc:  # Pillow raises SyntaxError, OSError, struct.error ... for a damaged header
        raise ValueError(str(exc) or type(exc).__name__) from None


def picture_problems(path: Path, src: str) -> list[tuple[str, str]]:
    """What is wrong with the picture file `path` (written `src` in the course), as (severity, message)."""
    expected = SUFFIX_KIND.get(path.suffix.lower())
    if expected is None:
        return []
    try:
        with open(path, "rb") as f:
            head = f.read(8192)
    except OSError as exc:
        return [("error", f"the image '{src}' cannot be read: {exc.strerror or exc}")]
    if not head:
        return [("error", f"the image '{src}' is an empty file: save the picture into it again")]
    actual = sniff(head)
    name = NAMES[expected]
    if actual not in NAMES:
        article = "an" if name == "SVG" else "a"
        return [("error", f"the image '{src}' is not {article} {name} picture: the file holds {actual}; export or save "
                          f"the picture itself as {name} (a web page saved under a picture's name is not one)")]
    if actual != expected:
        return [("warning", f"the image '{src}' is a {NAMES[actual]} picture, not {name}: rename it to "
                            f"{path.stem}{KIND_SUFFIX[actual]} (and its src)")]
    if actual == "svg":
        return _svg_problems(path, src)
    try:
        width, height = pixel_size(path, actual)
    except ValueError as exc:
        return [("error", f"the image '{src}' is a damaged {name} file ({exc}): export it again")]
    return _size_problems(src, width, height)


def _svg_problems(path: Path, src: str) -> list[tuple[str, str]]:
    """A warning when cleaning the picture (text/svgsafe.py) takes out what the lecturer put in."""
    from ..text.svgsafe import clean_svg
    try:
        cleaned = clean_svg(path.read_text("utf-8", errors="replace"))
    except OSError as exc:
        return [("error", f"the image '{src}' cannot be read: {exc.strerror or exc}")]
    if cleaned.error:
        return [("warning", f"the image '{src}' shows as an empty box: {cleaned.error}; export it again as SVG")]
    if cleaned.dropped:
        more = len(cleaned.dropped) - 6
        shown = ", ".join(cleaned.dropped[:6]) + (f" and {more} more" if more > 0 else "")
        return [("warning", f"the image '{src}' holds what a picture may not, and Lectern leaves it out: {shown} "
                            "(a picture is drawn, never run or linked: see 'SVG pictures' in docs/format.md)")]
    return []


def _size_problems(src: str, width: int, height: int) -> list[tuple[str, str]]:
    pixels = width * height
    size = f"{width}×{height} pixels ({pixels / 1e6:.0f} megapixels)"
    if pixels > MAX_PIXELS:
        return [("error", f"the image '{src}' is {size}; Lectern takes at most {MAX_PIXELS // 1_000_000} megapixels, "
                          f"as a picture that size needs {pixels * 4 / 1e9:.1f} GB of memory to print: scale it "
                          "down (4000 pixels across is plenty for a slide or a page)")]
    if pixels > LARGE_PIXELS:
        return [("warning", f"the image '{src}' is {size}, more than a slide or a page can show "
                            f"(over {LARGE_PIXELS // 1_000_000}): scale it down to keep the deck small")]
    return []
