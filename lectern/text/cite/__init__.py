"""Citations: bibliography readers, CSL styles, and pandoc's citeproc formatting them as HTML.

Holds: bibliography (`read_bibliography`: every entry key with where it is defined, and what
is wrong) with one scanner per format (csl_yaml, csl_json, bibtex) and pandocbib (BibTeX and
CSL-JSON read by pandoc itself, so check accepts what the build accepts), biblint (what pandoc
will do to a BibTeX entry that its author did not mean: names lower-cased, particles dropped); styles (a CSL
style by bundled name or path: `style_path`, `style_error`); pandoc (`format_citations`: one
run of pandoc per build, memoised in the process and in the user's cache) and pandoc_html
(pandoc's JSON back into escaped HTML); clusters (CiteItem, Cluster, CitationResult).
May import: lectern.course (model, yamlnodes), lectern.state.usercache, lectern.problems,
lectern.text.view. Nothing else of Lectern.
"""
from .bibliography import BIB_SUFFIXES, BibEntry, BibIndex, read_bibliography
from .biblint import bibtex_warnings, names_in_prose
from .clusters import CitationResult, CiteItem, Cluster
from .pandoc import KEPT_RUNS, PANDOC_TIMEOUT, format_citations, pandoc_binary
from .styles import DEFAULT_STYLE, style_error, style_path

__all__ = [
    "BIB_SUFFIXES", "DEFAULT_STYLE", "KEPT_RUNS", "PANDOC_TIMEOUT",
    "BibEntry", "BibIndex", "CitationResult", "bibtex_warnings", "names_in_prose", "CiteItem", "Cluster",
    "format_citations", "pandoc_binary", "read_bibliography", "style_error", "style_path",
]
