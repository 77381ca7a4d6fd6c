"""Run every benchmark under bench/ and print one Markdown table.

Each benchmark is a script `bench/<name>.py` that prints, with `--json`, a
JSON list of rows: {"bench", "case", "seconds", "target_seconds",
"figures"}. Each runs in its own process (a fresh interpreter and, where it
needs one, a fresh in-memory database). A new benchmark only has to follow
that contract to appear here.

    .venv/bin/python bench/run.py                 # all
    .venv/bin/python bench/run.py assignment      # some, by name
"""

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = {"run", "__init__"}


def discover(names: list[str]) -> list[Path]:
    scripts = sorted(p for p in HERE.glob("*.py") if p.stem not in SKIP and p.stem[0] != "_")
    if names:
        scripts = [p for p in scripts if p.stem in names]
    return scripts


def run(script: Path) -> list[dict]:
    completed = subprocess.run(
        [sys.executable, str(script), "--json"], cwd=HERE.parent, capture_output=True, text=True,
        check=False,
    )
    if completed.returncode != 0:
        return [{"bench": script.stem, "case": "failed", "seconds": None, "target_seconds": None,
                 "figures": completed.stderr.strip().splitlines()[-1:] or ["no output"]}]
    # The last line is the JSON; anything before it is the script's chatter.
    return json.loads(completed.stdout.strip().splitlines()[-1])


def markdown(rows: list[dict]) -> str:
    lines = [
        "| Benchmark | Case | Wall time (s) | Target (s) | Met | Figures |",
        "| --- | --- | ---: | ---: | :---: | --- |",
    ]
    for row in rows:
        seconds, target = row["seconds"], row["target_seconds"]
        met = "—" if seconds is None or target is None else ("yes" if seconds < target else "no")
        figures = row["figures"] if isinstance(row["figures"], str) else " ".join(row["figures"])
        lines.append(
            f"| {row['bench']} | {row['case']} | {seconds if seconds is not None else '—'} | "
            f"{target if target is not None else '—'} | {met} | {figures.replace('|', '/')} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    rows = []
    for script in discover(argv):
        print(f"running {script.name} …", file=sys.stderr, flush=True)
        rows.extend(run(script))
    print(markdown(rows))
    return 1 if any(row["seconds"] is None for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
