"""What a citation is: the clusters the markup finds, and what pandoc makes of them."""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from ...course.model import Pos
from ...problems import Problem
from ..view import BibEntry


@dataclass
class CiteItem:
    """One work cited inside a cluster: `[see @key, p. 145]` or `[-@key]`."""

    key: str
    pos: Pos  # where the @key stands in the course
    prefix: str = ""  # "see"
    suffix: str = ""  # locator and suffix as written: "p. 145", "ch. 2", "pp. 3-5, emphasis added"
    suppress_author: bool = False  # [-@key]


@dataclass
class Cluster:
    """One citation as written in the text: a bracketed group, or a bare @key (`in_text`)."""

    id: str  # unique in the build, e.g. "c17"
    items: list[CiteItem]
    in_text: bool = False  # bare @key in running text: Author (Year)


@dataclass
class CitationResult:
    """Formatted citations: HTML per cluster id, and the bibliography in the style's order."""

    clusters: dict[str, Markup]
    bibliography: list[BibEntry]
    # Clusters whose HTML is footnote text, because the style is a note style (e.g. chicago-notes).
    notes: set[str] = field(default_factory=set)
    # Cited keys that are in no bibliography file (pandoc shows them as "key?"), and the like.
    problems: list[Problem] = field(default_factory=list)
