"""The command the user ran Lectern with, so that messages say what to type next in the same words."""
from __future__ import annotations

import os
import sys


def command() -> str:
    """`python build.py` in a checkout, `python -m lectern` as a module, `lectern` once installed."""
    script = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if script == "build.py":
        return "python build.py"
    if script == "__main__.py":
        return "python -m lectern"
    return "lectern"
