"""The layers of ARCHITECTURE.md, enforced: import-linter checks the contracts in ``.importlinter``.

import-linter reads a package from one folder, and ``smtspec.encodings`` is the top-level
``encodings/`` folder of the checkout, so the check runs on a copy laid out as installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".importlinter"

pytest.importorskip("importlinter")


def _installed_layout(tmp: Path) -> Path:
    shutil.copytree(ROOT / "smtspec", tmp / "smtspec", ignore=shutil.ignore_patterns("__pycache__", "encodings"))
    shutil.copytree(ROOT / "encodings", tmp / "smtspec" / "encodings", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp


def _lint(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run([sys.executable, "-c", code, str(CONFIG)], cwd=tree, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_import_contracts_hold(tmp_path):
    out = _lint(_installed_layout(tmp_path))
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "4 kept, 0 broken" in out.stdout


def test_an_engine_importing_an_encoding_breaks_a_contract(tmp_path):
    tree = _installed_layout(tmp_path)
    engine = tree / "smtspec" / "engine.py"
    engine.write_text(engine.read_text() + "\nfrom .encodings import parallel_raft  # noqa: E402,F401\n")
    out = _lint(tree)
    assert out.returncode != 0 and "smtspec.engine is not allowed to import smtspec.encodings" in out.stdout
