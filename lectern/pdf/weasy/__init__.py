"""Changes to WeasyPrint 70's own functions, each applied only when WeasyPrint's code is the one it was made for.

See README.md in this folder: what each changes, why, how it is checked against WeasyPrint's
own, and what to do when WeasyPrint is upgraded. May import: weasyprint, and nothing of Lectern's.
"""
