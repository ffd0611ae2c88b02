"""The CSL-YAML scanner: entry ids and where they stand, by composing the YAML's nodes."""
from __future__ import annotations

import yaml

from ...course.model import Pos
from ...course.yamlnodes import MAX_DEPTH, _too_deep
from ...problems import Problem


def _scan_yaml(text: str, name: str) -> tuple[list[tuple[str, Pos]], list[Problem]]:
    """CSL-YAML: a list of entries, or a mapping with `references:` (pandoc's form)."""
    if _too_deep(text):
        return [], [Problem(Pos(name, 1, 1), f"the YAML nests lists or mappings more than {MAX_DEPTH} deep: "
                                             "a bibliography needs only a few levels")]
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 7× faster
    except yaml.YAMLError as err:
        from ...course.yamlnodes import yaml_problem
        return [], [yaml_problem(err, text, name, "invalid YAML")]
    if root is None:
        return [], []

    def at(node: yaml.Node) -> Pos:
        return Pos(name, node.start_mark.line + 1, node.start_mark.column + 1)

    entries = root
    if isinstance(root, yaml.MappingNode):
        refs = [v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "references"]
        if not refs:
            return [], [Problem(at(root), "a CSL-YAML bibliography is a list of entries, or a mapping with `references:`")]
        entries = refs[0]
    if not isinstance(entries, yaml.SequenceNode):
        return [], [Problem(at(entries), "a CSL-YAML bibliography is a list of entries, each with an `id`")]
    found: list[tuple[str, Pos]] = []
    problems: list[Problem] = []
    for item in entries.value:
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(at(item), "a bibliography entry must be a mapping with `id`, `type`, `title`, ..."))
            continue
        ids = [v for k, v in item.value if isinstance(k, yaml.ScalarNode) and k.value == "id"]
        if not ids:
            problems.append(Problem(at(item), "this bibliography entry has no `id`"))
        elif not isinstance(ids[0], yaml.ScalarNode) or not ids[0].value.strip():
            problems.append(Problem(at(ids[0]), "an entry's `id` must be a non-empty text"))
        else:
            found.append((ids[0].value.strip(), at(ids[0])))
    return found, problems
