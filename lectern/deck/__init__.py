"""The HTML outputs: the self-contained slide deck and the course page.

Holds: deck (view → one HTML file with its CSS, JavaScript and fonts inlined), index (the
course page). May import: lectern.text (views, labels), lectern.theme, lectern.problems.
Never print, pdf or pipeline.
"""
