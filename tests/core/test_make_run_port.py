"""`make run PORT=…` serves on the port given (default 8000)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(("args", "port"), [([], "8000"), (["PORT=18131"], "18131")])
def test_make_run_takes_a_port(args, port):
    dry_run = subprocess.run(  # noqa: S603
        ["make", "-n", "-C", str(ROOT), "run", *args],  # noqa: S607
        capture_output=True, text=True, check=True,
    ).stdout
    assert f"runserver 127.0.0.1:{port}" in dry_run
    assert f"http://127.0.0.1:{port}" in dry_run
