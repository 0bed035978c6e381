"""mypy on ``smtspec/`` and ``encodings/``, with the ``[tool.mypy]`` configuration of pyproject.toml.

Run from the repository root (the configuration's ``files`` are relative to it), with a cache
of its own, so the check is cold every time (a few seconds).
"""

from __future__ import annotations

from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_reports_no_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    stdout, stderr, status = mypy_api.run([
        "--config-file", str(ROOT / "pyproject.toml"),
        "--cache-dir", str(tmp_path / "mypy-cache"),
        "--show-error-codes",
    ])
    assert status == 0 and stdout.startswith("Success: no issues found"), (stdout + stderr)[-6000:]
