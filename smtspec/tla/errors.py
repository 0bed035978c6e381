"""The one error of the TLA+ front end: a construct it refuses, or text it cannot parse.

Every refusal names the construct and where it is (1-based line and column in the text
the user wrote), so that a translation is either exact or visibly absent, never silently
approximated.
"""

from __future__ import annotations

from ..errors import UsageError


class TLAError(UsageError):
    """A TLA+ construct outside the supported fragment, a syntax error, or an unknown name."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None, source: str = ""):
        self.message = message
        self.line = line
        self.column = column
        self.source = source
        where = ""
        if line is not None:
            where = f"{source + ':' if source else ''}{line}:{column}: "
        super().__init__(f"{where}{message}")
