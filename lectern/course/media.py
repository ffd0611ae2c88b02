"""Where a slide's video is copied in the output folder: next to the decks, under slides/media/."""
from __future__ import annotations

from pathlib import PurePosixPath


def media_name(src: str) -> str:
    """`media/clip.mp4` or `clip.mp4` -> `media/clip.mp4`; `films/a/clip.webm` -> `media/films/a/clip.webm`.

    The name is relative to the decks' folder (output/slides/), as the deck's <video> names it."""
    parts = [p for p in PurePosixPath(src.replace("\\", "/")).parts if p not in (".", "")]
    if parts and parts[0] == "media":
        parts = parts[1:]
    return "/".join(["media", *parts])
