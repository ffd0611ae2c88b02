"""Safe YAML reading that keeps every value's file, line and column (PyYAML marks)."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .model import Pos
from ..problems import Problem

MAX_YAML_BYTES = 2 * 1024 * 1024  # a course file larger than this is refused, not parsed
# (a 4.8 MB lecture file took a minute to read on a busy machine; real ones are under 200 kB)

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same nodes and marks, 10x faster

MAX_NODES = 500_000  # values in one file, counting what aliases expand to

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary", "set", "omap")
}


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def one_line(problem: Problem) -> Problem:
    """The problem with line breaks and other invisible controls in its message shown escaped.

    Messages quote what the user wrote; a quoted newline would split one problem over two lines
    and break the `path:line:column: message` report, and bidi controls would garble a terminal.
    """
    if not _UNPRINTABLE.search(problem.message):
        return problem
    message = _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), problem.message)
    return replace(problem, message=message)


@dataclass
class Node:
    """A YAML value with its position: `value` is a dict[str, Node], a list[Node] or a scalar."""

    value: object
    pos: Pos
    style: str | None = None  # scalar style: None (plain), "'", '"', "|", ">"
    indent: int = 0  # for block scalars: column where the text lines start (0-based)
    # A plain scalar that YAML 1.1 resolved to a bool, number or date: the text as typed
    # (`no`, `1.10`, `on`), which a key whose value is text reads instead (Reader.text).
    source: str | None = None

    @property
    def kind(self) -> str:
        if isinstance(self.value, dict):
            return "mapping"
        if isinstance(self.value, list):
            return "list"
        if self.value is None:
            return "nothing"
        if isinstance(self.value, bool):
            return "true/false"
        if isinstance(self.value, (int, float)):
            return "number"
        return "text"

    def __repr__(self) -> str:
        """As the author wrote it, in YAML's flow style (`[1, 2]`, `{a: b}`): a message that formats a
        node, or a list or mapping of nodes, shows the course's text, never Lectern's internals."""
        return shown(self.plain())

    __str__ = __repr__

    def plain(self) -> object:
        """The value with positions stripped (for data such as inline chart tables)."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


def shown(value: object) -> str:
    """A plain value in YAML's flow style, short enough for a message."""
    if isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {shown(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, list):
        text = "[" + ", ".join(shown(v) for v in value) + "]"
    elif value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def yaml_problem(exc: Exception, text: str, display: str, lead: str = "YAML error") -> Problem:
    """A YAML failure as file:line:col and a sentence: never PyYAML's `in "<unicode string>", position N`."""
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow (a control character)
        before = text[:exc.position]
        pos = Pos(display, before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1)
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        return Problem(pos, f"{lead}: the character U+{char:04X} is not allowed in YAML "
                            "(a control character): delete it or write it as an escape in double quotes")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    pos = _pos(display, mark) if mark else Pos(display, 1, 1)
    reason = getattr(exc, "problem", None) or getattr(exc, "context", None) or type(exc).__name__
    return Problem(pos, f"{lead}: {reason}")


def _pos(display: str, mark) -> Pos:
    return Pos(display, mark.line + 1, mark.column + 1)


class _Converter:
    def __init__(self, display: str, text: str):
        self.display = display
        self.lines = text.splitlines()
        self.problems: list[Problem] = []
        self.constructor = yaml.constructor.SafeConstructor()
        self.count = 0

    def convert(self, node: yaml.Node) -> Node:
        self.count += 1
        if self.count > MAX_NODES:  # aliases can make a small file expand without end
            raise RecursionError
        pos = _pos(self.display, node.start_mark)
        if node.tag not in _STANDARD_TAGS:
            self.problems.append(Problem(pos, f"the YAML tag {node.tag} is not allowed in a course "
                                              "file: remove it and write the value plainly"))
            return Node(None, pos)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Node] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append(Problem(_pos(self.display, key_node.start_mark),
                                                 "YAML merge keys (<<) are not supported: write the keys out"))
                    continue
                key = self.convert(key_node)
                if not isinstance(key.value, (str, int, float, bool)) or key.value is None:
                    self.problems.append(Problem(key.pos, "a key must be a plain name"))
                    continue
                name = key.source if key.source is not None else str(key.value)
                if name in out:
                    self.problems.append(Problem(key.pos, f"the key '{name}' appears twice in this "
                                                          f"mapping (first at line {out[name].pos.line}): keep one"))
                    continue
                value = self.convert(value_node)
                out[name] = Node(value.value, value.pos, value.style, value.indent, value.source)
                out[name].key_pos = key.pos  # type: ignore[attr-defined]
            return Node(out, pos)
        if isinstance(node, yaml.SequenceNode):
            return Node([self.convert(item) for item in node.value], pos)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            self.problems.append(Problem(pos, f"cannot read this value: {exc}"))
            return Node(None, pos)
        source = node.value if value is not None and not isinstance(value, str) else None
        if isinstance(value, (datetime.date, datetime.datetime)):
            value = value.isoformat()[:10]
        elif isinstance(value, bytes):
            value = None
            self.problems.append(Problem(pos, "binary values are not allowed in a course file"))
        elif isinstance(value, (set, list, dict)):  # !!set / !!omap
            value = None
            self.problems.append(Problem(pos, "this YAML construct is not supported: use a plain list or mapping"))
        indent = 0
        if node.style in ("|", ">"):
            indent = self._block_indent(node.start_mark.line + 1)
        return Node(value, pos, node.style, indent, source if value is not None else None)

    def _block_indent(self, line_index: int) -> int:
        for line in self.lines[line_index:]:
            if line.strip():
                return len(line) - len(line.lstrip(" "))
        return 0


