"""The root of smtspec's own exceptions, and what each kind means for the exit code.

A command raises :class:`UsageError` (or a subclass: a bad scope, trace, proof file or
name) for input it cannot act on; the command line turns it into one line on stderr and
exit code 2. Verdicts are never exceptions: ``unknown`` is a result, with its cause.
"""

from __future__ import annotations


class SmtspecError(Exception):
    """Any error smtspec reports itself (as opposed to a bug)."""

    exit_code = 2


class UsageError(SmtspecError, ValueError):
    """Bad input: a flag, a file or a name the command cannot act on (exit 2, one line).

    Its subclasses name where the input came from: ``scope.ScopeError``, ``trace.TraceError``,
    ``proofs.ProofError``, ``registry.LookupFailed``, ``tla.TLAError``. An interruption is
    ``solving.Interrupted`` (exit 3); a verdict, ``unknown`` included, is never an exception.
    """


class GaveUp(SmtspecError):
    """The solver timed out or gave up on a query a command cannot do without (Houdini's
    filter, say): no verdict, exit 3, like any ``unknown``."""

    exit_code = 3


__all__ = ["GaveUp", "SmtspecError", "UsageError"]
