"""Read a framework YAML file into plain data plus a map from data path to line and column.

PyYAML's ``safe_load`` forgets positions and silently keeps the last of two equal keys; a
framework author needs both: "line 212, indicators[3.4].rule" and "``max`` given twice". So we
compose the node tree once, record every node's position, refuse duplicate keys, and construct
with the safe constructor (no arbitrary tags, no Python objects).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]


class FrameworkLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only ``true``/``false``.

    YAML 1.1 reads ``no``, ``yes``, ``on``, ``off`` as booleans, so the natural key ``no`` (STT)
    or an option labelled ``Không``-like English words would silently become False.
    """


FrameworkLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
FrameworkLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)

#: A framework file is a few hundred kilobytes at most; anything larger is not one.
MAX_FRAMEWORK_BYTES = 4 * 1024 * 1024


@dataclass
class YamlSource:
    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    duplicate_keys: list[tuple[Path, int, int]] = field(default_factory=list)
    #: the text of every scalar as written (so "1.10" can be quoted back when YAML made it 1.1)
    scalars: dict[Path, str] = field(default_factory=dict)

    def position(self, path: Path) -> tuple[int, int] | None:
        """Line and column (1-based) of the node at ``path`` or of its nearest ancestor."""
        while True:
            if path in self.positions:
                return self.positions[path]
            if not path:
                return None
            path = path[:-1]


class YamlSyntaxError(Exception):
    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def parse_yaml(text: str) -> YamlSource:
    try:
        node = yaml.compose(text, Loader=FrameworkLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise YamlSyntaxError(
            str(exc.problem or exc), mark.line + 1 if mark else None, mark.column + 1 if mark else None
        ) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc), None, None) from exc
    source = YamlSource(data=None)
    if node is None:
        return source
    _walk(node, (), source)
    loader = FrameworkLoader("")
    try:
        source.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlSyntaxError(
            str(exc.problem or exc), mark.line + 1 if mark else None, mark.column + 1 if mark else None
        ) from exc
    finally:
        loader.dispose()
    return source


def _walk(node: yaml.Node, path: Path, source: YamlSource) -> None:
    source.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            if key in seen:
                source.duplicate_keys.append((child, key_node.start_mark.line + 1, key_node.start_mark.column + 1))
            seen.add(key)
            _walk(value_node, child, source)
            # a key's own position is more useful than its value's for "missing"/"unknown" reports
            source.positions.setdefault(child, (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
    elif isinstance(node, yaml.ScalarNode):
        source.scalars[path] = str(node.value)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), source)
