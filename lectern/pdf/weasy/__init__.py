"""Changes to WeasyPrint 70's own functions, each applied only when WeasyPrint's code is the one it was made for.

Holds rewrite (recompiles a WeasyPrint function with exact passages replaced), notekeep,
leaders, svgtext, svgpath, colsearch, tagging, resume (a part laid out again from a page on),
pagenumbers (a piece of a document numbered as pages of the whole) and zlevel (pydyf's
compression level); see README.md in this folder: what each changes, why, how it
is checked against WeasyPrint's own, and what to do when WeasyPrint is upgraded.
May import: weasyprint, pydyf and the standard library. Imports nothing of Lectern's (its modules
import only WeasyPrint, the standard library and rewrite.py), so each reads against
WeasyPrint alone; lectern.pdf.engine installs them.
"""
