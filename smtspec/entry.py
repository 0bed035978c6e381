"""The ``smtspec`` console script: imports the command line (z3, typer, rich: about a second)
inside a guard, so Ctrl-C while it loads ends with one line and exit 3, not a traceback."""

from __future__ import annotations

import signal
import sys


def main() -> int:
    try:
        from .cli import main as run

        code = run()
    except KeyboardInterrupt:
        sys.stderr.write("smtspec: interrupted\n")
        code = 3
    # a Ctrl-C from now on (while Python shuts down) must not turn the run's exit code into a
    # death by signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
