"""``python -m smmkit`` runs the command line."""

from smmkit.cli import console

console()
