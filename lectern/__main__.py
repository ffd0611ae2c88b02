"""`python -m lectern`: the same command line as `lectern` and `python build.py`."""
from .cli import main

main(prog_name="python -m lectern")
