"""Which outputs a build makes and which are stale (the plan), and what the manifest remembers of them afterwards."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .course.model import DEFAULT_OUTPUTS, Course
from .pool import PDF_KINDS
from .problems import Problem
from .state.cache import BuildState, OutputRecord, Snapshot, course_relative, view_key

PATTERNS = {"deck": "slides/{}.html", "handouts": "handouts/{}.pdf", "notes": "handouts/{}-notes.pdf",
            "slides-pdf": "slides/{}.pdf"}  # a lecture's output of each kind, by its id


@dataclass
class Planned:
    """One output of this build: what it is made from, its fingerprint, and whether to render it."""

    name: str  # path in the output folder
    kind: str  # "index", "deck", "guide", "handouts", "notes", "slides-pdf"
    view: object
    key: str
    inputs: list[str]
    stale: bool = True


# ---- before loading: a guess from course.yaml, so workers can start early -------------------------

def expected_outputs(course_dir: Path, only: list[str] | None) -> set[str]:
    """The output kinds this build will likely make (decided before loading: a quick look at
    `outputs`; a broken course.yaml expects nothing, the load phase will say what is wrong)."""
    if only is not None:
        return set(only)
    try:
        import yaml
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load((course_dir / "course.yaml").read_text("utf-8"), Loader=loader)
    except Exception:
        return set()
    kinds = data.get("outputs") if isinstance(data, dict) else None
    if isinstance(kinds, list):
        return {k for k in kinds if isinstance(k, str)}
    return set(DEFAULT_OUTPUTS)


def expects_pdfs(course_dir: Path, only: list[str] | None) -> bool:
    """Whether this build will likely lay out PDFs (so its workers may start before the course loads)."""
    return any(k in PDF_KINDS for k in expected_outputs(course_dir, only))


# ---- 4 plan -------------------------------------------------------------------------------------

def plan_outputs(course: Course, resolved, kinds: list[str], snapshot: Snapshot, state: BuildState,
                 out_dir: Path, force: bool = False) -> list[Planned]:
    """Every output this build is asked for, with its fingerprint; stale if it differs from the last."""
    theme = snapshot.theme_digest()
    base = course_inputs(course)
    planned = [Planned("index.html", "index", resolved.index, view_key("index", resolved.index, theme),
                       base + [course_relative(lec.path, course.root) for lec in course.lectures])]
    lectures = {lec.id: lec for lec in course.lectures}
    if "guide" in kinds:
        everything = sorted({*base, *(i for lec in course.lectures for i in lecture_inputs(course, lec)),
                             *_extra_inputs(course)})
        planned.append(Planned("study-guide.pdf", "guide", resolved.guide,
                               view_key("guide", resolved.guide, theme), everything))
    if "deck" in kinds:
        planned += media_outputs(course, snapshot, theme)
    for kind in ("deck", "handouts", "notes", "slides-pdf"):
        if kind not in kinds:
            continue
        for lecture_id, deck in resolved.decks.items():
            extra = () if kind == "deck" else (course.paper,)
            planned.append(Planned(PATTERNS[kind].format(lecture_id), kind, deck,
                                   view_key(kind, deck, theme, *extra),
                                   base + lecture_inputs(course, lectures[lecture_id])))
    for p in planned:
        p.stale = force or not state.fresh(out_dir, p.name, p.key)
    return planned


def media_outputs(course: Course, snapshot: Snapshot, theme: str) -> list[Planned]:
    """Each video a deck plays, copied beside the decks (slides/media/...): it cannot live inside
    the deck's one HTML file. Its key is the file's content digest, so an unchanged one is not copied again."""
    from .course.media import media_name
    found: dict[str, Path] = {}
    for video in (v for lecture in course.lectures for v in lecture.videos()):
        found.setdefault("slides/" + media_name(video.src), video.path)
    planned = []
    for name, path in sorted(found.items()):
        rel = course_relative(path, course.root)
        fingerprint = snapshot.files.get(f"course:{rel}", [None, None, rel])[2]
        planned.append(Planned(name, "media", path, view_key("media", (rel, fingerprint), theme), [rel]))
    return planned


def course_inputs(course: Course) -> list[str]:
    """The files every output is made from: course.yaml and the bibliography."""
    files = [course.root / "course.yaml", *course.bibliography]
    return [course_relative(f, course.root) for f in files]


def lecture_inputs(course: Course, lecture) -> list[str]:
    """A lecture's own files: its YAML, its pictures (a video's poster among them), its charts' data."""
    found = [lecture.path]
    for section in lecture.sections:
        for slide in (p for s in section.slides for p in s.panes()):  # with columns (issue 18)
            bg = slide.background.image if slide.background is not None else None
            found += [i.path for i in (*slide.pictures(), bg) if i is not None and i.path is not None]
            if slide.chart is not None and slide.chart.data_path:
                found.append(course.root / slide.chart.data_path)
    return [course_relative(f, course.root) for f in found]


def _extra_inputs(course: Course) -> list[str]:
    """The timeline and glossary files, found through the positions of their entries."""
    paths = {entry.pos.path for entry in [*course.timeline, *course.glossary]}
    return [course_relative(p, course.root) for p in paths]


# ---- 7 write: what the manifest remembers ---------------------------------------------------------

def retire(state: BuildState, planned: list[Planned], kinds: list[str]) -> list[str]:
    """Outputs an earlier build made that this one no longer would (their lecture left the course).

    Only kinds this build makes are considered, so `--only deck` never removes a handout. They
    leave the manifest here; `write_outputs` deletes the files once everything else is written.
    """
    made = {p.name for p in planned}
    kinds = [*kinds, "media"] if "deck" in kinds else kinds  # a video no deck plays any more goes with them
    gone = sorted(name for name, record in state.outputs.items()
                  if record.kind in kinds and record.kind != "index" and name not in made)
    for name in gone:
        del state.outputs[name]
    return gone


def remember(state: BuildState, snapshot: Snapshot, planned: list[Planned], files: dict[str, bytes],
             problems: dict[str, list[Problem]], warnings: list[Problem], only: list[str] | None) -> None:
    """Record in the manifest what this build made from what, and the warnings each output had."""
    for p in planned:
        own = [w for w in problems.get(p.name, []) if w.severity == "warning"]
        if p.name in files:
            state.outputs[p.name] = OutputRecord(p.key, len(files[p.name]), p.inputs, own, p.kind)
        elif p.stale and p.name in state.outputs:  # written as soon as it was ready
            state.outputs[p.name].warnings = own
    state.snapshot = snapshot.files
    state.last_only = only
    state.last_outputs = [p.name for p in planned]
    state.warnings = list(warnings) + [w for p in planned for w in state.outputs[p.name].warnings]
