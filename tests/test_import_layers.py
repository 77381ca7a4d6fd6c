"""The import direction between the apps (issue 11): core ← accounts ← grants
← applications ← reviews ← reporting ← api ← config. The contract lives in
pyproject.toml ([tool.importlinter]); import-linter builds the import graph,
function-level imports included, and reports every upward import. A second
contract there keeps every tasks module off the services modules."""

from pathlib import Path

from importlinter import configuration
from importlinter.application.use_cases import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_apps_import_only_the_layers_below_them(monkeypatch, capsys):
    configuration.configure()  # what the lint-imports command does first
    monkeypatch.chdir(ROOT)
    kept = lint_imports(config_filename=str(ROOT / "pyproject.toml"), cache_dir=None, no_logo=True)
    assert kept, capsys.readouterr().out
