"""Validate stage: the rules a loaded course must meet; returns every problem, raises nothing."""
from __future__ import annotations

import difflib
from struct import error as struct_error
from pathlib import Path

from ..charts import is_number, read_csv
from ..text.cite import BibIndex, style_error
from .load import display_path
from ..text.markup import CourseMarks
from .contrast import background_problems
from .model import Course, Pos
from ..problems import Problem
from .yamlnodes import one_line


def validate(course: Course, marks: CourseMarks, bib: BibIndex) -> list[Problem]:
    """Cross-file rules: citations, footnotes, chart data, references between files, empty parts."""
    problems: list[Problem] = list(bib.problems)
    problems += _style(course)
    problems += _bibtex(course, bib)
    problems += _citations(course, marks, bib)
    problems += _footnotes(course, marks)
    problems += _math(course, marks)
    problems += _code_files(course)
    problems += _code_width(course)
    problems += _tables(course)
    problems += _charts(course)
    problems += _pictures(course)
    problems += background_problems(course)  # layouts (issue 18)
    problems += _media(course)
    problems += _lecture_links(course)
    problems += _empty_parts(course)
    problems += _fonts(course)
    return [one_line(p) for p in problems]


def _style(course: Course) -> list[Problem]:
    reason = style_error(course.csl, course.root)
    return [Problem(course.csl_pos or course.pos, reason)] if reason else []


def _bibtex(course: Course, bib: BibIndex) -> list[Problem]:
    """BibTeX entries whose names pandoc would print wrong (text/cite/biblint)."""
    if not bib.bibtex:
        return []
    from ..text.cite import bibtex_warnings, names_in_prose
    from ..text.markup import lecture_texts
    texts = [md.src for lecture in course.lectures for md, _, _ in lecture_texts(lecture)]
    texts += [e.event.src for e in course.timeline] + [g.definition.src for g in course.glossary]
    return bibtex_warnings(bib.bibtex, names_in_prose(texts), course.lang)


def _citations(course: Course, marks: CourseMarks, bib: BibIndex) -> list[Problem]:
    problems = []
    known = sorted(bib.keys)

    def unknown(key: str, pos: Pos) -> Problem:
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        if not course.bibliography:
            hint = "; the course has no bibliography: add `bibliography: references.yaml` to course.yaml"
        else:
            hint = f"; did you mean '@{close[0]}'?" if close else "; add it to the bibliography"
        return Problem(pos, f"unknown citation key '@{key}'{hint}")

    for cluster in marks.clusters:
        for item in cluster.items:
            if item.key not in bib.keys:
                problems.append(unknown(item.key, item.pos))
    for lecture in course.lectures:
        for key, pos in lecture.further_reading:
            if key not in bib.keys:
                problems.append(unknown(key, pos))
    return problems


def local_link(href: str, pos) -> Problem:
    return Problem(pos, f"the link '{href}' leads to a file beside the source, which readers of the deck, "
                        "guide and handouts do not have (in a PDF it would show your own folder's path): "
                        "link to a full address (https://...) or to a heading (#...)")
def _math(course: Course, marks: CourseMarks) -> list[Problem]:
    """Formulas the engine could not typeset (errors) and code in unknown languages (warnings), as parsing found them."""
    found = [m for lecture in course.lectures for m in marks.lectures[lecture.id].math] + marks.other_math
    code = [m for lecture in course.lectures for m in marks.lectures[lecture.id].code] + marks.other_code
    return [Problem(pos, message) for pos, message in found] + [Problem(pos, m, "warning") for pos, m in code]


