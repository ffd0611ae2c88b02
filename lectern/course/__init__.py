"""The course as the lecturer wrote it: the typed model, YAML read with positions, loading, validation, and the starter course.

Holds: model (dataclasses, every value with its Pos), yamlnodes (YAML with file:line:column),
load (files → model), validate (rules across the course), scaffold (`new`, from starter/).
May import: lectern.problems, lectern.state, lectern.text (validate checks the parsed Markdown
and the bibliography), lectern.charts (validate reads chart data). Nothing imports upward from here
into pipeline, deck, print or pdf.
"""
