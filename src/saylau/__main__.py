"""``python -m saylau``: the same as the ``saylau`` command."""

from saylau.cli import console

console()
