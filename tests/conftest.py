"""Shared test settings: slow tests run reduced unless SMTSPEC_SLOW=full."""

from __future__ import annotations

import os

FULL = os.environ.get("SMTSPEC_SLOW", "").lower() == "full"


def scaled(reduced: int, full: int) -> int:
    """The size of a slow test: ``reduced`` in ordinary runs (CI), ``full`` with SMTSPEC_SLOW=full."""
    return full if FULL else reduced
