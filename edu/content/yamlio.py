"""YAML loading that remembers the line of every key and list item.

Mappings load as :class:`LDict` and sequences as :class:`LList`; both carry ``line`` (1-based line of the
node) and ``lines`` (line of each key / item). ``yes``/``no``/``on``/``off`` stay strings (YAML 1.2 booleans),
so an option id ``no`` is not silently turned into ``False``. Duplicate keys are reported, not ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LDict(dict):
    line: int = 0
    lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class LList(list):
    line: int = 0
    lines: list[int]

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


@dataclass(frozen=True)
class YamlError:
    line: int
    message: str


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    offset: int = 0
    duplicates: list[tuple[int, str]]


_Loader.yaml_implicit_resolvers = {k: list(v) for k, v in _BaseLoader.yaml_implicit_resolvers.items()}
for _first, _resolvers in list(_Loader.yaml_implicit_resolvers.items()):
    _Loader.yaml_implicit_resolvers[_first] = [r for r in _resolvers if r[0] != "tag:yaml.org,2002:bool"]
    if not _Loader.yaml_implicit_resolvers[_first]:
        del _Loader.yaml_implicit_resolvers[_first]
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LDict:
    loader.flatten_mapping(node)
    result = LDict()
    result.line = node.start_mark.line + 1 + loader.offset
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            key = str(key)
        line = key_node.start_mark.line + 1 + loader.offset
        if key in result:
            loader.duplicates.append((line, f"duplicate key '{key}'"))
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LList:
    result = LList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1 + loader.offset
    result.lines = [child.start_mark.line + 1 + loader.offset for child in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load(text: str, first_line: int = 1) -> tuple[Any, list[YamlError]]:
    """Parse ``text`` whose first line is line ``first_line`` of its file. Never raises on bad YAML."""
    loader = _Loader(text)
    loader.offset = first_line - 1
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and exc.context and ("flow" in exc.context or "quoted" in exc.context):
            mark = exc.context_mark  # an unclosed [ { or quote: point at where it was opened
        line = (mark.line + first_line) if mark else first_line
        problem = exc.problem or exc.context or "invalid YAML"
        return None, [YamlError(line, f"invalid YAML: {problem}")]
    except yaml.YAMLError as exc:
        return None, [YamlError(first_line, f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    return data, [YamlError(line, msg) for line, msg in loader.duplicates]
