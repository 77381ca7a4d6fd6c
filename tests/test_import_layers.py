"""The import direction between the apps (issue 11): core ← accounts ← grants
← applications ← awards ← reviews ← reporting ← api ← config. The contract lives in
pyproject.toml ([tool.importlinter]); import-linter builds the import graph,
function-level imports included, and reports every upward import. A second
contract there keeps every tasks module off the services modules."""

from pathlib import Path

import grimp
from importlinter import configuration
from importlinter.application.use_cases import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_apps_import_only_the_layers_below_them(monkeypatch, capsys):
    configuration.configure()  # what the lint-imports command does first
    monkeypatch.chdir(ROOT)
    kept = lint_imports(config_filename=str(ROOT / "pyproject.toml"), cache_dir=None, no_logo=True)
    assert kept, capsys.readouterr().out


PACKAGES = ("core", "accounts", "grants", "applications", "awards", "reviews", "reporting", "api",
            "config")
# Cycles inside one topic that stay: a model's manager is its queryset class,
# which names a sibling model of the same app; the outbox's backend, queue
# and delivery task are one mechanism.
SAME_TOPIC_CYCLES = [
    {"accounts.models", "accounts.querysets"},
    {"reviews.models", "reviews.querysets"},
    {"core.mail", "core.outbox", "core.tasks"},
]


def _cycles(graph) -> list[set[str]]:
    """Strongly connected groups of modules (Tarjan), larger than one module."""
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in edges[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = set()
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.add(other)
                if other == module:
                    break
            if len(group) > 1:
                groups.append(group)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def test_no_import_cycle_joins_modules_of_different_topics():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    unexpected = [sorted(group) for group in _cycles(graph) if group not in SAME_TOPIC_CYCLES]
    assert unexpected == []