def _code_files(course: Course) -> list[Problem]:
    """Read each `code: {file: ...}` now (like a chart's CSV), so an edit to the file shows at once."""
    problems = []
    for slide in (p for lecture in course.lectures for section in lecture.sections  # with columns (issue 18)
                  for s in section.slides for p in s.panes()):
        code = slide.code
        if code is None or code.path is None:
            continue
        try:
            lines = Path(code.path).read_text("utf-8").split("\n")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(code.pos, f"the code file {display_path(Path(code.path))} cannot be read "
                                              f"as UTF-8 text ({exc.__class__.__name__})"))
            continue
        first, last = code.lines or (1, len(lines))
        if last > len(lines):
            problems.append(Problem(code.pos, f"lines {first}-{last} run past the end of "
                                              f"{display_path(Path(code.path))} ({len(lines)} lines)"))
            last = len(lines)
        code.text = "\n".join(lines[first - 1:last])
    return problems


def _tables(course: Course) -> list[Problem]:
    """Read each slide table's CSV (as charts do) and warn when a table is too wide for a slide."""
    from ..text.tablehtml import table_chars
    problems = []
    for slide in (p for lecture in course.lectures for section in lecture.sections  # with columns (issue 18)
                  for s in section.slides for p in s.panes()):
        t = slide.table
        if t is None:
            continue
        if t.data_path is not None:
            t.table, found = read_csv(Path(t.data_path), display_path(Path(t.data_path)))
            problems += found
        if t.table is not None:
            for name in t.align:
                if name not in t.table.columns:
                    problems.append(Problem(t.pos, f"align names the column '{name}', which the table does not have "
                                                   f"(its columns: {', '.join(t.table.columns)})"))
            if table_chars(t.table) > TABLE_CHARS:
                problems.append(Problem(t.pos, f"the table on the slide '{slide.title.src}' is about "
                                               f"{table_chars(t.table)} characters wide; a slide holds about "
                                               f"{TABLE_CHARS}: drop or shorten columns (the guide prints it whole)",
                                        "warning"))
    return problems


TABLE_CHARS = 110  # characters across a slide at the smallest type, table cells at 0.8 em


def _code_width(course: Course) -> list[Problem]:
    """A slide whose code has a line too long to fit even at the smallest type (deck.CODE_CHARS)."""
    from ..deck.deck import CODE_CHARS
    problems = []
    for lecture in course.lectures:
        for section in lecture.sections:
            for slide in (p for s in section.slides for p in s.panes()):  # with columns (issue 18)
                blocks = [t.content for t in (slide.body.tokens or []) if t.type == "fence"] if slide.body else []
                blocks += [slide.code.text] if slide.code is not None and slide.code.text else []
                longest = max((len(line.expandtabs(4)) for b in blocks for line in b.split("\n")), default=0)
                if longest > CODE_CHARS[-1]:
                    problems.append(Problem(slide.pos, f"the slide '{slide.title.src}' has a line of code {longest} "
                                                       f"characters long; at the smallest type a slide holds "
                                                       f"{CODE_CHARS[-1]}: break the line or show less", "warning"))
    return problems


def _footnotes(course: Course, marks: CourseMarks) -> list[Problem]:
    problems = [local_link(href, pos) for href, pos in marks.other_links]
    for lecture in course.lectures:
        lm = marks.lectures[lecture.id]
        used = set()
        for label, pos in lm.labels:
            used.add(label)
            if label not in lecture.footnotes:
                close = difflib.get_close_matches(label, list(lecture.footnotes), n=1)
                hint = f"; did you mean '[^{close[0]}]'?" if close else \
                    f"; define it under `footnotes:` in {display_path(lecture.path)}"
                problems.append(Problem(pos, f"the footnote [^{label}] is not defined{hint}"))
        for href, pos in lm.local_links:
            problems.append(local_link(href, pos))
        for pos in lm.nested:
            problems.append(Problem(pos, "a footnote cannot hold another footnote: "
                                         "write the second note's text into the first"))
        for label, definition in lecture.footnotes.items():
            if label not in used:
                problems.append(Problem(definition.pos, f"the footnote '{label}' is defined but never called "
                                                        f"with [^{label}]", "warning"))
    return problems


def _charts(course: Course) -> list[Problem]:
    problems = []
    for lecture in course.lectures:
        for section in lecture.sections:
            for slide in (p for s in section.slides for p in s.panes()):  # with columns (issue 18)
                chart = slide.chart
                if chart is None:
                    continue
                if chart.data_path is not None:
                    table, found = read_csv(Path(chart.data_path), display_path(Path(chart.data_path)))
                    problems += found
                    chart.table = table
                if chart.table is None:
                    continue
                for column in [chart.x, *chart.y, *chart.error]:
                    if column not in chart.table.columns:
                        close = difflib.get_close_matches(column, chart.table.columns, n=1)
                        hint = f"; did you mean '{close[0]}'?" if close else \
                            f"; the columns are {', '.join(chart.table.columns)}"
                        problems.append(Problem(chart.pos, f"the chart's column '{column}' is not in its data{hint}"))
                for column in chart.y:
                    if column not in chart.table.columns:
                        continue
                    i = chart.table.columns.index(column)
                    if any(row[i] is not None and not is_number(row[i]) for row in chart.table.rows):
                        problems.append(Problem(chart.pos, f"the chart's y column '{column}' holds values that "
                                                           "are not numbers"))
                problems += _too_large(chart) + _chart_kind(chart)
    return problems


def _chart_kind(chart) -> list[Problem]:
    """What a kind of chart asks of its data: numbers along x for a scatter or a histogram,
    no negative values in stacked bars."""
    table, problems = chart.table, []
    if chart.type in ("scatter", "histogram") and chart.x in table.columns:
        i = table.columns.index(chart.x)
        values = [row[i] for row in table.rows if row[i] is not None]
        what = "the values to count" if chart.type == "histogram" else "the points' x"
        if not values or not all(is_number(v) for v in values):
            problems.append(Problem(chart.pos, f"a {chart.type} chart's x column '{chart.x}' holds {what}: "
                                               "it must hold numbers"))
    for column in chart.error:
        if column in table.columns:
            i = table.columns.index(column)
            cells = [row[i] for row in table.rows if row[i] is not None]
            if not all(is_number(v) and v >= 0 for v in cells):
                problems.append(Problem(chart.pos, f"the chart's error column '{column}' must hold numbers of zero or "
                                                   "more (each value's ± margin)"))
    if chart.type == "stacked":
        for column in chart.y:
            if column in table.columns:
                i = table.columns.index(column)
                if any(is_number(row[i]) and row[i] < 0 for row in table.rows):
                    problems.append(Problem(chart.pos, f"the chart's column '{column}' holds a negative value: stacked "
                                                       "bars add up parts of a whole; draw it as `grouped` bars instead"))
    return problems


MAX_CHART_VALUE = 1e100  # beyond it a scale's ticks overflow a float (docs/format.md, Limits)


def _too_large(chart) -> list[Problem]:
    """A number too large to draw: 1.7e308 passed as a number but overflowed the axis' arithmetic."""
    problems = []
    for column in dict.fromkeys([chart.x, *chart.y]):
        if column not in chart.table.columns:
            continue
        i = chart.table.columns.index(column)
        big = next((row[i] for row in chart.table.rows if is_number(row[i]) and abs(row[i]) > MAX_CHART_VALUE), None)
        if big is not None:
            shown = f"a number of {len(str(abs(big)))} digits" if isinstance(big, int) else f"{big:.3g}"
            problems.append(Problem(chart.pos, f"the chart's column '{column}' holds a value too large to draw "
                                               f"({shown}); a chart's values may be at most {MAX_CHART_VALUE:.0e} "
                                               "either way: give them in a larger unit (millions, 10^9...)"))
    return problems


