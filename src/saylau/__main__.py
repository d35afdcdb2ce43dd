"""``python -m saylau``: the same as the ``saylau`` command."""

import sys

from saylau.cli import main

sys.exit(main())
