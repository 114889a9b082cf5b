"""Which room of the service may import which: read from the source with ``ast``.

A room is a top-level subpackage of ``media_analysis`` (``api``, ``jobs``, ``media``...)
or a top-level module (``app``, ``cli``, ``config``...). Every import counts, also one
inside a function or under ``TYPE_CHECKING``: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.paths import REPO_ROOT

PACKAGE = "media_analysis"
SOURCE = REPO_ROOT / "src" / PACKAGE

# The composition roots: they build the HTTP app and the commands, so they may use api/.
MAY_IMPORT_API = frozenset({"api", "app", "cli"})
# Media handling and providers know nothing of HTTP requests, the database, the job
# engine or the pipelines that call them.
LOWER_ROOMS = frozenset({"media", "providers"})
ABOVE_LOWER_ROOMS = frozenset({"db", "jobs", "api", "pipelines"})
FRAMEWORKS_BELOW = frozenset({"fastapi", "starlette", "sqlalchemy", "asyncpg"})


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    importer: str
    target: str

    @property
    def from_room(self) -> str:
        return room_of(self.importer)

    @property
    def to_room(self) -> str:
        return room_of(self.target)

    def __str__(self) -> str:
        where = self.path.relative_to(REPO_ROOT)
        return f"{where}:{self.line}: {self.importer} imports {self.target}"


def room_of(module: str) -> str:
    """``media_analysis.jobs.queue`` → ``jobs``; the package itself is the room ``""``."""
    parts = module.split(".")
    return parts[1] if parts[0] == PACKAGE and len(parts) > 1 else ""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    folder = SOURCE.parent / relative
    return folder.with_suffix(".py").is_file() or (folder / "__init__.py").is_file()


def imports_of(path: Path) -> Iterator[Import]:
    importer = module_name(path)
    package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, importer, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            for alias in node.names:
                # ``from media_analysis.api import jobs`` imports the module api.jobs.
                submodule = f"{base}.{alias.name}"
                target = submodule if is_module(submodule) else base
                yield Import(path, node.lineno, importer, target)


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if node.level == 0:
        return node.module or ""
    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*anchor, *([node.module] if node.module else [])])


def all_imports() -> list[Import]:
    found = [item for path in sorted(SOURCE.rglob("*.py")) for item in imports_of(path)]
    assert len({item.importer for item in found}) > 100, "the source tree was not found"
    return found


def own_imports() -> list[Import]:
    return [item for item in all_imports() if item.target.split(".")[0] == PACKAGE]


def test_only_the_api_and_the_composition_roots_import_the_api() -> None:
    offenders = [
        str(item)
        for item in own_imports()
        if item.to_room == "api" and item.from_room not in MAY_IMPORT_API
    ]
    assert not offenders, "only api/, app.py and cli.py may import api/:\n" + "\n".join(offenders)


def test_media_and_providers_know_nothing_of_requests_database_jobs_or_pipelines() -> None:
    offenders = [
        str(item)
        for item in all_imports()
        if item.from_room in LOWER_ROOMS
        and (
            (item.target.startswith(f"{PACKAGE}.") and item.to_room in ABOVE_LOWER_ROOMS)
            or item.target.split(".")[0] in FRAMEWORKS_BELOW
        )
    ]
    assert not offenders, (
        f"{sorted(LOWER_ROOMS)} may not import {sorted(ABOVE_LOWER_ROOMS)} "
        f"nor {sorted(FRAMEWORKS_BELOW)}:\n" + "\n".join(offenders)
    )


def test_no_import_cycle_between_rooms() -> None:
    edges: dict[str, dict[str, Import]] = defaultdict(dict)
    for item in own_imports():
        if item.from_room and item.to_room and item.from_room != item.to_room:
            edges[item.from_room].setdefault(item.to_room, item)
    assert "api" in edges["app"], "app.py should import api/: the import reading is broken"
    cycles = [group for group in strongly_connected(edges) if len(group) > 1]
    messages = []
    for group in cycles:
        inside = [str(edges[a][b]) for a in sorted(group) for b in sorted(edges[a]) if b in group]
        messages.append(f"cycle between {', '.join(sorted(group))}:\n  " + "\n  ".join(inside))
    assert not cycles, "rooms that import each other:\n" + "\n".join(messages)


def test_the_cycle_check_sees_a_cycle() -> None:
    edges = {"a": {"b": None}, "b": {"c": None}, "c": {"a": None}, "d": {"a": None}}
    assert [group for group in strongly_connected(edges) if len(group) > 1] == [{"a", "b", "c"}]


def strongly_connected(edges: Mapping[str, Mapping[str, object]]) -> list[set[str]]:
    """Tarjan's algorithm: the groups of rooms that can each reach all the others."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = lowest[node] = len(index)
        stack.append(node)
        for neighbour in edges.get(node, {}):
            if neighbour not in index:
                visit(neighbour)
                lowest[node] = min(lowest[node], lowest[neighbour])
            elif neighbour in stack:
                lowest[node] = min(lowest[node], index[neighbour])
        if lowest[node] == index[node]:
            group: set[str] = set()
            while node not in group:
                group.add(stack.pop())
            groups.append(group)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups
