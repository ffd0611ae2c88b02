"""Rewrites a WeasyPrint function from its own source, with exact passages replaced, or not at all.

notekeep and colsearch change one passage each of a long WeasyPrint function. Rather than keep
a copy of the function, they take its source as installed, replace the passage, and compile it
in the function's own module, only when every passage is found exactly once:

    changed = rewritten(block._linebox_layout, {OLD: NEW})   # the new function, or None
    with swapped(ORIGINAL, (block, "_linebox_layout")): ...  # tests: WeasyPrint's own, meanwhile
"""
from __future__ import annotations

import contextlib
import inspect
import sys


def rewritten(function, replacements: dict[str, str], names: dict | None = None):
    """`function` compiled again from its source with each key of `replacements` (found exactly
    once) replaced by its value, in its module's globals plus `names`; None when the source is
    not the one these replacements were written for."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return None
    if not source.startswith(f"def {function.__name__}("):
        return None
    for old, new in replacements.items():
        if source.count(old) != 1:
            return None
        source = source.replace(old, new)
    module = sys.modules[function.__module__]
    namespace = {**vars(module), **(names or {})}
    exec(compile(source, module.__file__, "exec"), namespace)
    return namespace[function.__name__]


@contextlib.contextmanager
def swapped(value, *places):
    """For tests: `value` in each place (a module and an attribute name, or a dict and a key)
    for as long as the block runs; what was there before, after."""
    before = [(owner, name, _get(owner, name)) for owner, name in places]
    for owner, name in places:
        _set(owner, name, value)
    try:
        yield
    finally:
        for owner, name, old in before:
            _set(owner, name, old)


def _get(owner, name):
    return owner[name] if isinstance(owner, dict) else getattr(owner, name)


def _set(owner, name, value) -> None:
    if isinstance(owner, dict):
        owner[name] = value
    else:
        setattr(owner, name, value)