def _pictures(course: Course) -> list[Problem]:
    """Each slide's picture is the kind of image its name says, and small enough to print."""
    from .pictures import picture_problems
    problems = []
    for lecture in course.lectures:
        for section in lecture.sections:
            for slide in (p for s in section.slides for p in s.panes()):  # with columns (issue 18)
                for image in [*slide.pictures(), *([slide.background.image] if slide.background and
                                                    slide.background.image else [])]:
                    if image.path is None:
                        continue
                    for severity, message in picture_problems(image.path, image.src):
                        problems.append(Problem(image.src_pos or image.pos, message, severity))
    return problems


def _media(course: Course) -> list[Problem]:
    """An embedded page's origin is one course.yaml lists in `embed_origins` (the deck lets in no other);
    two videos copied next to the decks do not land on the same name."""
    from .load.media import origin_of
    from .media import media_name
    problems, copies = [], {}
    for lecture in course.lectures:
        for slide in (p for section in lecture.sections for s in section.slides for p in s.panes()):
            if slide.embed is not None:
                origin = origin_of(slide.embed.url)
                if origin not in course.embed_origins:
                    listed = (f" (it lists {', '.join(course.embed_origins)})" if course.embed_origins else "")
                    problems.append(Problem(slide.embed.url_pos or slide.embed.pos,
                                            f"the embed's origin {origin} is not in course.yaml's `embed_origins`"
                                            f"{listed}: add `embed_origins: [{origin}]` there if the course means to "
                                            "show live pages from it"))
        for video in lecture.videos():
            name = media_name(video.src)
            first = copies.setdefault(name, video)
            if first.path != video.path:
                problems.append(Problem(video.src_pos or video.pos,
                                        f"the video '{video.src}' would be copied to slides/{name}, where "
                                        f"'{first.src}' ({first.pos.path}:{first.pos.line}) goes: rename one"))
    return problems


FONT_SUFFIXES = (".otf", ".ttf", ".woff", ".woff2")


def _fonts(course: Course) -> list[Problem]:
    """A course's own font files (templates/fonts/) must be fonts: each replaces the theme's in
    every output, and a broken one would only fail half-way through the build."""
    folder = course.templates / "fonts" if course.templates else None
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES) \
        if folder is not None and folder.is_dir() else []
    problems = []
    for path in files:
        reason = font_error(path)
        if reason:
            problems.append(Problem(Pos(display_path(path), 1, 1),
                                    f"{reason}: replace it with an OpenType or TrueType font, or remove it "
                                    "to use the theme's"))
    return problems


def font_error(path: Path) -> str | None:
    """Why a file is not a font Lectern can use, or None."""
    from fontTools.ttLib import TTFont, TTLibError
    try:
        with TTFont(str(path), lazy=True) as font:
            if "cmap" not in font or "name" not in font:
                return "this font file has no character map or no names"
            font["cmap"].getBestCmap()
            font["name"].getDebugName(1)
    except (TTLibError, OSError, ValueError, KeyError, AssertionError, struct_error) as exc:
        return f"not a font Lectern can read ({exc})"
    return None


def _lecture_links(course: Course) -> list[Problem]:
    ids = [lecture.id for lecture in course.lectures]
    problems = []
    unreadable = set(getattr(course, "listed_ids", ())) - set(ids)  # their own errors are reported already
    for item in [*course.timeline, *course.glossary]:
        if item.lecture is not None and item.lecture not in ids and item.lecture not in unreadable:
            close = difflib.get_close_matches(item.lecture, ids, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; the lectures are {', '.join(ids)}"
            problems.append(Problem(item.pos, f"there is no lecture '{item.lecture}'{hint}"))
    return problems


def _empty_parts(course: Course) -> list[Problem]:
    problems = []
    for lecture in course.lectures:
        for section in lecture.sections:
            if not section.slides:
                problems.append(Problem(section.pos, f"the section '{section.title.src}' has no slides", "warning"))
            if section.reading is not None and not section.reading:
                problems.append(Problem(section.reading.pos, f"the reading of '{section.title.src}' is empty",
                                        "warning"))
    return problems
