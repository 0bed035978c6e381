"""Specs that plug in: a third spec is one folder plus one registration, no other edit.

The folder (a toy counter spec) is written into ``tmp_path`` by the tests and registered by
``SMTSPEC_SPECS`` (the command line, as a subprocess) or by an entry point of the group
``smtspec.specs`` (in process). A registration that does not load gives one line, exit 2.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

import smtspec
from smtspec import registry

TOY = textwrap.dedent('''
    """A third spec in one folder: x counts up from 0 by Inc, to at most --top."""

    from smtspec.scope import Bound
    from smtspec.sorts import IntRange
    from smtspec.system import Action, Effect, Invariant, SpecInfo, StateVar, System

    NAME = "toy-plug"
    BOUNDS = (Bound("top", 5, 1, 7, "the largest value of x"),)


    def build(scope):
        inc = Action("Inc", (), (), lambda pre, p: Effect(pre.x + 1 <= scope.top, updates={"x": pre.x + 1}))
        return System(
            spec=NAME, scope=scope, vars=(StateVar("x", IntRange(0, scope.top)),), actions=(inc,),
            invariants=(Invariant("AtMostTwo", lambda v: v.x <= 2, doc="x stays at most 2"),
                        Invariant("InRange", lambda v: v.x <= scope.top, doc="x stays at most top")),
            init=lambda v: v.x == 0,
        )


    SPEC = SpecInfo(name=NAME, title="Toy counter", source="tests/test_plugin_spec.py", bounds=BOUNDS,
                    build=build, invariant_names=("AtMostTwo", "InRange"), action_names=("Inc",))
''')


def write_toy(root: Path, package: str = "toyplug") -> Path:
    (root / package).mkdir()
    (root / package / "__init__.py").write_text(TOY)
    return root


def cli(tmp_path: Path, specs: str, *args: str) -> subprocess.CompletedProcess:
    """``python -m smtspec.cli ARGS`` with ``SMTSPEC_SPECS=specs`` and ``tmp_path`` on PYTHONPATH.

    It runs in the folder holding the smtspec this test imported (a checkout or site-packages),
    so that the subprocess runs the same one: ``-m`` puts that folder first on sys.path once
    Python has started (a checkout on PYTHONPATH would shadow the standard library's
    ``encodings`` with the top-level ``encodings/`` folder)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SMTSPEC_SPECS", "SMTSPEC_DEBUG")}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["SMTSPEC_SPECS"] = specs
    here = Path(smtspec.__file__).resolve().parent.parent
    return subprocess.run([sys.executable, "-m", "smtspec.cli", *args], env=env, cwd=here,
                          capture_output=True, text=True, timeout=300)


def test_a_spec_in_one_folder_registered_by_smtspec_specs_is_listed(tmp_path):
    write_toy(tmp_path)
    res = cli(tmp_path, "toyplug:SPEC", "list", "--json")
    assert res.returncode == 0, res.stderr
    listed = {j["spec"]: j for j in map(json.loads, res.stdout.splitlines())}
    assert list(listed) == ["parallel-raft", "onos-config", "toy-plug"]
    assert listed["toy-plug"]["invariants"] == ["AtMostTwo", "InRange"]
    assert listed["toy-plug"]["actions"] == ["Inc"]
    assert listed["toy-plug"]["bounds"]["top"]["default"] == 5

    res = cli(tmp_path, "toyplug:SPEC", "list", "--spec", "toy-plug")
    assert res.returncode == 0, res.stderr
    assert "toy-plug: Toy counter" in res.stdout and "AtMostTwo" in res.stdout and "InRange" in res.stdout


def test_bmc_gives_verdicts_on_the_plugged_in_spec(tmp_path):
    write_toy(tmp_path)
    res = cli(tmp_path, "toyplug:SPEC", "bmc", "AtMostTwo", "InRange", "--spec", "toy-plug", "--depth", "3",
              "--json", "--trace", str(tmp_path / "traces"))
    assert res.returncode == 1, res.stderr  # AtMostTwo is refuted
    verdicts = {j["invariant"]: j for j in map(json.loads, res.stdout.splitlines()) if "invariant" in j}
    assert verdicts["AtMostTwo"]["verdict"] == "refuted" and verdicts["InRange"]["verdict"] == "no-violation"
    assert (tmp_path / "traces" / "AtMostTwo.itf.json").is_file()

    # an invariant only the toy has selects it without --spec
    res = cli(tmp_path, "toyplug:SPEC", "bmc", "InRange", "--depth", "2")
    assert res.returncode == 0, res.stderr
    assert "InRange" in res.stdout and "top=5" in res.stdout

    # its declared bound is a scope flag, with no edit of the command line
    res = cli(tmp_path, "toyplug:SPEC", "bmc", "AtMostTwo", "--spec", "toy-plug", "--depth", "3", "--top", "2", "--json")
    assert res.returncode == 0, res.stderr
    (row,) = [json.loads(line) for line in res.stdout.splitlines()]
    assert row["verdict"] == "no-violation" and row["scope"] == {"top": 2}


