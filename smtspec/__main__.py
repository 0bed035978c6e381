"""``python -m smtspec``: the same as the ``smtspec`` command."""

import sys

from .entry import main

sys.exit(main())
