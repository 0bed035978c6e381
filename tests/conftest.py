"""Shared test settings: slow tests run reduced unless SMTSPEC_SLOW=full."""

from __future__ import annotations

import os

FULL = os.environ.get("SMTSPEC_SLOW", "").lower() == "full"


def scaled(reduced: int, full: int) -> int:
    """The size of a slow test: ``reduced`` in ordinary runs (CI), ``full`` with SMTSPEC_SLOW=full."""
    return full if FULL else reduced


def pytest_configure(config) -> None:
    """The answer cache of the tests lives in a folder of their own, not in the user's cache
    (and starts empty, so a test never gets an answer another session computed)."""
    if "SMTSPEC_CACHE_DIR" not in os.environ:
        import tempfile

        os.environ["SMTSPEC_CACHE_DIR"] = tempfile.mkdtemp(prefix="smtspec-test-cache-")