class _Cycle(Exception):
    """An alias that refers to a collection it sits inside (`&x [*x]`): expanding it never ends."""

    def __init__(self, node: yaml.Node):
        self.node = node


def _expanded_size(root: yaml.Node) -> int:
    """How many values the tree holds once every alias is expanded, counted without expanding.

    Raises _Cycle when an alias refers to a collection it sits inside.
    """
    sizes: dict[int, int] = {}
    open_: set[int] = set()  # collections whose children are still being counted
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children = ([n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode)
                    else node.value if isinstance(node, yaml.SequenceNode) else [])
        if done:
            open_.discard(id(node))
            sizes[id(node)] = min(1 + sum(sizes.get(id(c), 1) for c in children), MAX_NODES + 1)
            continue
        if id(node) in open_:
            raise _Cycle(node)
        open_.add(id(node))
        stack.append((node, True))
        for child in children:
            if id(child) in open_:
                raise _Cycle(child)
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


MAX_DEPTH = 200  # lists and mappings inside each other; a course needs about ten


def _too_deep(text: str) -> bool:
    """Nesting deeper than MAX_DEPTH, found from the parser's events without building anything.

    libyaml's composer recurses in C: 50,000 nested `[` crashed Python with a segmentation fault
    and 20,000 took 16 s. Its event parser does not recurse, so depth is measured on events first,
    but only when the text holds enough brackets or dashes to nest that deep at all.
    """
    if text.count("[") + text.count("{") + text.count("- ") + text.count("? ") <= MAX_DEPTH:
        return False
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return True
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return False  # compose reports the syntax error with its position
    return False


@dataclass
class YamlFile:
    """The parsed root node of one file (None when it could not be read) and its problems."""

    root: Node | None
    problems: list[Problem]


def read_yaml(path: Path, display: str, raw: bytes | None = None) -> YamlFile:
    """Read one YAML file safely (or parse `raw`, its bytes already read); YAML syntax errors
    become problems with their position."""
    try:
        size = path.stat().st_size if raw is None else len(raw)
        if size > MAX_YAML_BYTES:
            return YamlFile(None, [Problem(Pos(display, 1, 1), f"the file is {size // 1024 // 1024} MB; "
                                           f"course files may be at most {MAX_YAML_BYTES // 1024 // 1024} MB: split it")])
        if raw is None:
            raw = path.read_bytes()
    except OSError as exc:
        return YamlFile(None, [Problem(Pos(display, 1, 1), f"cannot read the file: {exc.strerror}")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return YamlFile(None, [Problem(Pos(display, line, 1), "the file is not UTF-8 text: save it as UTF-8")])
    try:
        if _too_deep(text):
            return YamlFile(None, [Problem(Pos(display, 1, 1), f"the YAML is nested more than {MAX_DEPTH} levels "
                                           "deep: a course never needs that many")])
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _pos(display, mark) if mark else Pos(display, 1, 1)
        what = (exc.problem or exc.context or "invalid YAML").replace("'<stream end>'", "the end of the file")
        if exc.context and exc.context_mark and exc.problem:
            what = (f"{what} ({exc.context} that starts at line {exc.context_mark.line + 1}, "
                    f"column {exc.context_mark.column + 1})")
        return YamlFile(None, [Problem(pos, f"YAML syntax error: {what}")])
    except yaml.YAMLError as exc:
        return YamlFile(None, [yaml_problem(exc, text, display)])
    except RecursionError:
        return YamlFile(None, [Problem(Pos(display, 1, 1), "the YAML is nested too deeply")])
    if node is None:
        return YamlFile(Node(None, Pos(display, 1, 1)), [])
    try:
        size = _expanded_size(node)
    except _Cycle as cycle:
        return YamlFile(None, [Problem(_pos(display, cycle.node.start_mark), "this anchor (&) is used (*) inside "
                                       "itself, so the value would never end: write the inner value out plainly")])
    if size > MAX_NODES:  # "billion laughs": refuse before expanding anything
        return YamlFile(None, [Problem(Pos(display, 1, 1), "the YAML expands (through aliases * and "
                                       f"anchors &) to more than {MAX_NODES:,} values: write it out plainly")])
    conv = _Converter(display, text)
    try:
        root = conv.convert(node)
    except RecursionError:
        return YamlFile(None, [Problem(Pos(display, 1, 1), "the YAML is nested too deeply or expands "
                                       "(through aliases) to too many values")])
    return YamlFile(root, conv.problems)
