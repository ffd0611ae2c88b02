"""Charts: chart data (a CSV file or an inline table) into self-contained, accessible SVG."""
from .data import *  # noqa: F401,F403  (interim: the module moves in whole, then splits)
from .data import for_print  # noqa: F401
