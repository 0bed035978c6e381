"""smtspec: bounded model checking and k-induction for TLA+ protocol specifications."""

from .version import __version__  # noqa: E402,F401  (the one version source)


def _checkout_encodings() -> None:
    """Make ``smtspec.encodings`` the top-level ``encodings/`` folder of a source checkout.

    An installed smtspec (wheel or editable) has ``smtspec.encodings``: setuptools ships the
    folder under that name (``package-dir`` in pyproject.toml). But ``smtspec/`` imported
    straight from a checkout (e.g. ``python -m pytest`` in the repository, whose working
    directory comes first on ``sys.path``, after a non-editable install) has no
    ``smtspec/encodings``: this loads ``../encodings`` under that name instead. Nothing is
    done when ``smtspec/encodings`` exists or this is not a checkout (no ``pyproject.toml``
    beside ``encodings/``). ``encodings`` is never imported as a top-level package: that
    name is the standard library's."""
    import importlib.util
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    top = here.parent / "encodings"
    name = f"{__name__}.encodings"
    if (name in sys.modules or (here / "encodings").exists() or not (top / "__init__.py").is_file()
            or not (here.parent / "pyproject.toml").is_file()):
        return
    spec = importlib.util.spec_from_file_location(name, top / "__init__.py", submodule_search_locations=[str(top)])
    assert spec is not None and spec.loader is not None  # always, for a .py file
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    globals()["encodings"] = module


_checkout_encodings()
del _checkout_encodings
