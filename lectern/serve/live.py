"""What open pages need to know: which outputs each build wrote, and whether the course builds."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

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
