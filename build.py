#!/usr/bin/env python3
"""Build the course: `python build.py` (see `python build.py --help`). A thin wrapper over lectern.cli."""
from lectern.cli import main

if __name__ == "__main__":
    main()