@pytest.mark.parametrize("specs,named", [
    ("nosuch_toy_module:SPEC", "nosuch_toy_module"),
    ("toyplug:NOPE", "toyplug"),
    ("json:dumps", "json"),
    ("toyplug", "toyplug"),
])
def test_a_registration_that_does_not_load_gives_one_line_and_exit_2(tmp_path, specs, named):
    write_toy(tmp_path)
    res = cli(tmp_path, specs, "list")
    assert res.returncode == 2
    assert len(res.stderr.splitlines()) == 1 and res.stderr.startswith("smtspec: error: SMTSPEC_SPECS")
    assert named in res.stderr and "Traceback" not in res.stderr


# --------------------------------------------------------------------------- in process


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """A clean registry cache, ``tmp_path`` on sys.path, and the toy module forgotten afterwards."""
    monkeypatch.delenv("SMTSPEC_SPECS", raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    registry._discover.cache_clear()
    yield tmp_path
    registry._discover.cache_clear()
    for name in [m for m in sys.modules if m == "toyplug" or m.startswith("toyplug.") or m == "toyplug2"]:
        del sys.modules[name]


def test_the_shipped_specs_come_first_and_are_found_without_a_list(fresh):
    assert registry.spec_names()[:2] == ["parallel-raft", "onos-config"]
    assert registry.get(registry.DEFAULT_SPEC).name == "parallel-raft"


def test_an_entry_point_registers_a_spec(fresh, monkeypatch):
    write_toy(fresh)
    dist = fresh / "toyplug_dist-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: toyplug-dist\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[smtspec.specs]\ntoy = toyplug:SPEC\n")
    assert registry.spec_names()[:2] == ["parallel-raft", "onos-config"]
    assert registry.get("toy-plug").invariant_names == ("AtMostTwo", "InRange")
    assert registry.resolve(None, ["AtMostTwo"]).name == "toy-plug"
    # the same spec registered again by SMTSPEC_SPECS is one spec
    monkeypatch.setenv("SMTSPEC_SPECS", "toyplug:SPEC")
    assert registry.spec_names().count("toy-plug") == 1


def test_two_specs_under_one_name_are_refused(fresh, monkeypatch):
    write_toy(fresh)
    write_toy(fresh, "toyplug2")
    monkeypatch.setenv("SMTSPEC_SPECS", f"toyplug:SPEC{os.pathsep}toyplug2:SPEC")
    with pytest.raises(registry.RegistrationError, match="two specs are named 'toy-plug'"):
        registry.available()


def test_smtspec_specs_entries_are_separated_by_commas_or_pathsep():
    assert registry.env_entries(f"a:SPEC, b.c:X{os.pathsep}d:Y.Z,") == [("a", "SPEC"), ("b.c", "X"), ("d", "Y.Z")]
    assert registry.env_entries("") == []
    with pytest.raises(registry.RegistrationError):
        registry.env_entries("a:SPEC,b")


def test_every_spec_package_is_registered_and_shipped_by_pyproject():
    """Each folder encodings/<name>/ is a registered spec and has its line in pyproject's
    ``packages`` (else a wheel would lack it; the registry itself needs no edit)."""
    root = Path(smtspec.__file__).resolve().parent.parent
    if not (root / "pyproject.toml").is_file() or not (root / "encodings").is_dir():
        pytest.skip("not a source checkout")
    config = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = sorted(p.parent.name for p in (root / "encodings").glob("*/__init__.py"))
    packages = [f"smtspec.encodings.{f}" for f in folders] + [
        ".".join(p.parent.relative_to(root).parts) for p in (root / "smtspec").rglob("__init__.py")]
    missing = [p for p in packages if p not in config["packages"]]
    assert not missing, f"add {', '.join(map(repr, missing))} to packages in pyproject.toml"
    assert config["package-dir"]["smtspec.encodings"] == "encodings"
    assert config["package-data"]["*"] == ["*.tla"]
    specs = list(registry.available().values())
    for folder in folders:
        module = importlib.import_module(f"smtspec.encodings.{folder}")
        if hasattr(module, "SPEC"):
            assert any(s is module.SPEC for s in specs), folder
