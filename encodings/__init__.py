"""Specification encodings shipped as ``smtspec.encodings``: one package per specification.

Every subpackage whose ``SPEC`` is a :class:`~smtspec.system.SpecInfo` is registered under
``SPEC.name`` by :mod:`smtspec.registry`; nothing else names it, except its line in
``packages`` of ``pyproject.toml`` (what a wheel ships).
"""
